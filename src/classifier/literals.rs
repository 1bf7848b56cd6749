//! A many-literal matcher, [`LiteralSet`], reporting every occurrence in the order of an overlapping
//! Aho-Corasick search (by end, then longest first): the classifier finds its phrases and its regexes' gating
//! literals with it, natively and in the Wasm alike; and what each pattern stands for, as one flat list
//! ([`group`]).
//!
//! A [`LiteralSet`] files every pattern under its last four bytes (shorter ones under their last byte) and, at
//! each character boundary of the text, compares the patterns that may end there, first by their last eight
//! bytes: no trie or failure links to build. Natively the patterns are filed again, by length, under keys that
//! skip most places of a text with one bit test ([`native`]), and the reports come in the same order. The Wasm
//! builds its matchers at every cold start in unoptimised code (Liftoff), where the phrase automaton's build was
//! the largest part of the pack compile. Natively, for the bundled pack's 8,452 squeezed phrases (one run, load
//! ~3), a `LiteralSet` built in 0.6 ms against 34 ms for Aho-Corasick's contiguous NFA, and searched the 100 KB
//! benchmark page's squeezed view in 0.51 ms against 0.49 ms (medians of 31); scoring that page as a whole took
//! 56.80 M instructions against 57.89 M with Aho-Corasick (callgrind, steady state; docs/budgets.md, branch
//! `cold`).

use super::snapshot::io::{Reader, Writer};
use super::snapshot::SnapshotError;

#[cfg(not(target_arch = "wasm32"))]
mod native;

/// Bytes of the key a pattern is filed under (its last ones).
const KEY: usize = 4;
/// End of a chain.
const NONE: u32 = u32::MAX;

/// Bytes of a UTF-8 character by its first byte (1 for a continuation byte, which a `str` never starts with).
const UTF8_LEN: [u8; 256] = {
    let mut len = [1u8; 256];
    let mut b = 0xC0;
    while b < 256 {
        len[b] = if b < 0xE0 {
            2
        } else if b < 0xF0 {
            3
        } else {
            4
        };
        b += 1;
    }
    len
};

/// `bytes` (at most eight) rolled into a number one at a time from the top, as the searches read a text: the
/// last byte highest, and zeros below the first.
fn rolled(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |last8, &b| (last8 >> 8) | (u64::from(b) << 56))
}

/// A set of literal patterns, numbered in the order given, found by their last bytes (see the module's doc).
#[derive(Debug, Clone)]
pub struct LiteralSet {
    /// Every pattern's bytes, end to end; pattern `i` is `bytes[starts[i]..starts[i + 1]]`.
    bytes: Vec<u8>,
    starts: Vec<u32>,
    /// Open-addressing hash table (linear probing, at most a quarter full) of the patterns at least [`KEY`]
    /// bytes long: (their last [`KEY`] bytes as a little-endian number, the first pattern of those ending so).
    slots: Vec<(u32, u32)>,
    /// Shift that takes a 32-bit product to an index of `slots`.
    shift: u32,
    /// The first pattern shorter than [`KEY`] bytes ending in each byte.
    short_heads: Vec<u32>,
    /// Per pattern: the next pattern of its chain (same slot, or same last byte; in a chain, longer patterns
    /// come first), and its last eight bytes (fewer if shorter) in the high bytes of a number, as the search
    /// rolls the text's last eight bytes in: most candidates are told apart by these without a comparison.
    entries: Vec<Entry>,
    /// The native search's tables, derived from the patterns (not stored in a snapshot).
    #[cfg(not(target_arch = "wasm32"))]
    index: native::Index,
}

/// One pattern of a [`LiteralSet`]: see [`LiteralSet::entries`].
#[derive(Debug, Clone, Copy)]
struct Entry {
    tail: u64,
    mask: u64,
    next: u32,
}

