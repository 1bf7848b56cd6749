//! Pay amounts: finds amounts with currency, multiplier and period in normalised text (all seven languages)
//! and converts them to a monthly amount per currency.

use aho_corasick::AhoCorasick;

mod words;

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

/// The pay parser. A hand-written scanner rather than a regex: it keeps the Wasm module small and scans a
/// page touching only the text around digits. Period words are found with one small automaton.
#[derive(Debug, Clone)]
pub struct PayParser {
    periods: AhoCorasick,
    /// Months per unit of each period word, by pattern index.
    factors: Vec<f64>,
    /// Whether each period word also names pay (월급, 일당, 月薪), not only a stretch of time (매일, 每天).
    pay_words: Vec<bool>,
}

/// Currency marks written before the amount, longest first. The other dollars (S$, HK$, NT$, A$ ...) are listed
/// so that their `$` is not read as the US dollar.
const PREFIXES: &[&str] = &[
    "us$", "usd", "myr", "idr", "krw", "vnd", "thb", "cny", "jpy", "sgd", "hkd", "twd", "aud", "cad", "au$", "ca$",
    "nz$", "hk$", "nt$", "rp.", "s$", "a$", "c$", "rm", "rp", "$", "₩", "¥", "฿",
];
/// Multipliers written after the number, longest first.
const MULTIPLIERS: &[&str] = &[
    "million",
    "triệu",
    "trieu",
    "juta",
    "ribu",
    "천만",
    "백만",
    "หมื่น",
    "แสน",
    "ล้าน",
    "พัน",
    "mil",
    "tỷ",
    "tr",
    "ty",
    "jt",
    "rb",
    "만",
    "천",
    "억",
    "万",
    "千",
    "亿",
    "億",
    "萬",
    "k",
    "m",
];
/// Currencies written after the amount, longest first.
const SUFFIXES: &[&str] = &[
    "新台币",
    "新台幣",
    "越南盾",
    "印尼盾",
    "ดอลลาร์",
    "dollars",
    "đô la",
    "美元",
    "美金",
    "日元",
    "日圆",
    "日圓",
    "港币",
    "港幣",
    "港元",
    "台币",
    "台幣",
    "新币",
    "新幣",
    "马币",
    "馬幣",
    "令吉",
    "泰铢",
    "泰銖",
    "越盾",
    "韩元",
    "韓元",
    "韩币",
    "dolar",
    "đô",
    "ringgit",
    "rupiah",
    "dollar",
    "人民币",
    "đồng",
    "won",
    "usd",
    "sgd",
    "hkd",
    "twd",
    "myr",
    "dong",
    "vnd",
    "idr",
    "rmb",
    "cny",
    "thb",
    "yen",
    "jpy",
    "บาท",
    "달러",
    "rm",
    "rp",
    "원",
    "$",
    "đ",
    "동",
    "元",
    "块",
    "円",
    "엔",
];

/// Period words, checked in a short window around the amount. Order matters: the first that matches wins.
const PERIODS: &[(f64, &[&str])] = &[
    (
        160.0,
        &[
            "시급",
            "시간당",
            "per hour",
            "an hour",
            "/hour",
            "/hr",
            "hourly",
            "/giờ",
            "mỗi giờ",
            "per jam",
            "/jam",
            "时薪",
            "每小时",
            "時給",
            "ชั่วโมง",
        ],
    ),
    (
        22.0,
        &[
            "일당",
            "일급",
            "일일",
            "매일",
            "당일",
            "하루",
            "日薪",
            "每天",
            "一天",
            "日给",
            "日結",
            "日结",
            "/day",
            "per day",
            "a day",
            "daily",
            "/ngày",
            "mỗi ngày",
            "một ngày",
            "per hari",
            "/hari",
            "sehari",
            "日給",
            "日当",
            "ต่อวัน",
            "วันละ",
        ],
    ),
    (
        4.33,
        &[
            "주급",
            "주당",
            "/week",
            "per week",
            "weekly",
            "a week",
            "每周",
            "週給",
            "/tuần",
            "mỗi tuần",
            "per minggu",
            "/minggu",
            "seminggu",
            "ต่อสัปดาห์",
            "สัปดาห์ละ",
        ],
    ),
    (
        1.0 / 12.0,
        &[
            "연봉",
            "년봉",
            "연 ",
            "/year",
            "per year",
            "per annum",
            "annual",
            "a year",
            "/yr",
            "p.a",
            "年薪",
            "年收",
            "年収",
            "/năm",
            "mỗi năm",
            "một năm",
            "per tahun",
            "/tahun",
            "setahun",
            "ต่อปี",
            "ปีละ",
        ],
    ),
    (
        1.0,
        &[
            "월급",
            "월 ",
            "월수입",
            "월수익",
            "/월",
            "per month",
            "a month",
            "/month",
            "/mo",
            "monthly",
            "月薪",
            "月收入",
            "月入",
            "每月",
            "月給",
            "月収",
            "/tháng",
            "mỗi tháng",
            "một tháng",
            "per bulan",
            "/bulan",
            "sebulan",
            "ต่อเดือน",
            "เดือนละ",
        ],
    ),
];

