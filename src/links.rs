//! Link targets: host and path of a URL, and the pack's link rules (messenger hosts such as t.me,
//! open.kakao.com/o/, wa.me, line.me) applied to them.

use crate::pack::LinkRule;

/// Host (lower case, without `www.`, port or user info) and path of a URL or a bare `host/path` string.
pub fn host_and_path(url: &str) -> Option<(String, String)> {
    let url = url.trim();
    let rest = match url.find("://") {
        Some(i) => {
            let scheme = &url[..i];
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return None;
            }
            &url[i + 3..]
        }
        None if url.starts_with("//") => &url[2..],
        None => url,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let path = rest[end..].split(['?', '#']).next().unwrap_or("").to_string();
    Some((host, path))
}

/// Whether `rule` matches a link to `host` with `path`.
pub fn rule_matches(rule: &LinkRule, host: &str, path: &str) -> bool {
    let host_ok = rule.hosts.iter().any(|h| {
        let h = h.to_ascii_lowercase();
        host == h || host.strip_suffix(h.as_str()).is_some_and(|p| p.ends_with('.'))
    });
    host_ok
        && (rule.path_prefix.is_empty()
            || path.to_ascii_lowercase().starts_with(&rule.path_prefix.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(hosts: &[&str], prefix: &str) -> LinkRule {
        LinkRule {
            id: "t".into(),
            category: "messenger".into(),
            weight: 1,
            hosts: hosts.iter().map(|s| s.to_string()).collect(),
            path_prefix: prefix.into(),
            explain: Default::default(),
        }
    }

    #[test]
    fn parses_hosts() {
        assert_eq!(host_and_path("https://T.me/abc?x=1"), Some(("t.me".into(), "/abc".into())));
        assert_eq!(host_and_path("open.kakao.com/o/sAbc"), Some(("open.kakao.com".into(), "/o/sAbc".into())));
        assert_eq!(host_and_path("https://user@www.wa.me:443/8210"), Some(("wa.me".into(), "/8210".into())));
        assert_eq!(host_and_path("javascript:alert(1)"), None);
        assert_eq!(host_and_path("/jobs/1"), None);
    }

    #[test]
    fn matches_hosts_and_subdomains_only() {
        let r = rule(&["t.me"], "");
        assert!(rule_matches(&r, "t.me", "/x"));
        assert!(!rule_matches(&r, "at.me", "/x"));
        let k = rule(&["open.kakao.com"], "/o/");
        assert!(rule_matches(&k, "open.kakao.com", "/o/abc"));
        assert!(!rule_matches(&k, "open.kakao.com", "/me"));
    }
}
