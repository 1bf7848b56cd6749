//! `jobguard train`: fits the learned model on labelled JSON lines, cross-validates it with folds grouped by
//! source, calibrates it on the out-of-fold scores, sets its steps from the measured precision, and writes
//! `rules/model/model.toml`, which `jobguard pack build` (and the bundled pack) then carries and the build signs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jobguard::model::train::{self, Example, Params};
use jobguard::model::{features, Blob};
use jobguard::normalize::Normalized;
use jobguard::pack::source::MODEL_FILE;
use jobguard::pack::{ModelSpec, Texts};

use crate::calib::{self, StepArgs};
use crate::data;
use crate::CliError;

/// Arguments of `jobguard train`.
#[derive(Args)]
pub struct TrainArgs {
    /// The rules folder: its pack head gives the caution threshold, and the model is written below it.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Where to write the model source (default: RULES/model/model.toml; `-` for stdout).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Cross-validation folds (grouped by source).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Hash width in bits.
    #[arg(long, default_value_t = 20)]
    bits: u8,
    /// L2 penalty.
    #[arg(long, default_value_t = Params::default().l2)]
    l2: f64,
    /// Most features kept.
    #[arg(long, default_value_t = Params::default().max_entries)]
    max_entries: usize,
    /// Most L-BFGS iterations per fit.
    #[arg(long, default_value_t = Params::default().iterations)]
    iterations: usize,
    /// How far each feature's value leans on its naive-Bayes log-count ratio (0: plain logistic regression).
    #[arg(long, default_value_t = Params::default().nb_beta)]
    nb_beta: f64,
    /// Fits again on only the features kept after pruning (0: prune the first fit).
    #[arg(long, default_value_t = Params::default().refits)]
    refits: usize,
    /// How texts are grouped into cross-validation folds.
    #[arg(long, value_enum, default_value_t = data::Grouping::Near)]
    groups: data::Grouping,
    /// How the steps are placed.
    #[command(flatten)]
    placement: StepArgs,
    /// Features listed per language and sign.
    #[arg(long, default_value_t = 30)]
    top: usize,
    /// Also write each text's out-of-fold calibrated probability, one JSON line per text (`id`, `file`,
    /// `lang`, `scam`, `p`), to read where the model fails by file and language.
    #[arg(long)]
    oof: Option<PathBuf>,
    /// Labelled JSON lines (`text`, `label`, optional `lang`, `title`, `source`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

impl TrainArgs {
    /// The fit's settings.
    pub fn params(&self) -> Params {
        Params {
            bits: self.bits,
            l2: self.l2,
            max_entries: self.max_entries,
            iterations: self.iterations,
            nb_beta: self.nb_beta,
            refits: self.refits,
        }
    }
}

pub(crate) fn default_explain() -> Texts {
    [
        ("en", "Words that often appear in scam job ads: {ngrams}"),
        ("ko", "사기 구인 광고에 자주 나오는 표현: {ngrams}"),
        ("ja", "詐欺の求人広告によく出る言葉: {ngrams}"),
        ("zh", "诈骗招聘广告中常见的词语：{ngrams}"),
        ("vi", "Những từ thường gặp trong tin tuyển dụng lừa đảo: {ngrams}"),
        ("th", "คำที่มักพบในประกาศรับสมัครงานหลอกลวง: {ngrams}"),
        ("id", "Kata-kata yang sering muncul di iklan lowongan penipuan: {ngrams}"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// The model source: figures as comments, then the fields.
fn render(spec: &ModelSpec, notes: &str) -> String {
    let mut t = String::new();
    t.push_str(
        "# The learned model, written by `jobguard train` (see rules/README.md). Do not edit by hand: rerun it.\n",
    );
    for l in notes.lines() {
        let _ = writeln!(t, "# {l}");
    }
    let _ = writeln!(t, "id = {}", toml_string(&spec.id));
    let _ = writeln!(t, "category = {}", toml_string(&spec.category));
    let _ = writeln!(t, "platt = [{:?}, {:?}]", spec.platt[0], spec.platt[1]);
    let _ = writeln!(t, "show = {}", spec.show);
    let _ = writeln!(t, "weights = {}", toml_string(&spec.weights));
    for s in &spec.steps {
        let _ = writeln!(t, "\n[[steps]]\nmin_p = {:?}\npoints = {}", s.min_p, s.points);
    }
    for (script, steps) in &spec.scripts {
        let _ = writeln!(t, "\n[scripts.{script}]\nmin_features = {}", steps.min_features);
        if steps.steps.is_empty() {
            let _ = writeln!(t, "steps = []");
        }
        for s in &steps.steps {
            let _ = writeln!(t, "\n[[scripts.{script}.steps]]\nmin_p = {:?}\npoints = {}", s.min_p, s.points);
        }
    }
    t.push_str("\n[explain]\n");
    for (k, v) in &spec.explain {
        let _ = writeln!(t, "{k} = {}", toml_string(v));
    }
    t
}

/// The text of each feature of the examples (its most frequent spelling), and per language the features at
/// home there: occurring in at least two of its texts, and in more of its texts than of any other language's.
fn feature_names(examples: &[Example], bits: u8) -> (BTreeMap<u32, String>, BTreeMap<String, Vec<u32>>) {
    let mut spellings: BTreeMap<u32, BTreeMap<String, usize>> = BTreeMap::new();
    let mut df: BTreeMap<u32, BTreeMap<&str, usize>> = BTreeMap::new();
    for e in examples {
        let norm = Normalized::new(&e.text);
        let mut seen = Vec::new();
        features::for_each(&norm.text, u32::from(bits), |h, s, end| {
            *spellings.entry(h).or_default().entry(norm.text[s..end].to_string()).or_default() += 1;
            seen.push(h);
        });
        seen.sort_unstable();
        seen.dedup();
        for h in seen {
            *df.entry(h).or_default().entry(e.lang.as_str()).or_default() += 1;
        }
    }
    let mut by_lang: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (h, langs) in &df {
        if let Some((lang, &n)) = langs.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
            if n >= 2 {
                by_lang.entry(lang.to_string()).or_default().push(*h);
            }
        }
    }
    let names = spellings
        .into_iter()
        .map(|(h, c)| {
            let best = c.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|x| x.0).unwrap_or_default();
            (h, best)
        })
        .collect();
    (names, by_lang)
}

pub fn run(a: TrainArgs) -> Result<ExitCode, CliError> {
    let files = data::expand(&a.files)?;
    let mut lines = data::read_all(&files)?;
    data::regroup(&mut lines, a.groups);
    let examples: Vec<Example> = lines.iter().map(data::Labelled::example).collect();
    let scam: Vec<bool> = examples.iter().map(|e| e.scam).collect();
    if !scam.iter().any(|&s| s) || scam.iter().all(|&s| s) {
        return Err(CliError("training needs both scam and legit lines".into()));
    }
    let head = jobguard::pack::source::build_dir(&a.rules).map_err(|e| CliError(e.to_string()))?;
    let caution = i32::from(head.thresholds.caution);
    let p = a.params();
    eprintln!(
        "jobguard: {} texts, {} source groups; cross-validating ({} folds)",
        examples.len(),
        {
            let mut g: Vec<&str> = examples.iter().map(|e| e.group.as_str()).collect();
            g.sort_unstable();
            g.dedup();
            g.len()
        },
        a.folds
    );
    let mut notes = format!(
        "{} texts from {} files; {}-fold cross-validation, groups: {:?}; ",
        examples.len(),
        files.len(),
        a.folds,
        a.groups
    );
    let rungs = a.placement.rungs(caution)?;
    let flags = match &rungs {
        Some(r) => {
            eprintln!("jobguard: scoring every text by the rules with each step's points");
            Some(calib::flag_table(&head, r, &lines.iter().collect::<Vec<_>>())?)
        }
        None => None,
    };
    let weight = a.placement.budget_weights(&lines);
    let combined = match (&rungs, &flags) {
        (Some(rungs), Some(flags)) => {
            Some(calib::Combined { rungs, flags, weight: &weight, scripts: &a.placement.combined_scripts })
        }
        _ => None,
    };
    let calib::Calibrated { platt, prob, steps, scripts } =
        calib::calibrate(&examples, &a.placement, combined.as_ref(), caution, a.folds, p, &mut notes)?;
    if let Some(path) = &a.oof {
        let mut out = String::new();
        for ((l, e), p) in lines.iter().zip(&examples).zip(&prob) {
            let row = serde_json::json!({"id": l.id, "file": e.file, "lang": e.lang, "scam": e.scam, "p": p});
            let _ = writeln!(out, "{row}");
        }
        crate::write_output(path, &out)?;
    }
    eprint!("{notes}");
    eprintln!("jobguard: fitting on every text");
    let weights = train::sample_weights(&examples);
    let blob = train::fit(&examples, &weights, p);
    let old_explain = head.model.as_ref().map(|m| m.explain.clone());
    let spec = ModelSpec {
        id: "model.ngrams".into(),
        category: "model".into(),
        platt,
        steps,
        scripts,
        explain: old_explain.unwrap_or_else(default_explain),
        show: 3,
        weights: blob.to_base64(),
    };
    let _ = writeln!(notes, "{} features kept, hash width {} bits.", blob.entries.len(), blob.bits);
    let out = a.output.clone().unwrap_or_else(|| a.rules.join(MODEL_FILE));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty() && out.as_os_str() != "-") {
        std::fs::create_dir_all(dir).map_err(|e| CliError(format!("{}: {e}", dir.display())))?;
    }
    crate::write_output(&out, &render(&spec, &notes))?;
    eprintln!(
        "jobguard: wrote {} ({} features, {} bytes of base64)",
        out.display(),
        blob.entries.len(),
        spec.weights.len()
    );
    print_top(&examples, &blob, a.top);
    Ok(ExitCode::SUCCESS)
}

/// The features the model leans on most, per language.
fn print_top(examples: &[Example], blob: &Blob, top: usize) {
    let (names, by_lang) = feature_names(examples, blob.bits);
    let weight: BTreeMap<u32, i8> = blob.entries.iter().copied().collect();
    for (lang, feats) in &by_lang {
        let mut ws: Vec<(i8, &str)> =
            feats.iter().filter_map(|h| weight.get(h).map(|&w| (w, names[h].as_str()))).collect();
        ws.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let show = |it: &mut dyn Iterator<Item = &(i8, &str)>| {
            it.take(top).map(|(w, n)| format!("{n:?} {w}")).collect::<Vec<_>>().join(", ")
        };
        println!("== lang {lang}: {} weighted features", ws.len());
        println!("  scam:  {}", show(&mut ws.iter().filter(|x| x.0 > 0)));
        println!("  legit: {}", show(&mut ws.iter().rev().filter(|x| x.0 < 0)));
    }
}
