//! Numbers in digits: their length and value ("1,500", "1.500.000", "15,5"), counter words that make a number a
//! count rather than money ("82만명"), and ranges ("$45k-$67k").

use super::currency::{token_after, MULTIPLIERS, PREFIXES, SUFFIXES};

/// Counter words that make a number with 만/억/万 a count of people or things, not money.
pub(super) const COUNTERS: &[&str] = &[
    "명", "개", "건", "회", "곳", "대", "장", "권", "마리", "가구", "뷰", "여", "배", "평", "주", "호", "종", "편",
    "번", "통", "人", "个", "個", "次", "件", "名", "位",
];

/// Whether `rest` (the text right after a number and its multiplier) starts with a counter word.
pub(super) fn counter_after(rest: &str) -> bool {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    COUNTERS.iter().any(|c| rest.starts_with(c))
}

/// When the amount ending at byte `end` is the low end of a range (`-`, `~`, `–` or `to`, then a second
/// amount), the byte where that second amount (with its multiplier and currency) ends.
pub(super) fn range_top_end(text: &str, end: usize) -> Option<usize> {
    let rest = &text[end..];
    let trimmed = rest.trim_start();
    let after = ["-", "~", "–", "to "].iter().find_map(|sep| trimmed.strip_prefix(sep))?;
    let after = after.trim_start();
    let after = PREFIXES.words.iter().find_map(|p| after.strip_prefix(p)).unwrap_or(after).trim_start();
    let digits = after.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(after.len());
    if digits == 0 || !after.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut top = text.len() - after.len() + digits;
    if let Some((_, e)) = token_after(text, top, &MULTIPLIERS) {
        top = e;
    }
    if let Some((_, e)) = token_after(text, top, &SUFFIXES) {
        top = e;
    }
    Some(top)
}

/// Byte length of a number in ASCII digits starting at `at`: digits, with `,` or `.` only between digits.
pub(super) fn number_len(bytes: &[u8], at: usize) -> usize {
    let mut j = at;
    while j < bytes.len()
        && (bytes[j].is_ascii_digit()
            || (matches!(bytes[j], b',' | b'.') && j > at && j + 1 < bytes.len() && bytes[j + 1].is_ascii_digit()))
    {
        j += 1;
    }
    j - at
}

/// Parses `1,500`, `1.500.000`, `1.5`, `15,5`.
pub(super) fn parse_number(s: &str) -> Option<f64> {
    let grouped = s.len() > 4 && s.split([',', '.']).skip(1).all(|g| g.len() == 3) && s.contains([',', '.']);
    let cleaned: String = if grouped { s.chars().filter(char::is_ascii_digit).collect() } else { s.replace(',', ".") };
    cleaned.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_digits() {
        assert_eq!(parse_number("1,500"), Some(1500.0));
        assert_eq!(parse_number("1.500.000"), Some(1_500_000.0));
        assert_eq!(parse_number("1.5"), Some(1.5));
        assert_eq!(parse_number("15,5"), Some(15.5));
        assert_eq!(number_len(b"12,000 won", 0), 6);
        assert_eq!(number_len(b"12, 000", 0), 2);
    }

    #[test]
    fn counters_and_ranges() {
        assert!(counter_after(" 명이 지원"));
        assert!(counter_after("人"));
        assert!(!counter_after("원"));
        let t = "$45k-$67k per year";
        assert_eq!(range_top_end(t, 4).map(|e| &t[..e]), Some("$45k-$67k"));
        assert_eq!(range_top_end("$45k per year", 4), None);
    }
}
