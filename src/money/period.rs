//! Period words (시급, 日薪, per month, /tháng, sebulan, เดือนละ, 月給 ...): how many of each make a month, found
//! with one small automaton in short windows around an amount.

use aho_corasick::AhoCorasick;

use super::words;

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
            "一个小时",
            "一小时",
            "每个小时",
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
            "日赚",
            "日賺",
            "日入",
            "一日",
            "1日",
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
            "一周",
            "一个星期",
            "周薪",
            "週薪",
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
            "月赚",
            "月賺",
            "月收",
            "每月",
            "一个月",
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

/// Period words that name a stretch of time, not pay: next to a numeral in words without a currency they do
/// not make it pay.
const TIME_ONLY: &[&str] = &[
    "일일",
    "매일",
    "당일",
    "주당",
    "시간당",
    "每天",
    "一天",
    "每周",
    "一周",
    "一个星期",
    "每小时",
    "一个小时",
    "一小时",
    "每个小时",
    "每月",
    "一个月",
];

/// Period words only Japanese uses.
const JAPANESE: &[&str] = &["時給", "日給", "日当", "週給", "月給", "月収", "年収"];

/// The period words, compiled.
#[derive(Debug, Clone)]
pub(super) struct Periods {
    automaton: AhoCorasick,
    /// Months per unit of each period word, by pattern index.
    factors: Vec<f64>,
    /// Whether each period word also names pay (월급, 일당, 月薪), not only a stretch of time (매일, 每天).
    pay_words: Vec<bool>,
}

impl Periods {
    /// Builds the automaton.
    pub(super) fn new() -> Self {
        let words: Vec<(&str, f64)> = PERIODS.iter().flat_map(|(f, ws)| ws.iter().map(move |w| (*w, *f))).collect();
        Periods {
            automaton: AhoCorasick::new(words.iter().map(|(w, _)| w)).expect("period words build an automaton"),
            factors: words.iter().map(|(_, f)| *f).collect(),
            pay_words: words.iter().map(|(w, _)| !TIME_ONLY.contains(w)).collect(),
        }
    }

    /// The months-per-unit factor of a period word that ends right before byte `at` (a space between allowed),
    /// unless a digit stands right before it ("3월 ": a date), and whether the word names pay. For numerals in
    /// words only.
    pub(super) fn just_before(&self, text: &str, at: usize) -> Option<(f64, bool)> {
        // "월천만원", "월이천": 월 glued to the amount, standing alone (not 3월, not 매월 or 개월).
        if let Some(head) = text[..at].strip_suffix('월') {
            if !head.ends_with(|c: char| c.is_ascii_digit() || words::is_hangul(c)) {
                return Some((1.0, true));
            }
        }
        let before = window_before(text, at, 8);
        let trimmed = before.strip_suffix(' ').unwrap_or(before);
        self.automaton
            .find_overlapping_iter(before)
            .filter(|m| m.end() == before.len() || m.end() == trimmed.len())
            .filter(|m| !before[..m.start()].ends_with(|c: char| c.is_ascii_digit()))
            .map(|m| (self.factors[m.pattern().as_usize()], self.pay_words[m.pattern().as_usize()]))
            .next()
    }

    /// Whether a Japanese pay word (月給, 日給, 年収, ...) stands near an amount: then a bare 万 counts yen.
    pub(super) fn japanese_near(&self, text: &str, start: usize, end: usize) -> bool {
        let near = |w: &str| self.automaton.find_overlapping_iter(w).any(|m| JAPANESE.contains(&&w[m.range()]));
        near(window_before(text, start, 14)) || near(window_after(text, end, 12))
    }

    /// How many of the stated period make a month, and whether a period was stated at all. The period word
    /// nearest the amount wins ("1일 8시간 근무, 월 300만원" is monthly pay).
    pub(super) fn factor(&self, text: &str, start: usize, end: usize) -> (f64, bool) {
        let before = window_before(text, start, 14);
        let after = window_after(text, end, 12);
        let mut best: Option<(usize, f64)> = None;
        let mut consider = |d: usize, f: f64| {
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, f));
            }
        };
        for m in self.automaton.find_overlapping_iter(before) {
            consider(before.len() - m.end(), self.factors[m.pattern().as_usize()]);
        }
        for m in self.automaton.find_overlapping_iter(after) {
            consider(m.start(), self.factors[m.pattern().as_usize()]);
        }
        best.map_or((1.0, false), |(_, f)| (f, true))
    }
}

/// The text of at most `chars` characters ending at byte `at`.
pub(super) fn window_before(text: &str, at: usize, chars: usize) -> &str {
    let mut s = at;
    for _ in 0..chars {
        match text[..s].char_indices().next_back() {
            Some((i, _)) => s = i,
            None => break,
        }
    }
    &text[s..at]
}

pub(super) fn window_after(text: &str, at: usize, chars: usize) -> &str {
    let rest = &text[at..];
    let e = rest.char_indices().nth(chars).map_or(rest.len(), |(i, _)| i);
    &rest[..e]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_period_word_decides() {
        let p = Periods::new();
        let t = "1일 8시간 근무, 월 300만원";
        let at = t.find("300").unwrap();
        assert_eq!(p.factor(t, at, at + 3), (1.0, true));
        assert_eq!(p.factor("보너스 300", 10, 13), (1.0, false));
        let t = "日赚1000";
        assert_eq!(p.factor(t, 6, t.len()), (22.0, true));
    }

    #[test]
    fn a_period_word_right_before_a_numeral_in_words() {
        let p = Periods::new();
        assert_eq!(p.just_before("월급 오백만", "월급 ".len()), Some((1.0, true)));
        assert_eq!(p.just_before("매일 천", "매일 ".len()), Some((22.0, false)));
        assert_eq!(p.just_before("3월 천만", "3월 ".len()), None);
        assert!(p.japanese_near("月給50万", "月給".len(), "月給50万".len()));
        assert!(!p.japanese_near("月薪50万", "月薪".len(), "月薪50万".len()));
    }
}
