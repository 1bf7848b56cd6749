//! Rule-pack updates: fetch the signed pack from the pack address (If-None-Match, time-out, size limit,
//! back-off), verify it in Wasm with the embedded keys, compile it, and only then store and switch to it.
//! Any refusal keeps the pack in use and is recorded in `packStatus.lastError`.

import { api } from '../platform.js';
import { loadSettings } from '../shared/settings.js';
import { current, switchTo, verify } from './classifier.js';
import { FetchError, fetchWithTimeout, readLimited, backoffMs } from './http.js';

/** Largest signed pack we download. */
export const MAX_PACK_DOWNLOAD = 2 * 1024 * 1024;
/** How often the pack address is checked, and how old a check may be before start-up checks again. */
export const CHECK_EVERY_MIN = 6 * 60;
const ALARM = 'pack-update';
const RETRY_ALARM = 'pack-retry';
const STARTUP_ALARM = 'pack-startup';

async function status() {
  const { packStatus } = await api.storage.local.get('packStatus');
  return packStatus && typeof packStatus === 'object' ? packStatus : {};
}

async function writeStatus(patch) {
  const next = { version: null, lastCheck: null, lastUpdate: null, lastError: null, ...(await status()), ...patch };
  await api.storage.local.set({ packStatus: next });
  return next;
}

/** Creates the periodic alarm if it is missing (alarms survive restarts, but not every install path). */
export async function scheduleUpdates() {
  if (!(await api.alarms.get(ALARM))) {
    await api.alarms.create(ALARM, { periodInMinutes: CHECK_EVERY_MIN, delayInMinutes: CHECK_EVERY_MIN });
  }
}

/** Alarm handler: returns true when the alarm was ours. */
export function onAlarm(alarm) {
  if (![ALARM, RETRY_ALARM, STARTUP_ALARM].includes(alarm.name)) return false;
  checkPack({ reason: alarm.name }).catch((e) => console.warn('JobGuard: pack check failed', e));
  return true;
}

/**
 * At start-up: when the last check is older than the period and no back-off is running, schedule a check half
 * a minute later (an alarm, so it survives the worker going to sleep): a wake-up to score a page is not slowed
 * by a download, and a fresh install does not reach out the moment it is installed.
 */
export async function checkIfStale() {
  const s = await status();
  const now = Date.now();
  if (s.nextTry && s.nextTry > now) return s;
  if (s.lastCheck && now - s.lastCheck < CHECK_EVERY_MIN * 60_000) return s;
  if (!(await api.alarms.get(STARTUP_ALARM))) await api.alarms.create(STARTUP_ALARM, { delayInMinutes: 0.5 });
  return s;
}

let running = null; // { promise, reason, ctl }

/**
 * Checks the pack address now, one check at a time; returns the new `packStatus`. A scheduled check joins one
 * that is running; the reader's "Check now" cancels a scheduled one (which may be waiting on a slow server, or
 * on an address changed since) and starts afresh.
 */
export function checkPack({ reason = 'manual' } = {}) {
  if (running && (reason !== 'manual' || running.reason === 'manual')) return running.promise;
  running?.ctl.abort();
  const ctl = new AbortController();
  const me = { reason, ctl };
  me.promise = run(reason, ctl.signal).finally(() => {
    if (running === me) running = null;
  });
  running = me;
  return me.promise;
}

async function run(reason, signal) {
  const settings = await loadSettings();
  const prev = await status();
  const inUse = await current();
  const now = Date.now();
  const base = { version: inUse.version, lastCheck: now };
  try {
    const url = new URL(settings.packUrl);
    const origin = `${url.protocol}//${url.hostname}/*`;
    if (!(await api.permissions.contains({ origins: [origin] }))) {
      throw new FetchError(`no permission to contact ${url.host}: allow it in the options`, { retry: false });
    }
    const headers = {};
    // The ETag is only meaningful for the address it came from.
    if (prev.etag && prev.etagUrl === url.href) headers['If-None-Match'] = prev.etag;
    const res = await fetchWithTimeout(url.href, { headers, signal });
    if (res.status === 304) {
      await res.body?.cancel().catch(() => {});
      return writeStatus({ ...base, lastError: null, failures: 0, nextTry: null });
    }
    if (!res.ok) throw new FetchError(`the pack address answered HTTP ${res.status}`, { retry: res.status >= 500 || res.status === 429 });
    const text = await readLimited(res, MAX_PACK_DOWNLOAD);
    let header;
    try {
      header = JSON.parse(text)?.header;
    } catch {
      throw new FetchError('not a signed pack: the answer is not JSON', { retry: false });
    }
    const offered = Number(header?.version);
    const etag = res.headers.get('etag');
    const etagPatch = etag ? { etag, etagUrl: url.href } : { etag: null, etagUrl: null };
    if (offered === inUse.version) {
      // The pack in use: up to date, not an error (minVersion is inclusive, see docs/interfaces.md).
      return writeStatus({ ...base, ...etagPatch, lastError: null, failures: 0, nextTry: null });
    }
    let ok;
    try {
      ok = await verify(text, Math.floor(now / 1000), inUse.version + 1);
    } catch (e) {
      throw new FetchError(`pack refused: ${e.message}`, { retry: false });
    }
    if (signal.aborted) return status(); // superseded meanwhile: the newer check decides
    try {
      await switchTo(ok.pack, ok.version, ok.sha256);
    } catch (e) {
      throw new FetchError(`pack refused: it does not compile: ${e.message}`, { retry: false });
    }
    await api.storage.local.set({ pack: { envelope: text, version: ok.version, acceptedAt: now } });
    console.info(`JobGuard: rule pack ${ok.version} accepted (${reason}), was ${inUse.version}`);
    return writeStatus({ ...etagPatch, version: ok.version, lastCheck: now, lastUpdate: now, lastError: null, failures: 0, nextTry: null });
  } catch (e) {
    if (e.cancelled || signal.aborted) return status(); // superseded by "Check now": that one reports
    const failures = (prev.failures || 0) + 1;
    const message = e instanceof FetchError ? e.message : `unexpected error: ${e.message}`;
    console.warn(`JobGuard: pack check (${reason}) failed: ${message}`);
    // A refused pack is not retried soon (the same bytes would be refused again); a network failure is.
    const retryIn = e.retry === false ? CHECK_EVERY_MIN * 60_000 : backoffMs(failures);
    const nextTry = now + retryIn;
    if (retryIn < CHECK_EVERY_MIN * 60_000) await api.alarms.create(RETRY_ALARM, { when: nextTry });
    return writeStatus({ ...base, lastError: message, lastErrorAt: now, failures, nextTry });
  }
}
