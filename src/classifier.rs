//! The classifier: compiles a pack once (one Aho-Corasick automaton over every phrase, a few regexes, the
//! pay parser) and scores pages with it.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_lite::{Regex, RegexBuilder};

use crate::error::{PackError, ScoreError};
use crate::jsonld;
use crate::links;
use crate::money::PayParser;
use crate::normalize::{is_latin_alnum, Normalized, PhraseSqueezer};
use crate::pack::{pick, Pack, Texts};
use crate::verdict::{CategoryScore, Level, Match, PageInput, Reason, Verdict};

/// Text beyond this many bytes is not scored (the rest of a page that large is rarely the posting).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// Most matches reported for highlighting.
pub const MAX_MATCHES: usize = 2_000;
/// Most links looked at.
pub const MAX_LINKS: usize = 5_000;
/// Compiled size limit of one regex rule (bytes), so a hostile pack cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;

/// Any rule the classifier can fire: phrase, regex, link or pay tier.
#[derive(Debug, Clone)]
struct RuleMeta {
    id: String,
    category: usize,
    weight: i32,
    explain: Texts,
}

/// Which rule a phrase belongs to and whether its ends must fall on word boundaries.
#[derive(Debug, Clone, Copy)]
struct PhraseRef {
    rule: usize,
    check_start: bool,
    check_end: bool,
}

/// A pack compiled for scoring. Build it once ([`Classifier::new`]) and score many pages with it.
#[derive(Debug, Clone)]
pub struct Classifier {
    pack: Pack,
    categories: Vec<String>,
    /// Whether each category (same order as `categories`) is a context category (see [`crate::pack::Category`]).
    context: Vec<bool>,
    rules: Vec<RuleMeta>,
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the phrases (rules) it stands for.
    patterns: Vec<Vec<PhraseRef>>,
    regexes: Vec<(usize, Regex)>,
    /// Whether each regex runs only near its literals (else over the whole text).
    regex_gated: Vec<bool>,
    /// The regexes' "near" literals (normalised view); each pattern lists the regexes it gates.
    near_automaton: Option<AhoCorasick>,
    near_patterns: Vec<Vec<usize>>,
    /// Rule index of each link rule, in pack order.
    link_rules: Vec<usize>,
    /// Rule index of each pay tier, in pack order.
    tier_rules: Vec<usize>,
    /// Every link rule's host, to find URLs written in the text without a URL regex.
    host_automaton: Option<AhoCorasick>,
    pay: PayParser,
}

impl Classifier {
    /// Checks and compiles a pack. Any bad rule refuses the whole pack, naming the rule.
    pub fn new(pack: Pack) -> Result<Classifier, PackError> {
        pack.validate()?;
        let categories: Vec<String> = pack.categories.keys().cloned().collect();
        let context: Vec<bool> = pack.categories.values().map(|c| c.context).collect();
        let cat_index: HashMap<&str, usize> = categories.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
        let mut rules = Vec::with_capacity(pack.rule_count());
        let mut meta = |id: &str, category: &str, weight: i32, explain: &Texts| {
            rules.push(RuleMeta { id: id.into(), category: cat_index[category], weight, explain: explain.clone() });
            rules.len() - 1
        };

        let mut pattern_index: HashMap<String, usize> = HashMap::new();
        let mut pattern_strings: Vec<String> = Vec::new();
        let mut patterns: Vec<Vec<PhraseRef>> = Vec::new();
        let mut regex_sources = Vec::new();
        let mut regex_rules = Vec::new();
        let mut regex_gated = Vec::new();
        let mut near_index: HashMap<String, usize> = HashMap::new();
        let mut near_strings: Vec<String> = Vec::new();
        let mut near_patterns: Vec<Vec<usize>> = Vec::new();
        let mut squeezer = PhraseSqueezer::default();
        for r in &pack.rules {
            let idx = meta(&r.id, &r.category, r.weight, &r.explain);
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
                let pi = match pattern_index.get(sq) {
                    Some(&pi) => pi,
                    None => {
                        pattern_index.insert(sq.to_string(), patterns.len());
                        pattern_strings.push(sq.to_string());
                        patterns.push(Vec::new());
                        patterns.len() - 1
                    }
                };
                patterns[pi].push(PhraseRef { rule: idx, check_start: first, check_end: last });
            }
            if let Some(re) = &r.regex {
                for lit in &r.near {
                    let pi = *near_index.entry(lit.clone()).or_insert_with(|| {
                        near_strings.push(lit.clone());
                        near_patterns.push(Vec::new());
                        near_patterns.len() - 1
                    });
                    near_patterns[pi].push(regex_sources.len());
                }
                regex_gated.push(!r.near.is_empty());
                regex_sources.push(re.clone());
                regex_rules.push(idx);
            }
        }
        let link_rules = pack.links.iter().map(|l| meta(&l.id, &l.category, l.weight, &l.explain)).collect();
        let tier_rules = pack.salary.tiers.iter().map(|t| meta(&t.id, &t.category, t.weight, &t.explain)).collect();

