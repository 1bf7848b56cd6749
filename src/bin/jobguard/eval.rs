//! `jobguard eval`: recall and false-alarm rate (with 95% Wilson intervals), precision and F1 per file and per
//! language, at both levels, and the worst misses and false alarms, on labelled JSON lines. With `--cv`, the
//! model is cross-validated: each text is scored by a model fitted without its source group.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use jobguard::model::train;
use jobguard::{Classifier, Level, PageInput};

use crate::calib::{self, StepArgs};
use crate::data::{self, wilson, Labelled};
use crate::disguise::Disguise;
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
    /// Score without the pack's learned model (the rules alone).
    #[arg(long)]
    no_model: bool,
    /// Cross-validate the model: K folds grouped by source; each fold is scored by the pack with a model
    /// trained as `jobguard train` trains it (fit, calibration and steps, with inner folds grouped by
    /// near-duplicates) on the other folds and on `--train-extra`, so no step is placed on the texts it scores.
    #[arg(long, value_name = "K", num_args = 0..=1, default_missing_value = "5")]
    cv: Option<usize>,
    /// How texts are grouped into folds under `--cv`.
    #[arg(long, value_enum, default_value_t = data::Grouping::Source)]
    groups: data::Grouping,
    /// Under `--cv`, refit only the weights per fold and keep the pack's calibration and steps (placed by
    /// `jobguard train` on out-of-fold scores of every text, including those scored), with `--train-extra`
    /// split across the folds: how `eval --cv` measured until branch `calib`.
    #[arg(long)]
    pack_steps: bool,
    /// How the cross-validated models' steps are placed (as `jobguard train`).
    #[command(flatten)]
    placement: StepArgs,
    /// A folder (every `*.jsonl` in it) or file of labelled lines that are always in training under `--cv`
    /// (the team's examples in `rules/examples`), never scored. Repeat for several.
    #[arg(long)]
    train_extra: Vec<PathBuf>,
    /// Hash width of the cross-validated models.
    #[arg(long, default_value_t = 20)]
    bits: u8,
    /// L2 penalty of the cross-validated models.
    #[arg(long, default_value_t = train::Params::default().l2)]
    l2: f64,
    /// Most features kept by the cross-validated models.
    #[arg(long, default_value_t = train::Params::default().max_entries)]
    max_entries: usize,
    /// How far the cross-validated models lean on naive-Bayes log-count ratios (as `jobguard train`).
    #[arg(long, default_value_t = train::Params::default().nb_beta)]
    nb_beta: f64,
    /// Refits of the cross-validated models on the features kept (as `jobguard train`).
    #[arg(long, default_value_t = train::Params::default().refits)]
    refits: usize,
    /// Disguise every text (and title) before scoring, as scam ads do to slip past filters, to measure what
    /// each disguise costs.
    #[arg(long, value_enum)]
    disguise: Option<Disguise>,
    /// Labelled JSON lines: `text`, `label` (scam|legit), optional `id`, `lang`, `title`, `source`.
    #[arg(required = true)]
    files: Vec<PathBuf>,
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
                "    -               ".to_string()
            } else {
                let (lo, hi) = wilson(a, b);
                format!("{:5.1} [{lo:4.1}-{hi:5.1}]", 100.0 * a as f64 / b as f64)
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

/// The classifier each line is scored with: one for every line, or one per fold under `--cv`.
fn classifiers(a: &EvalArgs, lines: &[Labelled]) -> Result<(Vec<Classifier>, Vec<usize>), CliError> {
    let base = load_classifier(a.pack.as_deref())?;
    let mut pack = base.pack().clone();
    if a.no_model {
        pack.model = None;
        return Ok((vec![Classifier::new(pack)?], vec![0; lines.len()]));
    }
    let Some(k) = a.cv else { return Ok((vec![base], vec![0; lines.len()])) };
    let Some(spec) = pack.model.clone() else {
        return Err(CliError("--cv: the pack has no model to cross-validate (run `jobguard train`)".into()));
    };
    let params = train::Params {
        bits: a.bits,
        l2: a.l2,
        max_entries: a.max_entries,
        nb_beta: a.nb_beta,
        refits: a.refits,
        ..train::Params::default()
    };
    let extra_lines = data::read_all(&data::expand(&a.train_extra)?)?;
    if a.pack_steps {
        let extra: Vec<_> = extra_lines.iter().map(Labelled::example).collect();
        let mut all: Vec<_> = lines.iter().map(Labelled::example).collect();
        let scored = all.len();
        all.extend(extra);
        let fold = train::folds(&all, k);
        let mut out = Vec::with_capacity(k);
        for f in 0..k {
            let train_set: Vec<_> = all.iter().zip(&fold).filter(|(_, &x)| x != f).map(|(e, _)| e.clone()).collect();
            let blob = train::fit(&train_set, &train::sample_weights(&train_set), params);
            let mut p = pack.clone();
            p.model = Some(jobguard::pack::ModelSpec { weights: blob.to_base64(), ..spec.clone() });
            out.push(Classifier::new(p)?);
            eprintln!("jobguard: fold {}/{k} fitted on {} texts", f + 1, train_set.len());
        }
        return Ok((out, fold[..scored].to_vec()));
    }
    // The outer folds by `--groups`; the training inside each by near-duplicates, as `jobguard train`.
    let fold = train::folds(&lines.iter().map(Labelled::example).collect::<Vec<_>>(), k);
    let all: Vec<&Labelled> = lines.iter().chain(&extra_lines).collect();
    let near: Vec<train::Example> = all
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let group =
                if i < lines.len() && a.groups == data::Grouping::Near { l.group.clone() } else { data::near_group(l) };
            train::Example { group, ..l.example() }
        })
        .collect();
    let caution = i32::from(pack.thresholds.caution);
    let rungs = a.placement.rungs(caution)?;
    let flags = rungs.as_ref().map(|r| calib::flag_table(&pack, r, &all)).transpose()?;
    let weight = a.placement.budget_weights(all.iter().copied());
    let mut out = Vec::with_capacity(k);
    for f in 0..k {
        let idx: Vec<usize> = (0..all.len()).filter(|&i| i >= lines.len() || fold[i] != f).collect();
        let train_set: Vec<train::Example> = idx.iter().map(|&i| near[i].clone()).collect();
        let sub_flags: Option<Vec<Vec<bool>>> = flags.as_ref().map(|fl| idx.iter().map(|&i| fl[i].clone()).collect());
        let sub_weight: Vec<f64> = idx.iter().map(|&i| weight[i]).collect();
        let combined = match (&rungs, &sub_flags) {
            (Some(rungs), Some(flags)) => {
                Some(calib::Combined { rungs, flags, weight: &sub_weight, scripts: &a.placement.combined_scripts })
            }
            _ => None,
        };
        let mut notes = String::new();
        let cal = calib::calibrate(&train_set, &a.placement, combined.as_ref(), caution, k, params, &mut notes)?;
        let blob = train::fit(&train_set, &train::sample_weights(&train_set), params);
        let mut p = pack.clone();
        p.model = Some(jobguard::pack::ModelSpec {
            weights: blob.to_base64(),
            platt: cal.platt,
            steps: cal.steps,
            scripts: cal.scripts,
            ..spec.clone()
        });
        out.push(Classifier::new(p)?);
        eprintln!("jobguard: fold {}/{k} trained on {} texts", f + 1, train_set.len());
        for l in notes.lines() {
            eprintln!("jobguard:   {l}");
        }
    }
    Ok((out, fold))
}

