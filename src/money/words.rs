//! Numerals written in words or with word units: Korean (오백만, 일천만, 이천오백만), Chinese and Japanese
//! (两万, 兩萬, 一万五, 五十万) and digits mixed with units (3천5백만, 1억 5천만, 2万5千).
//!
//! Only the reading lives here; whether a numeral is pay (a currency or a period word next to it) is decided
//! by the scanner in `money.rs`, which calls in here around unit characters only.

/// Which writing a numeral uses: it decides the currency when none is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    Korean,
    /// Simplified Chinese and Japanese forms (万, 亿, 億).
    Chinese,
    /// Traditional forms used in Taiwan and Hong Kong (萬, 兩).
    Traditional,
}

/// A numeral read from the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Numeral {
    pub value: f64,
    /// Byte where the numeral ends.
    pub end: usize,
    pub script: Script,
    /// Whether it holds a unit of ten thousand or more (만, 억, 万, 萬, 亿, 億).
    pub big: bool,
    /// A bare unit with no digit and nothing else ("만", "万", "千"): a word more often than a number.
    pub lone: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A digit word, or a number in ASCII digits (`ascii`).
    Digit {
        value: f64,
        ascii: bool,
    },
    Unit(f64),
}

/// The token a character stands for, with its script.
fn classify(c: char) -> Option<(Tok, Script)> {
    use Script::*;
    let d = |v: f64| Tok::Digit { value: v, ascii: false };
    Some(match c {
        '일' => (d(1.0), Korean),
        '이' => (d(2.0), Korean),
        '삼' => (d(3.0), Korean),
        '사' => (d(4.0), Korean),
        '오' => (d(5.0), Korean),
        '육' => (d(6.0), Korean),
        '칠' => (d(7.0), Korean),
        '팔' => (d(8.0), Korean),
        '구' => (d(9.0), Korean),
        '십' => (Tok::Unit(10.0), Korean),
        '백' => (Tok::Unit(100.0), Korean),
        '천' => (Tok::Unit(1e3), Korean),
        '만' => (Tok::Unit(1e4), Korean),
        '억' => (Tok::Unit(1e8), Korean),
        '〇' | '零' => (d(0.0), Chinese),
        '一' => (d(1.0), Chinese),
        '二' | '两' => (d(2.0), Chinese),
        '兩' => (d(2.0), Traditional),
        '三' => (d(3.0), Chinese),
        '四' => (d(4.0), Chinese),
        '五' => (d(5.0), Chinese),
        '六' => (d(6.0), Chinese),
        '七' => (d(7.0), Chinese),
        '八' => (d(8.0), Chinese),
        '九' => (d(9.0), Chinese),
        '十' => (Tok::Unit(10.0), Chinese),
        '百' => (Tok::Unit(100.0), Chinese),
        '千' => (Tok::Unit(1e3), Chinese),
        '万' => (Tok::Unit(1e4), Chinese),
        '萬' => (Tok::Unit(1e4), Traditional),
        '亿' | '億' => (Tok::Unit(1e8), Chinese),
        _ => return None,
    })
}

/// Whether a character is a digit word or a unit (Korean, Chinese or Japanese).
pub(super) fn is_numeral(c: char) -> bool {
    classify(c).is_some()
}

/// Whether two scripts can share one numeral (simplified and traditional forms mix in practice).
fn same_family(a: Script, b: Script) -> bool {
    (a == Script::Korean) == (b == Script::Korean)
}

/// The unit characters [`is_anchor`] finds (all three bytes long in UTF-8), for what must know them as data: the
/// pay parser's skip table stops at their first bytes.
pub(super) const UNITS: [char; 10] = ['만', '억', '천', '백', '万', '萬', '亿', '億', '千', '百'];

/// Whether a unit character ([`UNITS`]: 천, 백, 만, 억, 千, 百, 万, 萬, 亿, 億) starts at byte `i`: compared as UTF-8
/// bytes, as the parser asks at every character.
#[inline]
pub(super) fn is_anchor(bytes: &[u8], i: usize) -> bool {
    let Some(&[b0, b1, b2]) = bytes.get(i..i + 3) else { return false };
    matches!(
        (b0, b1, b2),
        (0xEB, 0xA7, 0x8C) // 만
            | (0xEC, 0x96, 0xB5) // 억
            | (0xEC, 0xB2, 0x9C) // 천
            | (0xEB, 0xB0, 0xB1) // 백
            | (0xE4, 0xB8, 0x87) // 万
            | (0xE8, 0x90, 0xAC) // 萬
            | (0xE4, 0xBA, 0xBF) // 亿
            | (0xE5, 0x84, 0x84) // 億
            | (0xE5, 0x8D, 0x83) // 千
            | (0xE7, 0x99, 0xBE) // 百
    )
}

