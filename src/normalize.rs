//! Text normalisation that keeps a map back to the original text's UTF-16 offsets.
//!
//! Two views are built from one pass over the input:
//! - the *normalised* view: NFKC, lower case, invisible characters dropped, whitespace runs collapsed to one
//!   space. Regexes (pay amounts, URLs, regex rules) run here.
//! - the *squeezed* view: the normalised view with every space, punctuation mark, symbol and emoji removed.
//!   Phrase rules run here, which is what makes `텔 레 그 램` and `t.e.l.e.g.r.a.m` match `텔레그램` and
//!   `telegram`.
//!
//! Every character of both views knows the UTF-16 range of the original character it came from, so a match
//! in either view maps back onto the DOM text the extension sent.

use crate::nfkc;

mod bulk;
mod map;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod split;

/// Whether `fill` takes the bulk paths of [`bulk`]: natively only, where the speed is wanted; the Wasm module
/// keeps the per-character paths (same results) and its size.
const BULK: bool = cfg!(not(target_arch = "wasm32"));

/// The normalised and squeezed views of one text, with offset maps back to the original.
#[derive(Debug, Default)]
#[cfg_attr(test, derive(PartialEq))]
pub struct Normalized {
    /// Normalised view: lower case, NFKC, single spaces.
    pub text: String,
    /// Where the characters of `text` come from in the original, a stretch at a time (see [`map`]).
    spans: Vec<map::Span>,
    /// The UTF-16 end of the original range of the last character pushed (whether the next continues its span).
    end16: u32,
    /// Byte offsets in `text` of the characters before which [`Normalized::join_spaced_runs`] dropped a space:
    /// word boundaries all the same.
    after_join: Vec<u32>,
    /// Byte offsets in `text` of the spaces whose whitespace held a line break (a spaced-out word ends there).
    line_breaks: Vec<u32>,
    /// Natively, byte offsets in `text` of its spaces (before any join), in order, recorded as they are pushed: what
    /// [`Normalized::join_spaced_runs`] reads words between, where a search for them made 9,000 `memchr` calls on
    /// a 100 KB page (the Wasm module reads the text a character at a time instead, see
    /// [`spaces_inside_spaced_runs_by_chars`], and has no such field: it took 150 B of the gzipped module).
    #[cfg(not(target_arch = "wasm32"))]
    spaces: Vec<u32>,
    /// Squeezed view: letters, digits and combining marks only.
    pub squeezed: String,
    /// Where the characters of `squeezed` sit in `text`, a stretch at a time.
    sq_spans: Vec<map::SqSpan>,
    /// UTF-16 length of the original text.
    pub orig_len16: u32,
    /// Tests only: one span per character, as the per-character maps had it (the reference the spans are
    /// checked against).
    #[cfg(test)]
    per_char: bool,
}

/// Characters that render as nothing and are used to break up words: zero-width spaces and joiners,
/// directional marks, the soft hyphen, word joiners, variation selectors, tag characters.
pub fn is_invisible(c: char) -> bool {
    // Every range lies above ASCII and the Latin-1 letters, asked about most often: natively one comparison for
    // them (the Wasm module keeps its size).
    (!BULK || c >= '\u{00AD}')
        && matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether a character is a Latin letter (including Vietnamese and other accented forms) or a digit.
pub fn is_latin_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}') && c != '\u{00D7}' && c != '\u{00F7}'
}

/// Whether a character survives into the squeezed view.
fn keeps_in_squeezed(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else if is_latin_alnum(c) || matches!(c, '\u{0E01}'..='\u{0E3A}' | '\u{0E40}'..='\u{0E4E}') {
        // Latin with accents (Vietnamese, Indonesian) and Thai letters and vowel marks, without std's slow
        // table walk for them.
        true
    } else {
        c.is_alphanumeric() || nfkc::is_combining_mark(c)
    }
}

/// Characters known to be unchanged by NFKC without the table's binary search: Thai (but SARA AM, which
/// decomposes), and precomposed Latin letters as Vietnamese and other Latin-script languages write them (but
/// the few compatibility characters among them).
fn is_nfkc_stable_fast(c: char) -> bool {
    matches!(c,
        '\u{0E01}'..='\u{0E32}' | '\u{0E34}'..='\u{0E5B}'
        | '\u{00C0}'..='\u{00FF}' | '\u{0100}'..='\u{0131}' | '\u{0134}'..='\u{013E}' | '\u{0141}'..='\u{0148}'
        | '\u{014A}'..='\u{017E}' | '\u{01A0}'..='\u{01B0}' | '\u{1EA0}'..='\u{1EF9}')
}

/// Whether a character combines with the one before it (canonical combining class other than 0).
fn is_combining(c: char) -> bool {
    // No character below U+0300 combines, nor any Hangul, CJK or kana letter: skip the table for them.
    c >= '\u{300}' && !is_caseless_stable(c) && nfkc::is_combining(c)
}

