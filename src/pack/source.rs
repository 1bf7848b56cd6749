//! Compiles the rule sources in `rules/` (TOML, see `rules/README.md`) into a [`Pack`], and lints them:
//! every bad rule is reported with its file and line, and a pack with any bad rule is refused whole.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::pack::{
    Category, Combo, Country, Hotline, LinkRule, ModelSpec, Pack, Rule, Salary, SalaryTier, Site, Texts, Thresholds,
    SCHEMA_VERSION,
};

/// Where the learned model's source lives below the rules folder (written by `jobguard train`).
pub const MODEL_FILE: &str = "model/model.toml";

/// One source file: its path (as shown in messages) and contents.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the rules folder, with `/` separators.
    pub path: String,
    /// TOML text.
    pub text: String,
}

/// A problem in a source file.
#[derive(Debug, Clone, PartialEq)]
pub struct LintIssue {
    /// File, relative to the rules folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// Rule id, when the problem is in a rule.
    pub rule: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LintIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(r) => write!(f, "{}:{}: rule {}: {}", self.file, self.line, r, self.message),
            None => write!(f, "{}:{}: {}", self.file, self.line, self.message),
        }
    }
}

/// Why the sources could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The rules folder or a file in it could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// One or more rules are bad; every problem is listed.
    #[error("{} problem(s) in the rule sources:\n{}", .0.len(), .0.iter().map(|i| i.to_string()).collect::<Vec<_>>().join("\n"))]
    Lint(Vec<LintIssue>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackToml {
    name: String,
    version: u64,
    thresholds: Thresholds,
    categories: BTreeMap<String, Category>,
    #[serde(default)]
    combo: Vec<Spanned<Combo>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    /// Concepts: id -> wordings (see [`crate::pack::concepts`]).
    #[serde(default)]
    concept: BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default)]
    rule: Vec<Spanned<RuleToml>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    id: String,
    category: String,
    weight: i32,
    #[serde(default)]
    langs: Vec<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    regex: Option<String>,
    /// Concept ids: one (any wording fires the rule) or two (within `within` characters of each other).
    #[serde(default)]
    concepts: Vec<String>,
    #[serde(default)]
    within: Option<u32>,
    /// Two concepts in the order given only.
    #[serde(default)]
    ordered: bool,
    explain: Texts,
}

/// A rule's reference to concepts, resolved once every file has been read.
struct ConceptRef {
    ids: Vec<String>,
    within: Option<u32>,
    ordered: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SalaryToml {
    currency: BTreeMap<String, f64>,
    tier: Vec<Spanned<SalaryTier>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinksToml {
    link: Vec<Spanned<LinkRule>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SitesToml {
    #[serde(default)]
    site: Vec<Spanned<SiteToml>>,
}

/// A site adapter as written in `sites.toml` (unknown keys are typos here; the pack itself tolerates them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteToml {
    id: String,
    hosts: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    posting: Vec<String>,
    #[serde(default)]
    cards: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryToml {
    name: Texts,
    #[serde(default)]
    line: Vec<Hotline>,
}

/// Reads every `.toml` file below `dir` (sorted, so builds are reproducible).
pub fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, SourceError> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), SourceError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SourceError::Io { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push(SourceFile { path: rel, text });
        }
    }
    Ok(())
}

/// Compiles a rules folder into a pack.
pub fn build_dir(dir: &Path) -> Result<Pack, SourceError> {
    build(&read_dir(dir)?)
}

