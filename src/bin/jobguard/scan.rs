//! `jobguard scan`: reads saved pages the way the extension does (charset, outline, the posting or the cards
//! of a list, each scored on its own) and prints one JSON line per file; plain text is scored whole, and
//! `--jsonl` scores one JSON line of text at a time.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use jobguard::page::html;
use jobguard::{CardReading, Classifier, Level, PageInput, Reading};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{load_classifier, CliError};

/// Arguments of `jobguard scan`.
#[derive(Args)]
pub struct ScanArgs {
    /// Pack JSON to use instead of the rules bundled at build time.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// Language of the explanations (ko, en, zh, vi, th, id, ja).
    #[arg(long, default_value = "en")]
    lang: String,
    /// Read JSON lines with `text` (and optional `id`, `title`) and print one verdict a line.
    #[arg(long)]
    jsonl: bool,
    /// The page's address (sets the host and path site adapters are chosen by; default: the page's
    /// canonical link or `og:url`).
    #[arg(long)]
    url: Option<String>,
    /// Print one JSON line per card of a list (title, level, score, rules) instead of the page's line.
    #[arg(long)]
    cards: bool,
    /// HTML or text files; `-` reads stdin.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// One line of `--jsonl` input.
#[derive(Deserialize)]
pub struct Line {
    /// Caller's id, echoed back.
    #[serde(default)]
    pub id: Value,
    /// Text of the posting.
    pub text: String,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| CliError(format!("stdin: {e}")))?;
        return Ok(b);
    }
    std::fs::read(path).map_err(|e| CliError(format!("{}: {e}", path.display())))
}

fn card_json(c: &CardReading) -> Value {
    json!({
        "node": c.node, "start": c.start, "end": c.end, "title": c.title,
        "level": c.verdict.level, "score": c.verdict.score,
        "rules": c.verdict.reasons.iter().map(|r| r.rule.as_str()).collect::<Vec<_>>(),
    })
}

/// The page's line: the posting's verdict fields (for a list without a posting: the highest card's score and
/// level, no reasons), how the page was read, and its risky cards.
fn reading_json(r: &Reading, encoding: &str) -> Result<Value, CliError> {
    let mut obj = match &r.posting {
        Some(p) => {
            let mut v = serde_json::to_value(&p.verdict)?;
            v["regions"] = json!(p.regions);
            v["node"] = json!(p.node);
            v
        }
        None => {
            let worst = r.cards.iter().max_by_key(|c| (c.verdict.level, c.verdict.score));
            json!({
                "score": worst.map_or(0, |c| c.verdict.score),
                "level": worst.map_or(Level::Safe, |c| c.verdict.level),
                "reasons": [], "categories": [], "matches": [],
            })
        }
    };
    obj["kind"] = json!(r.kind);
    obj["how"] = json!(r.how);
    obj["card_count"] = json!(r.card_count);
    obj["encoding"] = json!(encoding);
    let risky: Vec<Value> = r.cards.iter().filter(|c| c.verdict.level > Level::Safe).map(card_json).collect();
    obj["cards"] = json!(risky);
    Ok(obj)
}

pub fn run(a: ScanArgs) -> Result<ExitCode, CliError> {
    let c = load_classifier(a.pack.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &a.files {
        if a.jsonl {
            scan_jsonl(&c, f, &a.lang, &mut out)?;
            continue;
        }
        let bytes = read_bytes(f)?;
        let (mut input, encoding) = html::input_from_bytes(&bytes, a.url.as_deref());
        input.lang = Some(a.lang.clone());
        let file = f.display().to_string();
        if input.outline.is_none() {
            // Plain text: scored whole, as before.
            let v = c.score(&input)?;
            let mut obj = serde_json::to_value(&v)?;
            obj["file"] = json!(file);
            writeln!(out, "{obj}")?;
            continue;
        }
        let r = c.read_page(&input).map_err(|e| CliError(format!("{file}: {e}")))?;
        if a.cards {
            for card in &r.cards {
                let mut obj = card_json(card);
                obj["file"] = json!(file);
                writeln!(out, "{obj}")?;
            }
            continue;
        }
        let mut obj = reading_json(&r, encoding)?;
        obj["file"] = json!(file);
        writeln!(out, "{obj}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn scan_jsonl(c: &Classifier, f: &PathBuf, lang: &str, out: &mut impl Write) -> Result<(), CliError> {
    let reader: Box<dyn BufRead> = if f.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        Box::new(std::io::BufReader::new(
            std::fs::File::open(f).map_err(|e| CliError(format!("{}: {e}", f.display())))?,
        ))
    };
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| CliError(format!("{}:{}: {e}", f.display(), n + 1)))?;
        if line.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(&line).map_err(|e| CliError(format!("{}:{}: {e}", f.display(), n + 1)))?;
        let input = PageInput { text: l.text, title: l.title, lang: Some(lang.to_string()), ..Default::default() };
        let v = c.score(&input)?;
        let mut obj = serde_json::to_value(&v)?;
        obj["id"] = l.id;
        writeln!(out, "{obj}")?;
    }
    Ok(())
}
