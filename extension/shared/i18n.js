//! UI strings from `_locales/<lang>/messages.json` in the reader's chosen language (chrome.i18n only follows the
//! browser language, while the reader may pick another one in the options), falling back to English.

import { api } from '../platform.js';

const cache = new Map();

async function readLocale(lang) {
  if (!cache.has(lang)) {
    cache.set(
      lang,
      fetch(api.runtime.getURL(`_locales/${lang}/messages.json`))
        .then((r) => (r.ok ? r.json() : {}))
        .catch(() => ({})),
    );
  }
  return cache.get(lang);
}

/** All strings of `lang` as `{ key: text }`, English filling what the language lacks. */
export async function messages(lang) {
  const [en, own] = await Promise.all([readLocale('en'), lang === 'en' ? {} : readLocale(lang)]);
  const out = {};
  for (const [k, v] of Object.entries({ ...en, ...own })) out[k] = v.message;
  return out;
}

/** Replaces `$1`, `$2` ... in a string. */
export function fill(text, ...subs) {
  return String(text ?? '').replace(/\$(\d)/g, (_, i) => String(subs[Number(i) - 1] ?? ''));
}

/**
 * Fills the page's `data-i18n` (text) and `data-i18n-title` / `data-i18n-placeholder` attributes, sets
 * `<html lang>`, and returns a lookup `t(key, ...subs)`.
 */
export async function localizePage(lang) {
  const m = await messages(lang);
  const t = (key, ...subs) => fill(m[key] ?? key, ...subs);
  document.documentElement.lang = lang.replace('_', '-');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  return t;
}
