//! Derives, from a regex, literals of which every match must contain one ("near" literals). The classifier
//! runs a regex only in windows around such literals, so a page without them costs nothing and a large page
//! costs little: regex-lite (chosen to keep the Wasm module small) has no literal optimisations of its own.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most literals a derived set may hold; larger sets are not worth gating on.
const MAX_SET: usize = 24;

/// A set of literals, every match containing at least one of them; `None` when no such set is known.
pub fn required_literals(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut set = required(&hir)?;
    set.sort();
    set.dedup();
    // An empty literal would match everywhere.
    if set.is_empty() || set.iter().any(String::is_empty) {
        return None;
    }
    Some(set)
}

fn required(h: &Hir) -> Option<Vec<String>> {
    match h.kind() {
        HirKind::Literal(l) => Some(vec![String::from_utf8(l.0.to_vec()).ok()?]),
        HirKind::Class(Class::Unicode(c)) => {
            let mut out = Vec::new();
            for r in c.ranges() {
                for ch in r.start()..=r.end() {
                    out.push(ch.to_string());
                    if out.len() > MAX_SET {
                        return None;
                    }
                }
            }
            Some(out)
        }
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(required(a)?);
                if out.len() > MAX_SET {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Concat(parts) => {
            // Adjacent literals join into one longer literal; otherwise the most selective part's set wins.
            let mut best: Option<Vec<String>> = None;
            let mut run = String::new();
            let consider = |cand: Vec<String>, best: &mut Option<Vec<String>>| {
                if best.as_ref().is_none_or(|b| selectivity(&cand) > selectivity(b)) {
                    *best = Some(cand);
                }
            };
            for p in parts {
                if let HirKind::Literal(l) = p.kind() {
                    run.push_str(std::str::from_utf8(&l.0).ok()?);
                    continue;
                }
                if !run.is_empty() {
                    consider(vec![std::mem::take(&mut run)], &mut best);
                }
                if let Some(s) = required(p) {
                    consider(s, &mut best);
                }
            }
            if !run.is_empty() {
                consider(vec![run], &mut best);
            }
            best
        }
        _ => None,
    }
}

/// Higher is better: rare literals, few of them, and not digits or spaces (which are everywhere). A gate on
/// "in", "com" or "만" opens on nearly every line, so a literal's rarity is its length in bytes (a Hangul or
/// CJK character is rarer than a Latin letter), except that a single letter or digit of any script, or a
/// Latin word of up to three letters, counts as 1, spaces and digits as 0.5, and a single symbol ("@", "→")
/// as 3. Squared, so that a set of place names beats a set of prepositions of the same size.
fn selectivity(set: &[String]) -> f64 {
    let rarity = |s: &String| -> f64 {
        if s.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
            return 0.5;
        }
        let chars = s.chars().count();
        if chars == 1 {
            return if s.chars().all(char::is_alphanumeric) { 1.0 } else { 3.0 };
        }
        if chars <= 3 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            return 1.0;
        }
        s.len() as f64
    };
    let min = set.iter().map(rarity).fold(f64::INFINITY, f64::min);
    let min = if min.is_finite() { min } else { 0.0 };
    let common = set.iter().filter(|s| s.chars().all(|c| c.is_ascii_digit() || c == ' ')).count() as f64;
    min * min / (set.len() as f64 + 4.0 * common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_required_literals() {
        assert_eq!(required_literals(r"텔레\s*[@:]\s*[a-z]"), Some(vec!["텔레".into()]));
        assert_eq!(required_literals(r"[a-z0-9._-]+@(gmail|yahoo)\.com"), Some(vec![".com".into()]));
        assert_eq!(
            required_literals(r"\d+\s*(→|->|>)\s*\d+"),
            Some(vec!["->".to_string(), ">".to_string(), "→".to_string()])
        );
        let earn = required_literals(r"(earn|make)s? \$\d|\$ ?\d+ per day").unwrap();
        assert!(earn.contains(&"earn".to_string()) && earn.contains(&" per day".to_string()), "{earn:?}");
        let desk = required_literals(
            r"(customer service|data entry|crypto|typing|typist|translator|interpreter|betting|call centre|telemarketing|it support) (in|at|to) (thailand|bangkok|laos|cambodia)\b",
        );
        assert_eq!(desk.unwrap(), ["bangkok", "cambodia", "laos", "thailand"], "places, not prepositions");
        assert_eq!(
            required_literals(r"[a-z0-9._-]+@(gmail|yahoo)\.(com|net)"),
            Some(vec!["gmail".into(), "yahoo".into()])
        );
        let arrows = required_literals(r"\d+만원?\s*(→|->|>)\s*\d+만원?").unwrap();
        assert!(!arrows.contains(&"만".to_string()), "{arrows:?}");
        assert_eq!(required_literals(r"a?b*"), None);
        assert_eq!(required_literals(r"\w+"), None);
    }
}
