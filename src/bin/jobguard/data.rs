//! Labelled JSON lines, as `eval` and `train` read them: `text`, `label` (scam|legit), and optionally `id`,
//! `lang`, `title`, `source`. Lines without `lang` take it from the file name (`ko.jsonl`, `en_job_scams.jsonl`).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use jobguard::model::train::Example;
use serde::Deserialize;

use crate::CliError;

#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    text: String,
    label: String,
}

/// One labelled text.
pub struct Labelled {
    /// Its id (or its line number).
    pub id: String,
    /// Language code.
    pub lang: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Text.
    pub text: String,
    /// Scam (true) or legit.
    pub scam: bool,
    /// The file, as given.
    pub file: PathBuf,
    /// The source group (see [`group_of`]).
    pub group: String,
}

impl Labelled {
    /// The example the model trains on: text then title, as the classifier reads a page.
    pub fn example(&self) -> Example {
        let mut text = self.text.clone();
        if let Some(t) = &self.title {
            text.push_str("\n\n");
            text.push_str(t);
        }
        Example {
            text,
            scam: self.scam,
            lang: self.lang.clone(),
            file: self.file.display().to_string(),
            group: self.group.clone(),
        }
    }
}

/// The source group of a line: its `source` without the row, line or message number that makes every line's
/// source unique (`…csv#16`, `… (row 14841)`), a web page's host; lines without a source group by file.
pub fn group_of(source: Option<&str>, file: &Path) -> String {
    let stem = file.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let Some(src) = source.map(str::trim).filter(|s| !s.is_empty()) else { return format!("file:{stem}") };
    let mut s = src;
    if let Some(i) = s.rfind('#') {
        if s[i + 1..].chars().all(|c| c.is_ascii_digit()) {
            s = &s[..i];
        }
    }
    if s.ends_with(')') {
        if let Some(i) = s.rfind(" (") {
            s = &s[..i];
        }
    }
    if let Some(rest) = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")) {
        let host = rest.split('/').next().unwrap_or(rest);
        return format!("web:{}", host.trim_start_matches("www.").trim_start_matches("m."));
    }
    s.to_string()
}

/// Reads every line of `file`.
pub fn read(file: &Path) -> Result<Vec<Labelled>, CliError> {
    let f = std::fs::File::open(file).map_err(|e| CliError(format!("{}: {e}", file.display())))?;
    let stem = file.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let file_lang = stem.split(['_', '.']).next().unwrap_or("").to_string();
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let at = || format!("{}:{}", file.display(), n + 1);
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
        out.push(Labelled {
            id: match l.id {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => format!("line {}", n + 1),
                v => v.to_string(),
            },
            lang: l.lang.unwrap_or_else(|| if file_lang.len() == 2 { file_lang.clone() } else { "?".into() }),
            title: l.title,
            group: group_of(l.source.as_deref(), file),
            text: l.text,
            scam,
            file: file.to_path_buf(),
        });
    }
    Ok(out)
}

/// How texts are grouped into folds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Grouping {
    /// By source: a source never has texts on both sides of a fold (how a new source would fare).
    Source,
    /// By near-duplicates within each source (same title, or same opening without one): a reposted ad stays
    /// on one side, but a source has texts on both (how more texts of the same sources would fare, as in a
    /// held-back half of the same kinds). Sample weights still count whole sources.
    Near,
}

/// Applies `grouping` to `lines`.
pub fn regroup(lines: &mut [Labelled], grouping: Grouping) {
    if grouping == Grouping::Source {
        return;
    }
    for l in lines.iter_mut() {
        l.group = near_group(l);
    }
}

/// The near-duplicate group of a line still grouped by source: `source~key`, the key being the first 40 letters
/// and digits of its title (or of its text, without one), lower case.
pub fn near_group(l: &Labelled) -> String {
    let basis = l.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&l.text);
    let key: String = basis.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).take(40).collect();
    format!("{}~{key}", l.group)
}

/// Whether a line comes from the team's hand-written examples: a file in a folder named `examples`
/// (`rules/examples`).
pub fn is_example(l: &Labelled) -> bool {
    l.file.parent().and_then(|d| d.file_name()).is_some_and(|n| n == "examples")
}

/// Files as given, folders replaced by the `*.jsonl` files in them (sorted).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| CliError(format!("{}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "jsonl"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Reads every file.
pub fn read_all(files: &[PathBuf]) -> Result<Vec<Labelled>, CliError> {
    let mut out = Vec::new();
    for f in files {
        out.extend(read(f)?);
    }
    Ok(out)
}

/// The 95% Wilson score interval of `k` successes in `n` trials, in percent.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 100.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96f64);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * ((p * (1.0 - p) + z * z / (4.0 * n)) / n).sqrt() / (1.0 + z * z / n);
    (100.0 * (centre - half).max(0.0), 100.0 * (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_drop_row_numbers_and_keep_hosts() {
        let f = Path::new("x/board_posting.legit.jsonl");
        assert_eq!(group_of(Some("a/b@c:51job.csv#16"), f), "a/b@c:51job.csv");
        assert_eq!(group_of(Some("tg/train.csv (row 14841)"), f), "tg/train.csv");
        assert_eq!(group_of(Some("https://www.example.com/a/b"), f), "web:example.com");
        assert_eq!(group_of(None, f), "file:board_posting.legit");
    }

    #[test]
    fn wilson_intervals() {
        let (lo, hi) = wilson(0, 10);
        assert!(lo == 0.0 && (hi - 27.75).abs() < 0.1, "{lo} {hi}");
        let (lo, hi) = wilson(50, 100);
        assert!((lo - 40.38).abs() < 0.1 && (hi - 59.62).abs() < 0.1, "{lo} {hi}");
    }
}
