// The compiled classifier snapshot in a real Chromium: the first start compiles the bundled pack and keeps its
// snapshot in IndexedDB; after the service worker is stopped, the woken background loads the snapshot (the
// `engine` status in session storage says how it loaded) and a scam page still gets its warning; a damaged
// snapshot falls back to compiling the pack, which writes a good snapshot again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { waitWarning, waitFor, stopWorker } from './lib/browser.mjs';
import { snapshotRecord, damageSnapshot } from './lib/snapshot.mjs';
import { SKIP, withExt, bundledPack } from './lib/harness.mjs';
import { buildId } from './lib/snapshot.mjs';

/** Opens the Korean lure in a new tab (which wakes the background) and returns the warning and the verdict. */
async function lure(ext, url) {
  const page = await ext.context.newPage();
  try {
    await page.goto(url);
    const warning = await waitWarning(page, (w) => w.level === 'danger');
    const verdict = await ext.waitVerdict(page);
    return { warning, verdict };
  } finally {
    await page.close();
  }
}

test('compiled snapshot: kept after the first compile, loaded after a restart, a damaged one recompiled', { skip: SKIP }, async (t) => {
  const server = await startServer();
  try {
    await withExt({}, async (ext) => {
      await ext.ready();
      const url = `${server.url}/ko-lure.html`;
      const version = bundledPack().version;

      const first = await lure(ext, url);
      assert.equal(first.verdict.level, 'danger');
      const engine0 = await ext.storage('session', 'engine');
      assert.equal(engine0?.from, 'pack', 'the first start compiles the pack');
      const kept = await waitFor(() => snapshotRecord(ext), { message: 'the snapshot in IndexedDB' });
      assert.ok(kept.size > 100_000, `a snapshot of the whole pack (${kept.size} B)`);
      const key = JSON.parse(kept.key);
      assert.equal(key[0], buildId(), 'kept under this build (its Wasm module and bundled pack)');
      assert.deepEqual(key.slice(3), ['bundled', version, 'bundled']);

      await t.test('after the service worker is stopped, the woken background loads the snapshot', async () => {
        await stopWorker(ext);
        const again = await lure(ext, url);
        const engine = await ext.storage('session', 'engine');
        assert.equal(engine?.from, 'snapshot', JSON.stringify(engine));
        assert.equal(engine.packVersion, version);
        console.log(`# woken from the snapshot: ${engine.ms} ms from the first call to the classifier (Wasm init, bundled pack, IndexedDB read, load); the first start compiled the pack in ${engine0.ms} ms`);
        assert.equal(again.verdict.level, 'danger');
        assert.equal(again.verdict.score, first.verdict.score);
        assert.deepEqual(again.verdict.rules, first.verdict.rules, 'the same rules fire');
      });

      await t.test('a damaged snapshot falls back to the pack and is written again', async () => {
        await damageSnapshot(ext);
        assert.notEqual((await snapshotRecord(ext)).sum, kept.sum, 'the stored bytes are damaged');
        await stopWorker(ext);
        const again = await lure(ext, url);
        assert.equal(again.verdict.level, 'danger');
        assert.deepEqual(again.verdict.rules, first.verdict.rules);
        assert.equal((await ext.storage('session', 'engine'))?.from, 'pack', 'the damaged snapshot is refused');
        await waitFor(async () => (await snapshotRecord(ext))?.sum === kept.sum, { message: 'the snapshot to be written again' });
        await stopWorker(ext);
        await lure(ext, url);
        assert.equal((await ext.storage('session', 'engine'))?.from, 'snapshot', 'the rewritten snapshot loads');
      });
    });
  } finally {
    await server.close();
  }
});
