//! What the signal extractors report: which rules fired with how many points, the spans they matched, and
//! the words a rule names in its explanation. The combiner ([`super::combine`]) turns this into a verdict.

use super::RuleMeta;

/// Most matches recorded for highlighting.
pub const MAX_MATCHES: usize = 2_000;

/// The extractors' findings for one page.
pub struct Signals<'a> {
    rules: &'a [RuleMeta],
    /// Points of each rule that fired (`None`: did not fire).
    pub points: Vec<Option<i32>>,
    /// (rule, UTF-16 start, end) of every match in the scored text.
    pub spans: Vec<(usize, u32, u32)>,
    /// Words a rule's explanation names (`{ngrams}`), by rule.
    pub words: Vec<(usize, String)>,
}

impl<'a> Signals<'a> {
    /// No rule fired yet.
    pub fn new(rules: &'a [RuleMeta]) -> Self {
        Signals { rules, points: vec![None; rules.len()], spans: Vec::new(), words: Vec::new() }
    }

    /// A rule fired with its own weight, matching `span` when it has one.
    pub fn hit(&mut self, rule: usize, span: Option<(u32, u32)>) {
        self.points[rule] = Some(self.rules[rule].weight);
        if let Some((s, e)) = span {
            self.span(rule, s, e);
        }
    }

    /// A rule fired with `points` (the model's points depend on the page).
    pub fn fire_with(&mut self, rule: usize, points: i32) {
        self.points[rule] = Some(points);
    }

    /// Records a span of `rule` without firing it (pay tiers: only the best tier fires).
    pub fn span(&mut self, rule: usize, start: u32, end: u32) {
        if start < end && self.spans.len() < MAX_MATCHES {
            self.spans.push((rule, start, end));
        }
    }

    /// Marks a rule as not fired.
    pub fn unfire(&mut self, rule: usize) {
        self.points[rule] = None;
    }
}