impl Entry {
    /// Whether a text whose last eight bytes are `last8` (the most recent highest) ends in the pattern's last
    /// eight bytes (all of them if it is shorter). The general search's (the native one reads its own copy).
    #[cfg(any(test, target_arch = "wasm32"))]
    #[inline]
    fn matches(&self, last8: u64) -> bool {
        last8 & self.mask == self.tail
    }
}

impl LiteralSet {
    /// Files `patterns` (empty ones never match). Patterns are numbered from 0 in the order given.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> LiteralSet {
        let n = patterns.len();
        let total: usize = patterns.iter().map(|p| p.as_ref().len()).sum();
        let mut bytes = Vec::with_capacity(total);
        let mut starts = Vec::with_capacity(n + 1);
        let mut max_len = 0;
        for p in patterns {
            starts.push(bytes.len() as u32);
            bytes.extend_from_slice(p.as_ref().as_bytes());
            max_len = max_len.max(p.as_ref().len());
        }
        starts.push(bytes.len() as u32);
        let bits = (4 * n).max(16).next_power_of_two().trailing_zeros();
        let mut set = LiteralSet {
            #[cfg(not(target_arch = "wasm32"))]
            index: native::Index::new(&bytes, &starts),
            bytes,
            starts,
            slots: vec![(0, NONE); 1 << bits],
            shift: 32 - bits,
            short_heads: vec![NONE; 256],
            entries: Vec::with_capacity(n),
        };
        for p in patterns {
            let p = p.as_ref().as_bytes();
            let tail_len = p.len().min(8);
            let mut tail = 0u64;
            for &b in &p[p.len() - tail_len..] {
                tail = (tail >> 8) | (u64::from(b) << 56);
            }
            let mask = if tail_len == 0 { 0 } else { !0u64 << (64 - 8 * tail_len) };
            set.entries.push(Entry { tail, mask, next: NONE });
        }
        // Patterns by length, shortest first (a counting sort), each pushed on the front of its chain: every
        // chain then runs longest first, the order in which an overlapping Aho-Corasick search reports the
        // patterns that end at one place.
        let mut by_len = vec![0u32; max_len + 2];
        for p in patterns {
            by_len[p.as_ref().len() + 1] += 1;
        }
        for i in 1..by_len.len() {
            by_len[i] += by_len[i - 1];
        }
        let mut order = vec![0u32; n];
        for (i, p) in patterns.iter().enumerate() {
            let slot = &mut by_len[p.as_ref().len()];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        let mask = set.slots.len() - 1;
        for &i in &order {
            let p = patterns[i as usize].as_ref().as_bytes();
            let head = match p.len() {
                0 => continue,
                len if len < KEY => &mut set.short_heads[usize::from(p[len - 1])],
                len => {
                    let key = key_at(p, len);
                    let mut at = (hash(key) >> set.shift) as usize;
                    while set.slots[at].1 != NONE && set.slots[at].0 != key {
                        at = (at + 1) & mask;
                    }
                    set.slots[at].0 = key;
                    &mut set.slots[at].1
                }
            };
            set.entries[i as usize].next = *head;
            *head = i;
        }
        set
    }

    /// Calls `found(pattern, start, end)` for every occurrence of every pattern in `text`, overlapping ones
    /// included, by end and then longest first.
    pub fn for_each_match(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        #[cfg(not(target_arch = "wasm32"))]
        self.index.for_each_match(self, text.as_bytes(), &mut found);
        #[cfg(target_arch = "wasm32")]
        self.scan(text.as_bytes(), &mut found);
    }