/// Letters that NFKC leaves unchanged and that have no case: Hangul syllables, CJK ideographs, kana.
fn is_caseless_stable(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{4E00}'..='\u{9FFF}' | '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}')
}

impl Normalized {
    /// Normalises `input`. Linear in its length; allocation is proportional to it.
    pub fn new(input: &str) -> Self {
        let mut n = Normalized::with_room(input.len());
        n.fill::<true>(input);
        n
    }

    /// Empty views with room for those of a text `len` bytes long. A span of the maps per four bytes is about
    /// what a page of Korean, where they are shortest (a word, a space), needs: growing them one doubling at a
    /// time copied them over and over.
    fn with_room(len: usize) -> Self {
        Normalized {
            text: String::with_capacity(len),
            spans: Vec::with_capacity(len / 4),
            squeezed: String::with_capacity(len),
            sq_spans: Vec::with_capacity(len / 4),
            #[cfg(not(target_arch = "wasm32"))]
            spaces: Vec::with_capacity(len / 8),
            ..Default::default()
        }
    }

    /// Normalises `input` into this value, reusing its buffers (compiling a pack squeezes thousands of short
    /// phrases: allocating five buffers for each was a fifth of the compile time).
    pub fn refill(&mut self, input: &str) {
        self.text.clear();
        self.spans.clear();
        self.end16 = 0;
        self.after_join.clear();
        self.line_breaks.clear();
        #[cfg(not(target_arch = "wasm32"))]
        self.spaces.clear();
        self.squeezed.clear();
        self.sq_spans.clear();
        self.orig_len16 = 0;
        self.fill::<true>(input);
    }

    /// Normalises `input` into the empty buffers; `FAST` takes the shortcut for Thai and the bulk paths of
    /// [`bulk`] (the tests compare it with the general path alone).
    fn fill<const FAST: bool>(&mut self, input: &str) {
        let len16 = self.push_views::<FAST>(input);
        self.finish(len16);
    }

