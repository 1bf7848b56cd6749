//! Contact indicators: the ways a posting tells the reader to get in touch (Telegram handles and t.me links,
//! KakaoTalk open chats and IDs, WhatsApp, LINE, WeChat and Zalo IDs and links, phone numbers in E.164,
//! e-mail addresses, the domains of apply links), each normalised so that one contact written two ways is one
//! indicator, and hashed the same way here, in the service and in the extension's signed indicator list.
//!
//! - [`phone`]: finding phone numbers and normalising them to E.164.
//! - [`urls`]: what a link names.
//! - [`handles`]: IDs written after a messenger's name, and e-mail addresses.
//! - [`signed`]: the signed list of confirmed indicators (hashes), its own key and format.

pub mod handles;
pub mod phone;
pub mod signed;
pub mod urls;
#[cfg(feature = "wasm")]
pub mod wasm;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::verdict::{Link, PageInput};

/// Most indicators listed for one page.
pub const MAX_INDICATORS: usize = 100;

/// What kind of contact an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndicatorKind {
    /// A Telegram username (`abc_recruit`, lower case), invite (`+Code`) or number.
    Telegram,
    /// A KakaoTalk open chat (`o/Code`), profile (`me/id`) or ID (lower case).
    Kakaotalk,
    /// A WhatsApp number (E.164) or group/message link code.
    Whatsapp,
    /// A LINE ID (`id`, or `@id` for an official account) or group code.
    Line,
    /// A WeChat ID (lower case) or QR link code.
    Wechat,
    /// A Zalo number (E.164), ID or group code.
    Zalo,
    /// A phone number in E.164 (`+821012345678`).
    Phone,
    /// An e-mail address, lower case.
    Email,
    /// The domain of an apply link or of a URL written in the posting (host and path for shared hosts such
    /// as forms.gle or bit.ly).
    Domain,
}

impl IndicatorKind {
    /// Every kind.
    pub const ALL: [IndicatorKind; 9] = [
        IndicatorKind::Telegram,
        IndicatorKind::Kakaotalk,
        IndicatorKind::Whatsapp,
        IndicatorKind::Line,
        IndicatorKind::Wechat,
        IndicatorKind::Zalo,
        IndicatorKind::Phone,
        IndicatorKind::Email,
        IndicatorKind::Domain,
    ];

    /// The kind's name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Telegram => "telegram",
            IndicatorKind::Kakaotalk => "kakaotalk",
            IndicatorKind::Whatsapp => "whatsapp",
            IndicatorKind::Line => "line",
            IndicatorKind::Wechat => "wechat",
            IndicatorKind::Zalo => "zalo",
            IndicatorKind::Phone => "phone",
            IndicatorKind::Email => "email",
            IndicatorKind::Domain => "domain",
        }
    }

    /// The kind named `s`.
    pub fn parse(s: &str) -> Option<IndicatorKind> {
        IndicatorKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One contact found on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// What kind of contact.
    pub kind: IndicatorKind,
    /// The normalised value (see [`IndicatorKind`]).
    pub value: String,
    /// Where it is first written in the text (UTF-16 code units); absent when only a link carries it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u32>,
    /// End of that span (exclusive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u32>,
}

/// The text that is hashed for the signed indicator list: `kind:value`.
pub fn indicator_key(kind: IndicatorKind, value: &str) -> String {
    format!("{}:{value}", kind.as_str())
}

/// SHA-256 of [`indicator_key`]: what the signed indicator list carries instead of the contact itself.
pub fn indicator_hash(kind: IndicatorKind, value: &str) -> [u8; 32] {
    Sha256::digest(indicator_key(kind, value).as_bytes()).into()
}

