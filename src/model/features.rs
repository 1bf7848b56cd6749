//! The model's features: hashed word unigrams and bigrams (Latin and other spaced scripts), syllable bigrams
//! and short words (Korean), character bigrams and trigrams (Chinese, Japanese, Thai), read from the
//! normalised view of a text, with source markers neutralised.
//!
//! Neutralised (never a feature): numbers and tokens with digits (phone numbers, ids, amounts, the numbering
//! of a job board's lists: the pay parser reads pay), URLs, e-mail addresses and the datasets' anonymisation tokens (`#URL_…#`), and the
//! words SMS gateways, spam reports and crawlers add around a text (`[Web발신]`, `(광고)`, `무료수신거부`,
//! `MMS`, a job board's field labels). They tell which channel a text came through, not whether it is a scam.

/// Kinds of feature, hashed in so that a Korean word and a Chinese bigram of the same bytes differ.
const WORD: u8 = 1;
const WORD_BIGRAM: u8 = 2;
const HANGUL_PAIR: u8 = 3;
const HANGUL_WORD: u8 = 4;
const CJK: u8 = 5;
const THAI: u8 = 6;

/// Latin-script (and other spaced-script) tokens that mark a channel or a dataset, not a scam.
const STOP_WORDS: &[&str] = &[
    "web", "mms", "sms", "kisa", "fw", "url", "email", "phone", "http", "https", "www", "tm", "tms", "amp", "nbsp",
    "xx",
];
/// Parts of Korean words that mark an SMS gateway or a spam report (`[Web발신]`, `(광고)`, `무료수신거부`,
/// `스팸신고`, `[국외발신]`, `[제목없음]`).
const STOP_HANGUL_PARTS: &[&str] = &["발신", "스팸", "거부", "광고", "제목없음"];
/// Korean words of the spam-report footer (`KISA 신고 메시지`), and the section headings of one job board's
/// template (`주요업무`, `자격요건`, `우대사항`, `혜택 및 복지`).
const STOP_HANGUL: &[&str] = &["신고", "메시지", "주요업무", "자격요건", "우대사항", "혜택"];
/// Field labels of crawled job boards (51job's `薪资：`, `地区：` ...) and Thai company-name suffixes as
/// JobThai prints them: the layout of one crawler.
const STOP_CJK: &[&str] = &["薪资", "地区", "经验", "学历", "招聘人数", "工作内容", "其他要求", "上班地址"];
const STOP_THAI: &[&str] = &["มหาชน"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Sep,
    Word,
    Hangul,
    Cjk,
    Thai,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() { Class::Word } else { Class::Sep };
    }
    match c {
        '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => Class::Hangul,
        '\u{0E01}'..='\u{0E4E}' => Class::Thai,
        '\u{3040}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' => Class::Cjk,
        // Latin letters with accents (Vietnamese, Indonesian) without std's slow table walk.
        _ if crate::normalize::is_latin_alnum(c) => Class::Word,
        _ if c.is_alphanumeric() || crate::nfkc::is_combining_mark(c) => Class::Word,
        _ => Class::Sep,
    }
}

/// FNV-1a over the kind and the parts (a 0xFF byte between parts, which UTF-8 never holds), then a final mix.
fn hash(kind: u8, parts: &[&str], bits: u32) -> u32 {
    let mut h = fnv(FNV_OFFSET, &[kind]);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = fnv(h, &[0xFF]);
        }
        h = fnv(h, p.as_bytes());
    }
    finish(h, bits)
}

/// FNV-1a's starting state.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a state `h` after eating `bytes`. Split from [`hash`] so that a trigram can go on from its bigram's
/// state (same result as hashing it whole).
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The final mix of [`hash`], down to `bits` bits.
fn finish(mut h: u64, bits: u32) -> u32 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> (64 - bits)) as u32
}

