//! Per-tab verdicts in `chrome.storage.session` under `tab:<tabId>` and the toolbar badge of each tab.

import { session, setBadge } from '../platform.js';

const BADGE = { danger: { text: '!!', color: '#b3261e' }, caution: { text: '!', color: '#b45309' } };

/** Stores the verdict record of a tab (see docs/interfaces.md) and sets its badge. */
export async function recordVerdict(tabId, record) {
  await session.set({ [`tab:${tabId}`]: record });
  const b = BADGE[record.level];
  await setBadge(tabId, b ? b.text : '', b ? b.color : '#000000');
}

/**
 * Records the verdict of one frame of a tab and makes the tab's record the most severe verdict among its
 * frames (a posting shown in an iframe counts for the tab), under the top frame's address. A new address in the
 * top frame forgets the frames of the previous page. Returns the tab's record.
 */
export async function recordFrameVerdict(tabId, frameId, record) {
  const key = `frames:${tabId}`;
  let frames = (await session.get(key))[key] ?? {};
  if (frameId === 0 && frames[0] && frames[0].url !== record.url) frames = {};
  frames[frameId] = record;
  await session.set({ [key]: frames });
  const worst = Object.values(frames).reduce((a, b) => (b.score > a.score ? b : a));
  const topUrl = frames[0]?.url ?? record.url;
  const merged = { ...worst, url: topUrl, frameUrl: worst.url };
  await recordVerdict(tabId, merged);
  return merged;
}

/** Forgets one frame's verdict (it left its job page); the tab's record is recomputed, or dropped. */
export async function forgetFrame(tabId, frameId) {
  const key = `frames:${tabId}`;
  const frames = (await session.get(key))[key] ?? {};
  if (frameId === 0) {
    await forgetTab(tabId);
    await setBadge(tabId, '', '#000000');
    return;
  }
  delete frames[frameId];
  await session.set({ [key]: frames });
  const rest = Object.values(frames);
  if (rest.length === 0) {
    await session.remove(`tab:${tabId}`);
    await setBadge(tabId, '', '#000000');
    return;
  }
  const worst = rest.reduce((a, b) => (b.score > a.score ? b : a));
  await recordVerdict(tabId, { ...worst, url: frames[0]?.url ?? worst.url, frameUrl: worst.url });
}

/** The stored verdict record of a tab, or null. */
export async function tabRecord(tabId) {
  const key = `tab:${tabId}`;
  const got = await session.get(key);
  return got[key] ?? null;
}

/** Forgets a closed tab. */
export async function forgetTab(tabId) {
  await session.remove([`tab:${tabId}`, `frames:${tabId}`]);
}
