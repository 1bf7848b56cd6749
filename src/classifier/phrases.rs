//! Phrase rules: one matcher over every phrase of the pack ([`super::literals`]), run on the squeezed view.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::literals::{check_groups, group, LiteralSet};
use super::signals::Signals;
use super::snapshot::io::{Reader, Writer};
use super::snapshot::SnapshotError;
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
    /// The phrases (rules) pattern `i` of the matcher stands for: `refs[ref_starts[i]..ref_starts[i + 1]]`
    /// (one flat list rather than a list per pattern: a snapshot loads it as one block).
    ref_starts: Vec<u32>,
    refs: Vec<PhraseRef>,
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
        // Per phrase, its pattern; then the phrases grouped by pattern, each group in pack order.
        let mut pattern_of: Vec<u32> = Vec::with_capacity(phrases.len());
        for &(start, end, _) in &phrases {
            let sq = &squeezed[start..end];
            let pi = *pattern_index.entry(sq).or_insert_with(|| {
                pattern_strings.push(sq);
                pattern_strings.len() - 1
            });
            pattern_of.push(pi as u32);
        }
        let (ref_starts, refs) = group(pattern_strings.len(), &pattern_of, |i| phrases[i].2);
        Ok(Phrases { matcher: LiteralSet::new(&pattern_strings), ref_starts, refs })
    }

    /// Finds every phrase in the squeezed view.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        // The squeezed span of the last match: the next is most often near it.
        let mut hint = 0;
        self.matcher.for_each_match(&norm.squeezed, |pattern, start, end| {
            let (s, e) = (self.ref_starts[pattern] as usize, self.ref_starts[pattern + 1] as usize);
            for p in &self.refs[s..e] {
                if let Some(span) = norm.squeezed_match_from(&mut hint, start, end, p.check_start, p.check_end) {
                    signals.hit(p.rule, Some(span));
                }
            }
        });
    }

    /// Writes the matcher and the phrase references (rule index and the two word-boundary flags in one number).
    pub(super) fn write(&self, w: &mut Writer) {
        self.matcher.write(w);
        w.u32s(self.ref_starts.iter().copied());
        w.u32s(self.refs.iter().map(|p| (p.rule as u32) << 2 | u32::from(p.check_start) << 1 | u32::from(p.check_end)));
    }

    /// Reads what [`Phrases::write`] wrote; every rule index must be below `rules` (the pack's phrase and regex
    /// rules).
    pub(super) fn read(r: &mut Reader, rules: usize) -> Result<Phrases, SnapshotError> {
        r.section = "phrases";
        let matcher = LiteralSet::read(r)?;
        let ref_starts = r.u32s()?;
        let packed = r.u32s()?;
        check_groups(r, &ref_starts, matcher.len(), packed.len())?;
        if packed.iter().any(|&p| (p >> 2) as usize >= rules) {
            return Err(r.invalid("phrase of a rule that is not a phrase rule"));
        }
        let refs = packed.iter().map(|&p| PhraseRef {
            rule: (p >> 2) as usize,
            check_start: p & 2 != 0,
            check_end: p & 1 != 0,
        });
        Ok(Phrases { matcher, ref_starts, refs: refs.collect() })
    }
}
