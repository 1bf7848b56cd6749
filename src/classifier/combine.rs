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
        // Sorted and rid of repeats as (rule, start, end) before any `Match` is made: a large page reports the
        // same span many times (about half of 1,400 on the benchmark's page), and each `Match` costs two strings.
        // The order and the repeats dropped are those of sorting and deduplicating the `Match`es themselves:
        // the same stable sort on the same keys, and two spans are equal when the `Match`es made of them are.
        let mut spans: Vec<(usize, u32, u32)> = signals
            .spans
            .iter()
            .copied()
            .filter(|&(rule, _, e)| e <= text_end16 && !self.context[self.rules[rule].category])
            .collect();
        if cfg!(target_arch = "wasm32") {
            crate::sort::sort_by_key(&mut spans, |&(_, s, e)| (s, e));
        } else {
            // Natively std's stable sort made for these tuples, a few times faster than the crate's one sort
            // (indices under a `dyn` comparator, which keeps the Wasm module small): the same order.
            spans.sort_by_key(|&(_, s, e)| (s, e));
        }
        spans.dedup_by(|a, b| (a.1, a.2) == (b.1, b.2) && self.same_match_rule(a.0, b.0));
        let matches: Vec<Match> = spans
            .iter()
            .map(|&(rule, s, e)| Match {
                rule: self.rules[rule].id.clone(),
                category: self.categories[self.rules[rule].category].clone(),
                start: s,
                end: e,
            })
            .collect();

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

    /// Whether rules `a` and `b` give equal [`Match`]es for one span: the same id and category.
    fn same_match_rule(&self, a: usize, b: usize) -> bool {
        let (a, b) = (&self.rules[a], &self.rules[b]);
        a.id == b.id && self.categories[a.category] == self.categories[b.category]
    }
}

#[cfg(all(test, feature = "sources"))]
mod tests {
    use super::super::signals::Signals;
    use crate::verdict::Match;
    use crate::Classifier;

    /// The matches are what making a `Match` of every span, sorting them by place and dropping repeats gave,
    /// on random spans of a few rules (context ones among them) that often repeat and share places.
    #[test]
    fn matches_are_every_span_sorted_without_repeats() {
        let c = Classifier::new(crate::bundled::pack().expect("rules/ compiles")).expect("the pack compiles");
        let mut rng = fastrand::Rng::with_seed(0xc0_4b1e);
        let mut dropped = 0;
        for round in 0..300 {
            let rules: Vec<usize> = (0..rng.usize(1..6)).map(|_| rng.usize(..c.rules.len())).collect();
            let mut signals = Signals::new(&c.rules);
            for _ in 0..rng.usize(..200) {
                let start = rng.u32(..40);
                signals.span(rules[rng.usize(..rules.len())], start, start + rng.u32(1..4));
            }
            let text_end16 = rng.u32(..50);
            let mut want: Vec<Match> = signals
                .spans
                .iter()
                .filter(|&&(rule, _, e)| e <= text_end16 && !c.context[c.rules[rule].category])
                .map(|&(rule, start, end)| Match {
                    rule: c.rules[rule].id.clone(),
                    category: c.categories[c.rules[rule].category].clone(),
                    start,
                    end,
                })
                .collect();
            crate::sort::sort_by_key(&mut want, |m| (m.start, m.end));
            let before = want.len();
            want.dedup();
            dropped += before - want.len();
            assert_eq!(c.combine(signals, text_end16, "en").matches, want, "round {round}");
        }
        assert!(dropped > 1000, "{dropped}");
    }
}
