//! The learned model's entry in a pack: the weights (base64, see [`crate::model::blob`]), the calibration,
//! how many points each calibrated probability may add, and the explanation per language.

use serde::{Deserialize, Serialize};

use crate::pack::{Category, Texts};

/// The learned model of a pack.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Rule id under which the model's reason and highlights appear, e.g. `model.ngrams`.
    pub id: String,
    /// Category its points go to (its cap is how far the model alone may lift a page).
    pub category: String,
    /// Platt calibration `[a, b]`: probability = `1 / (1 + exp(-(a * raw + b)))`.
    pub platt: [f64; 2],
    /// Points by calibrated probability: the highest step whose `min_p` the probability reaches applies.
    pub steps: Vec<ModelStep>,
    /// Explanation per language; `{ngrams}` is replaced by the words that weighed most, quoted.
    pub explain: Texts,
    /// How many words the explanation names.
    #[serde(default = "default_show")]
    pub show: u8,
    /// The weights: base64 of the model's binary form.
    pub weights: String,
}

fn default_show() -> u8 {
    3
}

/// One step of the model's points.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelStep {
    /// Lowest calibrated probability of the step (0 < min_p < 1).
    pub min_p: f64,
    /// Points added (1..=100).
    pub points: i32,
}

impl ModelSpec {
    /// Checks everything but the weights (which the classifier decodes): id, category, calibration, steps.
    pub fn check(&self, cats: &std::collections::BTreeMap<String, Category>) -> Result<(), String> {
        if self.id.is_empty()
            || !self.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        {
            return Err("ids use only a-z, 0-9, '.' and '_'".into());
        }
        match cats.get(&self.category) {
            None => return Err(format!("unknown category '{}'", self.category)),
            Some(c) if c.context => return Err("the model's category cannot be a context category".into()),
            _ => {}
        }
        if !self.platt.iter().all(|v| v.is_finite()) {
            return Err("calibration must be finite".into());
        }
        if self.steps.len() > 16 {
            return Err("at most 16 steps".into());
        }
        let mut last = (0.0, 0);
        for s in &self.steps {
            let increasing = s.min_p > last.0 && s.points > last.1;
            if !(increasing && s.min_p < 1.0 && (1..=100).contains(&s.points)) {
                return Err("steps need 0 < min_p < 1 and points in 1..=100, both increasing".into());
            }
            last = (s.min_p, s.points);
        }
        for lang in ["ko", "en"] {
            if self.explain.get(lang).is_none_or(|s| s.trim().is_empty()) {
                return Err(format!("explain.{lang} is missing"));
            }
        }
        if self.show > 10 {
            return Err("show at most 10 words".into());
        }
        Ok(())
    }

    /// Points for a calibrated probability.
    pub fn points(&self, p: f64) -> i32 {
        self.steps.iter().filter(|s| p >= s.min_p).map(|s| s.points).max().unwrap_or(0)
    }
}
