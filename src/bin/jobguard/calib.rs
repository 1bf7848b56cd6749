//! Calibration and step placement, shared by `jobguard train` and `jobguard eval --cv` (which runs the same
//! procedure inside each outer fold): out-of-fold scores, Platt scaling, the global steps by precision, and per
//! script either steps by the model's probability alone (`--script-steps`) or steps placed on the combined
//! score of rules and model (`--combined-steps`, [`jobguard::model::steps`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::Args;
use jobguard::model::steps::{self, Ordinary, Rung};
use jobguard::model::train::{self, Example, Params};
use jobguard::model::{calibrate as platt_p, features, Blob};
use jobguard::normalize::Normalized;
use jobguard::pack::{ModelSpec, ModelStep, Pack, ScriptSteps};
use jobguard::{Classifier, Level, PageInput};

use crate::data::{self, Labelled};
use crate::CliError;

/// How the model's steps are placed.
#[derive(Args, Clone, Debug)]
pub struct StepArgs {
    /// The model's steps: `precision:points` pairs (points `caution` = the pack's caution threshold). Each
    /// step starts at the lowest calibrated probability where the out-of-fold precision reaches its target.
    #[arg(long, default_value = "0.95:10,0.98:20,0.995:caution")]
    pub steps: String,
    /// The model's steps for the texts of each script: `false-alarm-rate:points` pairs. Each step starts at the
    /// lowest calibrated probability (at least 0.5) that at most that share of the script's ordinary texts
    /// reaches out of fold. A script with fewer than 100 ordinary texts uses `--steps`.
    #[arg(long, default_value = "0.05:10,0.02:27,0.005:caution")]
    pub script_steps: String,
    /// Instead of `--script-steps`: place each script's steps on the combined score, `share:points` pairs
    /// (points `caution` allowed). From the most points down, each step starts at the lowest probability (at
    /// least 0.5) at which the ordinary texts of the script that the rules plus this step's points (or a
    /// step above it) bring to caution, out of fold, stay within `share` (cumulative; texts the rules alone
    /// flag are not counted).
    #[arg(long)]
    pub combined_steps: Option<String>,
    /// How much one of the team's hand-written ordinary examples (files in a folder named `examples`) counts in
    /// the budget of `--combined-steps` (a development text counts 1). Fitting and calibration weigh them as
    /// before.
    #[arg(long, default_value_t = 1.0)]
    pub example_weight: f64,
    /// The scripts whose steps `--combined-steps` places (comma-separated: latin, hangul, cjk, thai); the
    /// others keep `--script-steps`.
    #[arg(long, default_value = "latin,hangul,cjk,thai")]
    pub combined_scripts: String,
}

impl StepArgs {
    /// The rungs of `--combined-steps`, if given.
    pub fn rungs(&self, caution: i32) -> Result<Option<Vec<Rung>>, CliError> {
        let Some(s) = &self.combined_steps else { return Ok(None) };
        let pairs = parse_steps(s, caution)?;
        if pairs.is_empty()
            || pairs.iter().any(|&(share, pts)| !(0.0..=1.0).contains(&share) || !(1..=100).contains(&pts))
        {
            return Err(CliError("--combined-steps: points in 1..=100 and shares in 0..=1".into()));
        }
        Ok(Some(pairs.into_iter().map(|(share, points)| Rung { points, share }).collect()))
    }

    /// How much each line counts in the budget of `--combined-steps`: `--example-weight` for the team's
    /// hand-written examples, 1 for the rest.
    pub fn budget_weights<'a>(&self, lines: impl IntoIterator<Item = &'a Labelled>) -> Vec<f64> {
        lines.into_iter().map(|l| if data::is_example(l) { self.example_weight } else { 1.0 }).collect()
    }
}

