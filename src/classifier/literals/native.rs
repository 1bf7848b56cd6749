//! The native search of a [`LiteralSet`]: the patterns filed again, by length, under keys that tell most places
//! of a text apart with one bit test, so that most characters cost a few instructions and few places need a look.
//!
//! The general search (the Wasm's, [`LiteralSet::scan`]) files every pattern under its last four bytes: in Korean
//! that is one syllable and a byte of the one before, which ends hundreds of phrases, so about half the characters
//! of a Korean page passed its filters and each walked a chain of about eight patterns. Here the patterns of at
//! least eight bytes are filed under their last eight, those of three to seven bytes under their last three, and
//! the rest under their last byte. Two bits per hash of the long keys, and a bit per last three bytes of the
//! shorter patterns (read from the text directly, no hash), let few characters through: of the 100 KB benchmark
//! page's 45,500 squeezed characters, 23,800 passed the general search's filter and walked 73,800 chain links;
//! here 2,800 pass for the long patterns and 2,000 for the shorter ones (a bit per last two bytes let 11,800
//! through). The loop over places calls nothing, so it keeps its values in registers; it tests the long
//! patterns' last three bytes as it does the shorter ones' before it hashes, and it finds the character
//! boundaries eight bytes at a time ([`Index::scan_blocks`]) rather than waiting on each character's length.
//! The search of that page's phrases and regex literals takes 4.19 M instructions, the
//! found matches' callbacks included, against 4.38 M hashing at every character, and 5.55 M with one bit per
//! hashed long key and per last two bytes (callgrind, `examples/score_page`, the caller's thread). Derived from
//! the patterns whenever a set is built or read, at 4.4 M instructions a set more for the 4 MB filter's zeroing;
//! native only, as its code would take the Wasm module over its size budget.

use super::{rolled, LiteralSet, NONE, UTF8_LEN};

/// Patterns at least this long are filed under their last [`LONG`] bytes.
const LONG: usize = 8;
/// Patterns from this long up to [`LONG`] - 1 bytes are filed under their last [`MID`] bytes; shorter ones
/// under their last byte.
const MID: usize = 3;
/// Bits of the filter of the long patterns' keys, two per key (16 KB: it stays in the first-level cache).
const LONG_BITS: u32 = 17;
/// The bits of a hash that pick one bit of the long patterns' filter.
const LONG_MASK: u64 = (1 << LONG_BITS) - 1;
/// Pairs of words of `tail3_bits`: two bits for each of the 2^24 values of three bytes.
const TAIL3_WORDS: usize = 1 << (24 - 6);

/// The patterns of a [`LiteralSet`] filed by length (see the module's doc).
#[derive(Debug, Clone)]
pub(super) struct Index {
    /// Two bits per hash of the last eight bytes of a pattern at least [`LONG`] bytes long (from two parts of
    /// the hash): most places that pass one by chance fail the other.
    long_bits: Box<[u64; 1 << (LONG_BITS - 6)]>,
    /// Open-addressing hash table (linear probing, at most half full): (last eight bytes as a little-endian
    /// number, the first pattern ending in them), for the patterns at least [`LONG`] bytes long.
    long_slots: Vec<(u64, u32)>,
    /// Per last three bytes, two bits: whether a pattern shorter than [`LONG`] bytes may end in them (a pattern
    /// of one or two bytes whatever bytes come before), and whether a pattern at least [`LONG`] bytes long does.
    /// Indexed by the bytes themselves, the last one lowest ([`key3`]): a pair of words per 64 values of the
    /// last byte, the shorter patterns' word first. Where the general search's key of four bytes let half a
    /// Korean text's characters through, and a bit per last two bytes a quarter, the first bit lets through about
    /// one in twenty, with no hash to compute; the second is set at a third of the benchmark page's places,
    /// where a long pattern's first hashed bit let one in eight through, for one instruction less a place.
    ///
    /// 4 MB, of which a text reads few lines. With the last byte highest (as it sits in `last8`), a Korean
    /// syllable's last byte picked a line and its first byte (four values) the bit: the syllables of a page
    /// spread over two tables of a few hundred KB (the shorter and the long patterns' apart), read at two lines a
    /// place. With the last byte lowest, a syllable's last byte picks a bit of one word and its first two bytes
    /// the word: all of Korean lies in 256 pairs of words (16 KB), read at one line a place. Scoring the 100 KB
    /// benchmark page took 1,100 microseconds against 1,145 with the blocks alone (tenth percentile of 400 runs,
    /// three interleaved series, without the model; a loaded machine).
    tail3_bits: Box<[[u64; 2]; TAIL3_WORDS]>,
    /// As `long_slots`, for the patterns of [`MID`] to [`LONG`] - 1 bytes and their last three bytes.
    mid_slots: Vec<(u32, u32)>,
    /// The first pattern shorter than [`MID`] bytes ending in each byte.
    short_heads: Box<[u32; 256]>,
    /// Per pattern, what a look at it reads, in one record (see [`Link`]): with the pattern's length, its
    /// comparison word and its chain's next link in three arrays, a look read three lines of memory at patterns
    /// all over the set, which missed the cache at most links (perf put most of the looks' samples on them).
    links: Vec<Link>,
    /// The bytes some pattern holds, as bits: no match spans a byte outside them.
    held: [u64; 4],
    /// An ASCII byte other than a letter or digit that every pattern holds (the dot of every host), and the
    /// longest pattern's length: then only the ends within that length after such a byte, found by `memchr`,
    /// need a look.
    pub(super) required: Option<u8>,
    max_len: usize,
}

