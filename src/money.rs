//! Pay amounts: finds amounts with currency, multiplier and period in normalised text (all seven languages)
//! and converts them to a monthly amount per currency.
//!
//! The scanner lives here; what it reads lives beside it, one concern a module: [`number`] (digits, counters,
//! ranges), [`words`] (numerals in words: 오백만, 两万), [`currency`] (marks, multipliers and currency words
//! before and after the amount), [`period`] (시급, per month, /tháng ...) and [`judge`] (which amounts are pay
//! and not a company's revenue, judged against the pack's per-currency thresholds).

mod currency;
mod judge;
mod number;
mod period;
#[cfg(test)]
mod tests;
mod words;

use currency::{currency_of, is_dong, is_latin_before, multiplier, script_unit, token_after, token_before};
use currency::{MULTIPLIERS, PREFIXES, SUFFIXES};
use number::{counter_after, number_len, parse_number, range_top_end};
use period::Periods;

/// One pay amount found in the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Pay {
    /// ISO currency code.
    pub currency: &'static str,
    /// Amount per month.
    pub monthly: f64,
    /// Byte range in the normalised text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// Whether [`PayParser::find`] skips characters with [`STEP`]: natively only (the Wasm keeps its module size).
const SKIP: bool = cfg!(not(target_arch = "wasm32"));

/// Per first byte, how far `find` moves on from a character without looking at it, as its byte-by-byte steps
/// would: one byte for ASCII other than a digit, the character's length for a character beyond ASCII whose
/// first byte no unit character ([`words::UNITS`]) has; 0 where it must look (digits, those first bytes).
/// Most of a page is skipped in a tight loop of table loads.
static STEP: [u8; 256] = {
    let mut step = [1u8; 256];
    let mut b = 0;
    while b < 256 {
        step[b] = match b as u8 {
            b'0'..=b'9' => 0,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xFF => 4,
            _ => 1,
        };
        b += 1;
    }
    // A three-byte character's first byte is 0xE0 and its top four bits.
    let mut k = 0;
    while k < words::UNITS.len() {
        step[(0xE0 | (words::UNITS[k] as u32 >> 12)) as usize] = 0;
        k += 1;
    }
    step
};

/// Per first byte of a three-byte character (its low four bits), the second bytes (their low six bits) a unit
/// character ([`words::UNITS`]) starting with that first byte has. `STEP` stops at every character whose first
/// byte a unit has, which in Korean is most syllables (만 and 천 start like half of Hangul); the skip looks at
/// the second byte too and steps over the rest, which [`words::is_anchor`] would turn down anyway.
static UNIT_SECONDS: [u64; 16] = {
    let mut seconds = [0u64; 16];
    let mut k = 0;
    while k < words::UNITS.len() {
        let c = words::UNITS[k] as u32;
        seconds[(c >> 12 & 15) as usize] |= 1 << (c >> 6 & 63);
        k += 1;
    }
    seconds
};

/// Whether the character starting at `i` (its first byte one a unit character starts with) may be a unit: its
/// second byte is one such a unit has (see [`UNIT_SECONDS`]).
#[inline(always)]
fn may_be_unit(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_none_or(|&b1| UNIT_SECONDS[usize::from(bytes[i] & 15)] >> (b1 & 63) & 1 != 0)
}

/// Per byte, 1 where [`STEP`] is 0 (a digit, or a first byte a unit character has): bytes that never occur
/// inside a character, so [`skip`] may look for them sixteen at a time without minding where characters start.
static STOPS: [u8; 256] = {
    let mut stops = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        stops[b] = (STEP[b] == 0) as u8;
        b += 1;
    }
    stops
};

/// Past every character from byte `i` that [`PayParser::find`]'s steps would pass over without a look (see
/// [`STEP`]). Out of line: in `find`'s body the loop reloaded the table's address at every character.
///
/// Sixteen bytes at a time first, while none of them is one `STEP` stops at ([`STOPS`]): stepping a character at
/// a time, text that switches between scripts (a Korean page's Latin words and numbers) mispredicted a branch at
/// each switch, and the loop took a tenth of the scoring thread's time for half a million instructions. A chunk
/// may end inside a character: the steps then pass its remaining bytes (`STEP` is 1 for them) and find the next
/// character's start, as they would have, since no byte they stop at occurs inside a character.
#[inline(never)]
fn skip(bytes: &[u8], mut i: usize) -> usize {
    loop {
        while let Some(chunk) = bytes.get(i..i + 16) {
            if chunk.iter().fold(0, |any, &b| any | STOPS[usize::from(b)]) != 0 {
                break;
            }
            i += 16;
        }
        // The chunk holding a byte to stop at (or the text's last bytes), character by character.
        let end = (i + 16).min(bytes.len());
        while i < end {
            match STEP[usize::from(bytes[i])] {
                // A unit's first byte (three-byte characters all) but not a unit: the whole character.
                0 if bytes[i] >= 0xC0 && !may_be_unit(bytes, i) => i += 3,
                0 => return i,
                step => i += usize::from(step),
            }
        }
        if i >= bytes.len() {
            return i;
        }
    }
}

