//! The settings model: defaults and checks of the `settings` object (pure: no browser API, so it can be tested
//! in Node).

import { DEFAULT_SERVICE_URL } from '../config.js';
import { UI_LANGS, uiLangFor, countryFor, normalizeHost } from './lang.js';

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

/** True when `hostname` or one of its parent domains is allowlisted. */
export function isAllowlisted(settings, hostname) {
  const h = normalizeHost(hostname);
  return settings.allowlist.some((a) => h === a || h.endsWith(`.${a}`));
}
