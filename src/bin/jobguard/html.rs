//! HTML pages to classifier input: visible text, title, links and JSON-LD, as the extension gathers them.

use jobguard::{Link, PageInput};
use scraper::{ElementRef, Html, Node, Selector};

/// Elements whose text a reader never sees.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "head", "svg", "iframe", "object"];
/// Elements that break the text into lines.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "form",
    "main",
    "aside",
    "nav",
];

/// Whether a document looks like HTML rather than plain text.
pub fn looks_like_html(s: &str) -> bool {
    let head = s.trim_start().get(..512.min(s.trim_start().len())).unwrap_or("").to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || (head.starts_with('<') && head.contains("<body"))
}

/// Extracts what the extension would send for this page.
pub fn page_input(html: &str) -> PageInput {
    let doc = Html::parse_document(html);
    let sel = |s: &str| Selector::parse(s).expect("static selector");
    let title = doc.select(&sel("title")).next().map(|t| t.text().collect::<String>().trim().to_string());
    let links = doc
        .select(&sel("a[href]"))
        .map(|a| Link { href: a.value().attr("href").unwrap_or("").to_string(), text: a.text().collect::<String>() })
        .collect();
    let jsonld = doc.select(&sel(r#"script[type="application/ld+json"]"#)).map(|s| s.text().collect()).collect();
    let mut text = String::new();
    if let Some(body) = doc.select(&sel("body")).next() {
        visible_text(body, &mut text);
    }
    PageInput { text: text.trim().to_string(), title, links, jsonld, lang: None }
}

fn visible_text(el: ElementRef, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if HIDDEN.contains(&name) || e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
                    continue;
                }
                let style = e.attr("style").unwrap_or("").replace(' ', "").to_ascii_lowercase();
                if style.contains("display:none") || style.contains("visibility:hidden") {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    out.push('\n');
                }
                if let Some(c) = ElementRef::wrap(child) {
                    visible_text(c, out);
                }
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_visible_text_links_and_jsonld() {
        let html = r#"<!doctype html><html><head><title>Job</title>
          <script type="application/ld+json">{"@type":"JobPosting","title":"x"}</script></head>
          <body><h1>Hiring</h1><p>Contact <a href="https://t.me/x">us</a></p>
          <script>var hidden = 1;</script><div hidden>secret</div><p style="display: none">gone</p></body></html>"#;
        let p = page_input(html);
        assert_eq!(p.title.as_deref(), Some("Job"));
        assert!(p.text.contains("Hiring"));
        assert!(p.text.contains("Contact us"));
        assert!(!p.text.contains("hidden") && !p.text.contains("secret") && !p.text.contains("gone"));
        assert_eq!(p.links[0].href, "https://t.me/x");
        assert_eq!(p.jsonld.len(), 1);
        assert!(looks_like_html(html));
        assert!(!looks_like_html("월 1000만원 <급구>"));
    }
}
