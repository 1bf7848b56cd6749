//! The background (service worker in Chromium, event page in Firefox): answers our content scripts and pages,
//! scores pages with the Wasm classifier, keeps per-tab verdicts and badges, and runs pack updates and report
//! retries on alarms. Listeners are registered synchronously at the top so a wake-up never misses an event.

import { api, openPage, extensionOrigin, hasPageAccess } from '../platform.js';
import { ensureSettings, loadSettings, saveSettings, normalizeHost, packLang, isAllowlisted } from '../shared/settings.js';
import { messages } from '../shared/i18n.js';
import { current } from './classifier.js';
import { senderKind, allowed, cleanInput } from './messages.js';
import { recordVerdict, recordFrameVerdict, forgetFrame, tabRecord, forgetTab } from './tabs.js';
import { readPage, recordOf, replyOf, hasWarning } from './reading.js';
import { Parts } from './parts.js';
import * as updater from './updater.js';
import * as reports from './reports.js';
import { applyIndicators, onIndicatorAlarm, scheduleIndicatorPulls, pullIndicators } from './indicator-list.js';

const NOT_SCAM_MAX = 500;
let warningCss = null;
let markerCssText = null;

async function css() {
  warningCss ??= fetch(api.runtime.getURL('content/warning.css')).then((r) => r.text());
  return warningCss;
}

async function markerCss() {
  markerCssText ??= fetch(api.runtime.getURL('content/marker.css')).then((r) => r.text());
  return markerCssText;
}

async function notScamUrls() {
  const { notScam } = await api.storage.local.get('notScam');
  return Array.isArray(notScam) ? notScam : [];
}

/** Strings the in-page warning needs (keys starting with `w_`), in the reader's language. */
async function warningStrings(uiLang) {
  const all = await messages(uiLang);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('w_')));
}

const parts = new Parts();

async function score(msg, sender) {
  let raw = msg.input;
  if (msg.parts) {
    raw = parts.join(`${sender.tab.id}:${sender.frameId}`, msg.parts.id, msg.parts.count, msg.input);
    if (raw === null) return { error: 'incomplete input' };
  }
  const input = cleanInput(raw);
  if (!input) return { error: 'bad input' };
  const settings = await loadSettings();
  const c = await current();
  const lang = packLang(settings.uiLang);
  const reading = readPage(c.classifier, { ...input, lang });
  // Contacts confirmed by the monitors (the signed indicator list) lift the posting and each card on their own.
  if (reading.posting?.verdict) reading.posting.verdict = await applyIndicators(reading.posting.verdict, settings.uiLang);
  for (const card of Array.isArray(reading.cards) ? reading.cards : []) {
    if (card.verdict?.indicators?.length) card.verdict = await applyIndicators(card.verdict, settings.uiLang);
  }
  const record = recordOf(reading, { url: msg.url, input, lang, packVersion: c.version });
  await recordFrameVerdict(sender.tab.id, sender.frameId, record);
  const hidden = (await notScamUrls()).includes(msg.url) || isAllowlisted(settings, new URL(msg.url).hostname);
  const out = { ...replyOf(reading), hidden };
  if (hasWarning(out) && !hidden) {
    const names = c.classifier.countryNames(lang);
    out.view = {
      lang: settings.uiLang,
      strings: await warningStrings(settings.uiLang),
      css: await css(),
      markerCss: await markerCss(),
      country: settings.country,
      countryName: names[settings.country] ?? settings.country,
      hotlines: c.classifier.hotlines(settings.country, lang),
    };
  }
  return out;
}

function uuid() {
  return crypto.randomUUID();
}

/**
 * What a report (before the reader chooses to add the excerpt or a comment) or a "not a scam" feedback on the
 * tab's verdict would send, for the preview page: exactly the contract's keys, in its order.
 */
async function draft(kind, tabId, card) {
  const record = await tabRecord(tabId);
  if (!record) return { error: 'no verdict for this tab' };
  // Report on one card of a list: the page's address with that card's title, rules, score and level.
  const item = Number.isInteger(card) ? record.cards?.find((x) => x.index === card) : record;
  if (!item) return { error: 'no verdict for this card' };
  const settings = await loadSettings();
  const values = {
    url: record.url, title: item.title ?? '', rules: item.rules, score: item.score, level: item.level,
    pack_version: record.packVersion, extension_version: api.runtime.getManifest().version, lang: record.lang,
    country: settings.country, excerpt: null, comment: null, indicators: item.indicators ?? [], kind: 'not_scam',
    idempotency_key: uuid(),
  };
  const body = (keys) => Object.fromEntries(keys.map((k) => [k, values[k]]));
  if (kind === 'feedback') return { feedback: body(reports.FEEDBACK_KEYS), serviceUrl: settings.serviceUrl };
  return { report: body(reports.REPORT_KEYS), excerpt: item.excerpt ?? null, serviceUrl: settings.serviceUrl };
}

async function notScam(tabId) {
  const record = await tabRecord(tabId);
  if (!record) return { error: 'no verdict for this tab' };
  // The verdict may come from a frame showing the posting: that frame's address is hidden too.
  const urls = [...new Set([record.url, record.frameUrl].filter(Boolean))];
  const list = (await notScamUrls()).filter((u) => !urls.includes(u));
  list.push(...urls);
  await api.storage.local.set({ notScam: list.slice(-NOT_SCAM_MAX) });
  await recordVerdict(tabId, { ...record, hidden: true });
  await api.tabs.sendMessage(tabId, { type: 'clear' }).catch(() => {});
  // Hidden here at once; telling the service is a second, optional step on a page that shows exactly what
  // would be sent (nothing leaves the browser until the reader presses Send there).
  await openPage(`report.html?tab=${tabId}&kind=feedback`, tabId);
  return { ok: true, state: 'hidden' };
}

