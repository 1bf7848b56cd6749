//! Tests of the whole parser: amounts found in text, with their currency, monthly value and span.

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
    // A Latin multiplier is a whole word: "5 ngang" (across) is no amount of thousands.
    assert_eq!(monthly("xếp 5 ngang 3 dọc"), Vec::<(&str, f64)>::new());
}

#[test]
fn chinese_periods_said_with_a_count() {
    assert_eq!(monthly("360U一个小时"), vec![("USD", 57_600.0)], "U: tether, counted as dollars");
    assert_eq!(monthly("一个月 3000美金"), vec![("USD", 3_000.0)]);
    assert_eq!(monthly("一周 1000美金"), vec![("USD", 4_330.0)]);
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

#[test]
fn currency_words_after_the_number_in_every_language() {
    for (text, want) in [
        ("월 1000만 원", ("KRW", 10_000_000.0)),
        ("lương 5000 đô mỗi tháng", ("USD", 5_000.0)),
        ("gaji 3 juta rupiah per bulan", ("IDR", 3_000_000.0)),
        ("เงินเดือน 50,000 บาท", ("THB", 50_000.0)),
        ("月薪2万元", ("CNY", 20_000.0)),
        ("月50万円", ("JPY", 500_000.0)),
        ("salary 3000 USD per month", ("USD", 3_000.0)),
        ("earn 800 dollars a week", ("USD", 3_464.0)),
        ("月入3万U", ("USD", 30_000.0)),
        ("月薪5000usdt", ("USD", 5_000.0)),
        ("日赚1000元", ("CNY", 22_000.0)),
        ("月收3万元", ("CNY", 30_000.0)),
        ("月収100万円以上", ("JPY", 1_000_000.0)),
        ("thu nhập 20 triệu đồng/tháng", ("VND", 20_000_000.0)),
        ("lương 1.500 USD/tháng", ("USD", 1_500.0)),
        ("วันละ 3,000 บาท", ("THB", 66_000.0)),
        ("เดือนละ 3 หมื่นบาท", ("THB", 30_000.0)),
        ("Rp500rb/hari", ("IDR", 11_000_000.0)),
        ("gaji 15jt/bulan", ("IDR", 15_000_000.0)),
        ("$800/week", ("USD", 3_464.0)),
        ("5千U", ("USD", 5_000.0)),
        ("2000 đô la một tháng", ("USD", 2_000.0)),
        ("30 triệu mỗi tháng", ("VND", 30_000_000.0)),
        ("月给30万日元", ("JPY", 300_000.0)),
        ("1日3万円", ("JPY", 660_000.0)),
        ("日当5万", ("JPY", 1_100_000.0)),
        ("월수입 800만 원 이상", ("KRW", 8_000_000.0)),
        ("하루 30만 원", ("KRW", 6_600_000.0)),
        ("10,000 baht per month", ("THB", 10_000.0)),
        ("50 ringgit sehari", ("MYR", 1_100.0)),
        ("¥300,000/月", ("CNY", 300_000.0)),
        ("月薪 3000 美元", ("USD", 3_000.0)),
        ("pay 5000 USD monthly", ("USD", 5_000.0)),
        ("1.000 USD/bulan", ("USD", 1_000.0)),
        ("2,500 dollars per month", ("USD", 2_500.0)),
        // Vietnamese thousands and "củ" (a million đồng) name the currency; so do English "bucks".
        ("thu nhập 500 nghìn/giờ", ("VND", 80_000_000.0)),
        ("kiếm 800 ngàn mỗi ngày", ("VND", 17_600_000.0)),
        ("thu nhập 300 nghin/ngày", ("VND", 6_600_000.0)),
        ("lương 40 củ một tháng", ("VND", 40_000_000.0)),
        ("earn 500 bucks a day", ("USD", 11_000.0)),
    ] {
        assert_eq!(monthly(text), vec![want], "{text}");
    }
}

#[test]
fn a_lone_u_is_tether_only_right_after_an_amount() {
    assert_eq!(monthly("5000 units per month"), Vec::<(&str, f64)>::new());
    assert_eq!(monthly("月薪3000U起"), vec![("USD", 3_000.0)]);
}

#[test]
fn the_skip_finds_what_the_byte_steps_find() {
    // Amounts in digits and in words (Korean and CJK units, which `STEP` must stop at), currency marks, periods
    // and the text around them in several scripts, in random order.
    let pieces = [
        "월 ",
        "1,500",
        "만원",
        "천",
        "백",
        "억",
        "万",
        "萬",
        "千",
        "亿",
        "$",
        "3,000",
        "usd",
        " per month",
        "月薪",
        "日元",
        "시급 ",
        "원",
        "2년",
        "주 5일",
        "09:00~18:00",
        "lương ",
        "đô",
        " mỗi tháng",
        "เงินเดือน ",
        "บาท",
        "gaji ",
        "juta",
        " ",
        ", ",
        "job",
        "텔레그램",
        "高薪",
        "ひらがな",
        "é",
        "😀",
        "0",
        "7",
        "٣",
        "\u{a0}",
        // Characters whose first two bytes a unit's share (마 as 만, 처 as 천, 亾 as 亿): the skip's second
        // look must stop at the units and step over these.
        "마",
        "처",
        "亾",
    ];
    let parser = PayParser::new();
    let mut rng = fastrand::Rng::with_seed(0x7a11_5eed);
    let mut found = 0;
    for round in 0..5000 {
        let raw: String = (0..rng.usize(..30)).map(|_| pieces[rng.usize(..pieces.len())]).collect();
        let text = crate::normalize::Normalized::new(&raw).text;
        let fast = parser.find_with::<true>(&text, |_| Some(1e12));
        let steps = parser.find_with::<false>(&text, |_| Some(1e12));
        let key = |v: &[Pay]| v.iter().map(|p| (p.start, p.end, p.currency, p.monthly.to_bits())).collect::<Vec<_>>();
        assert_eq!(key(&fast), key(&steps), "round {round}: {text:?}");
        found += fast.len();
    }
    assert!(found > 500, "{found}");
}

#[test]
fn units_are_exactly_what_is_anchor_finds() {
    // `STEP` is derived from `UNITS` and `find` asks `is_anchor`: the two must name the same characters.
    for c in ('\u{0800}'..='\u{FFFF}').filter(|c| !c.is_ascii()) {
        let mut buf = [0u8; 4];
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        assert_eq!(words::is_anchor(bytes, 0), words::UNITS.contains(&c), "{c:?}");
        // The skip's second look never steps over a unit.
        if words::UNITS.contains(&c) {
            assert!(super::may_be_unit(bytes, 0), "{c:?}");
        }
    }
}

#[test]
fn the_skip_by_chunks_stops_where_the_steps_stop() {
    // The steps one character at a time, as `skip` took them before it looked at sixteen bytes at once.
    fn by_steps(bytes: &[u8], mut i: usize) -> usize {
        while let Some(&b) = bytes.get(i) {
            match super::STEP[usize::from(b)] {
                0 if b >= 0xC0 && !super::may_be_unit(bytes, i) => i += 3,
                0 => break,
                step => i += usize::from(step),
            }
        }
        i
    }
    // Long runs of one script with rare stops, so that chunks are skipped whole and end inside characters.
    let pieces = ["text ", "텔레그램 ", "마처 ", "高薪工作", "亾", "ไทย", "é", "😀", "7", "만", "千", "\u{a0}"];
    let mut rng = fastrand::Rng::with_seed(0x5c1f_0016);
    let mut stops = 0;
    for round in 0..400 {
        let text: String = (0..rng.usize(..80))
            .map(|_| if rng.u8(..8) == 0 { pieces[rng.usize(..pieces.len())] } else { pieces[rng.usize(..4)] })
            .collect();
        let bytes = text.as_bytes();
        for start in 0..=bytes.len() {
            let stop = super::skip(bytes, start);
            assert_eq!(stop, by_steps(bytes, start), "round {round}, from {start}: {text:?}");
            stops += usize::from(stop < bytes.len());
        }
    }
    assert!(stops > 10_000, "{stops}");
}
