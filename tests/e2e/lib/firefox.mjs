// Drives Debian's Firefox ESR with the built Firefox package (dist/firefox) through puppeteer-core over WebDriver
// BiDi (Playwright cannot drive a stock Firefox). The package is installed as a temporary add-on
// (webExtension.install), which Firefox starts exactly like a fresh install from a file: same startup reason,
// same host permissions granted (or not) at install.
//
// What the tests can see: the page world (the warning's host element, the CSS highlight registry, pixels) and,
// through `--remote-allow-system-access` (BiDi refuses to navigate to moz-extension:// without it), the
// extension's own pages, where `browser.*` reads storage and permissions. The warning's closed shadow root stays
// closed: Firefox has no equivalent of CDP's pierce, and the tests do not need one.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { ROOT, waitFor } from './browser.mjs';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXT_DIR = process.env.JOBGUARD_FIREFOX_EXT_DIR ?? path.join(ROOT, 'dist', 'firefox');
export const GECKO_ID = 'jobguard@jobguard.example';
// Firefox gives each install a random moz-extension:// host; the test profile pins it (the pref Firefox keeps
// that map in) so the tests can open the extension's pages.
export const EXT_UUID = '5f0c3e1a-2b7d-4c9e-8a61-0d4b7e2f9c13';

/** The skip reason when the Firefox package is not built (a missing Firefox is a failure, not a skip). */
export const SKIP_FIREFOX = existsSync(path.join(FIREFOX_EXT_DIR, 'manifest.json'))
  ? false
  : `no built Firefox extension in ${FIREFOX_EXT_DIR} (run ./build.sh first)`;

/**
 * Launches headless Firefox in a fresh profile and installs the package.
 * `lang` becomes the profile's preferred content languages (the extension's default UI language comes from
 * them); `prefs` are extra Firefox preferences.
 * @returns {Promise<FirefoxExt>}
 */
export async function launchFirefox({ lang = 'en-US', prefs = {}, extDir = FIREFOX_EXT_DIR } = {}) {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} is missing (scripts/setup.sh installs firefox-esr)`);
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'jobguard-e2e-ff-'));
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      userDataDir: profile,
      headless: true,
      args: ['--remote-allow-system-access'],
      defaultViewport: { width: 1280, height: 900 },
      timeout: 30000,
      extraPrefsFirefox: {
        'intl.accept_languages': lang,
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXT_UUID }),
        ...prefs,
      },
    });
    const id = await browser.installExtension(extDir);
    if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
    const ext = new FirefoxExt(browser, profile);
    await ext.ready();
    return ext;
  } catch (e) {
    await browser?.close().catch(() => {});
    await fs.rm(profile, { recursive: true, force: true });
    throw e;
  }
}

export class FirefoxExt {
  constructor(browser, profile) {
    this.browser = browser;
    this.profile = profile;
    this.extPages = new Map();
  }

  url(p) {
    return `moz-extension://${EXT_UUID}/${p}`;
  }

  /** A tab showing `url`, loaded. */
  async open(url) {
    const page = await this.browser.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 15000 });
    return page;
  }

  /**
   * A tab showing one of the extension's pages. Puppeteer never sees a moz-extension:// navigation finish, so
   * the navigation is started and the page polled until it has loaded.
   */
  async openExtPage(p) {
    const page = await this.browser.newPage();
    const url = this.url(p);
    page.goto(url, { timeout: 20000 }).catch(() => {});
    await waitFor(() => page.evaluate((u) => location.href === u && document.readyState === 'complete', url), {
      message: `${url} to load`,
    });
    return page;
  }

  /** Runs `fn(arg)` in an extension page (the options page, kept open), where `browser.*` is available. */
  async inExt(fn, arg) {
    if (!this.extPage) this.extPage = await this.openExtPage('options.html');
    return this.extPage.evaluate(fn, arg);
  }

  /** Waits until the background has started (it writes the default settings on its first start). */
  async ready() {
    await waitFor(() => this.inExt(async () => Boolean((await browser.storage.local.get('settings')).settings)), {
      message: 'the background to write its default settings',
    });
  }

  async settings() {
    return this.inExt(async () => (await browser.storage.local.get('settings')).settings ?? null);
  }

  /** The host permissions the extension holds now. */
  async grantedOrigins() {
    return this.inExt(async () => (await browser.permissions.getAll()).origins);
  }

  /** The stored verdict for the tab showing `url` (per-tab `tab:<id>` in storage.session), or null. */
  async verdictFor(url) {
    return this.inExt(async (u) => {
      const all = await browser.storage.session.get(null);
      const vs = Object.entries(all)
        .filter(([k, v]) => k.startsWith('tab:') && v?.url === u)
        .map(([, v]) => v);
      return vs.sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0] ?? null;
    }, url);
  }

  async waitVerdict(url, { timeout = 15000 } = {}) {
    return waitFor(() => this.verdictFor(url), { timeout, message: `a verdict for ${url}` });
  }

  async close() {
    await this.browser.close().catch(() => {});
    await fs.rm(this.profile, { recursive: true, force: true });
  }
}

