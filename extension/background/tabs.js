//! Per-tab verdicts in `chrome.storage.session` under `tab:<tabId>` and the toolbar badge of each tab.

import { session, setBadge } from '../platform.js';

const BADGE = { danger: { text: '!!', color: '#b3261e' }, caution: { text: '!', color: '#b45309' } };

/** Stores the verdict record of a tab (see docs/interfaces.md) and sets its badge. */
export async function recordVerdict(tabId, record) {
  await session.set({ [`tab:${tabId}`]: record });
  const b = BADGE[record.level];
  await setBadge(tabId, b ? b.text : '', b ? b.color : '#000000');
}

/** The stored verdict record of a tab, or null. */
export async function tabRecord(tabId) {
  const key = `tab:${tabId}`;
  const got = await session.get(key);
  return got[key] ?? null;
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  await session.remove(`tab:${tabId}`);
}

/** Text around the first matches, for a report's optional excerpt (sent only if the reader ticks it). */
export function excerptOf(text, matches, max = 1000) {
  const parts = [];
  let used = 0;
  let lastEnd = -1;
  for (const m of matches.slice(0, 8)) {
    if (m.start < lastEnd) continue;
    const from = Math.max(0, m.start - 60);
    const to = Math.min(text.length, m.end + 60);
    const piece = text.slice(Math.max(from, lastEnd), to).replace(/\s+/g, ' ').trim();
    if (used + piece.length > max) break;
    parts.push(piece);
    used += piece.length;
    lastEnd = to;
  }
  return parts.join(' … ') || null;
}
