// Drives Debian's Chromium with the built extension (dist/chromium) through playwright-core, and reads what the
// extension shows: the warning in its closed shadow root (through CDP, as pages cannot), the highlights, and the
// per-tab verdict and settings in the extension's storage (through the service worker).
import fs from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXT_DIR = process.env.JOBGUARD_EXT_DIR ?? path.join(ROOT, 'dist', 'chromium');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Where tests save screenshots; `JOBGUARD_SCREENSHOT_DIR=docs/screenshots` refreshes the committed ones. */
export const SCREENSHOT_DIR = path.resolve(
  ROOT,
  process.env.JOBGUARD_SCREENSHOT_DIR ?? path.join('target', 'e2e', 'screenshots'),
);

/** Polls `fn` until it returns a truthy value (returned), or throws after `timeout` ms with `message`. */
export async function waitFor(fn, { timeout = 15000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const detail = lastError ? ` (last error: ${lastError.message})` : ` (last value: ${JSON.stringify(last)})`;
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${detail}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Stops the extension's service worker through CDP (as Chromium does when it idles) and waits until it has
 *  stopped; the next event (a page's content script, a message) wakes it afresh. */
export async function stopWorker(ext) {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  try {
    let status = null;
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) if (v.scriptURL.startsWith(ext.url(''))) status = v.runningStatus;
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor(() => status === 'stopped', { message: 'the service worker to stop' });
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
}

/** The built extension's manifest. */
export function manifest() {
  return JSON.parse(readFileSync(path.join(EXT_DIR, 'manifest.json'), 'utf8'));
}

/** Path, inside the package, of the first file whose name passes `test` (e.g. the bundled pack), or null. */
export function findInPackage(test, dir = '') {
  for (const e of readdirSync(path.join(EXT_DIR, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      const found = findInPackage(test, rel);
      if (found) return found;
    } else if (test(e.name)) return rel;
  }
  return null;
}

/** True when the built extension is there (tests skip with a clear message otherwise). */
export function extensionBuilt() {
  return existsSync(path.join(EXT_DIR, 'manifest.json'));
}

/**
 * Launches Chromium with the extension loaded unpacked in a fresh profile.
 * `lang` sets Chromium's UI language and Accept-Language (the extension's default UI language comes from it).
 * @returns {Promise<Ext>}
 */
export async function launch({ lang = 'en-US', extDir = EXT_DIR, viewport = { width: 1280, height: 900 } } = {}) {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'jobguard-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      locale: lang,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [
        '--headless=new',
        `--disable-extensions-except=${extDir}`,
        `--load-extension=${extDir}`,
        `--lang=${lang}`,
        `--accept-lang=${lang}`,
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      env: { ...process.env, LANGUAGE: lang.replace('-', '_'), LANG: `${lang.replace('-', '_')}.UTF-8` },
    });
    const worker = await findWorker(context, 20000);
    const ext = new Ext(context, profile, new URL(worker.url()).host);
    await ext.ready();
    return ext;
  } catch (e) {
    await context?.close().catch(() => {});
    await fs.rm(profile, { recursive: true, force: true });
    throw e;
  }
}

async function findWorker(context, timeout) {
  const isExt = (w) => w.url().startsWith('chrome-extension://');
  const existing = context.serviceWorkers().find(isExt);
  if (existing) return existing;
  return context.waitForEvent('serviceworker', { predicate: isExt, timeout });
}

/** A running browser with the extension: its context, id, and helpers to read the extension's state. */
export class Ext {
  constructor(context, profile, id) {
    this.context = context;
    this.profile = profile;
    this.id = id;
  }

  /** The extension's service worker (woken up again through an extension page if Chromium stopped it). */
  async worker() {
    const w = this.context.serviceWorkers().find((s) => s.url().startsWith(`chrome-extension://${this.id}/`));
    if (w) return w;
    const page = await this.context.newPage();
    try {
      const waiting = findWorker(this.context, 10000);
      await page.goto(this.optionsUrl());
      return await waiting;
    } finally {
      await page.close();
    }
  }

  /** Runs `fn(arg)` in the service worker. */
  async sw(fn, arg) {
    return (await this.worker()).evaluate(fn, arg);
  }

  url(p) {
    return `chrome-extension://${this.id}/${p}`;
  }

  /** The options page (as the manifest names it). */
  optionsUrl() {
    return this.url(manifest().options_ui?.page ?? manifest().options_page ?? 'options.html');
  }

  /** Waits until the extension's background has started up (its settings are readable). */
  async ready() {
    // The background writes the default settings on its first start; tests change them only after that, or the
    // defaults could land on top of the test's settings.
    await waitFor(() => this.sw(async () => Boolean((await chrome.storage.local.get('settings')).settings)), {
      message: 'the background to write its default settings',
    });
  }

  async storage(area, key) {
    return this.sw(
      async ([a, k]) => {
        const got = await chrome.storage[a].get(k);
        return got[k] ?? null;
      },
      [area, key],
    );
  }

  async settings() {
    return this.storage('local', 'settings');
  }

  /** Merges `patch` into the `settings` object in chrome.storage.local. */
  async setSettings(patch) {
    return this.sw(async (p) => {
      const { settings = {} } = await chrome.storage.local.get('settings');
      const next = { ...settings, ...p };
      await chrome.storage.local.set({ settings: next });
      return next;
    }, patch);
  }

  /** All per-tab verdicts (`tab:<id>` in chrome.storage.session). */
  async tabVerdicts() {
    return this.sw(async () => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all)
        .filter(([k]) => k.startsWith('tab:'))
        .map(([k, v]) => ({ tab: Number(k.slice(4)), ...v }));
    });
  }

  /** The stored verdict for the tab showing `page` (matched by URL), or null. */
  async verdictFor(page) {
    const url = page.url();
    const all = await this.tabVerdicts();
    return all.filter((v) => v.url === url).sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0] ?? null;
  }

  /** Waits for the verdict of `page`'s current URL, optionally one passing `pred`. */
  async waitVerdict(page, pred = () => true, { timeout = 15000 } = {}) {
    return waitFor(
      async () => {
        const v = await this.verdictFor(page);
        return v && pred(v) ? v : null;
      },
      { timeout, message: `a verdict for ${page.url()}` },
    );
  }

  /** The badge text of the tab showing `page`. */
  async badgeFor(page) {
    const v = await this.waitVerdict(page);
    return this.sw((tabId) => chrome.action.getBadgeText({ tabId }), v.tab);
  }

  async close() {
    await this.context.close().catch(() => {});
    await fs.rm(this.profile, { recursive: true, force: true });
  }
}

