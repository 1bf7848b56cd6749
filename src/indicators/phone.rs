//! Phone numbers: finding them in a text and normalising them to E.164 (`+821012345678`).
//!
//! A small normaliser rather than the `phonenumber` crate: this code runs in the extension's Wasm, where
//! `phonenumber` (its regexes and metadata) would cost more than the module's size budget, and the same
//! code must run natively and in Wasm so that the service and the extension hash a number the same way. It
//! knows the calling codes and the national formats of the countries JobGuard serves; the service's tests
//! check that it agrees with `phonenumber` on them. A national number (no `+`/`00`) is read only when the
//! page's script tells its country (Hangul: Korea, kana: Japan, Thai, Khmer, Vietnamese letters, Han); a
//! number it cannot place is left out rather than guessed.

/// Countries whose national numbers (written without a country code) are understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// Korea, +82.
    Kr,
    /// Japan, +81.
    Jp,
    /// China (or Taiwan, told apart by the number's form), +86 / +886.
    Han,
    /// Thailand, +66.
    Th,
    /// Cambodia, +855.
    Kh,
    /// Vietnam, +84.
    Vn,
}

/// Country calling codes accepted after `+` (ITU-T E.164; one to three digits).
const CALLING_CODES: &[&str] = &[
    "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48",
    "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
    "86", "90", "91", "92", "93", "94", "95", "98", "211", "212", "213", "216", "218", "220", "221", "233", "234",
    "249", "251", "254", "255", "256", "260", "263", "351", "352", "353", "354", "355", "358", "359", "370", "371",
    "372", "373", "374", "375", "380", "381", "385", "386", "387", "420", "421", "852", "853", "855", "856", "880",
    "886", "960", "961", "962", "963", "964", "965", "966", "967", "968", "970", "971", "972", "973", "974", "975",
    "976", "977", "992", "993", "994", "995", "996", "998",
];

/// Calling codes whose numbers keep a leading 0 after the code (Italy, San Marino, Vatican).
const KEEPS_ZERO: &[&str] = &["39"];

