// Privacy: reading pages, lures included, sends nothing anywhere. Only the pack check goes out (to the pack
// address, carrying nothing about the pages read); reports leave only when the reader presses Report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { waitWarning, waitFor } from './lib/browser.mjs';
import { SKIP, withExt } from './lib/harness.mjs';

// Playwright reports the service worker's own requests only with this switch; set before the browser starts.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = '1';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test('reading lure and legit pages sends nothing about them anywhere', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    const seen = [];
    ext.context.on('request', (r) => seen.push({ url: r.url(), method: r.method(), sw: Boolean(r.serviceWorker()) }));
    server.route('/packs/latest', (req, res) => res.writeHead(404).end());
    await ext.setSettings({ serviceUrl: server.url, packUrl: `${server.url}/packs/latest` });
    const pages = ['ko-lure.html', 'en-lure.html', 'legit.html', 'hostile.html', 'csp.html'];
    for (const p of pages) {
      const page = await ext.context.newPage();
      await page.goto(`${server.url}/${p}`);
      const v = await ext.waitVerdict(page);
      if (v.level !== 'safe') await waitWarning(page, (w) => w.level === v.level);
      await page.close();
    }
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/spa.html`);
    await ext.waitVerdict(page);
    await page.click('#job-2');
    await ext.waitVerdict(page, (v) => v.level === 'danger');

    // A pack check, so the capture is seen to include the service worker's own requests.
    const options = await ext.context.newPage();
    await options.goto(ext.optionsUrl());
    await options.click('#check-now');
    await waitFor(() => seen.some((r) => r.sw && r.url.endsWith('/packs/latest')), {
      message: 'the pack check, seen as a service-worker request',
    });
    await options.close();

    const fixtures = new Set([...pages, 'spa.html', 'site.css', 'csp-check.js', 'favicon.ico'].map((p) => `/${p}`));
    for (const r of seen) {
      const u = new URL(r.url);
      if (u.protocol === 'chrome-extension:') continue;
      assert.equal(u.origin, server.url, `no request leaves for another host: ${r.url}`);
      if (u.pathname === '/packs/latest' || u.pathname === '/v1/indicators/latest') {
        // The pack check and the indicator-list pull: plain GETs on the extension's own schedule, the same for
        // every reader, that say nothing of the pages read.
        assert.equal(r.method, 'GET');
        assert.ok(r.sw, `fetched by the background, not a page: ${r.url}`);
        assert.equal(u.search, '', 'the check carries no query');
        continue;
      }
      assert.ok(fixtures.has(u.pathname) && !r.sw, `only the pages themselves were fetched, by the pages: ${JSON.stringify(r)}`);
    }
    // The server's own log agrees (it also sees requests Playwright might not report).
    for (const r of server.requests) {
      const pull = r.method === 'GET' && r.path === '/v1/indicators/latest';
      assert.ok(pull || !r.path.startsWith('/v1/'), `nothing was sent to the service: ${r.method} ${r.path}`);
      if (r.path === '/packs/latest' || pull) {
        assert.ok(!/\.html/.test(r.headers.referer ?? ''), `the pack check has no page as referrer: ${r.headers.referer}`);
      }
    }
  });
});
