//! The thin layer over the browser differences (Chromium service worker vs Firefox event page). Background and
//! extension pages import from here; content scripts have their own few lines in content/ns.js.

/** The extension API: `browser` in Firefox (promise-based), `chrome` in Chromium (promise-based in MV3). */
export const api = globalThis.browser?.runtime?.id ? globalThis.browser : globalThis.chrome;

/** True in Firefox. */
export const isFirefox = typeof globalThis.browser !== 'undefined' && Boolean(globalThis.browser?.runtime?.id);

/** The origin of our own pages, e.g. `chrome-extension://<id>/`. */
export const extensionOrigin = api.runtime.getURL('');

/**
 * The reader's language, e.g. `ko`, `en-US`: the first of the browser's preferred content languages (what the
 * reader reads), else the browser's UI language.
 */
export async function browserLanguage() {
  try {
    const accept = await api.i18n.getAcceptLanguages();
    if (accept?.[0]) return accept[0];
  } catch {
    // not available: fall back to the UI language
  }
  return api.i18n.getUILanguage?.() || globalThis.navigator?.language || 'en';
}

/** Session storage (cleared when the browser closes). Both browsers have it in MV3 (Firefox 115+). */
export const session = api.storage.session;

/** Opens one of our pages in a new tab next to `openerTabId`. */
export function openPage(path, openerTabId) {
  const props = { url: api.runtime.getURL(path) };
  if (Number.isInteger(openerTabId)) props.openerTabId = openerTabId;
  return api.tabs.create(props);
}

/** Sets the toolbar badge of one tab; empty text clears it. */
export async function setBadge(tabId, text, color) {
  try {
    await api.action.setBadgeText({ tabId, text });
    if (text) await api.action.setBadgeBackgroundColor({ tabId, color });
    // Chromium 110+ and Firefox both have it; older Chromium simply keeps its default text colour.
    if (text && api.action.setBadgeTextColor) await api.action.setBadgeTextColor({ tabId, color: '#ffffff' });
  } catch {
    // The tab closed meanwhile: nothing to update.
  }
}

/**
 * The sites the content script reads (its manifest `matches`). Both browsers let the reader withhold or take
 * back this access (Firefox: about:addons → Permissions, or the extensions panel; Firefox also treats MV3 host
 * permissions as optional and grants them at install only while `extensions.originControls.grantByDefault` is
 * on). Without it the content script never runs and JobGuard would stay silent everywhere.
 */
export const PAGE_ORIGINS = ['http://*/*', 'https://*/*'];

/**
 * True when every site can be read. Checked with getAll(): Chromium's permissions.contains() answers false for
 * origins granted through content-script matches even while they are granted.
 */
export async function hasPageAccess() {
  try {
    const { origins = [] } = await api.permissions.getAll();
    return PAGE_ORIGINS.every((o) => origins.includes(o));
  } catch {
    return true; // cannot tell: do not nag
  }
}

/** Asks the reader for that access. Call it straight from a click (a user gesture), before any other await. */
export function requestPageAccess() {
  return api.permissions.request({ origins: PAGE_ORIGINS });
}
