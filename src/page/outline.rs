//! The page outline: the elements that carry the page's visible text, as the content script (live DOM) or
//! the CLI (saved HTML) sends them, and its checked, indexed form ([`Tree`]) that the finders walk.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Most nodes read; the rest are dropped.
pub const MAX_NODES: usize = 100_000;
/// Most UTF-16 units of text read; ranges past it are clipped.
pub const MAX_TEXT_UNITS: usize = 1_000_000;

/// The outline of a page (`PageInput::outline`): where it is, and its elements in document order.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Outline {
    /// `location.hostname` (site adapters are chosen by it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `location.pathname`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Elements in document (pre-)order; a parent always comes before its children.
    #[serde(default)]
    pub nodes: Vec<Node>,
}

/// One element of the outline. In JSON a compact array: `[parent, tag, start, end, id, class, attrs]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// Index of the nearest included ancestor, `-1` for a root.
    pub parent: i64,
    /// Tag name, lower case.
    pub tag: String,
    /// Start of the element's text in `PageInput::text` (UTF-16 units).
    pub start: u32,
    /// End (exclusive) of the element's text.
    pub end: u32,
    /// The `id` attribute (`""` when absent).
    pub id: String,
    /// The `class` attribute (`""` when absent).
    pub class: String,
    /// The few other attributes the outline keeps (`role`, `itemprop`, `href`, `data-*` ids ...).
    pub attrs: BTreeMap<String, String>,
}

impl Node {
    /// An attribute by name; `id` and `class` included.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match name {
            "id" => Some(self.id.as_str()).filter(|s| !s.is_empty()),
            "class" => Some(self.class.as_str()).filter(|s| !s.is_empty()),
            _ => self.attrs.get(name).map(String::as_str),
        }
    }

    /// The ARIA role, lower case, if any.
    pub fn role(&self) -> Option<&str> {
        self.attrs.get("role").map(|r| r.trim())
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(7)?;
        t.serialize_element(&self.parent)?;
        t.serialize_element(&self.tag)?;
        t.serialize_element(&self.start)?;
        t.serialize_element(&self.end)?;
        t.serialize_element(&self.id)?;
        t.serialize_element(&self.class)?;
        t.serialize_element(&self.attrs)?;
        t.end()
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an outline node [parent, tag, start, end, id, class, attrs?]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let missing = |i: usize| de::Error::invalid_length(i, &"6 or 7 elements");
                let parent: i64 = seq.next_element()?.ok_or_else(|| missing(0))?;
                let tag: String = seq.next_element()?.ok_or_else(|| missing(1))?;
                let start: u32 = seq.next_element()?.ok_or_else(|| missing(2))?;
                let end: u32 = seq.next_element()?.ok_or_else(|| missing(3))?;
                let id: Option<String> = seq.next_element()?.ok_or_else(|| missing(4))?;
                let class: Option<String> = seq.next_element()?.ok_or_else(|| missing(5))?;
                let attrs: Option<BTreeMap<String, String>> = seq.next_element()?.unwrap_or_default();
                // Anything after the seventh element is ignored (room for later additions).
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Node {
                    parent,
                    tag: tag.to_ascii_lowercase(),
                    start,
                    end,
                    id: id.unwrap_or_default(),
                    class: class.unwrap_or_default(),
                    attrs: attrs.unwrap_or_default(),
                })
            }
        }
        d.deserialize_seq(V)
    }
}

/// Why an outline was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum OutlineError {
    /// A node's parent is not an earlier node still open at that point (the outline must be in document
    /// order: a node's parent is the node before it or one of that node's ancestors).
    #[error("outline node {node}: parent {parent} is not an earlier, enclosing node (nodes go in document order)")]
    BadParent {
        /// Index of the node.
        node: usize,
        /// Its parent as given.
        parent: i64,
    },
    /// A node's text range is reversed.
    #[error("outline node {node}: start {start} is after end {end}")]
    BadRange {
        /// Index of the node.
        node: usize,
        /// Start as given.
        start: u32,
        /// End as given.
        end: u32,
    },
}

/// The page text with UTF-16 offsets mapped to bytes, and a count of visible (non-space) characters, so
/// that lengths are measured without the white space of the page's source.
#[derive(Debug)]
pub struct TextIndex<'a> {
    /// The text.
    pub text: &'a str,
    /// Byte offset of every UTF-16 offset (the second half of a surrogate pair maps to its character's start).
    byte: Vec<u32>,
    /// Non-white-space characters before every UTF-16 offset.
    solid: Vec<u32>,
}

