//! Phrase rules: one matcher over every phrase of the pack ([`super::literals`]), run on the squeezed view.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::literals::LiteralSet;
use super::signals::Signals;
use crate::error::PackError;
use crate::normalize::{is_latin_alnum, Normalized, PhraseSqueezer};
use crate::pack::Rule;

/// Which rule a phrase belongs to and whether its ends must fall on word boundaries.
#[derive(Debug, Clone, Copy)]
struct PhraseRef {
    rule: usize,
    check_start: bool,
    check_end: bool,
}

/// Every phrase of the pack, compiled.
#[derive(Debug, Clone)]
pub struct Phrases {
    matcher: LiteralSet,
    /// For each pattern of the matcher, the phrases (rules) it stands for.
    patterns: Vec<Vec<PhraseRef>>,
}

impl Phrases {
    /// Compiles the phrases of `rules` (rule `i` of the pack is rule `i` of the classifier).
    pub fn new(rules: &[Rule]) -> Result<Phrases, PackError> {
        // Every squeezed phrase goes into one buffer (no allocation per phrase), then identical ones share a
        // pattern, numbered in order of first appearance. The map is keyed by slices of the buffer and hashed
        // with foldhash: at a Wasm cold start (unoptimised code) SipHash over 8,800 keys and the map's regrowth
        // took a tenth of the pack compile.
        let total: usize = rules.iter().map(|r| r.phrases.len()).sum();
        let mut squeezed = String::new();
        let mut phrases: Vec<(usize, usize, PhraseRef)> = Vec::with_capacity(total);
        let mut squeezer = PhraseSqueezer::default();
        for (idx, r) in rules.iter().enumerate() {
            for p in &r.phrases {
                let sq = squeezer.squeeze(p);
                if sq.is_empty() {
                    return Err(PackError::Rule {
                        id: r.id.clone(),
                        message: format!("phrase {p:?} has no letters or digits"),
                    });
                }
                let first = sq.chars().next().is_some_and(is_latin_alnum);
                let last = sq.chars().next_back().is_some_and(is_latin_alnum);
                let start = squeezed.len();
                squeezed.push_str(sq);
                phrases.push((start, squeezed.len(), PhraseRef { rule: idx, check_start: first, check_end: last }));
            }
        }
        let mut pattern_index: HashMap<&str, usize, FixedState> =
            HashMap::with_capacity_and_hasher(total, FixedState::default());
        let mut pattern_strings: Vec<&str> = Vec::new();
        let mut patterns: Vec<Vec<PhraseRef>> = Vec::new();
        for &(start, end, phrase) in &phrases {
            let sq = &squeezed[start..end];
            let pi = *pattern_index.entry(sq).or_insert_with(|| {
                pattern_strings.push(sq);
                patterns.push(Vec::new());
                patterns.len() - 1
            });
            patterns[pi].push(phrase);
        }
        Ok(Phrases { matcher: LiteralSet::new(&pattern_strings), patterns })
    }

    /// Finds every phrase in the squeezed view.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        self.matcher.for_each_match(&norm.squeezed, |pattern, start, end| {
            for p in &self.patterns[pattern] {
                if let Some(span) = norm.squeezed_match(start, end, p.check_start, p.check_end) {
                    signals.hit(p.rule, Some(span));
                }
            }
        });
    }
}
