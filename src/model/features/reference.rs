//! The feature extraction as it was before the byte-level walk of [`super::for_each`]: a chunk at a time
//! (split on spaces), each chunk's characters classed one by one through `char_indices`, every n-gram's
//! character offsets collected. Kept, for tests only, as the definition the fast walk must agree with.

use super::{class, finish, fnv, hash, Class, Produced, Script, FNV_OFFSET, MAX_BYTES};
use super::{CJK, HANGUL_PAIR, HANGUL_WORD, STOP_CJK, STOP_HANGUL, STOP_HANGUL_PARTS, STOP_THAI, STOP_WORDS, THAI};
use super::{WORD, WORD_BIGRAM};

/// Calls `f(feature, start, end)` for every feature of `text` (the normalised view; its first [`MAX_BYTES`]),
/// `start..end` being the feature's bytes in `text`; `bits` is the hash width. Returns how many features were
/// produced, in all and per script.
pub(super) fn for_each(text: &str, bits: u32, mut f: impl FnMut(u32, usize, usize)) -> Produced {
    let mut cut = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let mut scratch = Scratch::default();
    let mut produced = Produced::default();
    let mut emit = |script: Script, h: u32, s: usize, e: usize| {
        produced.total += 1;
        produced.by_script[script as usize] += 1;
        f(h, s, e);
    };
    // The previous Latin word kept, for bigrams; reset by any other token.
    let mut prev: Option<(usize, usize)> = None;
    let mut offset = 0;
    for chunk in words(text) {
        let base = offset;
        offset += chunk.len() + 1;
        if is_address(chunk) {
            prev = None;
            continue;
        }
        let mut run_start = 0;
        let mut run_class = Class::Sep;
        let mut chars = chunk.char_indices().peekable();
        loop {
            let next = chars.next();
            let c = next.map_or(Class::Sep, |(_, ch)| class(ch));
            if c != run_class {
                let end = next.map_or(chunk.len(), |(i, _)| i);
                if run_class != Class::Sep {
                    let t = Token { class: run_class, start: base + run_start, end: base + end };
                    let script = match run_class {
                        Class::Hangul => Script::Hangul,
                        Class::Cjk => Script::Cjk,
                        Class::Thai => Script::Thai,
                        _ => Script::Latin,
                    };
                    token(text, t, bits, &mut prev, &mut scratch, &mut |h, s, e| emit(script, h, s, e));
                }
                run_start = end;
                run_class = c;
            }
            if next.is_none() {
                break;
            }
        }
    }
    produced
}

/// The pieces of `text` between spaces, as `text.split(' ')` gives them (empty ones too), found byte by byte:
/// faster than `split`'s searcher for pieces a few bytes long. A space is ASCII, so every piece starts and
/// ends on a character boundary.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut offset = 0;
    text.as_bytes().split(|&b| b == b' ').map(move |piece| {
        let word = &text[offset..offset + piece.len()];
        offset += piece.len() + 1;
        word
    })
}

/// The first syllable of each of [`STOP_HANGUL_PARTS`].
const STOP_HANGUL_FIRSTS: [char; 5] = ['발', '스', '거', '광', '제'];

/// Whether a Hangul token holds one of [`STOP_HANGUL_PARTS`]. Every part is Hangul (three bytes a syllable),
/// so only the syllable offsets are tried, and only where a part's first syllable is (a few comparisons of
/// the decoded character, not a decoding of each part's first syllable at each offset).
pub(super) fn has_stop_hangul_part(tok: &str) -> bool {
    tok.char_indices()
        .any(|(i, c)| STOP_HANGUL_FIRSTS.contains(&c) && STOP_HANGUL_PARTS.iter().any(|p| tok[i..].starts_with(p)))
}

/// Buffers [`grams`] reuses from one run to the next: character offsets, and the trigrams held back until the
/// bigrams are out.
#[derive(Default)]
struct Scratch {
    bounds: Vec<usize>,
    later: Vec<(u32, usize, usize)>,
}

/// A run of one class of characters: `text[start..end]`.
struct Token {
    class: Class,
    start: usize,
    end: usize,
}

