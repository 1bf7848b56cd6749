//! Fitting the model (native only): L2-regularised logistic regression by L-BFGS over the hashed features
//! (each scaled by its idf and, in part, its naive-Bayes log-count ratio), with sample weights that balance the
//! classes and keep one large source from dominating; cross-validation with folds grouped by source; Platt
//! calibration on out-of-fold scores; pruning, a refit on the features kept, and quantisation to i8.
//!
//! Deterministic: no randomness, features and folds in sorted order, so the same examples give the same bytes.
//!
//! Why not linfa-logistic: it fits dense `ndarray` matrices (here 2,500 texts by ~10^6 hashed features), and
//! brings ndarray and argmin into the build for what is one convex objective; this file is that objective,
//! its gradient and a textbook L-BFGS (Nocedal & Wright, algorithm 7.4), tested below.

use std::collections::{BTreeMap, VecDeque};

use crate::model::{features, Blob, Model};
use crate::normalize::Normalized;

/// One labelled text.
#[derive(Debug, Clone)]
pub struct Example {
    /// The text (title and body).
    pub text: String,
    /// Scam (true) or legit.
    pub scam: bool,
    /// Language code, for reports.
    pub lang: String,
    /// File it came from, for reports.
    pub file: String,
    /// Source group: texts of one group are always in the same fold. A group `source~key` (near-duplicates of
    /// one source, see `jobguard train --groups near`) weighs by its whole source in [`sample_weights`].
    pub group: String,
}

/// Settings of a fit.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Hash width in bits.
    pub bits: u8,
    /// L2 penalty (on the mean weighted loss). 1e-4 rather than 5e-5: cross-validated (near-duplicate
    /// groups), the same recall or better on every scam file with fewer false alarms on Korean headlines.
    pub l2: f64,
    /// Most L-BFGS iterations.
    pub iterations: usize,
    /// Most features kept (largest weights first).
    pub max_entries: usize,
    /// How far each feature's value leans on its naive-Bayes log-count ratio (NBSVM, Wang and Manning 2012):
    /// the fit sees the feature at `(1 - nb_beta) + nb_beta * |r|` times its idf ([`nb_ratios`]); 0 is plain
    /// logistic regression.
    pub nb_beta: f64,
    /// Fits again on only the `max_entries` features kept, from the weights of the fit before: the kept weights
    /// then make up for the pruned ones instead of being cut from a fit that leaned on them.
    pub refits: usize,
}

impl Default for Params {
    /// The fit that ships: `nb_beta` 0.2 and one refit. Against plain logistic regression with no refit (`--nb-beta
    /// 0 --refits 0`), it flags 296 of EMSCAD's 425 frauds instead of 285 under nested CV near, with no ordinary
    /// file flagged more, near or by source (`docs/accuracy-history.md`, branch `emlearn`).
    fn default() -> Self {
        Params { bits: 20, l2: 1e-4, iterations: 300, max_entries: 40_000, nb_beta: 0.2, refits: 1 }
    }
}

/// A text as the fit sees it: its distinct features and the value each takes ([`crate::model::feature_value`]).
struct Doc {
    feats: Vec<u32>,
    value: f64,
}

fn featurise(text: &str, bits: u8) -> Doc {
    let norm = Normalized::new(text);
    let mut feats = Vec::new();
    let n = features::for_each(&norm.text, u32::from(bits), |h, _, _| feats.push(h)).total;
    feats.sort_unstable();
    feats.dedup();
    Doc { feats, value: crate::model::feature_value(n) }
}

/// The source of a fold group: the part before `~` (see [`Example::group`]).
fn source_of(group: &str) -> &str {
    group.split('~').next().unwrap_or(group)
}

/// Sample weights: `1 / sqrt(size of the source)`, then scaled so that within each language scam and
/// legit texts weigh the same in total (so the model cannot learn a language's share of scams from words that
/// only say which language it is), each language keeping its number of texts as its total weight.
pub fn sample_weights(examples: &[Example]) -> Vec<f64> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut langs: BTreeMap<&str, (usize, bool, bool)> = BTreeMap::new();
    for e in examples {
        *sizes.entry(source_of(&e.group)).or_default() += 1;
        let l = langs.entry(&e.lang).or_default();
        l.0 += 1;
        l.1 |= e.scam;
        l.2 |= !e.scam;
    }
    let mut w: Vec<f64> = examples.iter().map(|e| 1.0 / (sizes[source_of(&e.group)] as f64).sqrt()).collect();
    let mut cells: BTreeMap<(&str, bool), f64> = BTreeMap::new();
    for (e, w) in examples.iter().zip(&w) {
        *cells.entry((&e.lang, e.scam)).or_default() += w;
    }
    for (e, w) in examples.iter().zip(w.iter_mut()) {
        let (n, both_scam, both_legit) = langs[e.lang.as_str()];
        let share = if both_scam && both_legit { 0.5 } else { 1.0 };
        *w *= share * n as f64 / cells[&(e.lang.as_str(), e.scam)];
    }
    w
}

