//! The classifier: compiles a pack once and scores pages with it, as a pipeline one can follow from the tree:
//!
//! 1. normalise the page's text once ([`crate::normalize`]);
//! 2. signal extractors report the rules that fired and their spans ([`signals`]): phrases ([`phrases`]),
//!    regexes ([`regexes`]), links and URLs ([`link_rules`]), pay ([`pay`]) and the learned model
//!    ([`learned`]);
//! 3. one combiner and explainer ([`combine`]) sums the points per category under its cap, adds the
//!    combinations, sets the level, and writes the reasons and highlights in the reader's language.
//!
//! A large text is scored on two threads in native builds ([`fork`]), with the same verdict.

mod combine;
#[cfg(not(target_arch = "wasm32"))]
mod fork;
pub mod learned;
mod link_rules;
mod literals;
mod pay;
mod phrases;
mod regex_prefix;
mod regexes;
pub mod signals;
pub mod snapshot;

use crate::error::{PackError, ScoreError};
use crate::jsonld;
use crate::normalize::Normalized;
use crate::pack::{pick, Pack};
use crate::verdict::{PageInput, Verdict};

pub use link_rules::MAX_LINKS;
pub use signals::MAX_MATCHES;

/// Text beyond this many bytes is not scored (the rest of a page that large is rarely the posting).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Any rule the classifier can fire: phrase, regex, link, pay tier or the model. Rules are numbered in this
/// order: the pack's phrase and regex rules, its link rules, its pay tiers, then the model.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    id: String,
    category: usize,
    weight: i32,
}

/// A pack compiled for scoring. Build it once ([`Classifier::new`]) and score many pages with it.
#[derive(Debug, Clone)]
pub struct Classifier {
    pack: Pack,
    categories: Vec<String>,
    /// Whether each category (same order as `categories`) is a context category (see [`crate::pack::Category`]).
    context: Vec<bool>,
    rules: Vec<RuleMeta>,
    phrases: phrases::Phrases,
    regexes: regexes::Regexes,
    links: link_rules::LinkRules,
    pay: pay::PayTiers,
    learned: Option<learned::Learned>,
    /// The pack's site adapters, compiled.
    pub(crate) sites: crate::page::adapters::Sites,
    /// Loaded from a snapshot: the phrase and regex rules' explanations, which its pack lacks.
    explanations: Option<snapshot::texts::Explanations>,
}

impl Classifier {
    /// Checks and compiles a pack. Any bad rule refuses the whole pack, naming the rule.
    pub fn new(pack: Pack) -> Result<Classifier, PackError> {
        pack.validate()?;
        Classifier::compile(pack)
    }

    /// Compiles a pack that [`Pack::validate`] has accepted (rules name known categories, ids are unique).
    fn compile(pack: Pack) -> Result<Classifier, PackError> {
        let model = match &pack.model {
            Some(m) => Some(crate::model::Model::new(&crate::model::Blob::from_base64(&m.weights)?)),
            None => None,
        };
        let sites = crate::page::adapters::Sites::compile(&pack.sites)?;
        let phrases = phrases::Phrases::new(&pack.rules)?;
        let regexes = regexes::Regexes::new(&pack.rules)?;
        Classifier::assemble(pack, sites, phrases, regexes, model)
    }

