//! Currency words and marks: what stands before an amount ("$", "RM", "Rp"), the multipliers after it ("만",
//! "triệu", "nghìn", "juta", "万", "k") and the currency words after it ("원", "đô", "rupiah", "บาท", "美元",
//! "円", "bucks"), and which currency each one names.

use super::words;

/// Currency marks written before the amount, longest first. The other dollars (S$, HK$, NT$, A$ ...) are listed
/// so that their `$` is not read as the US dollar.
pub(super) static PREFIXES: Tokens = Tokens::new(&[
    "us$", "usd", "myr", "idr", "krw", "vnd", "thb", "cny", "jpy", "sgd", "hkd", "twd", "aud", "cad", "au$", "ca$",
    "nz$", "hk$", "nt$", "rp.", "s$", "a$", "c$", "rm", "rp", "$", "₩", "¥", "฿",
]);
/// Multipliers written after the number, longest first.
pub(super) static MULTIPLIERS: Tokens = Tokens::new(&[
    "million",
    "triệu",
    "trieu",
    // Vietnamese thousands, and "củ", the everyday word for a million đồng ("lương 20 củ").
    "nghìn",
    "nghin",
    "ngàn",
    "ngan",
    "củ",
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
]);
/// Currencies written after the amount, longest first.
pub(super) static SUFFIXES: Tokens = Tokens::new(&[
    "新台币",
    "新台幣",
    "越南盾",
    "印尼盾",
    "ดอลลาร์",
    "dollars",
    "đô la",
    "bucks",
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
    "usdt",
    "baht",
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
    "u",
]);

/// A list of tokens, in the order they are tried (longest first), and natively, per byte, which of them start
/// and end with it: [`token_after`] and [`token_before`] are asked at every number and number word of a page,
/// and most places start or end none of the tokens; with these masks they compare only the tokens that may fit,
/// still in list order (so the first token that fits is the one the whole list gives).
pub(super) struct Tokens {
    /// The tokens, each non-empty (at most 128: a bit each in the masks).
    pub(super) words: &'static [&'static str],
    /// Bit `k` of entry `b`: `words[k]` starts with byte `b`.
    #[cfg(not(target_arch = "wasm32"))]
    starting: [u128; 256],
    /// Bit `k` of entry `b`: `words[k]` ends with byte `b`.
    #[cfg(not(target_arch = "wasm32"))]
    ending: [u128; 256],
}

impl Tokens {
    /// The list `words` with its masks (computed at compile time).
    const fn new(words: &'static [&'static str]) -> Tokens {
        assert!(words.len() <= 128, "a token a bit of a u128");
        #[cfg(not(target_arch = "wasm32"))]
        {
            let (mut starting, mut ending) = ([0u128; 256], [0u128; 256]);
            let mut k = 0;
            while k < words.len() {
                let w = words[k].as_bytes();
                assert!(!w.is_empty(), "tokens are not empty");
                starting[w[0] as usize] |= 1 << k;
                ending[w[w.len() - 1] as usize] |= 1 << k;
                k += 1;
            }
            Tokens { words, starting, ending }
        }
        #[cfg(target_arch = "wasm32")]
        Tokens { words }
    }

    /// The tokens whose first (`first`) or last byte is `b`, in list order.
    fn with_byte(&self, b: u8, first: bool) -> impl Iterator<Item = &'static str> + '_ {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut mask = if first { self.starting[usize::from(b)] } else { self.ending[usize::from(b)] };
            std::iter::from_fn(move || {
                let k = mask.trailing_zeros() as usize;
                mask &= mask.wrapping_sub(1);
                self.words.get(k).copied()
            })
        }
        #[cfg(target_arch = "wasm32")]
        self.words.iter().copied().filter(move |t| {
            let t = t.as_bytes();
            (if first { t.first() } else { t.last() }) == Some(&b)
        })
    }
}

/// The unit that stands for a numeral's script where no currency is written: it implies the currency.
pub(super) fn script_unit(script: words::Script) -> &'static str {
    match script {
        words::Script::Korean => "만",
        words::Script::Chinese => "万",
        words::Script::Traditional => "萬",
    }
}