/// Parses `--steps`, `--script-steps` and `--combined-steps`.
fn parse_steps(s: &str, caution: i32) -> Result<Vec<(f64, i32)>, CliError> {
    s.split(',')
        .map(|pair| {
            let (p, pts) =
                pair.split_once(':').ok_or_else(|| CliError(format!("--steps: {pair:?} is not p:points")))?;
            let p: f64 = p.trim().parse().map_err(|_| CliError(format!("--steps: bad precision {p:?}")))?;
            let pts = if pts.trim() == "caution" {
                caution
            } else {
                pts.trim().parse().map_err(|_| CliError(format!("--steps: bad points {pts:?}")))?
            };
            Ok((p, pts))
        })
        .collect()
}

/// The lowest probability at which precision (among texts at or above it) reaches `target`, with the
/// precision and recall there; `None` when no threshold of at least 0.5 reaches it.
fn threshold_for(p: &[f64], scam: &[bool], target: f64) -> Option<(f64, f64, f64)> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    let positives = scam.iter().filter(|&&s| s).count().max(1) as f64;
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut best = None;
    for (rank, &i) in order.iter().enumerate() {
        if scam[i] {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        // Only cut between distinct probabilities.
        if order.get(rank + 1).is_some_and(|&j| p[j] == p[i]) || p[i] < 0.5 {
            continue;
        }
        if tp / (tp + fp) >= target {
            best = Some((p[i], tp / (tp + fp), tp / positives));
        }
    }
    best
}

/// The lowest probability (at least 0.5) that at most `target` of the legit texts reach, with the false-alarm
/// rate, precision and recall there; `None` when only a threshold of 1 would keep the rate that low.
fn threshold_for_fpr(p: &[f64], scam: &[bool], target: f64) -> Option<(f64, f64, f64, f64)> {
    let mut legit: Vec<f64> = p.iter().zip(scam).filter(|(_, &s)| !s).map(|(&p, _)| p).collect();
    legit.sort_by(|a, b| b.total_cmp(a));
    // Allowed false alarms; the threshold sits just above the next legit text's probability.
    let allowed = (target * legit.len() as f64).floor() as usize;
    let min_p = legit.get(allowed).map_or(0.5, |&next| (next + 1e-4).max(0.5));
    if min_p >= 1.0 {
        return None;
    }
    let at = |s: bool| p.iter().zip(scam).filter(|(&x, &y)| y == s && x >= min_p).count() as f64;
    let (tp, fp) = (at(true), at(false));
    let positives = scam.iter().filter(|&&s| s).count().max(1) as f64;
    let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 1.0 };
    Some((min_p, fp / legit.len().max(1) as f64, precision, tp / positives))
}

/// Where each text stands for `--combined-steps`: flagged by the rules alone, then with each rung's points
/// added by the model (`flags[i][0]`, `flags[i][1 + rung]`), and how much it counts in the budget.
pub struct Combined<'a> {
    /// The rungs.
    pub rungs: &'a [Rung],
    /// Per text: flagged by the rules alone, then with each rung's points.
    pub flags: &'a [Vec<bool>],
    /// Per text: its weight in the budget.
    pub weight: &'a [f64],
    /// The scripts placed so (`--combined-scripts`).
    pub scripts: &'a str,
}

