//! The combiner and explainer: rule points summed per category and capped, combination bonuses and caps,
//! the level from the pack's thresholds, and the reasons and highlights in the reader's language.

use super::signals::Signals;
use super::Classifier;
use crate::pack::{pick, Combo};
use crate::verdict::{CategoryScore, Level, Match, Reason, Verdict};

impl Classifier {
    /// Turns the extractors' findings into a verdict. `text_end16` is where the scored text ends (title and
    /// JSON-LD come after it and are never highlighted).
    pub(super) fn combine(&self, signals: Signals, text_end16: u32, lang: &str) -> Verdict {
        let mut matches: Vec<Match> = signals
            .spans
            .iter()
            .filter(|&&(rule, _, e)| e <= text_end16 && !self.context[self.rules[rule].category])
            .map(|&(rule, s, e)| Match {
                rule: self.rules[rule].id.clone(),
                category: self.categories[self.rules[rule].category].clone(),
                start: s,
                end: e,
            })
            .collect();
        crate::sort::sort_by_key(&mut matches, |m| (m.start, m.end));
        matches.dedup();

        let mut sums = vec![0i32; self.categories.len()];
        let mut cat_fired = vec![false; self.categories.len()];
        let mut reasons = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let Some(points) = signals.points[i] else { continue };
            cat_fired[r.category] = true;
            if self.context[r.category] {
                continue;
            }
            sums[r.category] += points;
            let mut explanation = self.explanation(i, lang).to_string();
            if let Some((_, words)) = signals.words.iter().find(|(rule, _)| *rule == i) {
                explanation = explanation.replace("{ngrams}", words);
            }
            reasons.push(Reason {
                rule: r.id.clone(),
                category: self.categories[r.category].clone(),
                weight: points,
                explanation,
            });
        }
        let mut cats = Vec::new();
        // The categories that count for combinations: those that added points, and context categories that fired.
        let mut counting: Vec<&str> = Vec::new();
        let mut total = 0i32;
        for (i, id) in self.categories.iter().enumerate() {
            if !cat_fired[i] {
                continue;
            }
            if self.context[i] {
                counting.push(id);
                continue;
            }
            let c = &self.pack.categories[id];
            let capped = sums[i].clamp(-c.cap.abs(), c.cap.abs());
            total += capped;
            if capped > 0 && capped >= c.combo_min.unwrap_or(1) {
                counting.push(id);
            }
            cats.push(CategoryScore { id: id.clone(), name: pick(&c.name, lang).to_string(), score: capped });
        }
        let positive = |id: &String| counting.contains(&id.as_str());
        // The lowest cap among the capping combinations that apply, and which one it is.
        let mut capped_by: Option<(i32, &Combo)> = None;
        for combo in &self.pack.combos {
            let all_ok = combo.all.iter().all(positive);
            let any_n = combo.any.iter().filter(|c| positive(c)).count() as u32;
            if all_ok && any_n >= combo.min_any && !(combo.all.is_empty() && combo.any.is_empty()) {
                total += combo.bonus;
                if let Some(cap) = combo.cap {
                    if capped_by.is_none_or(|(lowest, _)| cap < lowest) {
                        capped_by = Some((cap, combo));
                    }
                    continue;
                }
                reasons.push(Reason {
                    rule: combo.id.clone(),
                    category: "combo".into(),
                    weight: combo.bonus,
                    explanation: pick(&combo.explain, lang).to_string(),
                });
            }
        }
        // A capping combination is listed with the points it took away, so the reader sees why the score fell.
        if let Some((cap, combo)) = capped_by {
            let cut = (total.min(100) - cap).max(0);
            total = total.min(cap);
            if cut > 0 || combo.bonus != 0 {
                reasons.push(Reason {
                    rule: combo.id.clone(),
                    category: "combo".into(),
                    weight: combo.bonus - cut,
                    explanation: pick(&combo.explain, lang).to_string(),
                });
            }
        }
        crate::sort::sort_by(&mut reasons, |a, b| b.weight.cmp(&a.weight).then_with(|| a.rule.cmp(&b.rule)));
        crate::sort::sort_by(&mut cats, |a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        let score = total.clamp(0, 100) as u8;
        let t = self.pack.thresholds;
        let level = if score >= t.danger {
            Level::Danger
        } else if score >= t.caution {
            Level::Caution
        } else {
            Level::Safe
        };
        Verdict {
            score,
            level,
            reasons,
            categories: cats,
            matches,
            pack_version: self.pack.version,
            indicators: Vec::new(),
        }
    }
}
