// Issue 12 end to end: reader A's profile reports a page carrying a Telegram handle; a reviewer confirms the
// handle on the real monitoring service's dashboard (SQLite); the service publishes the signed indicator list;
// reader B's profile, after one forced update ("Check now"), warns at danger on a different page that carries
// only that handle and ordinary wording, with the reason shown and the handle highlighted. Withdrawing the
// handle clears the warning after the next update.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { waitWarning, waitFor, readWarning, highlights, clickWarningAction } from './lib/browser.mjs';
import { SKIP, withExt } from './lib/harness.mjs';
import { startMonitor, addReviewer, signIn, monitorBuilt } from './lib/monitor.mjs';
import { openReportPreview } from './lib/report.mjs';

const REVIEWER = ['e2e-reviewer', 'a long test password for the e2e reviewer'];
const skip = SKIP || (monitorBuilt() ? false : 'target/release/jobguard-monitor is not built');

/** Sets the indicator `value`'s status on the dashboard through its review form. */
async function review(dash, monitorUrl, value, status, note) {
  await dash.goto(`${monitorUrl}/dashboard/indicators?lang=en`);
  await dash.locator(`tr[data-value="${value}"] a`).first().click();
  await dash.waitForURL(/\/dashboard\/indicators\/\d+/);
  await dash.selectOption('select[name="status"]', status);
  await dash.fill('textarea[name="note"]', note);
  await Promise.all([dash.waitForURL(/\/dashboard\/indicators\/\d+$/), dash.click('form[action$="/status"] button[type="submit"]')]);
  assert.equal(await dash.locator('[data-status]').first().getAttribute('data-status'), status);
}

/** Presses "Check now" in the options and waits until the indicator list has been pulled. */
async function forceUpdate(ext) {
  const before = (await ext.storage('local', 'indicatorStatus'))?.lastCheck ?? 0;
  const opt = await ext.context.newPage();
  await opt.goto(ext.optionsUrl());
  await opt.click('#check-now');
  const s = await waitFor(async () => {
    const st = await ext.storage('local', 'indicatorStatus');
    return st && st.lastCheck > before ? st : null;
  }, { message: 'the indicator list pulled' });
  await opt.close();
  return s;
}

test('Confirmed contacts reach other readers through the signed indicator list', { skip }, async () => {
  const pages = await startServer();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'jobguard-e2e-indicators-'));
  const database = `sqlite://${path.join(dir, 'monitor.db')}`;
  addReviewer(database, ...REVIEWER);
  const monitor = await startMonitor({ database });
  try {
    // Reader A reports the lure, whose contact is the Telegram handle @gd_recruit_desk.
    await withExt({}, async (a) => {
      await a.setSettings({ uiLang: 'en', country: 'KR', serviceUrl: monitor.url });
      const page = await a.context.newPage();
      await page.goto(`${pages.url}/ko-lure.html`);
      await waitWarning(page, (w) => w.level === 'danger');
      const preview = await openReportPreview(a, page);
      assert.ok(preview.json.indicators.some((i) => i.kind === 'telegram' && i.value === 'gd_recruit_desk'), preview.text);
      assert.match(await preview.confirm(), /sent/i);
    });

    await withExt({}, async (b) => {
      await b.setSettings({ uiLang: 'en', country: 'KR', serviceUrl: monitor.url });
      const dash = await b.context.newPage();
      await signIn(dash, monitor.url, ...REVIEWER);
      const page = await b.context.newPage();
      const url = `${pages.url}/contact-only.html`;
      await page.goto(url);
      const before = await b.waitVerdict(page);
      assert.notEqual(before.level, 'danger', 'ordinary wording alone is no danger');

      // The reviewer confirms the handle; reader B's extension pulls the list once.
      await review(dash, monitor.url, 'gd_recruit_desk', 'confirmed', 'recruiter of the reported lure');
      const st = await forceUpdate(b);
      assert.equal(st.lastError, null, JSON.stringify(st));
      assert.equal(st.count, 1);
      await page.reload();
      const w = await waitWarning(page, (x) => x.level === 'danger');
      assert.match(w.text, /Confirmed scam contact/, w.text);
      // "Why?" lists the reasons: the contact and how many reported ads it was confirmed in.
      await clickWarningAction(page, 'why');
      const why = await waitWarning(page, (x) => /confirmed in 1 reported scam ad/i.test(x.text));
      assert.ok(why.text.includes('gd_recruit_desk'), why.text);
      const hl = await highlights(page);
      assert.ok(JSON.stringify(hl).includes('gd_recruit_desk'), `the handle is highlighted: ${JSON.stringify(hl)}`);

      // Withdrawn: the next list no longer carries it, and the page is no longer a danger.
      await review(dash, monitor.url, 'gd_recruit_desk', 'rejected', 'withdrawn');
      const st2 = await forceUpdate(b);
      assert.equal(st2.lastError, null, JSON.stringify(st2));
      assert.equal(st2.count, 0);
      const reloadedAt = Date.now();
      await page.reload();
      const after = await b.waitVerdict(page, (v) => v.at >= reloadedAt);
      assert.notEqual(after.level, 'danger');
      const gone = await readWarning(page);
      assert.ok(!gone || gone.level !== 'danger');
    });
  } finally {
    await monitor.stop();
    await pages.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