/// The pay parser. A hand-written scanner rather than a regex: it keeps the Wasm module small and scans a
/// page touching only the text around digits. Period words are found with one small automaton.
#[derive(Debug, Clone)]
pub struct PayParser {
    periods: Periods,
}

impl PayParser {
    /// Builds the parser.
    pub fn new() -> Self {
        PayParser { periods: Periods::new() }
    }

    /// Finds pay amounts in normalised text. `threshold` gives the monthly threshold per currency; amounts
    /// written without a period that are far above it (8x) are read as yearly, as job ads state yearly pay
    /// without saying so far more often than they promise such monthly sums.
    ///
    /// One pass: numbers in digits are read where a digit starts, numerals in words ([`words`]) only around
    /// their unit characters (천, 만, 억, 千, 万, ...).
    pub fn find(&self, text: &str, threshold: impl Fn(&str) -> Option<f64>) -> Vec<Pay> {
        self.find_with::<SKIP>(text, threshold)
    }

    /// [`Self::find`], taking the skip over what starts nothing when `SKIP` (the tests compare the two).
    fn find_with<const SKIP: bool>(&self, text: &str, threshold: impl Fn(&str) -> Option<f64>) -> Vec<Pay> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        // Nothing before this byte may be read again (the end of the last amount read).
        let mut floor = 0;
        while i < bytes.len() {
            if SKIP {
                i = skip(bytes, i);
                if i >= bytes.len() {
                    break;
                }
            }
            if bytes[i] >= 0xC0 {
                // A character beyond ASCII: a unit to read a numeral in words around, or skipped whole.
                if words::is_anchor(bytes, i) {
                    match self.word_amount(text, i, floor, &threshold, &mut out) {
                        Some(end) => (i, floor) = (end, end),
                        None => i += 3,
                    }
                } else {
                    i += match bytes[i] {
                        0xC0..=0xDF => 2,
                        0xE0..=0xEF => 3,
                        _ => 4,
                    };
                }
                continue;
            }
            if !bytes[i].is_ascii_digit() || (i > 0 && (bytes[i - 1].is_ascii_digit() || is_latin_before(text, i))) {
                i += 1;
                continue;
            }
            let j = i + number_len(bytes, i);
            let num_text = &text[i..j];
            let next = j.max(i + 1);
            let (pre, start) = match token_before(text, i, &PREFIXES) {
                Some((t, s)) => (Some(t), s),
                None => (None, i),
            };
            let mut end = j;
            let mut mult = token_after(text, end, &MULTIPLIERS);
            // Units mixed with digits beyond one multiplier ("3천5백만", "1억 5천만", "2万5千") read as one.
            let mut compound = None;
            // Natively, only a numeral character right after the digits can continue them (`words::read` finds
            // nothing before any other: "4대", "2년"; a test holds it to that). The Wasm asks at any character
            // beyond ASCII, as a second copy of the numeral table would grow its module.
            let continues = if cfg!(target_arch = "wasm32") {
                text[j..].starts_with(|c: char| !c.is_ascii())
            } else {
                text[j..].chars().next().is_some_and(words::is_numeral)
            };
            if continues {
                if let Some(n) = words::read(text, i).filter(|n| mult.is_none_or(|m| n.end > m.1)) {
                    compound = Some(n.value);
                    mult = Some((script_unit(n.script), n.end));
                }
            }
            if let Some((_, e)) = mult {
                end = e;
            }
            let post =
                token_after(text, end, &SUFFIXES).filter(|&(t, e)| t != "동" || is_dong(mult.is_some(), &text[e..]));
            if let Some((_, e)) = post {
                end = e;
            }
            let (mult, post) = (mult.map(|m| m.0), post.map(|p| p.0));
            if pre.is_none() && post.is_none() && mult.is_none() {
                i = next;
                continue;
            }
            let (Some(currency), Some(num)) = (currency_of(pre, post, mult), parse_number(num_text)) else {
                i = next;
                continue;
            };
            let amount = compound.unwrap_or(num * multiplier(mult));
            self.push(
                text,
                (start, end),
                amount,
                currency,
                pre.is_none() && post.is_none(),
                None,
                &threshold,
                &mut out,
            );
            i = end.max(next);
            floor = i;
        }
        out
    }

    /// Judges an amount found at `start..end` and keeps it when it is pay: not a count of things ("82만명"),
    /// not a company's revenue or funding, not a bare number without currency or period. `unmarked`: neither a
    /// currency mark before nor after the amount; `period`: the months-per-unit factor of a period word found
    /// next to the amount already (else the nearest period word around it counts).
    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        text: &str,
        (start, end): (usize, usize),
        amount: f64,
        currency: &'static str,
        unmarked: bool,
        period: Option<f64>,
        threshold: &impl Fn(&str) -> Option<f64>,
        out: &mut Vec<Pay>,
    ) {
        // "82만명", "2억개", "3만 건": a count, not money.
        let counted = unmarked && counter_after(&text[end..]);
        if !amount.is_finite() || amount <= 0.0 || counted {
            return;
        }
        let (mut per_month, mut explicit) = period.map_or_else(|| self.periods.factor(text, start, end), |f| (f, true));
        // The low end of a range ("$45k-$67k per year") takes the period written after the top end.
        if !explicit {
            if let Some(top_end) = range_top_end(text, end) {
                (per_month, explicit) = self.periods.factor(text, start, top_end);
            }
        }
        let currency = if unmarked && currency == "CNY" && self.periods.japanese_near(text, start, end) {
            "JPY"
        } else {
            currency
        };
        // A bare "2,000만" with neither currency nor period is a count of something, not pay.
        if unmarked && !explicit {
            return;
        }
        if let Some(monthly) = judge::monthly(amount * per_month, explicit, threshold(currency)) {
            out.push(Pay { currency, monthly, start, end });
        }
    }

    /// Reads a numeral in words around the unit character at byte `anchor` and, when it is pay, adds it to
    /// `out`. Returns where the numeral (with its currency) ends when one was read, pay or not.
    ///
    /// Words like 천천히, 만족, 백화점, 이천 (a city), 오만 (arrogance), 万一, 千万别 and 万达 hold the same
    /// characters, so a numeral counts only with a currency right after it (오백만원, 两万元, 百万円) or a
    /// period word right before it (월급 오백만, 月薪两万, 日薪一千); a bare unit (만, 万) needs the currency,
    /// and a Korean numeral glued to the end of another word (수천만원) needs the period word.
    fn word_amount(
        &self,
        text: &str,
        anchor: usize,
        floor: usize,
        threshold: &impl Fn(&str) -> Option<f64>,
        out: &mut Vec<Pay>,
    ) -> Option<usize> {
        let first = words::run_start(text, anchor, floor)?;
        // The longest numeral that covers the unit, from the earliest start ("일일오십만원" reads 오십만).
        let mut s = first;
        let n = loop {
            if let Some(n) = words::read(text, s).filter(|n| n.end > anchor) {
                break n;
            }
            s += text[s..].chars().next().map_or(1, char::len_utf8);
            if s > anchor {
                return None;
            }
        };
        let post = token_after(text, n.end, &SUFFIXES);
        let end = post.map_or(n.end, |p| p.1);
        // A bare unit is a number only as 만원, 万元 (a bare 억 or 千 is part of a larger vague sum).
        if n.lone && (post.is_none() || n.value != 1e4) {
            return Some(end);
        }
        let near = self.periods.just_before(text, s);
        let period = near.map(|p| p.0);
        // Without a currency only a word naming pay makes a number pay: "매일 천 번", "每天一千步" are counts.
        let pay_word = near.is_some_and(|p| p.1);
        let korean = n.script == words::Script::Korean;
        let glued = korean && text[..s].ends_with(words::is_hangul);
        // "수 천만원", "몇 백만원", "수백 억 원", "几万元", "上万元": some unstated number of these units.
        let vague = period.is_none()
            && text[..s].trim_end_matches(' ').chars().next_back().is_some_and(|c| {
                matches!(c, '수' | '몇' | '几' | '幾' | '数' | '數' | '上' | '过' | '過')
                    || (korean && words::is_numeral(c))
            });
        if vague {
            return Some(end);
        }
        let mut value = n.value;
        let accepted = match (post, period) {
            (Some(_), _) => !glued || period.is_some(),
            (None, None) => false,
            (None, Some(_)) if !pay_word => false,
            (None, Some(factor)) if korean && !n.big => {
                // "월 천오백", "연봉 오천", "일당 이백": pay said in units of 만원, not hourly, standing alone.
                let alone = !text[n.end..].starts_with(words::is_hangul);
                value *= 1e4;
                factor <= 22.0 && alone && n.value >= 100.0
            }
            (None, Some(_)) => true,
        };
        if !accepted {
            return Some(end);
        }
        let Some(currency) = currency_of(None, post.map(|p| p.0), Some(script_unit(n.script))) else {
            return Some(end);
        };
        self.push(text, (s, end), value, currency, post.is_none(), period, threshold, out);
        Some(end)
    }
}

impl Default for PayParser {
    fn default() -> Self {
        Self::new()
    }
}