/// Whether a character is a Hangul syllable.
pub(super) fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}')
}

/// At most this many tokens are read: no real amount has more, and it bounds the work on any input.
const MAX_TOKENS: usize = 12;

/// Reads the longest valid numeral starting at byte `start` (a char boundary): digit words, ASCII numbers and
/// units of one script, with at most one space, after a unit of ten thousand or more, before a part that ends
/// in a unit ("1억 5천만"). Returns `None` when no numeral with a unit starts there.
pub(super) fn read(text: &str, start: usize) -> Option<Numeral> {
    let bytes = text.as_bytes();
    let mut script: Option<Script> = None;
    let mut traditional = false;
    let (mut total, mut section) = (0.0f64, 0.0f64);
    let mut pending: Option<(f64, bool)> = None;
    let (mut last_small, mut last_big) = (f64::INFINITY, f64::INFINITY);
    // The unit just read, and whether a digit or a section stood before it (一万 yes, 万 no).
    let mut prev_unit: Option<(f64, bool)> = None;
    let (mut units, mut tokens, mut big) = (0u8, 0usize, false);
    let mut after_space = false;
    let mut best: Option<Numeral> = None;
    let mut at = start;
    while at < bytes.len() && tokens < MAX_TOKENS {
        let (tok, len) = if bytes[at].is_ascii_digit() {
            let len = super::number::number_len(bytes, at);
            let value = super::number::parse_number(&text[at..at + len])?;
            (Tok::Digit { value, ascii: true }, len)
        } else if bytes[at] == b' ' && !after_space && prev_unit.is_some_and(|(u, _)| u >= 1e4) && pending.is_none() {
            // One space inside "1억 5천만" when what follows continues the numeral.
            let next = text[at + 1..].chars().next();
            let continues = next.is_some_and(|c| {
                c.is_ascii_digit() || classify(c).is_some_and(|(_, s)| script.is_some_and(|sc| same_family(s, sc)))
            });
            if !continues {
                break;
            }
            after_space = true;
            at += 1;
            continue;
        } else {
            let Some(c) = text[at..].chars().next() else { break };
            let Some((tok, s)) = classify(c) else { break };
            match script {
                Some(sc) if !same_family(sc, s) => break,
                _ => script = Some(script.unwrap_or(s)),
            }
            traditional |= s == Script::Traditional;
            (tok, c.len_utf8())
        };
        tokens += 1;
        let end = at + len;
        match tok {
            Tok::Digit { value, ascii } => {
                if pending.is_some() {
                    break;
                }
                pending = Some((value, ascii));
            }
            Tok::Unit(u) if u < 1e4 => {
                if u >= last_small {
                    break;
                }
                let had = pending.is_some();
                section += pending.take().map_or(1.0, |p| p.0) * u;
                last_small = u;
                prev_unit = Some((u, had));
                units += 1;
            }
            Tok::Unit(u) => {
                if u >= last_big {
                    break;
                }
                let mut sec = section + pending.take().map_or(0.0, |p| p.0);
                let had = sec > 0.0;
                if !had {
                    sec = 1.0;
                }
                total += sec * u;
                section = 0.0;
                last_small = f64::INFINITY;
                last_big = u;
                prev_unit = Some((u, had));
                units += 1;
                big = true;
            }
        }
        at = end;
        // The value if the numeral ended here.
        let value = match (pending, prev_unit) {
            // "一万五", "三千五", "1억5": a lone digit after a unit of 100 or more stands for the next place
            // down, in Chinese, or as an ASCII digit; only after a unit that had its own digit ("万一" is not
            // a number).
            (Some((d, ascii)), Some((u, had))) if u >= 100.0 && d < 10.0 && d.fract() == 0.0 => {
                if ascii || script != Some(Script::Korean) {
                    if !had {
                        break;
                    }
                    total + section + d * u / 10.0
                } else if text[end..].chars().next().is_some_and(is_hangul) {
                    // A Korean digit syllable glued to the next word ("오백만이상") is that word's start.
                    continue;
                } else {
                    total + section + d
                }
            }
            (Some((d, _)), _) => total + section + d,
            (None, _) => total + section,
        };
        if after_space && pending.is_some() {
            continue;
        }
        if units > 0 && value.is_finite() {
            let lone = tokens == 1;
            let script = if traditional { Script::Traditional } else { script.unwrap_or(Script::Chinese) };
            best = Some(Numeral { value, end, script, big, lone });
        }
    }
    best
}

