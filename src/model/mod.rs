//! The learned model: a linear (logistic) model over hashed n-grams of the normalised text, carried in the
//! signed pack ([`crate::pack::ModelSpec`]) as a compact table ([`blob`]), and run in the same pass as the
//! rules. Its features are in [`features`]; `jobguard train` fits it ([`train`], native only).
//!
//! Score: `raw = bias + scale * Σ w_f * v(n)`, over the distinct features `f` of the text with a stored weight,
//! `n` being how many features the text produced and `v(n) = (200 / max(n, 16))^(3/8) / sqrt(200)`
//! ([`feature_value`]): a long page does not add up many faint words, and a short one is not judged on one word.
//! The pack's Platt calibration turns `raw` into a probability, and its steps turn the probability into points.

pub mod blob;
pub mod features;
#[cfg(feature = "sources")]
pub mod steps;
#[cfg(feature = "sources")]
pub mod train;

pub use blob::{Blob, ModelError};

/// A text counts as having at least this many features when its score is scaled ([`feature_value`]), so that a
/// short text is not judged on one or two words ("안녕하세요" alone is not a scam).
pub const MIN_FEATURES: usize = 16;

/// The length at which [`feature_value`] is `1 / sqrt(n)`, as it was until branch `emscad3` (about an English
/// posting's length in features): the fit's L2 penalty keeps its strength there.
const REFERENCE_FEATURES: f64 = 200.0;

/// The value every feature of a text with `n` features takes: `(200 / max(n, 16))^(3/8) / sqrt(200)`.
///
/// Why 3/8 and not 1/2 (`1 / sqrt(n)` until branch `emscad3`): a long posting's words are diluted less, so the
/// model separates EMSCAD's frauds from its ordinary postings better (nested CV near: 274 -> 281 of 425 frauds
/// at the same 3 of 222 ordinary ads; 1/4 or a logarithm gained more near but flagged more ordinary postings of
/// a source never seen in training; `docs/accuracy-history.md`). Three square roots, not `powf`: the Wasm
/// module then needs no `pow` from libm.
pub fn feature_value(n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let ratio = REFERENCE_FEATURES / n.max(MIN_FEATURES) as f64;
    let eighth = ratio.sqrt().sqrt().sqrt();
    eighth * eighth * eighth / REFERENCE_FEATURES.sqrt()
}

/// Most feature occurrences kept for highlighting per page.
const MAX_OCCURRENCES: usize = 4096;

/// A model ready to score: the weights in a dense table indexed by feature hash.
#[derive(Debug, Clone)]
pub struct Model {
    bits: u32,
    bias: f64,
    scale: f64,
    table: Vec<i8>,
}

/// What the model saw in one text.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The linear score (log-odds before calibration).
    pub raw: f64,
    /// Features the text produced.
    pub features: usize,
    /// The script that produced most of them (`None` for a text without features).
    pub script: Option<features::Script>,
    /// Occurrences of features with a positive weight: (feature, weight, byte start, byte end) in the
    /// normalised text, in text order.
    pub positive: Vec<(u32, i8, usize, usize)>,
    /// Where in `positive` each of its features occurs first, in text order (what the strongest words are
    /// picked from, without searching `positive` for repeats).
    pub firsts: Vec<usize>,
}

impl Model {
    /// Builds the dense table from a decoded blob.
    pub fn new(blob: &Blob) -> Model {
        let mut table = vec![0i8; 1usize << blob.bits];
        for &(h, w) in &blob.entries {
            table[h as usize] = w;
        }
        Model { bits: u32::from(blob.bits), bias: f64::from(blob.bias), scale: f64::from(blob.scale), table }
    }

    /// The model as (hash width, bias, scale, every non-zero weight by feature): what a compiled snapshot keeps.
    pub(crate) fn parts(&self) -> (u32, f64, f64, Vec<(u32, i8)>) {
        let entries = self.table.iter().enumerate().filter(|(_, &w)| w != 0).map(|(h, &w)| (h as u32, w)).collect();
        (self.bits, self.bias, self.scale, entries)
    }

    /// The model from [`Model::parts`]; `None` when the width is outside what a blob may declare or a feature
    /// lies outside the table.
    pub(crate) fn from_parts(bits: u32, bias: f64, scale: f64, entries: &[(u32, i8)]) -> Option<Model> {
        if !(u32::from(blob::MIN_BITS)..=u32::from(blob::MAX_BITS)).contains(&bits) {
            return None;
        }
        let mut table = vec![0i8; 1usize << bits];
        for &(h, w) in entries {
            *table.get_mut(h as usize)? = w;
        }
        Some(Model { bits, bias, scale, table })
    }

