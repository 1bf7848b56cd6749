//! Concepts and proximity rules of the rule sources: a concept is a named set of wordings of one idea in one
//! language ("the ticket" said every way: 항공권, 비행기표, 비행기 티켓 ...); a rule names one concept (any of its
//! wordings fires it, matched like phrases) or two (a wording of the first within `within` characters of a
//! wording of the second, in either order, in one sentence). Proximity rules compile to one regex, gated on
//! the wordings of the first concept, so the engine needs nothing new: name the rarer concept first.

use std::collections::BTreeMap;

use crate::normalize::Normalized;

/// Widest gap a proximity rule may ask for, in characters: the engine runs a gated regex in a window of 120
/// bytes on each side of its literal, so wider gaps would silently not be seen.
pub const MAX_WITHIN: u32 = 40;

/// Characters that end a sentence: a proximity match never crosses them.
const SENTENCE_END: &str = ".!?。！？";

/// The compiled form of a proximity rule: the regex and the literals it is gated on.
#[derive(Debug, Clone, PartialEq)]
pub struct Proximity {
    /// Regex over the normalised view.
    pub regex: String,
    /// Literals of which every match contains one.
    pub near: Vec<String>,
}

/// The wordings of the concepts `ids` (each looked up in `concepts`), or the unknown id.
pub fn wordings<'a>(concepts: &'a BTreeMap<String, Vec<String>>, id: &str) -> Result<&'a [String], String> {
    match concepts.get(id) {
        Some(w) if !w.is_empty() => Ok(w),
        Some(_) => Err(format!("concept '{id}' has no wordings")),
        None => Err(format!("unknown concept '{id}'")),
    }
}

/// A wording as a regex over the normalised view: normalised the way page text is, a space inside it
/// optional ("비행기 티켓" also finds "비행기티켓"), and a word boundary where it starts or ends with a Latin
/// letter or digit ("visa" not inside "visage"). Returns the regex and its gate literals ([`gates`]).
fn wording(w: &str) -> Option<(String, Vec<String>)> {
    let norm = Normalized::new(w).text;
    let norm = norm.trim();
    if norm.is_empty() {
        return None;
    }
    let pieces: Vec<&str> = norm.split(' ').filter(|p| !p.is_empty()).collect();
    let mut re = String::new();
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if edge(norm.chars().next()) {
        re.push_str(r"\b");
    }
    re.push_str(&pieces.iter().map(|p| regex_lite::escape(p)).collect::<Vec<_>>().join(" ?"));
    if edge(norm.chars().next_back()) {
        re.push_str(r"\b");
    }
    Some((re, gates(&pieces)))
}

/// Most spaces a wording may hold for its every spacing to be a gate literal (2^n of them).
const MAX_GATE_SPACES: usize = 3;

/// The literals every match of a wording contains: each way of writing it with or without its spaces ("air
/// ticket", "airticket"), so that a common piece ("ticket", "công") does not open the gate on every page; with
/// more spaces than [`MAX_GATE_SPACES`], only the form as written and the one run together.
fn gates(pieces: &[&str]) -> Vec<String> {
    let spaces = pieces.len().saturating_sub(1);
    if spaces > MAX_GATE_SPACES {
        // Spaced as written, or run together: a partly spaced form is missed rather than gated on a piece
        // as common as "account".
        return vec![pieces.join(" "), pieces.concat()];
    }
    (0..1usize << spaces)
        .map(|mask| {
            let mut s = pieces[0].to_string();
            for (i, p) in pieces[1..].iter().enumerate() {
                if mask & (1 << i) != 0 {
                    s.push(' ');
                }
                s.push_str(p);
            }
            s
        })
        .collect()
}

