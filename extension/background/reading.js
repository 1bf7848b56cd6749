//! A page's reading (docs/interfaces.md, "Page reading"): the posting and the cards the Wasm classifier found
//! and scored, turned into the tab's record (`tab:<id>`) and into the reply the content script draws from.
//! Pure (the classifier is passed in), so it is tested in Node.

import { excerptOf } from './excerpt.js';
import { reportIndicators } from './indicators.js';

const RANK = { safe: 0, caution: 1, danger: 2 };
/** Most risky cards kept in a tab's record and marked on a page (a list of hundreds of lures is a scam site). */
export const MAX_RISKY_CARDS = 200;

const risky = (v) => Boolean(v) && v.level !== 'safe';
const worse = (a, b) => RANK[a.level] - RANK[b.level] || a.score - b.score;
const ruleIds = (v) => [...new Set(v.reasons.map((r) => r.rule))];
/** What the content script needs of a verdict. */
const slim = (v) => ({ level: v.level, score: v.score, reasons: v.reasons, categories: v.categories, matches: v.matches });

/**
 * Reads a page with the classifier: `classifier.readPage(json)` (the Reading), or, with an engine that has no
 * page reading, the whole text scored as one posting.
 */
export function readPage(classifier, input) {
  const json = JSON.stringify(input);
  if (typeof classifier.readPage === 'function') return classifier.readPage(json);
  const verdict = classifier.scoreJson(json);
  return {
    kind: 'posting', how: 'text', card_count: 0, cards: [],
    posting: { node: 0, regions: [[0, input.text.length]], verdict },
  };
}

/** The risky cards of a reading, in page order, each with its index among all the cards. */
export function riskyCards(reading) {
  const out = [];
  const cards = Array.isArray(reading.cards) ? reading.cards : [];
  for (let i = 0; i < cards.length && out.length < MAX_RISKY_CARDS; i++) {
    if (risky(cards[i].verdict)) out.push({ ...cards[i], index: i });
  }
  return out;
}

/** Matches of a posting verdict that can be shown: inside its regions (none without regions). */
function shownMatches(posting) {
  const regions = Array.isArray(posting.regions) ? posting.regions : [];
  return posting.verdict.matches.filter((m) => regions.some(([s, e]) => m.start >= s && m.end <= e));
}

/**
 * The tab's record: the fields of docs/interfaces.md (`url, level, score, rules, packVersion, at` and the rest)
 * describe the worst thing read on the page: the posting, or on a list the riskiest card (then `card` is that
 * card's index); `kind`, `how`, `cardCount`, `risky` (how many cards are risky) and `cards` (one record per
 * risky card, for Report on that card) say how the page was read.
 */
export function recordOf(reading, { url, input, lang, packVersion, at = Date.now() }) {
  const cards = riskyCards(reading);
  const posting = reading.posting?.verdict ? reading.posting : null;
  const cardRecord = (c) => ({
    index: c.index, title: String(c.title ?? '').slice(0, 500), level: c.verdict.level, score: c.verdict.score,
    rules: ruleIds(c.verdict), reasons: c.verdict.reasons, categories: c.verdict.categories,
    excerpt: excerptOf(input.text, c.verdict.matches), indicators: reportIndicators(c.verdict),
  });
  const base = {
    url, kind: reading.kind === 'list' ? 'list' : 'posting', how: String(reading.how ?? ''), at, lang,
    cardCount: Number(reading.card_count) || 0, risky: cards.length, cards: cards.map(cardRecord),
  };
  const worstCard = cards.reduce((a, c) => (!a || worse(c.verdict, a.verdict) > 0 ? c : a), null);
  if (posting && (risky(posting.verdict) || !worstCard || worse(posting.verdict, worstCard.verdict) >= 0)) {
    const v = posting.verdict;
    return {
      ...base, level: v.level, score: v.score, rules: ruleIds(v), packVersion: v.pack_version,
      title: input.title.slice(0, 500), reasons: v.reasons, categories: v.categories,
      excerpt: v.level === 'safe' ? null : excerptOf(input.text, shownMatches(posting)),
      indicators: reportIndicators(v),
    };
  }
  if (worstCard) {
    const c = base.cards.find((x) => x.index === worstCard.index);
    return {
      ...base, level: c.level, score: c.score, rules: c.rules, packVersion: worstCard.verdict.pack_version,
      title: c.title, reasons: c.reasons, categories: c.categories, excerpt: c.excerpt, card: c.index,
      indicators: c.indicators,
    };
  }
  return {
    ...base, level: 'safe', score: 0, rules: [], packVersion, title: input.title.slice(0, 500), reasons: [],
    categories: [], excerpt: null, indicators: [],
  };
}

/**
 * What the content script draws: the posting's verdict (its panel or bar, and highlights inside its regions),
 * and each risky card with its node, range and verdict (a marker and highlights).
 */
export function replyOf(reading) {
  const posting = reading.posting?.verdict
    ? { node: reading.posting.node ?? null, verdict: { ...slim(reading.posting.verdict), matches: shownMatches(reading.posting) } }
    : null;
  const cards = riskyCards(reading).map((c) => ({
    index: c.index, node: c.node, start: c.start, end: c.end, title: String(c.title ?? '').slice(0, 500), verdict: slim(c.verdict),
  }));
  return { kind: reading.kind === 'list' ? 'list' : 'posting', how: String(reading.how ?? ''), posting, cards };
}

const BADGE = { danger: { text: '!!', color: '#b3261e' }, caution: { text: '!', color: '#b45309' } };

/**
 * The toolbar badge of a tab's record: a risky posting shows its level ("!!", "!"); a list whose worst item is a
 * card shows how many cards are risky ("1", "3"), coloured by the worst of them; nothing otherwise.
 */
export function badgeOf(record) {
  const b = BADGE[record.level];
  if (!b) return { text: '', color: '#000000' };
  if (Number.isInteger(record.card) && record.risky > 0) return { text: String(Math.min(record.risky, 999)), color: b.color };
  return b;
}

/** True when the reply has anything to show (a risky posting or a risky card). */
export function hasWarning(reply) {
  return risky(reply.posting?.verdict) || reply.cards.length > 0;
}