    /// The views of `input` pushed, a character at a time, with the space of a trailing whitespace run still on
    /// them and no spaced runs joined yet (natively, [`split`] normalises the two pieces of a long text so and
    /// [`Self::finish`]es them put together). Returns the UTF-16 length of `input`.
    #[inline(always)]
    fn push_views<const FAST: bool>(&mut self, input: &str) -> u32 {
        let n = self;
        let mut pos16: u32 = 0;
        let mut last_space = true; // drop leading whitespace
        let bytes = input.as_bytes();
        let peek = |i: usize| input.get(i..).and_then(|r| r.chars().next());
        let mut cluster = String::new();
        let mut normed = String::new();
        let mut i = 0;
        // The character at a byte offset, as decoded for the previous character's look at what follows it
        // (`peek` is a function of the offset: reusing it saves decoding most characters twice).
        let mut ahead: Option<(usize, Option<char>)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            if FAST && BULK {
                // Runs of characters that come out as they went in, or one for one (see `bulk`).
                let (to, to16, space) = n.run(input, i, pos16, last_space);
                if to > i {
                    (i, pos16, last_space) = (to, to16, space);
                    continue;
                }
            }
            if b < 0x80 && !(bytes.get(i + 1).is_some_and(|&nb| nb >= 0x80) && peek(i + 1).is_some_and(is_combining)) {
                // Fast path, on bytes: most text on most pages is ASCII.
                let start16 = pos16;
                pos16 += 1;
                i += 1;
                if b.is_ascii_whitespace() || b.is_ascii_control() {
                    if !last_space {
                        n.push_with(' ', start16, pos16, false);
                        last_space = true;
                    }
                    if matches!(b, b'\n' | b'\r' | b'\x0b' | b'\x0c') {
                        n.mark_line_break();
                    }
                } else {
                    n.push_with(b.to_ascii_lowercase() as char, start16, pos16, b.is_ascii_alphanumeric());
                    last_space = false;
                }
                continue;
            }
            let c = match ahead {
                Some((at, c)) if at == i => c,
                _ => peek(i),
            };
            let Some(c) = c else { break };
            i += c.len_utf8();
            let start16 = pos16;
            pos16 += c.len_utf16() as u32;
            let next = peek(i);
            ahead = Some((i, next));
            let combining_next = next.is_some_and(is_combining);
            if !combining_next && is_caseless_stable(c) {
                // Fast path for Hangul, CJK and kana: NFKC leaves them alone, they have no case, and they are
                // letters (std's is_alphanumeric takes a slow table walk for them).
                n.push_with(c, start16, pos16, true);
                last_space = false;
                continue;
            }
            if FAST
                && !combining_next
                && !next.is_some_and(is_invisible)
                && matches!(c, '\u{0E01}'..='\u{0E32}' | '\u{0E34}'..='\u{0E5B}')
            {
                // Thai on its own, as the paths below take it (it has no case, is neither invisible nor a space,
                // and NFKC leaves it alone), without lowering it and checking it for spaces.
                n.push(c, start16, pos16);
                last_space = false;
                continue;
            }
            if !combining_next && !next.is_some_and(is_invisible) && is_nfkc_stable_fast(c) {
                // Fast path for precomposed Latin letters on their own (and Thai, when the shortcut above is off;
                // no mark or invisible character follows to join them into a cluster): what the cluster path
                // below does for them.
                for l in c.to_lowercase() {
                    n.push_text(l, start16, pos16, &mut last_space);
                }
                continue;
            }
            if is_invisible(c) {
                continue;
            }
            if c.is_whitespace() || c.is_control() {
                if !last_space {
                    n.push(' ', start16, pos16);
                    last_space = true;
                }
                if matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}') {
                    n.mark_line_break();
                }
                continue;
            }
            // A base character with its combining marks is normalised as one cluster, so NFKC can compose.
            cluster.clear();
            cluster.push(c);
            while let Some(next) = peek(i) {
                if is_combining(next) {
                    cluster.push(next);
                } else if !is_invisible(next) {
                    break;
                }
                pos16 += next.len_utf16() as u32;
                i += next.len_utf8();
            }
            let stable = cluster.len() == c.len_utf8() && (is_nfkc_stable_fast(c) || !nfkc::changes(c));
            if stable {
                for l in c.to_lowercase() {
                    n.push_text(l, start16, pos16, &mut last_space);
                }
            } else {
                normed.clear();
                nfkc::nfkc_into(&cluster, &mut normed);
                for nc in normed.chars() {
                    for l in nc.to_lowercase() {
                        n.push_text(l, start16, pos16, &mut last_space);
                    }
                }
            }
        }
        pos16
    }

    /// What `fill` does after pushing the views of a text `len16` UTF-16 units long: the space of a trailing
    /// whitespace run goes, and runs of spaced-out letters are joined.
    #[inline(always)]
    fn finish(&mut self, len16: u32) {
        let n = self;
        if n.text.ends_with(' ') {
            n.text.pop();
            // The space's span goes if it held nothing else; its line break too.
            let len = n.text.len() as u32;
            if n.spans.last().is_some_and(|s| s.byte == len) {
                n.spans.pop();
            }
            if n.line_breaks.last() == Some(&len) {
                n.line_breaks.pop();
            }
            #[cfg(not(target_arch = "wasm32"))]
            if n.spaces.last() == Some(&len) {
                n.spaces.pop();
            }
        }
        n.orig_len16 = len16;
        n.join_spaced_runs();
    }

    /// Drops the spaces inside every run of [`SPACED_RUN`] or more one-character words, so that the
    /// normalised view reads `t e l e g r a m` as `telegram` and `0 1 0 1 2 3 4` as `0101234`: how ads hide
    /// words and numbers from filters. The squeezed view never holds spaces, so only its map into the
    /// normalised characters moves.
    fn join_spaced_runs(&mut self) {
        let line_breaks = &self.line_breaks;
        let line_break = |b: usize| line_breaks.binary_search(&(b as u32)).is_ok();
        // Every space pushed was recorded, and only those (the tests check it each time they fill).
        #[cfg(all(test, not(target_arch = "wasm32")))]
        {
            let found: Vec<u32> = memchr::memchr_iter(b' ', self.text.as_bytes()).map(|b| b as u32).collect();
            assert_eq!(self.spaces, found, "{:?}", self.text);
        }
        let drops = if BULK {
            spaces_inside_spaced_runs(&self.text, self.spaces(), line_break)
        } else {
            spaces_inside_spaced_runs_by_chars(&self.text, line_break)
        };
        if drops.is_empty() {
            return;
        }
        // The text again without the dropped spaces, each character mapped as before (which splits a span of
        // one-unit characters at a dropped space).
        let old = Normalized {
            text: std::mem::take(&mut self.text),
            spans: std::mem::take(&mut self.spans),
            ..Default::default()
        };
        self.text.reserve(old.text.len());
        self.end16 = 0;
        let mut next_drop = drops.iter().peekable();
        let mut after_join = false;
        for (b, c, s, e) in old.chars_with_ranges() {
            if next_drop.next_if(|&&d| d == b as usize).is_some() {
                after_join = true;
                continue;
            }
            let p = self.text.len() as u32;
            if after_join {
                self.after_join.push(p);
                after_join = false;
            }
            self.map(p, c.len_utf8() as u32, s, e);
            self.text.push(c);
        }
        // A squeezed span holds no space (the squeezed view has none, and a span copies the text between its
        // characters): it moves back by the spaces dropped before it.
        // Their spans are new ones: found again walking both in order.
        let (mut dropped, mut at) = (0, 0);
        for span in &mut self.sq_spans {
            while drops.get(dropped).is_some_and(|&d| d < span.norm as usize) {
                dropped += 1;
            }
            span.norm -= dropped as u32;
            while self.spans.get(at + 1).is_some_and(|s| s.byte <= span.norm) {
                at += 1;
            }
            span.span = at as u32;
        }
    }

    /// Records a space pushed at byte `p` of the text (natively, in the `spaces` field).
    #[inline(always)]
    #[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
    fn record_space(&mut self, p: u32) {
        #[cfg(not(target_arch = "wasm32"))]
        self.spaces.push(p);
    }

    /// The byte offsets of the text's spaces recorded so far.
    #[cfg(not(target_arch = "wasm32"))]
    fn spaces(&self) -> &[u32] {
        &self.spaces
    }

    /// None in the Wasm module, which records none (and reads the text a character at a time instead).
    #[cfg(target_arch = "wasm32")]
    fn spaces(&self) -> &[u32] {
        &[]
    }

    fn push_text(&mut self, c: char, s: u32, e: u32, last_space: &mut bool) {
        if is_invisible(c) {
            return;
        }
        if c.is_whitespace() {
            if !*last_space {
                self.push(' ', s, e);
                *last_space = true;
            }
        } else {
            self.push(c, s, e);
            *last_space = false;
        }
    }

    /// Marks the space just pushed (if the view ends in one) as standing for a line break.
    fn mark_line_break(&mut self) {
        if self.text.ends_with(' ') {
            let at = self.text.len() as u32 - 1;
            if self.line_breaks.last() != Some(&at) {
                self.line_breaks.push(at);
            }
        }
    }

    fn push(&mut self, c: char, orig_start: u32, orig_end: u32) {
        self.push_with(c, orig_start, orig_end, keeps_in_squeezed(c));
    }

    /// What `push` does for `c` from the UTF-16 range `orig_start..orig_end`, told whether the squeezed view keeps
    /// it (the bulk paths know without asking).
    #[inline(always)]
    fn push_with(&mut self, c: char, orig_start: u32, orig_end: u32, squeeze: bool) {
        let p = self.text.len() as u32;
        self.map(p, c.len_utf8() as u32, orig_start, orig_end);
        if BULK && c == ' ' {
            self.record_space(p);
        }
        self.text.push(c);
        if squeeze {
            self.map_sq(self.squeezed.len() as u32, p);
            self.squeezed.push(c);
        }
    }
}