/// Compiles "a wording of `a` within `within` characters of a wording of `b`" (either order unless
/// `ordered`), with no sentence end between them.
pub fn proximity(a: &[String], b: &[String], within: u32, ordered: bool) -> Result<Proximity, String> {
    if within == 0 || within > MAX_WITHIN {
        return Err(format!("within must be 1..={MAX_WITHIN} characters"));
    }
    let compile = |ws: &[String]| -> Result<(String, Vec<String>), String> {
        let mut res = Vec::new();
        let mut lits = Vec::new();
        for w in ws {
            let (re, gates) = wording(w).ok_or_else(|| format!("empty wording in concept: {w:?}"))?;
            res.push(re);
            lits.extend(gates);
        }
        Ok((format!("(?:{})", res.join("|")), lits))
    };
    let (ra, mut near) = compile(a)?;
    let (rb, _) = compile(b)?;
    let gap = format!("[^{}]{{0,{within}}}", regex_lite::escape(SENTENCE_END));
    let regex = if ordered { format!("{ra}{gap}{rb}") } else { format!("{ra}{gap}{rb}|{rb}{gap}{ra}") };
    near.sort();
    near.dedup();
    Ok(Proximity { regex, near })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    fn matches(p: &Proximity, text: &str) -> bool {
        let norm = Normalized::new(text).text;
        let re = regex_lite::Regex::new(&p.regex).unwrap();
        let found = re.is_match(&norm);
        if found {
            assert!(p.near.iter().any(|l| norm.contains(l.as_str())), "a match without a gate literal: {text}");
        }
        found
    }

    #[test]
    fn either_order_within_the_gap_in_one_sentence() {
        let p = proximity(&words(&["항공권", "비행기 티켓"]), &words(&["지원", "회사 부담"]), 10, false).unwrap();
        assert!(matches(&p, "항공권 전액 지원"));
        assert!(matches(&p, "비행기티켓은 회사부담"));
        assert!(matches(&p, "회사 부담으로 비행기 티켓을"));
        assert!(!matches(&p, "항공권 예약 업무 담당자를 찾습니다 연차 지원"), "too far apart");
        assert!(!matches(&p, "항공권 발권. 지원"), "another sentence");
        let ordered = proximity(&words(&["항공권"]), &words(&["지원"]), 10, true).unwrap();
        assert!(!matches(&ordered, "지원 항공권"));
    }

    #[test]
    fn latin_wordings_keep_word_boundaries_and_case_folds() {
        let p = proximity(&words(&["Visa"]), &words(&["not needed", "no need"]), 20, false).unwrap();
        assert!(matches(&p, "VISA is not needed"));
        assert!(matches(&p, "No need for a visa!"));
        assert!(!matches(&p, "visage not needed"));
        assert_eq!(p.near, vec!["visa".to_string()]);
        let vi = proximity(&words(&["vé máy bay"]), &words(&["miễn phí"]), 20, false).unwrap();
        assert!(matches(&vi, "Vé Máy Bay: MIỄN PHÍ"));
        assert_eq!(vi.near, ["vé máy bay", "vé máybay", "vémáy bay", "vémáybay"]);
        assert!(matches(&vi, "vémáy bay miễn phí"));
        let long = proximity(&words(&["rent out your bank account"]), &words(&["weekly"]), 20, false).unwrap();
        assert_eq!(long.near, ["rent out your bank account", "rentoutyourbankaccount"]);
    }

    #[test]
    fn bad_proximity_rules_are_refused() {
        assert!(proximity(&words(&["a"]), &words(&["b"]), 0, false).is_err());
        assert!(proximity(&words(&["a"]), &words(&["b"]), MAX_WITHIN + 1, false).is_err());
        assert!(proximity(&words(&[" "]), &words(&["b"]), 5, false).is_err());
        let concepts = BTreeMap::from([("x".to_string(), vec![]), ("y".to_string(), words(&["y"]))]);
        assert!(wordings(&concepts, "x").is_err());
        assert!(wordings(&concepts, "z").is_err());
        assert_eq!(wordings(&concepts, "y").unwrap(), ["y"]);
    }
}
