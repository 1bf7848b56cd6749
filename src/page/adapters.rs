//! Site adapters from the pack (`Pack::sites`): for a board the extension knows, where its posting sits,
//! what one card of its result lists is, and what is never read. Compiled once with the pack; a selector
//! outside the supported subset or a bad path regex refuses the pack, naming the site. Loaded from a
//! snapshot, an adapter compiles on first use.

use std::sync::OnceLock;

use regex_lite::{Regex, RegexBuilder};

use super::outline::Tree;
use super::selector::SelectorList;
use crate::error::PackError;
use crate::pack::Site;

/// Longest list of adapters a pack may hold.
pub const MAX_SITES: usize = 500;

/// One adapter: its id and hosts at once, its path regexes and selectors compiled on first use (a classifier
/// loaded from a snapshot of a pack that passed full validation need not compile the adapters of boards never
/// visited).
#[derive(Debug, Clone)]
pub struct CompiledSite {
    /// The adapter's id (`saramin`).
    pub id: String,
    hosts: Vec<String>,
    source: Site,
    parts: OnceLock<Option<Parts>>,
}

/// What an adapter compiles: its path regexes and selectors.
#[derive(Debug, Clone)]
struct Parts {
    paths: Vec<Regex>,
    /// Selectors of the posting's container, in order of preference.
    posting: Vec<SelectorList>,
    /// Selectors of one card of a result list.
    cards: Vec<SelectorList>,
    /// Selectors of parts never read.
    exclude: Vec<SelectorList>,
}

/// Every adapter of a pack.
#[derive(Debug, Clone, Default)]
pub struct Sites(Vec<CompiledSite>);

fn refuse(site: &str, message: String) -> PackError {
    PackError::Site { site: site.to_string(), message }
}

/// Compiles an adapter's path regexes and selectors; the first bad one refuses it.
fn compile_parts(s: &Site) -> Result<Parts, PackError> {
    let paths = s
        .paths
        .iter()
        .map(|p| {
            RegexBuilder::new(p)
                .size_limit(256 * 1024)
                .build()
                .map_err(|e| refuse(&s.id, format!("bad path regex '{p}': {e}")))
        })
        .collect::<Result<_, _>>()?;
    let sel = |list: &[String]| {
        list.iter()
            .map(|x| SelectorList::parse(x).map_err(|e| refuse(&s.id, e.to_string())))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Parts { paths, posting: sel(&s.posting)?, cards: sel(&s.cards)?, exclude: sel(&s.exclude)? })
}

/// The host without its leading `www.`s (as `trim_start_matches("www.")`, without the substring searcher's code,
/// which a snapshot's cold start would compile first).
fn strip_www(mut host: &str) -> &str {
    while let Some(rest) = host.strip_prefix("www.") {
        host = rest;
    }
    host
}

impl Sites {
    /// Compiles the pack's adapters; the first bad one refuses the pack.
    pub fn compile(sites: &[Site]) -> Result<Sites, PackError> {
        Sites::build(sites, true)
    }

    /// The pack's adapters with their ids and hosts checked, their path regexes and selectors compiled on first
    /// use: for a pack that passed [`Sites::compile`] before (a snapshot's). Should one not compile then, its
    /// adapter is never chosen.
    pub fn load(sites: &[Site]) -> Result<Sites, PackError> {
        Sites::build(sites, false)
    }

    fn build(sites: &[Site], eager: bool) -> Result<Sites, PackError> {
        if sites.len() > MAX_SITES {
            return Err(PackError::Invalid(format!(
                "{} site adapters, more than the {MAX_SITES} allowed",
                sites.len()
            )));
        }
        let mut out: Vec<CompiledSite> = Vec::with_capacity(sites.len());
        for s in sites {
            if s.id.is_empty() || !s.id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_') {
                return Err(refuse(&s.id, "ids use only a-z, 0-9 and '_'".into()));
            }
            // A scan of those before rather than a set: at most MAX_SITES, and a snapshot's cold start compiles
            // every function it calls (a set's insert, its drop) before running it.
            if out.iter().any(|o| o.id == s.id) {
                return Err(refuse(&s.id, "duplicate id".into()));
            }
            if s.hosts.is_empty() || s.hosts.iter().any(|h| h.is_empty() || h.bytes().any(|b| b == b'/')) {
                return Err(refuse(&s.id, "hosts must be bare host names, at least one".into()));
            }
            if s.posting.is_empty() && s.cards.is_empty() {
                return Err(refuse(&s.id, "an adapter names a posting or cards".into()));
            }
            let parts = OnceLock::new();
            if eager {
                let _ = parts.set(Some(compile_parts(s)?));
            }
            out.push(CompiledSite {
                id: s.id.clone(),
                hosts: s.hosts.iter().map(|h| strip_www(h).to_ascii_lowercase()).collect(),
                source: s.clone(),
                parts,
            });
        }
        Ok(Sites(out))
    }

    /// The first adapter for this host (or a parent domain of it) whose paths, if any, match.
    pub fn find(&self, host: &str, path: &str) -> Option<&CompiledSite> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.0.iter().find(|s| {
            s.hosts.iter().any(|h| host == *h || host.strip_suffix(h.as_str()).is_some_and(|p| p.ends_with('.')))
                && s.parts().is_some_and(|p| p.paths.is_empty() || p.paths.iter().any(|r| r.is_match(path)))
        })
    }

    /// Number of adapters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many adapters have compiled their regexes and selectors so far.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> usize {
        self.0.iter().filter(|s| s.parts.get().is_some()).count()
    }
}