fn token(
    text: &str,
    t: Token,
    bits: u32,
    prev: &mut Option<(usize, usize)>,
    scratch: &mut Scratch,
    emit: &mut impl FnMut(u32, usize, usize),
) {
    let (class, s, e) = (t.class, t.start, t.end);
    let tok = &text[s..e];
    match class {
        Class::Word => {
            if tok.bytes().any(|b| b.is_ascii_digit()) || STOP_WORDS.contains(&tok) {
                *prev = None;
                return;
            }
            emit(hash(WORD, &[tok], bits), s, e);
            if let Some((ps, pe)) = *prev {
                emit(hash(WORD_BIGRAM, &[&text[ps..pe], tok], bits), ps, e);
            }
            *prev = Some((s, e));
            return;
        }
        Class::Hangul => {
            if STOP_HANGUL.contains(&tok) || has_stop_hangul_part(tok) {
                *prev = None;
                return;
            }
            let n = tok.chars().count();
            if n <= 6 {
                emit(hash(HANGUL_WORD, &[tok], bits), s, e);
            }
            grams(text, (s, e), HANGUL_PAIR, &[2], bits, scratch, emit);
        }
        Class::Cjk => {
            if !STOP_CJK.contains(&tok) {
                grams(text, (s, e), CJK, &[1, 2, 3], bits, scratch, emit);
            }
        }
        Class::Thai => {
            if !STOP_THAI.contains(&tok) {
                grams(text, (s, e), THAI, &[2, 3], bits, scratch, emit);
            }
        }
        Class::Sep => {}
    }
    *prev = None;
}

/// Character n-grams of the sizes in `sizes` over `text[s..e]`; a run shorter than every size is one feature.
/// Size 1 is only used for runs of one character (a lone ideograph).
/// `scratch` holds reused buffers.
fn grams(
    text: &str,
    (s, e): (usize, usize),
    kind: u8,
    sizes: &[usize],
    bits: u32,
    scratch: &mut Scratch,
    emit: &mut impl FnMut(u32, usize, usize),
) {
    let run = &text[s..e];
    let bounds = &mut scratch.bounds;
    bounds.clear();
    bounds.extend(run.char_indices().map(|(i, _)| i));
    bounds.push(run.len());
    let chars = bounds.len() - 1;
    if chars < sizes.iter().copied().filter(|&n| n > 1).min().unwrap_or(1) {
        emit(hash(kind, &[run], bits), s, e);
        return;
    }
    if sizes.iter().filter(|&&n| n > 1).eq([2, 3].iter()) {
        // Bigrams, then trigrams, as the loop below gives them, but each trigram hashed on from its bigram's
        // state (FNV-1a runs byte by byte: the state after a prefix is the prefix's). Kept in `later` until
        // every bigram is out.
        let start = fnv(FNV_OFFSET, &[kind]);
        let later = &mut scratch.later;
        later.clear();
        for i in 0..chars - 1 {
            let (a, b) = (bounds[i], bounds[i + 2]);
            let h2 = fnv(start, &run.as_bytes()[a..b]);
            emit(finish(h2, bits), s + a, s + b);
            if i + 3 <= chars {
                let c = bounds[i + 3];
                later.push((finish(fnv(h2, &run.as_bytes()[b..c]), bits), s + a, s + c));
            }
        }
        for &(h, a, c) in later.iter() {
            emit(h, a, c);
        }
        return;
    }
    for &n in sizes.iter().filter(|&&n| n > 1) {
        for i in 0..chars.saturating_sub(n - 1) {
            let (a, b) = (bounds[i], bounds[i + n]);
            emit(hash(kind, &[&run[a..b]], bits), s + a, s + b);
        }
    }
}

/// Whether a whitespace-separated chunk is a URL, a bare domain (`me2.kr/x`, `bit.ly`), an e-mail address or an
/// anonymisation token.
pub(super) fn is_address(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    // Every test below needs one of these bytes: most chunks have none, and are done in one pass.
    if !b.iter().any(|&c| matches!(c, b'.' | b':' | b'@' | b'#')) {
        return false;
    }
    let domain = (1..b.len().saturating_sub(1)).any(|i| {
        b[i] == b'.'
            && b[i - 1].is_ascii_alphanumeric()
            && b[i + 1..].iter().take_while(|c| c.is_ascii_lowercase()).count() >= 2
    });
    domain
        || chunk.contains("://")
        || chunk.contains('@')
        || (chunk.len() > 2 && chunk.starts_with('#') && chunk.contains('_'))
}