impl<'a> TextIndex<'a> {
    /// Indexes `text` (at most [`MAX_TEXT_UNITS`] units are addressable; the rest is cut off).
    pub fn new(text: &'a str) -> TextIndex<'a> {
        let mut byte = Vec::with_capacity(text.len().min(MAX_TEXT_UNITS) + 1);
        let mut solid = Vec::with_capacity(byte.capacity());
        let mut n = 0u32;
        let mut cut = text.len();
        for (b, c) in text.char_indices() {
            if byte.len() + c.len_utf16() > MAX_TEXT_UNITS {
                cut = b;
                break;
            }
            for _ in 0..c.len_utf16() {
                byte.push(b as u32);
                solid.push(n);
            }
            if !c.is_whitespace() {
                n += 1;
            }
        }
        byte.push(cut as u32);
        solid.push(n);
        TextIndex { text: &text[..cut], byte, solid }
    }

    /// Length of the text in UTF-16 units.
    pub fn len16(&self) -> u32 {
        (self.byte.len() - 1) as u32
    }

    /// Byte offset of a UTF-16 offset (clipped to the text).
    pub fn byte_at(&self, u: u32) -> usize {
        self.byte[(u as usize).min(self.byte.len() - 1)] as usize
    }

    /// The text of a UTF-16 range.
    pub fn slice(&self, start: u32, end: u32) -> &'a str {
        let (a, b) = (self.byte_at(start), self.byte_at(end));
        &self.text[a..b.max(a)]
    }

    /// Visible (non-space) characters in a UTF-16 range.
    pub fn solid(&self, start: u32, end: u32) -> u32 {
        let at = |u: u32| self.solid[(u as usize).min(self.solid.len() - 1)];
        at(end).saturating_sub(at(start))
    }

    /// UTF-16 offset of a byte offset (on a character boundary) of the text.
    pub fn unit_of_byte(&self, b: usize) -> u32 {
        self.byte.partition_point(|&x| (x as usize) < b) as u32
    }
}

/// A checked outline: nodes clipped to the text and the limits, with children lists and per-node sums.
#[derive(Debug)]
pub struct Tree<'a> {
    /// The nodes (at most [`MAX_NODES`]); ranges clipped to the text and to their parent's.
    pub nodes: &'a [Node],
    /// Clipped ranges, per node.
    pub range: Vec<(u32, u32)>,
    /// Parent per node (`None` for roots).
    pub parent: Vec<Option<usize>>,
    /// Children per node, in order.
    pub children: Vec<Vec<usize>>,
    /// Roots, in order.
    pub roots: Vec<usize>,
    /// Visible characters inside `a` elements, per node.
    pub link_solid: Vec<u32>,
    /// One past the last node of each node's subtree (pre-order: a subtree is a run of indices).
    end: Vec<usize>,
    /// The page text.
    pub text: TextIndex<'a>,
}