/// The region a text's script points to, if any.
pub fn region_hint(text: &str) -> Option<Region> {
    let (mut hangul, mut kana, mut han, mut thai, mut khmer, mut viet) = (0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
    for c in text.chars().take(200_000) {
        match c as u32 {
            0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => hangul += 1,
            0x3040..=0x30FF => kana += 1,
            0x4E00..=0x9FFF => han += 1,
            0x0E00..=0x0E7F => thai += 1,
            0x1780..=0x17FF => khmer += 1,
            0x1EA0..=0x1EF9 | 0x0102 | 0x0103 | 0x0110 | 0x0111 | 0x01A0 | 0x01A1 | 0x01AF | 0x01B0 => viet += 1,
            _ => {}
        }
    }
    if kana >= 5 {
        return Some(Region::Jp);
    }
    let best = [(hangul, Region::Kr), (thai, Region::Th), (khmer, Region::Kh), (viet, Region::Vn), (han, Region::Han)]
        .into_iter()
        .max_by_key(|(n, _)| *n)?;
    (best.0 >= 5).then_some(best.1)
}

/// Normalises a number as written (`010-1234-5678`, `+82 10 1234 5678`, `0082-10-...`, `(02) 123-4567`) to
/// E.164, reading national numbers in `region`. `None` when it is not a plausible phone number.
pub fn normalize_phone(raw: &str, region: Option<Region>) -> Option<String> {
    normalize_phone_in(raw, || region)
}

/// [`normalize_phone`] with the region asked for only when a national number needs it (working it out reads
/// the whole page; most pages have no number to place).
pub(crate) fn normalize_phone_in(raw: &str, region: impl FnOnce() -> Option<Region>) -> Option<String> {
    let raw = raw.trim().replace("(0)", "");
    let international = raw.starts_with('+') || raw.starts_with('＋');
    let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    if international {
        return international_number(&digits);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return international_number(rest);
    }
    national_number(&digits, region()?)
}

/// `digits` start with a calling code.
fn international_number(digits: &str) -> Option<String> {
    let cc = (1..=3).map(|n| digits.get(..n)).find_map(|p| p.filter(|p| CALLING_CODES.contains(p)))?;
    let mut national = &digits[cc.len()..];
    // "+82 010-..." is common: the trunk 0 does not belong after the code.
    if !KEEPS_ZERO.contains(&cc) {
        national = national.strip_prefix('0').unwrap_or(national);
    }
    let ok_len = if cc == "1" { national.len() == 10 } else { (6..=13).contains(&national.len()) };
    (ok_len && (KEEPS_ZERO.contains(&cc) || !national.starts_with('0'))).then(|| format!("+{cc}{national}"))
}

fn national_number(d: &str, region: Region) -> Option<String> {
    let n = d.len();
    let b = d.as_bytes();
    let starts = |p: &str| d.starts_with(p);
    let e164 = |cc: &str, rest: &str| Some(format!("+{cc}{rest}"));
    match region {
        Region::Kr if b[0] == b'0' && (b'1'..=b'7').contains(&b[1]) => {
            // Mobile 01x (10-11 digits), Seoul 02 (9-10), areas 03x-06x (10-11), 070 (11).
            let ok = if starts("01") {
                matches!(b[2], b'0' | b'1' | b'6'..=b'9') && (n == 11 || (n == 10 && b[2] != b'0'))
            } else if starts("02") {
                n == 9 || n == 10
            } else {
                n == 10 || n == 11
            };
            if ok {
                e164("82", &d[1..])
            } else {
                None
            }
        }
        Region::Jp if b[0] == b'0' && b[1] != b'0' => {
            let mobile = matches!(&d[..3], "050" | "070" | "080" | "090");
            if (mobile && n == 11) || (!mobile && n == 10) {
                e164("81", &d[1..])
            } else {
                None
            }
        }
        Region::Han if n == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) => e164("86", d),
        // Taiwan's mobiles are 09 + 8 digits; China's area numbers 0 + 9-11 digits (never 09).
        Region::Han if n == 10 && starts("09") => e164("886", &d[1..]),
        Region::Han if b[0] == b'0' && (b'1'..=b'8').contains(&b[1]) && (10..=12).contains(&n) => e164("86", &d[1..]),
        Region::Th
            if b[0] == b'0'
                && ((matches!(b[1], b'6' | b'8' | b'9') && n == 10) || ((b'2'..=b'7').contains(&b[1]) && n == 9)) =>
        {
            e164("66", &d[1..])
        }
        Region::Kh if b[0] == b'0' && b[1] != b'0' && (n == 9 || n == 10) => e164("855", &d[1..]),
        Region::Vn
            if b[0] == b'0'
                && ((matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9') && n == 10) || (b[1] == b'2' && n == 11)) =>
        {
            e164("84", &d[1..])
        }
        _ => None,
    }
}

/// Separators allowed inside a written number.
fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{00A0}')
}

/// The bytes a number may start with, as a table: a page is scanned for them byte by byte, and one load
/// is cheaper than four comparisons.
const STARTS_NUMBER: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(b as u8, b'+' | b'0'..=b'9' | b'(' | 0xEF);
        b += 1;
    }
    t
};

/// The first byte from `i` on that may start a number ([`STARTS_NUMBER`]). Natively the bytes are first
/// tested eight at a time (one word: is any a digit, `(`..`+` or 0xEF?), as most words of a page hold none: a
/// byte's table lookup and branch cost some six instructions, a word's test about two a byte. The word test
/// misses no such byte (each byte's lane is computed apart, without carries: see [`may_start_number`]), and a
/// word that passes is searched byte by byte, so the result is the byte search's (a test compares the two).
fn next_number_start(bytes: &[u8], mut i: usize) -> Option<usize> {
    let starts = |w: &[u8]| w.iter().position(|&b| STARTS_NUMBER[usize::from(b)]);
    // The Wasm keeps the byte search alone: no code to carry for it.
    if cfg!(not(target_arch = "wasm32")) {
        while let Some(w) = bytes.get(i..i + 8) {
            if may_start_number(u64::from_le_bytes(w.try_into().unwrap_or_default())) {
                if let Some(n) = starts(w) {
                    return Some(i + n);
                }
            }
            i += 8;
        }
    }
    starts(bytes.get(i..)?).map(|n| i + n)
}

