//! Contacts written in words: a messenger's name followed by an ID ("텔레그램 @abc_recruit", "카톡 ID: job77",
//! "LINE ID: recruit01", "微信: wxid88"), and e-mail addresses.

use std::sync::OnceLock;

#[cfg(any(test, target_arch = "wasm32"))]
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::phone::{normalize_phone_in, Region};
use super::urls::{line_id, telegram_username};
use super::IndicatorKind;

/// Messenger names, as readers write them, and the kind each names. ASCII names must stand as whole words.
const KEYWORDS: &[(&str, IndicatorKind)] = {
    use IndicatorKind::*;
    &[
        ("telegram", Telegram),
        ("텔레그램", Telegram),
        ("텔레", Telegram),
        ("텔그", Telegram),
        ("tg", Telegram),
        ("tele", Telegram),
        ("电报", Telegram),
        ("電報", Telegram),
        ("飞机", Telegram),
        ("飛機", Telegram),
        ("テレグラム", Telegram),
        ("เทเลแกรม", Telegram),
        ("kakaotalk", Kakaotalk),
        ("kakao talk", Kakaotalk),
        ("kakao", Kakaotalk),
        ("katalk", Kakaotalk),
        ("카카오톡", Kakaotalk),
        ("카카오", Kakaotalk),
        ("카톡", Kakaotalk),
        ("whatsapp", Whatsapp),
        ("whats app", Whatsapp),
        ("왓츠앱", Whatsapp),
        ("line id", Line),
        ("id line", Line),
        ("라인 아이디", Line),
        ("라인아이디", Line),
        ("라인 id", Line),
        ("ライン", Line),
        ("ไลน์", Line),
        ("ไอดีไลน์", Line),
        ("wechat", Wechat),
        ("we chat", Wechat),
        ("weixin", Wechat),
        ("微信", Wechat),
        ("위챗", Wechat),
        ("vx", Wechat),
        ("wx", Wechat),
        ("zalo", Zalo),
    ]
};

/// What may stand between a messenger's name and the ID ("ID", "아이디", ":", spaces...).
const FILLERS: &[&str] =
    &["아이디는", "아이디", "账号", "帳號", "号码", "號碼", "号", "號", "ไอดี", "username", "user", "id", "번호"];

/// The keyword automaton (leftmost-longest, ASCII case-insensitive): how the Wasm finds the messenger names,
/// and natively what the tests hold [`keyword_matches`]'s scan to.
#[cfg(any(test, target_arch = "wasm32"))]
fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        // Built from a `Vec<String>` as the classifier's automata are: one copy of the builder in the Wasm.
        let words: Vec<String> = KEYWORDS.iter().map(|(k, _)| k.to_string()).collect();
        AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(super::SMALL_AUTOMATON))
            .build(&words)
            .expect("the keyword list compiles")
    })
}

/// Skips separators and filler words after a messenger's name: the byte offset of what follows, and whether
/// anything but spaces stood between (a colon, "ID"), which makes a plain word after it an ID.
fn skip_filler(text: &str, mut i: usize) -> (usize, bool) {
    let limit = i + 40;
    let mut strong = false;
    while i < text.len() && i < limit {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace()
            || matches!(
                c,
                ':' | '：' | '-' | '–' | '=' | '(' | ')' | '[' | ']' | '|' | ',' | '、' | '→' | '☞' | '✆' | '📞'
            )
        {
            strong |= !c.is_whitespace();
            i += c.len_utf8();
        } else if let Some(f) = FILLERS.iter().find(|f| rest.get(..f.len()).is_some_and(|p| p.eq_ignore_ascii_case(f)))
        {
            // An ASCII filler must end at a word boundary ("id" yes, "idea" no).
            let after = rest[f.len()..].chars().next().unwrap_or(' ');
            if f.is_ascii() && after.is_ascii_alphanumeric() {
                break;
            }
            strong = true;
            i += f.len();
        } else {
            break;
        }
    }
    (i, strong)
}

