//! Regex rules, run on the normalised view: a gated regex only in windows around its literals (found by one
//! matcher), the others over the whole text.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex_lite::{Regex, RegexBuilder};

use super::literals::{check_groups, group, LiteralSet};
#[cfg(not(target_arch = "wasm32"))]
use super::regex_prefix::Anchored;
use super::signals::Signals;
use super::snapshot::io::{Reader, Writer};
use super::snapshot::SnapshotError;
use crate::error::PackError;
use crate::normalize::Normalized;
use crate::pack::Rule;
#[cfg(not(target_arch = "wasm32"))]
use engine::Engine;

#[cfg(not(target_arch = "wasm32"))]
pub(super) mod engine;

/// Compiled size limit of one regex rule (bytes), so a hostile pack cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Bytes of context a gated regex sees on each side of one of its literals.
const NEAR_CONTEXT: usize = 120;
/// Most windows one regex runs in per page.
const MAX_WINDOWS: usize = 256;
/// Most matches of one regex per page.
const MAX_FOUND: usize = 64;

/// One regex rule: its source, and the regex, compiled at once from a pack's JSON (which refuses a pack with a
/// bad regex) or on first use when loaded from a snapshot (made from a pack that compiled).
#[derive(Debug, Clone)]
struct RegexRule {
    rule: usize,
    /// Whether it runs only near its literals (else over the whole text).
    gated: bool,
    source: String,
    /// regex-lite's form: the Wasm's engine, and natively the judge of whether the source compiles. `None`
    /// inside: the source does not compile (only a damaged or forged snapshot can hold one); it then never
    /// matches.
    compiled: OnceLock<Option<Regex>>,
    /// The native search's form ([`Native`]), made on first use.
    #[cfg(not(target_arch = "wasm32"))]
    native: OnceLock<Option<Native>>,
}

/// How the native build runs a regex rule: anchored at its literal prefixes when every match starts with one
/// ([`Anchored`]), else over each window; either way on the `regex` crate where [`engine::translate`] gives its
/// source the same meaning there (the Wasm has room for neither: its size budget).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
enum Native {
    Anchored(Anchored),
    Whole(Engine),
}

#[cfg(not(target_arch = "wasm32"))]
impl Native {
    fn new(source: &str) -> Option<Native> {
        let engine = |s: &str| Engine::new(s, REGEX_SIZE_LIMIT, build);
        match Anchored::new(source, engine) {
            Some(a) => Some(Native::Anchored(a)),
            None => engine(source).map(Native::Whole),
        }
    }

    /// Calls `f(start, end)` for each match `find_iter` gives in `hay`, until `f` returns `false`.
    fn for_each_match(&self, hay: &str, f: impl FnMut(usize, usize) -> bool) {
        match self {
            Native::Anchored(a) => a.for_each_match(hay, f),
            Native::Whole(e) => e.for_each_match(hay, f),
        }
    }
}

impl RegexRule {
    fn regex(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| build(&self.source).ok()).as_ref()
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn native(&self) -> Option<&Native> {
        self.native.get_or_init(|| Native::new(&self.source)).as_ref()
    }
}

fn build(source: &str) -> Result<Regex, regex_lite::Error> {
    RegexBuilder::new(source).size_limit(REGEX_SIZE_LIMIT).build()
}

/// Every regex of the pack, compiled, with the literals that gate them.
#[derive(Debug, Clone)]
pub struct Regexes {
    regexes: Vec<RegexRule>,
    /// The regexes' "near" literals (normalised view); pattern `i` gates the regexes
    /// `near_regexes[near_starts[i]..near_starts[i + 1]]`.
    near_matcher: LiteralSet,
    near_starts: Vec<u32>,
    near_regexes: Vec<u32>,
}

impl Regexes {
    /// Compiles the regexes of `rules` (rule `i` of the pack is rule `i` of the classifier).
    pub fn new(rules: &[Rule]) -> Result<Regexes, PackError> {
        let mut regexes = Vec::new();
        let mut near_index: HashMap<&str, usize> = HashMap::new();
        let mut near_strings: Vec<&str> = Vec::new();
        // (pattern, regex) for each literal of each regex, in pack order.
        let mut gates: Vec<(u32, u32)> = Vec::new();
        for (idx, r) in rules.iter().enumerate() {
            let Some(src) = &r.regex else { continue };
            for lit in &r.near {
                let pi = *near_index.entry(lit).or_insert_with(|| {
                    near_strings.push(lit);
                    near_strings.len() - 1
                });
                gates.push((pi as u32, regexes.len() as u32));
            }
            let re =
                build(src).map_err(|e| PackError::Rule { id: r.id.clone(), message: format!("bad regex: {e}") })?;
            let gated = !r.near.is_empty();
            regexes.push(RegexRule {
                rule: idx,
                gated,
                source: src.clone(),
                compiled: OnceLock::from(Some(re)),
                #[cfg(not(target_arch = "wasm32"))]
                native: OnceLock::new(),
            });
        }
        let of: Vec<u32> = gates.iter().map(|g| g.0).collect();
        let (near_starts, near_regexes) = group(near_strings.len(), &of, |i| gates[i].1);
        Ok(Regexes { regexes, near_matcher: LiteralSet::new(&near_strings), near_starts, near_regexes })
    }