    /// Puts a classifier together from its pack and its compiled matchers and model (from the pack's JSON or
    /// from a snapshot). A rule naming an unknown category is refused (validation has already refused it in a
    /// pack from JSON).
    fn assemble(
        pack: Pack,
        sites: crate::page::adapters::Sites,
        phrases: phrases::Phrases,
        regexes: regexes::Regexes,
        model: Option<crate::model::Model>,
    ) -> Result<Classifier, PackError> {
        let categories: Vec<String> = pack.categories.keys().cloned().collect();
        let context: Vec<bool> = pack.categories.values().map(|c| c.context).collect();
        let mut rules = Vec::with_capacity(pack.rule_count() + 1);
        // The map's keys are sorted and unique: a binary search, not a hash map, whose code a snapshot's cold
        // start would compile first.
        let mut meta =
            |id: &str, category: &str, weight: i32| match categories.binary_search_by(|c| c.as_str().cmp(category)) {
                Ok(category) => {
                    rules.push(RuleMeta { id: id.into(), category, weight });
                    Ok(())
                }
                Err(_) => Err(PackError::Rule { id: id.into(), message: format!("unknown category '{category}'") }),
            };
        for r in &pack.rules {
            meta(&r.id, &r.category, r.weight)?;
        }
        let first_link = pack.rules.len();
        for l in &pack.links {
            meta(&l.id, &l.category, l.weight)?;
        }
        let first_tier = first_link + pack.links.len();
        for t in &pack.salary.tiers {
            meta(&t.id, &t.category, t.weight)?;
        }
        let learned = match (&pack.model, model) {
            (Some(m), Some(model)) => {
                meta(&m.id, &m.category, 0)?;
                Some(learned::Learned::from_model(m, model, rules.len() - 1))
            }
            _ => None,
        };
        Ok(Classifier {
            sites,
            phrases,
            regexes,
            links: link_rules::LinkRules::new(&pack.links, first_link)?,
            pay: pay::PayTiers::new(&pack.salary, first_tier),
            learned,
            pack,
            categories,
            context,
            rules,
            explanations: None,
        })
    }

    /// Parses, checks and compiles a pack from JSON.
    pub fn from_json(json: &str) -> Result<Classifier, PackError> {
        // `Pack::from_json` has validated it: checking it twice was a few milliseconds of every cold start.
        Classifier::compile(Pack::from_json(json)?)
    }

    /// The pack this classifier was compiled from. A classifier loaded from a snapshot
    /// ([`Classifier::from_snapshot`]) holds it without what its compiled forms hold instead: the rules' phrases,
    /// regexes, near literals and explanations, and the model's weights.
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// The explanation of rule `i` (numbered as [`RuleMeta`]s are) in `lang`: looked up when a reason is
    /// written, rather than copied at load (thousands of strings a cold start need not clone).
    fn explanation(&self, i: usize, lang: &str) -> &str {
        let p = &self.pack;
        let (links, tiers) = (p.rules.len(), p.rules.len() + p.links.len());
        let texts = if i < links {
            if let Some(e) = &self.explanations {
                // Loaded from a snapshot: its pack has none for these rules.
                return e.pick(i, lang);
            }
            p.rules.get(i).map(|r| &r.explain)
        } else if i < tiers {
            p.links.get(i - links).map(|l| &l.explain)
        } else {
            p.salary.tiers.get(i - tiers).map(|t| &t.explain).or(p.model.as_ref().map(|m| &m.explain))
        };
        texts.map_or("", |t| pick(t, lang))
    }

    /// The pack's learned model, if it has one.
    pub fn learned(&self) -> Option<&learned::Learned> {
        self.learned.as_ref()
    }

    /// Scores a page. Never panics; text beyond [`MAX_TEXT_BYTES`] is not looked at.
    pub fn score(&self, input: &PageInput) -> Result<Verdict, ScoreError> {
        self.score_with(input, true)
    }

    /// Scores a page, with or without the learned model. Without it for a list's cards: a card is a title, a
    /// company and a few tags, not the text of an ad, which is what the model was fitted and checked on (on a
    /// real board's list it read ordinary "Administrative Assistant" cards as scams); the rules still see every
    /// card, and the posting, once opened, gets the model.
    pub(crate) fn score_with(&self, input: &PageInput, model: bool) -> Result<Verdict, ScoreError> {
        let lang = input.lang.as_deref().unwrap_or("en");
        let text = truncate(&input.text, MAX_TEXT_BYTES);
        // Title, JSON-LD and link texts count too, but only the text's own matches are highlighted.
        let mut all = String::with_capacity(text.len() + 256);
        all.push_str(text);
        let text_end16 = utf16_len(text) as u32;
        all.push_str("\n\n");
        if let Some(t) = &input.title {
            all.push_str(truncate(t, 4096));
            all.push('\n');
        }
        let ld = jsonld::job_posting_text(&input.jsonld);
        all.push_str(truncate(&ld, MAX_TEXT_BYTES / 4));
        // The one place the choice is made: a large text is scored on two threads, natively only ([`fork`]).
        #[cfg(not(target_arch = "wasm32"))]
        if fork::parallel_for(text.len()) {
            return Ok(self.score_parallel(&all, text, text_end16, &input.links, model, lang));
        }
        Ok(self.score_sequential(&all, text, text_end16, &input.links, model, lang))
    }

