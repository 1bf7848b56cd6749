//! Saved HTML pages to page input (native only, feature `cli`): bytes decoded in the page's charset (BOM,
//! `<meta charset>`, `http-equiv` content type, else UTF-8 when valid, else a guess), then the visible text,
//! the outline, the links, the JSON-LD and the title, built with the same rules as the content script
//! (`extension/content/collect.js`, docs/interfaces.md "Page reading").

use std::borrow::Cow;

use encoding_rs::Encoding;
use scraper::{ElementRef, Html, Node as HtmlNode, Selector};

use super::outline::{Node, Outline, MAX_NODES, MAX_TEXT_UNITS};
use crate::verdict::{Link, PageInput};

/// Elements never read, with their content.
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "canvas", "svg", "textarea", "select", "option",
    "head",
];
/// Elements that flow inside a line.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "label", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "ins", "del",
];
/// Attributes the outline keeps besides id and class (`href` on links only).
const ATTRS: &[&str] = &[
    "role",
    "itemprop",
    "itemtype",
    "aria-label",
    "data-testid",
    "data-automation",
    "data-qa",
    "data-test",
    "data-jk",
    "data-job-id",
    "data-id",
];
/// Longest attribute value kept.
const MAX_ATTR: usize = 1000;
/// Most links kept.
const MAX_LINKS: usize = 2000;
/// Bytes looked at for a `<meta>` charset.
const PRESCAN: usize = 4096;

/// A decoded page and the encoding it was read in.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding's name (`UTF-8`, `GBK`, `EUC-KR` ...).
    pub encoding: &'static str,
}

/// The charset a `<meta>` in the first bytes declares.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&head[..head.len().min(PRESCAN)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(j) = tag.find("charset") {
            let v = tag[j + 7..].trim_start();
            if let Some(v) = v.strip_prefix('=') {
                let v = v.trim_start().trim_start_matches(['"', '\'']);
                let end = v.find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace());
                if let Some(enc) = Encoding::for_label(&v.as_bytes()[..end.unwrap_or(v.len())]) {
                    // A page that says UTF-16 in its markup is not UTF-16 (the HTML standard reads it as UTF-8).
                    return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        encoding_rs::UTF_8
                    } else {
                        enc
                    });
                }
            }
        }
    }
    None
}

/// Decodes a page's bytes. Never refuses: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8]) -> Decoded {
    let utf8_ok = || std::str::from_utf8(bytes).is_ok();
    let enc = if let Some((enc, _)) = Encoding::for_bom(bytes) {
        enc
    } else if let Some(enc) = meta_charset(bytes) {
        // Saved copies are often re-encoded to UTF-8 with the old `<meta>` left in: valid UTF-8 with
        // non-ASCII text in it is not a legacy encoding by chance.
        if enc != encoding_rs::UTF_8 && !bytes.is_ascii() && utf8_ok() {
            encoding_rs::UTF_8
        } else if enc == encoding_rs::UTF_8 && !utf8_ok() {
            guess(bytes)
        } else {
            enc
        }
    } else if utf8_ok() {
        encoding_rs::UTF_8
    } else {
        guess(bytes)
    };
    let (text, used, _) = enc.decode(bytes);
    Decoded { text: text.into_owned(), encoding: used.name() }
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut d = chardetng::EncodingDetector::new();
    d.feed(bytes, true);
    d.guess(None, false)
}

/// Whether a document looks like HTML rather than plain text.
pub fn looks_like_html(s: &str) -> bool {
    let t = s.trim_start_matches('\u{feff}').trim_start();
    let head: String = t.chars().take(1024).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with("<!--") || head.starts_with("<?xml")) && head.contains("<html")
        || (head.starts_with('<') && (head.contains("<body") || head.contains("<head") || head.contains("<meta")))
}

/// Host and path of an absolute URL (`https://www.x.com/a/b?q` -> `www.x.com`, `/a/b`).
pub fn url_host_path(url: &str) -> Option<(String, String)> {
    let rest = url.trim().split_once("://").map(|(_, r)| r).or_else(|| url.trim().strip_prefix("//"))?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = rest[..end].rsplit('@').next()?.split(':').next()?.to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let path = rest[end..].split(['?', '#']).next().unwrap_or("");
    Some((host, if path.is_empty() { "/".into() } else { path.to_string() }))
}

fn cut(s: &str) -> String {
    if s.len() <= MAX_ATTR {
        return s.to_string();
    }
    let mut e = MAX_ATTR;
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    s[..e].to_string()
}