/// Normalises a value given on its own (by a reviewer, a report, a crawler) as extraction would; `None` when
/// it is not a valid value of that kind. Extraction's own values always come back unchanged.
pub fn normalize_value(kind: IndicatorKind, raw: &str) -> Option<String> {
    use IndicatorKind::*;
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 300 || raw.chars().any(char::is_control) {
        return None;
    }
    match kind {
        Phone => phone::normalize_phone(raw, None),
        Email => {
            let found = handles::find_emails(raw, 1);
            found.into_iter().find(|(s, e, _)| *s == 0 && *e == raw.len()).map(|f| f.2)
        }
        Domain => {
            let url = if raw.contains("://") { raw.to_string() } else { format!("https://{raw}") };
            match urls::classify_url(&url, true) {
                Some((Domain, v)) => Some(v),
                _ => None,
            }
        }
        Telegram if !raw.starts_with('+') => urls::telegram_username(raw.trim_start_matches('@')),
        Line if !raw.starts_with("g/") && !raw.starts_with("lin.ee/") => urls::line_id(raw),
        Kakaotalk | Wechat | Zalo | Whatsapp | Telegram | Line => {
            // Codes and numbers keep their case; bare IDs are lower case.
            let ok = raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '+' | '/' | '@'));
            if !ok {
                return None;
            }
            if raw.starts_with('+') && raw[1..].chars().all(|c| c.is_ascii_digit()) {
                return phone::normalize_phone(raw, None);
            }
            Some(if raw.contains('/') || raw.starts_with('+') { raw.to_string() } else { raw.to_ascii_lowercase() })
        }
    }
}

/// Words on an apply link or button, in the languages served.
const APPLY_WORDS: &[&str] = &[
    "apply",
    "application",
    "지원",
    "접수",
    "応募",
    "エントリー",
    "申请",
    "申請",
    "应聘",
    "應徵",
    "ứng tuyển",
    "nộp",
    "สมัคร",
    "lamar",
    "daftar",
    "register",
    "sign up",
];

/// Every contact on a page: in the text (with its span) and in its links (messenger links, and the domains of
/// apply links). One entry per kind and value, in the order first written; at most [`MAX_INDICATORS`].
pub fn extract(input: &PageInput) -> Vec<Indicator> {
    let mut end = input.text.len().min(crate::classifier::MAX_TEXT_BYTES);
    while !input.text.is_char_boundary(end) {
        end -= 1;
    }
    extract_from(&input.text[..end], &input.links)
}

/// A contact found: its byte span in the text (none for a link), kind and value.
type Found = (Option<(usize, usize)>, IndicatorKind, String);

