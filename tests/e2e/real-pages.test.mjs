// Issue 10: the real job-board pages in ../shared/data/pages (saved by others: LinkedIn, topjobs.lk, JobKorea,
// TopCV, 51job; postings and result lists; some GBK-encoded) served on 127.0.0.1 exactly as saved (no charset in
// Content-Type, so each page's own <meta> decides), read with the scope "every page": none may warn (no panel,
// no card marker, no badge), and every one must have been read (a tab record exists). Nothing of these pages is
// copied into the repository; the test reads them where they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { readWarning, ROOT } from './lib/browser.mjs';
import { SKIP, withExt } from './lib/harness.mjs';
import { readMarkers } from './lib/markers.mjs';

const PAGES = path.resolve(ROOT, '..', 'shared', 'data', 'pages');

let server;
let names = [];
before(async () => {
  if (!fs.existsSync(PAGES)) {
    throw new Error(`the real pages are missing: ${PAGES} (../shared/data/pages from the repository root) must exist`);
  }
  names = fs.readdirSync(PAGES).filter((n) => /\.html?$/i.test(n)).sort();
  server = await startServer();
  for (const name of names) {
    const bytes = fs.readFileSync(path.join(PAGES, name));
    // The bytes as saved; no charset in the header (a GBK page decodes through its own meta, as it did online).
    server.route(`/real/${name}`, (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' });
      res.end(bytes);
    });
  }
});
after(async () => {
  await server?.close();
});

test('every real page in ../shared/data/pages is read and none warns', { skip: SKIP, timeout: 600_000 }, async () => {
  assert.ok(names.length >= 10, `the real pages are there: ${names.length} in ${PAGES}`);
  await withExt({}, async (ext) => {
    await ext.setSettings({ scope: 'all', uiLang: 'en', country: 'KR' });
    // The saved pages refer to their sites' scripts, styles and images: nothing leaves 127.0.0.1.
    await ext.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
    const failures = [];
    const read = [];
    for (const name of names) {
      const page = await ext.context.newPage();
      try {
        await page.goto(`${server.url}/real/${name}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
        const v = await ext.waitVerdict(page, () => true, { timeout: 60_000 });
        // Give a late re-read (pages that change after load) the time to show anything it would show.
        await page.waitForTimeout(800);
        const last = await ext.verdictFor(page);
        const badge = await ext.badgeFor(page);
        const warning = await readWarning(page);
        const markers = await readMarkers(page);
        read.push(`${name}: ${last.kind}/${last.how}, ${last.cardCount} cards, level ${last.level} (${last.score})`);
        const problems = [];
        if (warning) problems.push(`a ${warning.level} warning`);
        if (markers.length) problems.push(`${markers.length} card markers (${markers.map((m) => m.card?.text.slice(0, 60)).join(' | ')})`);
        if (badge !== '') problems.push(`badge "${badge}"`);
        if (last.level !== 'safe') problems.push(`record ${last.level} ${last.score}: ${last.rules.join(', ')} (${last.title})`);
        if (problems.length) failures.push(`${name}: ${problems.join('; ')}`);
        assert.ok(v.at > 0);
      } catch (e) {
        failures.push(`${name}: not read (${e.message.split('\n')[0]})`);
      } finally {
        await page.close();
      }
    }
    console.log(`real pages read:\n  ${read.join('\n  ')}`);
    assert.deepEqual(failures, [], `pages that warned or were not read:\n${failures.join('\n')}`);
  });
});