impl CompiledSite {
    /// The compiled regexes and selectors (compiled now if they were not), `None` if they do not compile.
    fn parts(&self) -> Option<&Parts> {
        self.parts.get_or_init(|| compile_parts(&self.source).ok()).as_ref()
    }

    /// The posting's container: the first node of the first selector that matches.
    pub fn posting_node(&self, tree: &Tree) -> Option<usize> {
        let p = self.parts()?;
        p.posting.iter().find_map(|s| (0..tree.len()).find(|&i| s.matches(tree, i)))
    }

    /// Every node any cards selector matches.
    pub fn card_nodes(&self, tree: &Tree) -> Vec<usize> {
        let Some(p) = self.parts() else { return Vec::new() };
        (0..tree.len()).filter(|&i| p.cards.iter().any(|s| s.matches(tree, i))).collect()
    }

    /// Every node an exclude selector matches.
    pub fn excluded(&self, tree: &Tree) -> Vec<usize> {
        let Some(p) = self.parts() else { return Vec::new() };
        (0..tree.len()).filter(|&i| p.exclude.iter().any(|s| s.matches(tree, i))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: &str, hosts: &[&str], paths: &[&str], posting: &[&str]) -> Site {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
        Site { id: id.into(), hosts: v(hosts), paths: v(paths), posting: v(posting), cards: vec![], exclude: vec![] }
    }

    #[test]
    fn chosen_by_host_suffix_and_path() {
        let s = Sites::compile(&[
            site("a_view", &["saramin.co.kr"], &["^/zf_user/jobs/view"], &["#content"]),
            site("a_any", &["saramin.co.kr"], &[], &[".wrap"]),
        ])
        .unwrap();
        assert_eq!(s.find("www.saramin.co.kr", "/zf_user/jobs/view").unwrap().id, "a_view");
        assert_eq!(s.find("m.saramin.co.kr", "/search").unwrap().id, "a_any");
        assert!(s.find("notsaramin.co.kr", "/").is_none());
        assert!(s.find("saramin.co.kr.evil.com", "/").is_none());
        // Leading "www."s are dropped from the adapter's hosts (all of them, as `trim_start_matches` did), then
        // the host is lower-cased.
        let w = Sites::compile(&[site("w", &["www.www.Jobs.example"], &[], &["p"])]).unwrap();
        assert_eq!(w.find("jobs.example", "/").unwrap().id, "w");
        assert_eq!(w.find("m.jobs.example", "/").unwrap().id, "w");
        assert!(w.find("www.example", "/").is_none());
        assert!(Sites::compile(&[site("slash", &["x.com/jobs"], &[], &["p"])]).is_err());
    }

    #[test]
    fn bad_selectors_and_regexes_refuse_naming_the_site() {
        let e = Sites::compile(&[site("bad_sel", &["x.com"], &[], &["div:first-child"])]).unwrap_err();
        assert!(
            matches!(&e, PackError::Site { site, message } if site == "bad_sel" && message.contains("div:first-child")),
            "{e}"
        );
        let e = Sites::compile(&[site("bad_re", &["x.com"], &["(unclosed"], &["div"])]).unwrap_err();
        assert!(e.to_string().contains("bad_re") && e.to_string().contains("(unclosed"), "{e}");
        assert!(Sites::compile(&[site("nothing", &["x.com"], &[], &[])]).is_err());
        assert!(Sites::compile(&[site("a", &["x.com"], &[], &["p"]), site("a", &["y.com"], &[], &["p"])]).is_err());
    }

    #[test]
    fn loaded_adapters_compile_on_first_use_and_a_bad_one_is_never_chosen() {
        let s = Sites::load(&[
            site("bad_re", &["x.com"], &["(unclosed"], &["div"]),
            site("a_view", &["saramin.co.kr"], &["^/zf_user/jobs/view"], &["#content"]),
            site("a_any", &["saramin.co.kr"], &[], &[".wrap"]),
            site("other", &["y.com"], &[], &["p"]),
        ])
        .unwrap();
        assert_eq!(s.compiled(), 0);
        assert!(s.find("x.com", "/").is_none(), "an adapter that does not compile is skipped");
        assert_eq!(s.find("saramin.co.kr", "/search").unwrap().id, "a_any");
        assert_eq!(s.compiled(), 3, "only the adapters of the hosts looked at");
        assert_eq!(Sites::compile(&[site("a", &["x.com"], &[], &["p"])]).unwrap().compiled(), 1);
        // What the cheap checks refuse, loading refuses too.
        assert!(Sites::load(&[site("nothing", &["x.com"], &[], &[])]).is_err());
        assert!(Sites::load(&[site("Bad", &["x.com"], &[], &["p"])]).is_err());
        assert!(Sites::load(&[site("a", &["x.com"], &[], &["p"]), site("a", &["y.com"], &[], &["p"])]).is_err());
    }
}
