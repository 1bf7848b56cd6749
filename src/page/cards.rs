//! Repeated cards: the result list of a search page, a board's front page or a feed. Siblings of one tag and
//! class signature, each with a link and some text, three or more of them, that together hold most of the
//! page's main content make a list; each card is then scored on its own.

use std::collections::HashMap;

use super::boilerplate::Mass;
use super::outline::Tree;

/// Fewest cards that make a list.
pub const MIN_CARDS: usize = 3;
/// Fewest visible characters a card has.
const MIN_CARD_CHARS: u32 = 15;
/// Class words that say a sibling's state, not its kind (`li.item.active`).
const STATE_WORDS: &[&str] =
    &["active", "on", "selected", "first", "last", "odd", "even", "new", "hot", "top", "premium", "highlight"];

/// A group of sibling cards.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Their common parent.
    pub parent: usize,
    /// The cards, in order.
    pub cards: Vec<usize>,
    /// Their visible characters together.
    pub chars: u32,
}

/// The signature siblings of one kind share: the tag and the class words that carry no number or state.
fn signature(tree: &Tree, i: usize) -> String {
    let n = &tree.nodes[i];
    let mut words: Vec<&str> = n
        .class
        .split_ascii_whitespace()
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()) && !STATE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    crate::sort::sort(&mut words);
    words.dedup();
    format!("{}.{}", n.tag, words.join("."))
}

/// Lines of visible text in a node (text of different blocks is separated by a line break).
fn lines(tree: &Tree, i: usize, max: usize) -> usize {
    let (s, e) = tree.range[i];
    tree.text.slice(s, e).split('\n').filter(|l| !l.trim().is_empty()).take(max).count()
}

/// Whether a node looks like one card: a link, enough text, and more than a bare link (some text besides
/// the link, or several lines).
pub fn is_card(tree: &Tree, mass: &Mass, dropped: &[bool], i: usize) -> bool {
    let c = mass.content[i];
    if dropped[i] || !mass.has_link[i] || c < MIN_CARD_CHARS {
        return false;
    }
    if mass.link_density(i) < 0.8 {
        return true;
    }
    // Nearly all link text: a card that is one big link (title, company and pay inside one `a`) has several
    // lines and one or two links; a box of keyword links ("jobs in Hanoi", "part-time jobs" ...) has many.
    let links = tree.subtree(i).filter(|&d| !dropped[d] && tree.nodes[d].tag == "a").take(3).count();
    links <= 2 && lines(tree, i, 2) >= 2
}

/// Every group of three or more sibling cards, outermost containers of other lists left out.
pub fn groups(tree: &Tree, mass: &Mass, dropped: &[bool]) -> Vec<Group> {
    let mut all = Vec::new();
    for p in 0..tree.len() {
        let kids = &tree.children[p];
        if dropped[p] || kids.len() < MIN_CARDS {
            continue;
        }
        let mut by_sig: HashMap<String, Vec<usize>> = HashMap::new();
        let mut order = Vec::new();
        for &k in kids {
            if is_card(tree, mass, dropped, k) {
                let sig = signature(tree, k);
                let e = by_sig.entry(sig.clone()).or_default();
                if e.is_empty() {
                    order.push(sig);
                }
                e.push(k);
            }
        }
        for sig in order {
            let mut cards = by_sig.remove(&sig).unwrap_or_default();
            // Cards of a list are alike in size; a member many times the median is a column of the layout
            // (the main column beside a sidebar and a footer column), not a card.
            let mut sizes: Vec<u32> = cards.iter().map(|&c| mass.content[c]).collect();
            crate::sort::sort(&mut sizes);
            let median = sizes[sizes.len() / 2];
            cards.retain(|&c| mass.content[c] <= median.saturating_mul(5));
            if cards.len() >= MIN_CARDS {
                let chars = cards.iter().map(|&c| mass.content[c]).sum();
                all.push(Group { parent: p, cards, chars });
            }
        }
    }
    // A group whose cards mostly hold other lists (rows of a grid, sections of dates) is their container:
    // the inner cards are the cards.
    let inner_chars: Vec<u32> = all
        .iter()
        .map(|g| {
            all.iter()
                .filter(|h| h.parent != g.parent && g.cards.iter().any(|&c| tree.contains(c, h.parent)))
                .map(|h| h.chars)
                .sum()
        })
        .collect();
    let mut kept: Vec<Group> =
        all.into_iter().zip(inner_chars).filter(|(g, inner)| *inner * 10 < g.chars * 7).map(|(g, _)| g).collect();
    // Of nested groups left, the larger wins.
    crate::sort::sort_by(&mut kept, |a, b| b.chars.cmp(&a.chars).then(a.parent.cmp(&b.parent)));
    let mut out: Vec<Group> = Vec::new();
    for g in kept {
        let nested = out.iter().any(|h| {
            h.cards.iter().any(|&c| tree.contains(c, g.parent)) || g.cards.iter().any(|&c| tree.contains(c, h.parent))
        });
        if !nested {
            out.push(g);
        }
    }
    crate::sort::sort_by_key(&mut out, |g| g.cards[0]);
    out
}

/// The cards of every group, in page order.
pub fn cards_of(groups: &[Group]) -> Vec<usize> {
    let mut v: Vec<usize> = groups.iter().flat_map(|g| g.cards.iter().copied()).collect();
    crate::sort::sort(&mut v);
    v
}

