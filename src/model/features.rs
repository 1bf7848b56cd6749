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

/// Latin-script (and other spaced-script) tokens that mark a channel or a dataset, not a scam. The walk matches
/// them by [`is_stop_word`]; a test keeps the two in step.
#[cfg_attr(not(test), allow(dead_code))]
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

/// The class of a character. Inlined where the walk classes each character, the rarer characters (neither
/// ASCII nor Hangul, CJK or Thai) go to [`other_class`].
#[inline]
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
        // CJK punctuation (`、`, `。`, brackets), frequent in Chinese and Japanese text, without std's slow
        // table walk; the block's letters, numerals and marks (U+3005..U+3007, U+3021..) are left to it.
        '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' => Class::Sep,
        _ => other_class(c),
    }
}

/// The class of a character of no script [`class`] names: a letter, digit or mark reads as a word character.
#[inline(never)]
fn other_class(c: char) -> Class {
    // Latin letters with accents (Vietnamese, Indonesian) without std's slow table walk.
    if crate::normalize::is_latin_alnum(c) || c.is_alphanumeric() || crate::nfkc::is_combining_mark(c) {
        Class::Word
    } else {
        Class::Sep
    }
}

/// FNV-1a over the kind and the parts (a 0xFF byte between parts, which UTF-8 never holds), then a final mix:
/// the definition of every feature's hash. The walk computes the same values byte by byte as it reads the text
/// (tests compare the two).
#[cfg_attr(not(test), allow(dead_code))]
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

/// [`fnv`] over a run of three-byte characters, a character at a time: the same state (FNV-1a is byte by byte)
/// in a loop the compiler unrolls three times, where [`fnv`] loops over each byte.
#[inline]
fn fnv_wide(h: u64, run: &[u8]) -> u64 {
    debug_assert!(run.len() % 3 == 0, "a run of three-byte characters");
    run.chunks_exact(3).fold(h, fnv)
}

/// The final mix of [`hash`], down to `bits` bits.
fn finish(mut h: u64, bits: u32) -> u32 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    (h >> (64 - bits)) as u32
}

/// Whether a whitespace-separated chunk is a URL, a bare domain (`me2.kr/x`, `bit.ly`), an e-mail address or an
/// anonymisation token. Each test needs a `.`, `:`, `@` or `#`: [`for_each`] only asks about chunks with one.
#[cfg(test)]
fn is_address(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    memchr::memchr3_iter(b'.', b':', b'@', b).any(|i| address_at(b, i)) || is_token(b)
}

/// Whether the `.`, `:` or `@` at `b[i]` makes the chunk holding it an address: a domain (a letter or digit, a dot,
/// two lowercase letters), `://`, or an `@`. `b` may be the chunk or the whole text: the bytes read around the
/// mark are letters, digits or `/` when they make an address, never the space that bounds a chunk, so the
/// answer is the same.
#[inline]
fn address_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'.' => {
            i > 0
                && b[i - 1].is_ascii_alphanumeric()
                && b.get(i + 1..i + 3).is_some_and(|two| two.iter().all(u8::is_ascii_lowercase))
        }
        b':' => b[i + 1..].starts_with(b"//"),
        _ => true, // '@'
    }
}

