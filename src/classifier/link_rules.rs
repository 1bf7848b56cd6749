//! Link rules: the page's links, and URLs written in its text (found by one [`LiteralSet`] over every rule's
//! host).

use super::literals::LiteralSet;
use super::signals::Signals;
use crate::error::PackError;
use crate::links;
use crate::normalize::Normalized;
use crate::pack::LinkRule;
use crate::verdict::Link;

/// Most links looked at.
pub const MAX_LINKS: usize = 5_000;
/// Most host matches in the text looked at.
const MAX_HOSTS_IN_TEXT: usize = 1000;

/// The pack's link rules, compiled.
#[derive(Debug, Clone)]
pub struct LinkRules {
    rules: Vec<LinkRule>,
    /// Classifier rule index of the first link rule (the others follow in pack order).
    first: usize,
    /// Every link rule's host, to find URLs written in the text without a URL regex. A `LiteralSet` reports
    /// the same overlapping matches in the same order as the Aho-Corasick automaton it replaced, and builds in
    /// one pass: the automaton's build (a DFA for so few hosts) was a sixth of a Wasm cold start from a snapshot.
    hosts: LiteralSet,
}

impl LinkRules {
    /// Compiles `rules`, the first being classifier rule `first`.
    pub fn new(rules: &[LinkRule], first: usize) -> Result<LinkRules, PackError> {
        let hosts: Vec<String> = rules.iter().flat_map(|l| l.hosts.iter().map(|h| h.to_ascii_lowercase())).collect();
        Ok(LinkRules { rules: rules.to_vec(), first, hosts: LiteralSet::new(&hosts) })
    }

    /// Checks the page's links, then URLs written in the text.
    pub fn run(&self, page_links: &[Link], norm: &Normalized, signals: &mut Signals) {
        for l in page_links.iter().take(MAX_LINKS) {
            if let Some((host, path)) = links::host_and_path(&l.href) {
                for (i, rule) in self.rules.iter().enumerate() {
                    if links::rule_matches(rule, &host, &path) {
                        signals.hit(self.first + i, None);
                    }
                }
            }
        }
        let mut seen = 0;
        self.hosts.for_each_match(&norm.text, |_, start, end| {
            seen += 1;
            if seen > MAX_HOSTS_IN_TEXT {
                return;
            }
            let Some((url_start, url_end)) = url_around(&norm.text, start, end) else { return };
            if let Some((host, path)) = links::host_and_path(&norm.text[url_start..url_end]) {
                for (i, rule) in self.rules.iter().enumerate() {
                    if links::rule_matches(rule, &host, &path) {
                        signals.hit(self.first + i, Some(norm.norm_range_to_orig(url_start, url_end)));
                    }
                }
            }
        });
    }
}

/// The URL around a host found at `start..end` of normalised text: back over subdomains and the scheme, on
/// over the path. `None` when the host is only part of a longer word or domain.
fn url_around(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let host_char = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    if end < b.len()
        && (b[end].is_ascii_alphanumeric()
            || b[end] == b'-'
            || (b[end] == b'.' && end + 1 < b.len() && b[end + 1].is_ascii_alphanumeric()))
    {
        return None;
    }
    let mut s = start;
    if s > 0 && b[s - 1] != b'.' && host_char(b[s - 1]) {
        return None;
    }
    while s > 0 && host_char(b[s - 1]) {
        s -= 1;
    }
    if text[..s].ends_with("://") {
        s -= 3;
        while s > 0 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
    }
    let mut e = end;
    if e < b.len() && b[e] == b'/' {
        while e < b.len() && !b[e].is_ascii_whitespace() && !matches!(b[e], b'<' | b'>' | b'"' | b'\'' | b')' | b'(') {
            e += 1;
        }
    }
    Some((s, e))
}
