//! The offset maps of [`Normalized`], a stretch of characters at a time: where each character of the normalised
//! view came from in the original text, and where each character of the squeezed view sits in the normalised
//! one. Most characters map one for one (a character of one UTF-16 unit in, one character out; a squeezed
//! character is a copy of the normalised one), so the maps keep one entry per stretch that does ([`Span`],
//! [`SqSpan`]) and work out a single character's place when a match is mapped: about a thousand matches on a
//! 100 KB page, where the former per-character entries cost five buffer pushes for each of its 58,000
//! characters. A character's other flags come from the text itself: whether it is a Latin letter or digit (what
//! every push recorded, `is_latin_alnum` of the character pushed) is read off the character beside a match.

use super::Normalized;

/// [`Span::end`] of a span whose characters are each `width` bytes long (1 to 3) and each come from one UTF-16
/// unit, one after another: the last three values of `u32`, which no UTF-16 offset reaches.
#[inline(always)]
pub(super) const fn unit(width: u32) -> u32 {
    u32::MAX - 3 + width
}

/// Whether a span's `end` is [`unit`]'s, and the width of its characters.
#[inline(always)]
pub(super) fn unit_width(end: u32) -> Option<u32> {
    (end > u32::MAX - 3).then(|| end - (u32::MAX - 3))
}

/// A stretch of the normalised view that starts at byte `byte` of [`Normalized::text`] and ends where the next
/// one starts (or at the text's end). With `end == unit(width)`, its characters are `width` bytes long and its
/// `k`th one comes from the UTF-16 range `orig + k .. orig + k + 1` (a character's place is a division, not a
/// count); otherwise every one of its characters comes from `orig..end` (a cluster, a character that NFKC or
/// lower case turns into several, a character outside the BMP).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Span {
    pub(super) byte: u32,
    pub(super) orig: u32,
    pub(super) end: u32,
}

/// A stretch of the squeezed view that copies the normalised view's bytes from `norm` on, from its byte `sq` to
/// where the next one starts: byte `sq + d` of [`Normalized::squeezed`] is byte `norm + d` of the text. `span` is
/// the index of the [`Span`] that holds byte `norm` (where a search for a squeezed character's span starts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct SqSpan {
    pub(super) sq: u32,
    pub(super) norm: u32,
    pub(super) span: u32,
}

/// The last index from `i` on at which `le` holds, given that it holds at `i` and, below `len`, for a prefix of
/// the indices only: a few steps forward (where a match's other end most often is), then a binary search.
#[inline]
fn seek(i: usize, len: usize, le: impl Fn(usize) -> bool) -> usize {
    let mut j = i;
    while j + 1 < len && le(j + 1) {
        j += 1;
        if j - i == 4 {
            return bisect(j, len, le);
        }
    }
    j
}