/// Whether a whitespace-separated chunk is a URL, a bare domain (`me2.kr/x`, `bit.ly`), an e-mail address or an
/// anonymisation token.
fn is_address(chunk: &str) -> bool {
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

/// The script a text is mostly written in, as the model reads it: the class of characters that produced most
/// of its features. The model's steps can differ by script ([`crate::pack::ModelSpec::scripts`]), because how
/// high ordinary texts score differs by script (a Korean headline is short; an English posting is long).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Script {
    /// Latin and other spaced scripts (English, Vietnamese, Indonesian ...).
    Latin,
    /// Hangul.
    Hangul,
    /// Chinese characters and kana.
    Cjk,
    /// Thai.
    Thai,
}

impl Script {
    /// Every script, in the order of [`Produced::by_script`].
    pub const ALL: [Script; 4] = [Script::Latin, Script::Hangul, Script::Cjk, Script::Thai];

    /// Its name in packs: `latin`, `hangul`, `cjk`, `thai`.
    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Hangul => "hangul",
            Script::Cjk => "cjk",
            Script::Thai => "thai",
        }
    }
}

/// How many features a text produced, in all and per script.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Produced {
    /// Features produced.
    pub total: usize,
    /// Features produced by each script, in the order of [`Script::ALL`].
    pub by_script: [usize; 4],
}

impl Produced {
    /// The script that produced most features (the first of [`Script::ALL`] on a tie); `None` for a text
    /// without features.
    pub fn script(&self) -> Option<Script> {
        let (i, &n) = self.by_script.iter().enumerate().rev().max_by_key(|(_, &n)| n)?;
        (n > 0).then_some(Script::ALL[i])
    }
}

/// The model reads at most this many bytes of a text: a posting is far shorter, and the rest of a page that
/// large (a list, a forum thread) would only cost time.
pub const MAX_BYTES: usize = 256 * 1024;

