// Issue 5 end to end: Report on a lure page, the preview of exactly what is sent, the case in the real monitoring
// service's dashboard (SQLite); then the service stopped, a report queued, the service started again on the same
// address and database, and the queued report arriving exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { waitWarning, waitFor, manifest, readWarning } from './lib/browser.mjs';
import { SKIP, withExt } from './lib/harness.mjs';
import { startMonitor, addReviewer, signIn, monitorBuilt } from './lib/monitor.mjs';
import { openReportPreview } from './lib/report.mjs';

const REVIEWER = ['e2e-reviewer', 'a long test password for the e2e reviewer'];
const skip = SKIP || (monitorBuilt() ? false : 'target/release/jobguard-monitor is not built');

/**
 * The case rows of the dashboard that mention `title`, and for the only one, the reports its page lists (the
 * service groups reports by address into cases).
 */
async function dashboardCase(dash, monitorUrl, title) {
  await dash.goto(`${monitorUrl}/dashboard`);
  const rows = dash.locator('tr[data-case]', { hasText: title });
  const cases = await rows.count();
  if (cases !== 1) return { cases, reports: null, count: null };
  await rows.locator('a').first().click();
  await dash.waitForURL(/\/dashboard\/cases\//);
  return {
    cases,
    reports: await dash.locator('tr[data-report]').count(),
    count: Number(await dash.locator('[data-report-count]').first().getAttribute('data-report-count')),
  };
}

test('Report: preview, send, case in the dashboard; queued while the service is down, delivered once', { skip }, async (t) => {
  const pages = await startServer();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobguard-e2e-monitor-'));
  const database = `sqlite://${path.join(dir, 'monitor.db')}`;
  addReviewer(database, ...REVIEWER);
  let monitor = await startMonitor({ database });
  try {
    await withExt({}, async (ext) => {
      await ext.setSettings({ uiLang: 'en', country: 'KR', serviceUrl: monitor.url });
      const dash = await ext.context.newPage();
      await signIn(dash, monitor.url, ...REVIEWER);

      await t.test('a confirmed report reaches the service and shows up as a case', async () => {
        const page = await ext.context.newPage();
        const url = `${pages.url}/ko-lure.html`;
        await page.goto(url);
        await waitWarning(page, (w) => w.level === 'danger');
        const preview = await openReportPreview(ext, page);
        assert.ok(preview.text.includes(url), `the preview shows the address sent: ${preview.text}`);
        // Exactly the contract's fields; no excerpt and no comment unless the reader adds them.
        assert.deepEqual(Object.keys(preview.json).sort(), [
          'comment', 'country', 'excerpt', 'extension_version', 'idempotency_key', 'indicators', 'lang', 'level',
          'pack_version', 'rules', 'score', 'title', 'url',
        ]);
        // The page's contacts travel with the report, shown in the preview like every other field.
        assert.ok(preview.json.indicators.some((i) => i.kind === 'telegram' && i.value === 'gd_recruit_desk'), preview.text);
        assert.ok(preview.text.includes('gd_recruit_desk'));
        assert.equal(preview.json.url, url);
        assert.equal(preview.json.excerpt, null);
        assert.equal(preview.json.comment, null);
        assert.equal(preview.json.level, 'danger');
        assert.ok(preview.json.rules.length > 0);
        const outcome = await preview.confirm();
        assert.match(outcome, /sent|보냄|전송/i);
        await preview.page?.close();
        const mine = await waitFor(async () => (await ext.storage('local', 'myReports'))?.find?.((r) => r.url === url), {
          message: 'the report in myReports',
        });
        assert.equal(mine.state, 'sent', JSON.stringify(mine));
        assert.match(String(mine.id), /^r_/, 'the service\'s report id is kept');
        assert.deepEqual(await dashboardCase(dash, monitor.url, '해외 고객상담'), { cases: 1, reports: 1, count: 1 });
        // A reviewer confirms the case (dashboardCase left the dashboard on the case's page) ...
        const statusForm = dash.locator('form[action$="/status"]');
        await statusForm.locator('select[name="status"]').selectOption('confirmed_scam');
        await Promise.all([dash.waitForLoadState('load'), statusForm.locator('button[type="submit"]').click()]);
        // ... and the popup lists the reader's own report with that status, fetched when it opens.
        const popup = await ext.context.newPage();
        await popup.goto(ext.url(manifest().action.default_popup));
        const item = popup.locator('#my-reports li', { hasText: await page.title() });
        await item.waitFor({ timeout: 10000 });
        await waitFor(async () => /confirmed as a scam/.test(await item.textContent()), {
          timeout: 10000,
          message: `the confirmed status in the popup: ${await item.textContent()}`,
        });
        await popup.close();
      });

      await t.test('with the service down the report is queued, then delivered exactly once', async () => {
        await monitor.stop();
        const page = await ext.context.newPage();
        const url = `${pages.url}/en-lure.html`;
        await page.goto(url);
        await waitWarning(page, (w) => w.level === 'danger');
        const preview = await openReportPreview(ext, page);
        const outcome = await preview.confirm();
        assert.match(outcome, /queue|대기/i);
        await preview.page.close();
        const queue = await ext.storage('local', 'reportQueue');
        assert.equal(queue?.length, 1, JSON.stringify(queue));
        assert.equal(queue[0].payload.url, url);

        monitor = await startMonitor({ database, listen: monitor.listen });
        // The queue is retried on an alarm with back-off (a minute at first); the popup's refresh button retries
        // at once, as a reader waiting for their report would do.
        const popup = await ext.context.newPage();
        await popup.goto(ext.url(manifest().action.default_popup));
        await popup.click('#refresh-reports');
        await waitFor(async () => ((await ext.storage('local', 'reportQueue')) ?? []).length === 0, {
          timeout: 20000,
          message: 'the queued report to be sent after the service came back',
        });
        const mine = (await ext.storage('local', 'myReports')).filter((r) => r.url === url);
        assert.equal(mine.length, 1);
        assert.equal(mine[0].state, 'sent', JSON.stringify(mine[0]));
        // Pressing it again must not send the report a second time.
        await popup.click('#refresh-reports');
        await popup.close();
        await signIn(dash, monitor.url, ...REVIEWER);
        assert.deepEqual(await dashboardCase(dash, monitor.url, 'Customer Service Representative'), {
          cases: 1,
          reports: 1,
          count: 1,
        });
      });

      await t.test('"Not a scam" sends feedback the dashboard counts per rule, and the page stays quiet after', async () => {
        const page = await ext.context.newPage();
        const url = `${pages.url}/csp.html`;
        await page.goto(url);
        await waitWarning(page, (w) => w.level === 'danger');
        const v = await ext.waitVerdict(page);
        const preview = await openReportPreview(ext, page, { action: 'not-scam' });
        // Hidden at once, before and whether or not the reader sends anything.
        await waitFor(async () => (await readWarning(page)) === null, { message: 'the warning to go' });
        assert.deepEqual(Object.keys(preview.json), ['url', 'rules', 'score', 'pack_version', 'kind', 'idempotency_key']);
        assert.equal(preview.json.url, url);
        assert.equal(preview.json.kind, 'not_scam');
        assert.deepEqual(preview.json.rules, v.rules);
        assert.ok(preview.text.includes('/v1/feedback'), `the preview names where it goes: ${preview.text}`);
        // Nothing has left the browser yet: the service has no feedback until Send.
        await dash.goto(`${monitor.url}/dashboard/feedback`);
        assert.equal(await dash.locator('tr[data-rule]').count(), 0, 'no feedback before Send');
        assert.match(await preview.confirm(), /sent|보냈/i);
        await preview.page.close();
        const rows = await waitFor(
          async () => {
            await dash.reload();
            const ids = await dash.locator('tr[data-rule]').evaluateAll((trs) => trs.map((tr) => tr.dataset.rule));
            return ids.length ? ids : null;
          },
          { message: 'feedback rows in the dashboard' },
        );
        assert.ok(v.rules.some((r) => rows.includes(r)), `the verdict's rules ${v.rules} among ${rows}`);
        await page.reload();
        await ext.waitVerdict(page, (x) => x.at > v.at);
        assert.equal(await readWarning(page), null, 'no warning again on a page marked "not a scam"');
      });
    });
  } finally {
    await monitor.stop();
    await pages.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a report the service refuses (HTTP 422) is shown as an error and not queued', { skip: SKIP }, async () => {
  const pages = await startServer();
  try {
    const got = [];
    pages.route('/v1/reports', (req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        got.push(JSON.parse(body));
        res.writeHead(422, { 'Content-Type': 'application/json' }).end('{"error":"title: too long"}');
      });
    });
    await withExt({}, async (ext) => {
      await ext.setSettings({ uiLang: 'en', serviceUrl: pages.url });
      const page = await ext.context.newPage();
      await page.goto(`${pages.url}/en-lure.html`);
      await waitWarning(page, (w) => w.level === 'danger');
      const preview = await openReportPreview(ext, page);
      const outcome = await preview.confirm();
      assert.match(outcome, /422|title: too long/, outcome);
      assert.equal(got.length, 1, 'sent once');
      assert.deepEqual(got[0], preview.json, 'what was sent is exactly what the preview showed');
      assert.deepEqual((await ext.storage('local', 'reportQueue')) ?? [], [], 'a refusal is not retried');
      const mine = (await ext.storage('local', 'myReports')).find((r) => r.url === `${pages.url}/en-lure.html`);
      assert.equal(mine.state, 'failed', JSON.stringify(mine));
    });
  } finally {
    await pages.close();
  }
});
