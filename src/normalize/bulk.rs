//! Bulk paths of [`Normalized::fill`]: the characters that normalisation copies as they are or maps one for one
//! (ASCII, Hangul, CJK, kana, Thai with its tone and vowel marks, precomposed Latin letters, fullwidth ASCII, a
//! few CJK punctuation marks) are read in one loop that decides each character once and maps it directly, where
//! the general path takes each through `peek`, the cluster test and `push` (a case lookup and a squeeze test
//! apiece); printable ASCII words and runs of Hangul, CJK and kana go a run at a time (one copy into each view,
//! one span of the maps). Each path takes exactly the characters the general path would treat so, and gives them
//! the spans it would give them; `fill::<false>` keeps the general path alone, and the tests compare the two on
//! random mixed-script text.

use super::{is_caseless_stable, is_invisible, is_latin_alnum, is_nfkc_stable_fast, keeps_in_squeezed, Normalized};

/// Printable ASCII other than the space: one character of the view each, lowered.
pub(super) fn is_printable(b: u8) -> bool {
    (0x21..=0x7E).contains(&b)
}

/// ASCII letters and digits by byte: a load where two range checks a byte were a hot spot of the ASCII path.
static ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The character a three-byte UTF-8 sequence at byte `i` of `input` encodes (`None` for any other length).
fn decode3(input: &str, i: usize) -> Option<char> {
    let b = input.as_bytes();
    match b.get(i..i + 3)? {
        &[b0 @ 0xE0..=0xEF, b1, b2] => {
            char::from_u32(u32::from(b0 & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F))
        }
        _ => None,
    }
}

/// The character at byte `i` of `input` (a character boundary), if any.
#[inline]
fn char_at(input: &str, i: usize) -> Option<char> {
    match input.as_bytes().get(i) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        _ => decode3(input, i).or_else(|| input.get(i..).and_then(|r| r.chars().next())),
    }
}

/// Whether `c` combines with the character before it, as [`super::is_combining`] says, without its table for what
/// [`Normalized::run`] mostly meets: nothing below U+0300 nor any precomposed Latin letter of U+1E00 to U+1EFF
/// combines, nor Hangul, CJK or kana, and Thai's marks are known (a test checks every character).
#[inline]
fn combines(c: char) -> bool {
    match c {
        '\0'..='\u{2FF}' => false,
        '\u{0E00}'..='\u{0E7F}' => thai_mark_class(c) != 0,
        '\u{1E00}'..='\u{1EFF}' => false,
        // Hangul, CJK and kana (`is_combining` asks this before its table, after a look at the range above).
        c if is_caseless_stable(c) => false,
        _ => crate::nfkc::is_combining(c),
    }
}

/// The lower case of a precomposed Latin letter where it is one character found without std's table: Latin-1
/// (upper case 0x20 below lower), Vietnamese's block and most of Latin Extended-A (pairs); `None` for the rest
/// (a test checks these against `to_lowercase`).
#[inline]
fn lower_latin(c: char) -> Option<char> {
    let l = match c {
        '\u{00C0}'..='\u{00DE}' if c != '\u{00D7}' => c as u32 + 0x20,
        '\u{00DF}'..='\u{00FF}' => c as u32,
        '\u{1EA0}'..='\u{1EF9}' => c as u32 | 1,
        // Latin Extended-A and Vietnamese's horned letters: pairs, upper case first.
        '\u{0100}'..='\u{012F}' | '\u{0134}'..='\u{0137}' | '\u{014A}'..='\u{0177}' | '\u{01A0}'..='\u{01A1}' => {
            c as u32 | 1
        }
        '\u{0139}'..='\u{013E}' | '\u{0141}'..='\u{0148}' | '\u{0179}'..='\u{017E}' | '\u{01AF}'..='\u{01B0}' => {
            (c as u32 + 1) & !1
        }
        _ => return None,
    };
    char::from_u32(l)
}

/// For the CJK punctuation marks that NFKC leaves alone and that have no case (the ideographic comma and full
/// stop, corner brackets, the katakana middle dot and prolonged sound mark), whether the squeezed view keeps
/// it (as [`keeps_in_squeezed`] says; a test checks both).
fn plain_mark(c: char) -> Option<bool> {
    match c {
        '\u{3001}' | '\u{3002}' | '\u{300C}'..='\u{300F}' | '\u{30FB}' => Some(false),
        '\u{30FC}' => Some(true),
        _ => None,
    }
}