/// Fits a model on `examples` (with `weights`), pruned and quantised.
pub fn fit(examples: &[Example], weights: &[f64], p: Params) -> Blob {
    let docs: Vec<Doc> = examples.iter().map(|e| featurise(&e.text, p.bits)).collect();
    // Columns: the features that occur, in hash order.
    let mut cols: Vec<u32> = docs.iter().flat_map(|d| d.feats.iter().copied()).collect();
    cols.sort_unstable();
    cols.dedup();
    let col_of = |h: u32| cols.binary_search(&h).expect("every feature has a column");
    let rows: Vec<Vec<usize>> = docs.iter().map(|d| d.feats.iter().map(|&h| col_of(h)).collect()).collect();
    let ys: Vec<f64> = examples.iter().map(|e| if e.scam { 1.0 } else { 0.0 }).collect();
    let n = cols.len();
    // Inverse document frequency: a feature found in few texts counts for more than one found in many (as in
    // tf-idf). The fit works on `u` with the weight `u * idf` (the penalty on `u`), so the stored weight holds
    // the idf and scoring needs no table of its own. Measured on EMSCAD (grouped 5-fold, English): at 1.4% false
    // alarms on its legit ads, 63% of its frauds flagged with idf, 50% without.
    let mut df = vec![0u32; n];
    for row in &rows {
        for &c in row {
            df[c] += 1;
        }
    }
    let docs_n = rows.len() as f64;
    let idf: Vec<f64> = df.iter().map(|&d| ((1.0 + docs_n) / (1.0 + f64::from(d))).ln() + 1.0).collect();
    let scale: Vec<f64> = if p.nb_beta == 0.0 {
        idf
    } else {
        let r = nb_ratios(&rows, &ys, weights, n);
        idf.iter().zip(&r).map(|(i, r)| i * ((1.0 - p.nb_beta) + p.nb_beta * r)).collect()
    };
    let mut x = fit_columns(&rows, &docs, &ys, weights, &scale, vec![0.0; n + 1], p);
    for _ in 0..p.refits {
        let w: Vec<f64> = x[..n].iter().zip(&scale).map(|(u, i)| u * i).collect();
        let keep = largest(&w, p.max_entries);
        let kept: Vec<Vec<usize>> = rows.iter().map(|r| r.iter().copied().filter(|&c| keep[c]).collect()).collect();
        x.iter_mut().zip(&keep).filter(|(_, k)| !**k).for_each(|(u, _)| *u = 0.0);
        x = fit_columns(&kept, &docs, &ys, weights, &scale, x, p);
    }
    let w: Vec<f64> = x[..n].iter().zip(&scale).map(|(u, i)| u * i).collect();
    quantise(&cols, &w, x[n], p)
}

/// Each column's naive-Bayes log-count ratio, unsigned: `|ln((a + 1) / (A + 2)) - ln((b + 1) / (B + 2))|`, `a`
/// and `b` the sample weight of the scam and legit texts holding the feature, `A` and `B` of all scam and legit
/// texts (add-one smoothed). A word that splits the classes takes a larger value, so the L2 penalty costs it
/// less; the sign stays the fit's (the penalty is symmetric, so scaling by `r` or `|r|` fits the same model).
fn nb_ratios(rows: &[Vec<usize>], ys: &[f64], weights: &[f64], n: usize) -> Vec<f64> {
    let (mut a, mut b) = (vec![0.0f64; n], vec![0.0f64; n]);
    let (mut ta, mut tb) = (0.0, 0.0);
    for (row, (&y, &s)) in rows.iter().zip(ys.iter().zip(weights)) {
        let (side, total) = if y > 0.5 { (&mut a, &mut ta) } else { (&mut b, &mut tb) };
        *total += s;
        row.iter().for_each(|&c| side[c] += s);
    }
    a.iter().zip(&b).map(|(a, b)| (((a + 1.0) / (ta + 2.0)).ln() - ((b + 1.0) / (tb + 2.0)).ln()).abs()).collect()
}