/// Whether any byte of the word `x` is a digit, one of `( ) * +` or 0xEF: a superset of [`STARTS_NUMBER`]'s
/// bytes. Each test works on every byte lane at once without a carry or borrow crossing lanes (the lanes' low
/// seven bits are added to or taken from constants that keep each lane within 0..=255), so none is missed.
fn may_start_number(x: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let low7 = x & (ONES * 0x7F);
    // A lane's high bit is set where m < byte < n (an ASCII byte): above m as low7 + (127 - m) carries into
    // bit 7, below n as (127 + n) - low7 keeps bit 7; `!x` drops bytes >= 0x80.
    let between = |m: u64, n: u64| (ONES * (127 + n) - low7) & !x & (low7 + ONES * (127 - m)) & HIGH;
    // A lane of x ^ 0xEF.. is zero where the byte is 0xEF: (v - 1) sets its high bit, where v's own is clear.
    let v = x ^ (ONES * 0xEF);
    let ef = v.wrapping_sub(ONES) & !v & HIGH;
    (between(b'0' as u64 - 1, b'9' as u64 + 1) | between(b'(' as u64 - 1, b'+' as u64 + 1) | ef) != 0
}

/// Phone numbers in `text`: `(byte start, byte end, E.164)`, at most `max`.
pub fn find_phones(text: &str, region: Option<Region>, max: usize) -> Vec<(usize, usize, String)> {
    find_phones_in(text, &|| region, max)
}