/// The matches of adapter selectors, inner matches of an outer card left out.
pub fn outermost(tree: &Tree, mut nodes: Vec<usize>, dropped: &[bool]) -> Vec<usize> {
    crate::sort::sort(&mut nodes);
    nodes.dedup();
    let mut out: Vec<usize> = Vec::new();
    for n in nodes {
        if dropped[n] {
            continue;
        }
        if out.last().is_some_and(|&l| tree.contains(l, n)) {
            continue;
        }
        out.push(n);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::boilerplate::dropped;
    use super::super::outline::{Node, Outline};
    use super::*;

    /// Builds an outline from (depth, tag, class, text, href) rows; text is laid out in order.
    pub(crate) fn build(rows: &[(usize, &str, &str, &str, &str)]) -> (Outline, String) {
        let mut text = String::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for (i, &(depth, tag, class, t, href)) in rows.iter().enumerate() {
            while stack.len() > depth {
                let j = stack.pop().unwrap();
                nodes[j].end = text.encode_utf16().count() as u32;
            }
            if !t.is_empty() && !text.is_empty() {
                text.push('\n');
            }
            let start = text.encode_utf16().count() as u32;
            text.push_str(t);
            let mut attrs = std::collections::BTreeMap::new();
            if !href.is_empty() {
                attrs.insert("href".to_string(), href.to_string());
            }
            nodes.push(Node {
                parent: stack.last().map_or(-1, |&p| p as i64),
                tag: tag.into(),
                start,
                end: 0,
                id: String::new(),
                class: class.into(),
                attrs,
            });
            stack.push(i);
        }
        let len = text.encode_utf16().count() as u32;
        for j in stack {
            nodes[j].end = len;
        }
        (Outline { nodes, ..Default::default() }, text)
    }

    #[test]
    fn finds_repeated_cards_and_skips_menus_and_pagers() {
        let mut rows = vec![(0, "body", "", "", ""), (1, "ul", "top-links", "", "")];
        for m in ["Home", "Jobs", "Companies", "Salaries"] {
            rows.push((2, "li", "", "", ""));
            rows.push((3, "a", "", m, "/x"));
        }
        rows.push((1, "div", "results", "", ""));
        for i in 0..5 {
            rows.push((2, "div", if i == 2 { "card active" } else { "card" }, "", ""));
            rows.push((3, "a", "title", "Warehouse picker, day shift", "/job/1"));
            rows.push((3, "div", "meta", "Acme Logistics · Busan · 2,800,000 KRW", ""));
        }
        rows.push((1, "div", "pager", "", ""));
        for p in ["1", "2", "3", "4"] {
            rows.push((2, "a", "", p, "/p"));
        }
        let (o, text) = build(&rows);
        let t = Tree::new(&o, &text).unwrap();
        let d = dropped(&t, &[], &[]);
        let m = Mass::new(&t, &d);
        let g = groups(&t, &m, &d);
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[0].cards.len(), 5);
        assert_eq!(t.nodes[g[0].parent].class, "results");
    }

    #[test]
    fn columns_of_a_layout_are_not_cards() {
        let long = "A long job description, with duties, requirements, benefits and how to apply. ".repeat(20);
        let rows = vec![
            (0, "body", "", "", ""),
            (1, "div", "x1", "", ""),
            (2, "div", "col", "", ""),
            (3, "a", "", "Company page", "/c"),
            (3, "p", "", long.as_str(), ""),
            (2, "div", "col", "", ""),
            (3, "a", "", "Try premium", "/p"),
            (3, "p", "", "See who viewed your profile", ""),
            (2, "div", "col", "", ""),
            (3, "a", "", "Help", "/h"),
            (3, "p", "", "Questions? Visit our help centre", ""),
        ];
        let (o, text) = build(&rows);
        let t = Tree::new(&o, &text).unwrap();
        let d = dropped(&t, &[], &[]);
        let m = Mass::new(&t, &d);
        assert!(groups(&t, &m, &d).is_empty());
    }

    #[test]
    fn boxes_of_keyword_links_are_not_cards() {
        let mut rows = vec![(0, "body", "", "", ""), (1, "div", "seo", "", "")];
        for topic in ["Jobs by city", "Jobs by field", "Jobs by type"] {
            rows.push((2, "div", "box", "", ""));
            rows.push((3, "h4", "", topic, ""));
            for k in ["work from home jobs", "online part-time jobs", "jobs in Hanoi", "jobs in Da Nang"] {
                rows.push((3, "a", "", k, "/k"));
            }
        }
        let (o, text) = build(&rows);
        let t = Tree::new(&o, &text).unwrap();
        let d = dropped(&t, &[], &[]);
        let m = Mass::new(&t, &d);
        assert!(groups(&t, &m, &d).is_empty());
    }

    #[test]
    fn rows_of_a_grid_give_way_to_their_cards() {
        let mut rows = vec![(0, "body", "", "", ""), (1, "div", "grid", "", "")];
        for _ in 0..3 {
            rows.push((2, "div", "row", "", ""));
            for _ in 0..3 {
                rows.push((3, "div", "job", "", ""));
                rows.push((4, "a", "", "Line cook wanted", "/j"));
                rows.push((4, "p", "", "Seoul, full time, from 3,000,000 won", ""));
            }
        }
        let (o, text) = build(&rows);
        let t = Tree::new(&o, &text).unwrap();
        let d = dropped(&t, &[], &[]);
        let m = Mass::new(&t, &d);
        let g = groups(&t, &m, &d);
        assert_eq!(g.len(), 3);
        assert!(g.iter().all(|g| g.cards.len() == 3 && t.nodes[g.cards[0]].class == "job"));
        assert_eq!(cards_of(&g).len(), 9);
    }
}
