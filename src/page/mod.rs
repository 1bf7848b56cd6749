//! Page reading: the posting, not the page. From the page's text and outline ([`outline::Outline`]) decide
//! what the posting is (declared JSON-LD, a site adapter, or the main content) or which repeated cards make a
//! list, and score each on its own ([`crate::Classifier::read_page`]). The same code runs in the CLI and in
//! the extension (Wasm), so both read a page the same way.

pub mod adapters;
pub mod boilerplate;
pub mod cards;
pub mod declared;
#[cfg(feature = "html")]
pub mod html;
pub mod main_content;
pub mod outline;
pub mod selector;

use serde::{Deserialize, Serialize};

use crate::classifier::Classifier;
use crate::error::ScoreError;
use crate::verdict::{Link, Match, PageInput, Verdict};
use boilerplate::Mass;
use outline::Tree;

/// Most cards scored on one page.
pub const MAX_CARDS: usize = 2_000;
/// Longest card title reported.
const TITLE_CHARS: usize = 120;
/// Lowest Readability score of a main content (link density applied): below it the page holds only links.
const MIN_MAIN_SCORE: f64 = 0.5;
/// Fewest visible characters of a posting under the page's `h1` that outweighs the cards beside it.
const MIN_POSTING_CHARS: u32 = 300;
/// Share of the page's readable text the cards must hold to make a list.
const LIST_SHARE: f64 = 0.25;

/// What kind of page was read.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One posting.
    Posting,
    /// A list of postings (cards).
    List,
}

/// The posting of a page, scored.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PostingReading {
    /// Outline node of the posting's container, if it has one.
    pub node: Option<usize>,
    /// Ranges of the full text (UTF-16) that were read as the posting; `[]` when only the JSON-LD was.
    pub regions: Vec<[u32; 2]>,
    /// Its verdict; matches are offsets into the full text, inside `regions`.
    pub verdict: Verdict,
}

/// One card of a list, scored on its own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CardReading {
    /// Outline node of the card.
    pub node: usize,
    /// Start of the card's text (UTF-16, full text).
    pub start: u32,
    /// End of the card's text.
    pub end: u32,
    /// The card's title (its first link's text, else its first line).
    pub title: String,
    /// Its verdict; matches are offsets into the full text.
    pub verdict: Verdict,
}

/// How a page was read, and the verdicts of its posting and cards.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reading {
    /// A posting or a list.
    pub kind: Kind,
    /// How it was found: `jsonld`, `site:<id>`, `cards`, `main`, `text` (no outline: the whole text) or `none`
    /// (neither a posting nor cards: a page of links; read as a list without cards, nothing scored).
    pub how: String,
    /// The posting, or `None` for a list without an open posting.
    pub posting: Option<PostingReading>,
    /// Every card, in page order.
    pub cards: Vec<CardReading>,
    /// Number of cards.
    pub card_count: usize,
}

/// Which text ranges were read, and where they sit in the full text.
struct SubText {
    text: String,
    /// (start in `text`, start in the full text, length), UTF-16 units.
    map: Vec<(u32, u32, u32)>,
}

impl SubText {
    fn new(tree: &Tree, regions: &[(u32, u32)]) -> SubText {
        let mut text = String::new();
        let mut map = Vec::with_capacity(regions.len());
        let mut at = 0u32;
        for &(s, e) in regions {
            if !text.is_empty() {
                text.push('\n');
                at += 1;
            }
            let part = tree.text.slice(s, e);
            let len = part.encode_utf16().count() as u32;
            text.push_str(part);
            map.push((at, s, len));
            at += len;
        }
        SubText { text, map }
    }

    /// Moves a span from the sub-text to the full text; a span over a seam ends at the seam.
    fn map_span(&self, start: u32, end: u32) -> Option<(u32, u32)> {
        let i = self.map.partition_point(|&(sub, _, _)| sub <= start);
        let &(sub, full, len) = i.checked_sub(1).and_then(|i| self.map.get(i))?;
        if start >= sub + len {
            return None;
        }
        let end = end.min(sub + len);
        let (s, e) = (full + (start - sub), full + (end - sub));
        (s < e).then_some((s, e))
    }

