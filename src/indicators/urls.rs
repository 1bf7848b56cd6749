//! Contact links: what a messenger link (t.me, open.kakao.com, wa.me, line.me, zalo.me, WeChat) names, the
//! domain of any other link, and the URLs written in a text.

use super::phone::{normalize_phone, Region};
use super::IndicatorKind;
use crate::links::host_and_path;

/// Hosts shared by everyone (forms, link shorteners, link pages): the indicator is the host and its path,
/// since the host alone would name every form or short link on the web.
const SHARED_HOSTS: &[&str] = &[
    "forms.gle",
    "docs.google.com",
    "sites.google.com",
    "bit.ly",
    "tinyurl.com",
    "linktr.ee",
    "forms.office.com",
    "goo.gl",
    "cutt.ly",
    "shorturl.at",
    "is.gd",
    "rb.gy",
    "t.co",
    "lnkd.in",
    "me2.do",
    "han.gl",
    "naver.me",
    "form.naver.com",
];

/// Telegram paths that are not a user, group or channel.
const TELEGRAM_RESERVED: &[&str] = &[
    "share",
    "addstickers",
    "addemoji",
    "proxy",
    "socks",
    "setlanguage",
    "addtheme",
    "iv",
    "login",
    "confirmphone",
    "addlist",
    "boost",
    "invoice",
    "contact",
];

/// A Telegram username: 5 to 32 of letters, digits and `_`, starting with a letter; lower-cased.
pub fn telegram_username(s: &str) -> Option<String> {
    let ok = (5..=32).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.ends_with('_');
    ok.then(|| s.to_ascii_lowercase())
}

/// A code from a link (invite, open-chat, group): letters, digits, `_` and `-`, kept as written (such codes
/// are case-sensitive).
fn code(s: &str) -> Option<String> {
    let ok = (3..=64).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| s.to_string())
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// What a URL names: a messenger contact, or (`domain_too`) the domain of any other web link.
pub fn classify_url(url: &str, domain_too: bool) -> Option<(IndicatorKind, String)> {
    use IndicatorKind::*;
    let (host, path) = host_and_path(url)?;
    let seg = segments(&path);
    let first = seg.first().copied().unwrap_or("");
    let query = url.split_once('?').map(|(_, q)| q.split('#').next().unwrap_or("")).unwrap_or("");
    let param = |name: &str| {
        query.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v.to_string()))
    };
    let intl = |digits: &str| normalize_phone(&format!("+{}", digits.trim_start_matches('+')), None);
    match host.as_str() {
        "t.me" | "telegram.me" | "telegram.dog" => match first {
            "joinchat" => seg.get(1).and_then(|c| code(c)).map(|c| (Telegram, format!("+{c}"))),
            f if f.starts_with('+') => {
                let rest = &f[1..];
                if rest.chars().all(|c| c.is_ascii_digit()) {
                    intl(rest).map(|p| (Telegram, p))
                } else {
                    code(rest).map(|c| (Telegram, format!("+{c}")))
                }
            }
            "s" => seg.get(1).and_then(|u| telegram_username(u)).map(|u| (Telegram, u)),
            f if TELEGRAM_RESERVED.contains(&f.to_ascii_lowercase().as_str()) => None,
            f => telegram_username(f).map(|u| (Telegram, u)),
        },
        h if h.ends_with(".t.me") => telegram_username(&h[..h.len() - 5]).map(|u| (Telegram, u)),
        "open.kakao.com" => match (first, seg.get(1)) {
            ("o", Some(c)) => code(c).map(|c| (Kakaotalk, format!("o/{c}"))),
            ("me", Some(c)) => code(c).map(|c| (Kakaotalk, format!("me/{}", c.to_ascii_lowercase()))),
            _ => None,
        },
        "wa.me" => match first {
            "message" => seg.get(1).and_then(|c| code(c)).map(|c| (Whatsapp, format!("message/{c}"))),
            f => intl(f).map(|p| (Whatsapp, p)),
        },
        "api.whatsapp.com" | "whatsapp.com" | "web.whatsapp.com" => {
            param("phone").and_then(|p| intl(&p)).map(|p| (Whatsapp, p))
        }
        "chat.whatsapp.com" => code(first).map(|c| (Whatsapp, format!("chat/{c}"))),
        "line.me" | "liff.line.me" => {
            // line.me/ti/p/~id, line.me/R/ti/p/@id, line.me/ti/g2/CODE
            let seg: Vec<&str> = seg.into_iter().skip_while(|s| *s == "R" || *s == "r").collect();
            match (seg.first().copied(), seg.get(1).copied(), seg.get(2).copied()) {
                (Some("ti"), Some("p"), Some(id)) => line_id(&percent_at(id)).map(|i| (Line, i)),
                (Some("ti"), Some("g2" | "g"), Some(c)) => code(c).map(|c| (Line, format!("g/{c}"))),
                _ => None,
            }
        }
        "lin.ee" => code(first).map(|c| (Line, format!("lin.ee/{c}"))),
        "zalo.me" => match first {
            "g" => seg.get(1).and_then(|c| code(c)).map(|c| (Zalo, format!("g/{}", c.to_ascii_lowercase()))),
            f if f.chars().all(|c| c.is_ascii_digit()) && !f.is_empty() => {
                normalize_phone(f, Some(Region::Vn)).or_else(|| intl(f)).or_else(|| code(f)).map(|p| (Zalo, p))
            }
            _ => None,
        },
        "u.wechat.com" => code(first).map(|c| (Wechat, format!("u/{c}"))),
        "weixin.qq.com" if first == "r" => seg.get(1).and_then(|c| code(c)).map(|c| (Wechat, format!("r/{c}"))),
        _ if domain_too => Some((Domain, domain_value(&host, &path))),
        _ => None,
    }
}

