//! `jobguard::nfkc` (compact tables made by build.rs) against the `unicode-normalization` crate they are made
//! from: every code point's class, mark property, decomposition and NFKC form; every composition; and
//! characters followed by combining marks, where decomposition, reordering and composition all take part.

use jobguard::nfkc;
use unicode_normalization::char as reference;
use unicode_normalization::UnicodeNormalization;

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

fn ours(s: &str) -> String {
    let mut out = String::new();
    nfkc::nfkc_into(s, &mut out);
    out
}

#[test]
fn every_code_point_has_the_crates_class_mark_decomposition_and_form() {
    let (mut changed, mut marks, mut classes) = (0, 0, 0);
    for c in all_chars() {
        let class = reference::canonical_combining_class(c);
        assert_eq!(nfkc::combining_class(c), class, "class of U+{:04X}", c as u32);
        assert_eq!(nfkc::is_combining(c), class != 0, "U+{:04X}", c as u32);
        classes += usize::from(class != 0);
        let mark = reference::is_combining_mark(c);
        assert_eq!(nfkc::is_combining_mark(c), mark, "mark U+{:04X}", c as u32);
        marks += usize::from(mark);
        let (mut want, mut got) = (Vec::new(), Vec::new());
        reference::decompose_compatible(c, |x| want.push(x));
        nfkc::decompose_compatible(c, |x| got.push(x));
        assert_eq!(got, want, "NFKD of U+{:04X}", c as u32);
        let one = c.to_string();
        let form: String = one.nfkc().collect();
        assert_eq!(nfkc::changes(c), form != one, "U+{:04X}", c as u32);
        changed += usize::from(form != one);
        assert_eq!(ours(&one), form, "NFKC of U+{:04X}", c as u32);
    }
    // Unicode 16-18 figures, so a table that lost its contents cannot pass.
    assert!(changed > 4_800 && marks > 2_400 && classes > 900, "{changed} {marks} {classes}");
}

/// Full canonical decomposition.
fn canonical(c: char) -> Vec<char> {
    let mut d = Vec::new();
    reference::decompose_canonical(c, |x| d.push(x));
    d
}

/// Characters whose canonical decomposition has two or more characters, with the two halves they compose
/// from: the decomposition without its last character, composed, and that last character. (A canonical
/// mapping's second character never decomposes further, so every composition is one of these.)
fn composites() -> Vec<(char, char, char)> {
    all_chars()
        .filter_map(|c| {
            let d = canonical(c);
            let first: Vec<char> = d[..d.len() - 1].iter().copied().nfc().collect();
            (d.len() >= 2 && first.len() == 1).then(|| (c, first[0], d[d.len() - 1]))
        })
        .collect()
}

#[test]
fn every_composition_is_the_crates() {
    let composites = composites();
    let mut by_decomposition = std::collections::HashMap::<Vec<char>, Vec<char>>::new();
    for c in all_chars() {
        by_decomposition.entry(canonical(c)).or_default().push(c);
    }
    // Every pair whose decompositions add up to a composite's: all that can compose.
    let mut found = 0;
    for &(c, _, b) in &composites {
        let d = canonical(c);
        for &a in &by_decomposition[&d[..d.len() - 1]] {
            let want = reference::compose(a, b);
            assert_eq!(nfkc::compose(a, b), want, "U+{:04X} U+{:04X}", a as u32, b as u32);
            found += usize::from(want == Some(c));
        }
    }
    assert!(found > 900 + 11_172, "{found}");
    // And none else: every character below U+3400 before every second half.
    let mut seconds: Vec<char> = composites.iter().map(|x| x.2).collect();
    seconds.sort_unstable();
    seconds.dedup();
    for a in all_chars().take_while(|&a| a < '\u{3400}') {
        for &b in &seconds {
            assert_eq!(nfkc::compose(a, b), reference::compose(a, b), "U+{:04X} U+{:04X}", a as u32, b as u32);
        }
    }
    for b in all_chars().filter(|b| seconds.binary_search(b).is_err()) {
        for a in ['a', 'A', '\u{1100}', '\u{AC00}', '\u{0B47}', '\u{0DD9}', '\u{3099}', '\u{00C5}'] {
            assert_eq!(nfkc::compose(a, b), None, "U+{:04X} U+{:04X}", a as u32, b as u32);
        }
    }
}

