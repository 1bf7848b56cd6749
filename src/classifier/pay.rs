//! Pay tiers: amounts the pay parser finds, compared with the pack's threshold for their currency. The
//! highest tier any amount reaches fires; every amount reaching a tier is highlighted.

use std::sync::OnceLock;

use super::signals::Signals;
use crate::money::PayParser;
use crate::normalize::Normalized;
use crate::pack::Salary;

/// The pay parser and the pack's tiers.
#[derive(Debug, Clone)]
pub struct PayTiers {
    salary: Salary,
    /// Classifier rule index of the first tier (the others follow in pack order).
    first: usize,
    /// Built on first use: its automaton is a sizeable part of a Wasm cold start, and a wake-up that scores
    /// nothing (or no text with a number) need not pay for it.
    parser: OnceLock<PayParser>,
}

impl PayTiers {
    /// The tiers of `salary`, the first being classifier rule `first`.
    pub fn new(salary: &Salary, first: usize) -> PayTiers {
        PayTiers { salary: salary.clone(), first, parser: OnceLock::new() }
    }

    /// Finds pay amounts and fires the best tier reached.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        let salary = &self.salary;
        if salary.tiers.is_empty() {
            return;
        }
        let threshold = |c: &str| salary.currency.get(c).copied();
        let mut best: Option<usize> = None;
        for p in self.parser.get_or_init(PayParser::new).find(&norm.text, threshold) {
            let Some(t) = threshold(p.currency) else { continue };
            let tier = salary
                .tiers
                .iter()
                .enumerate()
                .filter(|(_, tier)| p.monthly >= t * tier.factor)
                .max_by(|a, b| a.1.factor.total_cmp(&b.1.factor))
                .map(|(i, _)| i);
            if let Some(i) = tier {
                let (s, e) = norm.norm_range_to_orig(p.start, p.end);
                signals.span(self.first + i, s, e);
                if best.is_none_or(|b| salary.tiers[i].factor > salary.tiers[b].factor) {
                    best = Some(i);
                }
            }
        }
        if let Some(b) = best {
            signals.hit(self.first + b, None);
        }
    }
}
