//! The CSS subset site adapters are written in, parsed once when a pack is compiled and matched against
//! outline nodes: `tag`, `*`, `#id`, `.class`, `[attr]`, `[attr=v]`, `[attr^=v]`, `[attr$=v]`, `[attr*=v]`,
//! `[attr~=v]`, descendant (` `) and child (`>`) combinators, comma lists.

use super::outline::{Node, Tree};

/// Why a selector was refused.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[error("selector '{selector}': {message}")]
pub struct SelectorError {
    /// The selector as written.
    pub selector: String,
    /// What is outside the supported subset.
    pub message: String,
}

/// How an attribute's value is compared.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Exists,
    Equals,
    Prefix,
    Suffix,
    Substring,
    Word,
}

/// One simple test of a compound selector.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    Tag(String),
    Id(String),
    Class(String),
    Attr(String, Op, String),
}

/// Tests that all hold for one element (`div.card[data-id]`).
#[derive(Debug, Clone, PartialEq, Default)]
struct Compound(Vec<Test>);

/// How a compound relates to the one on its right.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Comb {
    Descendant,
    Child,
}

/// One complex selector: compounds from left to right, each with the combinator that joins it to the next.
#[derive(Debug, Clone, PartialEq)]
struct Complex {
    parts: Vec<(Compound, Comb)>,
}

/// A parsed comma list of selectors.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectorList {
    source: String,
    list: Vec<Complex>,
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c as u32 >= 0x80
}

impl SelectorList {
    /// Parses a selector list; anything outside the subset is an error naming what.
    pub fn parse(src: &str) -> Result<SelectorList, SelectorError> {
        let err = |m: String| SelectorError { selector: src.to_string(), message: m };
        let mut list = Vec::new();
        for part in split_commas(src) {
            let part = part.trim();
            if part.is_empty() {
                return Err(err("empty selector in the list".into()));
            }
            list.push(parse_complex(part).map_err(err)?);
        }
        if list.is_empty() {
            return Err(err("empty selector".into()));
        }
        Ok(SelectorList { source: src.to_string(), list })
    }

    /// The selector as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether node `i` of the tree matches.
    pub fn matches(&self, tree: &Tree, i: usize) -> bool {
        self.list.iter().any(|c| c.matches(tree, i))
    }

    /// Every matching node, in document order.
    pub fn select(&self, tree: &Tree) -> Vec<usize> {
        (0..tree.len()).filter(|&i| self.matches(tree, i)).collect()
    }
}

/// Splits on commas outside quotes and brackets.
fn split_commas(s: &str) -> Vec<&str> {
    let (mut out, mut depth, mut quote, mut start) = (Vec::new(), 0i32, None, 0);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_complex(s: &str) -> Result<Complex, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut parts: Vec<(Compound, Comb)> = Vec::new();
    let mut pending: Option<Comb> = None;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            if !parts.is_empty() && pending.is_none() {
                pending = Some(Comb::Descendant);
            }
            i += 1;
            continue;
        }
        if c == '>' {
            if parts.is_empty() || pending == Some(Comb::Child) {
                return Err("'>' needs a selector on each side".into());
            }
            pending = Some(Comb::Child);
            i += 1;
            continue;
        }
        if matches!(c, '+' | '~') {
            return Err(format!("the '{c}' combinator is not supported"));
        }
        let (compound, next) = parse_compound(&chars, i)?;
        if let Some(comb) = pending.take() {
            parts.last_mut().expect("a combinator follows a compound").1 = comb;
        } else if !parts.is_empty() {
            return Err("two selectors without a combinator".into());
        }
        parts.push((compound, Comb::Descendant));
        i = next;
    }
    if pending == Some(Comb::Child) || parts.is_empty() {
        return Err("a combinator at the end".into());
    }
    Ok(Complex { parts })
}

fn ident(chars: &[char], mut i: usize) -> (String, usize) {
    let mut s = String::new();
    while i < chars.len() && (is_ident(chars[i]) || chars[i] == '\\') {
        if chars[i] == '\\' && i + 1 < chars.len() {
            i += 1;
        }
        s.push(chars[i]);
        i += 1;
    }
    (s, i)
}

fn parse_compound(chars: &[char], mut i: usize) -> Result<(Compound, usize), String> {
    let mut tests = Vec::new();
    let start = i;
    while i < chars.len() {
        match chars[i] {
            '*' if i == start => i += 1,
            '#' | '.' => {
                let (name, next) = ident(chars, i + 1);
                if name.is_empty() {
                    return Err(format!("'{}' without a name", chars[i]));
                }
                tests.push(if chars[i] == '#' { Test::Id(name) } else { Test::Class(name) });
                i = next;
            }
            '[' => {
                let (t, next) = parse_attr(chars, i + 1)?;
                tests.push(t);
                i = next;
            }
            ':' => return Err("pseudo-classes are not supported".into()),
            c if is_ident(c) && i == start => {
                let (name, next) = ident(chars, i);
                tests.push(Test::Tag(name.to_ascii_lowercase()));
                i = next;
            }
            c if c.is_whitespace() || c == '>' || c == '+' || c == '~' => break,
            c => return Err(format!("unexpected '{c}'")),
        }
    }
    Ok((Compound(tests), i))
}