impl PayParser {
    /// Builds the parser.
    pub fn new() -> Self {
        let words: Vec<(&str, f64)> = PERIODS.iter().flat_map(|(f, ws)| ws.iter().map(move |w| (*w, *f))).collect();
        PayParser {
            periods: AhoCorasick::new(words.iter().map(|(w, _)| w)).expect("period words build an automaton"),
            factors: words.iter().map(|(_, f)| *f).collect(),
            pay_words: words.iter().map(|(w, _)| !TIME_ONLY.contains(w)).collect(),
        }
    }

    /// Finds pay amounts in normalised text. `threshold` gives the monthly threshold per currency; amounts
    /// written without a period that are far above it (8x) are read as yearly, as job ads state yearly pay
    /// without saying so far more often than they promise such monthly sums.
    ///
    /// One pass: numbers in digits are read where a digit starts, numerals in words ([`words`]) only around
    /// their unit characters (천, 만, 억, 千, 万, ...).
    pub fn find(&self, text: &str, threshold: impl Fn(&str) -> Option<f64>) -> Vec<Pay> {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        // Nothing before this byte may be read again (the end of the last amount read).
        let mut floor = 0;
        while i < bytes.len() {
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
            let (pre, start) = match token_before(text, i, PREFIXES) {
                Some((t, s)) => (Some(t), s),
                None => (None, i),
            };
            let mut end = j;
            let mut mult = token_after(text, end, MULTIPLIERS);
            // Units mixed with digits beyond one multiplier ("3천5백만", "1억 5천만", "2万5千") read as one.
            let mut compound = None;
            if text[j..].starts_with(|c: char| !c.is_ascii()) {
                if let Some(n) = words::read(text, i).filter(|n| mult.is_none_or(|m| n.end > m.1)) {
                    compound = Some(n.value);
                    mult = Some((script_unit(n.script), n.end));
                }
            }
            if let Some((_, e)) = mult {
                end = e;
            }
            let post =
                token_after(text, end, SUFFIXES).filter(|&(t, e)| t != "동" || is_dong(mult.is_some(), &text[e..]));
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
        let (mut per_month, mut explicit) = period.map_or_else(|| self.period_factor(text, start, end), |f| (f, true));
        // The low end of a range ("$45k-$67k per year") takes the period written after the top end.
        if !explicit {
            if let Some(top_end) = range_top_end(text, end) {
                (per_month, explicit) = self.period_factor(text, start, top_end);
            }
        }
        let currency =
            if unmarked && currency == "CNY" && self.japanese_period_near(text, start, end) { "JPY" } else { currency };
        let mut monthly = amount * per_month;
        if !explicit && threshold(currency).is_some_and(|t| monthly >= 8.0 * t) {
            monthly /= 12.0;
        }
        // Still that far above even when read as yearly ("raised $30 million", "over $2 million in
        // sales"), or beyond any promise even with a period ("연 매출 300억원"): a
        // company's revenue or funding, not anybody's pay.
        let implausible =
            threshold(currency).is_some_and(|t| (!explicit && monthly >= 8.0 * t) || monthly >= IMPLAUSIBLE_FACTOR * t);
        // A bare "2,000만" with neither currency nor period is a count of something, not pay.
        let bare = unmarked && !explicit;
        if !implausible && !bare {
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
        let post = token_after(text, n.end, SUFFIXES);
        let end = post.map_or(n.end, |p| p.1);
        // A bare unit is a number only as 만원, 万元 (a bare 억 or 千 is part of a larger vague sum).
        if n.lone && (post.is_none() || n.value != 1e4) {
            return Some(end);
        }
        let near = self.period_just_before(text, s);
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

    /// The months-per-unit factor of a period word that ends right before byte `at` (a space between allowed),
    /// unless a digit stands right before it ("3월 ": a date), and whether the word names pay. For numerals in
    /// words only.
    fn period_just_before(&self, text: &str, at: usize) -> Option<(f64, bool)> {
        // "월천만원", "월이천": 월 glued to the amount, standing alone (not 3월, not 매월 or 개월).
        if let Some(head) = text[..at].strip_suffix('월') {
            if !head.ends_with(|c: char| c.is_ascii_digit() || words::is_hangul(c)) {
                return Some((1.0, true));
            }
        }
        let before = window_before(text, at, 8);
        let trimmed = before.strip_suffix(' ').unwrap_or(before);
        self.periods
            .find_overlapping_iter(before)
            .filter(|m| m.end() == before.len() || m.end() == trimmed.len())
            .filter(|m| !before[..m.start()].ends_with(|c: char| c.is_ascii_digit()))
            .map(|m| (self.factors[m.pattern().as_usize()], self.pay_words[m.pattern().as_usize()]))
            .next()
    }
}

/// The unit that stands for a numeral's script where no currency is written: it implies the currency.
fn script_unit(script: words::Script) -> &'static str {
    match script {
        words::Script::Korean => "만",
        words::Script::Chinese => "万",
        words::Script::Traditional => "萬",
    }
}

/// Period words that name a stretch of time, not pay: next to a numeral in words without a currency they do
/// not make it pay.
const TIME_ONLY: &[&str] = &["일일", "매일", "당일", "주당", "시간당", "每天", "一天", "每周", "每小时", "每月"];

/// Period words only Japanese uses.
const JAPANESE: &[&str] = &["時給", "日給", "日当", "週給", "月給", "月収", "年収"];

/// Monthly amounts this many times the currency's threshold are not pay but revenue, funding or sales.
const IMPLAUSIBLE_FACTOR: f64 = 25.0;

/// Counter words that make a number with 만/억/万 a count of people or things, not money.
const COUNTERS: &[&str] = &[
    "명", "개", "건", "회", "곳", "대", "장", "권", "마리", "가구", "뷰", "여", "배", "평", "주", "호", "종", "편",
    "번", "통", "人", "个", "個", "次", "件", "名", "位",
];

/// Whether `rest` (the text right after a number and its multiplier) starts with a counter word.
fn counter_after(rest: &str) -> bool {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    COUNTERS.iter().any(|c| rest.starts_with(c))
}

/// When the amount ending at byte `end` is the low end of a range (`-`, `~`, `–` or `to`, then a second
/// amount), the byte where that second amount (with its multiplier and currency) ends.
fn range_top_end(text: &str, end: usize) -> Option<usize> {
    let rest = &text[end..];
    let trimmed = rest.trim_start();
    let after = ["-", "~", "–", "to "].iter().find_map(|sep| trimmed.strip_prefix(sep))?;
    let after = after.trim_start();
    let after = PREFIXES.iter().find_map(|p| after.strip_prefix(p)).unwrap_or(after).trim_start();
    let digits = after.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(after.len());
    if digits == 0 || !after.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut top = text.len() - after.len() + digits;
    if let Some((_, e)) = token_after(text, top, MULTIPLIERS) {
        top = e;
    }
    if let Some((_, e)) = token_after(text, top, SUFFIXES) {
        top = e;
    }
    Some(top)
}

/// Whether a 동 after an amount is the Vietnamese đồng written in Hangul ("2,500만동"): only after a multiplier
/// (a bare "101동" is a building number) and not as the first syllable of a word (동원, 동안).
fn is_dong(has_multiplier: bool, rest: &str) -> bool {
    let next = rest.chars().next();
    has_multiplier && next.is_none_or(|c| !('가'..='힣').contains(&c) || "을이은의씩까정".contains(c))
}

/// Whether the character before byte `i` is a Latin letter (then a number there is part of a code, not pay).
fn is_latin_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic()) && token_before(text, i, PREFIXES).is_none()
}

