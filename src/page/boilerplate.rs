//! What is never read as part of a posting or a card: navigation, headers, footers, search filters and
//! facets, "similar jobs" and "people also searched" boxes, log-in forms, cookie banners and ads, found by
//! tag, ARIA role or id/class names, plus a site adapter's `exclude` list.

use super::outline::{Node, Tree};

/// Tags that are page furniture wherever they are.
const TAGS: &[&str] = &["nav", "aside", "button", "select", "menu"];
/// Tags that are furniture unless they hold most of the page (some sites wrap the whole page in a form).
const GUARDED_TAGS: &[&str] = &["form", "dialog"];
/// Roles that are page furniture.
const ROLES: &[&str] = &["navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar"];
/// Roles that are furniture unless they hold most of the page.
const GUARDED_ROLES: &[&str] = &["complementary", "dialog"];
/// Whole words of an id or class name that say "furniture" (compared after dropping a plural `s`).
const WORDS: &[&str] = &[
    "menu",
    "nav",
    "navbar",
    "navigation",
    "gnb",
    "lnb",
    "snb",
    "footer",
    "filter",
    "facet",
    "breadcrumb",
    "cookie",
    "consent",
    "banner",
    "login",
    "signin",
    "signup",
    "share",
    "social",
    "related",
    "similar",
    "recommend",
    "recommended",
    "recommendation",
    "also",
    "ad",
    "advert",
    "advertisement",
];

/// Splits an id or class value into lower-case words: on anything not a letter or digit, and between a
/// lower-case letter and an upper-case one (`jobsFilter` -> `jobs`, `filter`).
pub fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
}

fn furniture_word(w: &str) -> bool {
    let singular = w.strip_suffix('s').filter(|s| s.len() > 1).unwrap_or(w);
    WORDS.contains(&w) || WORDS.contains(&singular)
}

/// Whether the node's id or class names it furniture.
pub fn named_furniture(n: &Node) -> bool {
    words(&n.id).chain(words(&n.class)).any(|w| furniture_word(&w))
}

/// How sure the rules are that a node is furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// Not furniture.
    No,
    /// Always furniture (`nav`, `role=navigation` ...).
    Always,
    /// Furniture unless it holds most of the page (a form, a dialog, a part named "filter" ...).
    Unless,
}

/// What the node's tag, role and names say.
pub fn furniture(tree: &Tree, i: usize) -> Furniture {
    let n = &tree.nodes[i];
    let role = n.role().unwrap_or("");
    if TAGS.contains(&n.tag.as_str()) || ROLES.contains(&role) {
        return Furniture::Always;
    }
    if n.tag == "header" || n.tag == "footer" {
        // An article's own header holds its title: only page-level headers are furniture.
        let mut a = tree.parent[i];
        while let Some(p) = a {
            let pn = &tree.nodes[p];
            if pn.tag == "article" || pn.tag == "main" || pn.role() == Some("main") {
                // A footer there is often the site's own footer (single-page apps put everything in `main`).
                return if n.tag == "header" { Furniture::No } else { Furniture::Unless };
            }
            a = tree.parent[p];
        }
        return Furniture::Always;
    }
    if GUARDED_TAGS.contains(&n.tag.as_str()) || GUARDED_ROLES.contains(&role) || named_furniture(n) {
        return Furniture::Unless;
    }
    Furniture::No
}

/// Which nodes are dropped (with everything below them). `keep` nodes (the posting an adapter or JSON-LD
/// named) and their ancestors are never dropped; `exclude` nodes always are.
pub fn dropped(tree: &Tree, keep: &[usize], exclude: &[usize]) -> Vec<bool> {
    let n = tree.len();
    let total: u32 = tree.roots.iter().map(|&r| tree.solid(r)).sum();
    let mut kept = vec![false; n];
    for &k in keep {
        let mut x = Some(k);
        while let Some(i) = x {
            if kept[i] {
                break;
            }
            kept[i] = true;
            x = tree.parent[i];
        }
    }
    let mut out = vec![false; n];
    for &e in exclude {
        if !kept[e] {
            out[e] = true;
        }
    }
    for i in 0..n {
        if let Some(p) = tree.parent[i] {
            if out[p] {
                out[i] = true;
                continue;
            }
        }
        if out[i] || kept[i] {
            continue;
        }
        out[i] = match furniture(tree, i) {
            Furniture::No => false,
            Furniture::Always => true,
            // A part holding more than half the page is the page itself, whatever it is called.
            Furniture::Unless => tree.solid(i) * 2 <= total && !holds_main(tree, i),
        };
    }
    out
}

/// Whether a node holds the page's declared main content (`main`, `article`, `role=main`).
fn holds_main(tree: &Tree, i: usize) -> bool {
    tree.subtree(i).skip(1).any(|d| {
        let n = &tree.nodes[d];
        n.tag == "main" || n.tag == "article" || n.role() == Some("main")
    })
}