/// An ID token at `i`: optional `@`/`＠`/`~`, then ASCII letters, digits, `_ . -` (or a phone number).
fn token(text: &str, i: usize) -> (usize, usize, bool) {
    let rest = &text[i..];
    let (at, skip) = match rest.chars().next() {
        Some(c @ ('@' | '＠' | '~')) => (c != '~', c.len_utf8()),
        _ => (false, 0),
    };
    let body = &rest[skip..];
    let len = body.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))).unwrap_or(body.len());
    let tok = body[..len].trim_end_matches(['.', '-']);
    (i + skip, i + skip + tok.len(), at)
}

/// Contacts named after a messenger's name: `(byte start, byte end, kind, value)`.
pub fn find_handles(text: &str, region: Option<Region>, max: usize) -> Vec<(usize, usize, IndicatorKind, String)> {
    find_handles_in(text, &|| region, max)
}

/// [`find_handles`], asking for the region only when a national number needs it.
pub(crate) fn find_handles_in(
    text: &str,
    region: &dyn Fn() -> Option<Region>,
    max: usize,
) -> Vec<(usize, usize, IndicatorKind, String)> {
    let mut out = Vec::new();
    for (m_start, m_end, pattern) in keyword_matches(text) {
        if out.len() >= max {
            break;
        }
        let (kw, kind) = KEYWORDS[pattern];
        let before = text[..m_start].chars().next_back();
        let after = text[m_end..].chars().next();
        if kw.is_ascii()
            && (before.is_some_and(|c| c.is_ascii_alphanumeric())
                || (kw.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && after.is_some_and(|c| c.is_ascii_alphanumeric())))
        {
            continue;
        }
        let (at, strong) = skip_filler(text, m_end);
        // A phone number after the name: that messenger's account is the number.
        let phone_end = text[at..]
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '+' | '＋' | ' ' | '-' | '(' | ')' | '.')))
            .map_or(text.len(), |n| at + n);
        let phone_raw = text[at..phone_end].trim_end_matches([' ', '-', '.', '(']);
        if phone_raw.chars().filter(char::is_ascii_digit).count() >= 8 {
            if let Some(p) = normalize_phone_in(phone_raw, region) {
                out.push((at, at + phone_raw.len(), kind, p));
            }
            continue;
        }
        let (s, e, had_at) = token(text, at);
        let tok = &text[s..e];
        // A URL or a domain after the name is read as a link, not an ID.
        if tok.is_empty() || text[e..].starts_with('/') || looks_like_domain(tok) || tok.contains('@') {
            continue;
        }
        // "Telegram channel", "Kakao Pay": after spaces alone, only an @handle or an ID with a digit or `_`.
        if !(strong || had_at || tok.contains(|c: char| c.is_ascii_digit() || c == '_')) {
            continue;
        }
        let value = match kind {
            IndicatorKind::Telegram => telegram_username(tok),
            IndicatorKind::Line => line_id(&format!("{}{tok}", if had_at { "@" } else { "" })),
            IndicatorKind::Kakaotalk | IndicatorKind::Zalo => plain_id(tok, 3, 20),
            IndicatorKind::Wechat => plain_id(tok, 6, 20).filter(|v| v.starts_with(|c: char| c.is_ascii_alphabetic())),
            _ => None,
        };
        if let Some(v) = value {
            let start = if had_at { s - text[..s].chars().next_back().map_or(0, char::len_utf8) } else { s };
            out.push((start, e, kind, v));
        }
    }
    out
}

/// The messenger names in `text`, `(byte start, byte end, index in KEYWORDS)`, as the keyword automaton's
/// leftmost-longest search finds them: at each byte from the last match's end on, the longest keyword that
/// starts there (ASCII letters in either case); the first byte where one does gives the next match.
#[cfg(target_arch = "wasm32")]
fn keyword_matches(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    automaton().find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize()))
}