/// A token from `list` ending at byte `at` (one space allowed between), with its start.
fn token_before(text: &str, at: usize, list: &[&'static str]) -> Option<(&'static str, usize)> {
    let head = &text[..at];
    let head = head.strip_suffix(' ').unwrap_or(head);
    for t in list {
        if let Some(rest) = head.strip_suffix(t) {
            let alpha = t.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if alpha && rest.chars().next_back().is_some_and(crate::normalize::is_latin_alnum) {
                continue;
            }
            return Some((t, rest.len()));
        }
    }
    None
}

/// A token from `list` starting at byte `at` (one space allowed between), with its end.
fn token_after(text: &str, at: usize, list: &[&'static str]) -> Option<(&'static str, usize)> {
    let tail = &text[at..];
    let (tail, skipped) = match tail.strip_prefix(' ') {
        Some(t) => (t, 1),
        None => (tail, 0),
    };
    for t in list {
        if let Some(rest) = tail.strip_prefix(t) {
            let alpha = t.chars().next_back().is_some_and(crate::normalize::is_latin_alnum);
            if alpha && rest.chars().next().is_some_and(crate::normalize::is_latin_alnum) {
                continue;
            }
            return Some((t, at + skipped + t.len()));
        }
    }
    None
}

impl Default for PayParser {
    fn default() -> Self {
        Self::new()
    }
}

fn currency_of(pre: Option<&str>, post: Option<&str>, mult: Option<&str>) -> Option<&'static str> {
    let code = |s: &str| -> Option<&'static str> {
        Some(match s.trim_end_matches('.') {
            "원" | "won" | "₩" | "krw" | "韩元" | "韓元" | "韩币" => "KRW",
            "$"
            | "us$"
            | "usd"
            | "달러"
            | "dollar"
            | "dollars"
            | "dolar"
            | "đô"
            | "đô la"
            | "美元"
            | "美金"
            | "ดอลลาร์" => "USD",
            "rm" | "myr" | "ringgit" | "马币" | "馬幣" | "令吉" => "MYR",
            "đồng" | "dong" | "đ" | "동" | "vnd" | "越南盾" | "越盾" => "VND",
            "rp" | "idr" | "rupiah" | "印尼盾" => "IDR",
            "元" | "块" | "rmb" | "人民币" | "cny" | "¥" => "CNY",
            "บาท" | "thb" | "฿" | "泰铢" | "泰銖" => "THB",
            "円" | "엔" | "yen" | "jpy" | "日元" | "日圆" | "日圓" => "JPY",
            "s$" | "sgd" | "新币" | "新幣" => "SGD",
            "hk$" | "hkd" | "港币" | "港幣" | "港元" => "HKD",
            "nt$" | "twd" | "台币" | "台幣" | "新台币" | "新台幣" => "TWD",
            "a$" | "au$" | "aud" => "AUD",
            "c$" | "ca$" | "cad" => "CAD",
            "nz$" => "NZD",
            _ => return None,
        })
    };
    if let Some(c) = post.and_then(code).or_else(|| pre.and_then(code)) {
        // 元 with the traditional 萬 is Taiwan's dollar.
        return Some(if c == "CNY" && mult == Some("萬") { "TWD" } else { c });
    }
    // Multipliers that only one language uses imply the currency.
    Some(match mult? {
        "천만" | "백만" | "만" | "억" => "KRW",
        "万" | "千" | "亿" | "億" => "CNY",
        // Traditional characters: Taiwan's dollar (Hong Kong's is near the yuan, Taiwan's far below it).
        "萬" => "TWD",
        "triệu" | "trieu" | "tr" | "tỷ" | "ty" => "VND",
        "juta" | "jt" | "ribu" | "rb" => "IDR",
        "พัน" | "หมื่น" | "แสน" | "ล้าน" => "THB",
        _ => return None,
    })
}