/// Per script with at least 100 legit texts: its steps (from `--script-steps`, or placed on the combined score)
/// and its least length (the 5th percentile of its legit texts' feature counts), and lines for the notes.
fn script_steps(
    examples: &[Example],
    prob: &[f64],
    bits: u8,
    targets: &[(f64, i32)],
    combined: Option<&Combined>,
    notes: &mut String,
) -> BTreeMap<String, ScriptSteps> {
    let produced: Vec<features::Produced> = examples
        .iter()
        .map(|e| features::for_each(&Normalized::new(&e.text).text, u32::from(bits), |_, _, _| {}))
        .collect();
    let mut out = BTreeMap::new();
    for script in features::Script::ALL {
        let mut idx = Vec::new();
        let mut p = Vec::new();
        let mut scam = Vec::new();
        let mut lengths = Vec::new();
        for (i, ((&prob, e), n)) in prob.iter().zip(examples).zip(&produced).enumerate() {
            if n.script() == Some(script) {
                idx.push(i);
                p.push(prob);
                scam.push(e.scam);
                if !e.scam {
                    lengths.push(n.total);
                }
            }
        }
        let legit = lengths.len();
        let _ = writeln!(notes, "Steps for {} texts ({} scam, {legit} legit):", script.name(), p.len() - legit);
        if legit < 100 {
            let _ = writeln!(notes, "  too few legit texts: the steps above apply");
            continue;
        }
        lengths.sort_unstable();
        let min_features = lengths[legit * 5 / 100] as u32;
        let _ = writeln!(notes, "  at least {min_features} features (5th percentile of the legit texts)");
        let mut steps: Vec<ModelStep> = Vec::new();
        if let Some(c) = combined.filter(|c| c.scripts.split(',').any(|s| s.trim() == script.name())) {
            let long = |i: usize| produced[i].total >= min_features as usize;
            let ord: Vec<Ordinary> = idx
                .iter()
                .filter(|&&i| !examples[i].scam && long(i))
                .map(|&i| Ordinary {
                    p: prob[i],
                    weight: c.weight[i],
                    by_rules: c.flags[i][0],
                    with: c.flags[i][1..].to_vec(),
                })
                .collect();
            let placed = steps::place(&ord, c.rungs, 0.5);
            let flagged = |i: usize| {
                c.flags[i][0]
                    || (long(i) && steps::rung_at(&placed, c.rungs, prob[i]).is_some_and(|r| c.flags[i][1 + r]))
            };
            let weight_all: f64 = ord.iter().map(|o| o.weight).sum();
            for s in &placed {
                let _ = writeln!(
                    notes,
                    "  p >= {:.4}: {} points; the model flags {:.1} of {weight_all:.1} (weighted) ordinary texts here",
                    s.min_p, s.points, s.flagged
                );
                steps.push(ModelStep { min_p: s.min_p, points: s.points });
            }
            let count = |want: bool| {
                let all = idx.iter().filter(|&&i| examples[i].scam == want).count();
                let hit = idx.iter().filter(|&&i| examples[i].scam == want && flagged(i)).count();
                let rules = idx.iter().filter(|&&i| examples[i].scam == want && c.flags[i][0]).count();
                (hit, rules, all)
            };
            let (sh, sr, sa) = count(true);
            let (lh, lr, la) = count(false);
            let _ = writeln!(
                notes,
                "  rules + model out of fold: scam {sh}/{sa} flagged (rules alone {sr}), ordinary {lh}/{la} (rules alone {lr})"
            );
            let mut by_file: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in idx.iter().filter(|&&i| !examples[i].scam && flagged(i) && !c.flags[i][0]) {
                *by_file.entry(examples[i].file.as_str()).or_default() += 1;
            }
            for (f, n) in by_file {
                let _ = writeln!(notes, "    flagged through the model: {n} of {f}");
            }
        } else {
            for &(target, points) in targets {
                let Some((min_p, fpr, prec, rec)) = threshold_for_fpr(&p, &scam, target) else { continue };
                let min_p = (min_p * 1e4).ceil() / 1e4;
                if steps.last().is_some_and(|s| min_p <= s.min_p || points <= s.points) {
                    continue;
                }
                let _ = writeln!(
                    notes,
                    "  p >= {min_p:.4}: {points} points; false alarms {:.1}% (target {:.1}%), precision {:.1}%, recall {:.1}%",
                    100.0 * fpr,
                    100.0 * target,
                    100.0 * prec,
                    100.0 * rec
                );
                steps.push(ModelStep { min_p, points });
            }
        }
        out.insert(script.name().to_string(), ScriptSteps { min_features, steps });
    }
    out
}