/// [`keyword_matches`] natively, without the automaton: a DFA step costs some 15 instructions a byte on a page
/// (the keywords start with too many different bytes for its prefilters), where most bytes can be passed over
/// on their first two alone (a bit table of the keywords' first two bytes); where those fit, the keywords
/// starting with that byte are tried longest first. The same matches as the automaton's (a test compares the two
/// on random texts): a leftmost-longest search's next match is the first position where a keyword starts, and
/// the longest keyword there.
#[cfg(not(target_arch = "wasm32"))]
fn keyword_matches(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let table = keyword_starts();
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while from < bytes.len() {
            let at = table.next_pair(bytes, from)?;
            if let Some(k) = table.by_first[usize::from(bytes[at])].iter().map(|&k| usize::from(k)).find(|&k| {
                let kw = KEYWORDS[k].0.as_bytes();
                // The last bytes first: most starts found are another word's ("li", a Hangul syllable's lead).
                bytes.get(at..at + kw.len()).is_some_and(|t| {
                    t[kw.len() - 1].eq_ignore_ascii_case(&kw[kw.len() - 1]) && t.eq_ignore_ascii_case(kw)
                })
            }) {
                from = at + KEYWORDS[k].0.len();
                return Some((at, from, k));
            }
            from = at + 1;
        }
        None
    })
}

/// What [`keyword_matches`] looks up: the keywords' first two bytes, and the keywords by first byte.
#[cfg(not(target_arch = "wasm32"))]
struct KeywordStarts {
    /// The keywords' first two bytes (each case of an ASCII letter) as a vector search (aho-corasick's packed
    /// "Teddy" searcher: about a byte a cycle, where a table lookup a byte costs seven or eight instructions);
    /// `None` where the CPU has no vector instructions for it, and then [`KeywordStarts::pairs`] is searched.
    vector: Option<aho_corasick::packed::Searcher>,
    /// Bit `b0 << 8 | b1` is set when a keyword starts with the bytes `b0 b1` (ASCII letters in either case).
    pairs: [u64; 1024],
    /// For each byte, the indices of the keywords starting with it (either case), longest first.
    by_first: [Vec<u8>; 256],
}

#[cfg(not(target_arch = "wasm32"))]
impl KeywordStarts {
    /// Whether a keyword starts with the bytes `b0 b1`: 1 or 0.
    fn pair(&self, b0: u8, b1: u8) -> u32 {
        let i = usize::from(b0) << 8 | usize::from(b1);
        (self.pairs[i >> 6] >> (i & 63) & 1) as u32
    }

    /// The first offset from `from` on where two bytes start a keyword (no keyword is shorter than two bytes).
    fn next_pair(&self, bytes: &[u8], from: usize) -> Option<usize> {
        match &self.vector {
            Some(v) if from <= bytes.len() => {
                v.find_in(bytes, aho_corasick::Span::from(from..bytes.len())).map(|m| m.start())
            }
            _ => self.next_pair_in_table(bytes, from),
        }
    }