/// Which of `w` are among the `most` largest by size (ties by column, so deterministic).
fn largest(w: &[f64], most: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..w.len()).filter(|&c| w[c] != 0.0).collect();
    order.sort_by(|&a, &b| w[b].abs().total_cmp(&w[a].abs()).then(a.cmp(&b)));
    let mut keep = vec![false; w.len()];
    order.iter().take(most).for_each(|&c| keep[c] = true);
    keep
}

/// The L2-regularised weighted logistic fit of `u` (and the bias, last) from `x`, over the columns of `rows`,
/// each column's value being `scale * v(n)`.
fn fit_columns(
    rows: &[Vec<usize>],
    docs: &[Doc],
    ys: &[f64],
    weights: &[f64],
    scale: &[f64],
    x: Vec<f64>,
    p: Params,
) -> Vec<f64> {
    let n = scale.len();
    let total: f64 = weights.iter().sum::<f64>().max(1e-12);
    let objective = |x: &[f64], g: &mut [f64]| -> f64 {
        g.iter_mut().for_each(|v| *v = 0.0);
        let b = x[n];
        let mut loss = 0.0;
        for ((row, d), (&y, &s)) in rows.iter().zip(docs).zip(ys.iter().zip(weights)) {
            let z = b + d.value * row.iter().map(|&c| x[c] * scale[c]).sum::<f64>();
            // log(1 + e^z) - y z, computed without overflow.
            loss += s * (if z > 0.0 { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() } - y * z) / total;
            let r = s * (1.0 / (1.0 + (-z).exp()) - y) / total;
            for &c in row {
                g[c] += r * d.value * scale[c];
            }
            g[n] += r;
        }
        for c in 0..n {
            loss += 0.5 * p.l2 * x[c] * x[c];
            g[c] += p.l2 * x[c];
        }
        loss
    };
    lbfgs(objective, x, p.iterations)
}

/// Keeps the `max_entries` largest weights that stay non-zero at i8 precision.
fn quantise(cols: &[u32], w: &[f64], bias: f64, p: Params) -> Blob {
    let max = w.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let mut keep: Vec<(u32, f64)> =
        cols.iter().zip(w).filter(|(_, v)| (*v / scale).round() != 0.0).map(|(&h, &v)| (h, v)).collect();
    // Largest first, ties by hash: deterministic.
    keep.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    keep.truncate(p.max_entries);
    let mut entries: Vec<(u32, i8)> = keep.iter().map(|&(h, v)| (h, (v / scale).round() as i8)).collect();
    entries.sort_unstable();
    Blob { bits: p.bits, bias: bias as f32, scale: scale as f32, entries }
}

/// Minimises `f` (which writes its gradient into the second argument) from `x`: L-BFGS with 8 pairs and a
/// backtracking (Armijo) line search.
pub fn lbfgs(f: impl Fn(&[f64], &mut [f64]) -> f64, mut x: Vec<f64>, iterations: usize) -> Vec<f64> {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut hist: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::new();
    let (mut xn, mut gn) = (vec![0.0; n], vec![0.0; n]);
    for _ in 0..iterations {
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(hist.len());
        for (s, y, rho) in hist.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(y).for_each(|(q, y)| *q -= a * y);
            alphas.push(a);
        }
        let gamma = match hist.back() {
            Some((s, y, _)) => dot(s, y) / dot(y, y),
            None => 1.0 / dot(&g, &g).sqrt().max(1.0),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for ((s, y, rho), a) in hist.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            q.iter_mut().zip(s).for_each(|(q, s)| *q += (a - b) * s);
        }
        let mut slope = -dot(&g, &q);
        if slope >= 0.0 {
            hist.clear();
            q.clone_from(&g);
            slope = -dot(&g, &g);
        }
        let mut step = 1.0;
        let mut fnew;
        loop {
            xn.iter_mut().zip(x.iter().zip(&q)).for_each(|(xn, (x, q))| *xn = x - step * q);
            fnew = f(&xn, &mut gn);
            if fnew <= fx + 1e-4 * step * slope || step < 1e-12 {
                break;
            }
            step *= 0.5;
        }
        let s: Vec<f64> = xn.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = gn.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-15 {
            hist.push_back((s, y, 1.0 / sy));
            if hist.len() > 8 {
                hist.pop_front();
            }
        }
        std::mem::swap(&mut x, &mut xn);
        std::mem::swap(&mut g, &mut gn);
        let done = (fx - fnew).abs() <= 1e-10 * fx.abs().max(1.0);
        fx = fnew;
        if done {
            break;
        }
    }
    x
}