    /// Reports the patterns that end at each character boundary of `text`: the general search, the Wasm's (and
    /// the native tests' reference).
    #[cfg(any(test, target_arch = "wasm32"))]
    fn scan(&self, text: &[u8], found: &mut impl FnMut(usize, usize, usize)) {
        // Only ends on a character boundary are looked up (patterns are whole characters): the text is walked a
        // character at a time, and its last eight bytes there read as one number (the most recent highest).
        let mask = self.slots.len() - 1;
        let mut end = 0;
        while end < text.len() {
            end += usize::from(UTF8_LEN[usize::from(text[end])]).min(text.len() - end);
            let last8 = if end >= 8 {
                let mut eight = [0u8; 8];
                eight.copy_from_slice(&text[end - 8..end]);
                u64::from_le_bytes(eight)
            } else {
                // Fewer than eight bytes so far: the missing ones are zero, as if rolled in one at a time.
                rolled(&text[..end])
            };
            let byte = (last8 >> 56) as u8;
            let key = (last8 >> 32) as u32;
            if end >= KEY {
                let mut at = (hash(key) >> self.shift) as usize;
                loop {
                    let (k, head) = self.slots[at];
                    if head == NONE {
                        break;
                    }
                    if k == key {
                        // Every pattern of this chain ends in these four bytes.
                        self.chain(text, end, last8, head, found);
                        break;
                    }
                    at = (at + 1) & mask;
                }
            }
            let head = self.short_heads[usize::from(byte)];
            if head != NONE {
                self.chain(text, end, last8, head, found);
            }
        }
    }

    /// Reports every pattern of the chain from `head` that ends at `end` of `text`.
    #[cfg(any(test, target_arch = "wasm32"))]
    #[inline]
    fn chain(&self, text: &[u8], end: usize, last8: u64, head: u32, found: &mut impl FnMut(usize, usize, usize)) {
        let mut p = head;
        while p != NONE {
            let i = p as usize;
            let entry = self.entries[i];
            if entry.matches(last8) {
                let (s, e) = (self.starts[i] as usize, self.starts[i + 1] as usize);
                let len = e - s;
                if len <= end && (len <= 8 || text[end - len..end - 8] == self.bytes[s..e - 8]) {
                    found(i, end - len, end);
                }
            }
            p = entry.next;
        }
    }
}

impl LiteralSet {
    /// Number of patterns.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Writes the set's tables as blocks of numbers (see [`super::snapshot`]).
    pub(super) fn write(&self, w: &mut Writer) {
        w.bytes(&self.bytes);
        w.u32s(self.starts.iter().copied());
        // Only the filled slots (at most a quarter of the table): where, the key, the chain's head.
        let filled: Vec<u32> = (0..self.slots.len() as u32).filter(|&i| self.slots[i as usize].1 != NONE).collect();
        w.len(self.slots.len());
        w.u32s(filled.iter().copied());
        w.u32s(filled.iter().map(|&i| self.slots[i as usize].0));
        w.u32s(filled.iter().map(|&i| self.slots[i as usize].1));
        w.u32s(self.short_heads.iter().copied());
        w.u64s(self.entries.iter().map(|e| e.tail));
        w.u64s(self.entries.iter().map(|e| e.mask));
        w.u32s(self.entries.iter().map(|e| e.next));
    }