/// Line (1-based) of a byte offset.
fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Compiles source files into a pack, or lists every problem found.
pub fn build(files: &[SourceFile]) -> Result<Pack, SourceError> {
    let mut issues = Vec::new();
    let issue = |issues: &mut Vec<LintIssue>, f: &SourceFile, byte: usize, rule: Option<&str>, message: String| {
        issues.push(LintIssue {
            file: f.path.clone(),
            line: line_of(&f.text, byte),
            rule: rule.map(str::to_string),
            message,
        });
    };
    let parse_err = |issues: &mut Vec<LintIssue>, f: &SourceFile, e: toml::de::Error| {
        let byte = e.span().map_or(0, |s| s.start);
        issue(issues, f, byte, None, e.message().to_string());
    };

    let mut head: Option<PackToml> = None;
    let mut salary = Salary::default();
    let mut tier_spans = Vec::new();
    let mut links = Vec::new();
    let mut link_spans = Vec::new();
    let mut hotlines = BTreeMap::new();
    let mut sites: Vec<(Site, usize, usize)> = Vec::new(); // adapter, file index, byte
    let mut model: Option<(ModelSpec, usize)> = None;
    let mut rules: Vec<(Rule, usize, usize)> = Vec::new(); // rule, file index, byte
    let mut refs: Vec<Option<ConceptRef>> = Vec::new(); // per rule
    let mut concepts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut concept_at: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (fi, f) in files.iter().enumerate() {
        match f.path.as_str() {
            "pack.toml" => match toml::from_str::<PackToml>(&f.text) {
                Ok(p) => head = Some(p),
                Err(e) => parse_err(&mut issues, f, e),
            },
            "salary.toml" => match toml::from_str::<SalaryToml>(&f.text) {
                Ok(s) => {
                    salary.currency = s.currency;
                    for t in s.tier {
                        tier_spans.push((fi, t.span().start));
                        salary.tiers.push(t.into_inner());
                    }
                }
                Err(e) => parse_err(&mut issues, f, e),
            },
            "links.toml" => match toml::from_str::<LinksToml>(&f.text) {
                Ok(l) => {
                    for r in l.link {
                        link_spans.push((fi, r.span().start));
                        links.push(r.into_inner());
                    }
                }
                Err(e) => parse_err(&mut issues, f, e),
            },
            "sites.toml" => match toml::from_str::<SitesToml>(&f.text) {
                Ok(s) => {
                    for site in s.site {
                        let byte = site.span().start;
                        let s = site.into_inner();
                        let site = Site {
                            id: s.id,
                            hosts: s.hosts,
                            paths: s.paths,
                            posting: s.posting,
                            cards: s.cards,
                            exclude: s.exclude,
                        };
                        sites.push((site, fi, byte));
                    }
                }
                Err(e) => parse_err(&mut issues, f, e),
            },
            "hotlines.toml" => match toml::from_str::<BTreeMap<String, CountryToml>>(&f.text) {
                Ok(h) => {
                    for (code, c) in h {
                        hotlines.insert(code, Country { name: c.name, lines: c.line });
                    }
                }
                Err(e) => parse_err(&mut issues, f, e),
            },
            MODEL_FILE => match toml::from_str::<ModelSpec>(&f.text) {
                Ok(m) => model = Some((m, fi)),
                Err(e) => parse_err(&mut issues, f, e),
            },
            _ => match toml::from_str::<RuleFile>(&f.text) {
                Ok(rf) => {
                    for (id, words) in rf.concept {
                        let byte = words.span().start;
                        if let Some((pf, pb)) = concept_at.insert(id.clone(), (fi, byte)) {
                            let prev = format!("{}:{}", files[pf].path, line_of(&files[pf].text, pb));
                            issue(&mut issues, f, byte, None, format!("concept '{id}' defined twice (also at {prev})"));
                        }
                        concepts.insert(id, words.into_inner());
                    }
                    for r in rf.rule {
                        let byte = r.span().start;
                        let r = r.into_inner();
                        refs.push((!r.concepts.is_empty() || r.within.is_some()).then(|| ConceptRef {
                            ids: r.concepts.clone(),
                            within: r.within,
                            ordered: r.ordered,
                        }));
                        rules.push((
                            Rule {
                                id: r.id,
                                category: r.category,
                                weight: r.weight,
                                langs: r.langs,
                                phrases: r.phrases,
                                near: r
                                    .regex
                                    .as_deref()
                                    .and_then(crate::pack::near::required_literals)
                                    .unwrap_or_default(),
                                regex: r.regex,
                                explain: r.explain,
                            },
                            fi,
                            byte,
                        ));
                    }
                }
                Err(e) => parse_err(&mut issues, f, e),
            },
        }
    }
    let Some(head) = head else {
        if !files.iter().any(|f| f.path == "pack.toml") {
            issues.push(LintIssue { file: "pack.toml".into(), line: 1, rule: None, message: "missing".into() });
        }
        return Err(SourceError::Lint(issues));
    };
    let combo_spans: Vec<usize> = head.combo.iter().map(|c| c.span().start).collect();
    let pack_file = files.iter().position(|f| f.path == "pack.toml").expect("pack.toml was parsed");
    let cats = &head.categories;

    // Concepts become phrases (one concept) or a gated regex (two), before the rules are checked.
    for ((r, fi, byte), cref) in rules.iter_mut().zip(&refs) {
        if let Some(c) = cref {
            if let Err(m) = resolve_concepts(r, c, &concepts) {
                issue(&mut issues, &files[*fi], *byte, Some(&r.id), m);
            }
        }
    }

    // Per-rule checks, so every bad rule is reported, not just the first.
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut check = |issues: &mut Vec<LintIssue>, id: &str, fi: usize, byte: usize, res: Result<(), String>| {
        if let Err(m) = res {
            issue(issues, &files[fi], byte, Some(id), m);
        }
        if let Some((pf, pb)) = seen.insert(id.to_string(), (fi, byte)) {
            let prev = format!("{}:{}", files[pf].path, line_of(&files[pf].text, pb));
            issue(issues, &files[fi], byte, Some(id), format!("duplicate id (also at {prev})"));
        }
    };
    for (r, fi, byte) in &rules {
        let mut res = r.check(cats);
        if res.is_ok() {
            if let Some(re) = &r.regex {
                if let Err(e) = regex_lite::RegexBuilder::new(re).size_limit(2 * 1024 * 1024).build() {
                    res = Err(format!("bad regex: {e}"));
                }
            }
        }
        check(&mut issues, &r.id, *fi, *byte, res);
    }
    for (l, (fi, byte)) in links.iter().zip(&link_spans) {
        check(&mut issues, &l.id, *fi, *byte, l.check(cats));
    }
    for (t, (fi, byte)) in salary.tiers.iter().zip(&tier_spans) {
        check(&mut issues, &t.id, *fi, *byte, t.check(cats));
    }
    if let Some((m, fi)) = &model {
        check(&mut issues, &m.id, *fi, 0, m.check(cats));
    }
    for (c, byte) in head.combo.iter().zip(&combo_spans) {
        for cat in c.get_ref().all.iter().chain(&c.get_ref().any) {
            if !cats.contains_key(cat) {
                issue(
                    &mut issues,
                    &files[pack_file],
                    *byte,
                    Some(&c.get_ref().id),
                    format!("unknown category '{cat}'"),
                );
            }
        }
    }
    // Each adapter alone (a bad selector or path regex, named with its line), then the set (duplicate ids).
    for (s, fi, byte) in &sites {
        if let Err(e) = crate::page::adapters::Sites::compile(std::slice::from_ref(s)) {
            issue(&mut issues, &files[*fi], *byte, None, e.to_string());
        }
    }
    let mut site_ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (s, fi, byte) in &sites {
        if let Some(prev) = site_ids.insert(&s.id, *byte) {
            let line = line_of(&files[*fi].text, prev);
            issue(&mut issues, &files[*fi], *byte, None, format!("site {}: duplicate id (also at line {line})", s.id));
        }
    }
    if !issues.is_empty() {
        return Err(SourceError::Lint(issues));
    }
    let sites = sites.into_iter().map(|(s, _, _)| s).collect();
    let pack = Pack {
        schema: SCHEMA_VERSION,
        name: head.name,
        version: head.version,
        thresholds: head.thresholds,
        categories: head.categories,
        combos: head.combo.into_iter().map(Spanned::into_inner).collect::<Vec<Combo>>(),
        rules: rules.into_iter().map(|(r, _, _)| r).collect(),
        salary,
        links,
        hotlines,
        sites,
        model: model.map(|(m, _)| m),
    };
    // Whole-pack checks (texts of categories and hotlines, thresholds, limits) and compilation.
    if let Err(e) = crate::Classifier::new(pack.clone()) {
        return Err(SourceError::Lint(vec![LintIssue {
            file: "pack.toml".into(),
            line: 1,
            rule: None,
            message: e.to_string(),
        }]));
    }
    Ok(pack)
}