/// Whether the chunk `b` is an anonymisation token (`#URL_…#`).
#[inline]
fn is_token(b: &[u8]) -> bool {
    b.len() > 2 && b[0] == b'#' && memchr::memchr(b'_', b).is_some()
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
///
/// A feature is read from a token, a run of characters of one [`Class`] inside a whitespace-separated chunk
/// (a chunk that is an address gives none). The text is walked byte by byte, not chunk by chunk and character
/// by character: a space is a separator like any punctuation, so no run crosses it and the runs are those of
/// the chunks; ASCII (most bytes of most pages) is classed by a table; and only the bytes an address needs
/// (found by `memchr`) are tested, a chunk's bounds looked for only where one of them makes an address.
pub fn for_each(text: &str, bits: u32, f: impl FnMut(u32, usize, usize)) -> Produced {
    let mut cut = text.len().min(MAX_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let b = text.as_bytes();
    let mut walk = Walk { text, bits, prev: None, later: Vec::new(), produced: Produced::default(), f };
    // Every byte an address needs (`.`, `:` and `@` by one search, `#` by another), each search going once
    // through the text. A chunk is an address when one of its marks makes it one ([`address_at`], which reads
    // the bytes around the mark only, so the chunk's bounds are looked for only then) or when it is a token
    // (which starts with a `#`). Chunks that are no address are read with the text around them: no run crosses
    // a chunk's bounds (spaces). (Searches from each mark on, not iterators: the Wasm module holds `memchr3`
    // and `memchr` already.)
    let marks = Marks::new();
    let punct_after = |p: usize| marks.find(&b[p..]).map(|q| p + q);
    let hash_after = |p: usize| memchr::memchr(b'#', &b[p..]).map(|q| p + q);
    let (mut punct, mut hash) = (punct_after(0), hash_after(0));
    // The text before `at` is read (or skipped, an address); `at` is 0 or where a chunk ends.
    let mut at = 0;
    loop {
        let t = match (punct, hash) {
            (Some(p), Some(h)) if h < p => {
                hash = hash_after(h + 1);
                h
            }
            (Some(p), _) => {
                punct = punct_after(p + 1);
                p
            }
            (None, Some(h)) => {
                hash = hash_after(h + 1);
                h
            }
            (None, None) => break,
        };
        // A mark inside an address already skipped, or one that makes no address (a `#` may start a token
        // only where a chunk starts): the walk reads on.
        let address = if b[t] == b'#' { t == 0 || b[t - 1] == b' ' } else { address_at(b, t) };
        if t < at || !address {
            continue;
        }
        // A chunk starts after a space, so no run crosses `start` or `end`.
        let (start, end) = (chunk_start(b, at, t), chunk_end(b, t));
        if b[t] == b'#' && !is_token(&b[start..end]) {
            continue;
        }
        walk.runs(at, start);
        walk.prev = None;
        at = end;
    }
    walk.runs(at, b.len());
    let mut produced = walk.produced;
    produced.total = produced.by_script.iter().sum();
    produced
}

/// The search for the next `.`, `:` or `@` (the marks of an address). Natively on x86-64 a searcher built once
/// per text: `memchr3` builds its vectors again at every call, and at a mark every fifty bytes or so (a page's
/// punctuation) that set-up cost more than the search (about 80 of 150 instructions a call). Both find the
/// first of the three bytes: the same position.
struct Marks {
    #[cfg(all(target_arch = "x86_64", not(target_arch = "wasm32")))]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Three>,
}

impl Marks {
    #[inline]
    fn new() -> Marks {
        Marks {
            #[cfg(all(target_arch = "x86_64", not(target_arch = "wasm32")))]
            avx2: memchr::arch::x86_64::avx2::memchr::Three::new(b'.', b':', b'@'),
        }
    }

    /// The offset of the first mark in `hay`.
    #[inline]
    fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(all(target_arch = "x86_64", not(target_arch = "wasm32")))]
        if let Some(avx2) = &self.avx2 {
            return avx2.find(hay);
        }
        memchr::memchr3(b'.', b':', b'@', hay)
    }
}

/// How far from a mark [`chunk_start`] and [`chunk_end`] look for the chunk's space byte by byte before they
/// call `memrchr` or `memchr`: most chunks are a word or two long, and a call with its set-up costs more than a
/// few bytes read one by one (natively; the Wasm module keeps the calls alone and its size).
const NEAR: usize = if cfg!(target_arch = "wasm32") { 0 } else { 16 };

/// Where the chunk holding `b[t]` starts: after the last space of `b[at..t]`, or at `at`.
#[inline]
fn chunk_start(b: &[u8], at: usize, t: usize) -> usize {
    let near = t.saturating_sub(NEAR).max(at);
    match b[near..t].iter().rposition(|&x| x == b' ') {
        Some(s) => near + s + 1,
        None => memchr::memrchr(b' ', &b[at..near]).map_or(at, |s| at + s + 1),
    }
}

/// Where the chunk holding `b[t]` ends: at the first space of `b[t..]`, or at the end.
#[inline]
fn chunk_end(b: &[u8], t: usize) -> usize {
    let near = (t + NEAR).min(b.len());
    match b[t..near].iter().position(|&x| x == b' ') {
        Some(e) => t + e,
        None => memchr::memchr(b' ', &b[near..]).map_or(b.len(), |e| near + e),
    }
}

/// How each byte reads: an ASCII letter, an ASCII digit, an ASCII separator (punctuation, spaces, controls:
/// 0), or a byte of a non-ASCII character. A table of all 256 bytes, so that the walk's loops over ASCII need no
/// test for a byte above 0x7F before reading it.
const ASCII_LETTER: u8 = 1;
const ASCII_DIGIT: u8 = 2;
const NON_ASCII: u8 = 4;
const BYTE_KIND: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if !c.is_ascii() {
            NON_ASCII
        } else if c.is_ascii_digit() {
            ASCII_DIGIT
        } else if c.is_ascii_alphabetic() {
            ASCII_LETTER
        } else {
            0
        };
        i += 1;
    }
    t
};