#[test]
fn characters_followed_by_marks_normalise_as_the_crate_does() {
    let composites = composites();
    let mut halves: Vec<char> = composites.iter().flat_map(|x| [x.0, x.1, x.2]).collect();
    halves.sort_unstable();
    halves.dedup();
    // Marks: those that compose, and the first of every class.
    let mut classes_seen = [false; 256];
    let mut marks: Vec<char> = all_chars()
        .filter(|&c| {
            let class = reference::canonical_combining_class(c);
            class != 0
                && (halves.binary_search(&c).is_ok() || !std::mem::replace(&mut classes_seen[class as usize], true))
        })
        .collect();
    marks.extend("\u{0300}\u{0301}\u{0323}\u{0E48}\u{0E38}".chars());
    // Bases: every half of a composition, and every character whose compatibility decomposition holds a
    // non-starter or ends in a half (so what follows may reorder or compose with it).
    let bases: Vec<char> = all_chars()
        .filter(|&c| {
            let mut d = Vec::new();
            reference::decompose_compatible(c, |x| d.push(x));
            halves.binary_search(&c).is_ok()
                || d != [c]
                    && (d.iter().any(|&x| reference::canonical_combining_class(x) != 0)
                        || d.last().is_some_and(|x| halves.binary_search(x).is_ok()))
        })
        .chain("aeiouyAEIOUY가각ᄀ一ก".chars())
        .collect();
    assert!(bases.len() > 3000 && marks.len() > 100, "{} {}", bases.len(), marks.len());
    let few = ['\u{0301}', '\u{0308}', '\u{0323}', '\u{031B}', '\u{0345}', '\u{093C}', '\u{0E48}', '\u{3099}'];
    let mut s = String::new();
    let mut check = |chars: &[char]| {
        s.clear();
        s.extend(chars);
        assert_eq!(ours(&s), s.nfkc().collect::<String>(), "{s:?}");
    };
    for &a in &bases {
        for &m in &marks {
            check(&[a, m]);
        }
        for &m in &few {
            for &n in &few {
                check(&[a, m, n]);
            }
        }
    }
    for c in all_chars().filter(|&c| reference::canonical_combining_class(c) != 0) {
        for &n in &few {
            check(&[c, n, 'a', n]);
            check(&['a', c, n]);
        }
    }
}

#[test]
fn random_clusters_normalise_as_the_crate_does() {
    // A base (letters of many scripts, precomposed ones, Hangul syllables and jamo, compatibility characters)
    // and one to three marks of any class: many are already NFKC (the shortcut `nfkc_into` takes for them,
    // such as a Thai consonant with its tone mark), others reorder, compose or decompose.
    let bases: Vec<char> =
        "aeqzAEQZéÅơưกขบ\u{0E33}가각ᄀ一ก\u{0915}\u{0B47}\u{0DD9}ｱ\u{FB01}\u{212B}".chars().collect();
    let marks: Vec<char> = all_chars().filter(|&c| reference::canonical_combining_class(c) != 0).collect();
    let thai = ['\u{0E38}', '\u{0E39}', '\u{0E3A}', '\u{0E48}', '\u{0E49}', '\u{0E4A}', '\u{0E4B}'];
    let mut rng = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
    let mut unchanged = 0;
    for _ in 0..200_000 {
        let mut s = String::new();
        s.push(bases[rng.usize(..bases.len())]);
        for _ in 0..1 + rng.usize(..3) {
            // Thai marks often, so that many clusters are already in order.
            s.push(if rng.usize(..2) == 0 { thai[rng.usize(..thai.len())] } else { marks[rng.usize(..marks.len())] });
        }
        let want: String = s.nfkc().collect();
        assert_eq!(ours(&s), want, "{s:?}");
        unchanged += usize::from(want == s);
    }
    assert!(unchanged > 20_000, "{unchanged}");
}
