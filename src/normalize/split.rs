//! Normalising a long text in two pieces (native builds only, where the second piece goes to another thread):
//! the text is cut where no state of [`Normalized::fill`] crosses, each piece's views are pushed on their own
//! ([`Normalized::head`], [`Normalized::tail`]), and [`Normalized::joined`] puts them together into exactly the
//! value [`Normalized::new`] gives for the whole (a test compares every field at every cut on random texts).
//!
//! Why nothing crosses a cut that [`is_cut`] accepts (an ASCII whitespace or control byte, then printable ASCII):
//! - every look ahead of `fill` (a combining mark or an invisible character joining a cluster, the ASCII word
//!   runs, the runs of Hangul, CJK and kana, Thai's marks) reads at most the character after the one it
//!   decides, and the character after the head's last one is printable ASCII, which neither combines nor is
//!   invisible: each of the head's characters goes into the views as in the whole (by another path at times,
//!   the word runs take a space before a printable byte along, but with the same entries);
//! - the tail's first character is printable ASCII, whose entries do not depend on whether the view ended in a
//!   space (`last_space`); from then on both are in the same state. The tail's UTF-16 offsets start at the
//!   head's UTF-16 length and its bytes at the head's view lengths: `joined` adds them in one pass;
//! - the head keeps the space its trailing whitespace gave it (only the whole's end drops one,
//!   [`Normalized::finish`]), and its line break: the tail's views start with a character that is no space;
//! - a map entry continues the one before when its character maps as that one's do ([`Normalized::map`]):
//!   after a one-byte gap the tail's first span continues the head's space's, and `joined` merges the two as
//!   `map` would have (the squeezed spans never merge across a cut: the space between is not squeezed, but the
//!   same test is made);
//! - spaced-out letters are joined over the whole text after the pieces are put together, as `fill` does.
//!
//! (`head`, `tail` and `joined` are kept out of line: called once a score, and their costs stand apart in a
//! profile.)

use super::map::{unit_width, Span, SqSpan};
use super::Normalized;

/// The share of a long text left to the tail, in hundredths: the tail is normalised beside the head on the
/// thread that then extracts the contact indicators, which take under a third of what normalising the whole
/// does (1.7 M and 5.4 M instructions on the benchmark's 100 KB page); the caller then puts the pieces together
/// and joins the spaced runs (0.46 M). Measured even at 39: head and joining 3.76 M against tail and indicators
/// 3.77 M on the 100 KB page, 37.6 M against 37.6 M on the 1 MB page (callgrind, per function).
const TAIL_PERCENT: usize = 39;

/// How far past its target [`split_point`] looks for a cut before giving up (bytes): long enough to reach a
/// space before an ASCII word on a page with any ASCII in it, short enough to keep the shares near the target.
const SPLIT_WINDOW: usize = 4096;

/// Whether byte `at` of `text` is a cut where its head and tail normalise apart as the whole does: the byte
/// before is ASCII whitespace or a control character (one space of the view for a run of them), and the byte at
/// `at` is printable ASCII (see the module's notes).
pub(crate) fn is_cut(text: &[u8], at: usize) -> bool {
    at > 0 && at < text.len() && (text[at - 1] <= b' ' || text[at - 1] == 0x7F) && super::bulk::is_printable(text[at])
}

/// Where to cut `text` for a tail of about [`TAIL_PERCENT`] of it: the first cut [`is_cut`] accepts from the
/// target on, within [`SPLIT_WINDOW`] bytes; `None` when there is none there (the whole is normalised at once).
pub(crate) fn split_point(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let target = bytes.len() - bytes.len() * TAIL_PERCENT / 100;
    (target.max(1)..bytes.len().min(target + SPLIT_WINDOW)).find(|&at| is_cut(bytes, at))
}

impl Normalized {
    /// The views of `head`, the text before a cut of a text `whole_len` bytes long, not yet finished: in
    /// buffers with room for the whole's, so that [`Normalized::joined`] appends the tail's without moving the
    /// head's.
    #[inline(never)]
    pub(crate) fn head(head: &str, whole_len: usize) -> Self {
        let mut n = Normalized::with_room(whole_len);
        n.orig_len16 = n.push_views::<true>(head);
        n
    }

    /// The views of `tail`, the text from a cut on, not yet finished, with offsets from its own start.
    #[inline(never)]
    pub(crate) fn tail(tail: &str) -> Self {
        let mut n = Normalized::with_room(tail.len());
        n.orig_len16 = n.push_views::<true>(tail);
        n
    }