/// The character at `text[i..]` (a non-ASCII one: the walk reads ASCII by [`BYTE_KIND`]) and its length in
/// bytes, decoded by hand: the text is UTF-8 and `i` is a character boundary (runs end on one).
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let b = text.as_bytes();
    let cont = |k: usize| u32::from(b.get(i + k).map_or(0, |&x| x & 0x3F));
    let lead = u32::from(b[i]);
    let (code, len) = if lead < 0xE0 {
        ((lead & 0x1F) << 6 | cont(1), 2)
    } else if lead < 0xF0 {
        ((lead & 0x0F) << 12 | cont(1) << 6 | cont(2), 3)
    } else {
        ((lead & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4)
    };
    // Valid UTF-8 decodes to a valid character; the fallback (a separator) is never taken.
    (char::from_u32(code).unwrap_or(' '), len)
}

/// The code point of the three-byte UTF-8 character `lead b1 b2` (the caller has checked `lead` starts one).
#[inline(always)]
fn code3(lead: u8, b1: u8, b2: u8) -> u32 {
    u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F)
}

/// Where the run of `run` (Hangul, CJK or Thai) that goes on at `i` ends, before `to`. Every character of those
/// scripts is three bytes long (U+0800..U+FFFF), so the walk decodes three-byte characters only, from their
/// bytes, and asks only whether each is of the run's script ([`in_script`]): about half the instructions
/// `char_at` and [`class`] took per character (the model's 7.72 M -> 7.25 M on the 100 KB benchmark page).
///
/// Natively a loop of its own per script, so that no character asks again which script the run is of (and
/// slices of three bytes, which need no bounds checks).
#[inline]
fn wide_run_end(b: &[u8], i: usize, to: usize, run: Class) -> usize {
    // A run ends before `to` (where a chunk ends): no character of it crosses `to`.
    let chars = b.get(i..to).unwrap_or_default().chunks_exact(3);
    let n = if cfg!(target_arch = "wasm32") {
        run_length(chars, |code| in_script(run, code))
    } else {
        match run {
            Class::Hangul => run_length(chars, |code| in_script(Class::Hangul, code)),
            Class::Cjk => run_length(chars, |code| in_script(Class::Cjk, code)),
            Class::Thai => run_length(chars, |code| in_script(Class::Thai, code)),
            Class::Sep | Class::Word => 0,
        }
    };
    i + 3 * n
}

/// How many of `chars` (three bytes each) are three-byte characters `in_run` says are of the run, from the first.
#[inline(always)]
fn run_length(chars: std::slice::ChunksExact<'_, u8>, in_run: impl Fn(u32) -> bool) -> usize {
    // A lead byte 0xE0..0xEF starts a three-byte character; any other byte ends the run.
    chars.take_while(|c| c[0] & 0xF0 == 0xE0 && in_run(code3(c[0], c[1], c[2]))).count()
}

/// The class of the character `c` starts with when it is a three-byte one of Hangul, CJK or Thai (most
/// non-ASCII characters of most pages), from its bytes; `None` for any other, which [`class`] reads.
#[inline]
fn wide_class(c: &[u8]) -> Option<Class> {
    let &[lead, b1, b2] = c else { return None };
    if lead & 0xF0 != 0xE0 {
        return None;
    }
    // The ranges of `in_script`, in one match: a few comparisons, where asking each class in turn computed them
    // all.
    match code3(lead, b1, b2) {
        0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => Some(Class::Hangul),
        0x0E01..=0x0E4E => Some(Class::Thai),
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Some(Class::Cjk),
        _ => None,
    }
}

/// Whether the three-byte character `code` is of class `run` (Hangul, CJK or Thai): the ranges [`class`] gives
/// those classes (a test tries every three-byte character).
#[inline]
fn in_script(run: Class, code: u32) -> bool {
    match run {
        Class::Hangul => matches!(code, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F),
        Class::Thai => matches!(code, 0x0E01..=0x0E4E),
        Class::Cjk => {
            matches!(code, 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
        }
        Class::Sep | Class::Word => false,
    }
}

/// The state of [`for_each`]'s walk: the text, the previous Latin word kept (for bigrams; reset by any other
/// token and by an address), reused buffers, and what was produced.
struct Walk<'t, F> {
    text: &'t str,
    bits: u32,
    /// The previous Latin word kept, and the FNV state of a bigram that starts with it (kind, word, 0xFF).
    prev: Option<(usize, u64)>,
    /// Trigrams held back until a run's bigrams are out (feature, start; nine bytes long).
    later: Vec<(u32, usize)>,
    produced: Produced,
    f: F,
}

