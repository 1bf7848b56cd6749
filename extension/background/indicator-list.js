//! The signed list of confirmed scam contacts (docs/interfaces.md, "Signed indicator list"): pulled from the
//! monitoring service hourly and at start (alarms, If-None-Match), verified in Wasm with the keys this build
//! trusts for indicator lists only, and applied to verdicts: a page carrying a confirmed contact warns at
//! danger whatever its wording. A refused list (tampered, expired, older, wrong key) leaves the last good one
//! in place and is recorded in `indicatorStatus.lastError`; an expired list is no longer applied.

import { IndicatorList } from '../wasm/jobguard.js';
import { api } from '../platform.js';
import { INDICATOR_KEYS } from '../config.js';
import { loadSettings } from '../shared/settings.js';
import { messages, fill } from '../shared/i18n.js';
import { wasm } from './classifier.js';
import { fetchWithTimeout, readLimited } from './http.js';

/** Largest list downloaded. */
export const MAX_LIST_DOWNLOAD = 8 * 1024 * 1024;
/** How often the list is pulled. */
export const LIST_EVERY_MIN = 60;
const ALARM = 'indicator-list';
const STARTUP_ALARM = 'indicator-list-startup';
/** The reason's rule id and category on a verdict. */
export const CONFIRMED_RULE = 'indicator.confirmed';
export const CONFIRMED_CATEGORY = 'indicator';

let loaded = null; // Promise<IndicatorList|null> for this wake-up

const nowSec = () => Math.floor(Date.now() / 1000);

async function status() {
  const { indicatorStatus } = await api.storage.local.get('indicatorStatus');
  return indicatorStatus && typeof indicatorStatus === 'object' ? indicatorStatus : {};
}

async function writeStatus(patch) {
  const next = { version: null, count: 0, lastCheck: null, lastUpdate: null, lastError: null, ...(await status()), ...patch };
  await api.storage.local.set({ indicatorStatus: next });
  return next;
}

/** The accepted list, re-verified at each wake-up (storage is not a trusted channel) against the time now. */
export function currentList() {
  loaded ??= (async () => {
    await wasm();
    const { indicatorList } = await api.storage.local.get('indicatorList');
    if (!indicatorList || typeof indicatorList.envelope !== 'string') return null;
    try {
      return new IndicatorList(indicatorList.envelope, [...INDICATOR_KEYS], nowSec(), 0);
    } catch (e) {
      console.warn(`JobGuard: the stored indicator list is not applied (${e.message})`);
      return null;
    }
  })();
  return loaded;
}

/** Schedules the hourly pull and one at start (half a minute later, so a wake-up is not slowed). */
export async function scheduleIndicatorPulls() {
  if (!(await api.alarms.get(ALARM))) await api.alarms.create(ALARM, { periodInMinutes: LIST_EVERY_MIN, delayInMinutes: LIST_EVERY_MIN });
  const s = await status();
  const stale = !s.lastCheck || Date.now() - s.lastCheck >= LIST_EVERY_MIN * 60_000;
  if (stale && !(await api.alarms.get(STARTUP_ALARM))) await api.alarms.create(STARTUP_ALARM, { delayInMinutes: 0.5 });
}

/** Alarm handler: true when the alarm was ours. */
export function onIndicatorAlarm(alarm) {
  if (alarm.name !== ALARM && alarm.name !== STARTUP_ALARM) return false;
  pullIndicators().catch((e) => console.warn('JobGuard: indicator list pull failed', e));
  return true;
}

let running = null;

/** Pulls the list now (one pull at a time); returns `indicatorStatus`. */
export function pullIndicators() {
  running ??= pull().finally(() => {
    running = null;
  });
  return running;
}

async function pull() {
  const settings = await loadSettings();
  const { indicatorList } = await api.storage.local.get('indicatorList');
  const prevVersion = Number(indicatorList?.version) || 0;
  const url = `${settings.serviceUrl.replace(/\/+$/, '')}/v1/indicators/latest`;
  const lastCheck = Date.now();
  try {
    const u = new URL(url);
    if (!(await api.permissions.contains({ origins: [`${u.protocol}//${u.hostname}/*`] }))) {
      throw new Error(`no permission to contact ${u.host}`);
    }
    const headers = indicatorList?.etag ? { 'If-None-Match': indicatorList.etag } : {};
    const res = await fetchWithTimeout(url, { headers, cache: 'no-cache' });
    if (res.status === 304) return writeStatus({ lastCheck, lastError: null });
    if (!res.ok) throw new Error(`the service answered HTTP ${res.status}`);
    const text = await readLimited(res, MAX_LIST_DOWNLOAD);
    await wasm();
    // Newer than the one in use (same version: up to date); checked with the indicator keys only.
    const list = new IndicatorList(text, [...INDICATOR_KEYS], nowSec(), prevVersion);
    const info = list.info();
    if (info.version === prevVersion) return writeStatus({ lastCheck, lastError: null });
    await api.storage.local.set({
      indicatorList: { envelope: text, version: info.version, etag: res.headers.get('etag'), acceptedAt: Date.now() },
    });
    loaded = Promise.resolve(list);
    return writeStatus({ version: info.version, count: info.count, lastCheck, lastUpdate: Date.now(), lastError: null });
  } catch (e) {
    return writeStatus({ lastCheck, lastError: String(e?.message ?? e) });
  }
}

/**
 * Applies the list to a verdict: when the page carries a confirmed contact, the verdict is danger, with a reason
 * "this contact was confirmed in N reported scam ads" first and the contact's text highlighted. Returns the
 * (possibly new) verdict.
 */
export async function applyIndicators(verdict, uiLang) {
  const list = await currentList();
  const inds = Array.isArray(verdict?.indicators) ? verdict.indicators : [];
  if (!list || inds.length === 0) return verdict;
  let found;
  try {
    found = list.confirmed(inds);
  } catch (e) {
    console.warn('JobGuard: indicator match failed', e);
    return verdict;
  }
  if (!found.length) return verdict;
  const m = await messages(uiLang);
  const reasons = found.map(({ index, n }) => ({
    rule: CONFIRMED_RULE,
    category: CONFIRMED_CATEGORY,
    weight: 100,
    explanation: fill(m.w_indicator_confirmed ?? 'This contact ($1) was confirmed in $2 reported scam ads.', inds[index].value, n),
  }));
  const spans = found
    .map(({ index }) => inds[index])
    .filter((i) => Number.isInteger(i.start) && Number.isInteger(i.end) && i.end > i.start)
    .map((i) => ({ rule: CONFIRMED_RULE, category: CONFIRMED_CATEGORY, start: i.start, end: i.end }));
  return {
    ...verdict,
    level: 'danger',
    score: Math.max(verdict.score, 100),
    reasons: [...reasons, ...verdict.reasons],
    categories: [{ id: CONFIRMED_CATEGORY, name: m.w_indicator_category ?? 'Confirmed scam contact', score: 100 }, ...verdict.categories],
    matches: [...verdict.matches, ...spans].sort((a, b) => a.start - b.start || a.end - b.end),
  };
}