/// The earliest byte where a numeral around the unit at `anchor` may start: the run of numeral characters of
/// the unit's script before it (not before `floor`, at most a few). `None` when the run starts right after an
/// ASCII digit (the digit scanner reads those). Later starts are tried by the caller, up to the unit.
pub(super) fn run_start(text: &str, anchor: usize, floor: usize) -> Option<usize> {
    let (_, script) = classify(text[anchor..].chars().next()?)?;
    let mut s = anchor;
    for (n, (i, c)) in text[floor..anchor].char_indices().rev().enumerate() {
        match classify(c) {
            Some((_, sc)) if same_family(sc, script) && n < MAX_TOKENS => s = floor + i,
            _ => break,
        }
    }
    if text[..s].ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<(f64, usize)> {
        read(s, 0).map(|n| (n.value, n.end))
    }

    #[test]
    fn korean_numerals() {
        assert_eq!(value("오백만"), Some((5e6, 9)));
        assert_eq!(value("천만"), Some((1e7, 6)));
        assert_eq!(value("일천만"), Some((1e7, 9)));
        assert_eq!(value("이천오백만"), Some((2.5e7, 15)));
        assert_eq!(value("일억"), Some((1e8, 6)));
        assert_eq!(value("3천5백만"), Some((3.5e7, 11)));
        assert_eq!(value("1억5천만"), Some((1.5e8, 11)));
        assert_eq!(value("1억 5천만"), Some((1.5e8, 12)));
        assert_eq!(value("1억5"), Some((1.5e8, 5)));
        assert_eq!(value("만오천"), Some((15_000.0, 9)));
        assert_eq!(value("천오백"), Some((1_500.0, 9)));
        assert_eq!(value("천오"), Some((1_005.0, 6)));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(value("两万"), Some((2e4, 6)));
        assert_eq!(value("兩萬").map(|v| v.0), Some(2e4));
        assert_eq!(read("兩萬", 0).map(|n| n.script), Some(Script::Traditional));
        assert_eq!(value("一万五"), Some((15_000.0, 9)));
        assert_eq!(value("三千五"), Some((3_500.0, 9)));
        assert_eq!(value("五十万"), Some((5e5, 9)));
        assert_eq!(value("二十五万"), Some((2.5e5, 12)));
        assert_eq!(value("2万5千"), Some((25_000.0, 8)));
    }

    #[test]
    fn not_numerals() {
        // 万一 ("in case"): a digit after a bare unit ends the numeral before it; the caller then finds a lone
        // unit, which needs a currency.
        assert!(read("万一", 0).is_some_and(|n| n.lone && n.end == 3));
        assert_eq!(value("오오"), None);
        assert_eq!(value("천천히").map(|v| v.1), Some(3));
        // A Korean digit syllable glued to the next word is not read.
        assert_eq!(value("오백만이상"), Some((5e6, 9)));
        // A space continues only into a part ending in a unit.
        assert_eq!(value("천만 이상"), Some((1e7, 6)));
        assert_eq!(value("2억 3억"), Some((2e8, 4)));
        assert_eq!(value(""), None);
        assert_eq!(value("1억 "), Some((1e8, 4)));
    }

    /// The pay parser asks `read` at a number in digits only when a numeral character follows it: before any
    /// other character (or none) `read` finds nothing.
    #[test]
    fn digits_continue_only_into_numerals() {
        let numbers = ["5", "12", "1,500", "1.5", "3,000.", "7 "];
        let after = ["", " ", "대", "년", "원", "万", "만", "일", "이", "a", "😀", "元", " 천", "\u{a0}", "十"];
        let tails = ["", "만", "원", " ", "천만", "万元", "x"];
        for n in numbers {
            for a in after {
                for t in tails {
                    let text = format!("{n}{a}{t}");
                    let j = super::super::number::number_len(text.as_bytes(), 0);
                    if !text[j..].chars().next().is_some_and(is_numeral) {
                        assert_eq!(read(&text, 0), None, "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn anchors_and_run_starts() {
        let t = "월급 일일오십만원";
        let anchor = t.find('만').unwrap();
        assert!(is_anchor(t.as_bytes(), anchor));
        assert!(!is_anchor(t.as_bytes(), 0));
        for c in "천백만억千百万萬亿億".chars() {
            assert!(is_anchor(c.to_string().as_bytes(), 0), "{c}");
        }
        assert!(!is_anchor("만".as_bytes(), 1));
        assert!(!is_anchor(&"만".as_bytes()[..2], 0));
        assert_eq!(run_start(t, anchor, 0).map(|i| &t[i..]), Some("일일오십만원"));
        assert_eq!(run_start(t, anchor, anchor), Some(anchor));
        assert_eq!(run_start("5백만", "5백만".find('백').unwrap(), 0), None);
    }
}
