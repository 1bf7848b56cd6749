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

let ensuring = null;

/**
 * Writes the defaults on first run, and completes settings written by an older version. Single-flight: the
 * background calls it from onInstalled and from its wake-up at the same moment, and two read-then-write runs
 * could land the second run's defaults on top of settings saved in between (seen in the end-to-end tests).
 */
export function ensureSettings() {
  ensuring ??= (async () => {
    const { settings } = await api.storage.local.get('settings');
    const clean = normalizeSettings(settings, await browserLanguage());
    if (JSON.stringify(clean) !== JSON.stringify(settings)) await api.storage.local.set({ settings: clean });
    return clean;
  })().finally(() => {
    ensuring = null;
  });
  return ensuring;
}
