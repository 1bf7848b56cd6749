// Issue 4 in a real Chromium: the extension pulls a newer signed pack from a server on 127.0.0.1 and uses it;
// tampered, older, expired, huge and non-JSON packs are refused with a reason while the verdicts stay; a dead
// server does not stop the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer } from './lib/server.mjs';
import { waitWarning, waitFor, stopWorker } from './lib/browser.mjs';
import { SKIP, withExt, bundledPack } from './lib/harness.mjs';
import { snapshotRecord, damageSnapshot } from './lib/snapshot.mjs';
import { packWithProbe, sign, tamper, PROBE_RULE } from './lib/packs.mjs';

const DAY = 86400;

/** Serves `get()` (an object {type, body} or a function writing the response) on /pack.json with an ETag. */
function publish(server, get) {
  server.route('/pack.json', (req, res) => {
    const item = get();
    if (typeof item === 'function') return item(req, res);
    const etag = `"${createHash('sha256').update(item.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304, { ETag: etag }).end();
    res.writeHead(200, { 'Content-Type': item.type, ETag: etag, 'Cache-Control': 'no-cache' });
    res.end(item.body);
  });
}

/** A 50 MB JSON-looking body, streamed without Content-Length so only counting can stop it. */
function hugeBody(req, res) {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  let sent = 0;
  res.write('{"format":"jobguard-signed-pack","pack":"');
  const pump = () => {
    while (sent < 50) {
      sent += 1;
      if (!res.write(chunk)) return res.once('drain', pump);
    }
    res.end('"}');
  };
  res.on('close', () => {
    sent = Infinity;
  });
  pump();
}

/** Presses "Check now" on the options page and waits until the background has finished a new check. */
async function checkNow(ext, packServer) {
  const before = await ext.storage('local', 'packStatus');
  const hits = packServer?.requests.filter((r) => r.path === '/pack.json').length ?? 0;
  const page = await ext.context.newPage();
  try {
    await page.goto(ext.optionsUrl());
    await page.click('#check-now');
    if (packServer) {
      await waitFor(() => packServer.requests.filter((r) => r.path === '/pack.json').length > hits, {
        message: 'the extension to fetch the pack',
      });
    }
    const status = await waitFor(
      async () => {
        const s = await ext.storage('local', 'packStatus');
        return s && s.lastCheck && s.lastCheck !== before?.lastCheck ? s : null;
      },
      // A server that never answers is given up on after the extension's time-out (15 s).
      { timeout: 30000, message: 'packStatus.lastCheck to change' },
    );
    // The reader sees the same on the options page: the version in use and the last error.
    await waitFor(
      async () => {
        const text = await page.evaluate(() => document.body.innerText);
        return text.includes(String(status.version)) && (!status.lastError || text.includes(status.lastError));
      },
      { message: `the options page to show version ${status.version} and error "${status.lastError ?? ''}"` },
    );
    return status;
  } finally {
    await page.close();
  }
}

async function probeVerdict(ext, url) {
  const page = await ext.context.newPage();
  try {
    await page.goto(url);
    return await ext.waitVerdict(page);
  } finally {
    await page.close();
  }
}

test('pack updates: a newer signed pack is used; bad packs are refused; a dead server is survived', { skip: SKIP }, async (t) => {
  const pages = await startServer();
  const packs = await startServer();
  try {
    await withExt({}, async (ext) => {
      const base = bundledPack();
      const v0 = base.version;
      const probeUrl = `${pages.url}/probe.html`;
      const lureUrl = `${pages.url}/en-lure.html`;

      const first = await probeVerdict(ext, probeUrl);
      assert.ok(!first.rules.includes(PROBE_RULE), 'the bundled pack does not know the probe phrase');
      assert.equal(first.level, 'safe');

      const newer = v0 + 10;
      let current = { type: 'application/json', body: sign(packWithProbe(base), { version: newer }) };
      publish(packs, () => current);
      await ext.setSettings({ packUrl: `${packs.url}/pack.json` });

      await t.test('a newer signed pack is accepted and flags a page by its new rule', async () => {
        const status = await checkNow(ext, packs);
        assert.equal(status.version, newer, JSON.stringify(status));
        assert.ok(!status.lastError, `no error: ${status.lastError}`);
        assert.equal((await ext.storage('local', 'pack'))?.version, newer, 'the accepted pack is stored');
        const v = await probeVerdict(ext, probeUrl);
        assert.ok(v.rules.includes(PROBE_RULE), JSON.stringify(v));
        assert.equal(v.level, 'danger');
        assert.equal(v.packVersion, newer);
        const page = await ext.context.newPage();
        await page.goto(probeUrl);
        await waitWarning(page, (w) => w.level === 'danger');
        await page.close();
      });

      await t.test('the same pack again is "up to date", not an error, asked for with If-None-Match', async () => {
        const status = await checkNow(ext, packs);
        assert.equal(status.version, newer);
        assert.ok(!status.lastError, `no error: ${status.lastError}`);
        const last = packs.requests.filter((r) => r.path === '/pack.json').at(-1);
        assert.ok(last.headers['if-none-match'], 'the check sends the ETag it was given');
      });

      await t.test('after the service worker is stopped, the woken background uses the stored pack, not a download', async () => {
        const fetches = packs.requests.filter((r) => r.path === '/pack.json').length;
        // The accepted pack's compiled snapshot, kept for the next wake-up.
        await waitFor(async () => JSON.parse((await snapshotRecord(ext))?.key ?? '[]')[4] === newer, { message: 'the new pack\'s snapshot' });
        await stopWorker(ext);
        const page = await ext.context.newPage();
        // The page's content script wakes the background up.
        await page.goto(probeUrl);
        const v = await ext.waitVerdict(page);
        assert.ok(v.rules.includes(PROBE_RULE), JSON.stringify(v));
        assert.equal(v.packVersion, newer);
        await page.close();
        assert.equal(packs.requests.filter((r) => r.path === '/pack.json').length, fetches, 'no new download');
        const engine = await ext.storage('session', 'engine');
        assert.deepEqual([engine?.source, engine?.from], ['update', 'snapshot'], 'its snapshot loaded after the check of the stored pack');
      });

      await t.test('with its snapshot damaged, the woken background compiles the stored pack and still uses it', async () => {
        const kept = await snapshotRecord(ext);
        await damageSnapshot(ext);
        assert.notEqual((await snapshotRecord(ext)).sum, kept.sum, 'the stored bytes are damaged');
        await stopWorker(ext);
        const v = await probeVerdict(ext, probeUrl);
        assert.ok(v.rules.includes(PROBE_RULE), JSON.stringify(v));
        assert.equal(v.packVersion, newer, 'the stored update, not the bundled pack');
        const engine = await ext.storage('session', 'engine');
        assert.deepEqual([engine?.source, engine?.from], ['update', 'pack'], JSON.stringify(engine));
        await waitFor(async () => (await snapshotRecord(ext))?.sum === kept.sum, { message: 'the snapshot written again' });
      });

      const now = Math.floor(Date.now() / 1000);
      const bad = [
        ['tampered', () => ({ type: 'application/json', body: tamper(sign(packWithProbe(base), { version: newer + 5 })) }), /signature/i],
        ['older', () => ({ type: 'application/json', body: sign(packWithProbe(base), { version: newer - 5 }) }), /newer|older|version/i],
        ['expired', () => ({ type: 'application/json', body: sign(packWithProbe(base), { version: newer + 6, created: now - 100 * DAY, expires: now - DAY }) }), /expire/i],
        ['50 MB', () => hugeBody, /large|size|limit|bytes|big/i],
        ['never answering', () => () => {}, /no answer|time|abort/i],
        ['HTML instead of JSON', () => ({ type: 'text/html; charset=utf-8', body: '<!doctype html><html><body><h1>Under maintenance</h1></body></html>' }), /json|parse|format|envelope|type|unexpected/i],
      ];
      for (const [name, make, reason] of bad) {
        await t.test(`${name} pack is refused, the verdicts stay`, async () => {
          current = make();
          const status = await checkNow(ext, packs);
          assert.ok(status.lastError, `lastError is set: ${JSON.stringify(status)}`);
          assert.match(String(status.lastError), reason);
          assert.equal(status.version, newer, 'the pack in use stays');
          assert.equal((await ext.storage('local', 'pack'))?.version, newer);
          const v = await probeVerdict(ext, probeUrl);
          assert.ok(v.rules.includes(PROBE_RULE) && v.level === 'danger', JSON.stringify(v));
          assert.equal(v.packVersion, newer);
        });
      }

      await t.test('with the pack server gone, the extension still scores', async () => {
        await packs.close();
        const status = await checkNow(ext, null);
        assert.ok(status.lastError, 'the failed check is reported');
        assert.equal(status.version, newer);
        const probe = await probeVerdict(ext, probeUrl);
        assert.ok(probe.rules.includes(PROBE_RULE) && probe.level === 'danger', JSON.stringify(probe));
        const lure = await probeVerdict(ext, lureUrl);
        assert.equal(lure.level, 'danger');
      });
    });
  } finally {
    await pages.close();
    await packs.close().catch(() => {});
  }
});