async function hideSite(tabId) {
  // The address the tab's verdict was made for: no need for the "tabs" permission to read the tab's URL.
  const record = await tabRecord(tabId);
  if (!record) return { error: 'no verdict for this tab' };
  const host = normalizeHost(new URL(record.url).hostname);
  if (!host) return { error: 'no site' };
  const s = await loadSettings();
  // The content script watches the settings and takes the warning down itself.
  await saveSettings({ ...s, allowlist: [...s.allowlist, host] });
  return { ok: true, host };
}

async function tabAction(action, tabId, card) {
  if (action === 'report') {
    await openPage(`report.html?tab=${tabId}${Number.isInteger(card) ? `&card=${card}` : ''}`, tabId);
    return { ok: true };
  }
  if (action === 'not-scam') return notScam(tabId);
  if (action === 'hide-site') return hideSite(tabId);
  if (action === 'dismiss') {
    await api.tabs.sendMessage(tabId, { type: 'dismiss' }).catch(() => {});
    return { ok: true };
  }
  return { error: 'unknown action' };
}

async function packInfo() {
  const c = await current();
  const { packStatus } = await api.storage.local.get('packStatus');
  return { packStatus: packStatus ?? null, info: c.info, source: c.source };
}

async function handle(kind, msg, sender) {
  switch (msg.type) {
    case 'score':
      return score(msg, sender);
    case 'part':
      return { ok: parts.add(`${sender.tab.id}:${sender.frameId}`, msg.id, msg.seq, msg.data) };
    case 'action':
      return tabAction(msg.action, sender.tab.id, msg.card);
    case 'left':
      await forgetFrame(sender.tab.id, sender.frameId);
      return { ok: true };
    case 'tab-action':
      return tabAction(msg.action, msg.tabId);
    case 'popup-state': {
      const [record, settings, pack, got] = await Promise.all([
        tabRecord(msg.tabId), loadSettings(), packInfo(), api.storage.local.get(['myReports', 'reportQueue']),
      ]);
      return { record, settings, pack, myReports: got.myReports ?? [], queued: (got.reportQueue ?? []).length };
    }
    case 'report-draft':
    case 'feedback-draft':
      return draft(msg.type === 'report-draft' ? 'report' : 'feedback', msg.tabId, msg.card);
    case 'report-send':
    case 'feedback-send': {
      const kind = msg.type === 'report-send' ? 'report' : 'feedback';
      const body = kind === 'report' ? msg.report : msg.feedback;
      const problem = kind === 'report' ? reports.reportProblem(body) : reports.feedbackProblem(body);
      if (problem) return { state: 'error', error: `${kind} not sent: ${problem}` };
      return reports.submit(kind, body);
    }
    case 'reports-refresh':
      // `auto`: the popup opening; statuses checked in the last ten minutes are not asked for again.
      return { myReports: await reports.refreshStatuses({ staleMs: msg.auto === true ? 10 * 60 * 1000 : 0 }) };
    case 'reports-flush':
      return { left: await reports.flushQueue({ all: true }) };
    case 'check-pack': {
      // "Check now" checks the pack and the indicator list of confirmed contacts.
      const [, indicatorStatus] = await Promise.all([updater.checkPack({ reason: 'manual' }), pullIndicators()]);
      return { ...(await packInfo()), indicatorStatus };
    }
    case 'pack-status':
      return packInfo();
    case 'countries': {
      const c = await current();
      const lang = packLang((await loadSettings()).uiLang);
      return { countries: c.classifier.countries(), names: c.classifier.countryNames(lang) };
    }
    default:
      return { error: 'unknown request' };
  }
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const kind = senderKind(sender, { id: api.runtime.id, origin: extensionOrigin });
  // Anything not from our own content script or page, or not of a known shape, gets no answer at all.
  if (!kind || !allowed(kind, msg)) return false;
  handle(kind, msg, sender).then(sendResponse, (e) => {
    console.warn('JobGuard:', msg.type, e);
    sendResponse({ error: String(e?.message ?? e) });
  });
  return true; // answer asynchronously
});

api.alarms.onAlarm.addListener((alarm) => {
  updater.onAlarm(alarm) || reports.onAlarm(alarm) || onIndicatorAlarm(alarm);
});

api.tabs.onRemoved.addListener((tabId) => {
  parts.forget(String(tabId));
  forgetTab(tabId).catch(() => {});
});

api.runtime.onInstalled.addListener(({ reason }) => {
  ensureSettings().catch((e) => console.warn('JobGuard: settings', e));
  // Installed without access to the sites it must read (Firefox withholds MV3 host permissions when
  // extensions.originControls.grantByDefault is off; a policy may too): JobGuard would stay silent everywhere.
  // The options page says so and asks for the access when the reader presses its button.
  if (reason === 'install') {
    hasPageAccess()
      .then((ok) => ok || openPage('options.html'))
      .catch((e) => console.warn('JobGuard: page access', e));
  }
});

// Every wake-up: settings complete, the periodic alarm in place, and a pack check only if the last one is stale.
(async () => {
  await ensureSettings();
  await current();
  await updater.scheduleUpdates();
  await updater.checkIfStale();
  await scheduleIndicatorPulls();
})().catch((e) => console.warn('JobGuard: start-up', e));