    /// Moves a verdict's matches from the sub-text to the full text; a match over a seam ends at the seam.
    fn map_matches(&self, matches: &mut Vec<Match>) {
        matches.retain_mut(|m| match self.map_span(m.start, m.end) {
            Some((s, e)) => {
                (m.start, m.end) = (s, e);
                true
            }
            None => false,
        });
    }

    /// Moves a verdict's spans (matches and where each contact is written) to the full text.
    fn map_verdict(&self, v: &mut Verdict) {
        self.map_matches(&mut v.matches);
        for i in &mut v.indicators {
            let at = match (i.start, i.end) {
                (Some(s), Some(e)) => self.map_span(s, e),
                _ => None,
            };
            (i.start, i.end) = (at.map(|a| a.0), at.map(|a| a.1));
        }
    }
}

/// The page's links that sit inside the subtree of `node`; `by_node` holds (node, link index), sorted.
fn links_in(input: &PageInput, tree: &Tree, by_node: &[(usize, usize)], node: Option<usize>) -> Vec<Link> {
    let Some(node) = node else { return Vec::new() };
    let end = tree.subtree_end(node);
    let from = by_node.partition_point(|&(n, _)| n < node);
    by_node[from..].iter().take_while(|&&(n, _)| n < end).map(|&(_, i)| input.links[i].clone()).collect()
}

fn title_of(tree: &Tree, card: usize, dropped: &[bool]) -> String {
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let from_link = tree
        .subtree(card)
        .find(|&d| !dropped[d] && tree.nodes[d].tag == "a" && tree.solid(d) > 0)
        .map(|d| clean(tree.text.slice(tree.range[d].0, tree.range[d].1)));
    let title = from_link.unwrap_or_else(|| {
        let (s, e) = tree.range[card];
        tree.text.slice(s, e).lines().map(str::trim).find(|l| !l.is_empty()).map(clean).unwrap_or_default()
    });
    title.chars().take(TITLE_CHARS).collect()
}

/// Whether repeated cards make the page a list: together they hold a good share of the readable text, and
/// either the main content (Readability's pick over the whole page) is, or holds, a list of them, or they
/// outweigh the best block outside them twice over. A posting's "similar jobs" box fails both: the posting's
/// own text is the main content, and the box sits beside it.
fn is_list(
    tree: &Tree,
    mass: &Mass,
    dropped: &[bool],
    groups: &[cards::Group],
    best: Option<&main_content::Found>,
) -> bool {
    let card_chars: u32 = groups.iter().map(|g| g.chars).sum();
    let page_chars: u32 = tree.roots.iter().map(|&r| mass.content[r]).sum();
    if groups.is_empty() || f64::from(card_chars) < LIST_SHARE * f64::from(page_chars) {
        return false;
    }
    let Some(best) = best else { return true };
    // The best block outside the cards.
    let mut skip = dropped.to_vec();
    for g in groups {
        for &c in &g.cards {
            for d in tree.subtree(c) {
                skip[d] = true;
            }
        }
    }
    let rest = main_content::find(tree, mass, &skip);
    // A posting's text under the page's h1 makes a posting, however many "similar jobs" sit beside it.
    if let Some(whole) = rest.as_ref().and_then(|r| with_heading(tree, mass, dropped, r.best)) {
        let holds_cards = groups.iter().any(|g| g.cards.iter().any(|&c| tree.contains(whole, c)));
        if !holds_cards && mass.content[whole] >= MIN_POSTING_CHARS {
            return false;
        }
    }
    let in_cards =
        |p: usize| groups.iter().any(|g| tree.contains(p, g.parent) || g.cards.iter().any(|&c| tree.contains(c, p)));
    if best.parts.iter().any(|&p| in_cards(p)) {
        return true;
    }
    // Cards inside the best block outside them do not count for it.
    let rest_chars: u32 = rest.map_or(0, |f| {
        f.parts
            .iter()
            .map(|&p| {
                let inside: u32 = groups
                    .iter()
                    .flat_map(|g| g.cards.iter())
                    .filter(|&&c| tree.contains(p, c))
                    .map(|&c| mass.content[c])
                    .sum();
                mass.content[p].saturating_sub(inside)
            })
            .sum()
    });
    card_chars > 2 * rest_chars
}