fn invisible(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some() || e.attr("aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        return true;
    }
    let style: String = e.attr("style").unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
    let style = style.to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Builds the page input (text, outline, links, JSON-LD, title) of an HTML page. `url` gives the host and
/// path; without it the page's canonical link or `og:url` does.
pub fn page_input(html: &str, url: Option<&str>) -> PageInput {
    let doc = Html::parse_document(html);
    let sel = |s: &str| Selector::parse(s).expect("static selector");
    let title =
        doc.select(&sel("title")).next().map(|t| t.text().collect::<String>().trim().chars().take(500).collect());
    let jsonld: Vec<String> = doc
        .select(&sel(r#"script[type="application/ld+json"]"#))
        .map(|s| s.text().collect::<String>())
        .filter(|t| t.len() <= 100_000)
        .take(10)
        .collect();
    let declared_url = url.map(str::to_string).or_else(|| {
        let canonical = doc.select(&sel(r#"link[rel="canonical"]"#)).find_map(|l| l.value().attr("href"));
        let og = doc.select(&sel(r#"meta[property="og:url"]"#)).find_map(|m| m.value().attr("content"));
        canonical.or(og).map(str::to_string)
    });
    let (host, path) =
        declared_url.as_deref().and_then(url_host_path).map_or((None, None), |(h, p)| (Some(h), Some(p)));
    let root = doc.select(&sel("body")).next().unwrap_or_else(|| doc.root_element());
    let mut w = Walk::default();
    w.run(root);
    PageInput {
        text: w.text,
        title,
        links: w.links,
        jsonld,
        lang: None,
        outline: Some(Outline { host, path, nodes: w.nodes }),
    }
}

/// The walk's state: the text so far, the outline and the links.
#[derive(Default)]
struct Walk {
    text: String,
    len16: usize,
    nodes: Vec<Node>,
    links: Vec<Link>,
    full: bool,
    /// Non-inline elements met so far (each one's number tells text under different blocks apart).
    blocks: u64,
}

/// One open element: its outline index (if it has one), the nearest included one at or above, its block.
struct Open<'a> {
    el: ElementRef<'a>,
    own: Option<usize>,
    near: i64,
    block: u64,
}

impl Walk {
    fn open<'a>(&mut self, el: ElementRef<'a>, near: i64, block: u64) -> Open<'a> {
        let e = el.value();
        let tag = e.name().to_ascii_lowercase();
        let mut own = None;
        if self.nodes.len() < MAX_NODES {
            let is_link = tag == "a";
            let mut attrs = std::collections::BTreeMap::new();
            for (k, v) in e.attrs() {
                if ATTRS.contains(&k) || (is_link && k == "href") {
                    attrs.insert(k.to_string(), cut(v));
                }
            }
            if is_link && self.links.len() < MAX_LINKS {
                if let Some(href) = e.attr("href").filter(|h| !h.is_empty() && h.len() <= 2000) {
                    if !href.trim_start().to_ascii_lowercase().starts_with("javascript:") {
                        let text: String = el.text().collect::<String>().trim().chars().take(200).collect();
                        self.links.push(Link { href: href.to_string(), text, node: Some(self.nodes.len() as u32) });
                    }
                }
            }
            own = Some(self.nodes.len());
            self.nodes.push(Node {
                parent: near,
                tag,
                start: u32::MAX,
                end: 0,
                id: cut(e.id().unwrap_or("")),
                class: cut(e.attr("class").unwrap_or("")),
                attrs,
            });
        }
        Open { el, own, near: own.map_or(near, |o| o as i64), block }
    }

    fn run(&mut self, root: ElementRef) {
        let mut stack: Vec<Open> = Vec::new();
        self.blocks += 1;
        let first = self.open(root, -1, self.blocks);
        stack.push(first);
        let mut pending = 0usize; // entries at or above this depth have met no text yet
        let mut prev_block: Option<u64> = None;
        let mut next = root.first_child();
        while !stack.is_empty() {
            let Some(node) = next else {
                let o = stack.pop().expect("not empty");
                self.close(&o);
                pending = pending.min(stack.len());
                next = if stack.is_empty() { None } else { o.el.next_sibling() };
                continue;
            };
            match node.value() {
                HtmlNode::Text(t) => {
                    let data: &str = t;
                    if data.chars().any(|c| !c.is_whitespace()) {
                        let block = stack.last().expect("open").block;
                        if self.len16 > 0 && prev_block != Some(block) {
                            self.text.push('\n');
                            self.len16 += 1;
                        }
                        prev_block = Some(block);
                        for o in &stack[pending..] {
                            if let Some(i) = o.own {
                                if self.nodes[i].start == u32::MAX {
                                    self.nodes[i].start = self.len16 as u32;
                                }
                            }
                        }
                        pending = stack.len();
                        let room = MAX_TEXT_UNITS - self.len16;
                        let mut taken = 0usize;
                        let mut end = data.len();
                        for (b, c) in data.char_indices() {
                            if taken + c.len_utf16() > room {
                                end = b;
                                self.full = true;
                                break;
                            }
                            taken += c.len_utf16();
                        }
                        self.text.push_str(&data[..end]);
                        self.len16 += taken;
                        if self.full {
                            break;
                        }
                    }
                    next = node.next_sibling();
                }
                HtmlNode::Element(e) => {
                    let tag = e.name().to_ascii_lowercase();
                    let el = ElementRef::wrap(node).expect("an element");
                    if SKIP.contains(&tag.as_str()) || invisible(e) {
                        next = node.next_sibling();
                        continue;
                    }
                    let parent = stack.last().expect("open");
                    let inline = INLINE.contains(&tag.as_str());
                    let block = if inline {
                        parent.block
                    } else {
                        self.blocks += 1;
                        self.blocks
                    };
                    let near = parent.near;
                    let o = if !inline || tag == "a" || e.id().is_some_and(|i| !i.is_empty()) {
                        self.open(el, near, block)
                    } else {
                        Open { el, own: None, near, block }
                    };
                    stack.push(o);
                    next = node.first_child();
                }
                _ => next = node.next_sibling(),
            }
        }
        while let Some(o) = stack.pop() {
            self.close(&o);
        }
    }

    fn close(&mut self, o: &Open) {
        if let Some(i) = o.own {
            let n = &mut self.nodes[i];
            if n.start == u32::MAX {
                n.start = self.len16 as u32;
            }
            n.end = self.len16 as u32;
        }
    }
}

/// Reads a file's bytes as the CLI does: HTML is decoded in its charset and outlined; anything else is text
/// (decoded the same way, so a plain-text file in a legacy encoding is read too).
pub fn input_from_bytes(bytes: &[u8], url: Option<&str>) -> (PageInput, &'static str) {
    let d = decode(bytes);
    let text = match d.text.strip_prefix('\u{feff}') {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Borrowed(d.text.as_str()),
    };
    if looks_like_html(&text) {
        (page_input(&text, url), d.encoding)
    } else {
        (PageInput { text: text.into_owned(), ..Default::default() }, d.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_follows_the_content_scripts_rules() {
        let html = r#"<!doctype html><html><head><title> Job </title>
          <link rel="canonical" href="https://www.example.com/jobs/1?x=2">
          <script type="application/ld+json">{"@type":"JobPosting","title":"x"}</script></head>
          <body><nav id="gnb"><a href="/">Home</a></nav>
          <div class="post"><h1>Hiring <b>now</b></h1><p>Contact <a href="https://t.me/x">us</a> <span id="pay">today</span></p></div>
          <script>var hidden = 1;</script><div hidden>secret</div><p style="display: none">gone</p>
          <p aria-hidden="true">aria</p></body></html>"#;
        let p = page_input(html, None);
        assert_eq!(p.title.as_deref(), Some("Job"));
        // White-space-only text nodes are not read (as in the content script): "us" and "today" touch.
        assert_eq!(p.text, "Home\nHiring now\nContact ustoday");
        assert_eq!(p.jsonld.len(), 1);
        let o = p.outline.as_ref().unwrap();
        assert_eq!((o.host.as_deref(), o.path.as_deref()), (Some("www.example.com"), Some("/jobs/1")));
        let tags: Vec<&str> = o.nodes.iter().map(|n| n.tag.as_str()).collect();
        assert_eq!(tags, ["body", "nav", "a", "div", "h1", "p", "a", "span"]);
        let slice = |n: &Node| -> String {
            let u: Vec<u16> = p.text.encode_utf16().collect();
            String::from_utf16(&u[n.start as usize..n.end as usize]).unwrap()
        };
        assert_eq!(slice(&o.nodes[4]), "Hiring now");
        assert_eq!(slice(&o.nodes[3]), "Hiring now\nContact ustoday");
        assert_eq!(slice(&o.nodes[7]), "today");
        assert_eq!(o.nodes[6].parent, 5);
        assert_eq!(o.nodes[1].id, "gnb");
        assert_eq!(p.links[1].href, "https://t.me/x");
        assert_eq!(p.links[1].node, Some(6));
        assert_eq!(o.nodes[6].attrs.get("href").map(String::as_str), Some("https://t.me/x"));
        assert!(looks_like_html(html));
        assert!(!looks_like_html("월 1000만원 <급구>"));
    }

    #[test]
    fn charsets_from_bom_meta_and_guess() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<html><head><meta charset=\"gbk\"></head><body>招聘 包吃包住</body></html>");
        let d = decode(&gbk);
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("招聘 包吃包住"));
        let (kr, _, _) = encoding_rs::EUC_KR.encode(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\"></head><body>채용</body></html>",
        );
        assert!(decode(&kr).text.contains("채용"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("<p>é</p>".as_bytes());
        assert!(decode(&bom).text.contains('é'));
        // No declaration, not UTF-8: guessed.
        let (sjis, _, _) = encoding_rs::SHIFT_JIS
            .encode("<html><body>求人情報です。未経験者歓迎、日払い可能。交通費支給。</body></html>");
        let d = decode(&sjis);
        assert_eq!(d.encoding, "Shift_JIS");
        // Declared GBK but saved as UTF-8: read as UTF-8.
        let d = decode("<meta charset=gb2312><body>招聘</body>".as_bytes());
        assert!(d.text.contains("招聘"));
        // Windows-1252, declared.
        let d = decode(b"<meta charset=windows-1252><p>caf\xe9</p>");
        assert!(d.text.contains("café"));
    }
}