/// The node's text ranges without its dropped parts, merged and in order.
pub fn regions(tree: &Tree, node: usize, dropped: &[bool]) -> Vec<(u32, u32)> {
    let (s, e) = tree.range[node];
    if dropped[node] {
        return Vec::new();
    }
    let mut holes = Vec::new();
    let end = tree.subtree_end(node);
    let mut d = node + 1;
    while d < end {
        if dropped[d] {
            holes.push(tree.range[d]);
            d = tree.subtree_end(d);
        } else {
            d += 1;
        }
    }
    let mut out = Vec::new();
    let mut at = s;
    for (hs, he) in holes {
        if hs > at {
            out.push((at, hs));
        }
        at = at.max(he);
    }
    if e > at {
        out.push((at, e));
    }
    out.retain(|&(a, b)| tree.text.solid(a, b) > 0);
    out
}

/// Visible characters per node once dropped parts are taken out, and how many of them are link text.
#[derive(Debug)]
pub struct Mass {
    /// Visible characters of each node outside dropped parts (0 for a dropped node).
    pub content: Vec<u32>,
    /// Of those, the characters inside `a` elements.
    pub link: Vec<u32>,
    /// Whether the node is, or holds, a kept `a` element with an `href`.
    pub has_link: Vec<bool>,
}

impl Mass {
    /// Sums the tree bottom-up.
    pub fn new(tree: &Tree, dropped: &[bool]) -> Mass {
        let n = tree.len();
        let mut content: Vec<u32> = (0..n).map(|i| if dropped[i] { 0 } else { tree.solid(i) }).collect();
        let mut link = vec![0u32; n];
        let mut has_link = vec![false; n];
        for i in (0..n).rev() {
            if dropped[i] {
                continue;
            }
            let node = &tree.nodes[i];
            if node.tag == "a" {
                link[i] = content[i];
                has_link[i] |= node.attrs.get("href").is_some_and(|h| !h.is_empty() && !h.starts_with('#'));
            }
            if let Some(p) = tree.parent[i] {
                if tree.nodes[p].tag != "a" {
                    link[p] += link[i];
                }
                has_link[p] |= has_link[i];
            }
        }
        // A dropped child's characters are not its parent's content.
        for i in 0..n {
            if dropped[i] {
                let lost = tree.solid(i);
                let mut a = tree.parent[i];
                while let Some(p) = a {
                    content[p] = content[p].saturating_sub(lost);
                    if dropped[p] {
                        break;
                    }
                    a = tree.parent[p];
                }
            }
        }
        for i in 0..n {
            link[i] = link[i].min(content[i]);
        }
        Mass { content, link, has_link }
    }

    /// Share of a node's content that is link text (0 for an empty node).
    pub fn link_density(&self, i: usize) -> f64 {
        if self.content[i] == 0 {
            0.0
        } else {
            f64::from(self.link[i]) / f64::from(self.content[i])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::outline::Outline;
    use super::*;

    #[test]
    fn words_split_on_punctuation_and_case() {
        let w: Vec<String> = words("base-serp-page__filters jobsFilter GNB_wrap").collect();
        assert_eq!(w, ["base", "serp", "page", "filters", "jobs", "filter", "gnb", "wrap"]);
        assert!(furniture_word("filters") && furniture_word("ads") && !furniture_word("s"));
        assert!(!furniture_word("address") && !furniture_word("header") && !furniture_word("load"));
    }

    #[test]
    fn furniture_is_dropped_and_regions_skip_it() {
        // body: nav | main (h1, div.search-filters, p) | footer
        let text = "menu1\nTitle\nfilters\nThe posting text is here, long\nfooter text";
        let o: Outline = serde_json::from_str(
            r#"{"nodes":[[-1,"body",0,62,"","",{}],[0,"nav",0,5,"","",{}],[0,"main",6,50,"","",{}],
              [2,"h1",6,11,"","",{}],[2,"div",12,19,"","search-filters",{}],[2,"p",20,50,"","",{}],
              [0,"footer",51,62,"","",{}]]}"#,
        )
        .unwrap();
        let t = Tree::new(&o, text).unwrap();
        let d = dropped(&t, &[], &[]);
        assert_eq!(d, [false, true, false, false, true, false, true]);
        assert_eq!(regions(&t, 2, &d), [(6, 12), (19, 50)]);
        // Named by an adapter as the posting: kept.
        let d = dropped(&t, &[4], &[]);
        assert!(!d[4]);
        // Excluded by an adapter: dropped.
        let d = dropped(&t, &[], &[3]);
        assert!(d[3]);
    }

    #[test]
    fn a_form_holding_the_whole_page_is_not_dropped() {
        let text = "A long posting wrapped in a form, as ASP.NET pages do. menu";
        let o: Outline = serde_json::from_str(
            r#"{"nodes":[[-1,"body",0,59,"","",{}],[0,"form",0,59,"aspnetForm","",{}],[1,"p",0,54,"","",{}],
              [1,"div",55,59,"","top-menu",{}]]}"#,
        )
        .unwrap();
        let t = Tree::new(&o, text).unwrap();
        assert_eq!(dropped(&t, &[], &[]), [false, false, false, true]);
    }
}
