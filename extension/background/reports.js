//! Reports and "not a scam" feedback to the monitoring service: sent only when the reader presses the button,
//! exactly the JSON they were shown; queued in `reportQueue` and retried with back-off when the service is
//! unreachable; the reader's reports and their status in `myReports`.

import { api } from '../platform.js';
import { loadSettings } from '../shared/settings.js';
import { FetchError, fetchWithTimeout, readLimited, backoffMs } from './http.js';

export { REPORT_KEYS, FEEDBACK_KEYS, reportProblem, feedbackProblem } from './report-shape.js';

const RETRY_ALARM = 'reports-retry';
const MAX_QUEUE = 200;
const MAX_MY_REPORTS = 200;

function serviceUrl(settings, path) {
  return `${settings.serviceUrl.replace(/\/+$/, '')}${path}`;
}

async function getList(key) {
  const got = await api.storage.local.get(key);
  return Array.isArray(got[key]) ? got[key] : [];
}

/** Updates `myReports` entry with `key` (idempotency key) or adds it at the front. */
async function upsertMine(key, patch) {
  const mine = await getList('myReports');
  const i = mine.findIndex((m) => m.idempotency_key === key);
  if (i >= 0) mine[i] = { ...mine[i], ...patch };
  else mine.unshift({ idempotency_key: key, ...patch });
  await api.storage.local.set({ myReports: mine.slice(0, MAX_MY_REPORTS) });
}

async function post(kind, payload) {
  const settings = await loadSettings();
  const path = kind === 'report' ? '/v1/reports' : '/v1/feedback';
  const u = new URL(settings.serviceUrl);
  if (!(await api.permissions.contains({ origins: [`${u.protocol}//${u.hostname}/*`] }))) {
    throw new FetchError(`no permission to contact ${u.host}: allow it in the options`, { retry: false });
  }
  const res = await fetchWithTimeout(serviceUrl(settings, path), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await readLimited(res, 64 * 1024).catch(() => '');
  if (!res.ok) {
    let detail = '';
    try {
      detail = JSON.parse(body).error ?? '';
    } catch {
      detail = body.slice(0, 200);
    }
    throw new FetchError(`the service answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`, {
      retry: res.status >= 500 || res.status === 429,
    });
  }
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}

async function enqueue(kind, payload, error) {
  const q = await getList('reportQueue');
  if (!q.some((x) => x.payload.idempotency_key === payload.idempotency_key)) {
    q.push({ kind, payload, queuedAt: Date.now(), attempts: 1, nextTry: Date.now() + backoffMs(1), lastError: error });
  }
  await api.storage.local.set({ reportQueue: q.slice(-MAX_QUEUE) });
  await api.alarms.create(RETRY_ALARM, { when: Date.now() + backoffMs(1) });
}

async function deliver(kind, payload) {
  const reply = await post(kind, payload);
  if (kind === 'report') {
    await upsertMine(payload.idempotency_key, {
      state: 'sent', id: reply.id ?? null, status: reply.status ?? 'new', status_url: reply.status_url ?? null,
      case_id: reply.case_id ?? null, sentAt: Date.now(), lastError: null,
    });
  }
  return reply;
}

/**
 * Sends a report or feedback now; if the service cannot be reached, queues it. Returns
 * `{ state: 'sent'|'queued'|'error', error?, reply? }`.
 */
export async function submit(kind, payload) {
  if (kind === 'report') {
    await upsertMine(payload.idempotency_key, {
      state: 'sending', url: payload.url, title: payload.title, level: payload.level, score: payload.score, createdAt: Date.now(),
    });
  }
  try {
    const reply = await deliver(kind, payload);
    return { state: 'sent', reply };
  } catch (e) {
    if (e instanceof FetchError && e.retry) {
      await enqueue(kind, payload, e.message);
      if (kind === 'report') await upsertMine(payload.idempotency_key, { state: 'queued', lastError: e.message });
      return { state: 'queued', error: e.message };
    }
    if (kind === 'report') await upsertMine(payload.idempotency_key, { state: 'failed', lastError: e.message });
    return { state: 'error', error: e.message };
  }
}

/** Retries the queued items whose time has come; reschedules the alarm for the rest. */
export async function flushQueue({ all = false } = {}) {
  const q = await getList('reportQueue');
  const now = Date.now();
  const keep = [];
  for (const item of q) {
    if (!all && item.nextTry > now) {
      keep.push(item);
      continue;
    }
    try {
      await deliver(item.kind, item.payload);
    } catch (e) {
      if (e instanceof FetchError && e.retry) {
        const attempts = item.attempts + 1;
        keep.push({ ...item, attempts, nextTry: now + backoffMs(attempts), lastError: e.message });
      } else if (item.kind === 'report') {
        await upsertMine(item.payload.idempotency_key, { state: 'failed', lastError: e.message });
      }
      if (item.kind === 'report' && e.retry !== false) await upsertMine(item.payload.idempotency_key, { lastError: e.message });
    }
  }
  // Items queued while we were sending are kept too.
  const latest = await getList('reportQueue');
  const done = new Set(q.map((x) => x.payload.idempotency_key));
  const merged = [...keep, ...latest.filter((x) => !done.has(x.payload.idempotency_key))];
  await api.storage.local.set({ reportQueue: merged });
  if (merged.length) await api.alarms.create(RETRY_ALARM, { when: Math.max(now + 1000, Math.min(...merged.map((x) => x.nextTry))) });
  return merged.length;
}

/** Alarm handler: returns true when the alarm was ours. */
export function onAlarm(alarm) {
  if (alarm.name !== RETRY_ALARM) return false;
  flushQueue().catch((e) => console.warn('JobGuard: report retry failed', e));
  return true;
}

/**
 * Fetches the status of the reader's sent reports from the service (the newest `limit`, skipping those checked
 * less than `staleMs` ago), all at once; returns `myReports`.
 */
export async function refreshStatuses({ staleMs = 0, limit = 20 } = {}) {
  const settings = await loadSettings();
  const now = Date.now();
  const due = (await getList('myReports'))
    .slice(0, limit)
    .filter((m) => m.state === 'sent' && typeof m.status_url === 'string' && m.status_url.startsWith('/'))
    .filter((m) => !(m.checkedAt > now - staleMs));
  const patches = await Promise.all(
    due.map(async (m) => {
      try {
        const res = await fetchWithTimeout(serviceUrl(settings, m.status_url), {}, 8000);
        if (!res.ok) return [m.idempotency_key, { statusError: `HTTP ${res.status}` }];
        const body = JSON.parse(await readLimited(res, 64 * 1024));
        const status = typeof body.status === 'string' ? { status: body.status } : {};
        return [m.idempotency_key, { ...status, statusError: null, checkedAt: Date.now() }];
      } catch (e) {
        return [m.idempotency_key, { statusError: e.message }];
      }
    }),
  );
  if (!patches.length) return getList('myReports');
  // Merged into the list as it is now, not as it was: a report sent while the requests ran is kept.
  const byKey = new Map(patches);
  const mine = (await getList('myReports')).map((m) => (byKey.has(m.idempotency_key) ? { ...m, ...byKey.get(m.idempotency_key) } : m));
  await api.storage.local.set({ myReports: mine });
  return mine;
}
