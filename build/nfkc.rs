//! Writes the compact NFKC tables `src/nfkc.rs` reads (`$OUT_DIR/nfkc-*.bin`), derived from the
//! `unicode-normalization` crate pinned in Cargo.lock, so the Wasm module carries only what NFKC needs (a
//! fifth of that crate's tables once gzipped). `tests/nfkc_tables.rs` checks the result against the crate on
//! every code point.
//!
//! Every stream is a run of LEB128 numbers (`u8` where noted), in code point order:
//! - `nfkc-k-keys.bin`, `nfkc-k-meta.bin`, `nfkc-k-vals.bin`: characters whose NFKC form differs from them, as
//!   runs `(gap from the previous run's end, count - 1)`; per run `(value length, position * 2 + step)`; the
//!   first code point's NFKC form as zig-zag deltas from the value character before. The `i`-th code point of
//!   a run maps to the first one's form with the character at `position` raised by `i * step`.
//! - `nfkc-p-keys.bin`, `nfkc-p-first.bin`, `nfkc-p-second.bin`: primary composites `c = a + b` (canonical
//!   decomposition = decomposition of `a`, then `b`; `a + b` composes back to `c`), Hangul syllables excepted:
//!   gap from the previous `c`, zig-zag `a - c`, `b`.
//! - `nfkc-ccc.bin`: runs of one canonical combining class other than 0: `(gap, count - 1, class as u8)`.
//! - `nfkc-marks.bin`: runs of combining marks (general category M): `(gap, count - 1)`.

use std::path::Path;
use unicode_normalization::char::{canonical_combining_class, compose, decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

fn leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn zigzag(v: i64) -> u32 {
    (if v < 0 { (-v) * 2 - 1 } else { v * 2 }) as u32
}

/// Runs of consecutive code points (with a value each) as `(first, count, value)`.
fn runs<T: PartialEq + Copy>(items: &[(u32, T)]) -> Vec<(u32, u32, T)> {
    let mut out: Vec<(u32, u32, T)> = Vec::new();
    for &(c, v) in items {
        match out.last_mut() {
            Some(r) if r.0 + r.1 == c && r.2 == v => r.1 += 1,
            _ => out.push((c, 1, v)),
        }
    }
    out
}

/// How `next` follows `first` in a run: the position whose character rises by `n * step`, or `None`.
fn follows(first: &[u32], next: &[u32], n: u32, pos: usize, step: u32) -> bool {
    first.len() == next.len()
        && first.iter().zip(next).enumerate().all(|(i, (&a, &b))| if i == pos { b == a + n * step } else { a == b })
}

pub fn generate(out_dir: &Path) {
    let mut k: Vec<(u32, Vec<u32>)> = Vec::new();
    let mut p: Vec<(u32, u32, u32)> = Vec::new();
    let mut ccc: Vec<(u32, u8)> = Vec::new();
    let mut marks: Vec<(u32, ())> = Vec::new();
    for cp in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(cp) else { continue };
        if cp < 0xA0 {
            continue; // ASCII and C1 controls: no class, no mark, no decomposition
        }
        let class = canonical_combining_class(c);
        if class != 0 {
            ccc.push((cp, class));
        }
        if is_combining_mark(c) {
            marks.push((cp, ()));
        }
        if (0xAC00..=0xD7A3).contains(&cp) {
            continue; // Hangul syllables are decomposed and composed arithmetically
        }
        let one = c.to_string();
        let nfkc: String = one.nfkc().collect();
        if nfkc != one {
            k.push((cp, nfkc.chars().map(u32::from).collect()));
        }
        let mut d = Vec::new();
        decompose_canonical(c, |x| d.push(x));
        if d.len() >= 2 && one.nfc().eq(one.chars()) {
            let b = d[d.len() - 1];
            let prefix: Vec<char> = d[..d.len() - 1].iter().copied().nfc().collect();
            assert_eq!(prefix.len(), 1, "U+{cp:04X}: the decomposition's prefix does not compose to one character");
            assert_eq!(compose(prefix[0], b), Some(c), "U+{cp:04X} is not the composition of its parts");
            p.push((cp, u32::from(prefix[0]), u32::from(b)));
        }
    }

    // NFKC forms, in runs.
    let (mut keys, mut meta, mut vals) = (Vec::new(), Vec::new(), Vec::new());
    let (mut end, mut last_val) = (0u32, 0i64);
    let mut i = 0;
    while i < k.len() {
        let (start, ref first) = k[i];
        let mut n = 1u32;
        let (mut pos, mut step) = (0usize, 0u32);
        while let Some((c, next)) = k.get(i + n as usize) {
            if *c != start + n {
                break;
            }
            if n == 1 {
                let Some(found) =
                    (0..first.len()).flat_map(|p| [(p, 0), (p, 1)]).find(|&(p, s)| follows(first, next, 1, p, s))
                else {
                    break;
                };
                (pos, step) = found;
            } else if !follows(first, next, n, pos, step) {
                break;
            }
            n += 1;
        }
        leb(&mut keys, start - end);
        leb(&mut keys, n - 1);
        leb(&mut meta, first.len() as u32);
        leb(&mut meta, pos as u32 * 2 + step);
        for &v in first {
            leb(&mut vals, zigzag(i64::from(v) - last_val));
            last_val = i64::from(v);
        }
        end = start + n;
        i += n as usize;
    }

    // Primary composites.
    let (mut p_keys, mut p_first, mut p_second) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = 0;
    for &(c, a, b) in &p {
        leb(&mut p_keys, c - last);
        leb(&mut p_first, zigzag(i64::from(a) - i64::from(c)));
        leb(&mut p_second, b);
        last = c;
    }

    let mut ccc_bin = Vec::new();
    let mut end = 0;
    for (start, n, class) in runs(&ccc) {
        leb(&mut ccc_bin, start - end);
        leb(&mut ccc_bin, n - 1);
        ccc_bin.push(class);
        end = start + n;
    }
    let mut marks_bin = Vec::new();
    let mut end = 0;
    for (start, n, ()) in runs(&marks) {
        leb(&mut marks_bin, start - end);
        leb(&mut marks_bin, n - 1);
        end = start + n;
    }

    for (name, bytes) in [
        ("nfkc-k-keys.bin", keys),
        ("nfkc-k-meta.bin", meta),
        ("nfkc-k-vals.bin", vals),
        ("nfkc-p-keys.bin", p_keys),
        ("nfkc-p-first.bin", p_first),
        ("nfkc-p-second.bin", p_second),
        ("nfkc-ccc.bin", ccc_bin),
        ("nfkc-marks.bin", marks_bin),
    ] {
        std::fs::write(out_dir.join(name), bytes).expect("OUT_DIR is writable");
    }
}