/** The value of attribute `name` of a CDP DOM node, or null. */
export function attr(node, name) {
  const a = node?.attributes;
  if (!a) return null;
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return null;
}

/** Every node under a CDP DOM node, shadow roots (closed ones too, when pierced) and templates included. */
export function* walk(node) {
  if (!node) return;
  yield node;
  for (const c of node.children ?? []) yield* walk(c);
  for (const s of node.shadowRoots ?? []) yield* walk(s);
  if (node.templateContent) yield* walk(node.templateContent);
}

/** The text under a CDP DOM node, its pieces joined by spaces. */
export function textOf(node) {
  const parts = [];
  for (const n of walk(node)) {
    if (n.nodeType === 3 && n.nodeValue.trim()) parts.push(n.nodeValue.trim());
  }
  return parts.join(' ');
}

/**
 * Reads the warning through CDP (DOM pierced into closed shadow roots). Returns null when there is none, else
 * `{ hosts, shadowRootType, level, role, text, hotlines: [number], actions: {name: {backendNodeId, text}},
 *    tooltip: {hidden, text} | null, alertNodeId, alertBackendNodeId }`.
 */
export async function readWarning(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await readWarningWith(cdp);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function readWarningWith(cdp) {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const hosts = [...walk(root)].filter((n) => n.localName === 'jobguard-warning');
  if (hosts.length === 0) return null;
  const host = hosts[0];
  const shadow = host.shadowRoots?.[0] ?? null;
  const alert = [...walk(shadow)].find((n) => attr(n, 'role') === 'alert') ?? null;
  const actions = {};
  for (const n of walk(shadow)) {
    const a = attr(n, 'data-action');
    if (a && !actions[a]) actions[a] = { backendNodeId: n.backendNodeId, nodeId: n.nodeId, text: textOf(n) };
  }
  const hotlines = [...walk(shadow)].map((n) => attr(n, 'data-hotline')).filter((h) => h != null);
  const tip = [...walk(shadow)].find((n) => attr(n, 'role') === 'tooltip') ?? null;
  return {
    hosts: hosts.length,
    shadowRootType: shadow?.shadowRootType ?? null,
    role: attr(alert, 'role'),
    level: attr(alert, 'data-level'),
    text: textOf(alert ?? shadow),
    hotlines,
    actions,
    tooltip: tip ? { hidden: attr(tip, 'hidden') !== null, text: textOf(tip) } : null,
    alertNodeId: alert?.nodeId ?? null,
    alertBackendNodeId: alert?.backendNodeId ?? null,
  };
}

/** Waits for the warning, optionally one passing `pred`. */
export async function waitWarning(page, pred = () => true, { timeout = 15000 } = {}) {
  return waitFor(
    async () => {
      const w = await readWarning(page);
      return w && pred(w) ? w : null;
    },
    { timeout, message: `the warning on ${page.url()}` },
  );
}

const STYLE_PROPS = ['color', 'background-color', 'font-size', 'display', 'position', 'visibility', 'opacity'];

/** Computed style (selected properties) and size of the warning's alert element, read through CDP. */
export async function warningStyle(page, props = STYLE_PROPS) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const w = await readWarningWith(cdp);
    if (!w?.alertNodeId) return null;
    const { computedStyle } = await cdp.send('CSS.getComputedStyleForNode', { nodeId: w.alertNodeId });
    const style = Object.fromEntries(computedStyle.filter((p) => props.includes(p.name)).map((p) => [p.name, p.value]));
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: w.alertBackendNodeId });
    return { style, width: model.width, height: model.height };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Clicks the warning's button `data-action=<action>` at its on-screen position, as a person would. */
