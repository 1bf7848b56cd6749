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

/// Higher is better: long literals, few of them, and not digits or spaces (which are everywhere).
fn selectivity(set: &[String]) -> f64 {
    let min_len = set.iter().map(|s| s.chars().count()).min().unwrap_or(0) as f64;
    let common = set.iter().filter(|s| s.chars().all(|c| c.is_ascii_digit() || c == ' ')).count() as f64;
    min_len / (set.len() as f64 + 4.0 * common)
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
        assert_eq!(required_literals(r"a?b*"), None);
        assert_eq!(required_literals(r"\w+"), None);
    }
}