/** Launches Firefox with the extension, runs `fn(ext)`, and always closes it. */
export async function withFirefox(opts, fn) {
  const ext = await launchFirefox(opts);
  try {
    return await fn(ext);
  } finally {
    await ext.close();
  }
}

/**
 * What the page world can know about the warning: whether the host element is there, whether its shadow root
 * is hidden from the page, and the box it covers on screen, measured by hit-testing a grid of points (the host
 * itself has no height: its panel is position: fixed inside the closed shadow root, and only the panel takes
 * pointer events, so `elementFromPoint` answers the host exactly where the panel is).
 */
export async function warningFromPage(page) {
  return page.evaluate(() => {
    const hosts = document.querySelectorAll('jobguard-warning');
    if (hosts.length === 0) return null;
    const host = hosts[0];
    const step = 8;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let y = 0; y < innerHeight; y += step) {
      for (let x = 0; x < innerWidth; x += step) {
        if (document.elementFromPoint(x, y) === host) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    const cs = getComputedStyle(host);
    return {
      hosts: hosts.length,
      shadowRootVisibleToPage: host.shadowRoot !== null,
      display: cs.display,
      visibility: cs.visibility,
      box: x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + step, height: y1 - y0 + step },
    };
  });
}

/** Texts of the ranges in the `jobguard-caution` / `jobguard-danger` highlights, as the page sees them. */
export async function pageHighlights(page) {
  return page.evaluate(() => {
    const out = { registry: Boolean(globalThis.CSS?.highlights), caution: [], danger: [], marks: [] };
    for (const level of ['caution', 'danger']) {
      const h = globalThis.CSS?.highlights?.get(`jobguard-${level}`);
      if (h) out[level] = [...h].map((r) => r.toString());
    }
    out.marks = [...document.querySelectorAll('mark[data-jobguard]')].map((m) => m.textContent);
    return out;
  });
}

/** Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Firefox's screenshots are) into RGBA pixels. */
export function decodePng(buf) {
  buf = Buffer.from(buf);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let off = 8;
  let width;
  let height;
  let channels;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colorType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
        throw new Error(`unsupported PNG (depth ${depth}, color type ${colorType}, interlace ${interlace})`);
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const px = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i += 1) {
      const a = i >= channels ? line[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let add = 0;
      if (filter === 1) add = a;
      else if (filter === 2) add = b;
      else if (filter === 3) add = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        add = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      line[i] = (line[i] + add) & 0xff;
    }
    for (let x = 0; x < width; x += 1) {
      const s = x * channels;
      const d = (y * width + x) * 4;
      px[d] = line[s];
      px[d + 1] = line[s + 1];
      px[d + 2] = line[s + 2];
      px[d + 3] = channels === 4 ? line[s + 3] : 255;
    }
    prev = line;
  }
  return { width, height, px };
}

/** Pixel statistics of a decoded image: distinct colours and how many pixels are close to `rgb`. */
export function pixelStats({ px }, rgb, tolerance = 40) {
  const colours = new Set();
  let near = 0;
  for (let i = 0; i < px.length; i += 4) {
    colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    const d = Math.abs(px[i] - rgb[0]) + Math.abs(px[i + 1] - rgb[1]) + Math.abs(px[i + 2] - rgb[2]);
    if (d <= tolerance) near += 1;
  }
  return { pixels: px.length / 4, colours: colours.size, near };
}