export async function clickWarningAction(page, action) {
  const cdp = await page.context().newCDPSession(page);
  let x;
  let y;
  try {
    const w = await readWarningWith(cdp);
    const target = w?.actions?.[action];
    if (!target) throw new Error(`the warning has no button data-action="${action}"`);
    await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: target.backendNodeId }).catch(() => {});
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: target.backendNodeId });
    const q = model.border;
    x = (q[0] + q[2] + q[4] + q[6]) / 4;
    y = (q[1] + q[3] + q[5] + q[7]) / 4;
  } finally {
    await cdp.detach().catch(() => {});
  }
  await page.mouse.click(x, y);
}

/** Texts of the ranges in the `jobguard-caution` / `jobguard-danger` highlights (or the `<mark>` fallback). */
export async function highlights(page) {
  return page.evaluate(() => {
    const out = { caution: [], danger: [], marks: [] };
    if (globalThis.CSS?.highlights) {
      for (const level of ['caution', 'danger']) {
        const h = CSS.highlights.get(`jobguard-${level}`);
        if (h) out[level] = [...h].map((r) => r.toString());
      }
    }
    out.marks = [...document.querySelectorAll('mark[data-jobguard]')].map((m) => m.textContent);
    return out;
  });
}

/** Normalises text the way a reader sees phrase matches: lower case, no spaces or punctuation. */
export function squeeze(s) {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}