    /// Writes the regexes' rules, sources and gates, and the literals' matcher.
    pub(super) fn write(&self, w: &mut Writer) {
        w.len(self.regexes.len());
        for re in &self.regexes {
            w.u32(re.rule as u32);
            w.u8(u8::from(re.gated));
            w.str(&re.source);
        }
        self.near_matcher.write(w);
        w.u32s(self.near_starts.iter().copied());
        w.u32s(self.near_regexes.iter().copied());
    }

    /// Reads what [`Regexes::write`] wrote, leaving each regex to compile on first use; every rule index must be
    /// below `rules` (the pack's phrase and regex rules).
    pub(super) fn read(r: &mut Reader, rules: usize) -> Result<Regexes, SnapshotError> {
        r.section = "regexes";
        let n = r.len(9)?;
        let mut regexes = Vec::with_capacity(n);
        for _ in 0..n {
            let rule = r.u32()? as usize;
            let g = r.u8()?;
            let source = r.str()?;
            if rule >= rules || g > 1 || source.len() > crate::pack::MAX_REGEX_BYTES {
                return Err(r.invalid("regex rule out of range"));
            }
            regexes.push(RegexRule {
                rule,
                gated: g == 1,
                source: source.to_string(),
                compiled: OnceLock::new(),
                #[cfg(not(target_arch = "wasm32"))]
                native: OnceLock::new(),
            });
        }
        let near_matcher = LiteralSet::read(r)?;
        let near_starts = r.u32s()?;
        let near_regexes = r.u32s()?;
        check_groups(r, &near_starts, near_matcher.len(), near_regexes.len())?;
        if near_regexes.iter().any(|&i| i as usize >= n) {
            return Err(r.invalid("literal gates a regex that is not there"));
        }
        Ok(Regexes { regexes, near_matcher, near_starts, near_regexes })
    }

    /// Runs every regex where it may match.
    pub fn run(&self, norm: &Normalized, signals: &mut Signals) {
        self.each_hit(norm, false, |rule, span| signals.hit(rule, Some(span)));
    }

    /// Calls `hit(rule, span)` for each match of each regex (span in the original text), in the order
    /// [`Regexes::run`] records them; with `lite`, by regex-lite's `find_iter` alone (the tests' reference for
    /// the native search).
    fn each_hit(&self, norm: &Normalized, lite: bool, mut hit: impl FnMut(usize, (u32, u32))) {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.regexes.len()];
        self.near_matcher.for_each_match(&norm.text, |pattern, start, end| {
            let (a, b) = (self.near_starts[pattern] as usize, self.near_starts[pattern + 1] as usize);
            for &ri in &self.near_regexes[a..b] {
                let w = &mut windows[ri as usize];
                let (s, e) = window(&norm.text, start, end);
                let full = w.len() >= MAX_WINDOWS;
                match w.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ if !full => w.push((s, e)),
                    _ => {}
                }
            }
        });
        for (ri, re_rule) in self.regexes.iter().enumerate() {
            let whole = [(0, norm.text.len())];
            let spans: &[(usize, usize)] = if re_rule.gated { &windows[ri] } else { &whole };
            // A gated regex none of whose literals is on the page finds nothing: not even compiled (from a
            // snapshot, regexes compile on first use, so a page pays only for those it may match).
            if spans.is_empty() {
                continue;
            }
            let Some(re) = re_rule.regex() else { continue };
            let mut found = 0;
            // Past the cap, a window still reports its first match (as the search always has).
            let mut report = |ws: usize, s: usize, e: usize| {
                hit(re_rule.rule, norm.norm_range_to_orig(ws + s, ws + e));
                found += 1;
                found < MAX_FOUND
            };
            #[cfg(not(target_arch = "wasm32"))]
            if let Some(native) = re_rule.native().filter(|_| !lite) {
                for &(ws, we) in spans {
                    native.for_each_match(&norm.text[ws..we], |s, e| report(ws, s, e));
                }
                continue;
            }
            // The Wasm has regex-lite alone: there `lite` changes nothing.
            let _ = lite;
            for &(ws, we) in spans {
                for m in re.find_iter(&norm.text[ws..we]) {
                    if !report(ws, m.start(), m.end()) {
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
