//! `jobguard eval`: recall, false-positive rate, precision and F1 per file and per language, at both levels,
//! and the worst misses and false alarms, on labelled JSON lines.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jobguard::{Level, PageInput};
use serde::Deserialize;

use crate::{load_classifier, CliError};

/// Arguments of `jobguard eval`.
#[derive(Args)]
pub struct EvalArgs {
    /// Pack JSON to use instead of the rules bundled at build time.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// How many of the worst misses and false alarms to show per file.
    #[arg(long, default_value_t = 5)]
    worst: usize,
    /// Labelled JSON lines: `text`, `label` (scam|legit), optional `id`, `lang`, `title`.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    title: Option<String>,
    text: String,
    label: String,
}

/// Counts at one level: scam items flagged / total, legit items flagged / total.
#[derive(Default, Clone, Copy)]
struct Counts {
    scam: usize,
    scam_flagged: usize,
    legit: usize,
    legit_flagged: usize,
}

impl Counts {
    fn add(&mut self, scam: bool, flagged: bool) {
        if scam {
            self.scam += 1;
            self.scam_flagged += flagged as usize;
        } else {
            self.legit += 1;
            self.legit_flagged += flagged as usize;
        }
    }

    fn row(&self) -> String {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                "    -".to_string()
            } else {
                format!("{:5.1}", 100.0 * a as f64 / b as f64)
            }
        };
        let tp = self.scam_flagged as f64;
        let fp = self.legit_flagged as f64;
        let precision = if tp + fp > 0.0 { Some(tp / (tp + fp)) } else { None };
        let recall = if self.scam > 0 { Some(tp / self.scam as f64) } else { None };
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => format!("{:5.3}", 2.0 * p * r / (p + r)),
            _ => "    -".into(),
        };
        let prec = precision.filter(|_| self.scam > 0).map_or("    -".into(), |p| format!("{:5.1}", 100.0 * p));
        format!(
            "recall {}%  fpr {}%  precision {}%  f1 {}",
            pct(self.scam_flagged, self.scam),
            pct(self.legit_flagged, self.legit),
            prec,
            f1
        )
    }
}

struct Scored {
    id: String,
    score: u8,
    rules: Vec<String>,
    snippet: String,
}

pub fn run(a: EvalArgs) -> Result<ExitCode, CliError> {
    let c = load_classifier(a.pack.as_deref())?;
    let mut total = [Counts::default(); 2];
    let mut by_lang: BTreeMap<String, [Counts; 2]> = BTreeMap::new();
    for f in &a.files {
        let file = std::fs::File::open(f).map_err(|e| CliError(format!("{}: {e}", f.display())))?;
        let mut counts = [Counts::default(); 2];
        let (mut misses, mut alarms) = (Vec::new(), Vec::new());
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let at = || format!("{}:{}", f.display(), n + 1);
            let line = line.map_err(|e| CliError(format!("{}: {e}", at())))?;
            if line.trim().is_empty() {
                continue;
            }
            let l: Line = serde_json::from_str(&line).map_err(|e| CliError(format!("{}: {e}", at())))?;
            let scam = match l.label.as_str() {
                "scam" => true,
                "legit" => false,
                other => return Err(CliError(format!("{}: label {other:?} is neither \"scam\" nor \"legit\"", at()))),
            };
            let input =
                PageInput { text: l.text.clone(), title: l.title, lang: Some("en".into()), ..Default::default() };
            let v = c.score(&input)?;
            let levels = [v.level >= Level::Caution, v.level >= Level::Danger];
            let lang = l.lang.unwrap_or_else(|| "?".into());
            for i in 0..2 {
                counts[i].add(scam, levels[i]);
                total[i].add(scam, levels[i]);
                by_lang.entry(lang.clone()).or_default()[i].add(scam, levels[i]);
            }
            let s = Scored {
                id: match l.id {
                    serde_json::Value::String(s) => s,
                    v => v.to_string(),
                },
                score: v.score,
                rules: v.reasons.iter().map(|r| r.rule.clone()).collect(),
                snippet: l.text.chars().take(90).collect::<String>().replace('\n', " "),
            };
            if scam && !levels[0] {
                misses.push(s);
            } else if !scam && levels[0] {
                alarms.push(s);
            }
        }
        println!("== {}", f.display());
        print_counts(&counts);
        misses.sort_by_key(|s| s.score);
        alarms.sort_by_key(|s| std::cmp::Reverse(s.score));
        print_worst("worst misses", &misses, a.worst);
        print_worst("false alarms", &alarms, a.worst);
    }
    println!("== all files");
    print_counts(&total);
    for (lang, counts) in &by_lang {
        println!("== lang {lang}");
        print_counts(counts);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_counts(c: &[Counts; 2]) {
    println!(
        "  items: {} scam, {} legit; flagged {}/{} scam, {}/{} legit",
        c[0].scam, c[0].legit, c[0].scam_flagged, c[0].scam, c[0].legit_flagged, c[0].legit
    );
    println!("  caution+  {}", c[0].row());
    println!("  danger    {}", c[1].row());
}

fn print_worst(what: &str, items: &[Scored], n: usize) {
    if items.is_empty() || n == 0 {
        return;
    }
    println!("  {what} ({}):", items.len());
    for s in items.iter().take(n) {
        println!("    {:>3} {} [{}] {}", s.score, s.id, s.rules.join(","), s.snippet);
    }
}