pub fn run(a: EvalArgs) -> Result<ExitCode, CliError> {
    let mut lines = Vec::new();
    let mut file_of = Vec::new();
    for (fi, f) in a.files.iter().enumerate() {
        let l = data::read(f)?;
        file_of.extend(std::iter::repeat_n(fi, l.len()));
        lines.extend(l);
    }
    data::regroup(&mut lines, a.groups);
    let (cs, fold) = classifiers(&a, &lines)?;
    let mut total = [Counts::default(); 2];
    let mut by_lang: BTreeMap<String, [Counts; 2]> = BTreeMap::new();
    let mut per_file: Vec<([Counts; 2], Vec<Scored>, Vec<Scored>)> =
        a.files.iter().map(|_| ([Counts::default(); 2], Vec::new(), Vec::new())).collect();
    for (i, l) in lines.iter().enumerate() {
        let (text, title) = match a.disguise {
            Some(d) => (d.apply(&l.text), l.title.as_deref().map(|t| d.apply(t))),
            None => (l.text.clone(), l.title.clone()),
        };
        let input = PageInput { text, title, lang: Some("en".into()), ..Default::default() };
        let v = cs[fold[i]].score(&input)?;
        let levels = [v.level >= Level::Caution, v.level >= Level::Danger];
        let (counts, misses, alarms) = &mut per_file[file_of[i]];
        for j in 0..2 {
            counts[j].add(l.scam, levels[j]);
            total[j].add(l.scam, levels[j]);
            by_lang.entry(l.lang.clone()).or_default()[j].add(l.scam, levels[j]);
        }
        let s = Scored {
            id: l.id.clone(),
            score: v.score,
            rules: v.reasons.iter().map(|r| r.rule.clone()).collect(),
            snippet: l.text.chars().take(90).collect::<String>().replace('\n', " "),
        };
        if l.scam && !levels[0] {
            misses.push(s);
        } else if !l.scam && levels[0] {
            alarms.push(s);
        }
    }
    for (f, (counts, misses, alarms)) in a.files.iter().zip(&mut per_file) {
        println!("== {}", f.display());
        print_counts(counts);
        misses.sort_by_key(|s| s.score);
        alarms.sort_by_key(|s| std::cmp::Reverse(s.score));
        print_worst("worst misses", misses, a.worst);
        print_worst("false alarms", alarms, a.worst);
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