fn multiplier(mult: Option<&str>) -> f64 {
    match mult.unwrap_or("") {
        "천만" => 1e7,
        "백만" | "triệu" | "trieu" | "tr" | "juta" | "jt" | "million" | "mil" | "m" | "ล้าน" => 1e6,
        "만" | "万" | "萬" | "หมื่น" => 1e4,
        "천" | "千" | "k" | "ribu" | "rb" | "พัน" => 1e3,
        "억" | "亿" | "億" => 1e8,
        "tỷ" | "ty" => 1e9,
        "แสน" => 1e5,
        _ => 1.0,
    }
}

/// Byte length of a number in ASCII digits starting at `at`: digits, with `,` or `.` only between digits.
fn number_len(bytes: &[u8], at: usize) -> usize {
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
fn parse_number(s: &str) -> Option<f64> {
    let grouped = s.len() > 4 && s.split([',', '.']).skip(1).all(|g| g.len() == 3) && s.contains([',', '.']);
    let cleaned: String = if grouped { s.chars().filter(char::is_ascii_digit).collect() } else { s.replace(',', ".") };
    cleaned.parse().ok()
}

impl PayParser {
    /// Whether a Japanese pay word (月給, 日給, 年収, ...) stands near an amount: then a bare 万 counts yen.
    fn japanese_period_near(&self, text: &str, start: usize, end: usize) -> bool {
        let near = |w: &str| self.periods.find_overlapping_iter(w).any(|m| JAPANESE.contains(&&w[m.range()]));
        near(window_before(text, start, 14)) || near(window_after(text, end, 12))
    }

    /// How many of the stated period make a month, and whether a period was stated at all. The period word
    /// nearest the amount wins ("1일 8시간 근무, 월 300만원" is monthly pay).
    fn period_factor(&self, text: &str, start: usize, end: usize) -> (f64, bool) {
        let before = window_before(text, start, 14);
        let after = window_after(text, end, 12);
        let mut best: Option<(usize, f64)> = None;
        let mut consider = |d: usize, f: f64| {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, f));
            }
        };
        for m in self.periods.find_overlapping_iter(before) {
            consider(before.len() - m.end(), self.factors[m.pattern().as_usize()]);
        }
        for m in self.periods.find_overlapping_iter(after) {
            consider(m.start(), self.factors[m.pattern().as_usize()]);
        }
        best.map_or((1.0, false), |(_, f)| (f, true))
    }
}

