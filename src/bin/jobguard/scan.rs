//! `jobguard scan`: one JSON verdict per file, or per JSON line with `--jsonl`.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jobguard::{Classifier, PageInput};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::{html, load_classifier, CliError};

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

pub fn run(a: ScanArgs) -> Result<ExitCode, CliError> {
    let c = load_classifier(a.pack.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &a.files {
        if a.jsonl {
            scan_jsonl(&c, f, &a.lang, &mut out)?;
            continue;
        }
        let text = crate::read_input(f)?;
        let mut input = if html::looks_like_html(&text) {
            html::page_input(&text)
        } else {
            PageInput { text, ..Default::default() }
        };
        input.lang = Some(a.lang.clone());
        let v = c.score(&input)?;
        let mut obj = serde_json::to_value(&v)?;
        obj["file"] = json!(f.display().to_string());
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