/// For each line: flagged (caution or above) by the rules of `pack` alone, then with the model adding each
/// rung's points, scored as `jobguard eval` scores it (text and title).
pub fn flag_table(pack: &Pack, rungs: &[Rung], lines: &[&Labelled]) -> Result<Vec<Vec<bool>>, CliError> {
    let mut base = pack.clone();
    base.model = None;
    let mut cs = vec![Classifier::new(base)?];
    // A model without weights: p = 0.5 for every text, so a single step at 0.25 gives each text the points.
    let weights = Blob { bits: 16, bias: 0.0, scale: 1.0, entries: Vec::new() }.to_base64();
    let explain = pack.model.as_ref().map_or_else(crate::train::default_explain, |m| m.explain.clone());
    for r in rungs {
        let mut p = pack.clone();
        p.model = Some(ModelSpec {
            id: "model.ngrams".into(),
            category: "model".into(),
            platt: [1.0, 0.0],
            steps: vec![ModelStep { min_p: 0.25, points: r.points }],
            scripts: BTreeMap::new(),
            explain: explain.clone(),
            show: 3,
            weights: weights.clone(),
        });
        cs.push(Classifier::new(p)?);
    }
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let input =
            PageInput { text: l.text.clone(), title: l.title.clone(), lang: Some("en".into()), ..Default::default() };
        let mut row = Vec::with_capacity(cs.len());
        for c in &cs {
            row.push(c.score(&input)?.level >= Level::Caution);
        }
        out.push(row);
    }
    Ok(out)
}

/// What calibration gives: the Platt parameters, each text's out-of-fold probability, and the steps.
pub struct Calibrated {
    /// Platt `[a, b]`.
    pub platt: [f64; 2],
    /// Out-of-fold calibrated probability of each example.
    pub prob: Vec<f64>,
    /// Steps for scripts without their own.
    pub steps: Vec<ModelStep>,
    /// Steps per script.
    pub scripts: BTreeMap<String, ScriptSteps>,
}

/// Cross-validates (`folds` folds over the examples' groups), calibrates and places the steps, writing what it
/// finds to `notes`. `combined` places the script steps on the combined score instead of `--script-steps`.
pub fn calibrate(
    examples: &[Example],
    s: &StepArgs,
    combined: Option<&Combined>,
    caution: i32,
    folds: usize,
    p: Params,
    notes: &mut String,
) -> Result<Calibrated, CliError> {
    let scam: Vec<bool> = examples.iter().map(|e| e.scam).collect();
    let raw = train::out_of_fold(examples, folds, p);
    let platt = train::platt(&raw, &scam);
    let prob: Vec<f64> = raw.iter().map(|&r| platt_p(platt, r)).collect();
    let _ = writeln!(
        notes,
        "Platt [{:.4}, {:.4}].\nSteps (out-of-fold; precision over these texts, whose scam share is {:.1}%):",
        platt[0],
        platt[1],
        100.0 * scam.iter().filter(|&&s| s).count() as f64 / scam.len().max(1) as f64
    );
    let mut steps: Vec<ModelStep> = Vec::new();
    for (target, points) in parse_steps(&s.steps, caution)? {
        match threshold_for(&prob, &scam, target) {
            Some((min_p, prec, rec))
                if steps.last().is_none_or(|s| (min_p * 1e4).floor() / 1e4 > s.min_p && points > s.points) =>
            {
                let _ = writeln!(
                    notes,
                    "  p >= {min_p:.4}: {points} points; precision {:.1}%, recall {:.1}% (target {:.1}%)",
                    100.0 * prec,
                    100.0 * rec,
                    100.0 * target
                );
                steps.push(ModelStep { min_p: (min_p * 1e4).floor() / 1e4, points });
            }
            _ => {
                let _ =
                    writeln!(notes, "  no threshold reaches {:.1}% precision: no {points}-point step", 100.0 * target);
            }
        }
    }
    let mut scripts = script_steps(examples, &prob, p.bits, &parse_steps(&s.script_steps, caution)?, combined, notes);
    // On texts the model separates perfectly a threshold can round to 1, which no probability reaches and a pack
    // refuses: such a step is dropped.
    steps.retain(|s| s.min_p < 1.0);
    for sc in scripts.values_mut() {
        sc.steps.retain(|s| s.min_p < 1.0);
    }
    Ok(Calibrated { platt, prob, steps, scripts })
}
