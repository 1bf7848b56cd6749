//! Every real saved job-board page in `../shared/data/pages` (LinkedIn, topjobs.lk, JobKorea, TopCV, 51job;
//! postings and result lists; some GBK-encoded), read through the code `jobguard scan` runs: each decodes to
//! text in its own script, is read as the kind `SOURCES.tsv` gives, and flags nothing (neither the posting nor
//! any card reaches caution). No text of the pages is copied here; they are only read.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jobguard::page::html::input_from_bytes;
use jobguard::{Classifier, Kind, Level, PageInput};

fn pages_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/pages");
    assert!(
        d.join("SOURCES.tsv").is_file(),
        "{} (the team's saved real pages) is missing: the page tests read it from ../shared",
        d.display()
    );
    d
}

/// `file` -> (language, site, kind) from SOURCES.tsv.
fn sources() -> BTreeMap<String, (String, String, String)> {
    let text = std::fs::read_to_string(pages_dir().join("SOURCES.tsv")).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (f, l, s, k) = (col("file"), col("language"), col("site"), col("kind"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let c: Vec<&str> = line.split('\t').collect();
            (c[f].to_string(), (c[l].to_string(), c[s].to_string(), c[k].to_string()))
        })
        .collect()
}

/// Characters of the page's own script: Han for Chinese, Hangul for Korean, Vietnamese letters with their
/// marks for Vietnamese, Latin letters for English.
fn script_chars(text: &str, lang: &str) -> usize {
    text.chars()
        .filter(|&c| match lang {
            "zh" => ('\u{4e00}'..='\u{9fff}').contains(&c),
            "ko" => ('\u{ac00}'..='\u{d7a3}').contains(&c),
            "vi" => {
                "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".contains(c.to_lowercase().next().unwrap_or(c))
            }
            _ => c.is_ascii_alphabetic(),
        })
        .count()
}

fn read(c: &Classifier, file: &str, url: Option<&str>) -> (PageInput, &'static str, jobguard::Reading) {
    let bytes = std::fs::read(pages_dir().join(file)).unwrap();
    let (mut input, encoding) = input_from_bytes(&bytes, url);
    input.lang = Some("en".into());
    let r = c.read_page(&input).unwrap_or_else(|e| panic!("{file}: {e}"));
    (input, encoding, r)
}

#[test]
fn every_real_page_decodes_reads_as_its_kind_and_flags_nothing() {
    let c = Classifier::new(jobguard::bundled::pack().unwrap()).unwrap();
    let src = sources();
    assert!(src.len() >= 10, "SOURCES.tsv lists {} pages", src.len());
    let mut problems = Vec::new();
    for (file, (lang, site, kind)) in &src {
        // As `jobguard scan page.html` reads it (host from the page's own canonical link, if any), and as the
        // extension does on the board itself (host known, so the board's adapter applies).
        let url = format!("https://{site}/");
        for url in [None, Some(url.as_str())] {
            let (input, encoding, r) = read(&c, file, url);
            let want = if kind == "list" { Kind::List } else { Kind::Posting };
            let own = script_chars(&input.text, lang);
            let replaced = input.text.chars().filter(|&ch| ch == '\u{fffd}').count();
            let at = format!("{file} (url {url:?}, {encoding}, read as {:?} by {})", r.kind, r.how);
            if own < 200 {
                problems.push(format!("{at}: only {own} characters of its own script: not decoded"));
            }
            if replaced * 1000 > input.text.chars().count() {
                problems.push(format!("{at}: {replaced} undecodable characters"));
            }
            if r.kind != want {
                problems.push(format!("{at}: SOURCES.tsv says {kind}"));
            }
            if let Some(p) = &r.posting {
                if p.verdict.level > Level::Safe {
                    problems.push(format!("{at}: posting flagged {} {:?}", p.verdict.score, p.verdict.reasons));
                }
            }
            for card in r.cards.iter().filter(|c| c.verdict.level > Level::Safe) {
                problems.push(format!("{at}: card {:?} flagged {}", card.title, card.verdict.score));
            }
            if want == Kind::List && !r.cards.is_empty() {
                // Cards are the results, not one card per page.
                assert!(r.card_count >= 3, "{at}: {} cards", r.card_count);
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn gbk_pages_are_read_as_gbk() {
    let c = Classifier::new(jobguard::bundled::pack().unwrap()).unwrap();
    let gbk: Vec<String> = sources()
        .into_keys()
        .filter(|f| {
            let b = std::fs::read(pages_dir().join(f)).unwrap();
            std::str::from_utf8(&b).is_err() && f.starts_with("zh__")
        })
        .collect();
    assert!(!gbk.is_empty(), "the saved pages include GBK ones");
    for f in gbk {
        let (input, encoding, _) = read(&c, &f, None);
        assert_eq!(encoding, "GBK", "{f}");
        // Job words of the page's own language, in Han characters.
        assert!(script_chars(&input.text, "zh") >= 300, "{f}");
        assert!(input.text.contains("招聘") || input.text.contains("职位") || input.text.contains("工作"), "{f}");
    }
}
