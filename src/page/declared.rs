//! What a page declares about itself: the one schema.org `JobPosting` in its JSON-LD, its description as
//! plain lines, and where in the page text those lines are.

use serde_json::Value;

use super::outline::Tree;

/// How many description lines are looked for in the page text.
const PROBES: usize = 24;

/// Descriptions of every `JobPosting` in the blocks (bad JSON is skipped).
pub fn job_postings(blocks: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks.iter().take(32) {
        if b.len() > 1_000_000 {
            continue;
        }
        if let Ok(v) = serde_json::from_str::<Value>(b) {
            walk(&v, &mut out, 0);
        }
    }
    out
}

fn walk(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk(x, out, depth + 1)),
        Value::Object(o) => {
            let is_posting = match o.get("@type") {
                Some(Value::String(s)) => s == "JobPosting",
                Some(Value::Array(a)) => a.iter().any(|t| t.as_str() == Some("JobPosting")),
                _ => false,
            };
            if is_posting {
                out.push(o.get("description").and_then(Value::as_str).map(html_text).unwrap_or_default());
            }
            for key in ["@graph", "itemListElement", "item"] {
                if let Some(g) = o.get(key) {
                    walk(g, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Decodes the few entities descriptions use.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[..rest.len().min(12)].find(';');
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" | "#39" => '\'',
                "nbsp" => ' ',
                _ => {
                    let n = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"));
                    let code = match n {
                        Some(h) => u32::from_str_radix(h, 16).ok(),
                        None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    char::from_u32(code?)?
                }
            };
            Some((c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A description (HTML, sometimes escaped twice) as plain text, one block a line.
pub fn html_text(s: &str) -> String {
    let s = if s.contains("&lt;") { decode_entities(s) } else { s.to_string() };
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push('\n');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
}

/// Where the description's lines are in the page: the smallest node holding the lines found, grown until it
/// holds about as much text as the description. `None` when too few lines are found.
pub fn locate(tree: &Tree, description: &str) -> Option<usize> {
    let lines: Vec<String> = description
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| l.chars().count() >= 8)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let step = (lines.len() / PROBES).max(1);
    let text = tree.text.text;
    let (mut lo, mut hi, mut found, mut tried) = (usize::MAX, 0usize, 0usize, 0usize);
    for l in lines.iter().step_by(step).take(PROBES) {
        tried += 1;
        // A probe of the line's first words: the page may break a long line differently.
        let probe: String = l.chars().take(40).collect();
        let probe = probe.trim();
        if let Some(i) = text.find(probe) {
            lo = lo.min(i);
            hi = hi.max(i + probe.len());
            found += 1;
        }
    }
    if found == 0 || (tried >= 2 && found * 3 < tried) || (tried >= 2 && found < 2) {
        return None;
    }
    let (s, e) = (tree.text.unit_of_byte(lo), tree.text.unit_of_byte(hi));
    let mut node = tree.smallest_covering(s, e)?;
    let want = description.chars().filter(|c| !c.is_whitespace()).count() as u32 * 4 / 5;
    while tree.solid(node) < want {
        match tree.parent[node] {
            Some(p) => node = p,
            None => break,
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_come_out_as_plain_lines() {
        let b = r#"{"@graph":[{"@type":"JobPosting","description":"&lt;p&gt;Sort parcels &amp;amp; pack&lt;/p&gt;&lt;li&gt;Day shift&lt;/li&gt;"}]}"#;
        let d = job_postings(&[b.to_string()]);
        assert_eq!(d.len(), 1);
        let lines: Vec<&str> = d[0].lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, ["Sort parcels & pack", "Day shift"]);
        let list = r#"{"@type":"ItemList","itemListElement":[{"@type":"ListItem","item":{"@type":"JobPosting"}},
            {"@type":"ListItem","item":{"@type":"JobPosting"}}]}"#;
        assert_eq!(job_postings(&[list.to_string(), "{bad".into()]).len(), 2);
    }
}