    /// [`KeywordStarts::next_pair`] from the bit table: sixteen pairs are tested at a time without a branch,
    /// each setting its bit of a mask whose lowest set bit is then the offset. Out of line: inside its caller a
    /// byte-by-byte loop kept its values on the stack, 17 instructions a byte.
    #[inline(never)]
    fn next_pair_in_table(&self, bytes: &[u8], mut from: usize) -> Option<usize> {
        while let Some(w) = bytes.get(from..from + 17) {
            let w: &[u8; 17] = w.try_into().ok()?;
            let found = (0..16).fold(0, |mask, k| mask | self.pair(w[k], w[k + 1]) << k);
            if found != 0 {
                return Some(from + found.trailing_zeros() as usize);
            }
            from += 16;
        }
        bytes.get(from..)?.windows(2).position(|w| self.pair(w[0], w[1]) != 0).map(|n| from + n)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn keyword_starts() -> &'static KeywordStarts {
    static STARTS: OnceLock<KeywordStarts> = OnceLock::new();
    STARTS.get_or_init(|| {
        let mut t = KeywordStarts { vector: None, pairs: [0; 1024], by_first: std::array::from_fn(|_| Vec::new()) };
        let cases = |b: u8| [b.to_ascii_lowercase(), b.to_ascii_uppercase()];
        let mut longest_first: Vec<usize> = (0..KEYWORDS.len()).collect();
        longest_first.sort_by_key(|&k| std::cmp::Reverse(KEYWORDS[k].0.len()));
        let mut prefixes: Vec<[u8; 2]> = Vec::new();
        for k in longest_first {
            let kw = KEYWORDS[k].0.as_bytes();
            for b0 in cases(kw[0]) {
                for b1 in cases(kw[1]) {
                    let i = usize::from(b0) << 8 | usize::from(b1);
                    t.pairs[i >> 6] |= 1 << (i & 63);
                    if !prefixes.contains(&[b0, b1]) {
                        prefixes.push([b0, b1]);
                    }
                }
                if !t.by_first[usize::from(b0)].contains(&(k as u8)) {
                    t.by_first[usize::from(b0)].push(k as u8);
                }
            }
        }
        // All the prefixes are two bytes long, so the leftmost match is the first offset where one starts.
        t.vector = aho_corasick::packed::Config::new()
            .match_kind(aho_corasick::packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&prefixes)
            .build();
        t
    })
}

/// An ID of `min..=max` letters, digits, `_ . -` with at least one letter; lower-cased.
fn plain_id(s: &str, min: usize, max: usize) -> Option<String> {
    let ok = (min..=max).contains(&s.len())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && s.chars().any(|c| c.is_ascii_alphabetic());
    ok.then(|| s.to_ascii_lowercase())
}

fn looks_like_domain(s: &str) -> bool {
    s.rsplit_once('.')
        .is_some_and(|(a, tld)| !a.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

/// E-mail addresses: `(byte start, byte end, lower-cased address)`.
pub fn find_emails(text: &str, max: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    // '@' is one byte; '＠' starts with 0xEF, a lead byte: both are found on bytes (memchr's vector search),
    // on character boundaries.
    let signs = memchr::memchr2_iter(b'@', 0xEF, text.as_bytes()).filter_map(|i| {
        if text.as_bytes()[i] == b'@' {
            Some((i, '@'))
        } else {
            text[i..].starts_with('＠').then_some((i, '＠'))
        }
    });
    for (i, c) in signs {
        if out.len() >= max {
            break;
        }
        let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
        let start = text[..i].char_indices().rev().take_while(|(_, c)| local_ok(*c)).last().map_or(i, |(j, _)| j);
        let after = i + c.len_utf8();
        let dlen = text[after..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(text.len() - after);
        let domain = text[after..after + dlen].trim_end_matches(['.', '-']);
        let local = text[start..i].trim_start_matches('.');
        let start = i - local.len();
        if local.is_empty()
            || local.len() > 64
            || local.ends_with('.')
            || !looks_like_domain(domain)
            || domain.contains("..")
        {
            continue;
        }
        let tld = domain.rsplit('.').next().unwrap_or("");
        if tld.len() > 24 {
            continue;
        }
        out.push((
            start,
            after + domain.len(),
            format!("{}@{}", local.to_ascii_lowercase(), domain.to_ascii_lowercase()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    fn values(t: &str) -> Vec<(IndicatorKind, String, &str)> {
        find_handles(t, super::super::phone::region_hint(t), 50)
            .into_iter()
            .map(|(s, e, k, v)| (k, v, &t[s..e]))
            .collect()
    }

    #[test]
    fn messenger_names_then_ids() {
        assert_eq!(values("텔레그램 @Job_Recruit88 로 연락"), [(Telegram, "job_recruit88".into(), "@Job_Recruit88")]);
        assert_eq!(values("카톡 ID: job77 문의"), [(Kakaotalk, "job77".into(), "job77")]);
        assert_eq!(values("카카오톡 아이디는 abc_99"), [(Kakaotalk, "abc_99".into(), "abc_99")]);
        assert_eq!(values("LINE ID: Recruit01"), [(Line, "recruit01".into(), "Recruit01")]);
        assert_eq!(values("微信: wxid_88abc"), [(Wechat, "wxid_88abc".into(), "wxid_88abc")]);
        assert_eq!(values("WhatsApp +60 12-345 6789 now"), [(Whatsapp, "+60123456789".into(), "+60 12-345 6789")]);
        assert_eq!(
            values("Zalo: 0912 345 678 Liên hệ ngay để được tuyển dụng"),
            [(Zalo, "+84912345678".into(), "0912 345 678")]
        );
    }

    #[test]
    fn ordinary_words_are_not_contacts() {
        assert!(values("The production line: assembly work, teleport, settings, TG").is_empty());
        assert!(values("telephone 02-123-4567, Kakao Pay accepted, our Telegram channel").is_empty());
        assert_eq!(values("텔레그램 jobs_2026")[0].1, "jobs_2026");
        assert!(values("텔레그램 t.me/abc_recruit").is_empty(), "a link after the name is read as a link");
        assert!(values("telegram: abc").is_empty(), "too short for a Telegram username");
    }

    /// The scan finds the automaton's matches, on random texts of keywords (whole, cut, in mixed case),
    /// their neighbours in other scripts, letters and spaces.
    #[test]
    fn keyword_scan_is_the_automatons_search() {
        let pieces: Vec<String> = KEYWORDS
            .iter()
            .flat_map(|(k, _)| {
                let cut: String = k.chars().take(k.chars().count().div_ceil(2)).collect();
                [k.to_string(), k.to_ascii_uppercase(), cut]
            })
            .chain(["텔", "카", "와", "위", "라인", "x", "e", "a", " ", "1", ":", "ID", "@"].map(String::from))
            .collect();
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..3000 {
            let n = rng.usize(0..12);
            let mut t: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())].as_str()).collect();
            if rng.bool() {
                // Flip the case of random ASCII letters.
                t = t.chars().map(|c| if rng.bool() { c.to_ascii_uppercase() } else { c }).collect();
            }
            let want: Vec<_> =
                automaton().find_iter(&t).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect();
            let got: Vec<_> = keyword_matches(&t).collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    /// The vector search and the bit table find the same pairs, from any offset of random texts.
    #[test]
    fn pair_searches_agree() {
        let t = keyword_starts();
        let near =
            [b't', b'E', b'l', b'i', b'D', b'w', b'z', b'a', 0xE0, 0xB9, 0xEC, 0x9C, 0xED, 0x85, 0xE3, 0x83, b' '];
        let mut rng = fastrand::Rng::with_seed(5);
        for _ in 0..3000 {
            let bytes: Vec<u8> = (0..rng.usize(0..80))
                .map(|_| if rng.bool() { near[rng.usize(..near.len())] } else { rng.u8(..) })
                .collect();
            let from = rng.usize(0..=bytes.len());
            assert_eq!(t.next_pair(&bytes, from), t.next_pair_in_table(&bytes, from), "{bytes:?} from {from}");
        }
    }

    #[test]
    fn emails() {
        let t = "지원: Recruit.Team@Example.co.kr, 또는 hr＠job-agency.com. user@localhost @handle";
        let found: Vec<String> = find_emails(t, 10).into_iter().map(|e| e.2).collect();
        assert_eq!(found, ["recruit.team@example.co.kr", "hr@job-agency.com"]);
    }
}