/// [`extract`] from a text and its links.
pub fn extract_from(text: &str, links: &[Link]) -> Vec<Indicator> {
    // The region is read from the whole text, so only when a national number needs it.
    let region_cell = std::cell::OnceCell::new();
    let region = || *region_cell.get_or_init(|| phone::region_hint(text));
    let mut found: Vec<Found> = Vec::new();
    for (s, e, k, v) in handles::find_handles_in(text, &region, MAX_INDICATORS) {
        found.push((Some((s, e)), k, v));
    }
    let mut url_spans: Vec<(usize, usize)> = Vec::new();
    for (s, e) in url_markers(text) {
        let (a, b) = urls::url_span(text, s, e);
        if url_spans.last().is_some_and(|l| l.0 == a) {
            continue;
        }
        url_spans.push((a, b));
        if let Some((k, v)) = urls::classify_url(&text[a..b], true) {
            found.push((Some((a, b)), k, v));
        }
    }
    for (s, e, v) in handles::find_emails(text, MAX_INDICATORS) {
        if !url_spans.iter().any(|u| u.0 <= s && e <= u.1) {
            found.push((Some((s, e)), IndicatorKind::Email, v));
        }
    }
    for (s, e, v) in phone::find_phones_in(text, &region, MAX_INDICATORS) {
        if !url_spans.iter().any(|u| u.0 <= s && e <= u.1) {
            found.push((Some((s, e)), IndicatorKind::Phone, v));
        }
    }
    for l in links.iter().take(crate::classifier::MAX_LINKS) {
        let label = l.text.to_ascii_lowercase();
        let apply = APPLY_WORDS.iter().any(|w| label.contains(w));
        if let Some((k, v)) = urls::classify_url(&l.href, apply) {
            found.push((None, k, v));
        } else if let Some(mail) = l.href.strip_prefix("mailto:") {
            if let Some(v) = normalize_value(IndicatorKind::Email, mail.split('?').next().unwrap_or("")) {
                found.push((None, IndicatorKind::Email, v));
            }
        } else if let Some(tel) = l.href.strip_prefix("tel:") {
            if let Some(v) = phone::normalize_phone_in(tel, region) {
                found.push((None, IndicatorKind::Phone, v));
            }
        }
    }
    // Text spans first, in text order; then link-only ones. The first of each kind and value stays.
    crate::sort::sort_by_key(&mut found, |f| f.0.map_or((usize::MAX, 0), |s| s));
    let mut seen: Vec<(IndicatorKind, &str)> = Vec::new();
    let keep: Vec<bool> = found
        .iter()
        .map(|f| {
            let new = seen.len() < MAX_INDICATORS && !seen.contains(&(f.1, f.2.as_str()));
            if new {
                seen.push((f.1, f.2.as_str()));
            }
            new
        })
        .collect();
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(false));
    let utf16 = utf16_offsets(text, found.iter().filter_map(|f| f.0).flat_map(|(s, e)| [s, e]));
    found
        .into_iter()
        .map(|(span, kind, value)| Indicator {
            kind,
            value,
            start: span.map(|s| utf16_at(&utf16, s.0)),
            end: span.map(|s| utf16_at(&utf16, s.1)),
        })
        .collect()
}

/// Where URLs are written in a text: `http://`, `https://`, `www.` and the messenger hosts.
fn url_markers(text: &str) -> Vec<(usize, usize)> {
    use std::sync::OnceLock;
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let ac = AC.get_or_init(|| {
        let markers: Vec<String> = [
            "http://",
            "https://",
            "www.",
            "t.me/",
            "telegram.me/",
            "open.kakao.com/",
            "wa.me/",
            "whatsapp.com/",
            "line.me/",
            "lin.ee/",
            "zalo.me/",
            "weixin.qq.com/",
            "u.wechat.com/",
            "forms.gle/",
        ]
        .map(String::from)
        .to_vec();
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(SMALL_AUTOMATON))
            .build(&markers)
            .expect("the URL markers compile")
    });
    ac.find_iter(text).take(1000).map(|m| (m.start(), m.end())).collect()
}

/// The kind of the indicators' small keyword automata (a few dozen words, built once): a DFA natively (fewer
/// instructions a byte); in the Wasm the classifier's kind, so that no DFA code is carried there. The matches
/// are the same.
const SMALL_AUTOMATON: aho_corasick::AhoCorasickKind = if cfg!(target_arch = "wasm32") {
    aho_corasick::AhoCorasickKind::ContiguousNFA
} else {
    aho_corasick::AhoCorasickKind::DFA
};

/// UTF-16 offsets of the given byte offsets (each on a character boundary), as sorted `(byte, utf16)` pairs.
fn utf16_offsets(text: &str, bytes: impl Iterator<Item = usize>) -> Vec<(usize, u32)> {
    let mut wanted: Vec<usize> = bytes.collect();
    crate::sort::sort(&mut wanted);
    wanted.dedup();
    let (mut byte, mut unit) = (0usize, 0u32);
    let mut chars = text.chars();
    wanted
        .into_iter()
        .map(|w| {
            while byte < w {
                let Some(c) = chars.next() else { break };
                byte += c.len_utf8();
                unit += c.len_utf16() as u32;
            }
            (w, unit)
        })
        .collect()
}

