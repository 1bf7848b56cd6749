// Pages that fight the extension: one tries to find, read, restyle and remove the warning; one tries to message
// the extension or trigger its actions. Neither may succeed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { readWarning, waitWarning, warningStyle, waitFor } from './lib/browser.mjs';
import { SKIP, withExt } from './lib/harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test('hostile page cannot read, restyle or remove the warning', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    await ext.setSettings({ uiLang: 'en' });
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/hostile.html`);
    await waitWarning(page, (x) => x.level === 'danger');
    // The page removed the host once; the extension must have put it back.
    const state = await waitFor(async () => {
      const h = await page.evaluate(() => window.__hostile);
      return h.removed === 1 && (await readWarning(page))?.hosts === 1 ? h : null;
    }, { message: 'the page to remove the warning and the extension to restore it' });
    const w = await readWarning(page);
    assert.equal(w.level, 'danger');
    assert.equal(w.shadowRootType, 'closed');
    assert.ok(state.patched, 'the page patched attachShadow before the content script ran');
    assert.deepEqual(state.captured, [], 'the page\'s attachShadow patch never saw the warning\'s root');
    assert.ok(state.shadowRoot.length >= 1 && state.shadowRoot.every((s) => s === 'null'), JSON.stringify(state));
    assert.deepEqual(state.leaked, [], 'no warning text through the host element');
    const pageText = await page.evaluate(() => document.documentElement.textContent);
    for (const n of w.hotlines) assert.ok(!pageText.includes(n), `hotline ${n} is not readable from the page`);

    // The page's `html { color: transparent; font-size: 1px }` and display:none rules do not reach inside.
    const { style, width, height } = await warningStyle(page);
    assert.notEqual(style.display, 'none');
    assert.ok(width > 100 && height > 30, `visible size ${width}x${height}`);
    assert.ok(parseFloat(style['font-size']) >= 12, `readable font size: ${style['font-size']}`);
    assert.notEqual(style.color, 'rgba(0, 0, 0, 0)', 'text is not transparent');

    // Hiding the host itself, by a style sheet and then by its style attribute, does not hide the warning.
    await page.addStyleTag({ content: 'jobguard-warning { display: none !important; visibility: hidden !important; }' });
    await page.evaluate(() => {
      document.querySelector('jobguard-warning')?.style.setProperty('display', 'none', 'important');
    });
    // Give the page's change a moment to take effect (or be undone), then look.
    await page.waitForTimeout(500);
    const after = await warningStyle(page);
    assert.ok(after && after.width > 100 && after.height > 30, `still visible: ${JSON.stringify(after)}`);
    assert.equal(after.style.visibility, 'visible');
    assert.equal(after.style.opacity, '1');
  });
});

test('a page cannot message the extension nor trigger its actions', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    const service = [];
    // If anything reached the service it would land here: this server is the configured service address.
    server.route('/v1/reports', (req, res) => {
      service.push(req.url);
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":"r_x","status":"new"}');
    });
    server.route('/v1/feedback', (req, res) => {
      service.push(req.url);
      res.writeHead(201, { 'Content-Type': 'application/json' }).end('{}');
    });
    const settings = await ext.setSettings({ uiLang: 'en', serviceUrl: server.url });
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/messaging.html?ext=${ext.id}`);
    const r = await waitFor(() => page.evaluate(() => window.__messaging?.done && window.__messaging), {
      message: 'the page to try its messages',
    });
    assert.equal(r.hasSendMessage, false, 'chrome.runtime.sendMessage is not exposed to the page');
    assert.equal(r.sendReply, null);
    await waitWarning(page, (x) => x.level === 'danger');
    // Nothing to wait for when nothing happens: give forged messages a second to have an effect, then look.
    await page.waitForTimeout(1000);
    assert.deepEqual(service, [], 'no report or feedback was sent');
    assert.deepEqual((await ext.settings()).allowlist ?? [], settings.allowlist ?? [], 'allowlist unchanged');
    assert.deepEqual((await ext.storage('local', 'reportQueue')) ?? [], []);
    assert.deepEqual((await ext.storage('local', 'myReports')) ?? [], []);
    assert.equal((await readWarning(page))?.level, 'danger', 'the warning is still shown');
  });
});