/// A Latin phrase may start or end at a space dropped by [`Normalized::join_spaced_runs`] only if it spans at
/// least this many characters: a shorter one would find itself inside spaced-out words by chance.
const JOINED_BOUNDARY_MIN: usize = 5;

/// Runs of at least this many one-character words are read as one word (two would join ordinary pairs such
/// as `주 5` or `$ 3`).
const SPACED_RUN: usize = 3;

/// Runs of Hangul syllables or CJK characters, or of Latin letters, as one-character words are joined from
/// this many on. Most Korean words have two syllables (`출 국`), Chinese and Japanese put no spaces between
/// words at all, and a Korean pair of one-syllable words read as one (`할 수` as `할수`) is how Koreans often
/// write it anyway. Two spaced Latin letters are a two-letter word spelled out (`n o`, `t o`) far more often
/// than two one-letter words side by side (`a b` in a list reads `ab`: no phrase of five letters or fewer
/// matches across a joined space, see [`JOINED_BOUNDARY_MIN`]); with three, a spelled-out `no less than`
/// kept `n o` apart and its rule missed it. Digits and symbols still need three.
const SPACED_RUN_PAIR: usize = 2;

/// Whether a character is a Hangul syllable or jamo, a CJK ideograph or kana.
fn is_hangul_or_cjk(c: char) -> bool {
    is_caseless_stable(c) || matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{3400}'..='\u{4DBF}')
}

/// The run of one-character words being read by [`spaces_inside_spaced_runs`] (and its character-wise twin):
/// the spaces between its words, how many words it has, and whether they are all Hangul or CJK, or all Latin
/// letters (lower case: the view is lowered).
struct SpacedRun {
    pending: Vec<usize>,
    run: usize,
    cjk: bool,
    letters: bool,
}

impl Default for SpacedRun {
    fn default() -> Self {
        SpacedRun { pending: Vec::new(), run: 0, cjk: true, letters: true }
    }
}

