//! Placing the model's steps on the combined score (native only, used by `jobguard train`): a step (lowest
//! probability, points) flags an ordinary text only if the text reaches its probability AND the rules' score
//! plus the step's points reaches caution. So the steps are placed on what the ordinary texts would actually
//! show, out of fold, not on the model's probability alone: a text whose rules say nothing (or speak for it)
//! can sit high on the model's scale without being flagged, and a step of 15 points may go far lower than a
//! step that alone reaches caution.
//!
//! Placement runs from the step with the most points down. Each step has a cumulative budget: the (weighted)
//! share of the script's ordinary texts that the model may flag through it and the steps above it (texts the
//! rules alone flag are flagged anyway and not counted). A step starts at the lowest probability (at least
//! `floor`) at which that budget still holds; a step that would start no lower than the one above it is
//! dropped.

/// One rung of the ladder: points, and the cumulative share of ordinary texts the model may flag with the
/// steps of at least these points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rung {
    /// Points the step adds (1..=100).
    pub points: i32,
    /// Most share (0..1) of the weighted ordinary texts flagged by this step and those above it.
    pub share: f64,
}

/// An ordinary (legit) text as placement sees it.
#[derive(Debug, Clone)]
pub struct Ordinary {
    /// Out-of-fold calibrated probability.
    pub p: f64,
    /// How much the text counts in the budget (1 for a text of the development files).
    pub weight: f64,
    /// Flagged by the rules alone (no model points).
    pub by_rules: bool,
    /// Flagged with each rung's points added, in the order of the rungs given to [`place`].
    pub with: Vec<bool>,
}

/// A placed step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Lowest calibrated probability of the step (rounded up to 1e-4).
    pub min_p: f64,
    /// Points.
    pub points: i32,
    /// Weight of the ordinary texts the model flags through this step (in its band of probability).
    pub flagged: f64,
}

/// Rounds a threshold up to 1e-4, as the model file keeps it.
fn round_up(p: f64) -> f64 {
    (p * 1e4).ceil() / 1e4
}

/// Places the steps of `rungs` on `ordinary` (see the module's documentation); returns them by increasing
/// probability (and points).
pub fn place(ordinary: &[Ordinary], rungs: &[Rung], floor: f64) -> Vec<Placed> {
    let total: f64 = ordinary.iter().map(|o| o.weight).sum::<f64>().max(1e-12);
    let mut order: Vec<usize> = (0..rungs.len()).collect();
    order.sort_by(|&a, &b| rungs[b].points.cmp(&rungs[a].points));
    let mut placed: Vec<Placed> = Vec::new();
    let mut used = 0.0;
    let mut upper = f64::INFINITY;
    for r in order {
        let Rung { points, share } = rungs[r];
        let allowed = share * total + 1e-9;
        // The texts this step would flag in its band (below the step above), highest probability first.
        let mut cand: Vec<&Ordinary> = ordinary.iter().filter(|o| !o.by_rules && o.with[r] && o.p < upper).collect();
        cand.sort_by(|a, b| b.p.total_cmp(&a.p));
        let mut min_p = floor;
        let mut sum = used;
        let mut i = 0;
        while i < cand.len() {
            // Texts of equal probability go in together or not at all.
            let mut j = i;
            let mut w = 0.0;
            while j < cand.len() && cand[j].p == cand[i].p {
                w += cand[j].weight;
                j += 1;
            }
            if sum + w > allowed || cand[i].p < floor {
                min_p = (cand[i].p + 1e-4).max(floor);
                break;
            }
            sum += w;
            i = j;
        }
        let min_p = round_up(min_p);
        if min_p >= upper || min_p >= 1.0 {
            continue;
        }
        // `+ 0.0`: an empty sum is -0.0.
        let flagged: f64 = cand.iter().filter(|o| o.p >= min_p).map(|o| o.weight).sum::<f64>() + 0.0;
        used += flagged;
        upper = min_p;
        placed.push(Placed { min_p, points, flagged });
    }
    placed.reverse();
    placed
}