/// The posting's whole container when the main content is only its description: the main content itself when
/// it holds the page's `h1` (the job's title, usually with the pay and place beside it), else the nearest
/// ancestor (three levels up at most) that does, no larger than three times the description.
fn with_heading(tree: &Tree, mass: &Mass, dropped: &[bool], best: usize) -> Option<usize> {
    let h1 = (0..tree.len()).find(|&i| !dropped[i] && tree.nodes[i].tag == "h1" && mass.content[i] > 0)?;
    if tree.contains(best, h1) {
        return Some(best);
    }
    let mut a = tree.parent[best];
    for _ in 0..3 {
        let p = a?;
        if dropped[p] || mass.content[p] > 3 * mass.content[best] {
            return None;
        }
        if tree.contains(p, h1) {
            return Some(p);
        }
        a = tree.parent[p];
    }
    None
}

impl Classifier {
    /// Reads a page: finds its posting or its cards (see [`Reading`]) and scores each on its own. Without an
    /// outline the whole text is scored as one posting (`how: "text"`), as [`Classifier::score`] does.
    pub fn read_page(&self, input: &PageInput) -> Result<Reading, ScoreError> {
        let Some(outline) = input.outline.as_ref().filter(|o| !o.nodes.is_empty()) else {
            let mut plain = input.clone();
            plain.outline = None;
            let verdict = self.score(&plain)?;
            let len = input.text.encode_utf16().count() as u32;
            return Ok(Reading {
                kind: Kind::Posting,
                how: "text".into(),
                posting: Some(PostingReading { node: None, regions: vec![[0, len]], verdict }),
                cards: Vec::new(),
                card_count: 0,
            });
        };
        let tree = Tree::new(outline, &input.text).map_err(|e| ScoreError::BadInput(e.to_string()))?;
        let site = outline.host.as_deref().and_then(|h| self.sites.find(h, outline.path.as_deref().unwrap_or("/")));
        let exclude = site.map(|s| s.excluded(&tree)).unwrap_or_default();

        // Declared: one JobPosting, located in the page.
        let postings = declared::job_postings(&input.jsonld);
        let one_posting = postings.len() == 1;
        let mut how = String::new();
        let mut posting_node = None;
        // What a page declares is a hint, never a limit (the page writes its own JSON-LD): a description that is
        // not in the page is not trusted, and the page is read by the rules below; the JSON-LD still counts in
        // the posting's verdict.
        if one_posting {
            if let Some(n) = declared::locate(&tree, &postings[0]) {
                posting_node = Some(n);
                how = "jsonld".into();
            }
        }
        // Site adapter.
        if posting_node.is_none() {
            if let Some(n) = site.and_then(|s| s.posting_node(&tree)) {
                posting_node = Some(n);
                how = format!("site:{}", site.map_or("", |s| s.id.as_str()));
            }
        }
        let keep: Vec<usize> = posting_node.into_iter().collect();
        let dropped = boilerplate::dropped(&tree, &keep, &exclude);
        let mass = Mass::new(&tree, &dropped);
        let mut card_nodes = Vec::new();
        if let Some(s) = site {
            let found = cards::outermost(&tree, s.card_nodes(&tree), &dropped);
            if found.len() >= cards::MIN_CARDS {
                card_nodes = found;
                if how.is_empty() {
                    how = format!("site:{}", s.id);
                }
            }
        }
        // Found: repeated cards that hold most of the page, else the main content.
        let mut main_parts = Vec::new();
        if let (Some(declared), true) = (posting_node, how == "jsonld") {
            // The main content is read too when it lies outside the declared description (a bland JSON-LD
            // summary beside a lure), or holds it (the posting's title and pay around its description).
            if let Some(best) = main_content::find(&tree, &mass, &dropped).filter(|b| b.score >= MIN_MAIN_SCORE) {
                let main = with_heading(&tree, &mass, &dropped, best.best).unwrap_or(best.best);
                if tree.contains(main, declared) {
                    posting_node = Some(main);
                } else if !tree.contains(declared, main) {
                    main_parts = vec![declared, main];
                    crate::sort::sort(&mut main_parts);
                }
            }
        }
        if posting_node.is_none() && card_nodes.is_empty() {
            let groups = cards::groups(&tree, &mass, &dropped);
            let found = cards::cards_of(&groups);
            let best = main_content::find(&tree, &mass, &dropped);
            if is_list(&tree, &mass, &dropped, &groups, best.as_ref()) {
                card_nodes = found;
                how = "cards".into();
            } else if best.as_ref().is_some_and(|b| b.score < MIN_MAIN_SCORE) {
                // The best block is links through and through (a page shell, a directory of links): there is
                // no posting here, and no cards either; nothing is scored.
                how = "none".into();
            } else if let Some(best) = best {
                match with_heading(&tree, &mass, &dropped, best.best) {
                    Some(whole) if whole != best.best => {
                        posting_node = Some(whole);
                        main_parts = vec![whole];
                    }
                    _ => {
                        posting_node = Some(best.best);
                        main_parts = best.parts;
                    }
                }
                how = "main".into();
            } else {
                posting_node = tree.roots.first().copied();
                main_parts = posting_node.into_iter().collect();
                how = "main".into();
            }
        }

        let lang = input.lang.clone();
        let mut by_node: Vec<(usize, usize)> =
            input.links.iter().enumerate().filter_map(|(i, l)| l.node.map(|n| (n as usize, i))).collect();
        crate::sort::sort(&mut by_node);
        // At most one JobPosting's JSON-LD goes with the posting; a list's JSON-LD describes its cards.
        let jsonld = if postings.len() <= 1 { input.jsonld.clone() } else { Vec::new() };
        let posting = if let Some(node) = posting_node {
            let parts = if main_parts.is_empty() { vec![node] } else { main_parts };
            let regions: Vec<(u32, u32)> =
                parts.iter().flat_map(|&p| boilerplate::regions(&tree, p, &dropped)).collect();
            let sub = SubText::new(&tree, &regions);
            let links: Vec<Link> = parts.iter().flat_map(|&p| links_in(input, &tree, &by_node, Some(p))).collect();
            let mut v = self.score(&PageInput {
                text: sub.text.clone(),
                title: input.title.clone(),
                links,
                jsonld,
                lang: lang.clone(),
                outline: None,
            })?;
            sub.map_verdict(&mut v);
            Some(PostingReading {
                node: Some(node),
                regions: regions.iter().map(|&(s, e)| [s, e]).collect(),
                verdict: v,
            })
        } else {
            None
        };

        let mut cards_out = Vec::with_capacity(card_nodes.len().min(MAX_CARDS));
        for &c in card_nodes.iter().take(MAX_CARDS) {
            let regions = boilerplate::regions(&tree, c, &dropped);
            let sub = SubText::new(&tree, &regions);
            let card = PageInput {
                text: sub.text.clone(),
                links: links_in(input, &tree, &by_node, Some(c)),
                lang: lang.clone(),
                ..Default::default()
            };
            let mut v = self.score_with(&card, false)?;
            sub.map_verdict(&mut v);
            let (start, end) = tree.range[c];
            cards_out.push(CardReading { node: c, start, end, title: title_of(&tree, c, &dropped), verdict: v });
        }
        let kind = if cards_out.is_empty() && posting.is_some() { Kind::Posting } else { Kind::List };
        Ok(Reading { kind, how, posting, card_count: cards_out.len(), cards: cards_out })
    }
}