impl SpacedRun {
    /// Takes the word that ends before a space at byte `space_before` (`Some` of its one character), or
    /// ends the run (`None`): a run long enough for its kind moves its spaces to `drops`.
    fn word(&mut self, word: Option<char>, space_before: usize, drops: &mut Vec<usize>) {
        if let Some(c) = word {
            if self.run > 0 {
                self.pending.push(space_before);
            } else {
                (self.cjk, self.letters) = (true, true);
            }
            self.run += 1;
            self.cjk &= is_hangul_or_cjk(c);
            self.letters &= c.is_ascii_lowercase();
        } else {
            let least = if self.cjk || self.letters { SPACED_RUN_PAIR } else { SPACED_RUN };
            if self.run >= least {
                drops.append(&mut self.pending);
            }
            self.pending.clear();
            self.run = 0;
        }
    }
}

/// Byte offsets of the spaces of `text` (single spaces between words, as the normalised view has them)
/// that sit inside a run of one-character words ([`SPACED_RUN`] of them, or [`SPACED_RUN_PAIR`] when they are
/// all Hangul or CJK, or all Latin letters); in order. A one-character word may be a symbol: `$ 3 0 0` is how
/// an amount is spaced out. A run ends at a space for which `line_break(offset)` holds: a word is spaced out on one
/// line, and joining across lines glued the last letter of one line's word to the next line's. `spaces` are the
/// byte offsets of the spaces of `text`, in order.
fn spaces_inside_spaced_runs(text: &str, spaces: &[u32], line_break: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut drops = Vec::new();
    let mut runs = SpacedRun::default();
    // The one character of a word (a byte range of `text`), if it has one only.
    // (No character is longer than four bytes: most words are, and are not decoded.)
    let only_char =
        |word: &str| (word.len() <= 4).then(|| word.chars().next()).flatten().filter(|c| c.len_utf8() == word.len());
    // The text is walked a word at a time between spaces, not decoded a character at a time.
    let (mut word_start, mut space_before) = (0, 0);
    for at in spaces.iter().map(|&at| at as usize) {
        match only_char(&text[word_start..at]) {
            Some(c) => {
                runs.word(Some(c), space_before, &mut drops);
                space_before = at;
                if line_break(space_before) {
                    runs.word(None, space_before, &mut drops);
                }
            }
            // A longer word (or none) ends the run; with no run open, nothing changes.
            None if runs.run > 0 => runs.word(None, space_before, &mut drops),
            None => {}
        }
        word_start = at + 1;
    }
    runs.word(only_char(&text[word_start..]), space_before, &mut drops);
    // A run that reaches the end of the text ends there.
    runs.word(None, space_before, &mut drops);
    drops
}

/// [`spaces_inside_spaced_runs`] read a character at a time, as it was: the Wasm module keeps this reading (the
/// word-wise one's `memchr` and character counting took 1.4 KB of the gzipped module), and the tests check that
/// the two agree.
fn spaces_inside_spaced_runs_by_chars(text: &str, line_break: impl Fn(usize) -> bool) -> Vec<usize> {
    let mut drops = Vec::new();
    let mut runs = SpacedRun::default();
    // The word being read: its length in characters and its first character.
    let (mut word_len, mut first, mut space_before) = (0, ' ', 0);
    for (i, c) in text.char_indices() {
        if c == ' ' {
            runs.word((word_len == 1).then_some(first), space_before, &mut drops);
            if line_break(i) {
                runs.word(None, i, &mut drops);
            }
            (word_len, space_before) = (0, i);
        } else {
            if word_len == 0 {
                first = c;
            }
            word_len += 1;
        }
    }
    runs.word((word_len == 1).then_some(first), space_before, &mut drops);
    // A run that reaches the end of the text ends there.
    runs.word(None, space_before, &mut drops);
    drops
}

/// Normalises a rule phrase the way page text is normalised, and squeezes it.
pub fn squeeze_phrase(phrase: &str) -> String {
    Normalized::new(phrase).squeezed
}

/// [`squeeze_phrase`] for many phrases: one set of buffers, reused.
#[derive(Default)]
pub struct PhraseSqueezer(Normalized);