/// Which of the steps applies at `p`: the index of the rung (in `rungs`) with the most points among the steps
/// `p` reaches, if any.
pub fn rung_at(steps: &[Placed], rungs: &[Rung], p: f64) -> Option<usize> {
    let points = steps.iter().filter(|s| p >= s.min_p).map(|s| s.points).max()?;
    rungs.iter().position(|r| r.points == points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(p: f64, by_rules: bool, with: &[bool]) -> Ordinary {
        Ordinary { p, weight: 1.0, by_rules, with: with.to_vec() }
    }

    /// Counts the ordinary texts the steps flag (rules alone or through the model).
    fn flagged(ord: &[Ordinary], steps: &[Placed], rungs: &[Rung]) -> usize {
        ord.iter().filter(|x| x.by_rules || rung_at(steps, rungs, x.p).is_some_and(|r| x.with[r])).count()
    }

    #[test]
    fn a_step_passes_over_texts_the_rules_keep_below_caution() {
        // 100 ordinary texts; rung 0 = 35 points (always flags), rung 1 = 15 points (flags only the texts
        // whose rules already give 20). Texts 90..99 sit highest on the model; only 95 and 97 have rules' 20.
        let rungs = [Rung { points: 35, share: 0.0 }, Rung { points: 15, share: 0.0 }];
        let ord: Vec<Ordinary> =
            (0..100).map(|i| o(0.5 + f64::from(i) / 200.0, false, &[true, i == 95 || i == 97])).collect();
        let steps = place(&ord, &rungs, 0.5);
        assert_eq!(steps.len(), 2, "{steps:?}");
        // The 35-point step sits above the highest ordinary text; the 15-point one just above text 97.
        assert_eq!(steps[1].points, 35);
        assert!(steps[1].min_p > ord[99].p, "{steps:?}");
        assert_eq!(steps[0].points, 15);
        assert!(steps[0].min_p > ord[97].p && steps[0].min_p <= ord[98].p + 1e-4, "{steps:?}");
        assert_eq!(flagged(&ord, &steps, &rungs), 0);
    }

    #[test]
    fn budgets_are_cumulative_and_respected() {
        // 200 ordinary texts, one in four has rules' 20 (flagged at 15 points), one in ten is flagged by the
        // rules alone (not counted), every other flagged only at 35.
        let rungs = [Rung { points: 15, share: 0.02 }, Rung { points: 35, share: 0.01 }];
        let ord: Vec<Ordinary> = (0..200).map(|i| o(f64::from(i) / 200.0, i % 10 == 3, &[i % 4 == 0, true])).collect();
        let steps = place(&ord, &rungs, 0.05);
        assert_eq!(steps.iter().map(|s| s.points).collect::<Vec<_>>(), vec![15, 35]);
        // Top step: 2 texts of 200 (1%) flagged through it.
        let top = ord.iter().filter(|x| !x.by_rules && x.p >= steps[1].min_p).count();
        assert_eq!(top, 2);
        assert_eq!(steps[1].flagged, 2.0);
        // Both steps: 4 of 200 (2%), whatever the rules alone flag.
        let by_model = flagged(&ord, &steps, &rungs) - ord.iter().filter(|x| x.by_rules).count();
        assert_eq!(by_model, 4);
        assert_eq!(steps[0].flagged + steps[1].flagged, 4.0);
        // One more text lower down would break the budget: the next candidate is just below the step.
        let next =
            ord.iter().filter(|x| !x.by_rules && x.with[0] && x.p < steps[0].min_p).map(|x| x.p).fold(0.0, f64::max);
        assert!(steps[0].min_p - next <= 2e-4, "{steps:?} {next}");
    }

    #[test]
    fn weights_count_in_the_budget_and_a_useless_step_is_dropped() {
        // Two texts of weight 0.5 fit a budget of 1.1% of 99; at weight 1 only one would.
        let rungs = [Rung { points: 35, share: 0.011 }, Rung { points: 30, share: 0.011 }];
        let mut ord: Vec<Ordinary> = (0..100).map(|i| o(0.4 + f64::from(i) / 200.0, false, &[true, true])).collect();
        ord[99].weight = 0.5;
        ord[98].weight = 0.5;
        let total: f64 = ord.iter().map(|x| x.weight).sum();
        assert!((total - 99.0).abs() < 1e-9);
        let steps = place(&ord, &rungs, 0.5);
        // The 30-point step flags what 35 does and has no budget left: dropped.
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert!(steps[0].min_p > ord[97].p && steps[0].min_p <= ord[98].p + 1e-4, "{steps:?}");
        assert_eq!(steps[0].flagged, 1.0);
        // Nothing below the floor: all texts within budget puts the step at the floor.
        let steps = place(&ord, &[Rung { points: 35, share: 1.0 }], 0.6);
        assert!((steps[0].min_p - 0.6).abs() < 1e-9, "{steps:?}");
    }
}