/// Assigns source groups to `k` folds: largest groups first, each to the fold holding the fewest texts of its
/// file so far (then the fewest texts overall, then the lowest fold), groups of equal size in name order; a
/// group's file is that of its first text. Balancing each file across the folds keeps every fold's model
/// fitted on a fair share of each kind of text (filling folds by total size alone could leave one file's small
/// groups bunched in a few folds).
/// Returns the fold of each example.
pub fn folds(examples: &[Example], k: usize) -> Vec<usize> {
    let mut sizes: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for e in examples {
        sizes.entry(&e.group).or_insert((0, &e.file)).0 += 1;
    }
    let mut groups: Vec<(&str, usize, &str)> = sizes.into_iter().map(|(g, (n, f))| (g, n, f)).collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let k = k.max(1);
    let mut load = vec![0usize; k];
    let mut file_load: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut fold_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (g, n, file) in groups {
        let per_file = file_load.entry(file).or_insert_with(|| vec![0; k]);
        let f = (0..k).min_by_key(|&f| (per_file[f], load[f], f)).expect("k >= 1");
        per_file[f] += n;
        load[f] += n;
        fold_of.insert(g, f);
    }
    examples.iter().map(|e| fold_of[e.group.as_str()]).collect()
}

/// Out-of-fold raw scores: for each fold, fit on the others and score its texts with the quantised model,
/// exactly as the classifier would.
pub fn out_of_fold(examples: &[Example], k: usize, p: Params) -> Vec<f64> {
    let fold = folds(examples, k);
    let mut raw = vec![0.0; examples.len()];
    for f in 0..k {
        let train: Vec<Example> = examples.iter().zip(&fold).filter(|(_, &x)| x != f).map(|(e, _)| e.clone()).collect();
        if train.is_empty() || train.iter().all(|e| e.scam) || train.iter().all(|e| !e.scam) {
            continue;
        }
        let model = Model::new(&fit(&train, &sample_weights(&train), p));
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| fold[*i] == f) {
            raw[i] = model.analyse(&Normalized::new(&e.text).text, false).raw;
        }
    }
    raw
}