/// Calls `f(feature, start, end)` for every feature of `text` (the normalised view; its first [`MAX_BYTES`]),
/// `start..end` being the feature's bytes in `text`; `bits` is the hash width. Returns how many features were
/// produced, in all and per script.
pub fn for_each(text: &str, bits: u32, mut f: impl FnMut(u32, usize, usize)) -> Produced {
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

/// The first syllable of each of [`STOP_HANGUL_PARTS`] (a test keeps the two in step).
const STOP_HANGUL_FIRSTS: [char; 5] = ['발', '스', '거', '광', '제'];

/// Whether a Hangul token holds one of [`STOP_HANGUL_PARTS`]. Every part is Hangul (three bytes a syllable),
/// so only the syllable offsets are tried, and only where a part's first syllable is (a few comparisons of
/// the decoded character, not a decoding of each part's first syllable at each offset).
fn has_stop_hangul_part(tok: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for_each(text, 20, |_, s, e| out.push(&text[s..e]));
        out
    }

    #[test]
    fn latin_words_and_bigrams() {
        assert_eq!(feats("easy money, fast"), vec!["easy", "money", "easy money", "fast", "money, fast"]);
    }

    #[test]
    fn numbers_addresses_and_source_markers_are_not_features() {
        assert_eq!(feats("call 0805501336 https://t.me/x a@b.c #url_0b7f# web me2.kr/ab bit.ly"), vec!["call"]);
        assert_eq!(feats("e.g. now"), vec!["e", "g", "e.g", "now", "g. now"], "an abbreviation is no domain");
        assert_eq!(feats("[web발신](광고) 무료수신거부 고수익"), vec!["고수익", "고수", "수익"]);
        assert_eq!(feats("薪资：高"), vec!["高"]);
    }

    #[test]
    fn spaced_letters_joined_by_the_normalised_view_read_as_the_plain_word() {
        let hashes = |t: &str| {
            let mut h = Vec::new();
            for_each(&crate::normalize::Normalized::new(t).text, 20, |x, _, _| h.push(x));
            h
        };
        assert_eq!(hashes("an t e l e g r a m"), hashes("an telegram"));
        assert_eq!(hashes("xy 고 수 익"), hashes("xy 고수익"));
        assert_ne!(hashes("a b and c"), hashes("aband c"), "two one-letter words stay apart");
    }

    #[test]
    fn the_script_is_the_one_that_produced_most_features() {
        let script = |t: &str| for_each(t, 20, |_, _, _| {}).script();
        assert_eq!(script("easy money fast"), Some(Script::Latin));
        assert_eq!(script("텔레그램 문의 고수익 jobs"), Some(Script::Hangul));
        assert_eq!(script("高薪招聘 apply now"), Some(Script::Cjk));
        assert_eq!(script("งานง่าย"), Some(Script::Thai));
        assert_eq!(script("12345 ..."), None);
        let p = for_each("easy 고수익", 20, |_, _, _| {});
        assert_eq!(p.total, p.by_script.iter().sum::<usize>());
        assert_eq!(p.by_script[Script::Latin as usize], 1);
    }

    #[test]
    fn bigrams_and_trigrams_hashed_on_from_the_bigram_agree_with_hashing_each_whole() {
        for run in ["高薪招聘", "高薪", "งานง่ายรายได้ดี", "募集要項カスタマー", "ab"]
        {
            let mut fast = Vec::new();
            grams(run, (0, run.len()), CJK, &[1, 2, 3], 20, &mut Scratch::default(), &mut |h, s, e| {
                fast.push((h, s, e))
            });
            let b: Vec<usize> = run.char_indices().map(|(i, _)| i).chain([run.len()]).collect();
            let mut whole = Vec::new();
            for n in [2, 3] {
                for i in 0..(b.len() - 1).saturating_sub(n - 1) {
                    whole.push((hash(CJK, &[&run[b[i]..b[i + n]]], 20), b[i], b[i + n]));
                }
            }
            assert_eq!(fast, whole, "{run}");
        }
    }

    #[test]
    fn words_are_the_pieces_split_gives() {
        for t in ["", " ", "a", "easy  money ", " 텔 레 그 램 x", "ไทย é\u{301}x  "] {
            assert_eq!(words(t).collect::<Vec<_>>(), t.split(' ').collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn stop_firsts_are_the_first_syllables_of_the_stop_parts() {
        let mut firsts: Vec<char> = STOP_HANGUL_PARTS.iter().map(|p| p.chars().next().unwrap()).collect();
        firsts.dedup();
        assert_eq!(firsts, STOP_HANGUL_FIRSTS);
    }

    #[test]
    fn stop_parts_are_found_as_contains_finds_them() {
        for tok in ["web발신", "무료수신거부", "광고", "스팸신고", "제목없음입니다", "발", "고수익", "발신자광고", ""]
        {
            let contains = STOP_HANGUL_PARTS.iter().any(|p| tok.contains(p));
            assert_eq!(has_stop_hangul_part(tok), contains, "{tok}");
        }
    }

    #[test]
    fn latin_letters_read_as_words_as_std_reads_them() {
        for c in ('\u{80}'..='\u{24F}').chain('\u{1E00}'..='\u{1EFF}') {
            let std = if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
                Class::Word
            } else {
                Class::Sep
            };
            assert_eq!(class(c), std, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn cjk_and_thai_use_character_grams() {
        assert_eq!(feats("高薪招聘"), vec!["高薪", "薪招", "招聘", "高薪招", "薪招聘"]);
        assert_eq!(feats("งานง่าย"), vec!["งา", "าน", "นง", "ง่", "่า", "าย", "งาน", "านง", "นง่", "ง่า", "่าย"]);
    }

    #[test]
    fn spans_fall_on_character_boundaries_and_hashes_are_stable() {
        let text = "ｔｅｌｅｇｒａｍ 텔레그램 文字 ไทย é\u{301}x";
        for_each(text, 20, |h, s, e| {
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e) && s < e);
            assert!(h < 1 << 20);
        });
        // The hash is part of the pack format: it must not change between builds or targets (values computed
        // independently, in Python, from the definition).
        assert_eq!(hash(WORD, &["telegram"], 20), 0xbf65);
        assert_eq!(hash(CJK, &["高薪"], 20), 0xea2e);
    }
}