fn parse_attr(chars: &[char], mut i: usize) -> Result<(Test, usize), String> {
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let (name, next) = ident(chars, i);
    if name.is_empty() {
        return Err("attribute selector without a name".into());
    }
    let name = name.to_ascii_lowercase();
    i = next;
    skip_ws(&mut i);
    let op = match chars.get(i) {
        Some(']') => return Ok((Test::Attr(name, Op::Exists, String::new()), i + 1)),
        Some('=') => Op::Equals,
        Some('^') => Op::Prefix,
        Some('$') => Op::Suffix,
        Some('*') => Op::Substring,
        Some('~') => Op::Word,
        Some(c) => return Err(format!("attribute operator '{c}' is not supported")),
        None => return Err("unclosed '['".into()),
    };
    i += if op == Op::Equals { 1 } else { 2 };
    if op != Op::Equals && chars.get(i - 1) != Some(&'=') {
        return Err("attribute operator without '='".into());
    }
    skip_ws(&mut i);
    let value = match chars.get(i) {
        Some(&q @ ('"' | '\'')) => {
            let end = chars[i + 1..].iter().position(|&c| c == q).ok_or("unclosed quote")?;
            let v: String = chars[i + 1..i + 1 + end].iter().collect();
            i += end + 2;
            v
        }
        _ => {
            let (v, next) = ident(chars, i);
            i = next;
            v
        }
    };
    skip_ws(&mut i);
    if chars.get(i) != Some(&']') {
        return Err("attribute selector flags and unclosed '[' are not supported".into());
    }
    Ok((Test::Attr(name, op, value), i + 1))
}

impl Compound {
    fn matches(&self, n: &Node) -> bool {
        self.0.iter().all(|t| match t {
            Test::Tag(tag) => n.tag == *tag,
            Test::Id(id) => n.id == *id,
            Test::Class(c) => n.class.split_ascii_whitespace().any(|x| x == c),
            Test::Attr(name, op, v) => n.attr(name).is_some_and(|a| match op {
                Op::Exists => true,
                Op::Equals => a == v,
                Op::Prefix => !v.is_empty() && a.starts_with(v.as_str()),
                Op::Suffix => !v.is_empty() && a.ends_with(v.as_str()),
                Op::Substring => !v.is_empty() && a.contains(v.as_str()),
                Op::Word => a.split_ascii_whitespace().any(|w| w == v),
            }),
        })
    }
}

impl Complex {
    fn matches(&self, tree: &Tree, i: usize) -> bool {
        let last = self.parts.len() - 1;
        self.parts[last].0.matches(&tree.nodes[i]) && self.match_left(tree, last, i)
    }

    /// Whether parts `..k` match ancestors of node `i` (which matched part `k`).
    fn match_left(&self, tree: &Tree, k: usize, i: usize) -> bool {
        if k == 0 {
            return true;
        }
        let (compound, comb) = (&self.parts[k - 1].0, self.parts[k - 1].1);
        let mut anc = tree.parent[i];
        while let Some(a) = anc {
            if compound.matches(&tree.nodes[a]) && self.match_left(tree, k - 1, a) {
                return true;
            }
            if comb == Comb::Child {
                return false;
            }
            anc = tree.parent[a];
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::outline::Outline;
    use super::*;

    const PAGE: &str = r#"{"nodes":[[-1,"body",0,10,"","",{}],
        [0,"div",0,10,"main","wrap content",{"role":"main"}],
        [1,"ul",0,10,"","list",{}],
        [2,"li",0,5,"","item job-card",{"data-id":"17"}],
        [3,"a",0,5,"","title",{"href":"/jobs/view/17?x"}],
        [2,"li",5,10,"","item",{"data-testid":"job-card-2"}]]}"#;

    fn check(sel: &str, expected: &[usize]) {
        let o: Outline = serde_json::from_str(PAGE).unwrap();
        let t = Tree::new(&o, "0123456789").unwrap();
        let s = SelectorList::parse(sel).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.select(&t), expected, "{sel}");
    }

    #[test]
    fn the_subset_matches() {
        check("li", &[3, 5]);
        check("*", &[0, 1, 2, 3, 4, 5]);
        check("#main", &[1]);
        check(".item.job-card", &[3]);
        check("div.content li > a", &[4]);
        check("body > li", &[]);
        check("body > div > ul > li", &[3, 5]);
        check("[data-id]", &[3]);
        check("li[data-id='17']", &[3]);
        check("a[href^=\"/jobs/view\"]", &[4]);
        check("a[href$='?x']", &[4]);
        check("[data-testid*=card]", &[5]);
        check("[class~=item]", &[3, 5]);
        check("[role=main] .title, #main", &[1, 4]);
        check("ul>li", &[3, 5]);
    }

    #[test]
    fn what_is_outside_the_subset_is_refused() {
        for bad in ["a:hover", "li + li", "li ~ li", "[x|=y]", "div >", "> div", "", "a,,b", "[href", "a[x='y' i]", "#"]
        {
            let e = SelectorList::parse(bad).expect_err(bad);
            assert_eq!(e.selector, bad);
            assert!(!e.message.is_empty());
        }
    }
}