/// Thai characters that `fill`'s Thai shortcut copies as they are when nothing joins them to what follows:
/// all of the block but SARA AM, which NFKC decomposes.
fn is_thai_plain(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E32}' | '\u{0E34}'..='\u{0E5B}')
}

/// The canonical combining class of a Thai mark (0 for anything else): the vowels below (103), PHINTHU (9) and
/// the tone marks (107) are Thai's only combining characters (a test checks this against the NFKC tables).
fn thai_mark_class(c: char) -> u8 {
    match c {
        '\u{0E38}' | '\u{0E39}' => 103,
        '\u{0E3A}' => 9,
        '\u{0E48}'..='\u{0E4B}' => 107,
        _ => 0,
    }
}

impl Normalized {
    /// Appends the characters from byte `i` of `input` (UTF-16 offset `pos16`) that the per-character paths copy
    /// as they are or map one to one, deciding each character once, and stops at the first other one (or one a
    /// combining mark follows): ASCII (lowered; whitespace and controls as one space, as `last_space` says),
    /// Hangul, CJK and kana, Thai (with its marks, see [`Self::thai_cluster`]), precomposed Latin letters
    /// (lowered), fullwidth ASCII (NFKC's ASCII) and a few CJK punctuation marks NFKC leaves alone. Each is one
    /// UTF-16 unit and gets the entries `push` would give it. Returns the byte and UTF-16 offsets reached and
    /// whether the view ends in a space there (all unchanged when nothing was taken).
    pub(super) fn run(
        &mut self,
        input: &str,
        mut i: usize,
        mut pos16: u32,
        mut last_space: bool,
    ) -> (usize, u32, bool) {
        let bytes = input.as_bytes();
        // Nothing here lengthens the text (lowering these letters keeps their UTF-8 length but for a few that
        // `push` takes as any other, which may grow a buffer): reserve once, not per push.
        let rest = bytes.len() - i;
        self.text.reserve(rest);
        self.squeezed.reserve(rest);
        let mut cur = char_at(input, i);
        while let Some(c) = cur {
            let len = c.len_utf8();
            let next = char_at(input, i + len);
            // Whether the cluster path would take more than `c` alone: a combining mark follows (for all), or an
            // invisible character (that path folds it into the character's range; ASCII, Hangul, CJK and kana
            // take other paths, which skip it on its own).
            let marked = next.is_some_and(combines);
            let joined = || marked || next.is_some_and(is_invisible);
            if c.is_ascii() {
                let b = c as u8;
                if is_printable(b) && next.is_some_and(|d| d.is_ascii() && is_printable(d as u8)) {
                    // Words, a run at a time (it minds a mark after its last byte).
                    let (taken, space) = self.ascii_run(input, i, pos16);
                    if taken == 0 {
                        break;
                    }
                    (i, pos16, last_space) = (i + taken, pos16 + taken as u32, space);
                    cur = char_at(input, i);
                    continue;
                }
                if marked {
                    break;
                }
                if is_printable(b) {
                    // One byte alone (before a letter of another script, in Vietnamese most often).
                    self.put(b.to_ascii_lowercase() as char, pos16, ALNUM[usize::from(b)]);
                    last_space = false;
                } else {
                    // The rest of ASCII is whitespace or a control character: one space for a run of them.
                    if !last_space {
                        self.put(' ', pos16, false);
                        last_space = true;
                    }
                    if matches!(b, b'\n' | b'\r' | b'\x0b' | b'\x0c') {
                        self.mark_line_break();
                    }
                }
            } else if is_caseless_stable(c) {
                if marked {
                    break;
                }
                // A run of them (each three bytes long, all kept in the squeezed view) up to one a combining mark
                // follows, copied into both views at once.
                // (None of them combines: only what follows the last needs the full look.)
                let (mut j, mut n, mut after) = (i + 3, 1, next);
                let mut stable = after.is_some_and(is_caseless_stable);
                while stable {
                    let beyond = char_at(input, j + 3);
                    let beyond_stable = beyond.is_some_and(is_caseless_stable);
                    if !beyond_stable && beyond.is_some_and(combines) {
                        break;
                    }
                    (j, n, after, stable) = (j + 3, n + 1, beyond, beyond_stable);
                }
                let p = self.text.len() as u32;
                self.text.push_str(&input[i..j]);
                self.map_units(p, pos16, n, 3);
                self.map_sq(self.squeezed.len() as u32, p);
                self.squeezed.push_str(&input[i..j]);
                (i, pos16, last_space, cur) = (j, pos16 + n, false, after);
                continue;
            } else if let Some(squeeze) = plain_mark(c).filter(|_| !joined()) {
                self.put(c, pos16, squeeze);
                last_space = false;
            } else if is_thai_plain(c) && !joined() {
                self.put(c, pos16, keeps_in_squeezed(c));
                last_space = false;
            } else if is_thai_plain(c) && marked {
                let taken = self.thai_cluster(input, i, pos16);
                if taken == 0 {
                    break;
                }
                (i, pos16, last_space) = (i + taken, pos16 + (taken / 3) as u32, false);
                cur = char_at(input, i);
                continue;
            } else if c == '\u{0E33}' && !joined() {
                // Thai SARA AM, which NFKC splits into NIKHAHIT and SARA AA (a test checks it): the cluster path
                // pushes both with its range; both are Thai letters or marks the squeezed view keeps.
                self.push_with('\u{0E4D}', pos16, pos16 + 1, true);
                self.push_with('\u{0E32}', pos16, pos16 + 1, true);
                last_space = false;
            } else if ('\u{FF01}'..='\u{FF5E}').contains(&c) && !joined() {
                // Fullwidth ASCII: NFKC's form is the ASCII character (a test checks it), which the cluster
                // path lowers and pushes with this character's range.
                let b = (c as u32 - 0xFEE0) as u8;
                self.put(b.to_ascii_lowercase() as char, pos16, ALNUM[usize::from(b)]);
                last_space = false;
            } else if is_nfkc_stable_fast(c) && !joined() {
                // (Thai, which this also holds, took a branch above.)
                // What the precomposed-Latin path of `fill` does: lower it (at times into two characters).
                if let Some(l) = lower_latin(c) {
                    self.push_with(l, pos16, pos16 + 1, is_latin_alnum(l));
                } else {
                    for l in c.to_lowercase() {
                        self.push(l, pos16, pos16 + 1);
                    }
                }
                last_space = false;
            } else {
                break;
            }
            i += len;
            pos16 += 1;
            cur = next;
        }
        (i, pos16, last_space)
    }

