//! Bulk paths of [`Normalized::fill`]: runs of characters that normalisation copies as they are (printable ASCII
//! words, Hangul, CJK, kana and Thai on their own, Thai letters with their tone and vowel marks) are appended
//! with their offset-map entries in one go, where the general path takes each character through `push` (five
//! buffer pushes, a case lookup and a squeeze test apiece). Each path takes exactly the characters the general
//! path would copy unchanged, and gives them the entries it would give them; `fill::<false>` keeps the general
//! path alone, and the tests compare the two on random mixed-script text.

use super::{is_caseless_stable, is_combining, is_invisible, keeps_in_squeezed, NormChar, Normalized};

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
fn char_at(input: &str, i: usize) -> Option<char> {
    decode3(input, i).or_else(|| input.get(i..).and_then(|r| r.chars().next()))
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
    /// Appends the printable ASCII at byte `i` of `input` (a byte from `!` to `~`) up to the next other byte,
    /// taking single spaces between its words along, as the per-byte path would: each byte lowered, one
    /// character and one UTF-16 unit, letters and digits into the squeezed view. Stops before a last byte that
    /// a combining mark follows (the cluster path takes that one). Returns the bytes taken (0 when none) and
    /// whether the last one taken was a space.
    pub(super) fn ascii_run(&mut self, input: &str, i: usize, pos16: u32) -> (usize, bool) {
        let bytes = input.as_bytes();
        let mut j = i;
        while j < bytes.len() {
            if is_printable(bytes[j]) {
                j += 1;
            } else if bytes[j] == b' ' && j > i && bytes.get(j + 1).copied().is_some_and(is_printable) {
                // One space after a word and before another: pushed as it is (the view's spaces are single).
                j += 2;
            } else {
                break;
            }
        }
        if j > i && bytes.get(j).is_some_and(|&b| b >= 0x80) && char_at(input, j).is_some_and(is_combining) {
            j -= 1;
        }
        if j == i {
            return (0, false);
        }
        let run = &bytes[i..j];
        let (tb, idx0) = (self.text.len(), self.chars.len() as u32);
        self.text.push_str(&input[i..j]);
        self.text[tb..].make_ascii_lowercase();
        self.chars.extend(run.iter().enumerate().map(|(k, &b)| NormChar {
            byte: (tb + k) as u32,
            orig_start: pos16 + k as u32,
            orig_end: pos16 + k as u32 + 1,
            latin_alnum: ALNUM[b as usize],
            after_join: false,
            line_break: false,
        }));
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
            let sb = self.squeezed.len() as u32;
            self.squeezed.push_str(&self.text[tb + start..tb + k]);
            self.sq_bytes.extend((0..(k - start) as u32).map(|x| sb + x));
            self.sq_to_norm.extend((0..(k - start) as u32).map(|x| idx0 + start as u32 + x));
        }
        (j - i, run[run.len() - 1] == b' ')
    }

    /// Appends the run of three-byte characters at byte `i` that the per-character paths copy as they are:
    /// Hangul syllables, CJK ideographs and kana not followed by a combining mark, and Thai (but SARA AM)
    /// followed by neither a combining mark nor an invisible character. Each is one UTF-16 unit, not a Latin
    /// letter, and goes into the squeezed view as `push` decides. Returns the bytes taken (0 when none).
    pub(super) fn plain_run(&mut self, input: &str, i: usize, pos16: u32) -> usize {
        let mut j = i;
        let mut all_squeezed = true;
        let mut cur = decode3(input, i);
        while let Some(c) = cur {
            let caseless = is_caseless_stable(c);
            if !caseless && !is_thai_plain(c) {
                break;
            }
            let next = decode3(input, j + 3);
            let joins = |d: char| is_combining(d) || !caseless && is_invisible(d);
            let joined = match next {
                // The run goes on with a letter that neither combines nor is invisible: the common case.
                Some(d) if is_caseless_stable(d) => false,
                // Thai's marks are its only combining characters, and none of it is invisible.
                Some(d @ '\u{0E00}'..='\u{0E7F}') => thai_mark_class(d) != 0,
                Some(d) => joins(d),
                None => char_at(input, j + 3).is_some_and(joins),
            };
            if joined {
                break;
            }
            all_squeezed &= caseless || keeps_in_squeezed(c);
            j += 3;
            cur = next;
        }
        if j == i {
            return 0;
        }
        let m = ((j - i) / 3) as u32;
        let (tb, idx0) = (self.text.len() as u32, self.chars.len() as u32);
        self.text.push_str(&input[i..j]);
        self.chars.extend((0..m).map(|k| NormChar {
            byte: tb + 3 * k,
            orig_start: pos16 + k,
            orig_end: pos16 + k + 1,
            latin_alnum: false,
            after_join: false,
            line_break: false,
        }));
        if all_squeezed {
            let sb = self.squeezed.len() as u32;
            self.squeezed.push_str(&input[i..j]);
            self.sq_bytes.extend((0..m).map(|k| sb + 3 * k));
            self.sq_to_norm.extend((0..m).map(|k| idx0 + k));
        } else {
            for (k, c) in (0..m).zip(input[i..j].chars()) {
                if keeps_in_squeezed(c) {
                    self.sq_bytes.push(self.squeezed.len() as u32);
                    self.sq_to_norm.push(idx0 + k);
                    self.squeezed.push(c);
                }
            }
        }
        j - i
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
        if last == 0 || char_at(input, j).is_some_and(|d| is_combining(d) || is_invisible(d)) {
            return 0;
        }
        let end16 = pos16 + ((j - i) / 3) as u32;
        self.push(c, pos16, end16);
        for m in input[i + 3..j].chars() {
            self.push(m, pos16, end16);
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
    fn decode3_reads_three_byte_characters_only() {
        for s in ["가", "a", "é", "😀", "ก", "\u{800}", "\u{FFFF}"] {
            let expected = s.chars().next().filter(|c| c.len_utf8() == 3);
            assert_eq!(decode3(s, 0), expected, "{s:?}");
            assert_eq!(char_at(s, 0), s.chars().next(), "{s:?}");
        }
        assert_eq!(char_at("", 0), None);
    }
}