impl<'a> Tree<'a> {
    /// Checks and indexes an outline over its page text. A node past [`MAX_NODES`] is dropped; a range past
    /// the text is clipped; a parent that is not an earlier node or a reversed range is an error.
    pub fn new(outline: &'a Outline, text: &'a str) -> Result<Tree<'a>, OutlineError> {
        let text = TextIndex::new(text);
        let nodes = &outline.nodes[..outline.nodes.len().min(MAX_NODES)];
        let n = nodes.len();
        let len = text.len16();
        let mut range = Vec::with_capacity(n);
        let mut parent = Vec::with_capacity(n);
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            if node.start > node.end {
                return Err(OutlineError::BadRange { node: i, start: node.start, end: node.end });
            }
            let p = match node.parent {
                -1 => None,
                p if p >= 0 && (p as usize) < i => Some(p as usize),
                p => return Err(OutlineError::BadParent { node: i, parent: p }),
            };
            // Pre-order: the parent is the previous node or one of its ancestors.
            while open.last().is_some_and(|&o| Some(o) != p) {
                open.pop();
            }
            if p.is_some() && open.is_empty() {
                return Err(OutlineError::BadParent { node: i, parent: node.parent });
            }
            open.push(i);
            let (mut s, mut e) = (node.start.min(len), node.end.min(len));
            match p {
                Some(p) => {
                    let (ps, pe) = range[p];
                    s = s.clamp(ps, pe);
                    e = e.clamp(s, pe);
                    children[p].push(i);
                }
                None => roots.push(i),
            }
            range.push((s, e));
            parent.push(p);
        }
        let mut link_solid = vec![0u32; n];
        for i in (0..n).rev() {
            if nodes[i].tag == "a" {
                link_solid[i] = text.solid(range[i].0, range[i].1);
            }
            if let Some(p) = parent[i] {
                if nodes[p].tag != "a" {
                    link_solid[p] += link_solid[i];
                }
            }
        }
        let mut end: Vec<usize> = (1..=n).collect();
        for i in (0..n).rev() {
            if let Some(p) = parent[i] {
                end[p] = end[p].max(end[i]);
            }
        }
        Ok(Tree { nodes, range, parent, children, roots, link_solid, end, text })
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Visible characters of a node.
    pub fn solid(&self, i: usize) -> u32 {
        let (s, e) = self.range[i];
        self.text.solid(s, e)
    }

    /// Whether `a` is `d` or one of its ancestors.
    pub fn contains(&self, a: usize, d: usize) -> bool {
        a <= d && d < self.end[a]
    }

    /// The node and every node below it, in document order.
    pub fn subtree(&self, i: usize) -> std::ops::Range<usize> {
        i..self.end[i]
    }

    /// One past the last node of `i`'s subtree.
    pub fn subtree_end(&self, i: usize) -> usize {
        self.end[i]
    }

    /// The deepest node whose range covers `[start, end)`.
    pub fn smallest_covering(&self, start: u32, end: u32) -> Option<usize> {
        let covers = |i: usize| self.range[i].0 <= start && end <= self.range[i].1;
        let mut cur = self.roots.iter().copied().find(|&r| covers(r))?;
        while let Some(&c) = self.children[cur].iter().find(|&&c| covers(c)) {
            cur = c;
        }
        Some(cur)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(json: &str) -> Outline {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn nodes_read_from_compact_arrays_with_or_without_attrs() {
        let o = outline(
            r#"{"host":"x.com","nodes":[[-1,"BODY",0,10,"","",{}],[0,"a",0,3,"l","btn",{"href":"/j/1"}],
               [0,"p",4,10,null,null]]}"#,
        );
        assert_eq!(o.nodes.len(), 3);
        assert_eq!(o.nodes[0].tag, "body");
        assert_eq!(o.nodes[1].attr("href"), Some("/j/1"));
        assert_eq!(o.nodes[1].attr("class"), Some("btn"));
        assert_eq!(o.nodes[2].id, "");
        let back: Outline = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
        assert!(serde_json::from_str::<Outline>(r#"{"nodes":[[-1,"body",0]]}"#).is_err());
    }

    #[test]
    fn bad_parents_and_reversed_ranges_are_errors_and_ranges_are_clipped() {
        let text = "hello world";
        let o = outline(r#"{"nodes":[[-1,"body",0,999,"","",{}],[0,"p",6,50,"","",{}],[1,"b",0,4,"","",{}]]}"#);
        let t = Tree::new(&o, text).unwrap();
        assert_eq!(t.range[0], (0, 11));
        assert_eq!(t.range[1], (6, 11));
        assert_eq!(t.range[2], (6, 6), "a child is clipped to its parent");
        let o = outline(r#"{"nodes":[[-1,"body",0,5,"","",{}],[3,"p",0,5,"","",{}]]}"#);
        assert_eq!(Tree::new(&o, text).unwrap_err(), OutlineError::BadParent { node: 1, parent: 3 });
        let o = outline(
            r#"{"nodes":[[-1,"body",0,5,"","",{}],[0,"p",0,2,"","",{}],[0,"p",2,4,"","",{}],[1,"b",0,1,"","",{}]]}"#,
        );
        assert_eq!(
            Tree::new(&o, text).unwrap_err(),
            OutlineError::BadParent { node: 3, parent: 1 },
            "not in document order"
        );
        let o = outline(r#"{"nodes":[[1,"body",0,5,"","",{}]]}"#);
        assert!(matches!(Tree::new(&o, text), Err(OutlineError::BadParent { .. })));
        let o = outline(r#"{"nodes":[[-1,"body",5,2,"","",{}]]}"#);
        assert!(matches!(Tree::new(&o, text), Err(OutlineError::BadRange { .. })));
    }

    #[test]
    fn too_many_nodes_are_cut() {
        let mut o = Outline::default();
        o.nodes.push(Node { parent: -1, tag: "body".into(), start: 0, end: 1, ..Default::default() });
        for _ in 0..MAX_NODES + 5 {
            o.nodes.push(Node { parent: 0, tag: "p".into(), start: 0, end: 1, ..Default::default() });
        }
        let t = Tree::new(&o, "x").unwrap();
        assert_eq!(t.len(), MAX_NODES);
    }

    #[test]
    fn utf16_offsets_map_to_bytes_and_solid_counts_skip_spaces() {
        let ix = TextIndex::new("가 😀b\n c");
        assert_eq!(ix.len16(), 8);
        assert_eq!(ix.slice(2, 4), "😀");
        assert_eq!(ix.slice(3, 5), "😀b", "a cut inside a surrogate pair moves to the character's start");
        assert_eq!(ix.solid(0, 8), 4);
        assert_eq!(ix.unit_of_byte("가 😀".len()), 4);
    }

    #[test]
    fn tree_sums_links_and_finds_covering_nodes() {
        let text = "menu\nTitle here\nbody text";
        let o = outline(
            r#"{"nodes":[[-1,"body",0,25,"","",{}],[0,"nav",0,4,"","",{}],[1,"a",0,4,"","",{}],
               [0,"div",5,25,"","",{}],[3,"h1",5,15,"","",{}],[3,"p",16,25,"","",{}]]}"#,
        );
        let t = Tree::new(&o, text).unwrap();
        assert_eq!(t.link_solid[0], 4);
        assert_eq!(t.smallest_covering(6, 9), Some(4));
        assert_eq!(t.smallest_covering(6, 20), Some(3));
        assert_eq!(t.subtree(3).collect::<Vec<_>>(), vec![3, 4, 5]);
        assert!(t.contains(0, 5) && !t.contains(1, 5));
    }
}
