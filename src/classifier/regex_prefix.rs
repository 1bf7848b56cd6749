//! A faster way to find a regex's matches when every match starts with one of a few literal texts (`텔레`,
//! `항공권|비행기|…`): find those texts by hand, and at each one run the regex anchored there, so the engine
//! (natively the `regex` crate's lazy DFA, or regex-lite's PikeVM where a source has no translation: see
//! [`super::regexes::engine`]) only runs where a match can start. It finds exactly the matches `find_iter`
//! finds. Native only (the Wasm module has no room for it).
//!
//! Why the same: `find_iter` reports the leftmost match, then searches again from its end. A match starts
//! with one of the prefixes, so the leftmost one starts at the first place a prefix occurs where the regex
//! matches at all; there, the anchored search takes the match the unanchored one takes (leftmost-first: the
//! same preference among the alternatives, threads from earlier starts having died without a match). The
//! anchored regex runs on the text from the candidate on; every branch consumes its prefix before any
//! assertion (`\b`, `^`, `$`) is tested, so each assertion sees the same characters on both sides as in the
//! whole text.

#![cfg(not(target_arch = "wasm32"))]

use aho_corasick::{AhoCorasick, Input, MatchKind};

use super::regexes::engine::Engine;

/// Characters with a meaning in regex syntax (and the escaped ones read as themselves).
const META: &str = "\\.+*?()|[]{}^$-";

/// The literal texts every match of `source` starts with, one per branch (a group's branches in turn), or
/// `None` when that cannot be read off the source with certainty: a branch starting with a class, an
/// assertion, an optional character or group; flags or named groups anywhere (`(?i)` changes what a literal
/// matches). Conservative: `None` is always safe.
pub(super) fn literal_prefixes(source: &str) -> Option<Vec<String>> {
    if source.match_indices("(?").any(|(i, _)| !source[i + 2..].starts_with(':')) {
        return None;
    }
    let chars: Vec<char> = source.chars().collect();
    let (mut set, end) = alternation(&chars, 0)?;
    if end != chars.len() {
        return None;
    }
    crate::sort::sort(&mut set);
    set.dedup();
    Some(set)
}

/// The prefixes of the branches from `i` up to an unmatched `)` or the end, and where that stopped.
fn alternation(c: &[char], mut i: usize) -> Option<(Vec<String>, usize)> {
    let mut out = Vec::new();
    loop {
        let (mut prefixes, j) = branch_prefix(c, i)?;
        out.append(&mut prefixes);
        i = skip_branch(c, j)?;
        if c.get(i) == Some(&'|') {
            i += 1;
        } else {
            return Some((out, i));
        }
    }
}

/// The prefixes one branch starting at `i` must start with, and where its reading stopped.
fn branch_prefix(c: &[char], mut i: usize) -> Option<(Vec<String>, usize)> {
    let mut lit = String::new();
    while let Some(&ch) = c.get(i) {
        let (atom, next) = match ch {
            '(' if lit.is_empty() => {
                // `(?:` (the only `(?` left) or a plain group.
                let inner = if c.get(i + 1) == Some(&'?') { i + 3 } else { i + 1 };
                let (set, close) = alternation(c, inner)?;
                if c.get(close) != Some(&')') || matches!(c.get(close + 1), Some('?' | '*' | '{')) {
                    return None;
                }
                return Some((set, close + 1));
            }
            '\\' => match c.get(i + 1) {
                Some(&e) if META.contains(e) => (e, i + 2),
                _ => break,
            },
            _ if META.contains(ch) => break,
            _ => (ch, i + 1),
        };
        match c.get(next) {
            // Optional (or repeated a number of times this does not read): the prefix ends before it.
            Some('?' | '*' | '{') => break,
            Some('+') => {
                lit.push(atom);
                i = next;
                break;
            }
            _ => {
                lit.push(atom);
                i = next;
            }
        }
    }
    (!lit.is_empty()).then(|| (vec![lit], i))
}