    /// Scores `all` (the text, then title and JSON-LD) whose first `text_end16` UTF-16 units are `text`, the
    /// page's own text, one step after the other.
    // Inlined into `score_with` in the Wasm build, as this code was before it had a name: called, it and
    // `rule_signals` grew the module by 1 KB gzipped.
    #[cfg_attr(target_arch = "wasm32", inline(always))]
    fn score_sequential(
        &self,
        all: &str,
        text: &str,
        text_end16: u32,
        links: &[crate::verdict::Link],
        model: bool,
        lang: &str,
    ) -> Verdict {
        let norm = Normalized::new(all);
        let mut signals = self.rule_signals(&norm, links);
        if let Some(m) = self.learned.as_ref().filter(|_| model) {
            m.run(&norm, &mut signals);
        }
        let mut verdict = self.combine(signals, text_end16, lang);
        verdict.indicators = crate::indicators::extract_from(text, links);
        verdict
    }

    /// What the rules (phrases, regexes, links and pay, in that order) find in `norm`.
    #[cfg_attr(target_arch = "wasm32", inline(always))]
    fn rule_signals(&self, norm: &Normalized, links: &[crate::verdict::Link]) -> signals::Signals<'_> {
        let mut signals = signals::Signals::new(&self.rules);
        self.phrases.run(norm, &mut signals);
        self.regexes.run(norm, &mut signals);
        self.links.run(links, norm, &mut signals);
        self.pay.run(norm, &mut signals);
        signals
    }

    /// Hotlines for a country (two-letter code), labels in `lang`. Unknown countries give none.
    pub fn hotlines(&self, country: &str, lang: &str) -> Vec<HotlineView> {
        self.pack
            .hotlines
            .get(&country.to_ascii_uppercase())
            .map(|c| {
                c.lines
                    .iter()
                    .map(|l| HotlineView {
                        number: l.number.clone(),
                        label: pick(&l.label, lang).to_string(),
                        url: l.url.clone(),
                        confirmed: l.confirmed,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// A hotline with its label in one language.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct HotlineView {
    /// Number or address.
    pub number: String,
    /// What it is.
    pub label: String,
    /// Web address, if any.
    pub url: String,
    /// Whether it was confirmed.
    pub confirmed: bool,
}

/// The length of `s` in UTF-16 code units (where a verdict's spans count), natively a few times faster than
/// `encode_utf16().count()`, which steps through every character (about 1 M instructions on a 100 KB page): the
/// characters, counted a word at a time by std, plus one for each beyond U+FFFF (a surrogate pair in UTF-16),
/// which are exactly those of four bytes in UTF-8, whose first byte is 0xF0 or above. The Wasm keeps the
/// plain count (its module size).
fn utf16_len(s: &str) -> usize {
    if cfg!(target_arch = "wasm32") {
        return s.encode_utf16().count();
    }
    // Counted in bytes per chunk of 255 (a byte's count cannot overflow there), which the compiler makes
    // vector instructions; counted straight into a `usize`, it was a few instructions a byte.
    let four_byte = s.as_bytes().chunks(255).map(|c| c.iter().fold(0u8, |n, &b| n + u8::from(b >= 0xF0)));
    s.chars().count() + four_byte.map(usize::from).sum::<usize>()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(all(test, feature = "sources"))]
mod tests;
