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
