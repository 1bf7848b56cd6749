//! The reader's settings in `chrome.storage.local` under `settings` (see docs/interfaces.md), with defaults.

import { api, browserLanguage } from '../platform.js';
import { normalizeSettings } from './settings-model.js';

export { UI_LANGS, packLang, uiLangFor, countryFor, normalizeHost } from './lang.js';
export { defaultSettings, normalizeSettings, isAllowlisted } from './settings-model.js';

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