    /// Appends the printable ASCII at byte `i` of `input` (a byte from `!` to `~`) up to the next other byte,
    /// taking single spaces between its words along, as the per-byte path would: each byte lowered, one
    /// character and one UTF-16 unit, letters and digits into the squeezed view. Stops before a last byte that
    /// a combining mark follows (the cluster path takes that one). Returns the bytes taken (0 when none) and
    /// whether the last one taken was a space.
    fn ascii_run(&mut self, input: &str, i: usize, pos16: u32) -> (usize, bool) {
        let bytes = input.as_bytes();
        let mut j = i;
        while j < bytes.len() {
            if is_printable(bytes[j]) {
                j += 1;
            } else if bytes[j] == b' ' && j > i && bytes.get(j + 1).copied().is_some_and(is_printable) {
                // One space after a word and before another: pushed as it is (the view's spaces are single),
                // and recorded where the text will have it (before the last byte, which a mark may leave out).
                self.record_space((self.text.len() + j - i) as u32);
                j += 2;
            } else {
                break;
            }
        }
        if j > i && bytes.get(j).is_some_and(|&b| b >= 0x80) && char_at(input, j).is_some_and(combines) {
            j -= 1;
        }
        if j == i {
            return (0, false);
        }
        let run = &bytes[i..j];
        let tb = self.text.len();
        self.text.push_str(&input[i..j]);
        self.text[tb..].make_ascii_lowercase();
        self.map_units(tb as u32, pos16, run.len() as u32, 1);
        // The squeezed view takes the letters and digits, a word at a time.
        let mut k = 0;
        while k < run.len() {
            if !ALNUM[run[k] as usize] {
                k += 1;
                continue;
            }
            let start = k;
            while k < run.len() && ALNUM[run[k] as usize] {
                k += 1;
            }
            self.map_sq(self.squeezed.len() as u32, (tb + start) as u32);
            self.squeezed.push_str(&self.text[tb + start..tb + k]);
        }
        (j - i, run[run.len() - 1] == b' ')
    }

    /// Pushes `c` as the one character from UTF-16 offset `at16`, into the squeezed view if `squeeze`.
    #[inline(always)]
    fn put(&mut self, c: char, at16: u32, squeeze: bool) {
        self.push_with(c, at16, at16 + 1, squeeze);
    }