/// One pattern of an [`Index`]'s chains: what telling it apart at a place reads.
#[derive(Debug, Clone, Copy)]
struct Link {
    /// A pattern at least [`LONG`] bytes long: the (up to) eight bytes before its last eight, as a number (the
    /// last one highest); a shorter one: its bytes, in the high bytes of a number (as `Entry::tail`). Most chain
    /// links are told apart by these.
    word: u64,
    /// The bits of `word` its bytes fill.
    mask: u64,
    /// The pattern's length in bytes.
    len: u32,
    /// The next pattern filed under the same key; longer patterns first, and among patterns of one length the
    /// later one first: the order of the general search's chains, so matches come in its order.
    next: u32,
}

/// Fibonacci hashing of a long pattern's key: the high bits of the product are well mixed.
#[inline]
fn long_hash(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Fibonacci hashing of a middle pattern's key (its last three bytes).
#[inline]
fn mid_hash(key: u32) -> u32 {
    key.wrapping_mul(0x9E37_79B1)
}

/// The mask of the top `n` bytes (`n <= 8`) of a number.
fn high_bytes(n: usize) -> u64 {
    if n == 0 {
        0
    } else {
        !0 << (64 - 8 * n)
    }
}

/// Whether bit `bit` of `bits` is set.
#[inline(always)]
fn bit<const N: usize>(bits: &[u64; N], bit: u64) -> bool {
    bits[(bit >> 6) as usize] >> (bit & 63) & 1 != 0
}

/// The last three bytes of a pattern as an index of `tail3_bits`: the last one lowest (see [`key3`]).
fn tail3(bytes: &[u8]) -> usize {
    usize::from(bytes[2]) | usize::from(bytes[1]) << 8 | usize::from(bytes[0]) << 16
}

/// The last three bytes of a text whose last eight bytes are `last8` (the most recent highest) as an index of
/// `tail3_bits`: the last one lowest, as [`tail3`] reads a pattern's (one byte swap).
#[inline(always)]
fn key3(last8: u64) -> usize {
    (last8.swap_bytes() & 0xFF_FFFF) as usize
}

/// Whether bit `which` (0: the shorter patterns', 1: the long ones') of the three-byte key `key` is set in
/// `tail3_bits`.
#[inline(always)]
fn tail3_bit(bits: &[[u64; 2]; TAIL3_WORDS], key: usize, which: usize) -> bool {
    bits[key >> 6][which] >> (key & 63) & 1 != 0
}

/// Sets bit `which` of the three-byte key `key` in `tail3_bits`.
fn set_tail3_bit(bits: &mut [[u64; 2]], key: usize, which: usize) {
    bits[key >> 6][which] |= 1 << (key & 63);
}

/// Sets bit `bit` of `bits`.
fn set_bit(bits: &mut [u64], bit: usize) {
    bits[bit >> 6] |= 1 << (bit & 63);
}

/// Puts `key` in the open-addressing table `slots` (`shift` takes a hash to an index) if it is not there, and
/// returns its chain's head.
fn head_of<K: Copy + PartialEq>(slots: &mut [(K, u32)], shift: u32, hash: u64, key: K) -> &mut u32 {
    let mask = slots.len() - 1;
    let mut at = (hash >> shift) as usize;
    while slots[at].1 != NONE && slots[at].0 != key {
        at = (at + 1) & mask;
    }
    slots[at].0 = key;
    &mut slots[at].1
}

/// Where `key` is in the open-addressing table `slots` (`shift` takes a hash to an index): its chain's head.
#[inline]
fn find<K: Copy + PartialEq>(slots: &[(K, u32)], shift: u32, hash: u64, key: K) -> u32 {
    let mask = slots.len() - 1;
    let mut at = (hash >> shift) as usize & mask;
    loop {
        let (k, head) = slots[at];
        if head == NONE || k == key {
            return head;
        }
        at = (at + 1) & mask;
    }
}

/// Bits of an open-addressing table for `n` keys, at most half full.
fn table_bits(n: usize) -> u32 {
    (2 * n).max(16).next_power_of_two().trailing_zeros()
}

impl Index {
    /// Files the patterns of `set` (its `bytes` and `starts`).
    pub(super) fn new(bytes: &[u8], starts: &[u32]) -> Index {
        let n = starts.len() - 1;
        let pattern = |i: usize| &bytes[starts[i] as usize..starts[i + 1] as usize];
        let (mut longs, mut mids) = (0, 0);
        // The ASCII bytes every pattern holds, as bits.
        let mut common = if n > 0 { u128::MAX } else { 0 };
        let mut max_len = 0;
        for i in 0..n {
            let p = pattern(i);
            max_len = max_len.max(p.len());
            common &= p.iter().filter(|b| b.is_ascii()).fold(0u128, |bits, &b| bits | 1 << b);
            match p.len() {
                len if len >= LONG => longs += 1,
                len if len >= MID => mids += 1,
                _ => {}
            }
        }
        let (long_table, mid_table) = (table_bits(longs), table_bits(mids));
        let mut index = Index {
            long_bits: Box::new([0; 1 << (LONG_BITS - 6)]),
            long_slots: vec![(0, NONE); 1 << long_table],
            // Built on the heap: 4 MB would not fit on a thread's stack.
            tail3_bits: vec![[0; 2]; TAIL3_WORDS].into_boxed_slice().try_into().expect("TAIL3_WORDS pairs"),
            mid_slots: vec![(0, NONE); 1 << mid_table],
            short_heads: Box::new([NONE; 256]),
            links: vec![Link { word: 0, mask: 0, len: 0, next: NONE }; n],
            held: [0; 4],
            required: (0..128u8).find(|&b| common >> b & 1 != 0 && !b.is_ascii_alphanumeric()),
            max_len,
        };
        // Shortest first, and among patterns of one length in the given order, each pushed on the front of its
        // chain: every chain then runs longest first, and the later of two patterns of one length first.
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| pattern(i as usize).len());
        for &i in &order {
            let p = pattern(i as usize);
            let len = p.len();
            p.iter().for_each(|&b| set_bit(&mut index.held, usize::from(b)));
            match len {
                // Whatever bytes come before.
                1 => {
                    let last = usize::from(p[0]);
                    (0..1 << 16).for_each(|before| set_tail3_bit(&mut index.tail3_bits[..], last | before << 8, 0));
                }
                2 => {
                    let last2 = usize::from(p[1]) | usize::from(p[0]) << 8;
                    (0..256).for_each(|before| set_tail3_bit(&mut index.tail3_bits[..], last2 | before << 16, 0));
                }
                3..LONG => set_tail3_bit(&mut index.tail3_bits[..], tail3(&p[len - 3..]), 0),
                LONG.. => set_tail3_bit(&mut index.tail3_bits[..], tail3(&p[len - 3..]), 1),
                _ => {}
            }
            let head = match len {
                0 => continue,
                LONG.. => {
                    let key = u64::from_le_bytes(p[len - LONG..].try_into().expect("eight bytes"));
                    let hash = long_hash(key);
                    set_bit(&mut index.long_bits[..], (hash >> (64 - LONG_BITS)) as usize);
                    set_bit(&mut index.long_bits[..], (hash >> (64 - 2 * LONG_BITS) & LONG_MASK) as usize);
                    let before = &p[len.saturating_sub(2 * LONG)..len - LONG];
                    (index.links[i as usize].word, index.links[i as usize].mask) =
                        (rolled(before), high_bytes(before.len()));
                    head_of(&mut index.long_slots, 64 - long_table, hash, key)
                }
                MID.. => {
                    let key = u32::from_le_bytes([p[len - 3], p[len - 2], p[len - 1], 0]);
                    head_of(&mut index.mid_slots, 32 - mid_table, u64::from(mid_hash(key)), key)
                }
                _ => &mut index.short_heads[usize::from(p[len - 1])],
            };
            if len < LONG {
                // The whole pattern, as the search rolls a text's last eight bytes in.
                (index.links[i as usize].word, index.links[i as usize].mask) = (rolled(p), high_bytes(len));
            }
            index.links[i as usize].len = len as u32;
            index.links[i as usize].next = *head;
            *head = i;
        }
        index
    }

    /// Calls `found(pattern, start, end)` for every occurrence of every pattern of `set` (whose index this is)
    /// in `text`, as [`LiteralSet::scan`] over the whole text would.
    pub(super) fn for_each_match(&self, set: &LiteralSet, text: &[u8], found: &mut impl FnMut(usize, usize, usize)) {
        let Some(required) = self.required else {
            self.scan(set, text, 0, text.len(), found);
            return;
        };
        // Every match holds a `required` byte at most `max_len` bytes before its end: only the ends after
        // each such byte are looked at, each once, in order.
        let mut done = 0;
        for at in memchr::memchr_iter(required, text) {
            // Nor past a byte no pattern holds (the space after a sentence's full stop).
            let run = text[at + 1..]
                .iter()
                .take(self.max_len)
                .position(|&b| self.held[usize::from(b >> 6)] & 1 << (b & 63) == 0);
            let stop = run.map_or(at + self.max_len, |run| at + 1 + run).min(text.len());
            if stop > done {
                done = self.scan(set, text, done.max(at), stop, found);
            }
        }
    }

    /// As [`LiteralSet::scan`]: reports the patterns that end at each character boundary of `text` after `from`
    /// (a boundary) up to `to`, and at the boundary just past `to` if a character spans it; returns the last
    /// boundary looked at.
    #[inline]
    fn scan(
        &self,
        set: &LiteralSet,
        text: &[u8],
        from: usize,
        to: usize,
        found: &mut impl FnMut(usize, usize, usize),
    ) -> usize {
        // The few instructions per character here are most of a page's search: what passes goes out of line.
        // `text` is a `str`'s: no character runs past its end.
        let mut end = from;
        while end < to && end < 8 {
            end += usize::from(UTF8_LEN[usize::from(text[end])]);
            // Fewer than eight bytes so far: the missing ones are zero, as if rolled in one at a time.
            let last8 = rolled(&text[..end]);
            self.look(set, text, end, last8, found);
        }
        // `to` within the text lets the compiler drop the check of each character's first byte.
        let to = to.min(text.len());
        end = self.scan_blocks(set, text, end, to, found);
        while end < to {
            let Some(last8) = self.next_candidate(text, &mut end, to) else { break };
            self.report(set, text, end, last8, found);
        }
        end
    }

    /// Reports the patterns that end at each character boundary after `end` (a boundary, at least eight) eight
    /// places at a time, while all eight come before `to` (within the text); returns the last boundary looked at.
    ///
    /// A character at a time ([`Index::next_candidate`], which finishes the text's last places), each step
    /// waited on two loads, the character's first byte and its length (`UTF8_LEN`), before the next could start:
    /// a chain of about ten cycles a character. Here a place is a boundary when the byte there does not continue
    /// a character (`10xxxxxx`), which eight bytes read at once tell for eight places; each boundary's tests
    /// depend only on the block's start, which moves eight bytes a step, so the processor overlaps them. Scoring
    /// the 100 KB benchmark page took 1,145 microseconds against 1,205 a character at a time (tenth percentile of
    /// 400 runs, three interleaved series, without the model; a loaded machine), the same reports in the same
    /// order (the tests compare them with the general search's).
    #[inline(always)]
    fn scan_blocks(
        &self,
        set: &LiteralSet,
        text: &[u8],
        mut end: usize,
        to: usize,
        found: &mut impl FnMut(usize, usize, usize),
    ) -> usize {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let mut base = end;
        while base + 8 < to {
            // The block's eight places and the eight bytes before each: `base` is at least eight.
            let Some(bytes) = base.checked_sub(7).and_then(|from| text.get(from..base + 9)) else { break };
            let next8 = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes"));
            // The top bit of each byte that continues a character (top bits 10); the others start one.
            let continues = next8 & !(next8 << 1) & HIGH;
            let mut starts = !continues & HIGH;
            // A character has at most four bytes: eight places hold a boundary.
            end = base + 8 - (starts.leading_zeros() / 8) as usize;
            while starts != 0 {
                // Place `base + 1 + k`, whose last eight bytes are `bytes[k..k + 8]` (`k` below eight: no check).
                let k = (starts.trailing_zeros() / 8) as usize & 7;
                let last8 = u64::from_le_bytes(bytes[k..k + 8].try_into().expect("eight bytes"));
                if self.passes(last8) {
                    self.report(set, text, base + 1 + k, last8, found);
                }
                starts &= starts - 1;
            }
            base += 8;
        }
        end
    }

    /// Moves `end` (a character boundary before `to`) a character at a time up to the next boundary whose filters
    /// pass, and returns the text's last eight bytes there (the most recent highest); else up to the first
    /// boundary at or past `to`. The loop holds no call, so its values stay in registers (with [`Index::report`]
    /// called inside it, they were spilled and reloaded at every character).
    #[inline(always)]
    fn next_candidate(&self, text: &[u8], end: &mut usize, to: usize) -> Option<u64> {
        let mut at = *end;
        while at < to {
            at += usize::from(UTF8_LEN[usize::from(text[at])]);
            // `at` is at least eight here, and within a `str`'s text.
            let Some(window) = text.get(at - 8..at) else { break };
            let last8 = u64::from_le_bytes(window.try_into().expect("eight bytes"));
            if self.passes(last8) {
                *end = at;
                return Some(last8);
            }
        }
        *end = at;
        None
    }

    /// Reports the patterns that end at `end` of `text`, whose last eight bytes are `last8`, if the filters say
    /// they may.
    #[inline(always)]
    fn look(&self, set: &LiteralSet, text: &[u8], end: usize, last8: u64, found: &mut impl FnMut(usize, usize, usize)) {
        if self.passes(last8) {
            self.report(set, text, end, last8, found);
        }
    }

    /// Whether a pattern may end where the text's last eight bytes are `last8`: a shorter one by its last three
    /// bytes, a long one by its last three bytes and then its two bits (the second looked at only where the first
    /// is set).
    #[inline(always)]
    fn passes(&self, last8: u64) -> bool {
        let key = key3(last8);
        tail3_bit(&self.tail3_bits, key, 0)
            || (tail3_bit(&self.tail3_bits, key, 1) && self.may_be_long(long_hash(last8)))
    }

    /// Whether a long pattern may end where the text's last eight bytes hash to `hash`.
    #[inline(always)]
    fn may_be_long(&self, hash: u64) -> bool {
        bit(&self.long_bits, hash >> (64 - LONG_BITS)) && bit(&self.long_bits, hash >> (64 - 2 * LONG_BITS) & LONG_MASK)
    }

    /// Reports the patterns that end at `end` of `text` (its last eight bytes `last8`), longest first as the
    /// general search does, where a filter lets them through.
    #[inline(never)]
    fn report(
        &self,
        set: &LiteralSet,
        text: &[u8],
        end: usize,
        last8: u64,
        found: &mut impl FnMut(usize, usize, usize),
    ) {
        let hash = long_hash(last8);
        if self.may_be_long(hash) && end >= LONG {
            let shift = 64 - self.long_slots.len().trailing_zeros();
            let head = find(&self.long_slots, shift, hash, last8);
            // Every pattern of this chain ends in these eight bytes: only what comes before needs comparing, first
            // the eight bytes before them.
            let before8 = if end >= 2 * LONG {
                u64::from_le_bytes(text[end - 2 * LONG..end - LONG].try_into().expect("eight bytes"))
            } else {
                rolled(&text[..end - LONG])
            };
            // Beyond sixteen bytes, the rest (rare).
            let rest = |i: usize, len: usize| {
                len <= 2 * LONG
                    || text[end - len..end - 2 * LONG]
                        == set.bytes[set.starts[i] as usize..set.starts[i + 1] as usize - 2 * LONG]
            };
            self.chain(end, head, before8, rest, found);
        }
        if tail3_bit(&self.tail3_bits, key3(last8), 0) {
            let key = (last8 >> 40) as u32;
            let shift = 32 - self.mid_slots.len().trailing_zeros();
            let head = find(&self.mid_slots, shift, u64::from(mid_hash(key)), key);
            // Patterns of fewer than eight bytes: their `word` is the whole pattern.
            self.chain(end, head, last8, |_, _| true, found);
            let head = self.short_heads[(last8 >> 56) as usize];
            self.chain(end, head, last8, |_, _| true, found);
        }
    }

    /// Reports every pattern of the chain from `head` that ends at `end` of a text whose bytes its links'
    /// `word`s are compared with are `bytes`, and that passes `rest(pattern, its length)` (called only when the
    /// pattern fits before `end` and its `word` matches).
    #[inline]
    fn chain(
        &self,
        end: usize,
        head: u32,
        bytes: u64,
        rest: impl Fn(usize, usize) -> bool,
        found: &mut impl FnMut(usize, usize, usize),
    ) {
        let mut p = head;
        while p != NONE {
            let i = p as usize;
            let Some(&Link { word, mask, len, next }) = self.links.get(i) else { break };
            let len = len as usize;
            if len <= end && bytes & mask == word && rest(i, len) {
                found(i, end - len, end);
            }
            p = next;
        }
    }
}
