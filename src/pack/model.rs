//! The learned model's entry in a pack: the weights (base64, see [`crate::model::blob`]), the calibration,
//! how many points each calibrated probability may add, and the explanation per language.

use serde::{Deserialize, Serialize};

use crate::pack::{Category, Texts};

/// The learned model of a pack.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Rule id under which the model's reason and highlights appear, e.g. `model.ngrams`.
    pub id: String,
    /// Category its points go to (its cap is how far the model alone may lift a page).
    pub category: String,
    /// Platt calibration `[a, b]`: probability = `1 / (1 + exp(-(a * raw + b)))`.
    pub platt: [f64; 2],
    /// Points by calibrated probability: the highest step whose `min_p` the probability reaches applies.
    /// Used for a text whose script has no steps of its own in `scripts`.
    pub steps: Vec<ModelStep>,
    /// Steps per script of the text (`latin`, `hangul`, `cjk`, `thai`: see
    /// [`crate::model::features::Script`]), set by `jobguard train` from the false-alarm rate of ordinary
    /// texts of that script: ordinary texts score differently in each (a short Korean headline, a long
    /// English posting), so one threshold for all would be too strict for one and too lax for another.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub scripts: std::collections::BTreeMap<String, ScriptSteps>,
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

/// The model's steps for the texts of one script.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ScriptSteps {
    /// Fewest features a text of this script must produce for the model to add points: below it the text is
    /// shorter than nearly every ordinary text the model was checked on (a list's card, a title), so its
    /// probability means little. Set by `jobguard train` from the ordinary texts of the script.
    #[serde(default)]
    pub min_features: u32,
    /// Points by calibrated probability, as [`ModelSpec::steps`].
    pub steps: Vec<ModelStep>,
}

/// One step of the model's points.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq)]
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
        check_steps(&self.steps)?;
        for (name, steps) in &self.scripts {
            if !crate::model::features::Script::ALL.iter().any(|s| s.name() == name) {
                return Err(format!("unknown script '{name}' (latin, hangul, cjk or thai)"));
            }
            check_steps(&steps.steps).map_err(|e| format!("scripts.{name}: {e}"))?;
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

    /// Points for a calibrated probability of a text mostly in `script` that produced `features` features.
    pub fn points(&self, p: f64, script: Option<crate::model::features::Script>, features: usize) -> i32 {
        let steps = match script.and_then(|s| self.scripts.get(s.name())) {
            Some(s) if features < s.min_features as usize => return 0,
            Some(s) => &s.steps,
            None => &self.steps,
        };
        steps.iter().filter(|s| p >= s.min_p).map(|s| s.points).max().unwrap_or(0)
    }
}

/// At most 16 steps, `0 < min_p < 1` and points in `1..=100`, both increasing.
fn check_steps(steps: &[ModelStep]) -> Result<(), String> {
    if steps.len() > 16 {
        return Err("at most 16 steps".into());
    }
    let mut last = (0.0, 0);
    for s in steps {
        let increasing = s.min_p > last.0 && s.points > last.1;
        if !(increasing && s.min_p < 1.0 && (1..=100).contains(&s.points)) {
            return Err("steps need 0 < min_p < 1 and points in 1..=100, both increasing".into());
        }
        last = (s.min_p, s.points);
    }
    Ok(())
}