/// FNV-1a states after the kind byte of each kind of feature (computed at compile time).
const WORD_START: u64 = fnv_byte(FNV_OFFSET, WORD);
const WORD_BIGRAM_START: u64 = fnv_byte(FNV_OFFSET, WORD_BIGRAM);

/// [`fnv`] of one byte, usable in constants.
const fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
}

/// The FNV-1a states of a Latin word's features, fed its bytes as the walk reads them (FNV-1a is byte by byte:
/// the state after a prefix is the prefix's): the word's, the bigram's with the previous word kept (on from that
/// word's state), and the one a bigram starting with this word goes on from.
struct WordHashes {
    word: u64,
    pair: u64,
    next: u64,
}

impl WordHashes {
    /// The states before a word's first byte, `prev` being [`Walk::prev`].
    #[inline(always)]
    fn after(prev: Option<(usize, u64)>) -> WordHashes {
        WordHashes { word: WORD_START, pair: prev.map_or(0, |p| p.1), next: WORD_BIGRAM_START }
    }

    /// The states after one more byte.
    #[inline(always)]
    fn eat(&mut self, byte: u8) {
        self.word = fnv_byte(self.word, byte);
        self.pair = fnv_byte(self.pair, byte);
        self.next = fnv_byte(self.next, byte);
    }
}