    /// Reads what [`LiteralSet::write`] wrote, checking every index, so that a search can neither panic nor
    /// loop: patterns are whole UTF-8 strings end to end, every chain link points at a pattern, no pattern is
    /// reached twice (so no chain runs in a circle) and the hash table has an empty slot to end each probe.
    pub(super) fn read(r: &mut Reader) -> Result<LiteralSet, SnapshotError> {
        let bytes = r.bytes()?.to_vec();
        let starts = r.u32s()?;
        let slots_len = r.u32()? as usize;
        let at = r.u32s()?;
        let keys = r.u32s()?;
        let heads = r.u32s()?;
        let short_heads = r.u32s()?;
        let (tails, masks, nexts) = (r.u64s()?, r.u64s()?, r.u32s()?);
        let Some(n) = starts.len().checked_sub(1) else { return Err(r.invalid("no pattern offsets")) };
        if tails.len() != n || masks.len() != n || nexts.len() != n || keys.len() != at.len() || heads.len() != at.len()
        {
            return Err(r.invalid("table lengths disagree"));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| r.invalid("patterns are not UTF-8"))?;
        if starts[0] != 0 || starts[n] as usize != bytes.len() {
            return Err(r.invalid("pattern offsets do not span the patterns"));
        }
        if starts.windows(2).any(|w| w[0] > w[1]) || !starts.iter().all(|&s| text.is_char_boundary(s as usize)) {
            return Err(r.invalid("pattern offsets out of order or inside a character"));
        }
        // The table's size follows from the number of patterns, as [`LiteralSet::new`] chose it; a quarter full
        // at most, so every probe meets an empty slot.
        if slots_len != (4 * n).max(16).next_power_of_two() || at.len() * 4 > slots_len || short_heads.len() != 256 {
            return Err(r.invalid("hash table sizes"));
        }
        let mut slots = vec![(0, NONE); slots_len];
        for ((&i, &k), &h) in at.iter().zip(&keys).zip(&heads) {
            match slots.get_mut(i as usize) {
                Some(slot) if slot.1 == NONE && h != NONE => *slot = (k, h),
                _ => return Err(r.invalid("hash table slot out of range, filled twice or empty")),
            }
        }
        let mut reached = vec![false; n];
        for &p in heads.iter().chain(&short_heads).chain(&nexts) {
            if p == NONE {
                continue;
            }
            match reached.get_mut(p as usize) {
                Some(seen) if !*seen => *seen = true,
                _ => return Err(r.invalid("chain link out of range or reached twice")),
            }
        }
        let entries = tails.into_iter().zip(masks).zip(nexts).map(|((tail, mask), next)| Entry { tail, mask, next });
        Ok(LiteralSet {
            #[cfg(not(target_arch = "wasm32"))]
            index: native::Index::new(&bytes, &starts),
            bytes,
            starts,
            slots,
            shift: 32 - slots_len.trailing_zeros(),
            short_heads,
            entries: entries.collect(),
        })
    }
}

