//! Regex rules, run on the normalised view: a gated regex only in windows around its literals (found by one
//! matcher), the others over the whole text.

use std::collections::HashMap;

use regex_lite::{Regex, RegexBuilder};

use super::literals::LiteralSet;
use super::signals::Signals;
use crate::error::PackError;
use crate::normalize::Normalized;
use crate::pack::Rule;

/// Compiled size limit of one regex rule (bytes), so a hostile pack cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Bytes of context a gated regex sees on each side of one of its literals.
const NEAR_CONTEXT: usize = 120;
/// Most windows one regex runs in per page.
const MAX_WINDOWS: usize = 256;
/// Most matches of one regex per page.
const MAX_FOUND: usize = 64;

/// Every regex of the pack, compiled, with the literals that gate them.
#[derive(Debug, Clone)]
pub struct Regexes {
    /// (rule, regex).
    regexes: Vec<(usize, Regex)>,
    /// Whether each regex runs only near its literals (else over the whole text).
    gated: Vec<bool>,
    /// The regexes' "near" literals (normalised view); each pattern lists the regexes it gates.
    near_matcher: LiteralSet,
    near_patterns: Vec<Vec<usize>>,
}

impl Regexes {
    /// Compiles the regexes of `rules` (rule `i` of the pack is rule `i` of the classifier).
    pub fn new(rules: &[Rule]) -> Result<Regexes, PackError> {
        let mut regexes = Vec::new();
        let mut gated = Vec::new();
        let mut near_index: HashMap<&str, usize> = HashMap::new();
        let mut near_strings: Vec<&str> = Vec::new();
        let mut near_patterns: Vec<Vec<usize>> = Vec::new();
        for (idx, r) in rules.iter().enumerate() {
            let Some(src) = &r.regex else { continue };
            for lit in &r.near {
                let pi = *near_index.entry(lit).or_insert_with(|| {
                    near_strings.push(lit);
                    near_patterns.push(Vec::new());
                    near_patterns.len() - 1
                });
                near_patterns[pi].push(regexes.len());
            }
            let re = RegexBuilder::new(src)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| PackError::Rule { id: r.id.clone(), message: format!("bad regex: {e}") })?;
            gated.push(!r.near.is_empty());
            regexes.push((idx, re));
        }
        Ok(Regexes { regexes, gated, near_matcher: LiteralSet::new(&near_strings), near_patterns })
    }

    /// Runs every regex where it may match.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.regexes.len()];
        self.near_matcher.for_each_match(&norm.text, |pattern, start, end| {
            for &ri in &self.near_patterns[pattern] {
                let w = &mut windows[ri];
                let (s, e) = window(&norm.text, start, end);
                let full = w.len() >= MAX_WINDOWS;
                match w.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ if !full => w.push((s, e)),
                    _ => {}
                }
            }
        });
        for (ri, (rule, re)) in self.regexes.iter().enumerate() {
            let whole = [(0, norm.text.len())];
            let spans: &[(usize, usize)] = if self.gated[ri] { &windows[ri] } else { &whole };
            let mut found = 0;
            for &(ws, we) in spans {
                for m in re.find_iter(&norm.text[ws..we]) {
                    signals.hit(*rule, Some(norm.norm_range_to_orig(ws + m.start(), ws + m.end())));
                    found += 1;
                    if found >= MAX_FOUND {
                        break;
                    }
                }
            }
        }
    }
}

/// The window around `start..end`, widened by [`NEAR_CONTEXT`] and put on character boundaries.
fn window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut s = start.saturating_sub(NEAR_CONTEXT);
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (end + NEAR_CONTEXT).min(text.len());
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}
