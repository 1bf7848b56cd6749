//! The reader's settings in `chrome.storage.local` under `settings` (see docs/interfaces.md), with defaults.

import { api, browserLanguage } from '../platform.js';
import { DEFAULT_SERVICE_URL } from '../config.js';

/** UI languages with a `_locales/` folder. */
export const UI_LANGS = ['en', 'ko', 'zh_CN', 'zh_TW', 'vi', 'th', 'id', 'ja'];

/** The pack's language code for explanations of a UI language (`zh_CN` -> `zh`). */
export function packLang(uiLang) {
  return uiLang.startsWith('zh') ? 'zh' : uiLang;
}

/** The UI language closest to a browser language tag (`ko-KR` -> `ko`, `zh-TW` -> `zh_TW`). */
export function uiLangFor(tag) {
  const t = String(tag || 'en').replace('_', '-').toLowerCase();
  if (t.startsWith('zh')) return /tw|hk|mo|hant/.test(t) ? 'zh_TW' : 'zh_CN';
  const base = t.split('-')[0];
  return UI_LANGS.includes(base) ? base : 'en';
}

// Country when the browser language names none: the country most readers of that language are in.
const COUNTRY_OF_LANG = { ko: 'KR', ja: 'JP', vi: 'VN', th: 'TH', id: 'ID', zh: 'CN', en: 'US' };

/** The country (ISO 3166 alpha-2) a browser language tag points to (`en-GB` -> `GB`, `ko` -> `KR`). */
export function countryFor(tag) {
  const parts = String(tag || 'en').replace('_', '-').split('-');
  const region = parts.find((p, i) => i > 0 && /^[A-Za-z]{2}$/.test(p));
  if (region) return region.toUpperCase();
  if (parts[0].toLowerCase() === 'zh' && /hant/i.test(tag)) return 'TW';
  return COUNTRY_OF_LANG[parts[0].toLowerCase()] ?? 'US';
}

/** The settings a fresh install starts with, for a reader whose browser language is `lang`. */
export function defaultSettings(lang = 'en') {
  return {
    uiLang: uiLangFor(lang),
    country: countryFor(lang),
    allowlist: [],
    scope: 'job-pages',
    serviceUrl: DEFAULT_SERVICE_URL,
    packUrl: `${DEFAULT_SERVICE_URL}/v1/packs/latest`,
  };
}

/** Checks and completes a settings object: unknown keys dropped, bad values replaced by defaults. */
export function normalizeSettings(s, lang = 'en') {
  const d = defaultSettings(lang);
  const o = s && typeof s === 'object' ? s : {};
  const url = (v, fallback) => {
    try {
      const u = new URL(String(v));
      return ['http:', 'https:'].includes(u.protocol) ? u.href.replace(/\/+$/, '') : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    uiLang: UI_LANGS.includes(o.uiLang) ? o.uiLang : d.uiLang,
    country: typeof o.country === 'string' && /^[A-Z]{2}$/.test(o.country) ? o.country : d.country,
    allowlist: Array.isArray(o.allowlist)
      ? [...new Set(o.allowlist.map(normalizeHost).filter(Boolean))].slice(0, 1000)
      : d.allowlist,
    scope: o.scope === 'all' ? 'all' : 'job-pages',
    serviceUrl: url(o.serviceUrl, d.serviceUrl),
    packUrl: url(o.packUrl, d.packUrl),
  };
}

/** A host name as stored in the allowlist: lower case, no port, no leading `www.`. */
export function normalizeHost(h) {
  const s = String(h ?? '').trim().toLowerCase();
  if (!s) return '';
  let host = s;
  try {
    host = new URL(s.includes('://') ? s : `http://${s}`).hostname;
  } catch {
    return '';
  }
  return host.replace(/^www\./, '');
}

/** True when `hostname` or one of its parent domains is allowlisted. */
export function isAllowlisted(settings, hostname) {
  const h = normalizeHost(hostname);
  return settings.allowlist.some((a) => h === a || h.endsWith(`.${a}`));
}

/** The stored settings, completed with defaults. */
export async function loadSettings() {
  const { settings } = await api.storage.local.get('settings');
  return normalizeSettings(settings, await browserLanguage());
}

/** Stores settings (after checking them) and returns what was stored. */
export async function saveSettings(s) {
  const clean = normalizeSettings(s, await browserLanguage());
  await api.storage.local.set({ settings: clean });
  return clean;
}

/** Writes the defaults on first run, and completes settings written by an older version. */
export async function ensureSettings() {
  const { settings } = await api.storage.local.get('settings');
  const clean = normalizeSettings(settings, await browserLanguage());
  if (JSON.stringify(clean) !== JSON.stringify(settings)) await api.storage.local.set({ settings: clean });
  return clean;
}
