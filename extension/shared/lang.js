//! Languages, countries and host names: pure helpers (no browser API), shared by the background and pages.

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