impl<F: FnMut(u32, usize, usize)> Walk<'_, F> {
    // Inlined, with the caller's `f`, where a feature is produced (native only: the Wasm module stays small).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn emit(&mut self, h: u32, s: usize, e: usize) {
        (self.f)(h, s, e);
    }

    /// Counts `n` features produced by `script`: once a token, not once a feature.
    fn count(&mut self, script: Script, n: usize) {
        self.produced.by_script[script as usize] += n;
    }

    /// Every run of `text[from..to]` (which starts and ends where a chunk does) to its token.
    fn runs(&mut self, from: usize, to: usize) {
        let b = self.text.as_bytes();
        let mut i = from;
        while i < to {
            // Separators (punctuation, spaces), ASCII by the table in a loop of their own.
            i += b[i..to].iter().take_while(|&&x| BYTE_KIND[usize::from(x)] == 0).count();
            let Some(&byte) = b.get(i).filter(|_| i < to) else { break };
            let run = if byte < 0x80 {
                Class::Word
            } else if let Some(run) = b.get(i..i + 3).and_then(wide_class) {
                run
            } else {
                let (c, len) = char_at(self.text, i);
                match class(c) {
                    Class::Sep => {
                        i += len;
                        continue;
                    }
                    run => run,
                }
            };
            let start = i;
            if run == Class::Word {
                // Letters and digits (ASCII by the table, in a loop of their own), letters with accents by
                // `class`.
                // The word's hashes are computed as its bytes are read, not in a second pass over them.
                let mut kinds = 0;
                let mut hashes = WordHashes::after(self.prev);
                while i < to {
                    for &x in &b[i..to] {
                        let kind = BYTE_KIND[usize::from(x)];
                        if kind & (ASCII_LETTER | ASCII_DIGIT) == 0 {
                            break;
                        }
                        kinds |= kind;
                        hashes.eat(x);
                        i += 1;
                    }
                    if i == to || b[i] < 0x80 {
                        break;
                    }
                    let (c, len) = char_at(self.text, i);
                    if class(c) != Class::Word {
                        break;
                    }
                    b[i..i + len].iter().for_each(|&x| hashes.eat(x));
                    i += len;
                }
                self.word(start, i, kinds & ASCII_DIGIT != 0, hashes);
            } else {
                // Hangul, CJK and Thai characters are all three bytes long (U+0800..U+FFFF).
                i = wide_run_end(b, i + 3, to, run);
                self.wide(run, start, i);
            }
        }
    }

    /// A Latin word `text[s..e]`: the word, and the bigram with the previous word kept. A word with a digit
    /// or a stop word resets the bigrams instead.
    /// `hashes` are the FNV states after the word's bytes ([`WordHashes`]).
    fn word(&mut self, s: usize, e: usize, digit: bool, hashes: WordHashes) {
        // Bytes, not a `str`: slicing one checks both ends are character boundaries.
        let tok = &self.text.as_bytes()[s..e];
        if digit || is_stop_word(tok) {
            self.prev = None;
            return;
        }
        self.emit(finish(hashes.word, self.bits), s, e);
        if let Some((ps, _)) = self.prev {
            self.emit(finish(hashes.pair, self.bits), ps, e);
        }
        self.count(Script::Latin, 1 + usize::from(self.prev.is_some()));
        self.prev = Some((s, fnv_byte(hashes.next, 0xFF)));
    }

    /// A Hangul, CJK or Thai token `text[s..e]` (three bytes a character).
    fn wide(&mut self, class: Class, s: usize, e: usize) {
        self.prev = None;
        let tok = &self.text[s..e];
        let (script, kind, trigrams) = match class {
            Class::Hangul => {
                if is_stop_hangul(tok) || has_stop_hangul_part(tok) {
                    return;
                }
                if tok.len() <= 6 * 3 {
                    let h = fnv_wide(fnv_byte(FNV_OFFSET, HANGUL_WORD), tok.as_bytes());
                    self.emit(finish(h, self.bits), s, e);
                    self.count(Script::Hangul, 1);
                }
                (Script::Hangul, HANGUL_PAIR, false)
            }
            Class::Cjk if !STOP_CJK.contains(&tok) => (Script::Cjk, CJK, true),
            Class::Thai if !STOP_THAI.contains(&tok) => (Script::Thai, THAI, true),
            _ => return,
        };
        self.grams(script, kind, trigrams, s, e);
    }

    /// Character bigrams (and trigrams, after them, when `trigrams`) of `text[s..e]`, three bytes a character;
    /// a run of one character is one feature.
    fn grams(&mut self, script: Script, kind: u8, trigrams: bool, s: usize, e: usize) {
        let (bits, b) = (self.bits, self.text.as_bytes());
        let start = fnv_byte(FNV_OFFSET, kind);
        if e - s < 6 {
            self.emit(finish(fnv_wide(start, &b[s..e]), bits), s, e);
            self.count(script, 1);
            return;
        }
        // The run's characters in slices of three bytes (no bounds checks), two or three at a time.
        let mut chars = b[s..e].chunks_exact(3);
        let (Some(mut c0), Some(mut c1)) = (chars.next(), chars.next()) else { return };
        // The buffer and the caller's `f` borrowed apart (`f` called as `emit` calls it), where taking the buffer
        // out of `self` and putting it back cost a few stores a run.
        let (later, f) = (&mut self.later, &mut self.f);
        later.clear();
        let mut a = s;
        loop {
            // Each trigram hashed on from its bigram's state, kept until every bigram is out.
            let h2 = fnv(fnv(start, c0), c1);
            f(finish(h2, bits), a, a + 6);
            let Some(c2) = chars.next() else { break };
            if trigrams {
                later.push((finish(fnv(h2, c2), bits), a));
            }
            (c0, c1, a) = (c1, c2, a + 3);
        }
        for &(h, a) in later.iter() {
            f(h, a, a + 9);
        }
        // A bigram per character but the last, and the trigrams.
        let n = (e - s) / 3 - 1 + later.len();
        self.count(script, n);
    }
}

/// Whether `tok` is one of [`STOP_WORDS`] (a test keeps the two in step). A match on byte strings goes by the
/// length, then byte by byte, where `STOP_WORDS.contains` compared the word with each stop word in turn.
#[inline]
fn is_stop_word(tok: &[u8]) -> bool {
    matches!(
        tok,
        b"web"
            | b"mms"
            | b"sms"
            | b"kisa"
            | b"fw"
            | b"url"
            | b"email"
            | b"phone"
            | b"http"
            | b"https"
            | b"www"
            | b"tm"
            | b"tms"
            | b"amp"
            | b"nbsp"
            | b"xx"
    )
}

/// Whether a Hangul token is one of [`STOP_HANGUL`]. Its first syllable is tried first, by the low six bits of its
/// code point (its third byte's, [`STOP_HANGUL_LOW`]): most tokens are ruled out by one shift, where comparing
/// the token with each word took a dozen instructions or more.
#[inline]
fn is_stop_hangul(tok: &str) -> bool {
    let b = tok.as_bytes();
    b.len() >= 3 && STOP_HANGUL_LOW >> (b[2] & 0x3F) & 1 != 0 && STOP_HANGUL.contains(&tok)
}