    /// Appends a Thai letter (class 0) with the Thai marks that follow it, when they are in canonical order and
    /// neither a combining mark nor an invisible character comes after them: NFKC leaves such a cluster as it
    /// is, so the cluster path would push each of its characters with the cluster's UTF-16 range. Returns the
    /// bytes taken (0 when the cluster is not one of these).
    pub(super) fn thai_cluster(&mut self, input: &str, i: usize, pos16: u32) -> usize {
        let Some(c) = decode3(input, i).filter(|&c| is_thai_plain(c) && thai_mark_class(c) == 0) else { return 0 };
        let (mut j, mut last) = (i + 3, 0);
        while let Some(class) = decode3(input, j).map(thai_mark_class).filter(|&class| class != 0) {
            if class < last {
                // Out of canonical order: NFKC reorders them.
                return 0;
            }
            last = class;
            j += 3;
        }
        if last == 0 || char_at(input, j).is_some_and(|d| combines(d) || is_invisible(d)) {
            return 0;
        }
        // Thai letters and marks are no Latin letters; the squeezed view keeps the marks and all letters but
        // the few signs `keeps_in_squeezed` says.
        let end16 = pos16 + ((j - i) / 3) as u32;
        self.push_with(c, pos16, end16, keeps_in_squeezed(c));
        for m in input[i + 3..j].chars() {
            self.push_with(m, pos16, end16, true);
        }
        j - i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_mark_classes_are_the_tables() {
        for c in '\u{0E00}'..='\u{0E7F}' {
            assert_eq!(thai_mark_class(c), crate::nfkc::combining_class(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn combines_is_the_tables_answer() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(combines(c), super::super::is_combining(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn plain_marks_come_out_as_they_go_in() {
        let mut marks = 0;
        for c in ('\u{3000}'..='\u{30FF}').filter(|&c| plain_mark(c).is_some()) {
            let mut form = String::new();
            crate::nfkc::nfkc_into(&c.to_string(), &mut form);
            assert_eq!(form, c.to_string(), "U+{:04X}", c as u32);
            assert_eq!(c.to_lowercase().to_string(), c.to_string(), "U+{:04X}", c as u32);
            assert!(
                !c.is_whitespace() && !c.is_control() && !is_invisible(c) && !super::super::is_combining(c),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(plain_mark(c), Some(keeps_in_squeezed(c)), "U+{:04X}", c as u32);
            marks += 1;
        }
        assert_eq!(marks, 8);
    }

    #[test]
    fn lower_latin_is_to_lowercase() {
        let mut fast = 0;
        for c in (0..0x2000).filter_map(char::from_u32) {
            if let Some(l) = lower_latin(c) {
                assert!(is_nfkc_stable_fast(c), "U+{:04X}", c as u32);
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), vec![l], "U+{:04X}", c as u32);
                // `run` takes a Latin letter for a letter the squeezed view keeps, as `push` decides.
                assert_eq!(is_latin_alnum(l), keeps_in_squeezed(l), "U+{:04X}", c as u32);
                fast += 1;
            }
        }
        assert!(fast > 150, "{fast}");
    }

    #[test]
    fn thai_letters_and_marks_squeeze_as_push_decides() {
        for c in '\u{0E00}'..='\u{0E7F}' {
            assert!(!is_latin_alnum(c));
            if thai_mark_class(c) != 0 {
                assert!(keeps_in_squeezed(c), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn sara_am_is_nikhahit_and_sara_aa() {
        let mut form = String::new();
        crate::nfkc::nfkc_into("\u{0E33}", &mut form);
        assert_eq!(form, "\u{0E4D}\u{0E32}");
        assert!(form.chars().all(|c| keeps_in_squeezed(c) && !is_latin_alnum(c) && c.to_lowercase().eq([c])));
    }

    #[test]
    fn fullwidth_ascii_is_nfkc_ascii() {
        for c in '\u{FF01}'..='\u{FF5E}' {
            let mut form = String::new();
            crate::nfkc::nfkc_into(&c.to_string(), &mut form);
            assert_eq!(form, char::from((c as u32 - 0xFEE0) as u8).to_string(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn decode3_reads_three_byte_characters_only() {
        for s in ["가", "a", "é", "😀", "ก", "\u{800}", "\u{FFFF}"] {
            let expected = s.chars().next().filter(|c| c.len_utf8() == 3);
            assert_eq!(decode3(s, 0), expected, "{s:?}");
            assert_eq!(char_at(s, 0), s.chars().next(), "{s:?}");
        }
        assert_eq!(char_at("", 0), None);
    }
}