/// `%40` is how `@` often appears in LINE links.
fn percent_at(s: &str) -> String {
    s.replace("%40", "@").replace("%7E", "~").replace("%7e", "~")
}

/// A LINE ID: `~id` and `id` are the same personal ID; `@id` is an official account, kept with its `@`.
pub fn line_id(s: &str) -> Option<String> {
    let (at, id) = match s.strip_prefix('@') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('~').unwrap_or(s)),
    };
    let ok = (3..=20).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && id.chars().any(|c| c.is_ascii_alphabetic());
    ok.then(|| format!("{}{}", if at { "@" } else { "" }, id.to_ascii_lowercase()))
}

/// The indicator of a web link: its host, or host and path for a shared host.
pub fn domain_value(host: &str, path: &str) -> String {
    if SHARED_HOSTS.contains(&host) {
        let path = path.trim_end_matches('/');
        let mut v = format!("{host}{path}");
        v.truncate(v.char_indices().nth(200).map_or(v.len(), |(i, _)| i));
        v
    } else {
        host.to_string()
    }
}

/// Whether `c` may be part of a URL written in text.
fn url_char(c: char) -> bool {
    c.is_ascii_graphic()
        && !matches!(c, '<' | '>' | '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '\\' | '^')
}

/// The URL around the match `[s, e)` of a URL marker: byte range, trailing punctuation trimmed.
pub fn url_span(text: &str, s: usize, e: usize) -> (usize, usize) {
    let start = text[..s].char_indices().rev().take_while(|(_, c)| url_char(*c)).last().map_or(s, |(i, _)| i);
    let mut end =
        e + text[e..].char_indices().take_while(|(_, c)| url_char(*c)).last().map_or(0, |(i, c)| i + c.len_utf8());
    while end > e && text[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
        end -= 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndicatorKind::*;

    fn c(u: &str) -> Option<(IndicatorKind, String)> {
        classify_url(u, true)
    }

    #[test]
    fn messenger_links() {
        assert_eq!(c("https://t.me/Job_Recruit88"), Some((Telegram, "job_recruit88".into())));
        assert_eq!(c("t.me/s/Job_Recruit88"), Some((Telegram, "job_recruit88".into())));
        assert_eq!(c("https://t.me/+AbCdEf123"), Some((Telegram, "+AbCdEf123".into())));
        assert_eq!(c("https://t.me/joinchat/AbCdEf123"), Some((Telegram, "+AbCdEf123".into())));
        assert_eq!(c("https://t.me/+821012345678"), Some((Telegram, "+821012345678".into())));
        assert_eq!(c("https://t.me/share/url?url=x"), None);
        assert_eq!(c("https://open.kakao.com/o/sAbC123"), Some((Kakaotalk, "o/sAbC123".into())));
        assert_eq!(c("https://wa.me/855123456789"), Some((Whatsapp, "+855123456789".into())));
        assert_eq!(
            c("https://api.whatsapp.com/send?phone=855123456789&text=hi"),
            Some((Whatsapp, "+855123456789".into()))
        );
        assert_eq!(c("https://line.me/ti/p/~Recruit.01"), Some((Line, "recruit.01".into())));
        assert_eq!(c("https://line.me/R/ti/p/%40abc123"), Some((Line, "@abc123".into())));
        assert_eq!(c("https://zalo.me/0912345678"), Some((Zalo, "+84912345678".into())));
        assert_eq!(c("https://weixin.qq.com/r/AbC-12"), Some((Wechat, "r/AbC-12".into())));
        assert_eq!(c("https://apply.example.com/jobs/1"), Some((Domain, "apply.example.com".into())));
        assert_eq!(c("https://forms.gle/AbC123/"), Some((Domain, "forms.gle/AbC123".into())));
        assert_eq!(classify_url("https://apply.example.com/jobs/1", false), None);
        assert_eq!(c("javascript:alert(1)"), None);
    }

    #[test]
    fn url_spans_in_text() {
        let t = "연락: t.me/abc_recruit로, (https://wa.me/855123456789).";
        let s = t.find("t.me/").unwrap();
        let (a, b) = url_span(t, s, s + 5);
        assert_eq!(&t[a..b], "t.me/abc_recruit");
        let s = t.find("https://").unwrap();
        let (a, b) = url_span(t, s, s + 8);
        assert_eq!(&t[a..b], "https://wa.me/855123456789");
    }
}
