//! The learned model as a signal extractor: scores the normalised text, turns the calibrated probability into
//! points by the pack's steps, and reports the words that weighed most (highlighted, and named in the reason).

use super::signals::Signals;
use crate::error::PackError;
use crate::model::{calibrate, Blob, Model};
use crate::normalize::Normalized;
use crate::pack::ModelSpec;

/// The pack's model, decoded.
#[derive(Debug, Clone)]
pub struct Learned {
    spec: ModelSpec,
    model: Model,
    /// Classifier rule index of the model.
    rule: usize,
}

impl Learned {
    /// Decodes the model of `spec`; a damaged or malformed model refuses the pack.
    pub fn new(spec: &ModelSpec, rule: usize) -> Result<Learned, PackError> {
        let blob = Blob::from_base64(&spec.weights)?;
        Ok(Learned { spec: spec.clone(), model: Model::new(&blob), rule })
    }

    /// The model of `spec`, already decoded (a compiled snapshot).
    pub(super) fn from_model(spec: &ModelSpec, model: Model, rule: usize) -> Learned {
        Learned { spec: spec.clone(), model, rule }
    }

    /// The decoded model.
    pub(super) fn model(&self) -> &Model {
        &self.model
    }

    /// The calibrated probability that `norm` is a scam, and the analysis behind it.
    pub fn probability(&self, norm: &Normalized, spans: bool) -> (f64, crate::model::Analysis) {
        let a = self.model.analyse(&norm.text, spans);
        (calibrate(self.spec.platt, a.raw), a)
    }

    /// Scores the text; when the model adds points, its strongest words are highlighted and named.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        self.report(self.probability(norm, true), norm, signals);
    }

    /// Reports what [`Learned::probability`] found in `norm` (with spans): the points, the highlights and the
    /// words. Split from [`Learned::run`] so that a large text's analysis can run on a thread of its own while the
    /// rules are matched, and be reported after them, where `run` would have reported it.
    pub(super) fn report(&self, (p, a): (f64, crate::model::Analysis), norm: &Normalized, signals: &mut Signals) {
        let points = self.spec.points(p, a.script, a.features);
        if points <= 0 {
            return;
        }
        signals.fire_with(self.rule, points);
        // The strongest distinct features, by weight, then by first occurrence.
        let mut top: Vec<(u32, i8, usize, usize)> = a.firsts.iter().map(|&i| a.positive[i]).collect();
        crate::sort::sort_by(&mut top, |x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)));
        top.truncate(usize::from(self.spec.show));
        let mut spans: Vec<(usize, usize)> =
            a.positive.iter().filter(|o| top.iter().any(|t| t.0 == o.0)).map(|o| (o.2, o.3)).collect();
        crate::sort::sort(&mut spans);
        // Overlapping n-grams (Chinese bigrams and trigrams) highlight as one span.
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in spans {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        for (s, e) in merged {
            let (s16, e16) = norm.norm_range_to_orig(s, e);
            signals.span(self.rule, s16, e16);
        }
        let words: Vec<String> = top.iter().map(|t| format!("'{}'", &norm.text[t.2..t.3])).collect();
        signals.words.push((self.rule, words.join(", ")));
    }
}