/// Platt scaling: `a`, `b` such that `1 / (1 + exp(-(a raw + b)))` fits the labels (with Platt's smoothed
/// targets), by Newton's method on the two parameters.
pub fn platt(raw: &[f64], scam: &[bool]) -> [f64; 2] {
    let pos = scam.iter().filter(|&&s| s).count() as f64;
    let neg = scam.len() as f64 - pos;
    let (hi, lo) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let (mut a, mut b) = (1.0, 0.0);
    for _ in 0..100 {
        let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 1e-9, 0.0, 1e-9);
        for (&x, &s) in raw.iter().zip(scam) {
            let t = if s { hi } else { lo };
            let p = 1.0 / (1.0 + (-(a * x + b)).exp());
            let d = p - t;
            let w = p * (1.0 - p);
            ga += d * x;
            gb += d;
            haa += w * x * x;
            hab += w * x;
            hbb += w;
        }
        let det = haa * hbb - hab * hab;
        if det.abs() < 1e-18 {
            break;
        }
        let da = (hbb * ga - hab * gb) / det;
        let db = (haa * gb - hab * ga) / det;
        a -= da;
        b -= db;
        if da.abs() + db.abs() < 1e-10 {
            break;
        }
    }
    [a, b]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, scam: bool, group: &str) -> Example {
        Example { text: text.into(), scam, lang: "en".into(), file: "t".into(), group: group.into() }
    }

    fn toy() -> Vec<Example> {
        let mut v = Vec::new();
        for i in 0..20 {
            v.push(ex(&format!("easy money telegram job offer {}", ["now", "today", "fast"][i % 3]), true, "a"));
            v.push(ex(
                &format!("accountant position benefits pension team {}", ["now", "today", "fast"][i % 3]),
                false,
                "b",
            ));
        }
        v
    }

    #[test]
    fn lbfgs_minimises_a_quadratic() {
        let f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 3.0);
            g[1] = 20.0 * (x[1] + 1.0);
            (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
        };
        let x = lbfgs(f, vec![0.0, 0.0], 100);
        assert!((x[0] - 3.0).abs() < 1e-5 && (x[1] + 1.0).abs() < 1e-5, "{x:?}");
    }

    #[test]
    fn fitting_is_deterministic_and_separates_the_classes() {
        let data = toy();
        let w = sample_weights(&data);
        let a = fit(&data, &w, Params::default());
        let b = fit(&data, &w, Params::default());
        assert_eq!(a.encode(), b.encode(), "same input, same bytes");
        let m = Model::new(&a);
        let scam = m.analyse("telegram easy money", false).raw;
        let legit = m.analyse("pension benefits accountant", false).raw;
        assert!(scam > 0.0 && legit < 0.0, "{scam} {legit}");
    }

    #[test]
    fn nb_ratios_are_large_for_words_that_split_the_classes() {
        // Column 0 in every scam text only, 1 in every text, 2 in one legit text.
        let rows = vec![vec![0, 1], vec![0, 1], vec![1], vec![1, 2]];
        let ys = [1.0, 1.0, 0.0, 0.0];
        let r = nb_ratios(&rows, &ys, &[1.0; 4], 3);
        assert!(r[1].abs() < 1e-12, "a word in every text says nothing: {r:?}");
        assert!(r[0] > r[2] && r[2] > 0.0, "{r:?}");
    }

    #[test]
    fn largest_keeps_the_biggest_weights_by_size() {
        let keep = largest(&[0.5, -2.0, 0.0, 1.0, -0.1], 2);
        assert_eq!(keep, [false, true, false, true, false]);
        assert_eq!(largest(&[0.0, 1.0], 5), [false, true], "a zero weight is never kept");
    }

    #[test]
    fn refitting_keeps_at_most_max_entries_and_still_separates() {
        let data = toy();
        let w = sample_weights(&data);
        let p = Params { max_entries: 3, nb_beta: 0.2, refits: 1, ..Params::default() };
        let blob = fit(&data, &w, p);
        assert!(!blob.entries.is_empty() && blob.entries.len() <= 3, "{}", blob.entries.len());
        let m = Model::new(&blob);
        let scam = m.analyse("telegram easy money job offer", false).raw;
        let legit = m.analyse("accountant position benefits pension team", false).raw;
        assert!(scam > legit, "{scam} {legit}");
    }

    #[test]
    fn weights_balance_classes_within_languages_and_sources() {
        let mut data = toy();
        data.push(ex("x", true, "c"));
        data.push(Example { lang: "ko".into(), ..ex("y", true, "d") });
        data.push(Example { lang: "ko".into(), ..ex("z", false, "e") });
        data.push(Example { lang: "ko".into(), ..ex("z", false, "e") });
        let w = sample_weights(&data);
        let sum = |lang: &str, scam: bool| {
            data.iter().zip(&w).filter(|(e, _)| e.scam == scam && e.lang == lang).map(|(_, w)| w).sum::<f64>()
        };
        assert!((sum("en", true) - sum("en", false)).abs() < 1e-9);
        assert!((sum("ko", true) - sum("ko", false)).abs() < 1e-9);
        assert!((sum("ko", true) + sum("ko", false) - 3.0).abs() < 1e-9, "a language weighs its size");
        assert!(w[40] > w[0], "a text of a small source weighs more than one of a large source");
    }

    #[test]
    fn folds_keep_sources_together() {
        let data: Vec<Example> = (0..30).map(|i| ex("t", i % 2 == 0, &format!("g{}", i % 7))).collect();
        let f = folds(&data, 3);
        for (a, fa) in data.iter().zip(&f) {
            for (b, fb) in data.iter().zip(&f) {
                if a.group == b.group {
                    assert_eq!(fa, fb);
                }
            }
        }
        assert_eq!((0..3).filter(|k| f.contains(k)).count(), 3);
    }

    #[test]
    fn platt_recovers_a_logistic_curve() {
        // Scores whose true probability is sigmoid(2x - 1): many texts at each score in proportion.
        let mut raw = Vec::new();
        let mut scam = Vec::new();
        for i in -20..=20 {
            let x = f64::from(i) / 5.0;
            let p = 1.0 / (1.0 + (-(2.0 * x - 1.0)).exp());
            let pos = (p * 1000.0).round() as usize;
            for j in 0..1000 {
                raw.push(x);
                scam.push(j < pos);
            }
        }
        let [a, b] = platt(&raw, &scam);
        assert!((a - 2.0).abs() < 0.05 && (b + 1.0).abs() < 0.05, "{a} {b}");
    }
}