/// Where the branch going on at `i` ends: the next `|` or unmatched `)` outside classes, or the end.
fn skip_branch(c: &[char], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while let Some(&ch) = c.get(i) {
        match ch {
            '\\' => {
                i += 2;
                continue;
            }
            '[' => {
                i = skip_class(c, i)?;
                continue;
            }
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            '|' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
    Some(i)
}

/// The index after the class opening at `i` (nested classes and `[:alpha:]` included).
fn skip_class(c: &[char], i: usize) -> Option<usize> {
    let mut i = i + 1;
    if c.get(i) == Some(&'^') {
        i += 1;
    }
    if c.get(i) == Some(&']') {
        i += 1;
    }
    loop {
        match *c.get(i)? {
            '\\' => i += 2,
            '[' => i = skip_class(c, i)?,
            ']' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// A regex whose matches all start with one of a few literal texts, ready to be run only where they occur.
#[derive(Debug, Clone)]
pub(super) struct Anchored {
    /// The regex anchored at the start of the text (`\A(?:…)`).
    re: Engine,
    /// Finds the next place one of the prefixes starts: leftmost matching reports the match that starts first,
    /// and its SIMD prefilter passes over the text far faster than a look at every byte (`항` and `텔` share
    /// their first byte with thousands of Hangul syllables).
    prefixes: AhoCorasick,
}

impl Anchored {
    /// The fast form of `source`, if its matches all start with literal texts and its anchored form compiles
    /// (with `build`, the same settings as the regex itself).
    pub(super) fn new(source: &str, build: impl Fn(&str) -> Option<Engine>) -> Option<Anchored> {
        let prefixes = literal_prefixes(source)?;
        if prefixes.iter().any(String::is_empty) {
            return None;
        }
        let re = build(&format!(r"\A(?:{source})"))?;
        let prefixes = AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(&prefixes).ok()?;
        Some(Anchored { re, prefixes })
    }

    /// Calls `f(start, end)` for each match of the regex in `hay`, as `find_iter` gives them, until `f`
    /// returns `false`.
    pub(super) fn for_each_match(&self, hay: &str, mut f: impl FnMut(usize, usize) -> bool) {
        let bytes = hay.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            // The next place a prefix starts (a prefix starts with a character's first byte, so it is on a
            // character boundary of valid UTF-8).
            let Some(p) = self.prefixes.find(Input::new(bytes).range(pos..)).map(|m| m.start()) else {
                return;
            };
            match self.re.find(&hay[p..]) {
                Some((_, e)) => {
                    let end = p + e;
                    if !f(p, end) {
                        return;
                    }
                    // A match consumes at least its prefix; `max` only guards the loop.
                    pos = end.max(p + 1);
                }
                None => pos = p + 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_lite::Regex;

    /// The reference: regex-lite's `find_iter`.
    fn build(s: &str) -> Result<Regex, regex_lite::Error> {
        Regex::new(s)
    }

    /// The anchored engine as the classifier builds it (the `regex` crate's, for all of these).
    fn engine(s: &str) -> Option<Engine> {
        let e = Engine::new(s, usize::MAX, build)?;
        assert!(matches!(e, Engine::Dfa(_)), "{s} runs on regex-lite");
        Some(e)
    }

    #[test]
    fn prefixes_are_read_only_where_certain() {
        let p = |s: &str| literal_prefixes(s);
        let v = |xs: &[&str]| Some(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(p(r"텔레\s*[@:]\s*[a-z0-9_]"), v(&["텔레"]));
        assert_eq!(p(r"(항공권|비행기\s*(표|값)|출국\s*비용)\s*(은|는)"), v(&["비행기", "출국", "항공권"]));
        assert_eq!(p(r"(?:여권)[^.]{0,15}(?:곧바로|바로)|(?:곧바로|바로)x"), v(&["곧바로", "바로", "여권"]));
        assert_eq!(p(r"abc?d"), v(&["ab"]));
        assert_eq!(p(r"ab+c|\$x"), v(&["$x", "ab"]));
        assert_eq!(p(r"(ab|c)+d"), v(&["ab", "c"]));
        assert_eq!(p(r"a[|(]b|c"), v(&["a", "c"]));
        for none in [
            r"\bfoo",
            r"(?i)foo",
            r"foo|(?i:bar)",
            r"(foo)?bar",
            r"(foo)*bar",
            r"(foo){0,2}bar",
            r"a?b",
            r"[ab]c",
            r"^a|b",
            r"a|",
            r"|a",
            r"(a|)b",
            r".a",
            r"\da",
            r"(^|x)y",
            r"a*",
        ] {
            assert_eq!(p(none), None, "{none}");
        }
    }

    /// The fast form finds what `find_iter` finds, on texts with prefixes that fail, overlap, sit at the ends
    /// and next to word characters the regex's `\b` looks at.
    #[test]
    fn finds_what_find_iter_finds() {
        let regexes = [
            r"텔레\s*[@:]\s*[a-z0-9_]",
            r"(항공권|비행기\s*(표|티켓|값)|출국\s*비용)\s*(은|는|도)\s*[^.,!?\n]{0,16}(지원|제공)",
            r"ab\b|abc|b",
            r"aa+",
            r"(?:x|xy)z?\b",
            r"\$ ?\d[\d,]*( ?(per|a) ?(day|week)\b)?",
            r"a\.b$|a",
            r"é+x|e",
        ];
        let texts = [
            "",
            "텔레그램 텔레 @abc 텔레:x 텔레",
            "항공권 지원 항공권은 모두 지원 비행기 표는 무료 제공. 출국 비용도 지원! 항공권",
            "abc ab abd xab aab b bb",
            "aaaa a aa xaa",
            "xyz xz xy x xzz xyzq",
            "$5 per day $ 10,000 a week $3 perday $",
            "a.b a.bc a.b",
            "éx ééx e éé x",
        ];
        for src in regexes {
            let re = build(src).unwrap();
            let fast = Anchored::new(src, engine).unwrap_or_else(|| panic!("no fast form for {src}"));
            for t in texts {
                let want: Vec<(usize, usize)> = re.find_iter(t).map(|m| (m.start(), m.end())).collect();
                let mut got = Vec::new();
                fast.for_each_match(t, |s, e| {
                    got.push((s, e));
                    true
                });
                assert_eq!(got, want, "{src} on {t:?}");
            }
        }
    }

    /// The same on random texts of prefixes, near misses (prefixes sharing first bytes with other syllables)
    /// and the rest of the regexes, with a check that matches were found.
    #[test]
    fn finds_what_find_iter_finds_on_random_texts() {
        let regexes = [
            r"텔레\s*[@:]\s*[a-z0-9_]",
            r"(항공권|비행기\s*(표|티켓|값)|출국\s*비용)\s*(은|는|도)\s*[^.,!?\n]{0,16}(지원|제공)",
            r"(카톡|카카오톡|ㅋㅌ)\s*[(:：-]?\s*(id|아이디)?\s*[:：-]?\s*[a-z][a-z0-9_]{2,}",
            r"ab\b|abc|b",
            r"(?:x|xy)z?\b",
        ];
        let pieces = [
            "텔레",
            "텔레그램",
            "항공권",
            "항공",
            "비행기",
            "출국",
            "비용",
            "카톡",
            "카카오톡",
            "ㅋㅌ",
            "표",
            "는",
            "은",
            "도",
            " ",
            "@",
            ":",
            "abc",
            "ab",
            "b",
            "x",
            "y",
            "z",
            "지원",
            "제공",
            "텔",
            "항",
            "비",
            "한국",
            ".",
            "\n",
            "é",
            "😀",
        ];
        let mut rng = fastrand::Rng::with_seed(0xa4c4_04ed);
        let mut found = 0;
        for src in regexes {
            let re = build(src).unwrap();
            let fast = Anchored::new(src, engine).unwrap_or_else(|| panic!("no fast form for {src}"));
            for _ in 0..1500 {
                let t: String = (0..rng.usize(..40)).map(|_| pieces[rng.usize(..pieces.len())]).collect();
                let want: Vec<(usize, usize)> = re.find_iter(&t).map(|m| (m.start(), m.end())).collect();
                let mut got = Vec::new();
                fast.for_each_match(&t, |s, e| {
                    got.push((s, e));
                    true
                });
                assert_eq!(got, want, "{src} on {t:?}");
                found += got.len();
            }
        }
        assert!(found > 2000, "{found}");
    }
}