/// A bit for the low six bits of the first syllable of each of [`STOP_HANGUL`] (every syllable is three bytes, its
/// low six bits its third byte's): a token whose first syllable's bit is clear is none of them.
const STOP_HANGUL_LOW: u64 = {
    let mut mask = 0u64;
    let mut i = 0;
    while i < STOP_HANGUL.len() {
        mask |= 1 << (STOP_HANGUL[i].as_bytes()[2] & 0x3F);
        i += 1;
    }
    mask
};

/// The first syllable of each of [`STOP_HANGUL_PARTS`] (a test keeps the two in step).
const STOP_HANGUL_FIRSTS: [char; 5] = ['발', '스', '거', '광', '제'];

/// Whether a Hangul token holds one of [`STOP_HANGUL_PARTS`]. Every part and every character of the token is
/// Hangul (three bytes a syllable), so only the syllable offsets are tried, and only where a part's first
/// syllable is. Inlined natively where the walk reads a Hangul token: a call saved and restored more registers
/// than a two-syllable token's loop takes.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn has_stop_hangul_part(tok: &str) -> bool {
    const FIRSTS: [u32; 5] = {
        let mut out = [0u32; 5];
        let mut i = 0;
        while i < 5 {
            out[i] = STOP_HANGUL_FIRSTS[i] as u32;
            i += 1;
        }
        out
    };
    let b = tok.as_bytes();
    // Every part has two syllables or more: none starts at the last syllable.
    let mut k = 0;
    while k + 6 <= b.len() {
        // A syllable's low six bits are its last byte's: one shift of FIRSTS_LOW rules out most syllables
        // without decoding them (four bits of 64 are set, so about one syllable in sixteen is decoded).
        if FIRSTS_LOW >> (b[k + 2] & 0x3F) & 1 != 0 {
            // The syllable's code point, from its three bytes.
            let c = code3(b[k], b[k + 1], b[k + 2]);
            if FIRSTS.contains(&c) && STOP_HANGUL_PARTS.iter().any(|p| b[k..].starts_with(p.as_bytes())) {
                return true;
            }
        }
        k += 3;
    }
    false
}

/// A bit for the low six bits of each of [`STOP_HANGUL_FIRSTS`]' code points: a syllable whose bit is clear is
/// none of them.
const FIRSTS_LOW: u64 = {
    let mut mask = 0u64;
    let mut i = 0;
    while i < STOP_HANGUL_FIRSTS.len() {
        mask |= 1 << (STOP_HANGUL_FIRSTS[i] as u32 % 64);
        i += 1;
    }
    mask
};