fn window_before(text: &str, at: usize, chars: usize) -> &str {
    let mut s = at;
    for _ in 0..chars {
        match text[..s].char_indices().next_back() {
            Some((i, _)) => s = i,
            None => break,
        }
    }
    &text[s..at]
}

fn window_after(text: &str, at: usize, chars: usize) -> &str {
    let rest = &text[at..];
    let e = rest.char_indices().nth(chars).map_or(rest.len(), |(i, _)| i);
    &rest[..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly(text: &str) -> Vec<(&'static str, f64)> {
        let t = crate::normalize::Normalized::new(text).text;
        PayParser::new().find(&t, |_| Some(1e12)).into_iter().map(|p| (p.currency, p.monthly.round())).collect()
    }

    #[test]
    fn korean_amounts() {
        assert_eq!(monthly("월 1,000만원 보장"), vec![("KRW", 10_000_000.0)]);
        assert_eq!(monthly("일당 50만원"), vec![("KRW", 11_000_000.0)]);
        assert_eq!(monthly("연봉 1.2억"), vec![("KRW", 10_000_000.0)]);
        assert_eq!(monthly("시급 10,030원"), vec![("KRW", 1_604_800.0)]);
    }

    #[test]
    fn currencies_named_in_words() {
        assert_eq!(monthly("月薪约20万日元"), vec![("JPY", 200_000.0)]);
        assert_eq!(monthly("月薪3000美金"), vec![("USD", 3_000.0)]);
        assert_eq!(monthly("月薪 5000 美元"), vec![("USD", 5_000.0)]);
        assert_eq!(monthly("人工三萬港幣"), vec![("HKD", 30_000.0)]);
        assert_eq!(monthly("月薪4万新台币"), vec![("TWD", 40_000.0)]);
        assert_eq!(monthly("lương 1.500 đô mỗi tháng"), vec![("USD", 1_500.0)]);
        assert_eq!(monthly("gaji 2.000 dolar per bulan"), vec![("USD", 2_000.0)]);
        assert_eq!(monthly("เงินเดือน 1,500 ดอลลาร์"), vec![("USD", 1_500.0)]);
        assert_eq!(monthly("mua 2 đôi giày"), Vec::<(&str, f64)>::new());
    }

    #[test]
    fn dong_in_hangul() {
        assert_eq!(monthly("월 2,500만동"), vec![("VND", 25_000_000.0)]);
        assert_eq!(monthly("월급 3천만 동을 드립니다"), vec![("VND", 30_000_000.0)]);
        assert_eq!(monthly("월 300만 동원"), vec![("KRW", 3_000_000.0)]);
        assert_eq!(monthly("101동 1502호"), Vec::<(&str, f64)>::new());
    }

    #[test]
    fn other_dollars_are_not_us_dollars() {
        assert_eq!(monthly("S$1,578 (RM5,000) a month"), vec![("SGD", 1_578.0), ("MYR", 5_000.0)]);
        assert_eq!(monthly("HK$30,000 per month"), vec![("HKD", 30_000.0)]);
        assert_eq!(monthly("月薪 NT$45,000"), vec![("TWD", 45_000.0)]);
        assert_eq!(monthly("A$90k per year"), vec![("AUD", 7_500.0)]);
        assert_eq!(monthly("3,000 SGD monthly"), vec![("SGD", 3_000.0)]);
        assert_eq!(monthly("US$3,000 or $4,000"), vec![("USD", 3_000.0), ("USD", 4_000.0)]);
    }

    #[test]
    fn a_range_takes_the_period_written_after_its_top() {
        assert_eq!(monthly("Compensation $45k-$67k per year"), vec![("USD", 3_750.0), ("USD", 5_583.0)]);
        assert_eq!(monthly("$300 to $500 a week"), vec![("USD", 1_299.0), ("USD", 2_165.0)]);
    }

    #[test]
    fn counts_and_company_figures_are_not_pay() {
        let krw = |text: &str| -> Vec<f64> {
            let t = crate::normalize::Normalized::new(text).text;
            PayParser::new().find(&t, |_| Some(6_000_000.0)).into_iter().map(|p| p.monthly).collect()
        };
        for text in ["매일 82만명이 방문합니다", "MAU 2억명", "누적 다운로드 2,000만+", "2022년 연 매출 300억원 달성"]
        {
            assert_eq!(krw(text), Vec::<f64>::new(), "{text}");
        }
        assert_eq!(krw("월 1000만원 보장"), vec![10_000_000.0]);
        assert_eq!(monthly("일 15만 당일지급"), vec![("KRW", 3_300_000.0)]);
    }

    #[test]
    fn company_sums_without_a_period_are_not_pay() {
        let t = crate::normalize::Normalized::new("Intercom has raised over $30 million; pay $90,000").text;
        let found: Vec<f64> = PayParser::new().find(&t, |_| Some(6000.0)).into_iter().map(|p| p.monthly).collect();
        assert_eq!(found, vec![7500.0]);
    }

    #[test]
    fn the_nearest_period_wins() {
        assert_eq!(monthly("1일 8시간 근무, 월 300만원"), vec![("KRW", 3_000_000.0)]);
        assert_eq!(monthly("월 150만 + 일 15만(당일지급)"), vec![("KRW", 1_500_000.0), ("KRW", 3_300_000.0)]);
    }

    #[test]
    fn ranges_give_both_ends() {
        let v = monthly("고정 월급제 1150만~1700만원");
        assert_eq!(v, vec![("KRW", 11_500_000.0), ("KRW", 17_000_000.0)]);
    }

    #[test]
    fn other_currencies() {
        assert_eq!(monthly("$5,000 per month"), vec![("USD", 5000.0)]);
        assert_eq!(monthly("lương 30 triệu/tháng"), vec![("VND", 30_000_000.0)]);
        assert_eq!(monthly("gaji Rp 15 juta per bulan"), vec![("IDR", 15_000_000.0)]);
        assert_eq!(monthly("月薪2万元"), vec![("CNY", 20_000.0)]);
        assert_eq!(monthly("เงินเดือน 50,000 บาท"), vec![("THB", 50_000.0)]);
        assert_eq!(monthly("月給50万円"), vec![("JPY", 500_000.0)]);
        assert_eq!(monthly("RM 8,000 monthly"), vec![("MYR", 8000.0)]);
    }

    #[test]
    fn plain_numbers_are_not_pay() {
        assert!(monthly("call 010-1234-5678 from 9 to 6, 2024").is_empty());
    }

    #[test]
    fn unstated_large_amounts_read_as_yearly() {
        let t = crate::normalize::Normalized::new("Salary $60,000 - $80,000").text;
        let v = PayParser::new().find(&t, |_| Some(5000.0));
        assert_eq!(v.len(), 2);
        assert!((v[1].monthly - 80_000.0 / 12.0).abs() < 1.0);
    }

    /// The amounts found in `text` with the original text each one's UTF-16 span covers.
    fn spans(text: &str) -> Vec<(&'static str, f64, String)> {
        let n = crate::normalize::Normalized::new(text);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let threshold = |c: &str| Some(if c == "KRW" { 6e6 } else { 1e12 });
        PayParser::new()
            .find(&n.text, threshold)
            .into_iter()
            .map(|p| {
                let (s, e) = n.norm_range_to_orig(p.start, p.end);
                (p.currency, p.monthly.round(), String::from_utf16_lossy(&utf16[s as usize..e as usize]))
            })
            .collect()
    }

    fn one(currency: &'static str, monthly: f64, span: &str) -> Vec<(&'static str, f64, String)> {
        vec![(currency, monthly, span.to_string())]
    }

    #[test]
    fn korean_amounts_in_words() {
        assert_eq!(spans("월급 오백만원 지급"), one("KRW", 5e6, "오백만원"));
        assert_eq!(spans("월 천만원 보장"), one("KRW", 1e7, "천만원"));
        assert_eq!(spans("일천만원"), one("KRW", 1e7, "일천만원"));
        assert_eq!(spans("월 삼천만 원!"), one("KRW", 3e7, "삼천만 원"));
        assert_eq!(spans("월 이천오백만원"), one("KRW", 2.5e7, "이천오백만원"));
        assert_eq!(spans("연봉 일억"), one("KRW", 8_333_333.0, "일억"));
        assert_eq!(spans("월급 백만원"), one("KRW", 1e6, "백만원"));
        assert_eq!(spans("만원 지급"), one("KRW", 1e4, "만원"));
        assert_eq!(spans("일당 오십만원"), one("KRW", 1.1e7, "오십만원"));
        assert_eq!(spans("일당오십만원"), one("KRW", 1.1e7, "오십만원"));
        assert_eq!(spans("월천만원 가능"), one("KRW", 1e7, "천만원"));
        assert_eq!(spans("월이천만"), one("KRW", 2e7, "이천만"));
        assert_eq!(spans("하루 백만 가능"), one("KRW", 2.2e7, "백만"));
        assert_eq!(spans("주급 천만"), one("KRW", 4.33e7, "천만"));
        // Colloquial: after a period word, a bare 천오백 or 이백 counts in units of 만원.
        assert_eq!(spans("해외 근무 월 천오백 보장"), one("KRW", 1.5e7, "천오백"));
        assert_eq!(spans("일당 이백."), one("KRW", 4.4e7, "이백"));
        // The offsets are the original text's, whatever the normalisation dropped.
        assert_eq!(spans("👉 월급\u{200B} 오백만 원"), one("KRW", 5e6, "오백만 원"));
    }

    #[test]
    fn korean_amounts_mixing_digits_and_units() {
        assert_eq!(spans("월 1천만원"), one("KRW", 1e7, "1천만원"));
        assert_eq!(spans("월 5백만원"), one("KRW", 5e6, "5백만원"));
        assert_eq!(spans("월 3천5백만원"), one("KRW", 3.5e7, "3천5백만원"));
        assert_eq!(spans("연봉 1억5천만원"), one("KRW", 1.25e7, "1억5천만원"));
        assert_eq!(spans("연봉 1억 5천만원"), one("KRW", 1.25e7, "1억 5천만원"));
        assert_eq!(spans("시급 1만5천원"), one("KRW", 2.4e6, "1만5천원"));
    }

    #[test]
    fn chinese_and_japanese_amounts_in_words() {
        assert_eq!(spans("月薪两万"), one("CNY", 2e4, "两万"));
        assert_eq!(spans("月薪兩萬"), one("TWD", 2e4, "兩萬"));
        assert_eq!(spans("月薪2萬元"), one("TWD", 2e4, "2萬元"));
        assert_eq!(spans("月薪一万五，包吃住"), one("CNY", 1.5e4, "一万五"));
        assert_eq!(spans("底薪三千元"), one("CNY", 3e3, "三千元"));
        assert_eq!(spans("月入三万"), one("CNY", 3e4, "三万"));
        assert_eq!(spans("日薪一千"), one("CNY", 2.2e4, "一千"));
        assert_eq!(spans("年薪五十万"), one("CNY", 41_667.0, "五十万"));
        assert_eq!(spans("月薪1.5万"), one("CNY", 1.5e4, "1.5万"));
        assert_eq!(spans("月薪2万5千元"), one("CNY", 2.5e4, "2万5千元"));
        assert_eq!(spans("工资一万元"), one("CNY", 1e4, "一万元"));
        assert_eq!(spans("日薪万元"), one("CNY", 2.2e5, "万元"));
        assert_eq!(spans("月給五十万円"), one("JPY", 5e5, "五十万円"));
        assert_eq!(spans("日給3万円"), one("JPY", 6.6e5, "3万円"));
        // 万 without 円 next to a Japanese pay word counts yen, not yuan.
        assert_eq!(spans("月給五十万"), one("JPY", 5e5, "五十万"));
        assert_eq!(spans("月給50万以上"), one("JPY", 5e5, "50万"));
        assert_eq!(spans("月薪50万"), one("CNY", 5e5, "50万"));
        assert_eq!(spans("百万円"), one("JPY", 1e6, "百万円"));
    }

    #[test]
    fn words_holding_numeral_characters_are_not_pay() {
        for text in [
            "만족스러운 천안 백화점",
            "이천 공장 생산직",
            "천천히 만나다",
            "오만한 태도",
            "조회수 십만",
            "천만 관객 돌파",
            "3월 천만 관객",
            "3월천만 관객",
            "개월천만원 적립",
            "천만다행이다",
            "하루만에 끝",
            "월 천안 근무",
            "수천만원대 피해",
            "시급 천",
            "일당 십만명",
            "매일 천만",
            "하루 백 번",
            "하루 이백 개",
            "每天一千步",
            "万一出事怎么办",
            "千万别去",
            "万达广场",
            "百万富翁",
            "一万个人",
            "月薪万一",
            "兩个人",
            "회사는 수백 억 원 규모",
            "몇 천만원",
            "수 천만 원",
            "几万元",
            "日薪几千元",
            "上万元",
        ] {
            assert_eq!(spans(text), vec![], "{text}");
        }
    }

    #[test]
    fn any_input_is_safe() {
        let parser = PayParser::new();
        for text in [
            "만",
            "億",
            "1억 ",
            "월 천",
            "一万五",
            "2,",
            "$",
            "천만원천만원",
            "1억 5",
            "兩萬 ",
            "万万万万万万万万万万万万万万",
        ] {
            for cut in 0..=text.len() {
                if text.is_char_boundary(cut) {
                    let _ = parser.find(&text[..cut], |_| Some(1.0));
                    let _ = parser.find(&text[cut..], |_| Some(1.0));
                }
            }
        }
        let long: String = "일이삼사오육칠팔구십백천만억".repeat(50);
        let _ = parser.find(&long, |_| Some(1.0));
    }
}
