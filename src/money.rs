//! Pay amounts: finds amounts with currency, multiplier and period in normalised text (all seven languages)
//! and converts them to a monthly amount per currency.

use regex::Regex;

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

/// The compiled pay parser (one regex, built once per classifier).
#[derive(Debug, Clone)]
pub struct PayParser {
    amount: Regex,
}

const AMOUNT: &str = r"(?x)
    (?P<pre>us\$|\$|₩|rm|rp\.?|¥|฿|usd|myr|idr|krw|vnd|thb|cny|jpy)?\s?
    (?P<num>\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d{1,2})?)
    \s?
    (?P<mult>천만|백만|만|천|억|万|千|亿|億|k\b|triệu|trieu|tr\b|tỷ|ty\b|juta|jt\b|ribu|rb\b|million|mil\b|m\b|พัน|หมื่น|แสน|ล้าน)?
    \s?
    (?P<post>원|won\b|달러|dollars?\b|usd\b|\$|rm\b|myr\b|ringgit|đồng|dong\b|đ|vnd\b|rp\b|idr\b|rupiah|元|块|rmb\b|人民币|cny\b|บาท|thb\b|円|엔|yen\b|jpy\b)?
";

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
        PayParser { amount: Regex::new(AMOUNT).expect("the pay regex is valid") }
    }

    /// Finds pay amounts in normalised text. `thresholds` gives the monthly threshold per currency; amounts
    /// written without a period that are far above it (8x) are read as yearly, as job ads state yearly pay
    /// without saying so far more often than they promise such monthly sums.
    pub fn find(&self, text: &str, threshold: impl Fn(&str) -> Option<f64>) -> Vec<Pay> {
        let mut out = Vec::new();
        for c in self.amount.captures_iter(text) {
            let whole = c.get(0).expect("group 0");
            let pre = c.name("pre").map(|m| m.as_str());
            let post = c.name("post").map(|m| m.as_str());
            let mult = c.name("mult").map(|m| m.as_str());
            if pre.is_none() && post.is_none() && mult.is_none() {
                continue;
            }
            let Some(currency) = currency_of(pre, post, mult) else { continue };
            let Some(num) = parse_number(c.name("num").map_or("", |m| m.as_str())) else { continue };
            let amount = num * multiplier(mult);
            if !(amount.is_finite() && amount > 0.0) {
                continue;
            }
            let (per_month, explicit) = period_factor(text, whole.start(), whole.end());
            let mut monthly = amount * per_month;
            if !explicit {
                if let Some(t) = threshold(currency) {
                    if monthly >= 8.0 * t {
                        monthly /= 12.0;
                    }
                }
            }
            out.push(Pay { currency, monthly, start: whole.start(), end: whole.end() });
        }
        out
    }
}

impl Default for PayParser {
    fn default() -> Self {
        Self::new()
    }
}

fn currency_of(pre: Option<&str>, post: Option<&str>, mult: Option<&str>) -> Option<&'static str> {
    let code = |s: &str| -> Option<&'static str> {
        Some(match s.trim_end_matches('.') {
            "원" | "won" | "₩" | "krw" => "KRW",
            "$" | "us$" | "usd" | "달러" | "dollar" | "dollars" => "USD",
            "rm" | "myr" | "ringgit" => "MYR",
            "đồng" | "dong" | "đ" | "vnd" => "VND",
            "rp" | "idr" | "rupiah" => "IDR",
            "元" | "块" | "rmb" | "人民币" | "cny" | "¥" => "CNY",
            "บาท" | "thb" | "฿" => "THB",
            "円" | "엔" | "yen" | "jpy" => "JPY",
            _ => return None,
        })
    };
    if let Some(c) = post.and_then(code).or_else(|| pre.and_then(code)) {
        return Some(c);
    }
    // Multipliers that only one language uses imply the currency.
    Some(match mult? {
        "천만" | "백만" | "만" | "억" => "KRW",
        "万" | "千" | "亿" | "億" => "CNY",
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
        "만" | "万" | "หมื่น" => 1e4,
        "천" | "千" | "k" | "ribu" | "rb" | "พัน" => 1e3,
        "억" | "亿" | "億" => 1e8,
        "tỷ" | "ty" => 1e9,
        "แสน" => 1e5,
        _ => 1.0,
    }
}

/// Parses `1,500`, `1.500.000`, `1.5`, `15,5`.
fn parse_number(s: &str) -> Option<f64> {
    let grouped = s.len() > 4 && s.split([',', '.']).skip(1).all(|g| g.len() == 3) && s.contains([',', '.']);
    let cleaned: String = if grouped { s.chars().filter(char::is_ascii_digit).collect() } else { s.replace(',', ".") };
    cleaned.parse().ok()
}

/// How many of the stated period make a month, and whether a period was stated at all.
fn period_factor(text: &str, start: usize, end: usize) -> (f64, bool) {
    let before = window_before(text, start, 14);
    let after = window_after(text, end, 12);
    for (factor, words) in PERIODS {
        if words.iter().any(|w| before.contains(w) || after.contains(w)) {
            return (*factor, true);
        }
    }
    (1.0, false)
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
}