        let automaton = if pattern_strings.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    // A contiguous NFA builds several times faster than a DFA and searches nearly as fast; the
                    // build is paid on every service-worker wake-up.
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&pattern_strings)
                    .map_err(|e| PackError::Invalid(format!("phrase automaton: {e}")))?,
            )
        };
        let mut regexes = Vec::with_capacity(regex_sources.len());
        for (src, &rule) in regex_sources.iter().zip(&regex_rules) {
            let re = RegexBuilder::new(src)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| PackError::Rule { id: rules[rule].id.clone(), message: format!("bad regex: {e}") })?;
            regexes.push((rule, re));
        }
        let near_automaton = if near_strings.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&near_strings).map_err(|e| PackError::Invalid(format!("near automaton: {e}")))?)
        };
        let hosts: Vec<String> =
            pack.links.iter().flat_map(|l| l.hosts.iter().map(|h| h.to_ascii_lowercase())).collect();
        let host_automaton = if hosts.is_empty() {
            None
        } else {
            Some(AhoCorasick::new(&hosts).map_err(|e| PackError::Invalid(format!("link host automaton: {e}")))?)
        };
        Ok(Classifier {
            pack,
            categories,
            context,
            rules,
            automaton,
            patterns,
            regexes,
            regex_gated,
            near_automaton,
            near_patterns,
            link_rules,
            tier_rules,
            host_automaton,
            pay: PayParser::new(),
        })
    }

    /// Parses, checks and compiles a pack from JSON.
    pub fn from_json(json: &str) -> Result<Classifier, PackError> {
        Classifier::new(Pack::from_json(json)?)
    }

    /// The pack this classifier was compiled from.
    pub fn pack(&self) -> &Pack {
        &self.pack
    }

    /// Scores a page. Never panics; text beyond [`MAX_TEXT_BYTES`] is not looked at.
    pub fn score(&self, input: &PageInput) -> Result<Verdict, ScoreError> {
        let lang = input.lang.as_deref().unwrap_or("en");
        let text = truncate(&input.text, MAX_TEXT_BYTES);
        // Title, JSON-LD and link texts count too, but only the text's own matches are highlighted.
        let mut all = String::with_capacity(text.len() + 256);
        all.push_str(text);
        let extra_start16 = text.encode_utf16().count() as u32;
        all.push_str("\n\n");
        if let Some(t) = &input.title {
            all.push_str(truncate(t, 4096));
            all.push('\n');
        }
        let ld = jsonld::job_posting_text(&input.jsonld);
        all.push_str(truncate(&ld, MAX_TEXT_BYTES / 4));
        let norm = Normalized::new(&all);

        let mut fired = vec![false; self.rules.len()];
        let mut matches: Vec<Match> = Vec::new();
        let mut hit = |rule: usize, span: Option<(u32, u32)>, fired: &mut Vec<bool>| {
            fired[rule] = true;
            if let Some((s, e)) = span {
                let r = &self.rules[rule];
                if e <= extra_start16 && s < e && matches.len() < MAX_MATCHES && !self.context[r.category] {
                    matches.push(Match {
                        rule: r.id.clone(),
                        category: self.categories[r.category].clone(),
                        start: s,
                        end: e,
                    });
                }
            }
        };

        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(&norm.squeezed) {
                for p in &self.patterns[m.pattern().as_usize()] {
                    if let Some(span) = norm.squeezed_match(m.start(), m.end(), p.check_start, p.check_end) {
                        hit(p.rule, Some(span), &mut fired);
                    }
                }
            }
        }
        // Regexes: gated ones only in windows around their literals, the others over the whole text.
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.regexes.len()];
        if let Some(ac) = &self.near_automaton {
            for m in ac.find_overlapping_iter(&norm.text) {
                for &ri in &self.near_patterns[m.pattern().as_usize()] {
                    let w = &mut windows[ri];
                    let (s, e) = window(&norm.text, m.start(), m.end());
                    let full = w.len() >= MAX_WINDOWS;
                    match w.last_mut() {
                        Some(last) if s <= last.1 => last.1 = last.1.max(e),
                        _ if !full => w.push((s, e)),
                        _ => {}
                    }
                }
            }
        }
        for (ri, (rule, re)) in self.regexes.iter().enumerate() {
            let whole = [(0, norm.text.len())];
            let spans: &[(usize, usize)] = if self.regex_gated[ri] { &windows[ri] } else { &whole };
            let mut found = 0;
            for &(ws, we) in spans {
                for m in re.find_iter(&norm.text[ws..we]) {
                    hit(*rule, Some(norm.norm_range_to_orig(ws + m.start(), ws + m.end())), &mut fired);
                    found += 1;
                    if found >= 64 {
                        break;
                    }
                }
            }
        }
        // Links on the page, then URLs written in the text.
        for l in input.links.iter().take(MAX_LINKS) {
            if let Some((host, path)) = links::host_and_path(&l.href) {
                for (rule, &ri) in self.pack.links.iter().zip(&self.link_rules) {
                    if links::rule_matches(rule, &host, &path) {
                        hit(ri, None, &mut fired);
                    }
                }
            }
        }
        if let Some(ac) = &self.host_automaton {
            for m in ac.find_overlapping_iter(&norm.text).take(1000) {
                let Some((url_start, url_end)) = url_around(&norm.text, m.start(), m.end()) else { continue };
                if let Some((host, path)) = links::host_and_path(&norm.text[url_start..url_end]) {
                    for (rule, &ri) in self.pack.links.iter().zip(&self.link_rules) {
                        if links::rule_matches(rule, &host, &path) {
                            hit(ri, Some(norm.norm_range_to_orig(url_start, url_end)), &mut fired);
                        }
                    }
                }
            }
        }
        // Pay: the highest tier any amount reaches fires; every amount reaching a tier is highlighted.
        let salary = &self.pack.salary;
        if !salary.tiers.is_empty() {
            let threshold = |c: &str| salary.currency.get(c).copied();
            let mut best: Option<usize> = None;
            for p in self.pay.find(&norm.text, threshold) {
                let Some(t) = threshold(p.currency) else { continue };
                let tier = salary
                    .tiers
                    .iter()
                    .enumerate()
                    .filter(|(_, tier)| p.monthly >= t * tier.factor)
                    .max_by(|a, b| a.1.factor.total_cmp(&b.1.factor))
                    .map(|(i, _)| i);
                if let Some(i) = tier {
                    hit(self.tier_rules[i], Some(norm.norm_range_to_orig(p.start, p.end)), &mut fired);
                    fired[self.tier_rules[i]] = false; // only the best tier counts; decided below
                    if best.is_none_or(|b| salary.tiers[i].factor > salary.tiers[b].factor) {
                        best = Some(i);
                    }
                }
            }
            if let Some(b) = best {
                fired[self.tier_rules[b]] = true;
            }
        }
        matches.sort_by_key(|m| (m.start, m.end));
        matches.dedup();
        let mut verdict = self.verdict(&fired, matches, lang);
        verdict.indicators = crate::indicators::extract_from(text, &input.links);
        Ok(verdict)
    }

    fn verdict(&self, fired: &[bool], matches: Vec<Match>, lang: &str) -> Verdict {
        let mut sums = vec![0i32; self.categories.len()];
        let mut cat_fired = vec![false; self.categories.len()];
        let mut reasons = Vec::new();
        for (_, r) in self.rules.iter().enumerate().filter(|(i, _)| fired[*i]) {
            cat_fired[r.category] = true;
            if self.context[r.category] {
                continue;
            }
            sums[r.category] += r.weight;
            reasons.push(Reason {
                rule: r.id.clone(),
                category: self.categories[r.category].clone(),
                weight: r.weight,
                explanation: pick(&r.explain, lang).to_string(),
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
        let mut capped_by: Option<(i32, &crate::pack::Combo)> = None;
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
        reasons.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.rule.cmp(&b.rule)));
        cats.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
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

/// The URL around a host found at `start..end` of normalised text: back over subdomains and the scheme, on
/// over the path. `None` when the host is only part of a longer word or domain.
fn url_around(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let host_char = |c: u8| c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
    if end < b.len()
        && (b[end].is_ascii_alphanumeric()
            || b[end] == b'-'
            || (b[end] == b'.' && end + 1 < b.len() && b[end + 1].is_ascii_alphanumeric()))
    {
        return None;
    }
    let mut s = start;
    if s > 0 && b[s - 1] != b'.' && host_char(b[s - 1]) {
        return None;
    }
    while s > 0 && host_char(b[s - 1]) {
        s -= 1;
    }
    if text[..s].ends_with("://") {
        s -= 3;
        while s > 0 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
    }
    let mut e = end;
    if e < b.len() && b[e] == b'/' {
        while e < b.len() && !b[e].is_ascii_whitespace() && !matches!(b[e], b'<' | b'>' | b'"' | b'\'' | b')' | b'(') {
            e += 1;
        }
    }
    Some((s, e))
}

/// Bytes of context a gated regex sees on each side of one of its literals.
const NEAR_CONTEXT: usize = 120;
/// Most windows one regex runs in per page.
const MAX_WINDOWS: usize = 256;

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
mod tests {
    use super::*;
    use crate::pack::source::{build, SourceFile};
    use crate::verdict::Link;

    const HEAD: &str = r#"
name = "test"
version = 7
[thresholds]
caution = 30
danger = 60
[categories.destination]
cap = 30
name.ko = "목적지"
name.en = "Destination"
[categories.travel_paid]
cap = 25
name.ko = "항공"
name.en = "Travel paid"
[categories.messenger]
cap = 20
name.ko = "메신저"
name.en = "Messenger"
[categories.pay]
cap = 25
name.ko = "고임금"
name.en = "High pay"
[categories.legit]
cap = 30
name.ko = "정상"
name.en = "Legit"
[[combo]]
id = "combo.lure"
all = ["destination", "travel_paid"]
any = ["pay", "messenger"]
min_any = 1
bonus = 20
explain.ko = "전형적 미끼"
explain.en = "Classic lure"
"#;
    const RULES: &str = r#"
[[rule]]
id = "ko.dest.cambodia"
category = "destination"
weight = 25
phrases = ["캄보디아", "cambodia"]
explain.ko = "캄보디아"
explain.en = "Cambodia"
[[rule]]
id = "ko.travel.flight"
category = "travel_paid"
weight = 20
phrases = ["항공권 지원", "flight paid"]
explain.ko = "항공권"
explain.en = "Flights paid"
[[rule]]
id = "ko.messenger.telegram"
category = "messenger"
weight = 15
phrases = ["텔레그램", "telegram"]
explain.ko = "텔레그램"
explain.en = "Telegram"
[[rule]]
id = "en.legit.benefits"
category = "legit"
weight = -30
regex = '401\(k\)'
explain.ko = "복리후생"
explain.en = "Benefits"
"#;
    const SALARY: &str = r#"
[currency]
KRW = 7000000
USD = 5000
[[tier]]
id = "any.pay.high"
category = "pay"
weight = 15
factor = 1.0
explain.ko = "고임금"
explain.en = "High pay"
[[tier]]
id = "any.pay.very_high"
category = "pay"
weight = 25
factor = 2.0
explain.ko = "매우 높은 임금"
explain.en = "Very high pay"
"#;
    const LINKS: &str = r#"
[[link]]
id = "any.messenger.telegram_link"
category = "messenger"
weight = 20
hosts = ["t.me"]
explain.ko = "텔레그램 링크"
explain.en = "Telegram link"
"#;
    const HOTLINES: &str = r#"
[KR]
name.ko = "대한민국"
name.en = "South Korea"
[[KR.line]]
number = "112"
label.ko = "경찰"
label.en = "Police"
confirmed = true
"#;

    fn classifier() -> Classifier {
        let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
        let pack = build(&[
            f("pack.toml", HEAD),
            f("ko/all.toml", RULES),
            f("salary.toml", SALARY),
            f("links.toml", LINKS),
            f("hotlines.toml", HOTLINES),
        ])
        .unwrap();
        Classifier::new(pack).unwrap()
    }

    fn score(text: &str) -> Verdict {
        classifier().score(&PageInput { text: text.into(), lang: Some("ko".into()), ..Default::default() }).unwrap()
    }

    fn slice16(s: &str, a: u32, b: u32) -> String {
        let u: Vec<u16> = s.encode_utf16().collect();
        String::from_utf16(&u[a as usize..b as usize]).unwrap()
    }

    #[test]
    fn one_signal_stays_below_caution() {
        let v = score("캄보디아 여행 후기");
        assert_eq!(v.level, Level::Safe);
        assert_eq!(v.score, 25);
    }

    #[test]
    fn the_classic_combination_is_danger() {
        let v = score("캄보디아 근무, 항공권 지원, 월 1500만원, 텔레그램 문의");
        // destination 25 + travel 20 + pay 25 (15M won >= 2 x 7M: the very-high tier) + messenger 15 + combo 20
        assert_eq!(v.level, Level::Danger);
        assert_eq!(v.score, 100);
        assert_eq!(v.reasons[0].weight, 25);
        assert!(v.reasons.iter().any(|r| r.rule == "combo.lure" && r.explanation == "전형적 미끼"));
        assert!(v.reasons.iter().any(|r| r.rule == "any.pay.very_high"));
        assert!(!v.reasons.iter().any(|r| r.rule == "any.pay.high"), "only the best pay tier counts");
    }

    #[test]
    fn categories_are_capped() {
        let v = score("telegram 텔레그램 t.me/abc");
        let m = v.categories.iter().find(|c| c.id == "messenger").unwrap();
        assert_eq!(m.score, 20, "15 + 20 capped at 20");
        assert_eq!(m.name, "메신저");
    }

    #[test]
    fn negative_rules_lower_the_score() {
        let v = score("Cambodia office, flight paid, telegram. Benefits: 401(k)");
        assert!(v.reasons.iter().any(|r| r.rule == "en.legit.benefits"));
        assert_eq!(v.score, 25 + 20 + 15 + 20 - 30);
    }

    #[test]
    fn offsets_are_utf16_on_korean_and_emoji() {
        let text = "🔥🔥 캄 보 디 아 💰 텔💬레💬그💬램 🔥";
        let v = score(text);
        let got: Vec<String> = v.matches.iter().map(|m| slice16(text, m.start, m.end)).collect();
        assert_eq!(got, vec!["캄 보 디 아", "텔💬레💬그💬램"]);
    }

    #[test]
    fn gated_regexes_run_near_their_literals_with_right_offsets() {
        let c = classifier();
        assert_eq!(c.pack().rules[3].near, vec!["401(k)".to_string()]);
        let text = format!("{}Benefits: 401(k) match", "filler text ".repeat(5000));
        let v = c.score(&PageInput { text: text.clone(), ..Default::default() }).unwrap();
        let m = v.matches.iter().find(|m| m.rule == "en.legit.benefits").expect("found far into the page");
        assert_eq!(slice16(&text, m.start, m.end), "401(k)");
    }

    #[test]
    fn urls_written_in_the_text_are_found() {
        let text = "문의: https://T.me/recruit_kh 또는 at.me/x, t.me.example.com/y";
        let v = score(text);
        let spans: Vec<String> = v
            .matches
            .iter()
            .filter(|m| m.rule == "any.messenger.telegram_link")
            .map(|m| slice16(text, m.start, m.end))
            .collect();
        assert_eq!(spans, vec!["https://T.me/recruit_kh"]);
    }

    #[test]
    fn latin_phrases_need_word_boundaries() {
        assert!(score("xcambodiax").reasons.is_empty());
        assert_eq!(score("(Cambodia)").reasons.len(), 1);
    }

    #[test]
    fn links_title_and_jsonld_count_but_only_text_is_highlighted() {
        let c = classifier();
        let input = PageInput {
            text: "상담원 모집".into(),
            title: Some("캄보디아 항공권 지원".into()),
            links: vec![Link { href: "https://t.me/recruit".into(), text: "문의".into() }],
            jsonld: vec![
                r#"{"@type":"JobPosting","baseSalary":{"currency":"USD","value":{"value":12000,"unitText":"MONTH"}}}"#
                    .into(),
            ],
            lang: Some("en".into()),
        };
        let v = c.score(&input).unwrap();
        let ids: Vec<&str> = v.reasons.iter().map(|r| r.rule.as_str()).collect();
        for id in
            ["ko.dest.cambodia", "ko.travel.flight", "any.messenger.telegram_link", "any.pay.very_high", "combo.lure"]
        {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        assert!(v.matches.is_empty(), "nothing in the text itself: {:?}", v.matches);
        assert_eq!(v.level, Level::Danger);
    }

    #[test]
    fn explanations_fall_back_to_english() {
        let v = classifier()
            .score(&PageInput { text: "cambodia".into(), lang: Some("th".into()), ..Default::default() })
            .unwrap();
        assert_eq!(v.reasons[0].explanation, "Cambodia");
    }

    #[test]
    fn hotlines_by_country() {
        let c = classifier();
        assert_eq!(c.hotlines("kr", "en")[0].label, "Police");
        assert!(c.hotlines("ZZ", "en").is_empty());
    }

    #[test]
    fn arbitrary_text_never_panics_and_offsets_fall_on_boundaries() {
        let c = classifier();
        let texts = [
            "",
            " ",
            "\u{200B}",
            "e\u{301}\u{301}",
            "🔥",
            "a\u{0}b",
            "캄\u{200B}보디아",
            "ｃａｍｂｏｄｉａ",
            "\u{10FFFF}x",
        ];
        for t in texts {
            let v = c.score(&PageInput { text: t.into(), ..Default::default() }).unwrap();
            let u: Vec<u16> = t.encode_utf16().collect();
            for m in v.matches {
                assert!(String::from_utf16(&u[..m.start as usize]).is_ok());
                assert!(String::from_utf16(&u[m.start as usize..m.end as usize]).is_ok());
            }
        }
    }

    #[test]
    fn a_bad_regex_refuses_the_pack() {
        let mut pack = classifier().pack().clone();
        pack.rules[3].regex = Some("(".into());
        let e = Classifier::new(pack).unwrap_err();
        assert!(e.to_string().contains("en.legit.benefits"), "{e}");
    }

    #[test]
    fn a_category_below_its_combo_min_scores_but_does_not_combine() {
        let run = |head: &str| {
            let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
            let c = Classifier::new(build(&[f("pack.toml", head), f("ko/all.toml", RULES)]).unwrap()).unwrap();
            c.score(&PageInput { text: "캄보디아 항공권 지원 텔레그램".into(), ..Default::default() }).unwrap()
        };
        // travel_paid scores 20 here: the combination fires at the default, not with combo_min = 25.
        let v = run(HEAD);
        assert!(v.reasons.iter().any(|r| r.rule == "combo.lure"), "{v:?}");
        let strict = HEAD.replace("[categories.travel_paid]\n", "[categories.travel_paid]\ncombo_min = 25\n");
        assert_ne!(strict, HEAD);
        let v2 = run(&strict);
        assert!(v2.reasons.iter().all(|r| r.rule != "combo.lure"), "{v2:?}");
        assert!(v2.reasons.iter().any(|r| r.rule == "ko.travel.flight"), "the category still scores");
        assert_eq!(i32::from(v.score) - i32::from(v2.score), 20);
    }

    #[test]
    fn a_capping_combination_limits_the_score_and_says_by_how_much() {
        let head = format!(
            "{HEAD}[categories.news]\ncap = 0\ncontext = true\nname.ko = \"보도\"\nname.en = \"News\"\n\
             [[combo]]\nid = \"combo.news\"\nall = [\"news\"]\nbonus = 0\ncap = 20\n\
             explain.ko = \"보도\"\nexplain.en = \"A news report\"\n"
        );
        let news = "[[rule]]\nid = \"ko.news.footer\"\ncategory = \"news\"\nweight = 0\nphrases = [\"무단 전재\"]\n\
                    explain.ko = \"보도\"\nexplain.en = \"News\"\n";
        let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
        let pack = build(&[f("pack.toml", &head), f("ko/all.toml", RULES), f("ko/news.toml", news)]).unwrap();
        let c = Classifier::new(pack.clone()).unwrap();
        let run =
            |t: &str| c.score(&PageInput { text: t.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
        let lure = "캄보디아 근무 항공권 지원 텔레그램 문의";
        let plain = run(lure);
        assert!(plain.score > 20, "{plain:?}");
        let v = run(&format!("{lure} 무단 전재 및 재배포 금지"));
        assert_eq!(v.score, 20);
        assert_eq!(v.level, Level::Safe);
        let r = v.reasons.iter().find(|r| r.rule == "combo.news").expect("the cap is listed");
        assert_eq!(r.weight, 20 - i32::from(plain.score));
        // Below the cap nothing changes, and the cap is not listed.
        let v = run("텔레그램 무단 전재");
        assert_eq!(v.score, run("텔레그램").score);
        assert!(v.reasons.iter().all(|r| r.rule != "combo.news"));
        let mut bad = pack;
        bad.combos.iter_mut().find(|c| c.id == "combo.news").unwrap().cap = Some(150);
        assert!(Classifier::new(bad).unwrap_err().to_string().contains("combo.news"));
    }

    #[test]
    fn context_categories_only_feed_combinations() {
        let head = format!(
            "{HEAD}[categories.job]\ncap = 0\ncontext = true\nname.ko = \"구인\"\nname.en = \"Job offer\"\n\
             [[combo]]\nid = \"combo.messenger_job\"\nall = [\"messenger\", \"job\"]\nbonus = 20\n\
             explain.ko = \"메신저 구인\"\nexplain.en = \"Job by messenger\"\n"
        );
        let job = "[[rule]]\nid = \"ko.job.words\"\ncategory = \"job\"\nweight = 0\nphrases = [\"모집\"]\n\
                   explain.ko = \"구인\"\nexplain.en = \"Job offer\"\n";
        let f = |p: &str, t: &str| SourceFile { path: p.into(), text: t.into() };
        let pack = build(&[f("pack.toml", &head), f("ko/all.toml", RULES), f("ko/job.toml", job)]).unwrap();
        let c = Classifier::new(pack.clone()).unwrap();
        let run =
            |t: &str| c.score(&PageInput { text: t.into(), lang: Some("ko".into()), ..Default::default() }).unwrap();
        // Alone, the context rule adds nothing and is neither listed, nor a category, nor highlighted.
        let v = run("직원 모집");
        assert_eq!(v.score, 0);
        assert!(v.reasons.is_empty() && v.categories.is_empty() && v.matches.is_empty(), "{v:?}");
        // With a messenger the combination fires: 15 + 20.
        let v = run("직원 모집 텔레그램");
        assert_eq!(v.score, 35);
        assert!(v.reasons.iter().any(|r| r.rule == "combo.messenger_job"));
        assert!(!v.reasons.iter().any(|r| r.rule == "ko.job.words"));
        assert!(v.categories.iter().all(|c| c.id != "job") && v.matches.iter().all(|m| m.category != "job"));
        // A context rule must weigh 0, and only a context rule may.
        let mut bad = pack.clone();
        bad.rules.iter_mut().find(|r| r.id == "ko.job.words").unwrap().weight = 5;
        assert!(Classifier::new(bad).unwrap_err().to_string().contains("ko.job.words"));
        let mut bad = pack;
        bad.rules.iter_mut().find(|r| r.id == "ko.dest.cambodia").unwrap().weight = 0;
        assert!(Classifier::new(bad).unwrap_err().to_string().contains("ko.dest.cambodia"));
    }
}