    /// Number of features with a weight.
    pub fn entries(&self) -> usize {
        self.table.iter().filter(|&&w| w != 0).count()
    }

    /// Hash width in bits.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Scores a normalised text; occurrences of positive features are kept when `spans` is set.
    pub fn analyse(&self, text: &str, spans: bool) -> Analysis {
        // Each weighted feature counts once: a bit per table entry marks the ones already counted.
        let mut marks = Marks::take(self.table.len().div_ceil(64));
        // The features marked, so that their words are cleared for the next text (natively).
        let mut counted: Vec<u32> = Vec::new();
        // Slices, not the vectors, in the closure: their lengths stay in registers across the calls.
        let (table, words) = (&self.table[..], &mut marks.words[..]);
        let mut sum: i64 = 0;
        // Room for a page's occurrences at once (at most MAX_OCCURRENCES): growing by doubling copied them
        // about twice over.
        let mut positive = Vec::with_capacity(if spans { (text.len() / 16).min(MAX_OCCURRENCES) } else { 0 });
        let mut firsts = Vec::new();
        // The closure takes `spans`, the table and the marks by value (`move`), the results by the references
        // made here: each call reads them from the closure, not through a reference to the caller's variables.
        let (total, kept, first, marked) = (&mut sum, &mut positive, &mut firsts, &mut counted);
        // Inlined where each feature is produced (native only: the Wasm module stays small).
        let produced = features::for_each(
            text,
            self.bits,
            #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
            move |h, s, e| {
                let w = table[h as usize];
                if w == 0 {
                    return;
                }
                let (mark, bit) = (&mut words[h as usize / 64], 1u64 << (h % 64));
                let fresh = *mark & bit == 0;
                if fresh {
                    *mark |= bit;
                    *total += i64::from(w);
                    if Marks::REUSED {
                        marked.push(h);
                    }
                }
                // The weight first: the cheapest test, and no occurrence is kept for a weight at or below zero.
                if w > 0 && spans && kept.len() < MAX_OCCURRENCES {
                    // A feature's first occurrence in `positive` is its first in the text: once `positive` is
                    // full, no later occurrence goes in either.
                    if fresh {
                        first.push(kept.len());
                    }
                    kept.push((h, w, s, e));
                }
            },
        );
        marks.put_back(&counted);
        let n = produced.total;
        let raw = self.bias + self.scale * sum as f64 * feature_value(n);
        Analysis { raw, features: n, script: produced.script(), positive, firsts }
    }
}

/// The bits [`Model::analyse`] marks the features it has counted with, one per table entry. Natively the same
/// zeroed words serve every text a thread scores: a text clears the words it marked (a few hundred on a page),
/// where zeroing a fresh buffer cost a write of the whole table's bits (128 KB for 20-bit hashes) per text,
/// pushing the table itself out of the cache. The Wasm module allocates them per text (its size stays).
struct Marks {
    words: Vec<u64>,
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// The zeroed words kept between the texts a thread scores.
    static KEPT_MARKS: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

impl Marks {
    /// Whether the words are kept between texts (and must be cleared after one).
    const REUSED: bool = cfg!(not(target_arch = "wasm32"));

    /// `len` zeroed words: the thread's kept ones (natively), or new ones.
    fn take(len: usize) -> Marks {
        #[cfg(not(target_arch = "wasm32"))]
        {
            // Taken out of the thread's cell, so that a text never shares them; every kept word is zero.
            let mut words = KEPT_MARKS.with(std::cell::Cell::take);
            words.resize(len, 0);
            Marks { words }
        }
        #[cfg(target_arch = "wasm32")]
        Marks { words: vec![0; len] }
    }

    /// Clears the words of the `counted` features (every bit set) and keeps the words for the thread's next text.
    fn put_back(self, counted: &[u32]) {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut words = self.words;
            for &h in counted {
                words[h as usize / 64] = 0;
            }
            KEPT_MARKS.with(|kept| kept.set(words));
        }
        #[cfg(target_arch = "wasm32")]
        let _ = counted;
    }
}