/// What each pattern of a [`LiteralSet`] stands for, as one flat list: groups items `0..of.len()` by their
/// group (pattern) `of[i]` (below `groups`), keeping their order within a group. Returns the groups' starts
/// (`groups + 1` of them) and the items, mapped by `item`.
pub(super) fn group<T>(groups: usize, of: &[u32], item: impl Fn(usize) -> T) -> (Vec<u32>, Vec<T>) {
    let mut starts = vec![0u32; groups + 1];
    for &g in of {
        starts[g as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut order = vec![0usize; of.len()];
    for (i, &g) in of.iter().enumerate() {
        order[next[g as usize] as usize] = i;
        next[g as usize] += 1;
    }
    (starts, order.into_iter().map(item).collect())
}

/// Checks group starts read from a snapshot: one per group and one more, from 0 to `items`, in order.
pub(super) fn check_groups(r: &Reader, starts: &[u32], groups: usize, items: usize) -> Result<(), SnapshotError> {
    let ok = starts.len() == groups + 1
        && starts.first() == Some(&0)
        && starts.last().is_some_and(|&l| l as usize == items)
        && starts.windows(2).all(|w| w[0] <= w[1]);
    if ok {
        Ok(())
    } else {
        Err(r.invalid("group offsets do not span the items in order"))
    }
}

/// The [`KEY`] bytes of `bytes` that end at `end` (`end >= KEY`), as a little-endian number.
#[inline]
fn key_at(bytes: &[u8], end: usize) -> u32 {
    u32::from_le_bytes([bytes[end - 4], bytes[end - 3], bytes[end - 2], bytes[end - 1]])
}

/// Fibonacci hashing: the high bits of the product are well mixed.
#[inline]
fn hash(key: u32) -> u32 {
    key.wrapping_mul(0x9E37_79B9)
}

#[cfg(test)]
mod tests {
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

    use super::LiteralSet;

    /// Every (pattern, start, end) an overlapping Aho-Corasick search reports, in its order.
    fn aho_corasick(patterns: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(patterns)
            .unwrap();
        ac.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect()
    }

    fn literal_set(set: &LiteralSet, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        set.for_each_match(text, |p, s, e| found.push((p, s, e)));
        found
    }

    #[test]
    fn finds_what_aho_corasick_finds_in_random_texts() {
        // Few letters, so patterns overlap, nest and share their last bytes; 1- to 9-character patterns (ASCII,
        // Hangul, Han, Thai: one to three bytes each), some of them suffixes of others.
        let alphabet: Vec<char> = "abcab가나가漢字ไท".chars().collect();
        let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
        let mut checked = 0;
        for round in 0..400 {
            let mut patterns: Vec<String> = Vec::new();
            for _ in 0..1 + rng.usize(..40) {
                let len = 1 + rng.usize(..9);
                let p: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
                if rng.usize(..4) == 0 && !patterns.is_empty() {
                    // A suffix of an earlier pattern.
                    let q = patterns[rng.usize(..patterns.len())].clone();
                    let cut = q.char_indices().map(|(i, _)| i).nth(rng.usize(..q.chars().count())).unwrap();
                    patterns.push(q[cut..].to_string());
                } else {
                    patterns.push(p);
                }
            }
            patterns.sort();
            patterns.dedup();
            let set = LiteralSet::new(&patterns);
            let text: String = (0..rng.usize(..300)).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let want = aho_corasick(&patterns, &text);
            assert_eq!(literal_set(&set, &text), want, "round {round}: {patterns:?} in {text:?}");
            checked += want.len();
        }
        assert!(checked > 10_000, "the random texts should hold many matches ({checked})");
    }

    #[test]
    fn patterns_that_all_hold_a_dot_are_found_as_aho_corasick_finds_them() {
        // Every pattern holds a '.' (as every host does), so the search only looks after the text's dots; texts
        // of the same letters with few dots, long stretches without one, and dots next to multibyte characters.
        let alphabet: Vec<char> = "ab.가漢ไ-".chars().collect();
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0;
        for round in 0..400 {
            let mut patterns: Vec<String> = (0..1 + rng.usize(..20))
                .map(|_| {
                    let mut p: Vec<char> = (0..rng.usize(..8)).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
                    p.insert(rng.usize(..p.len() + 1), '.');
                    p.into_iter().collect()
                })
                .collect();
            patterns.sort();
            patterns.dedup();
            let set = LiteralSet::new(&patterns);
            // The byte every pattern holds: the dot, or '-' when every pattern has one too.
            let required = set.index.required.filter(|r| patterns.iter().all(|p| p.as_bytes().contains(r)));
            assert!(required.is_some(), "{patterns:?}: {:?}", set.index.required);
            let text: String =
                (0..rng.usize(..400))
                    .map(|_| {
                        if rng.usize(..6) == 0 {
                            alphabet[rng.usize(..alphabet.len())]
                        } else {
                            alphabet[rng.usize(..2)]
                        }
                    })
                    .collect();
            let want = aho_corasick(&patterns, &text);
            assert_eq!(literal_set(&set, &text), want, "round {round}: {patterns:?} in {text:?}");
            checked += want.len();
        }
        assert!(checked > 1_000, "the random texts should hold many matches ({checked})");
    }

    /// What the general search (the Wasm's) reports.
    fn general(set: &LiteralSet, text: &str) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        set.scan(text.as_bytes(), &mut |p, s, e| found.push((p, s, e)));
        found
    }

    #[test]
    fn the_native_search_reports_what_the_general_one_does() {
        // Patterns of 1 to 24 bytes (so of every group of the native index, and across their bounds), many
        // sharing their last three or eight bytes, duplicates included (reported later one first); texts of the
        // same characters, with a few others no pattern holds.
        let alphabet: Vec<char> = "aab.가漢ไ\u{10348}".chars().collect();
        let mut rng = fastrand::Rng::with_seed(0x5851_f42d_4c95_7f2d);
        let mut checked = 0;
        for round in 0..600 {
            let mut patterns: Vec<String> = Vec::new();
            for _ in 0..1 + rng.usize(..60) {
                let len = 1 + rng.usize(..8);
                let mut p: String = (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
                if rng.usize(..3) == 0 && !patterns.is_empty() {
                    // An earlier pattern with something before it: the same last bytes.
                    let q = &patterns[rng.usize(..patterns.len())];
                    p = if rng.bool() { format!("{p}{q}") } else { q.clone() };
                }
                patterns.push(p);
            }
            let set = LiteralSet::new(&patterns);
            let text: String = (0..rng.usize(..400))
                .map(|_| if rng.usize(..20) == 0 { 'z' } else { alphabet[rng.usize(..alphabet.len())] })
                .collect();
            let want = general(&set, &text);
            assert_eq!(literal_set(&set, &text), want, "round {round}: {patterns:?} in {text:?}");
            checked += want.len();
        }
        assert!(checked > 20_000, "the random texts should hold many matches ({checked})");
    }

    #[test]
    fn short_patterns_of_every_width_are_found_as_the_general_search_finds_them() {
        // Patterns of one to three characters of one to four bytes each (so one to twelve bytes: the native
        // search's filter by last three bytes, one- and two-byte patterns under every byte before them, and its
        // long keys), a few longer ones; texts of a few bytes (the first eight are read apart) or a few hundred.
        let alphabet: Vec<char> = "ab1 é.ß가ไ\u{10348}".chars().collect();
        let mut rng = fastrand::Rng::with_seed(0x2f1b_a0c4_77e9_d30b);
        let mut checked = 0;
        for round in 0..800 {
            let patterns: Vec<String> = (0..1 + rng.usize(..30))
                .map(|_| {
                    let len = if rng.usize(..5) == 0 { 4 + rng.usize(..6) } else { 1 + rng.usize(..3) };
                    (0..len).map(|_| alphabet[rng.usize(..alphabet.len())]).collect()
                })
                .collect();
            let set = LiteralSet::new(&patterns);
            let chars = rng.usize(..if round % 2 == 0 { 10 } else { 300 });
            let text: String = (0..chars).map(|_| alphabet[rng.usize(..alphabet.len())]).collect();
            let want = general(&set, &text);
            assert_eq!(literal_set(&set, &text), want, "round {round}: {patterns:?} in {text:?}");
            checked += want.len();
        }
        assert!(checked > 10_000, "the random texts should hold many matches ({checked})");
    }

    #[test]
    fn pieces_of_long_mixed_texts_are_found_as_the_general_search_finds_them() {
        // Long texts of one- to four-byte characters (runs of one width and mixed), so that the native search's
        // blocks of eight bytes start and end inside characters of every width; the patterns are pieces of the
        // text (one to twelve characters) with a few changed, so most are found and many overlap.
        let widths: [&[char]; 4] =
            [&['a', 'b', ' ', '.'], &['é', 'ß'], &['가', '漢', 'ไ'], &['\u{10348}', '\u{1F600}']];
        let mut rng = fastrand::Rng::with_seed(0x7a3c_91e4_0b5d_2f68);
        let mut checked = 0;
        for round in 0..300 {
            let mut text = String::new();
            while text.len() < 200 + rng.usize(..1800) {
                let w = widths[rng.usize(..4)];
                // A run of one width, or a single character.
                for _ in 0..if rng.bool() { 1 } else { 1 + rng.usize(..12) } {
                    text.push(w[rng.usize(..w.len())]);
                }
            }
            let chars: Vec<char> = text.chars().collect();
            let patterns: Vec<String> = (0..1 + rng.usize(..40))
                .map(|_| {
                    let start = rng.usize(..chars.len());
                    let end = (start + 1 + rng.usize(..12)).min(chars.len());
                    let mut p: Vec<char> = chars[start..end].to_vec();
                    if rng.usize(..5) == 0 {
                        let at = rng.usize(..p.len());
                        p[at] = 'z';
                    }
                    p.into_iter().collect()
                })
                .collect();
            let set = LiteralSet::new(&patterns);
            let want = general(&set, &text);
            assert_eq!(literal_set(&set, &text), want, "round {round}: {patterns:?} in {text:?}");
            checked += want.len();
        }
        assert!(checked > 10_000, "the random texts should hold many matches ({checked})");
    }

    #[test]
    fn empty_patterns_and_texts() {
        let set = LiteralSet::new(&["", "ab", "b"]);
        assert!(literal_set(&set, "").is_empty());
        assert_eq!(literal_set(&set, "abab"), vec![(1, 0, 2), (2, 1, 2), (1, 2, 4), (2, 3, 4)]);
        assert!(literal_set(&LiteralSet::new::<&str>(&[]), "abc").is_empty());
    }

    /// The bundled pack's phrases (squeezed, deduplicated) over the squeezed view, and its regexes' gating
    /// literals over the normalised view, of every line of the dev data in `../shared/data/dev`.
    #[cfg(feature = "sources")]
    #[test]
    fn finds_what_aho_corasick_finds_in_the_dev_data() {
        use crate::normalize::{Normalized, PhraseSqueezer};
        use std::path::PathBuf;

        let pack = crate::bundled::pack().unwrap();
        let mut squeezer = PhraseSqueezer::default();
        let mut phrases: Vec<String> =
            pack.rules.iter().flat_map(|r| &r.phrases).map(|p| squeezer.squeeze(p).to_string()).collect();
        phrases.sort();
        phrases.dedup();
        let mut near: Vec<String> = pack.rules.iter().flat_map(|r| r.near.iter().cloned()).collect();
        near.sort();
        near.dedup();
        assert!(phrases.len() > 5000 && near.len() > 500, "{} phrases, {} literals", phrases.len(), near.len());
        let (phrase_set, near_set) = (LiteralSet::new(&phrases), LiteralSet::new(&near));
        let phrase_ac = AhoCorasick::builder().kind(Some(AhoCorasickKind::ContiguousNFA)).build(&phrases).unwrap();
        let near_ac = AhoCorasick::builder().kind(Some(AhoCorasickKind::ContiguousNFA)).build(&near).unwrap();
        let overlapping = |ac: &AhoCorasick, text: &str| -> Vec<(usize, usize, usize)> {
            ac.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect()
        };

        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/dev");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{} (the team's dev data) is missing: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        let (mut lines, mut phrase_hits, mut near_hits) = (0, 0, 0);
        for f in files {
            for line in std::fs::read_to_string(&f).unwrap().lines().filter(|l| !l.trim().is_empty()) {
                let v: serde_json::Value = serde_json::from_str(line).unwrap();
                let text = format!("{}\n\n{}", v["text"].as_str().unwrap_or(""), v["title"].as_str().unwrap_or(""));
                let norm = Normalized::new(&text);
                let want = overlapping(&phrase_ac, &norm.squeezed);
                assert_eq!(literal_set(&phrase_set, &norm.squeezed), want, "{}: {}", f.display(), v["id"]);
                phrase_hits += want.len();
                let want = overlapping(&near_ac, &norm.text);
                assert_eq!(literal_set(&near_set, &norm.text), want, "{}: {}", f.display(), v["id"]);
                near_hits += want.len();
                lines += 1;
            }
        }
        assert!(lines > 2000 && phrase_hits > 1000 && near_hits > 1000, "{lines} {phrase_hits} {near_hits}");
    }
}
