//! Unicode NFKC (compatibility decomposition, canonical ordering, canonical composition), canonical combining
//! classes and combining marks, from compact tables that `build/nfkc.rs` derives at build time from the
//! `unicode-normalization` crate. The results are that crate's (`tests/nfkc_tables.rs` compares them on every
//! code point); the tables take about a fifth of the crate's in the gzipped Wasm module. They are unpacked on
//! first use into bit sets and sorted runs (about 150 KB of memory).

use std::sync::OnceLock;

static FORM_KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-k-keys.bin"));
static FORM_META: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-k-meta.bin"));
static FORM_CHARS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-k-vals.bin"));
static PAIR_KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-p-keys.bin"));
static PAIR_FIRST: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-p-first.bin"));
static PAIR_SECOND: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-p-second.bin"));
static CLASSES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-ccc.bin"));
static MARKS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/nfkc-marks.bin"));

// Hangul syllables decompose into jamo and compose back arithmetically (Unicode 3.12).
const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

/// A stream of LEB128 numbers (see `build/nfkc.rs`).
struct Leb(&'static [u8]);

impl Leb {
    fn byte(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else { return 0 };
        self.0 = rest;
        b
    }

    fn next(&mut self) -> u32 {
        let (mut v, mut shift) = (0u32, 0);
        loop {
            let b = self.byte();
            v |= u32::from(b & 0x7f) << shift;
            shift += 7;
            if b < 0x80 || shift > 28 {
                return v;
            }
        }
    }

    fn signed(&mut self) -> i64 {
        let v = i64::from(self.next());
        if v & 1 == 0 {
            v >> 1
        } else {
            -((v + 1) >> 1)
        }
    }

    /// Runs `(start, end)` written as `(gap from the previous end, count - 1)`, `f` reading what follows each.
    fn runs(mut self, mut f: impl FnMut(&mut Self, u32, u32)) {
        let mut end = 0;
        while !self.0.is_empty() {
            let start = end + self.next();
            end = start + self.next() + 1;
            f(&mut self, start, end);
        }
    }
}

/// A set of code points: one 64-bit word per block of 64, found through an index of blocks (0: empty).
struct CharSet {
    blocks: Vec<u16>,
    words: Vec<u64>,
}

impl CharSet {
    fn new() -> Self {
        CharSet { blocks: Vec::new(), words: vec![0] }
    }

    fn insert(&mut self, start: u32, end: u32) {
        for c in start..end {
            let b = (c >> 6) as usize;
            if b >= self.blocks.len() {
                self.blocks.resize(b + 1, 0);
            }
            if self.blocks[b] == 0 {
                self.blocks[b] = self.words.len() as u16;
                self.words.push(0);
            }
            self.words[self.blocks[b] as usize] |= 1 << (c & 63);
        }
    }

    fn contains(&self, c: char) -> bool {
        let c = c as u32;
        self.blocks.get((c >> 6) as usize).is_some_and(|&w| self.words[w as usize] >> (c & 63) & 1 != 0)
    }
}

/// A run of characters whose NFKC forms follow one another: the `i`-th has the first one's form with the
/// character at `pos` raised by `i * step`.
struct FormRun {
    start: u32,
    chars: u32,
    len: u32,
    pos: u32,
    step: u32,
}

struct Tables {
    /// Canonical combining class other than 0.
    combining: CharSet,
    /// `(start, end, class)`, sorted.
    classes: Vec<(u32, u32, u8)>,
    marks: CharSet,
    /// Characters whose NFKC form is not themselves, and those forms.
    changed: CharSet,
    forms: Vec<FormRun>,
    form_chars: Vec<char>,
    /// Primary composites `c = a + b` as `(c, a, b)`, sorted by `c`; and `(a << 21 | b, c)`, sorted.
    composite: CharSet,
    parts: Vec<(u32, char, char)>,
    second: CharSet,
    compositions: Vec<(u64, char)>,
}

fn to_char(v: i64) -> char {
    u32::try_from(v).ok().and_then(char::from_u32).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables {
            combining: CharSet::new(),
            classes: Vec::new(),
            marks: CharSet::new(),
            changed: CharSet::new(),
            forms: Vec::new(),
            form_chars: Vec::new(),
            composite: CharSet::new(),
            parts: Vec::new(),
            second: CharSet::new(),
            compositions: Vec::new(),
        };
        Leb(CLASSES).runs(|r, start, end| {
            t.classes.push((start, end, r.byte()));
            t.combining.insert(start, end);
        });
        Leb(MARKS).runs(|_, start, end| t.marks.insert(start, end));
        let (mut meta, mut chars, mut last) = (Leb(FORM_META), Leb(FORM_CHARS), 0i64);
        Leb(FORM_KEYS).runs(|_, start, end| {
            let (len, pos_step) = (meta.next(), meta.next());
            let run = FormRun { start, chars: t.form_chars.len() as u32, len, pos: pos_step >> 1, step: pos_step & 1 };
            for _ in 0..len {
                last += chars.signed();
                t.form_chars.push(to_char(last));
            }
            t.forms.push(run);
            t.changed.insert(start, end);
        });
        let (mut keys, mut first, mut second, mut c) = (Leb(PAIR_KEYS), Leb(PAIR_FIRST), Leb(PAIR_SECOND), 0u32);
        while !keys.0.is_empty() {
            c += keys.next();
            let (a, b) = (to_char(i64::from(c) + first.signed()), to_char(i64::from(second.next())));
            t.parts.push((c, a, b));
            t.composite.insert(c, c + 1);
            t.second.insert(b as u32, b as u32 + 1);
            t.compositions.push(((a as u64) << 21 | b as u64, to_char(i64::from(c))));
        }
        crate::sort::sort_by_key(&mut t.compositions, |e| e.0);
        t
    })
}