fn utf16_at(table: &[(usize, u32)], byte: usize) -> u32 {
    table.binary_search_by_key(&byte, |p| p.0).map_or(0, |i| table[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    fn slice16(s: &str, a: u32, b: u32) -> String {
        let u: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16(&u[a as usize..b as usize]).unwrap()
    }

    #[test]
    fn one_page_many_contacts() {
        let text = "😀 해외 고수익 알바! 텔레그램 @Job_Recruit88 또는 https://t.me/job_recruit88 \
                    카톡 ID: jobkr77, 전화 010-1234-5678, 메일 hr@agency.example.com";
        let input = PageInput {
            text: text.into(),
            links: vec![
                Link { href: "https://open.kakao.com/o/sAbC123".into(), text: "오픈채팅".into(), node: None },
                Link { href: "https://apply-now.example.net/form".into(), text: "지원하기".into(), node: None },
                Link { href: "https://news.example.org/".into(), text: "news".into(), node: None },
            ],
            ..Default::default()
        };
        let got = extract(&input);
        let kv: Vec<(IndicatorKind, &str)> = got.iter().map(|i| (i.kind, i.value.as_str())).collect();
        assert_eq!(
            kv,
            [
                (Telegram, "job_recruit88"),
                (Kakaotalk, "jobkr77"),
                (Phone, "+821012345678"),
                (Email, "hr@agency.example.com"),
                (Kakaotalk, "o/sAbC123"),
                (Domain, "apply-now.example.net"),
            ]
        );
        assert_eq!(slice16(text, got[0].start.unwrap(), got[0].end.unwrap()), "@Job_Recruit88");
        assert_eq!(slice16(text, got[2].start.unwrap(), got[2].end.unwrap()), "010-1234-5678");
        assert_eq!(got[4].start, None);
    }

    /// Every cut of a text mixing scripts, digits and contact forms: nothing panics, spans stay in the text.
    #[test]
    fn any_text_is_safe() {
        let t = "카톡ID:문의 텔레그램@ab＠c.d ＋82 010-1234-5678 ☞ t.me/+ wa.me/ 微信：wx文字 line id ~ zalo.me/g/ \
                 📞(02) 123-4567 mailto@ 0912 345 678. https://bit.ly/ ไลน์ไอดี:ab เทเลแกรม";
        let cuts: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        for &a in cuts.iter().step_by(3) {
            for &b in cuts.iter().filter(|&&b| b >= a) {
                let sub = &t[a..b];
                let n16 = sub.encode_utf16().count() as u32;
                for i in extract_from(sub, &[]) {
                    assert!(i.end.unwrap_or(0) <= n16 && i.start <= i.end, "{sub:?}: {i:?}");
                }
            }
        }
    }

    #[test]
    fn normalize_value_agrees_with_extraction() {
        assert_eq!(normalize_value(Telegram, "@Job_Recruit88").as_deref(), Some("job_recruit88"));
        assert_eq!(normalize_value(Phone, "+82 10-1234-5678").as_deref(), Some("+821012345678"));
        assert_eq!(normalize_value(Email, "HR@Agency.example.com").as_deref(), Some("hr@agency.example.com"));
        assert_eq!(normalize_value(Domain, "https://www.Apply.example.net/x").as_deref(), Some("apply.example.net"));
        assert_eq!(normalize_value(Kakaotalk, "o/sAbC123").as_deref(), Some("o/sAbC123"));
        assert_eq!(normalize_value(Telegram, "no"), None);
        assert_eq!(normalize_value(Email, "a@b"), None);
        assert_eq!(normalize_value(Wechat, "bad value"), None);
    }

    #[test]
    fn hash_is_of_kind_and_value() {
        assert_eq!(indicator_key(Telegram, "abc_recruit"), "telegram:abc_recruit");
        assert_ne!(indicator_hash(Telegram, "abc_recruit"), indicator_hash(Line, "abc_recruit"));
        // `printf 'telegram:abc_recruit' | sha256sum`
        let hex: String = indicator_hash(Telegram, "abc_recruit").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "00bd9aadeef9f9c29f678a031609ced1d15fc1daed7d44513c2b274799dffa97");
    }
}