#[cfg(all(test, feature = "sources"))]
mod tests {
    use super::outline::{Node, Outline};
    use super::*;

    fn classifier() -> Classifier {
        Classifier::new(crate::bundled::pack().unwrap()).unwrap()
    }

    /// A small deterministic generator (no test dependency for this).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % n.max(1)
        }
    }

    #[test]
    fn arbitrary_outlines_never_panic_and_offsets_stay_on_the_text() {
        let c = classifier();
        let words =
            ["캄보디아 ", "텔레그램 ", "월 1000만원 ", "😀", "a", "\n", "항공권 제공 ", "job ", ",", "包吃包住 "];
        let tags = ["div", "li", "ul", "a", "p", "nav", "h1", "section", "span", "footer", "form"];
        let classes = ["", "card", "job-list", "menu", "filter", "item active", "content", "x1 y2"];
        let mut g = Lcg(7);
        let mut read = 0;
        for round in 0..300 {
            let mut text = String::new();
            for _ in 0..g.next(60) {
                text.push_str(words[g.next(words.len() as u64) as usize]);
            }
            let len16 = text.encode_utf16().count() as u64;
            let n = g.next(80) as usize;
            let mut nodes = Vec::with_capacity(n);
            let mut chain: Vec<usize> = Vec::new();
            for i in 0..n {
                // Mostly well formed (the parent is on the open chain), sometimes not: any earlier node, the node
                // itself; ranges past the text or reversed.
                let parent = if i == 0 || g.next(20) == 0 {
                    chain.clear();
                    -1
                } else if g.next(400) == 0 {
                    g.next(i as u64 + 1) as i64
                } else {
                    chain.truncate(g.next(chain.len() as u64) as usize + 1);
                    *chain.last().unwrap() as i64
                };
                chain.push(i);
                let a = g.next(len16 + 5) as u32;
                let b = if g.next(400) == 0 { a.saturating_sub(1) } else { a + g.next(len16 + 5) as u32 };
                let mut attrs = std::collections::BTreeMap::new();
                if g.next(3) == 0 {
                    attrs.insert("href".to_string(), "https://t.me/x".to_string());
                }
                nodes.push(Node {
                    parent,
                    tag: tags[g.next(tags.len() as u64) as usize].into(),
                    start: a,
                    end: b,
                    id: String::new(),
                    class: classes[g.next(classes.len() as u64) as usize].into(),
                    attrs,
                });
            }
            let links = (0..g.next(4))
                .map(|_| crate::verdict::Link {
                    href: "https://t.me/abc".into(),
                    text: "x".into(),
                    node: Some(g.next(n as u64 + 3) as u32),
                })
                .collect();
            let input = PageInput {
                text: text.clone(),
                links,
                outline: Some(Outline { host: Some("t.example".into()), path: None, nodes }),
                ..Default::default()
            };
            let Ok(r) = c.read_page(&input) else { continue };
            read += 1;
            let units: Vec<u16> = text.encode_utf16().collect();
            let on_boundary = |u: u32| {
                let u = u as usize;
                u == units.len() || (u < units.len() && !(0xDC00..0xE000).contains(&units[u]))
            };
            let verdicts = r.posting.iter().map(|p| &p.verdict).chain(r.cards.iter().map(|c| &c.verdict));
            for v in verdicts {
                for m in &v.matches {
                    assert!(m.start < m.end && m.end as usize <= units.len(), "round {round}: {m:?}");
                    assert!(on_boundary(m.start) && on_boundary(m.end), "round {round}: {m:?}");
                }
            }
        }
        assert!(read >= 150, "only {read} of 300 outlines were well formed enough to read");
    }

    #[test]
    fn sub_text_offsets_map_back_and_stop_at_seams() {
        let text = "aaa 텔레그램 bbb ccc";
        let o = Outline {
            nodes: vec![Node { parent: -1, tag: "body".into(), start: 0, end: 17, ..Default::default() }],
            ..Default::default()
        };
        let t = Tree::new(&o, text).unwrap();
        let sub = SubText::new(&t, &[(4, 8), (13, 17)]);
        assert_eq!(sub.text, "텔레그램\nccc");
        let m = |s, e| Match { rule: "r".into(), category: "c".into(), start: s, end: e };
        let mut ms = vec![m(0, 4), m(5, 8), m(2, 7), m(4, 5)];
        sub.map_matches(&mut ms);
        assert_eq!(ms, vec![m(4, 8), m(13, 16), m(6, 8)]);
    }
}