/// Fills a rule's phrases (one concept) or regex and gate literals (two concepts) from its concepts.
fn resolve_concepts(r: &mut Rule, c: &ConceptRef, concepts: &BTreeMap<String, Vec<String>>) -> Result<(), String> {
    use crate::pack::concepts::{proximity, wordings};
    if !r.phrases.is_empty() || r.regex.is_some() {
        return Err("has concepts and also phrases or a regex".into());
    }
    match (c.ids.as_slice(), c.within) {
        ([one], None) => r.phrases = wordings(concepts, one)?.to_vec(),
        ([a, b], Some(within)) => {
            let p = proximity(wordings(concepts, a)?, wordings(concepts, b)?, within, c.ordered)?;
            r.regex = Some(p.regex);
            r.near = p.near;
        }
        _ => return Err("concepts: one concept, or two with `within`".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: text.into() }
    }

    const HEAD: &str = r#"
name = "t"
version = 3
[thresholds]
caution = 30
danger = 60
[categories.travel_paid]
cap = 40
name.ko = "항공"
name.en = "Travel"
"#;

    const SAL: &str = r#"
[currency]
KRW = 7000000
[[tier]]
id = "any.pay.high"
category = "travel_paid"
weight = 10
factor = 1.0
explain.ko = "고임금"
explain.en = "High pay"
"#;

    #[test]
    fn builds_a_pack() {
        let rules = r#"
[[rule]]
id = "ko.travel.flight"
category = "travel_paid"
weight = 20
langs = ["ko"]
phrases = ["항공권 지원"]
explain.ko = "항공권"
explain.en = "Flights"
"#;
        let p = build(&[file("pack.toml", HEAD), file("salary.toml", SAL), file("ko/travel.toml", rules)]).unwrap();
        assert_eq!(p.version, 3);
        assert_eq!(p.rules.len(), 1);
        assert_eq!(p.salary.tiers.len(), 1);
    }

    #[test]
    fn reports_every_bad_rule_with_its_line() {
        let rules = r#"
[[rule]]
id = "ko.a"
category = "travel_paid"
weight = 20
regex = "(unclosed"
explain.ko = "x"
explain.en = "x"

[[rule]]
id = "ko.b"
category = "nope"
weight = 20
phrases = ["x"]
explain.ko = "x"
explain.en = "x"

[[rule]]
id = "ko.a"
category = "travel_paid"
weight = 5
phrases = ["y"]
explain.ko = "x"
"#;
        let Err(SourceError::Lint(issues)) = build(&[file("pack.toml", HEAD), file("ko/x.toml", rules)]) else {
            panic!("bad rules were accepted")
        };
        let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert!(lines.iter().any(|l| l.starts_with("ko/x.toml:2: rule ko.a: bad regex")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("ko/x.toml:10: rule ko.b: unknown category 'nope'")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("ko/x.toml:18: rule ko.a: explain.en is missing")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("duplicate id (also at ko/x.toml:2)")), "{lines:?}");
    }

    #[test]
    fn site_adapters_compile_and_bad_ones_are_named_with_their_line() {
        let good = r##"
[[site]]
id = "board"
hosts = ["board.example"]
paths = ["^/jobs/view"]
posting = ["#job .content", "article.job"]
cards = ["ul.results > li"]
exclude = [".related"]
"##;
        let p = build(&[file("pack.toml", HEAD), file("salary.toml", SAL), file("sites.toml", good)]).unwrap();
        assert_eq!(p.sites.len(), 1);
        assert_eq!(p.sites[0].cards, ["ul.results > li"]);
        let bad = r#"
[[site]]
id = "one"
hosts = ["one.example"]
posting = ["div:nth-child(2)"]

[[site]]
id = "two"
hosts = ["two.example"]
paths = ["(unclosed"]
cards = ["li"]

[[site]]
id = "three"
hosts = ["three.example"]
cards = ["li"]
selectors = ["typo"]
"#;
        let Err(SourceError::Lint(issues)) = build(&[file("pack.toml", HEAD), file("sites.toml", bad)]) else {
            panic!("bad adapters were accepted")
        };
        let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert!(lines.iter().any(|l| l.starts_with("sites.toml:17: unknown field `selectors`")), "{lines:?}");
        let Err(SourceError::Lint(issues)) = build(&[
            file("pack.toml", HEAD),
            file("sites.toml", &bad[..bad.find("[[site]]\nid = \"three\"").unwrap()]),
        ]) else {
            panic!("bad adapters were accepted")
        };
        let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert!(
            lines.iter().any(|l| l.starts_with("sites.toml:2: site one: selector 'div:nth-child(2)'")),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.starts_with("sites.toml:7: site two: bad path regex '(unclosed'")), "{lines:?}");
    }

    #[test]
    fn concepts_become_phrases_or_a_gated_proximity_regex() {
        let rules = r#"
[concept]
"ko.flight" = ["항공권", "비행기 티켓"]
"ko.paid" = ["지원", "무료"]

[[rule]]
id = "ko.travel.flight_paid"
category = "travel_paid"
weight = 20
concepts = ["ko.flight", "ko.paid"]
within = 8
explain.ko = "항공권"
explain.en = "Flights"

[[rule]]
id = "ko.travel.flight"
category = "travel_paid"
weight = 5
concepts = ["ko.flight"]
explain.ko = "항공권"
explain.en = "Flights"
"#;
        let p = build(&[file("pack.toml", HEAD), file("ko/travel.toml", rules)]).unwrap();
        assert_eq!(p.rules[0].near, ["비행기 티켓", "비행기티켓", "항공권"]);
        assert!(p.rules[0].regex.as_ref().is_some_and(|re| re.contains("지원")));
        assert_eq!(p.rules[1].phrases, vec!["항공권".to_string(), "비행기 티켓".to_string()]);
        let c = crate::Classifier::new(p).unwrap();
        let score = |t: &str| c.score(&crate::PageInput { text: t.into(), ..Default::default() }).unwrap().score;
        assert_eq!(score("비행기 티켓은 전액 지원해 드립니다"), 25);
        assert_eq!(score("항공권 예매"), 5);
    }

    #[test]
    fn bad_concept_references_are_reported() {
        let rules = r#"
[concept]
"a" = ["x"]

[[rule]]
id = "ko.a"
category = "travel_paid"
weight = 20
concepts = ["a", "missing"]
within = 5
explain.ko = "x"
explain.en = "x"

[[rule]]
id = "ko.b"
category = "travel_paid"
weight = 20
concepts = ["a", "a"]
explain.ko = "x"
explain.en = "x"
"#;
        let other = "[concept]\n\"a\" = [\"y\"]\n";
        let Err(SourceError::Lint(issues)) =
            build(&[file("pack.toml", HEAD), file("ko/x.toml", rules), file("ko/y.toml", other)])
        else {
            panic!("bad concepts were accepted")
        };
        let lines: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        assert!(lines.iter().any(|l| l.contains("rule ko.a: unknown concept 'missing'")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("rule ko.b: concepts: one concept, or two")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("concept 'a' defined twice")), "{lines:?}");
    }

    #[test]
    fn reports_toml_syntax_errors_with_line() {
        let Err(SourceError::Lint(issues)) = build(&[file("pack.toml", HEAD), file("en/x.toml", "\n\n[[rule]\nid=1")])
        else {
            panic!("broken TOML was accepted")
        };
        assert_eq!(issues[0].file, "en/x.toml");
        assert_eq!(issues[0].line, 3);
    }
}