impl PhraseSqueezer {
    /// The squeezed form of `phrase`, as [`squeeze_phrase`] gives it.
    pub fn squeeze(&mut self, phrase: &str) -> &str {
        // Fast path for a phrase of ASCII and caseless-stable letters only (five in six of the bundled pack's):
        // `fill` lowers ASCII and keeps its letters and digits, keeps those letters as they are (none of them
        // combines), and drops the rest; without the offset maps nobody reads here. Wasm runs a pack compile
        // unoptimised at a cold start, where the full walk over 8,800 phrases took a sixth of the compile.
        if phrase.chars().all(|c| c.is_ascii() || is_caseless_stable(c)) {
            let sq = &mut self.0.squeezed;
            sq.clear();
            for c in phrase.chars() {
                if !c.is_ascii() {
                    sq.push(c);
                } else if c.is_ascii_alphanumeric() {
                    sq.push(c.to_ascii_lowercase());
                }
            }
            return sq;
        }
        self.0.refill(phrase);
        &self.0.squeezed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reusing_squeezer_agrees_with_squeeze_phrase() {
        let mut sq = PhraseSqueezer::default();
        for p in [
            "텔레그램 문의",
            "T.E.L.E.G.R.A.M",
            "ｔｅｌｅ",
            "Cafe\u{301} job",
            "",
            "  a  b  ",
            "月薪 3万",
            "việc nhẹ",
            // ASCII and caseless-stable letters only (the fast path), and the characters just outside it.
            "Job-Offer 2026! 해외 高薪 ひらがな カタカナ",
            "\t漢字\n\u{7f}a_b",
            "カード",
            "e\u{301}가",
            "가\u{302}",
            "\u{200B}텔레\u{200B}그램",
        ] {
            assert_eq!(sq.squeeze(p), squeeze_phrase(p), "{p:?}");
        }
    }

    fn utf16_slice(s: &str, a: u32, b: u32) -> String {
        let u: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16(&u[a as usize..b as usize]).unwrap()
    }

    /// Pairs `a < b` of `bounds`: all of them for one time in `every`, else each start with a random end.
    fn pairs(bounds: &[usize], every: usize) -> Vec<(usize, usize)> {
        let mut rng = fastrand::Rng::with_seed(bounds.len() as u64);
        let mut out = Vec::new();
        for (i, &a) in bounds.iter().enumerate() {
            for &b in &bounds[i + 1..] {
                if every == 0 || rng.usize(..bounds.len()) == 0 {
                    out.push((a, b));
                }
            }
        }
        out
    }

    #[test]
    fn the_fast_paths_agree_with_the_general_path() {
        // Thai (with and without marks, marks in and out of canonical order, SARA AM), ASCII words and single
        // spaces, Hangul, CJK and kana runs, each next to what ends or joins a character: combining marks
        // (Latin, Thai), invisibles, spaces and line breaks; and accented Latin, fullwidth forms, compatibility
        // characters and characters outside the BMP around them.
        let pieces: Vec<&str> = vec![
            "a",
            "Z",
            "0",
            "9",
            "job",
            "TELEGRAM",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            ".",
            "-",
            "@",
            "가",
            "힣",
            "텔레그램",
            "高薪",
            "一",
            "鿿",
            "ぁ",
            "ゖ",
            "ァ",
            "ヺ",
            "ー",
            "ㄱ",
            "\u{1100}",
            "\u{0301}",
            "\u{0323}",
            "\u{0302}",
            "\u{0E48}",
            "\u{0E38}",
            "\u{3099}",
            "\u{200B}",
            "\u{00AD}",
            "\u{FE0F}",
            "ก",
            "ที่",
            "น้ำ",
            "ำ",
            "ฯ",
            "๑",
            "฿",
            "\u{0E4F}",
            "\u{0E5B}",
            "é",
            "Việt",
            "ｔｅｌｅ",
            "１２",
            "㈜",
            "ﬁ",
            "😀",
            "\u{2028}",
            "\u{85}",
            "Ⅻ",
            "İ",
            "ß",
            "\u{AC00}\u{0301}",
            "Hello, World! 2026",
            "a b",
            "x.y-z ",
            " q",
            "~",
            "!",
            "\u{7f}",
            "\u{0E49}",
            "\u{0E3A}",
            "\u{0E31}",
            "กั้",
            "ก\u{0E48}\u{0E38}",
            "ก\u{0E38}\u{0E48}",
            "ก\u{0E3A}\u{0E38}\u{0E48}",
            "\u{0E48}\u{0E38}",
            "ー",
            "。",
            "：",
            "\u{3164}",
            "\u{3099}",
            "\u{0E3F}",
            "\u{0E50}",
            "ひらがな",
            "漢字",
            // Fullwidth ASCII, CJK punctuation, the other ASCII whitespace and controls, precomposed Latin
            // letters that lower into two characters or next to marks.
            "：",
            "，",
            "Ａ",
            "ｚ",
            "１",
            "～",
            "。",
            "、",
            "「",
            "』",
            "・",
            "〜",
            "\x0b",
            "\x0c",
            "\r",
            "\x00",
            "Ạ",
            "ộ",
            "Đ",
            "ǅ",
            "ơ",
            "Ư",
            "Ł",
            "ĸ",
            "Ÿ",
            "ำ\u{200B}",
            "\u{0300}",
            // Runs longer than a span of the maps holds.
            "we are hiring support staff for the new office, apply today with your resume and references",
            "가나다라마바사아자차카타파하가나다라마바사아자차",
            "ひらがなカタカナ漢字ひらがなカタカナ漢字ひらがな",
        ];
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0;
        for round in 0..5000 {
            let text: String = (0..rng.usize(..40)).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            let mut fast = Normalized::default();
            fast.fill::<true>(&text);
            let mut general = Normalized::default();
            general.fill::<false>(&text);
            assert_eq!(fast.text, general.text, "round {round}: {text:?}");
            assert_eq!(fast.spans, general.spans, "round {round}: {text:?}");
            assert_eq!(fast.after_join, general.after_join, "round {round}: {text:?}");
            assert_eq!(fast.line_breaks, general.line_breaks, "round {round}: {text:?}");
            assert_eq!(fast.squeezed, general.squeezed, "round {round}: {text:?}");
            assert_eq!(fast.sq_spans, general.sq_spans, "round {round}: {text:?}");
            assert_eq!(fast.orig_len16, general.orig_len16, "round {round}: {text:?}");
            // And both map every match as one span per character (the former per-character maps) does.
            let mut per_char = Normalized { per_char: true, ..Default::default() };
            per_char.fill::<false>(&text);
            assert_eq!((&per_char.text, &per_char.squeezed), (&fast.text, &fast.squeezed), "round {round}");
            assert_eq!(per_char.chars_with_ranges().count(), per_char.spans.len(), "round {round}");
            let chars = |s: &str| s.char_indices().map(|(b, _)| b).chain([s.len()]).collect::<Vec<_>>();
            for (a, b) in pairs(&chars(&fast.text), rng.usize(..4)) {
                assert_eq!(fast.norm_range_to_orig(a, b), per_char.norm_range_to_orig(a, b), "round {round}: {text:?}");
            }
            for (a, b) in pairs(&chars(&fast.squeezed), rng.usize(..4)) {
                for (cs, ce) in [(false, false), (true, false), (false, true), (true, true)] {
                    let m = fast.squeezed_match(a, b, cs, ce);
                    assert_eq!(m, per_char.squeezed_match(a, b, cs, ce), "round {round}: {text:?} {a}..{b}");
                }
            }
            checked += fast.text.chars().count();
        }
        assert!(checked > 50_000, "{checked}");
    }

    #[test]
    fn spaced_runs_read_by_words_as_by_characters() {
        // Words, mostly of one character (Latin, digits, symbols, Hangul, CJK, Thai, emoji), between single
        // spaces (at times two, or none at the ends), and line breaks at random characters.
        let words = ["a", "b", "z", "1", "$", "가", "高", "é", "ก", "😀", "ab", "job", "텔레", ""];
        let mut rng = fastrand::Rng::with_seed(0x5eed_5eed);
        let mut dropped = 0;
        for round in 0..5000 {
            let mut text = String::new();
            for _ in 0..rng.usize(..20) {
                text.push_str(words[rng.usize(..words.len())]);
                text.push_str([" ", " ", " ", " ", "  ", ""][rng.usize(..6)]);
            }
            let breaks: Vec<bool> = (0..text.len()).map(|_| rng.u8(..) < 20).collect();
            let line_break = |i: usize| breaks[i];
            let spaces: Vec<u32> = memchr::memchr_iter(b' ', text.as_bytes()).map(|b| b as u32).collect();
            let words = spaces_inside_spaced_runs(&text, &spaces, line_break);
            assert_eq!(words, spaces_inside_spaced_runs_by_chars(&text, line_break), "round {round}: {text:?}");
            dropped += words.len();
        }
        assert!(dropped > 5000, "{dropped}");
    }

    #[test]
    fn folds_case_width_and_invisibles() {
        let n = Normalized::new("ＴＥＬＥ\u{200B}gram  문의");
        assert_eq!(n.text, "telegram 문의");
        assert_eq!(n.squeezed, "telegram문의");
    }

    #[test]
    fn spaced_letters_squeeze_together() {
        assert_eq!(Normalized::new("텔 레 그 램").squeezed, "텔레그램");
        assert_eq!(Normalized::new("t.e.l.e.g.r.a.m").squeezed, "telegram");
        assert_eq!(Normalized::new("텔💬레💬그💬램").squeezed, "텔레그램");
    }

    #[test]
    fn runs_of_spaced_letters_are_joined_in_the_normalised_view() {
        let src = "연락 t e l e g r a m 0 1 0 1 2 3 4 or a 1 now 주 5 일 pay $ 3 0 0";
        let n = Normalized::new(src);
        assert_eq!(n.text, "연락 telegram0101234 or a 1 now 주5일 pay $300");
        assert_eq!(n.squeezed, "연락telegram0101234ora1now주5일pay300");
        // Both views still map back onto the original text.
        let b = n.text.find("telegram").unwrap();
        assert_eq!(n.norm_range_to_orig(b, b + "telegram".len()), (3, 18));
        let sq = n.squeezed.find("telegram").unwrap();
        let (s, e) = n.squeezed_match(sq, sq + "telegram".len(), true, false).unwrap();
        assert_eq!(utf16_slice(src, s, e), "t e l e g r a m");
        // The words of a joined run keep their boundaries for Latin phrases of five or more letters: `a` and
        // `worker` are still words; a shorter phrase does not match inside a spaced-out word (`thr` inside
        // `t h r o u g h`), only as the whole run.
        let n = Normalized::new("x a w o r k e r y");
        assert_eq!(n.text, "xaworkery");
        let sq = n.squeezed.find("worker").unwrap();
        assert!(n.squeezed_match(sq, sq + 6, true, true).is_some());
        let n = Normalized::new("x a w o r k ers");
        assert_eq!(n.text, "xawork ers");
        let sq = n.squeezed.find("worker").unwrap();
        assert!(n.squeezed_match(sq, sq + 6, true, true).is_none());
        let n = Normalized::new("go t h r o u g h it, t h r now");
        assert_eq!(n.text, "go through it, thr now");
        let sq = n.squeezed.find("thr").unwrap();
        assert!(n.squeezed_match(sq, sq + 3, true, true).is_none());
        let sq = n.squeezed.rfind("thr").unwrap();
        assert!(n.squeezed_match(sq, sq + 3, true, true).is_some());
        // Two one-syllable Korean words (or CJK characters) are joined, and so are two Latin letters.
        assert_eq!(Normalized::new("계좌 접 수 or a b and 高 薪").text, "계좌 접수 or ab and 高薪");
        assert_eq!(Normalized::new("earn N o less than").text, "earn no less than");
        // Two digits or symbols, or a letter beside one, stay apart; a run at the very end is joined too.
        assert_eq!(Normalized::new("x 1 or $ 3 or é y").text, "x 1 or $ 3 or é y");
        assert_eq!(Normalized::new("go n o w").text, "go now");
        assert_eq!(Normalized::new("go x y").text, "go xy");
        // A spaced-out word ends at a line break: the lines' words are not glued together.
        let n = Normalized::new("s a l e s \n \n l i n e\r\nt w o\u{2028}x y z");
        assert_eq!(n.text, "sales line two xyz");
        assert_eq!(n.squeezed, "saleslinetwoxyz");
        assert_eq!(Normalized::new("a 1\nc d e").text, "a 1 cde");
    }

    #[test]
    fn squeezed_match_maps_to_original_utf16() {
        let src = "😀 연락: 텔 레 그 램 @abc";
        let n = Normalized::new(src);
        let sq = "텔레그램";
        let b = n.squeezed.find(sq).unwrap();
        let (s, e) = n.squeezed_match(b, b + sq.len(), false, false).unwrap();
        assert_eq!(utf16_slice(src, s, e), "텔 레 그 램");
    }

    #[test]
    fn latin_boundaries_are_checked() {
        let n = Normalized::new("piano experience");
        let sq = "noexperience";
        let b = n.squeezed.find(sq).unwrap();
        assert!(n.squeezed_match(b, b + sq.len(), true, true).is_none());
        let n = Normalized::new("no experience needed");
        let b = n.squeezed.find(sq).unwrap();
        assert!(n.squeezed_match(b, b + sq.len(), true, true).is_some());
    }

    #[test]
    fn clusters_already_in_nfkc_read_as_nfkc_gives_them() {
        // Thai tone marks and vowels that combine, a Latin letter with marks that have no precomposed form,
        // Vietnamese decomposed (must compose), and a compatibility character with a mark (must change).
        for src in ["ที่นี่ ผู้ช่วย น้ำ", "q\u{301}\u{323}x", "Vie\u{323}\u{302}t", "\u{FB01}\u{301}", "A\u{30A}\u{301}"]
        {
            let expected: String = unicode_normalization::UnicodeNormalization::nfkc(src)
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(Normalized::new(src).text, expected, "{src:?}");
        }
    }

    #[test]
    fn composes_decomposed_text() {
        // "é" written as e + combining acute, and decomposed Vietnamese.
        let n = Normalized::new("cafe\u{301} Vie\u{323}\u{302}t");
        assert_eq!(n.text, "café việt");
    }

    #[test]
    fn norm_range_maps_back() {
        let src = "월  1,000만원 지급";
        let n = Normalized::new(src);
        let b = n.text.find("1,000만원").unwrap();
        let (s, e) = n.norm_range_to_orig(b, b + "1,000만원".len());
        assert_eq!(utf16_slice(src, s, e), "1,000만원");
    }
}

#[cfg(test)]
mod fast_path_tests {
    /// The fast path's ranges must agree with NFKC itself.
    #[test]
    fn fast_nfkc_ranges_are_really_stable() {
        for c in (0u32..0x2000).filter_map(char::from_u32).filter(|&c| super::is_nfkc_stable_fast(c)) {
            let mut form = String::new();
            crate::nfkc::nfkc_into(&c.to_string(), &mut form);
            assert_eq!(form, c.to_string(), "U+{:04X}", c as u32);
        }
    }
}