/// The last index in `lo..hi` at which `le` holds, given that it holds at `lo` and at none from `hi` on.
#[inline]
fn bisect(mut lo: usize, mut hi: usize, le: impl Fn(usize) -> bool) -> usize {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if le(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The start of the character of `s` that holds byte `i` (`i` < `s.len()`).
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The first character boundary of `s` at or after byte `i` (the length when there is none).
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl Normalized {
    /// Records that the character about to go to byte `p` of the text, `width` bytes long, comes from the UTF-16
    /// range `s..e`: it continues the last span when it maps as that span's characters do, and starts one
    /// otherwise.
    #[inline(always)]
    pub(super) fn map(&mut self, p: u32, width: u32, s: u32, e: u32) {
        // (A four-byte character is two UTF-16 units in the original, but NFKC or lower case might make one of
        // a one-unit character: it maps as a shared range.)
        let one = e == s + 1 && width <= 3;
        let extends = match self.spans.last() {
            Some(l) if one => l.end == unit(width) && s == self.end16,
            Some(l) => l.orig == s && l.end == e,
            None => false,
        };
        #[cfg(test)]
        let extends = extends && !self.per_char;
        if !extends {
            self.spans.push(Span { byte: p, orig: s, end: if one { unit(width) } else { e } });
        }
        self.end16 = e;
    }

    /// [`Self::map`] for `n` characters of `width` bytes each from byte `p` of the text, from the UTF-16 units
    /// `s..s + n`, one each: the span `map` would give them one by one.
    #[inline(always)]
    pub(super) fn map_units(&mut self, p: u32, s: u32, n: u32, width: u32) {
        if n == 0 {
            return;
        }
        self.map(p, width, s, s + 1);
        self.end16 = s + n;
    }

    /// Records that the squeezed character about to go to byte `q` of the squeezed view is the character at
    /// byte `p` of the text: it continues the last squeezed span when the text between them was all squeezed.
    #[inline(always)]
    pub(super) fn map_sq(&mut self, q: u32, p: u32) {
        let extends = self.sq_spans.last().is_some_and(|l| p - q == l.norm - l.sq);
        #[cfg(test)]
        let extends = extends && !self.per_char;
        if !extends {
            // The character at `p` was mapped just before: it is in the last span.
            self.sq_spans.push(SqSpan { sq: q, norm: p, span: self.spans.len() as u32 - 1 });
        }
    }

    /// The UTF-16 range in the original text from the character at byte `first` of the text to the one at byte
    /// `last` (character starts, `hint <= first <= last` where `hint` is the index of a span at or before the
    /// first character's).
    fn orig_range(&self, hint: usize, first: usize, last: usize) -> (u32, u32) {
        let le = |p: usize| move |j: usize| self.spans[j].byte as usize <= p;
        let i = seek(hint, self.spans.len(), le(first));
        let j = seek(i, self.spans.len(), le(last));
        (self.orig_at(i, first).0, self.orig_at(j, last).1)
    }

    /// The UTF-16 range of the character at byte `p` of the text, in span `i`.
    #[inline]
    fn orig_at(&self, i: usize, p: usize) -> (u32, u32) {
        let span = self.spans[i];
        match unit_width(span.end) {
            Some(w) => {
                let k = (p as u32 - span.byte) / w;
                (span.orig + k, span.orig + k + 1)
            }
            None => (span.orig, span.end),
        }
    }

    /// The byte of the text that byte `q` of the squeezed view copies, in squeezed span `k`.
    /// The last squeezed span starting at or before squeezed byte `q` (what `partition_point` finds, less one),
    /// galloping from `hint` towards it and then searching the last gap by halves. The first span starts at 0.
    fn sq_span_at(&self, q: usize, hint: usize) -> usize {
        let spans = &self.sq_spans;
        let le = |k: usize| spans[k].sq as usize <= q;
        let hint = hint.min(spans.len() - 1);
        // `le` holds at `lo` and not at `hi` (or `hi` is the end).
        let (mut lo, mut hi);
        let mut step = 1;
        if le(hint) {
            lo = hint;
            loop {
                let next = lo + step;
                if next >= spans.len() {
                    hi = spans.len();
                    break;
                }
                if !le(next) {
                    hi = next;
                    break;
                }
                lo = next;
                step *= 2;
            }
        } else {
            hi = hint;
            loop {
                let next = hi.saturating_sub(step);
                if next == 0 || le(next) {
                    lo = next;
                    break;
                }
                hi = next;
                step *= 2;
            }
        }
        bisect(lo, hi, le)
    }

    fn norm_byte_of_sq(&self, k: usize, q: usize) -> usize {
        let span = self.sq_spans[k];
        span.norm as usize + (q - span.sq as usize)
    }

    /// Whether a space dropped by [`Normalized::join_spaced_runs`] stood before the character at byte `p`.
    fn after_join(&self, p: usize) -> bool {
        self.after_join.binary_search(&(p as u32)).is_ok()
    }

    /// Every character of the text with its byte offset and original UTF-16 range, in order.
    pub(super) fn chars_with_ranges(&self) -> impl Iterator<Item = (u32, char, u32, u32)> + '_ {
        self.spans.iter().enumerate().flat_map(move |(i, span)| {
            let to = self.spans.get(i + 1).map_or(self.text.len(), |n| n.byte as usize);
            self.text[span.byte as usize..to].char_indices().enumerate().map(move |(k, (b, c))| {
                let (s, e) = if unit_width(span.end).is_some() {
                    (span.orig + k as u32, span.orig + k as u32 + 1)
                } else {
                    (span.orig, span.end)
                };
                (span.byte + b as u32, c, s, e)
            })
        })
    }

    /// Maps a byte range of the normalised view to a UTF-16 range of the original text: from the first character
    /// that starts in it (or the last character) to the last character that starts before its end (or that
    /// first one).
    pub fn norm_range_to_orig(&self, start: usize, end: usize) -> (u32, u32) {
        if start >= end || self.text.is_empty() {
            return (0, 0);
        }
        let last_char = floor_boundary(&self.text, self.text.len() - 1);
        let first = ceil_boundary(&self.text, start).min(last_char);
        let last = floor_boundary(&self.text, end.min(self.text.len()) - 1).max(first);
        self.orig_range(0, first, last)
    }

    /// Maps a squeezed-view byte range to the original UTF-16 range, or `None` when a Latin phrase would
    /// start or end inside a word of the normalised text.
    pub fn squeezed_match(&self, start: usize, end: usize, check_start: bool, check_end: bool) -> Option<(u32, u32)> {
        self.squeezed_match_from(&mut 0, start, end, check_start, check_end)
    }

    /// [`Normalized::squeezed_match`], looking for the match's first squeezed span from `hint` (and leaving the
    /// span found there): the phrase search reports matches in text order, so the last match's span is most often
    /// a few spans away, where a binary search over all of them missed the cache at nearly every step (three
    /// quarters of this function's time, by `perf annotate`).
    pub fn squeezed_match_from(
        &self,
        hint: &mut usize,
        start: usize,
        end: usize,
        check_start: bool,
        check_end: bool,
    ) -> Option<(u32, u32)> {
        let sq = &self.squeezed;
        if start >= end || start >= sq.len() {
            return None;
        }
        // The first squeezed character that starts in the range and the last one, in the normalised view.
        let (q_first, q_last) = (ceil_boundary(sq, start).min(floor_boundary(sq, sq.len() - 1)), end.min(sq.len()) - 1);
        let le = |q: usize| move |k: usize| self.sq_spans[k].sq as usize <= q;
        let k = self.sq_span_at(q_first, *hint);
        *hint = k;
        let first = self.norm_byte_of_sq(k, q_first);
        let q_last = floor_boundary(sq, q_last.max(q_first));
        let last = self.norm_byte_of_sq(seek(k, self.sq_spans.len(), le(q_last)), q_last);
        let after_last = ceil_boundary(&self.text, last + 1);
        // Inside a joined run of spaced letters every space was a word boundary once, but a short phrase
        // (`thr`, `micr`) would then match inside any spaced word (`t h r o u g h`): only a phrase of
        // JOINED_BOUNDARY_MIN characters or more may start or end at a joined space.
        let joined_ok = || self.text[first..after_last].chars().count() >= super::JOINED_BOUNDARY_MIN;
        let latin = |c: Option<char>| c.is_some_and(super::is_latin_alnum);
        if check_start && latin(self.text[..first].chars().next_back()) && !(self.after_join(first) && joined_ok()) {
            return None;
        }
        if check_end && latin(self.text[after_last..].chars().next()) && !(self.after_join(after_last) && joined_ok()) {
            return None;
        }
        Some(self.orig_range(self.sq_spans[k].span as usize, first, last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_span_found_from_a_hint_is_the_one_a_binary_search_finds() {
        let mut rng = fastrand::Rng::with_seed(0x5b4a_0001);
        let words = ["tele", "gram", "텔레그램", "高薪", "ไทย", " ", ", ", "t e l e", "$500", "\u{200b}"];
        let mut checked = 0;
        for _ in 0..300 {
            let text: String = (0..rng.usize(1..200)).map(|_| words[rng.usize(..words.len())]).collect();
            let n = Normalized::new(&text);
            if n.sq_spans.is_empty() {
                continue;
            }
            for _ in 0..50 {
                let q = rng.usize(..n.squeezed.len() + 4);
                let hint = rng.usize(..n.sq_spans.len() + 3);
                let expected = n.sq_spans.partition_point(|s| s.sq as usize <= q) - 1;
                assert_eq!(n.sq_span_at(q, hint), expected, "q {q} hint {hint}: {text:?}");
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn boundaries_round_to_characters() {
        let s = "a가b";
        assert_eq!((floor_boundary(s, 2), ceil_boundary(s, 2)), (1, 4));
        assert_eq!((floor_boundary(s, 4), ceil_boundary(s, 4)), (4, 4));
        assert_eq!(ceil_boundary(s, 9), 5);
    }

    #[test]
    fn map_units_gives_the_spans_of_map() {
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..2000 {
            let (mut bulk, mut single) = (Normalized::default(), Normalized::default());
            let (mut p, mut s) = (0, 0);
            for _ in 0..rng.usize(..8) {
                // A gap in the original, a shared range, or a run of one-unit characters.
                s += rng.u32(..2);
                if rng.bool() {
                    let e = s + rng.u32(2..4);
                    bulk.map(p, 4, s, e);
                    single.map(p, 4, s, e);
                    (p, s) = (p + 4, e);
                } else {
                    let (n, width) = (rng.u32(..150), rng.u32(1..4));
                    bulk.map_units(p, s, n, width);
                    for k in 0..n {
                        single.map(p + k * width, width, s + k, s + k + 1);
                    }
                    (p, s) = (p + n * width, s + n);
                }
                assert_eq!(bulk.spans, single.spans);
                assert_eq!(bulk.end16, single.end16);
            }
        }
    }

    #[test]
    fn unit_ends_are_no_offsets() {
        for w in 1..=3 {
            assert_eq!(unit_width(unit(w)), Some(w));
        }
        assert_eq!(unit_width(u32::MAX - 3), None);
    }
}
