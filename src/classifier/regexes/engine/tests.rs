//! The `regex` crate's form of each rule finds what regex-lite finds: every regex of the bundled pack on
//! random mixed texts, and the whole native search against regex-lite's on the dev texts (when present).

use super::super::{RegexRule, Regexes, REGEX_SIZE_LIMIT};
use super::*;
use crate::classifier::regex_prefix::Anchored;
use crate::normalize::Normalized;

fn lite(s: &str) -> Result<Lite, regex_lite::Error> {
    regex_lite::RegexBuilder::new(s).size_limit(REGEX_SIZE_LIMIT).build()
}

fn spans_lite(re: &Lite, t: &str) -> Vec<(usize, usize)> {
    re.find_iter(t).map(|m| (m.start(), m.end())).collect()
}

fn spans(f: impl FnOnce(&mut dyn FnMut(usize, usize) -> bool)) -> Vec<(usize, usize)> {
    let mut got = Vec::new();
    f(&mut |s, e| {
        got.push((s, e));
        true
    });
    got
}

#[test]
fn translates_only_what_it_is_sure_of() {
    let t = |s: &str| translate(s);
    assert_eq!(t(r"\bab\d\s\w"), Some(r"(?-u:\b)ab[0-9][\t\n\x0B\x0C\r\x20][0-9A-Za-z_]".into()));
    assert_eq!(t(r"[^\d.!\?。][\s:]\B"), Some(r"[^0-9.!\?。][\t\n\x0B\x0C\r\x20:](?-u:\B)".into()));
    assert_eq!(t(r"(?:a|b)[]x][[:alpha:]-]\$"), Some(r"(?:a|b)[\]x][[:alpha:]-]\$".into()));
    for none in
        [r"(?i)a", r"(?x)a b", r"(?P<n>a)", r"[\D]", r"[a&&b]", r"[a--b]", r"[a~~b]", r"[[a]]", r"\<a", r"\b{start}a"]
    {
        assert_eq!(t(none), None, "{none}");
    }
}

/// Pieces of every script and sign a page may hold next to a rule's own words: ASCII, digits, spaces and
/// punctuation, Hangul, Thai, CJK, kana, full-width forms, currency signs, accented Latin, an emoji.
const MIXED: &[&str] = &[
    " ",
    " ",
    "  ",
    "\n",
    "\t",
    ".",
    ",",
    "!",
    "?",
    ":",
    "@",
    "$",
    "-",
    "/",
    ">",
    "~",
    "_",
    "'",
    "a",
    "b",
    "z",
    "x1",
    "0",
    "1",
    "5",
    "9",
    "25",
    "1,000",
    "3.50",
    "word",
    "é",
    "à",
    "đ",
    "ỹ",
    "ế",
    "한",
    "국",
    "어",
    "원",
    "만",
    "ㅋ",
    "ไทย",
    "บาท",
    "ํา",
    "中文",
    "机",
    "。",
    "！",
    "？",
    "カタ",
    "ａ",
    "０",
    "１２",
    "：",
    "＠",
    "￥",
    "£",
    "€",
    "¥",
    "₩",
    "฿",
    "₫",
    "\u{200b}",
    "😀",
    "\u{301}",
];

/// The literal runs of `source` (its escapes and syntax taken out): pieces that make its matches likely.
fn words(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = source.chars();
    while let Some(ch) = chars.next() {
        let meta = "\\.+*?()|[]{}^$";
        if meta.contains(ch) {
            if ch == '\\' {
                if let Some(e) = chars.next() {
                    if "$.?-+".contains(e) {
                        cur.push(e);
                        continue;
                    }
                }
            }
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(ch);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Every regex of the bundled pack (and its anchored form, where it has one) finds on the `regex` crate
/// exactly what regex-lite finds, on random texts of its own words and mixed scripts; and all of them
/// translate, so none is left on regex-lite natively.
#[test]
fn every_pack_regex_finds_what_regex_lite_finds() {
    let pack = crate::bundled::pack().unwrap();
    let mut rng = fastrand::Rng::with_seed(0x5eed_4e6e);
    let (mut regexes, mut found) = (0, 0);
    for rule in &pack.rules {
        let Some(src) = &rule.regex else { continue };
        regexes += 1;
        let reference = lite(src).unwrap();
        let engine = Engine::new(src, REGEX_SIZE_LIMIT, lite).unwrap();
        assert!(matches!(engine, Engine::Dfa(_)), "{} runs on regex-lite", rule.id);
        let anchored = Anchored::new(src, |s| Engine::new(s, REGEX_SIZE_LIMIT, lite));
        let mut pieces: Vec<String> = words(src);
        pieces.extend(rule.near.iter().cloned());
        pieces.extend(MIXED.iter().map(|s| s.to_string()));
        for round in 0..300 {
            // Mostly the rule's own words, at times mostly other text.
            let own = if round % 3 == 0 { pieces.len() } else { pieces.len() - MIXED.len() };
            let t: String = (0..rng.usize(..48))
                .map(|_| {
                    let p = if rng.bool() { rng.usize(..own.max(1)) } else { rng.usize(..pieces.len()) };
                    pieces[p].as_str()
                })
                .collect();
            let want = spans_lite(&reference, &t);
            assert_eq!(spans(|f| engine.for_each_match(&t, f)), want, "{} on {t:?}", rule.id);
            if let Some(a) = &anchored {
                assert_eq!(spans(|f| a.for_each_match(&t, f)), want, "{} anchored on {t:?}", rule.id);
            }
            found += want.len();
        }
    }
    assert!(regexes > 50, "{regexes}");
    assert!(found > 2000, "{found}");
}

/// The whole native search (windows, anchored runs, the `regex` crate) reports what regex-lite's `find_iter`
/// alone reports, on every dev text (read only if the shared data is there; it is never copied in).
#[test]
fn native_search_reports_what_regex_lite_reports_on_dev_texts() {
    let Ok(dir) = std::fs::read_dir("/work/shared/data/dev") else { return };
    let pack = crate::bundled::pack().unwrap();
    let regexes = Regexes::new(&pack.rules).unwrap();
    let (mut texts, mut hits) = (0, 0);
    for entry in dir {
        let path = entry.unwrap().path();
        let Ok(body) = std::fs::read_to_string(&path) else { continue };
        for line in body.lines() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
            let Some(text) = v.get("text").and_then(|t| t.as_str()) else { continue };
            let norm = Normalized::new(text);
            let collect = |lite: bool| {
                let mut out = Vec::new();
                regexes.each_hit(&norm, lite, |rule, span| out.push((rule, span)));
                out
            };
            let want = collect(true);
            assert_eq!(collect(false), want, "{}", path.display());
            texts += 1;
            hits += want.len();
        }
    }
    assert!(texts > 100 && hits > 50, "{texts} texts, {hits} hits");
}

/// A snapshot's rule whose source regex-lite refuses never matches, though the `regex` crate would take it.
#[test]
fn a_source_regex_lite_refuses_never_matches() {
    // `\pL` is a Unicode class regex-lite does not know.
    let src = r"a\pL";
    assert!(lite(src).is_err());
    let rule = RegexRule {
        rule: 0,
        gated: false,
        source: src.into(),
        compiled: std::sync::OnceLock::new(),
        native: std::sync::OnceLock::new(),
    };
    assert!(rule.regex().is_none());
}
