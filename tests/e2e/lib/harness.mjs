// Shared set-up for the end-to-end tests: one fixture server per test file, one fresh browser per test (so tests
// do not depend on each other), and the classifier's own view of a page (through the extension's Wasm) to check
// what the content script highlights against.
import fs from 'node:fs';
import path from 'node:path';
import { launch, extensionBuilt, findInPackage, EXT_DIR, ROOT, squeeze } from './browser.mjs';

/** The skip reason when the extension is not built (scripts/test-e2e.sh refuses to run without it). */
export const SKIP = extensionBuilt() ? false : `no built extension in ${EXT_DIR} (run ./build.sh first)`;

/** Launches a browser with the extension, runs `fn(ext)`, and always closes it. */
export async function withExt(opts, fn) {
  const ext = await launch(opts);
  try {
    return await fn(ext);
  } finally {
    await ext.close();
  }
}

/** The pack the extension bundles (dist/pack.json as built by scripts/build-rust.sh). */
export function bundledPack() {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'pack.json'), 'utf8'));
}

/** Where the package keeps the bundled pack JSON. */
export function packInPackage() {
  const p = findInPackage((n) => n === 'pack.json') ?? findInPackage((n) => /pack.*\.json$/.test(n));
  if (!p) throw new Error(`no bundled pack JSON found in ${EXT_DIR}`);
  return p;
}

/** Hotline numbers the bundled pack lists for `country`. */
export function packHotlines(country) {
  return (bundledPack().hotlines?.[country]?.lines ?? []).map((l) => l.number);
}

/**
 * Scores `text` with the extension's own Wasm classifier and pack, in an extension page, and returns the matched
 * substrings: what the highlights must cover.
 */
export async function classifierMatches(ext, text, lang = 'en') {
  const page = await ext.context.newPage();
  try {
    await page.goto(ext.optionsUrl());
    return await page.evaluate(
      async ([t, l, packPath]) => {
        const m = await import(chrome.runtime.getURL('wasm/jobguard.js'));
        await m.default({ module_or_path: chrome.runtime.getURL('wasm/jobguard_bg.wasm') });
        let pack = await (await fetch(chrome.runtime.getURL(packPath))).text();
        // The package may bundle the pack signed: the classifier takes the pack inside the envelope.
        const parsed = JSON.parse(pack);
        if (parsed.format === 'jobguard-signed-pack') pack = parsed.pack;
        const v = new m.Classifier(pack).score({ text: t, lang: l });
        return v.matches.map((x) => ({ rule: x.rule, text: t.slice(x.start, x.end) }));
      },
      [text, lang, packInPackage()],
    );
  } finally {
    await page.close();
  }
}

/** The matched phrases that no highlight range covers (compared without spaces and punctuation). */
export function uncovered(matches, ranges) {
  const rs = ranges.map(squeeze).filter(Boolean);
  return matches.filter((m) => {
    const p = squeeze(m.text);
    return p && !rs.some((r) => r.includes(p) || p.includes(r));
  });
}