impl Tables {
    fn class(&self, c: char) -> u8 {
        if !self.combining.contains(c) {
            return 0;
        }
        let c = c as u32;
        let i = self.classes.partition_point(|r| r.1 <= c);
        self.classes.get(i).filter(|r| r.0 <= c).map_or(0, |r| r.2)
    }

    /// The NFKC form of a character in `changed`, one character at a time.
    fn form(&self, c: char, mut emit: impl FnMut(char)) {
        let cp = c as u32;
        let Some(run) = self.forms.get(self.forms.partition_point(|r| r.start <= cp).wrapping_sub(1)) else { return };
        let chars = &self.form_chars[run.chars as usize..(run.chars + run.len) as usize];
        for (i, &x) in chars.iter().enumerate() {
            emit(if i as u32 == run.pos { to_char(i64::from(x as u32 + (cp - run.start) * run.step)) } else { x });
        }
    }

    /// The two parts of a primary composite.
    fn parts_of(&self, c: char) -> Option<(char, char)> {
        if !self.composite.contains(c) {
            return None;
        }
        let i = self.parts.binary_search_by_key(&(c as u32), |p| p.0).ok()?;
        Some((self.parts[i].1, self.parts[i].2))
    }

    fn decompose_canonical(&self, c: char, emit: &mut impl FnMut(char)) {
        let cp = c as u32;
        if (S_BASE..S_BASE + S_COUNT).contains(&cp) {
            let s = cp - S_BASE;
            emit(to_char(i64::from(L_BASE + s / N_COUNT)));
            emit(to_char(i64::from(V_BASE + (s % N_COUNT) / T_COUNT)));
            if s % T_COUNT != 0 {
                emit(to_char(i64::from(T_BASE + s % T_COUNT)));
            }
        } else if let Some((a, b)) = self.parts_of(c) {
            self.decompose_canonical(a, emit);
            emit(b);
        } else {
            emit(c);
        }
    }

    fn decompose_compatible(&self, c: char, emit: &mut impl FnMut(char)) {
        if self.changed.contains(c) {
            self.form(c, |x| self.decompose_canonical(x, emit));
        } else {
            self.decompose_canonical(c, emit);
        }
    }

    fn compose(&self, a: char, b: char) -> Option<char> {
        let (x, y) = (a as u32, b as u32);
        if (L_BASE..L_BASE + L_COUNT).contains(&x) && (V_BASE..V_BASE + V_COUNT).contains(&y) {
            return char::from_u32(S_BASE + (x - L_BASE) * N_COUNT + (y - V_BASE) * T_COUNT);
        }
        if (S_BASE..S_BASE + S_COUNT).contains(&x)
            && (T_BASE + 1..T_BASE + T_COUNT).contains(&y)
            && (x - S_BASE) % T_COUNT == 0
        {
            return char::from_u32(x + y - T_BASE);
        }
        if !self.second.contains(b) {
            return None;
        }
        let key = u64::from(x) << 21 | u64::from(y);
        self.compositions.binary_search_by_key(&key, |e| e.0).ok().map(|i| self.compositions[i].1)
    }

