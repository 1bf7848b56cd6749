//! The main content of a page that declares nothing: Readability's scoring (Mozilla's `Readability.js`),
//! ported to run over the outline. Paragraph-like blocks score by their length and commas; the score flows to
//! their parent (whole), grandparent (half) and further ancestors (less); ids and classes that say content or
//! furniture weigh in; link-heavy blocks lose. The best-scoring block, with its good siblings, is the posting.
//!
//! Why not `@mozilla/readability` itself: it needs a live DOM (it clones and rewrites the document), so it
//! cannot run in the CLI (no DOM there) nor on the outline the content script sends, and running it in the
//! browser while the CLI did something else would be two implementations that drift. The port keeps its
//! weights and rules over the data both sides share.

use super::boilerplate::{words, Mass};
use super::outline::Tree;

/// Tags whose text is scored as paragraphs (Readability's `DEFAULT_TAGS_TO_SCORE`).
const SCORED: &[&str] = &["section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"];
/// Blocks a `div` without block children is read as (Readability turns those into paragraphs).
const LEAFY: &[&str] = &["div", "article", "dd", "li", "span", "font", "blockquote"];
/// Fewest visible characters of a scored paragraph.
const MIN_PARAGRAPH: u32 = 20;
/// Ancestors a paragraph's score flows to.
const ANCESTORS: usize = 5;

/// Class and id words that say content (Readability's `positive`, plus the words job boards use).
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "main",
    "page",
    "post",
    "text",
    "blog",
    "story",
    "description",
    "desc",
    "detail",
    "details",
    "job",
    "jd",
    "posting",
    "vacancy",
    "recruit",
];
/// Class and id words that say furniture (Readability's `negative`).
const NEGATIVE: &[&str] = &[
    "hidden",
    "banner",
    "combx",
    "comment",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "ad",
    "list",
    "card",
    "item",
];

/// Readability's class weight: +25 per name (class, id) that says content, -25 per one that says furniture.
fn class_weight(tree: &Tree, i: usize) -> f64 {
    let n = &tree.nodes[i];
    let mut w = 0.0;
    for name in [&n.class, &n.id] {
        let ws: Vec<String> = words(name).collect();
        if ws.iter().any(|w| NEGATIVE.contains(&w.as_str())) {
            w -= 25.0;
        }
        if ws.iter().any(|w| POSITIVE.contains(&w.as_str())) {
            w += 25.0;
        }
    }
    w
}

/// Readability's starting score of a candidate, by tag.
fn tag_weight(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

fn is_paragraph(tree: &Tree, i: usize) -> bool {
    let tag = tree.nodes[i].tag.as_str();
    SCORED.contains(&tag)
        || (LEAFY.contains(&tag)
            && tree.children[i].iter().all(|&c| tree.nodes[c].tag == "a" || tree.nodes[c].tag == "br"))
}

fn commas(s: &str) -> usize {
    s.chars().filter(|c| matches!(c, ',' | '，' | '、' | '،' | '﹐' | '､')).count()
}

/// The main content found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The best candidate.
    pub best: usize,
    /// It and the siblings that go with it, in page order.
    pub parts: Vec<usize>,
    /// Its score (Readability's, link density applied).
    pub score: f64,
    /// Visible characters of the parts.
    pub chars: u32,
}

/// The main content: the best candidate and the siblings that go with it, in page order. `skip` marks nodes
/// that are not read (dropped parts, and the cards when the caller weighs them separately).
pub fn find(tree: &Tree, mass: &Mass, skip: &[bool]) -> Option<Found> {
    let n = tree.len();
    let mut score: Vec<Option<f64>> = vec![None; n];
    for i in 0..n {
        if skip[i] || !is_paragraph(tree, i) {
            continue;
        }
        let len = mass.content[i];
        if len < MIN_PARAGRAPH {
            continue;
        }
        let (s, e) = tree.range[i];
        let points = 1.0 + commas(tree.text.slice(s, e)).min(50) as f64 + f64::from((len / 100).min(3));
        let mut a = tree.parent[i];
        let mut level = 0usize;
        while let Some(p) = a {
            if level >= ANCESTORS || skip[p] {
                break;
            }
            let sc = score[p].get_or_insert_with(|| tag_weight(&tree.nodes[p].tag) + class_weight(tree, p));
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            *sc += points / divider;
            level += 1;
            a = tree.parent[p];
        }
    }
    let final_score = |i: usize| score[i].map(|s| s * (1.0 - mass.link_density(i)));
    let mut top = (0..n).filter_map(|i| final_score(i).map(|s| (i, s))).max_by(|a, b| a.1.total_cmp(&b.1))?;
    // A candidate that is its parent's only real content stands for its parent (Readability climbs the same
    // way), so headings and pay lines next to the description come along.
    while let Some(p) = tree.parent[top.0] {
        if skip[p] || mass.content[p] > mass.content[top.0] + mass.content[top.0] / 5 {
            break;
        }
        top = (p, final_score(p).unwrap_or(top.1));
    }
    let (best, best_score) = top;
    let mut parts = vec![best];
    if let Some(p) = tree.parent[best] {
        let threshold = (best_score * 0.2).max(10.0);
        let class = &tree.nodes[best].class;
        for &s in &tree.children[p] {
            if s == best || skip[s] {
                continue;
            }
            let bonus = if !class.is_empty() && tree.nodes[s].class == *class { best_score * 0.2 } else { 0.0 };
            let good = final_score(s).is_some_and(|sc| sc + bonus >= threshold)
                || (tree.nodes[s].tag == "p" && mass.content[s] > 80 && mass.link_density(s) < 0.25);
            if good {
                parts.push(s);
            }
        }
    }
    crate::sort::sort(&mut parts);
    let chars = parts.iter().map(|&p| mass.content[p]).sum();
    Some(Found { best, parts, score: best_score, chars })
}

#[cfg(test)]
mod tests {
    use super::super::boilerplate::dropped;
    use super::super::cards::tests::build;
    use super::*;

    #[test]
    fn the_long_comma_rich_block_wins_over_link_lists() {
        let long = "We are hiring a warehouse assistant, full time, in Incheon. You will sort parcels, check \
                    labels, and keep the floor tidy. Pay follows the collective agreement, with overtime paid.";
        let rows = vec![
            (0, "body", "", "", ""),
            (1, "div", "links", "", ""),
            (2, "a", "", "Home", "/"),
            (2, "a", "", "Search jobs in every city of the country", "/s"),
            (2, "a", "", "Companies hiring now, sorted by size", "/c"),
            (1, "div", "job-description", "", ""),
            (2, "h1", "", "Warehouse assistant", ""),
            (2, "p", "", long, ""),
            (2, "p", "", long, ""),
            (1, "div", "sidebar", "", ""),
            (2, "p", "", "Short note, about cookies, and more", ""),
        ];
        let (o, text) = build(&rows);
        let t = Tree::new(&o, &text).unwrap();
        let d = dropped(&t, &[], &[]);
        let m = Mass::new(&t, &d);
        let f = find(&t, &m, &d).unwrap();
        assert_eq!(t.nodes[f.best].class, "job-description");
        assert_eq!(f.parts, vec![f.best]);
    }
}
