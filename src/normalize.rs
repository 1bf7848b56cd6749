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

/// One character of the normalised view and where it came from.
#[derive(Debug, Clone, Copy)]
struct NormChar {
    /// Byte offset of this character in [`Normalized::text`].
    byte: u32,
    /// UTF-16 range in the original text of the character (or cluster) it was produced from.
    orig_start: u32,
    orig_end: u32,
    /// Whether the character is a Latin letter or a digit (word-boundary checks for Latin phrases).
    latin_alnum: bool,
}

/// The normalised and squeezed views of one text, with offset maps back to the original.
#[derive(Debug, Default)]
pub struct Normalized {
    /// Normalised view: lower case, NFKC, single spaces.
    pub text: String,
    chars: Vec<NormChar>,
    /// Squeezed view: letters, digits and combining marks only.
    pub squeezed: String,
    /// For each character of `squeezed`, its byte offset there and its index into `chars`.
    sq_bytes: Vec<u32>,
    sq_to_norm: Vec<u32>,
    /// UTF-16 length of the original text.
    pub orig_len16: u32,
}

/// Characters that render as nothing and are used to break up words: zero-width spaces and joiners,
/// directional marks, the soft hyphen, word joiners, variation selectors, tag characters.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
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
        let mut n = Normalized {
            text: String::with_capacity(input.len()),
            chars: Vec::with_capacity(input.len()),
            squeezed: String::with_capacity(input.len()),
            sq_bytes: Vec::with_capacity(input.len()),
            sq_to_norm: Vec::with_capacity(input.len()),
            orig_len16: 0,
        };
        n.fill(input);
        n
    }

    /// Normalises `input` into this value, reusing its buffers (compiling a pack squeezes thousands of short
    /// phrases: allocating five buffers for each was a fifth of the compile time).
    pub fn refill(&mut self, input: &str) {
        self.text.clear();
        self.chars.clear();
        self.squeezed.clear();
        self.sq_bytes.clear();
        self.sq_to_norm.clear();
        self.orig_len16 = 0;
        self.fill(input);
    }

    fn fill(&mut self, input: &str) {
        let n = self;
        let mut pos16: u32 = 0;
        let mut last_space = true; // drop leading whitespace
        let bytes = input.as_bytes();
        let peek = |i: usize| input.get(i..).and_then(|r| r.chars().next());
        let mut cluster = String::new();
        let mut normed = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !(bytes.get(i + 1).is_some_and(|&nb| nb >= 0x80) && peek(i + 1).is_some_and(is_combining)) {
                // Fast path, on bytes: most text on most pages is ASCII.
                let start16 = pos16;
                pos16 += 1;
                i += 1;
                if b.is_ascii_whitespace() || b.is_ascii_control() {
                    if !last_space {
                        n.push_as(' ', start16, pos16, false);
                        last_space = true;
                    }
                } else {
                    n.push_as(b.to_ascii_lowercase() as char, start16, pos16, b.is_ascii_alphanumeric());
                    last_space = false;
                }
                continue;
            }
            let Some(c) = peek(i) else { break };
            i += c.len_utf8();
            let start16 = pos16;
            pos16 += c.len_utf16() as u32;
            let combining_next = peek(i).is_some_and(is_combining);
            if !combining_next && is_caseless_stable(c) {
                // Fast path for Hangul, CJK and kana: NFKC leaves them alone, they have no case, and they are
                // letters (std's is_alphanumeric takes a slow table walk for them).
                n.push_as(c, start16, pos16, true);
                last_space = false;
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
        if n.text.ends_with(' ') {
            n.text.pop();
            n.chars.pop();
        }
        n.orig_len16 = pos16;
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

    fn push(&mut self, c: char, orig_start: u32, orig_end: u32) {
        self.push_as(c, orig_start, orig_end, keeps_in_squeezed(c));
    }

    fn push_as(&mut self, c: char, orig_start: u32, orig_end: u32, squeeze: bool) {
        let idx = self.chars.len() as u32;
        self.chars.push(NormChar {
            byte: self.text.len() as u32,
            orig_start,
            orig_end,
            latin_alnum: is_latin_alnum(c),
        });
        self.text.push(c);
        if squeeze {
            self.sq_bytes.push(self.squeezed.len() as u32);
            self.sq_to_norm.push(idx);
            self.squeezed.push(c);
        }
    }

    /// Index into the normalised characters of the character at byte `b` of [`Self::text`].
    fn norm_index_at_byte(&self, b: usize) -> usize {
        self.chars.partition_point(|c| (c.byte as usize) < b)
    }

    /// Index into the normalised characters of the squeezed character at byte `b` of [`Self::squeezed`].
    fn sq_norm_index_at_byte(&self, b: usize) -> usize {
        let i = self.sq_bytes.partition_point(|&x| (x as usize) < b);
        self.sq_to_norm[i] as usize
    }

    /// Maps a byte range of the normalised view to a UTF-16 range of the original text.
    pub fn norm_range_to_orig(&self, start: usize, end: usize) -> (u32, u32) {
        if start >= end || self.chars.is_empty() {
            return (0, 0);
        }
        let first = self.norm_index_at_byte(start).min(self.chars.len() - 1);
        let last = self.norm_index_at_byte(end).saturating_sub(1).max(first);
        (self.chars[first].orig_start, self.chars[last].orig_end)
    }

    /// Maps a byte range of the squeezed view to the range of normalised character indices it spans
    /// (inclusive first, inclusive last).
    fn sq_range_to_norm_chars(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.sq_norm_index_at_byte(start);
        let last_sq = self.sq_bytes.partition_point(|&x| (x as usize) < end) - 1;
        (first, self.sq_to_norm[last_sq] as usize)
    }

    /// Maps a squeezed-view byte range to the original UTF-16 range, or `None` when a Latin phrase would
    /// start or end inside a word of the normalised text.
    pub fn squeezed_match(&self, start: usize, end: usize, check_start: bool, check_end: bool) -> Option<(u32, u32)> {
        if start >= end {
            return None;
        }
        let (first, last) = self.sq_range_to_norm_chars(start, end);
        if check_start && first > 0 && self.chars[first - 1].latin_alnum {
            return None;
        }
        if check_end && last + 1 < self.chars.len() && self.chars[last + 1].latin_alnum {
            return None;
        }
        Some((self.chars[first].orig_start, self.chars[last].orig_end))
    }
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
        for p in
            ["텔레그램 문의", "T.E.L.E.G.R.A.M", "ｔｅｌｅ", "Cafe\u{301} job", "", "  a  b  ", "月薪 3万", "việc nhẹ"]
        {
            assert_eq!(sq.squeeze(p), squeeze_phrase(p), "{p:?}");
        }
    }

    fn utf16_slice(s: &str, a: u32, b: u32) -> String {
        let u: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16(&u[a as usize..b as usize]).unwrap()
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