    /// [`Normalized::new`] of the whole text, from `self`, the [`Normalized::head`] of its text up to a cut that
    /// [`is_cut`] accepts, and `tail`, the [`Normalized::tail`] from there: the tail's views appended (one copy
    /// each), its map entries moved past the head's (one pass each, its first span merged into the head's last
    /// where [`Normalized::map`] would have continued it), then finished as `fill` finishes.
    #[inline(never)]
    pub(crate) fn joined(mut self, tail: Normalized) -> Normalized {
        let (byte0, sq0, shift16) = (self.text.len() as u32, self.squeezed.len() as u32, self.orig_len16);
        // Whether the tail's first character continues the head's last span, as `map` decides it: a span of
        // one-unit characters of the same width whose UTF-16 units follow on, or the same shared range.
        let merged = match (self.spans.last(), tail.spans.first()) {
            (Some(last), Some(first)) => match unit_width(first.end) {
                Some(_) => last.end == first.end && first.orig + shift16 == self.end16,
                None => last.orig == first.orig + shift16 && last.end == first.end + shift16,
            },
            _ => false,
        };
        let span0 = self.spans.len() as u32 - u32::from(merged);
        let from = usize::from(merged);
        self.spans.extend(tail.spans[from..].iter().map(|s| Span {
            byte: s.byte + byte0,
            orig: s.orig + shift16,
            end: if unit_width(s.end).is_some() { s.end } else { s.end + shift16 },
        }));
        // The same for the squeezed spans: the first continues the head's last if the text between them was
        // all squeezed (never, with the head's space between; asked all the same).
        let sq_merged = match (self.sq_spans.last(), tail.sq_spans.first()) {
            (Some(last), Some(first)) => first.norm + byte0 - (first.sq + sq0) == last.norm - last.sq,
            _ => false,
        };
        let from = usize::from(sq_merged);
        self.sq_spans.extend(tail.sq_spans[from..].iter().map(|s| SqSpan {
            sq: s.sq + sq0,
            norm: s.norm + byte0,
            span: s.span + span0,
        }));
        self.spaces.extend(tail.spaces.iter().map(|&b| b + byte0));
        self.line_breaks.extend(tail.line_breaks.iter().map(|&b| b + byte0));
        self.text.push_str(&tail.text);
        self.squeezed.push_str(&tail.squeezed);
        if !tail.spans.is_empty() {
            self.end16 = tail.end16 + shift16;
        }
        self.finish(shift16 + tail.orig_len16);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random pieces of text: several scripts, spaced-out letters and digits, invisible characters, fullwidth
    /// forms, combining marks (after ASCII too), whitespace runs of every kind, CRLF and line breaks. Written
    /// for this test.
    const PIECES: &[&str] = &[
        "job",
        "Hi",
        "a",
        "Z9",
        "$",
        "..",
        "-",
        "텔레그램",
        "가",
        "高薪",
        "一",
        "カード",
        "ひ",
        "Việt",
        "é",
        "e\u{301}",
        "a\u{301}",
        "가\u{302}",
        "\u{301}",
        "\u{0E48}",
        "ที่",
        "น้ำ",
        "ำ",
        "ก",
        "ｔｅｌｅ",
        "１２",
        "ﬁ",
        "㈜",
        "😀",
        "\u{200B}",
        "\u{00AD}",
        "\u{FE0F}",
        "\u{3000}",
        "\u{2028}",
        "\u{85}",
        "\u{a0}",
        "\u{7f}",
        "\x00",
        "\x0b",
        " ",
        " ",
        " ",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\r\n",
        "\x0c",
        " \u{200B}\n",
        "t e l e g r a m",
        " 0 1 0 ",
        "주 5 일",
        "a b",
        " x y ",
        "x\ny z",
        "高 薪",
        " $ 3 0 0 ",
        "we are hiring support staff, apply today",
    ];

    #[test]
    fn every_cut_joins_into_the_whole() {
        let mut rng = fastrand::Rng::with_seed(0x5b11_7c08);
        let (mut cuts, mut merged, mut line_breaks, mut joins_across) = (0, 0, 0, 0);
        for round in 0..8_000 {
            let text: String = (0..rng.usize(..30)).map(|_| PIECES[rng.usize(..PIECES.len())]).collect();
            let whole = Normalized::new(&text);
            for at in (0..=text.len()).filter(|&at| is_cut(text.as_bytes(), at)) {
                let head = Normalized::head(&text[..at], text.len());
                let tail = Normalized::tail(&text[at..]);
                let one_char = |word: Option<&str>| word.is_some_and(|w| w.chars().count() == 1);
                // One-character words on both sides of the cut's space, on one line: a spaced run across it.
                let run_across = one_char(head.text.trim_end().rsplit(' ').next())
                    && one_char(tail.text.split(' ').next())
                    && head.line_breaks.last().map(|&b| b as usize + 1) != Some(head.text.len());
                let line_break = head.line_breaks.last().is_some_and(|&b| b as usize + 1 == head.text.len());
                let spans = head.spans.len() + tail.spans.len();
                let joined = head.joined(tail);
                assert_eq!(joined, whole, "round {round}, cut at {at}: {text:?}");
                cuts += 1;
                merged += usize::from(whole.after_join.is_empty() && spans > whole.spans.len());
                line_breaks += usize::from(line_break);
                joins_across += usize::from(run_across && !whole.after_join.is_empty());
            }
        }
        // The cuts met merged spans, line breaks and spaced runs across them, not only plain spaces.
        assert!(cuts > 20_000, "{cuts}");
        assert!(merged > 2_000 && line_breaks > 2_000 && joins_across > 100, "{merged} {line_breaks} {joins_across}");
    }

    #[test]
    fn the_cut_is_near_the_target_or_none() {
        let text = "고객 문의 응대 및 주문 관리. Apply today. ".repeat(400);
        let at = split_point(&text).expect("a page with ASCII words has a cut");
        let target = text.len() - text.len() * TAIL_PERCENT / 100;
        assert!(at >= target && at < target + 100, "{at} {target}");
        assert!(is_cut(text.as_bytes(), at));
        // No ASCII after a space: no cut.
        assert_eq!(split_point(&"고객 문의 ".repeat(3000)), None);
        assert_eq!(split_point(""), None);
        assert_eq!(split_point(" a"), None);
    }
}