    /// Whether `s` is a character without a decomposition followed by combining marks (class other than 0)
    /// without one, in canonical order, none of which composes with the first: then NFKC leaves it as it is
    /// (nothing to decompose, reorder or compose). A Thai consonant with its tone mark, as pages are full of,
    /// is one; `nfkc_into` would otherwise decompose and recompose it in a buffer of its own.
    fn already_nfkc(&self, s: &str) -> bool {
        let mut chars = s.chars();
        let Some(first) = chars.next() else { return true };
        let decomposes = |c: char| {
            self.changed.contains(c) || self.composite.contains(c) || (S_BASE..S_BASE + S_COUNT).contains(&(c as u32))
        };
        if decomposes(first) {
            return false;
        }
        let mut last = self.class(first);
        for m in chars {
            let class = self.class(m);
            if class == 0 || class < last || decomposes(m) || self.compose(first, m).is_some() {
                return false;
            }
            last = class;
        }
        true
    }

    /// Canonical composition of a decomposed, canonically ordered sequence, as `unicode-normalization`'s
    /// `Recompositions` does it (same order of output in every case).
    fn recompose(&self, chars: &[(u8, char)], out: &mut String) {
        let mut composee: Option<char> = None;
        let mut last_class: Option<u8> = None;
        let mut held: Vec<char> = Vec::new();
        for &(class, ch) in chars {
            let Some(k) = composee else {
                if class == 0 {
                    composee = Some(ch);
                } else {
                    out.push(ch);
                }
                continue;
            };
            match last_class {
                Some(l) if l >= class => {
                    if class == 0 {
                        out.push(k);
                        out.extend(held.drain(..));
                        composee = Some(ch);
                        last_class = None;
                    } else {
                        held.push(ch);
                        last_class = Some(class);
                    }
                }
                _ => match self.compose(k, ch) {
                    Some(r) => composee = Some(r),
                    None if class == 0 && last_class.is_none() => {
                        out.push(k);
                        composee = Some(ch);
                    }
                    None => {
                        held.push(ch);
                        last_class = Some(class);
                    }
                },
            }
        }
        if let Some(k) = composee {
            out.push(k);
        }
        out.extend(held);
    }
}

/// The canonical combining class of `c` (0 for starters).
pub fn combining_class(c: char) -> u8 {
    tables().class(c)
}

/// Whether `c` has a canonical combining class other than 0 (it is reordered and may compose with what
/// comes before it).
pub fn is_combining(c: char) -> bool {
    tables().combining.contains(c)
}

/// Whether `c` is a combining mark (general category Mn, Mc or Me).
pub fn is_combining_mark(c: char) -> bool {
    tables().marks.contains(c)
}

/// Whether the NFKC form of `c` alone differs from `c`.
pub fn changes(c: char) -> bool {
    tables().changed.contains(c)
}

/// The full compatibility decomposition of `c` (NFKD of `c` alone), one character at a time.
pub fn decompose_compatible(c: char, mut emit: impl FnMut(char)) {
    tables().decompose_compatible(c, &mut emit);
}

/// The primary composite of `a` followed by `b`, if there is one.
pub fn compose(a: char, b: char) -> Option<char> {
    tables().compose(a, b)
}

/// Appends the NFKC form of `s` to `out`.
pub fn nfkc_into(s: &str, out: &mut String) {
    let t = tables();
    let mut it = s.chars();
    if let (Some(c), None) = (it.next(), it.next()) {
        if t.changed.contains(c) {
            t.form(c, |x| out.push(x));
        } else {
            out.push(c);
        }
        return;
    }
    if t.already_nfkc(s) {
        out.push_str(s);
        return;
    }
    let mut chars: Vec<(u8, char)> = Vec::with_capacity(s.len());
    for c in s.chars() {
        t.decompose_compatible(c, &mut |d| chars.push((t.class(d), d)));
    }
    // Canonical order: each run of non-starters sorted by class, stably (insertion sort: runs are short).
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && chars[i].0 != 0 {
            let x = chars[i];
            let mut j = i;
            while j > start && chars[j - 1].0 > x.0 {
                chars[j] = chars[j - 1];
                j -= 1;
            }
            chars[j] = x;
            i += 1;
        }
        i += 1;
    }
    t.recompose(&chars, out);
}
