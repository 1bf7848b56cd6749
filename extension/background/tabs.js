//! Per-tab verdicts in `chrome.storage.session` under `tab:<tabId>` and the toolbar badge of each tab.

import { session, setBadge } from '../platform.js';
import { badgeOf } from './reading.js';

/** Stores the verdict record of a tab (see docs/interfaces.md) and sets its badge. */
export async function recordVerdict(tabId, record) {
  await session.set({ [`tab:${tabId}`]: record });
  const b = badgeOf(record);
  await setBadge(tabId, b.text, b.color);
}

/**
 * Stores a tab's frame verdicts and makes the tab's record the most severe of them (a posting shown in an
 * iframe counts for the tab), under the top frame's address. No frames left: no record and no badge.
 * Returns the tab's record, or null.
 */
async function publish(tabId, frames) {
  await session.set({ [`frames:${tabId}`]: frames });
  const all = Object.values(frames);
  if (all.length === 0) {
    await session.remove(`tab:${tabId}`);
    await setBadge(tabId, '', '#000000');
    return null;
  }
  const worst = all.reduce((a, b) => (b.score > a.score ? b : a));
  const merged = { ...worst, url: frames[0]?.url ?? worst.url, frameUrl: worst.url };
  await recordVerdict(tabId, merged);
  return merged;
}

async function framesOf(tabId) {
  const key = `frames:${tabId}`;
  return (await session.get(key))[key] ?? {};
}

/**
 * Records the verdict of one frame of a tab; a new address in the top frame forgets the frames of the previous
 * page. Returns the tab's record.
 */
export async function recordFrameVerdict(tabId, frameId, record) {
  let frames = await framesOf(tabId);
  if (frameId === 0 && frames[0] && frames[0].url !== record.url) frames = {};
  frames[frameId] = record;
  return publish(tabId, frames);
}

/** Forgets one frame's verdict (it left its job page); the tab's record is recomputed, or dropped. */
export async function forgetFrame(tabId, frameId) {
  if (frameId === 0) {
    await forgetTab(tabId);
    await setBadge(tabId, '', '#000000');
    return;
  }
  const frames = await framesOf(tabId);
  delete frames[frameId];
  await publish(tabId, frames);
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