/// [`find_phones`], asking for the region only when a national number needs it.
pub(crate) fn find_phones_in(
    text: &str,
    region: &dyn Fn() -> Option<Region>,
    max: usize,
) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Each digit group's end and digit count, for the number read at `i`: one buffer for all (a page has a
    // digit every few dozen bytes; an allocation each was a tenth of this search).
    let mut ends: Vec<(usize, usize)> = Vec::new();
    while i < bytes.len() && out.len() < max {
        // Only a '+', a digit, '(' or a fullwidth plus (first byte 0xEF) starts a number: skip to the next such
        // byte. They are ASCII or a UTF-8 lead byte, so the skip lands on a character boundary.
        match next_number_start(bytes, i) {
            Some(n) => i = n,
            None => break,
        }
        let c = bytes[i];
        let plus = c == b'+' || text[i..].starts_with('＋');
        let prev_ok = i == 0 || {
            let p = text[..i].chars().next_back().unwrap_or(' ');
            !(p.is_ascii_alphanumeric() || matches!(p, '/' | '=' | '_' | '.' | '@' | '-' | ','))
        };
        if !(prev_ok && (plus || c.is_ascii_digit() || c == b'(')) {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // Read digits and separators (at most two in a row; a '.' only between digits); every digit group's
        // end is a possible end of the number, since two numbers may follow each other.
        let start = i;
        let j = i + if plus { text[i..].chars().next().map_or(1, char::len_utf8) } else { 0 };
        ends.clear();
        let (mut digits, mut seps) = (0usize, 0usize);
        let mut chars = text[j..].char_indices().peekable();
        while let Some((k, ch)) = chars.next() {
            let next_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
            if ch.is_ascii_digit() {
                digits += 1;
                seps = 0;
                if !next_digit {
                    ends.push((j + k + 1, digits));
                }
            } else if is_sep(ch) && seps < 2 && digits < 16 && (ch != '.' || next_digit) {
                seps += 1;
            } else {
                break;
            }
        }
        let mut end = j;
        for &(e, n) in ends.iter().rev() {
            let next_ok = text[e..].chars().next().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '@'));
            if (8..=15).contains(&n) && next_ok {
                if let Some(norm) = normalize_phone_in(&text[start..e], region) {
                    out.push((start, e, norm));
                    end = e;
                    break;
                }
            }
        }
        if end == j {
            end = ends.first().map_or(j, |f| f.0);
        }
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_forms_agree() {
        for raw in
            ["+82 10-1234-5678", "+82 010 1234 5678", "0082-10-1234-5678", "+82(0)10 1234 5678", "＋82 10 1234 5678"]
        {
            assert_eq!(normalize_phone(raw, None).as_deref(), Some("+821012345678"), "{raw}");
        }
        assert_eq!(normalize_phone("+855 12 345 678", None).as_deref(), Some("+85512345678"));
        assert_eq!(normalize_phone("+1 (415) 555-2671", None).as_deref(), Some("+14155552671"));
        assert_eq!(normalize_phone("+39 06 1234 5678", None).as_deref(), Some("+390612345678"));
        assert_eq!(normalize_phone("+999 1234 5678", None), None, "no such calling code");
        assert_eq!(normalize_phone("+1 555 1234", None), None, "too short for +1");
    }

    #[test]
    fn national_numbers_need_a_region() {
        assert_eq!(normalize_phone("010-1234-5678", None), None);
        assert_eq!(normalize_phone("010-1234-5678", Some(Region::Kr)).as_deref(), Some("+821012345678"));
        assert_eq!(normalize_phone("02-123-4567", Some(Region::Kr)).as_deref(), Some("+8221234567"));
        assert_eq!(normalize_phone("090-1234-5678", Some(Region::Jp)).as_deref(), Some("+819012345678"));
        assert_eq!(normalize_phone("138 0013 8000", Some(Region::Han)).as_deref(), Some("+8613800138000"));
        assert_eq!(normalize_phone("0912-345-678", Some(Region::Han)).as_deref(), Some("+886912345678"));
        assert_eq!(normalize_phone("081 234 5678", Some(Region::Th)).as_deref(), Some("+66812345678"));
        assert_eq!(normalize_phone("0912 345 678", Some(Region::Vn)).as_deref(), Some("+84912345678"));
        assert_eq!(normalize_phone("012 345 678", Some(Region::Kh)).as_deref(), Some("+85512345678"));
        assert_eq!(normalize_phone("20261206", Some(Region::Kr)), None, "a date is not a number");
        assert_eq!(normalize_phone("010-123-456", Some(Region::Kr)), None, "too short");
    }

    /// The word-at-a-time search finds the byte search's start, from any offset of random bytes (biased to
    /// the bytes that start a number and their neighbours).
    #[test]
    fn number_start_search_is_the_byte_search() {
        let near = [b'+', b'(', b')', b'*', b',', b'\'', b'/', b'0', b'9', b':', 0xEF, 0xEE, 0xF0, 0x7F, 0xAB, b'a'];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5000 {
            let len = rng.usize(0..40);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.u8(..4) {
                    0 => near[rng.usize(..near.len())],
                    1 => rng.u8(..),
                    _ => b' ' + rng.u8(..7) * 11,
                })
                .collect();
            let from = rng.usize(0..=len);
            let want = bytes[from..].iter().position(|&b| STARTS_NUMBER[usize::from(b)]).map(|n| from + n);
            assert_eq!(next_number_start(&bytes, from), want, "{bytes:?} from {from}");
        }
    }

    #[test]
    fn region_from_script() {
        assert_eq!(region_hint("텔레그램으로 연락 주세요"), Some(Region::Kr));
        assert_eq!(region_hint("お問い合わせはこちらへどうぞ"), Some(Region::Jp));
        assert_eq!(region_hint("Liên hệ ngay để được tuyển dụng"), Some(Region::Vn));
        assert_eq!(region_hint("Call us now for details"), None);
    }

    #[test]
    fn finds_numbers_in_text_but_not_dates_or_money() {
        let t = "문의 010-1234-5678 또는 +855 12 345 678. 2026-12-06 09:00, 월급 3,000,000원, ID 12345678901234567, \
                 02-123-4567 010-9876-5432";
        let found: Vec<String> = find_phones(t, region_hint(t), 10).into_iter().map(|f| f.2).collect();
        assert_eq!(found, ["+821012345678", "+85512345678", "+8221234567", "+821098765432"]);
        let (s, e, _) = find_phones(t, Some(Region::Kr), 10)[0].clone();
        assert_eq!(&t[s..e], "010-1234-5678");
    }
}