/// Whether a 동 after an amount is the Vietnamese đồng written in Hangul ("2,500만동"): only after a multiplier
/// (a bare "101동" is a building number) and not as the first syllable of a word (동원, 동안).
pub(super) fn is_dong(has_multiplier: bool, rest: &str) -> bool {
    let next = rest.chars().next();
    has_multiplier && next.is_none_or(|c| !('가'..='힣').contains(&c) || "을이은의씩까정".contains(c))
}

/// Whether the character before byte `i` is a Latin letter (then a number there is part of a code, not pay).
pub(super) fn is_latin_before(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic()) && token_before(text, i, &PREFIXES).is_none()
}

/// A token from `list` ending at byte `at` (one space allowed between), with its start.
pub(super) fn token_before(text: &str, at: usize, list: &Tokens) -> Option<(&'static str, usize)> {
    let head = &text[..at];
    let head = head.strip_suffix(' ').unwrap_or(head);
    // Only the tokens ending with the last byte: most places end in none of them.
    let &last = head.as_bytes().last()?;
    for t in list.with_byte(last, false) {
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
pub(super) fn token_after(text: &str, at: usize, list: &Tokens) -> Option<(&'static str, usize)> {
    let tail = &text[at..];
    let (tail, skipped) = match tail.strip_prefix(' ') {
        Some(t) => (t, 1),
        None => (tail, 0),
    };
    // Only the tokens starting with the first byte: most places start none of them.
    let &first = tail.as_bytes().first()?;
    for t in list.with_byte(first, true) {
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

/// The currency an amount is in: a currency written after it wins over one written before it; without
/// either, a multiplier only one language uses implies it ("만" won, "triệu" đồng, "juta" rupiah).
pub(super) fn currency_of(pre: Option<&str>, post: Option<&str>, mult: Option<&str>) -> Option<&'static str> {
    let code = |s: &str| -> Option<&'static str> {
        Some(match s.trim_end_matches('.') {
            "원" | "won" | "₩" | "krw" | "韩元" | "韓元" | "韩币" => "KRW",
            "$"
            | "us$"
            | "usd"
            | "달러"
            | "dollar"
            | "dollars"
            | "bucks"
            | "dolar"
            | "đô"
            | "đô la"
            | "美元"
            | "美金"
            | "ดอลลาร์"
            // Tether, which scam-compound ads pay in: "5千U", "3000U", "月入3万USDT".
            | "usdt"
            | "u" => "USD",
            "rm" | "myr" | "ringgit" | "马币" | "馬幣" | "令吉" => "MYR",
            "đồng" | "dong" | "đ" | "동" | "vnd" | "越南盾" | "越盾" => "VND",
            "rp" | "idr" | "rupiah" | "印尼盾" => "IDR",
            "元" | "块" | "rmb" | "人民币" | "cny" | "¥" => "CNY",
            "บาท" | "baht" | "thb" | "฿" | "泰铢" | "泰銖" => "THB",
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
        "triệu" | "trieu" | "tr" | "tỷ" | "ty" | "nghìn" | "nghin" | "ngàn" | "ngan" | "củ" => "VND",
        "juta" | "jt" | "ribu" | "rb" => "IDR",
        "พัน" | "หมื่น" | "แสน" | "ล้าน" => "THB",
        _ => return None,
    })
}

/// What a multiplier word multiplies by (1 without one).
pub(super) fn multiplier(mult: Option<&str>) -> f64 {
    match mult.unwrap_or("") {
        "천만" => 1e7,
        "백만" | "triệu" | "trieu" | "tr" | "củ" | "juta" | "jt" | "million" | "mil" | "m" | "ล้าน" => {
            1e6
        }
        "만" | "万" | "萬" | "หมื่น" => 1e4,
        "천" | "千" | "k" | "ribu" | "rb" | "พัน" | "nghìn" | "nghin" | "ngàn" | "ngan" => 1e3,
        "억" | "亿" | "億" => 1e8,
        "tỷ" | "ty" => 1e9,
        "แสน" => 1e5,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_words_name_their_currency() {
        for (word, code) in [
            ("원", "KRW"),
            ("đô", "USD"),
            ("đô la", "USD"),
            ("usdt", "USD"),
            ("u", "USD"),
            ("rupiah", "IDR"),
            ("บาท", "THB"),
            ("baht", "THB"),
            ("円", "JPY"),
            ("美金", "USD"),
            ("ringgit", "MYR"),
        ] {
            assert_eq!(currency_of(None, Some(word), None), Some(code), "{word}");
        }
        // A currency written after the amount wins over one before it; a multiplier alone implies one.
        assert_eq!(currency_of(Some("$"), Some("sgd"), None), Some("SGD"));
        assert_eq!(currency_of(None, None, Some("triệu")), Some("VND"));
        assert_eq!(currency_of(None, Some("元"), Some("萬")), Some("TWD"));
        assert_eq!(currency_of(None, None, Some("k")), None);
    }

    #[test]
    fn tokens_respect_latin_word_boundaries() {
        assert_eq!(token_after("5 usd/month", 1, &SUFFIXES), Some(("usd", 5)));
        assert_eq!(token_after("5 units", 1, &SUFFIXES), None);
        assert_eq!(token_after("5千u", 1, &MULTIPLIERS), Some(("千", 4)));
        assert_eq!(token_before("rm 800", 3, &PREFIXES), Some(("rm", 0)));
        assert_eq!(token_before("form 800", 5, &PREFIXES), None);
        assert!(is_latin_before("abc123", 3));
        assert!(!is_latin_before("us$123", 3));
    }

    /// What `token_after` and `token_before` gave before their masks: every token of the list tried in order.
    fn after_by_list(text: &str, at: usize, list: &[&'static str]) -> Option<(&'static str, usize)> {
        let tail = &text[at..];
        let (tail, skipped) = tail.strip_prefix(' ').map_or((tail, 0), |t| (t, 1));
        list.iter().find_map(|&t| {
            let rest = tail.strip_prefix(t)?;
            let alpha = t.chars().next_back().is_some_and(crate::normalize::is_latin_alnum);
            let glued = alpha && rest.chars().next().is_some_and(crate::normalize::is_latin_alnum);
            (!glued).then_some((t, at + skipped + t.len()))
        })
    }

    fn before_by_list(text: &str, at: usize, list: &[&'static str]) -> Option<(&'static str, usize)> {
        let head = &text[..at];
        let head = head.strip_suffix(' ').unwrap_or(head);
        list.iter().find_map(|&t| {
            let rest = head.strip_suffix(t)?;
            let alpha = t.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            let glued = alpha && rest.chars().next_back().is_some_and(crate::normalize::is_latin_alnum);
            (!glued).then_some((t, rest.len()))
        })
    }

    /// The masks only skip tokens that cannot fit: at every character boundary of random texts made of the
    /// tokens themselves (which share first and last bytes) and other characters, both ways give the same token.
    #[test]
    fn masks_give_what_the_whole_list_gives() {
        let lists = [&PREFIXES, &MULTIPLIERS, &SUFFIXES];
        let mut pieces: Vec<&str> = lists.iter().flat_map(|l| l.words.iter().copied()).collect();
        pieces.extend([" ", "  ", "5", "1,000", "a", "x", "ó", "만원", "天", "😀", "ng", "tri", "đ", "$$"]);
        let mut rng = fastrand::Rng::with_seed(0x70_4e45);
        let mut hits = 0;
        for round in 0..3000 {
            let text: String = (0..rng.usize(..8)).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for list in lists {
                    let after = token_after(&text, at, list);
                    assert_eq!(after, after_by_list(&text, at, list.words), "round {round}: {text:?} after {at}");
                    let before = token_before(&text, at, list);
                    assert_eq!(before, before_by_list(&text, at, list.words), "round {round}: {text:?} before {at}");
                    hits += usize::from(after.is_some()) + usize::from(before.is_some());
                }
            }
        }
        assert!(hits > 10_000, "{hits}");
    }
}