#[cfg(test)]
mod reference;

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
        for (run, kind) in [("高薪招聘", CJK), ("高薪", CJK), ("งานง่ายรายได้ดี", THAI), ("募集要項カスタマー", CJK)]
        {
            let mut fast = Vec::new();
            for_each(run, 20, |h, s, e| fast.push((h, s, e)));
            let b: Vec<usize> = run.char_indices().map(|(i, _)| i).chain([run.len()]).collect();
            let mut whole = Vec::new();
            for n in [2, 3] {
                for i in 0..(b.len() - 1).saturating_sub(n - 1) {
                    whole.push((hash(kind, &[&run[b[i]..b[i + n]]], 20), b[i], b[i + n]));
                }
            }
            assert_eq!(fast, whole, "{run}");
        }
    }

    /// A random text of the pieces the walk treats differently: ASCII words, digits and punctuation, the bytes
    /// of addresses, stop words of every script, letters with accents and combining marks, Hangul, CJK, Thai,
    /// other scripts, and spaces (single, doubled, leading, trailing).
    fn mixed_text(rng: &mut fastrand::Rng) -> String {
        const PIECES: &[&str] = &[
            " ",
            " ",
            " ",
            "  ",
            "easy",
            "money",
            "a",
            "Z9",
            "42",
            "x1y",
            ".",
            ",",
            ":",
            "@",
            "#",
            "_",
            "/",
            "://",
            "-",
            "bit.ly",
            "me2.kr/ab",
            "e.g.",
            "a@b.c",
            "#url_0b7f#",
            "#",
            "web",
            "mms",
            "https",
            "email",
            "xx",
            "công",
            "việc",
            "é\u{301}",
            "\u{301}",
            "ñ",
            "ж",
            "Ω",
            "😀",
            "。",
            "、",
            "：",
            "\u{200b}",
            "ｔｅｌ",
            "고수익",
            "텔레그램",
            "발신",
            "광고",
            "무료수신거부",
            "신고",
            "혜택",
            "제목없음",
            "가",
            "ㄱ",
            "ᄀ",
            "高薪招聘",
            "薪资",
            "高",
            "カスタマー",
            "ー",
            "งานง่าย",
            "มหาชน",
            "ก",
            "\u{e4e}",
            "\u{e4f}",
            "\n",
            "\t",
        ];
        let n = rng.usize(0..40);
        (0..n).map(|_| PIECES[rng.usize(..PIECES.len())]).collect()
    }

    #[test]
    fn the_byte_walk_gives_what_the_chunk_and_character_walk_gave() {
        let mut rng = fastrand::Rng::with_seed(11);
        for round in 0..20_000 {
            let text = mixed_text(&mut rng);
            let bits = if round % 2 == 0 { 20 } else { 16 };
            let (mut fast, mut old) = (Vec::new(), Vec::new());
            let produced = for_each(&text, bits, |h, s, e| fast.push((h, s, e)));
            let produced_old = reference::for_each(&text, bits, |h, s, e| old.push((h, s, e)));
            assert_eq!(fast, old, "{text:?}");
            assert_eq!(produced, produced_old, "{text:?}");
        }
    }

    #[test]
    fn characters_decode_as_std_decodes_them() {
        for c in ('\u{80}'..=char::MAX).step_by(7).chain(['\u{80}', '\u{7FF}', '\u{800}', '\u{FFFF}', '\u{10000}']) {
            let text = format!("{c}a");
            assert_eq!(char_at(&text, 0), (c, c.len_utf8()), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn wide_runs_end_where_class_ends_them() {
        // Every three-byte character, for each script a run can be of.
        for code in 0x800..=0xFFFFu32 {
            let Some(c) = char::from_u32(code) else { continue };
            let wide = Some(class(c)).filter(|&k| matches!(k, Class::Hangul | Class::Cjk | Class::Thai));
            assert_eq!(wide_class(c.to_string().as_bytes()), wide, "U+{code:04X}");
            for run in [Class::Hangul, Class::Cjk, Class::Thai] {
                assert_eq!(in_script(run, code), class(c) == run, "U+{code:04X}");
                let text = format!("{c}{c}a");
                let end = if class(c) == run { 2 * c.len_utf8() } else { 0 };
                assert_eq!(wide_run_end(text.as_bytes(), 0, text.len(), run), end, "U+{code:04X}");
            }
        }
        // Characters of two and four bytes end a run; so does `to`.
        assert_eq!(wide_run_end("é고".as_bytes(), 0, 5, Class::Hangul), 0);
        assert_eq!(wide_run_end("😀".as_bytes(), 0, 4, Class::Cjk), 0);
        assert_eq!(wide_run_end("고고".as_bytes(), 0, 3, Class::Hangul), 3);
    }

    #[test]
    fn cjk_punctuation_reads_as_std_reads_it() {
        for c in '\u{3000}'..='\u{303F}' {
            assert_eq!(class(c), other_class(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn addresses_are_found_as_the_old_tests_found_them() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..20_000 {
            let chunk: String = mixed_text(&mut rng).split(' ').collect();
            assert_eq!(is_address(&chunk), reference::is_address(&chunk), "{chunk:?}");
        }
    }

    #[test]
    fn the_byte_walk_cuts_long_texts_where_the_old_walk_did() {
        // A character across MAX_BYTES, and an address chunk across it.
        for text in [
            "고".repeat(MAX_BYTES / 3 + 5),
            format!("{} http://x.io/{}", "a ".repeat(MAX_BYTES / 2 - 4), "b".repeat(40)),
        ] {
            let (mut fast, mut old) = (Vec::new(), Vec::new());
            for_each(&text, 20, |h, s, e| fast.push((h, s, e)));
            reference::for_each(&text, 20, |h, s, e| old.push((h, s, e)));
            assert_eq!(fast, old);
        }
    }

    #[test]
    fn stop_firsts_are_the_first_syllables_of_the_stop_parts() {
        let mut firsts: Vec<char> = STOP_HANGUL_PARTS.iter().map(|p| p.chars().next().unwrap()).collect();
        firsts.dedup();
        assert_eq!(firsts, STOP_HANGUL_FIRSTS);
    }

    #[test]
    fn stop_hangul_words_are_found_as_contains_finds_them() {
        // The stop words' syllables, syllables sharing the low six bits of their first ones, and others.
        let syllables: Vec<char> =
            "신고메시지주요업무자격요건우대사항혜택가힣\u{C2E0}\u{C2A0}\u{C8FC}\u{ACE0}".chars().collect();
        let mut rng = fastrand::Rng::with_seed(13);
        let tokens =
            STOP_HANGUL
                .iter()
                .map(|w| w.to_string())
                .chain((0..50_000).map(|_| {
                    (0..rng.usize(1..6)).map(|_| syllables[rng.usize(..syllables.len())]).collect::<String>()
                }));
        let mut found = 0;
        for tok in tokens {
            assert_eq!(is_stop_hangul(&tok), STOP_HANGUL.contains(&tok.as_str()), "{tok}");
            found += usize::from(is_stop_hangul(&tok));
        }
        assert!(found > STOP_HANGUL.len(), "random tokens hit stop words too");
    }

    #[test]
    fn marks_are_found_where_memchr3_finds_them() {
        let marks = Marks::new();
        let mut rng = fastrand::Rng::with_seed(17);
        let bytes = b"ab .:@#xyz\xEA\xB0\x80";
        for _ in 0..20_000 {
            // Haystacks shorter and longer than a vector, with marks sparse or none.
            let len = rng.usize(0..200);
            let sparse = rng.usize(1..100);
            let hay: Vec<u8> = (0..len)
                .map(|_| if rng.usize(..sparse) == 0 { bytes[rng.usize(..bytes.len())] } else { b'a' })
                .collect();
            assert_eq!(marks.find(&hay), memchr::memchr3(b'.', b':', b'@', &hay), "{hay:?}");
        }
    }

    #[test]
    fn stop_parts_are_found_as_contains_finds_them() {
        // Tokens as the walk gives them: Hangul only.
        for tok in
            ["국외발신", "무료수신거부", "광고", "스팸신고", "제목없음입니다", "발", "고수익", "발신자광고", "제목", ""]
        {
            let contains = STOP_HANGUL_PARTS.iter().any(|p| tok.contains(p));
            assert_eq!(has_stop_hangul_part(tok), contains, "{tok}");
            assert_eq!(reference::has_stop_hangul_part(tok), contains, "{tok}");
        }
    }

    #[test]
    fn wide_runs_hash_as_bytes_hash() {
        for run in ["", "고", "고수익", "高薪招聘", "งานง่าย"] {
            assert_eq!(fnv_wide(FNV_OFFSET, run.as_bytes()), fnv(FNV_OFFSET, run.as_bytes()), "{run}");
        }
        assert_eq!(wide_class("é".as_bytes()), None, "two bytes");
        assert_eq!(wide_class("😀".as_bytes()), None, "four bytes");
    }

    #[test]
    fn stop_words_match_as_the_list_reads() {
        let mut rng = fastrand::Rng::with_seed(5);
        let letters = b"abefhilmnpstuwxkr";
        for &w in STOP_WORDS {
            assert!(is_stop_word(w.as_bytes()), "{w}");
            // One letter more, less or changed is no stop word (unless the list holds it too).
            for cut in [&w[1..], &w[..w.len() - 1]] {
                assert_eq!(is_stop_word(cut.as_bytes()), STOP_WORDS.contains(&cut), "{cut}");
            }
        }
        for _ in 0..50_000 {
            let word: Vec<u8> = (0..rng.usize(0..7)).map(|_| letters[rng.usize(..letters.len())]).collect();
            let as_str = std::str::from_utf8(&word).unwrap();
            assert_eq!(is_stop_word(&word), STOP_WORDS.contains(&as_str), "{as_str}");
        }
    }

    #[test]
    fn stop_parts_of_random_hangul_tokens_are_found_as_contains_finds_them() {
        // The stop parts' syllables, syllables sharing their low six bits, and others.
        let syllables: Vec<char> = "발신스팸거부광고제목없음가힣각\u{BC5C}\u{C264}\u{AC30}\u{AD51}".chars().collect();
        let mut rng = fastrand::Rng::with_seed(9);
        for _ in 0..50_000 {
            let tok: String = (0..rng.usize(0..8)).map(|_| syllables[rng.usize(..syllables.len())]).collect();
            let contains = STOP_HANGUL_PARTS.iter().any(|p| tok.contains(p));
            assert_eq!(has_stop_hangul_part(&tok), contains, "{tok}");
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