/// The calibrated probability of a raw score: `1 / (1 + exp(-(a * raw + b)))`.
pub fn calibrate(platt: [f64; 2], raw: f64) -> f64 {
    1.0 / (1.0 + (-(platt[0] * raw + platt[1])).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_of(words: &[(&str, i8)]) -> Model {
        let bits = 16u8;
        let mut entries: Vec<(u32, i8)> = Vec::new();
        for (w, weight) in words {
            features::for_each(w, u32::from(bits), |h, s, e| {
                if s == 0 && e == w.len() {
                    entries.push((h, *weight));
                }
            });
        }
        entries.sort();
        entries.dedup_by_key(|e| e.0);
        Model::new(&Blob { bits, bias: -1.0, scale: 0.5, entries })
    }

    #[test]
    fn weighted_features_count_once_and_length_dilutes() {
        let m = model_of(&[("telegram", 10), ("salary", -4)]);
        let a = m.analyse("telegram telegram", true);
        // Features: telegram, telegram, "telegram telegram" (3, counted as 16); telegram counts once.
        assert_eq!(a.features, 3);
        let v = |n: f64| (200.0 / n).powf(0.375) / 200f64.sqrt();
        assert!((a.raw - (-1.0 + 0.5 * 10.0 * v(16.0))).abs() < 1e-9, "{}", a.raw);
        let long = m.analyse(&"telegram ".repeat(40), false);
        assert!((long.raw - (-1.0 + 0.5 * 10.0 * v(79.0))).abs() < 1e-9, "{}", long.raw);
        assert!(long.raw < a.raw, "a longer text dilutes the same word");
        assert_eq!(a.positive.len(), 2, "both occurrences are kept for highlighting");
        assert_eq!(a.firsts, vec![0], "the first of them is the feature's first");
        let b = m.analyse("telegram salary", false);
        assert!(b.raw < a.raw && b.positive.is_empty());
        assert_eq!(m.analyse("", true).raw, -1.0);
    }

    #[test]
    fn firsts_are_the_first_occurrence_of_each_positive_feature() {
        let m = model_of(&[("easy", 3), ("money", 2), ("fast", -1), ("easy money", 5)]);
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..500 {
            let words = ["easy", "money", "fast", "jobs", "1"];
            let text: Vec<&str> = (0..rng.usize(0..30)).map(|_| words[rng.usize(..words.len())]).collect();
            let a = m.analyse(&text.join(" "), true);
            // The old way: each feature's first occurrence, by searching the ones already kept.
            let mut firsts: Vec<usize> = Vec::new();
            for (i, occ) in a.positive.iter().enumerate() {
                if !firsts.iter().any(|&f| a.positive[f].0 == occ.0) {
                    firsts.push(i);
                }
            }
            assert_eq!(a.firsts, firsts, "{text:?}");
        }
    }

    #[test]
    fn texts_scored_one_after_another_score_as_each_alone() {
        let m = model_of(&[("easy", 3), ("money", 2), ("fast", -1), ("easy money", 5)]);
        let words = ["easy", "money", "fast", "jobs", "1"];
        let mut rng = fastrand::Rng::with_seed(19);
        let texts: Vec<String> = (0..200)
            .map(|_| (0..rng.usize(0..30)).map(|_| words[rng.usize(..words.len())]).collect::<Vec<_>>().join(" "))
            .collect();
        let seen = |a: Analysis| (a.raw.to_bits(), a.features, a.positive, a.firsts);
        let in_order: Vec<_> = texts.iter().map(|t| seen(m.analyse(t, true))).collect();
        // Each text alone on a thread of its own: no marks left by another text.
        let alone: Vec<_> = texts
            .iter()
            .map(|t| std::thread::scope(|s| s.spawn(|| seen(m.analyse(t, true))).join().unwrap()))
            .collect();
        assert_eq!(in_order, alone);
        // A model of another width on the same thread, between them.
        let wide = Model::new(&Blob { bits: 18, bias: 0.0, scale: 1.0, entries: vec![(5, 1)] });
        wide.analyse("easy money", true);
        assert_eq!(seen(m.analyse(&texts[1], true)), alone[1]);
    }

    #[test]
    fn calibration_is_a_logistic_curve() {
        assert!((calibrate([1.0, 0.0], 0.0) - 0.5).abs() < 1e-12);
        assert!(calibrate([2.0, -1.0], 3.0) > calibrate([2.0, -1.0], 1.0));
    }
}
