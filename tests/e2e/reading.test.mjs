// Issue 10 in a real Chromium: the posting is read, not the page. A result list shaped like a real board's
// (menus, search, salary and benefit facets, "people also searched", pagination, a footer about scam reports,
// 20 ordinary cards and one lure card) gets a marker on the lure card only, the badge "1" and no panel; the
// marker's reasons and its Report for that card. The same lure as a posting page keeps the danger panel and its
// highlights; a caution posting gets a compact bar that leaves the posting readable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { readWarning, waitWarning, waitFor, SCREENSHOT_DIR, clickWarningAction, walk, attr } from './lib/browser.mjs';
import { SKIP, withExt, classifierMatches, uncovered } from './lib/harness.mjs';
import { readMarkers, waitMarkers, clickMarker } from './lib/markers.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

const HANGUL = /[\uac00-\ud7a3]/;

async function screenshot(page, name) {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

/** Where each highlighted range sits: the id of its nearest ancestor with one of `ids`, or null. */
async function highlightOwners(page, ids) {
  return page.evaluate((ids) => {
    const out = [];
    for (const level of ['caution', 'danger']) {
      for (const r of CSS.highlights.get(`jobguard-${level}`) ?? []) {
        let n = r.commonAncestorContainer;
        if (n.nodeType !== 1) n = n.parentElement;
        const owner = ids.map((id) => document.getElementById(id)).find((e) => e?.contains(n));
        out.push({ level, text: r.toString(), owner: owner?.id ?? null });
      }
    }
    return out;
  }, ids);
}

test('list page: only the lure card is marked, the badge says 1, no panel; reasons on click; Report for that card', { skip: SKIP }, async () => {
  await withExt({ lang: 'ko' }, async (ext) => {
    await ext.setSettings({ uiLang: 'ko', country: 'KR' });
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/board-list.html`);
    const v = await ext.waitVerdict(page, (x) => x.kind === 'list');
    assert.equal(v.cardCount, 21, `21 cards read: ${JSON.stringify({ how: v.how, cardCount: v.cardCount })}`);
    assert.equal(v.risky, 1, `exactly one risky card: ${JSON.stringify(v.cards.map((c) => [c.title, c.score]))}`);
    assert.match(v.cards[0].title, /캄보디아/, 'the risky card is the lure');
    assert.ok(v.cards[0].rules.length > 0 && v.cards[0].score > 0);

    const ms = await waitMarkers(page);
    assert.equal(ms.length, 1, 'one marker');
    const m = ms[0];
    assert.equal(m.shadowRootType, 'closed');
    assert.equal(m.card.id, 'lure-card', `the marker sits on the lure card: ${JSON.stringify(m.card)}`);
    assert.equal(m.level, v.cards[0].level);
    assert.match(m.button.text, HANGUL, 'the marker speaks the reader\'s language');
    assert.equal(m.pop.hidden, true, 'the reasons are folded until asked for');
    assert.equal(await readWarning(page), null, 'a list never gets the page-wide panel');
    assert.equal(await ext.badgeFor(page), '1', 'the badge counts risky cards');

    // The card's phrases are highlighted, and nothing outside the lure card (menus, filters, footer).
    const owners = await waitFor(async () => {
      const o = await highlightOwners(page, ['lure-card']);
      return o.length ? o : null;
    }, { message: 'highlights on the lure card' });
    assert.deepEqual(owners.filter((o) => o.owner !== 'lure-card'), [], 'no highlight outside the lure card');
    const cardText = await page.evaluate(() => document.getElementById('lure-card').innerText);
    // A list's cards are scored by the rules alone (the learned model judges an ad's text, not a card's title
    // and tags: docs/model.md), so the card's highlights are the rules' matches.
    assert.ok(!v.cards[0].rules.includes('model.ngrams'), `no model on a card: ${v.cards[0].rules}`);
    const matches = (await classifierMatches(ext, cardText, 'ko')).filter((x) => x.rule !== 'model.ngrams');
    assert.ok(matches.length > 0);
    assert.deepEqual(uncovered(matches, owners.map((o) => o.text)), [], 'every risky phrase of the card is highlighted');
    const page2 = await page.evaluate(() => document.querySelector('.also-searched').innerText);
    assert.ok((await classifierMatches(ext, page2, 'ko')).length > 0, 'the "also searched" box alone has risky words (that must not count)');

    // Click: the reasons, in Korean, in our shadow root; Escape folds them and gives the focus back.
    await clickMarker(page, 0, 'why');
    const open = await waitMarkers(page, (x) => x[0] && !x[0].pop.hidden, { timeout: 5000 });
    assert.equal(open[0].button.expanded, 'true');
    assert.match(open[0].pop.text, HANGUL);
    const reason = v.cards[0].reasons.find((r) => r.weight > 0).explanation;
    assert.ok(open[0].pop.text.includes(reason), `the card's reasons are shown: ${open[0].pop.text}`);
    await screenshot(page, 'list-marker-ko.png');
    await page.keyboard.press('Escape');
    await waitMarkers(page, (x) => x[0]?.pop.hidden, { timeout: 5000 });
    await page.keyboard.press('Enter');
    await waitMarkers(page, (x) => x[0] && !x[0].pop.hidden, { timeout: 5000 });

    // Report for this card: the preview shows the page address with the card's title, rules, score and level.
    const prefix = `chrome-extension://${ext.id}/report.html`;
    const opened = ext.context.waitForEvent('page', { predicate: (p) => p.url().startsWith(prefix), timeout: 10000 });
    await clickMarker(page, 0, 'report');
    const report = await opened;
    assert.match(report.url(), /[?&]card=\d+/);
    const json = await waitFor(
      () => report.evaluate(() => {
        try {
          return JSON.parse(document.getElementById('preview').textContent);
        } catch {
          return null;
        }
      }),
      { message: 'the report preview' },
    );
    assert.equal(json.url, page.url());
    assert.equal(json.title, v.cards[0].title);
    assert.deepEqual(json.rules, v.cards[0].rules);
    assert.equal(json.score, v.cards[0].score);
    assert.equal(json.level, v.cards[0].level);
    assert.equal(json.excerpt, null, 'no excerpt unless the reader ticks it');
    await report.check('#with-excerpt');
    const withExcerpt = JSON.parse(await report.evaluate(() => document.getElementById('preview').textContent));
    assert.match(withExcerpt.excerpt, /텔레그램|1000만원|항공권/, `the excerpt is the card's: ${withExcerpt.excerpt}`);
    assert.doesNotMatch(withExcerpt.excerpt, /신고센터|경찰청/, 'not the footer');
  });
});

test('list page: the page cannot remove or restyle a marker', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/board-list.html`);
    await waitMarkers(page);
    const seen = await page.evaluate(() => {
      const host = document.querySelector('jobguard-marker');
      const found = { shadow: host.shadowRoot, text: host.innerHTML };
      host.setAttribute('style', 'display:none !important');
      host.remove();
      return found;
    });
    assert.deepEqual(seen, { shadow: null, text: '' }, 'the page sees an empty host with no open shadow root');
    const back = await waitMarkers(page, (x) => x.length === 1 && x[0].card.id === 'lure-card', { timeout: 5000 });
    assert.equal(back.length, 1, 'the marker is put back');
    const shown = await page.evaluate(() => {
      const r = document.querySelector('jobguard-marker').getBoundingClientRect();
      return { w: r.width, h: r.height, style: document.querySelector('jobguard-marker').getAttribute('style') };
    });
    assert.ok(shown.w > 10 && shown.h > 10, `the marker is drawn: ${JSON.stringify(shown)}`);
    assert.equal(shown.style, null, 'the page\'s style attribute is undone');
  });
});

test('list page re-rendered with the same ads (as result pages do): the marker comes back on the new lure card', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/board-list.html`);
    await waitMarkers(page, (x) => x.length === 1);
    // New elements, same text: the reading stays valid, the old marker and highlights are gone with the old cards.
    await page.evaluate(() => {
      const list = document.querySelector('.job-list');
      const html = list.innerHTML.replace(/<jobguard-marker><\/jobguard-marker>/g, '');
      list.replaceChildren();
      list.insertAdjacentHTML('beforeend', html);
      document.getElementById('lure-card').dataset.fresh = 'yes';
    });
    const back = await waitMarkers(page, (x) => x.length === 1 && x[0].card.id === 'lure-card', { timeout: 10000 });
    assert.equal(back.length, 1);
    const onFresh = await page.evaluate(() => document.querySelector('#lure-card[data-fresh="yes"] > jobguard-marker') !== null);
    assert.ok(onFresh, 'the marker is on the new card element');
    const hl = await waitFor(async () => {
      const o = await highlightOwners(page, ['lure-card']);
      return o.length ? o : null;
    }, { message: 'highlights on the new card' });
    assert.deepEqual(hl.filter((o) => o.owner !== 'lure-card'), []);
  });
});

test('the same lure as a posting page (menus, similar jobs, footer) keeps the danger panel and highlights', { skip: SKIP }, async () => {
  await withExt({ lang: 'ko' }, async (ext) => {
    await ext.setSettings({ uiLang: 'ko', country: 'KR' });
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/board-posting.html`);
    const w = await waitWarning(page, (x) => x.level);
    assert.equal(w.level, 'danger');
    assert.equal(w.role, 'alert');
    const v = await ext.waitVerdict(page);
    assert.equal(v.kind, 'posting', JSON.stringify({ kind: v.kind, how: v.how }));
    assert.equal(v.level, 'danger');
    assert.equal(await ext.badgeFor(page), '!!');
    assert.deepEqual(await readMarkers(page), [], 'a posting gets no card markers');
    const owners = await waitFor(async () => {
      const o = await highlightOwners(page, ['posting']);
      return o.length ? o : null;
    }, { message: 'highlights' });
    assert.deepEqual(owners.filter((o) => o.owner !== 'posting'), [], 'highlights only inside the posting');
    const text = await page.evaluate(() => document.getElementById('posting').innerText);
    const matches = await classifierMatches(ext, text, 'ko');
    assert.deepEqual(uncovered(matches, owners.map((o) => o.text)), [], 'every risky phrase of the posting is highlighted');
  });
});

test('a lure whose JSON-LD declares a harmless job is still read as it is shown: danger panel and highlights', { skip: SKIP }, async () => {
  // What a page declares about itself is page-controlled: a lure must not escape by declaring a bland
  // description that the visible posting does not contain.
  await withExt({ lang: 'ko' }, async (ext) => {
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/jsonld-decoy.html`);
    const v = await ext.waitVerdict(page);
    assert.equal(v.level, 'danger', JSON.stringify({ how: v.how, level: v.level, score: v.score, rules: v.rules }));
    const w = await waitWarning(page, (x) => x.level);
    assert.equal(w.level, 'danger');
    const owners = await waitFor(async () => {
      const o = await highlightOwners(page, ['never']);
      return o.length ? o : null;
    }, { message: 'highlights in the visible posting' });
    assert.ok(owners.some((o) => /텔레그램|항공권|여권/.test(o.text)), JSON.stringify(owners));
  });
});

/** The on-screen box of the warning's alert element (read through CDP), or null. */
async function alertBox(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const alert = [...walk(root)].find((n) => attr(n, 'role') === 'alert');
    if (!alert) return null;
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: alert.backendNodeId });
    const q = model.border;
    return { left: q[0], top: q[1], right: q[4], bottom: q[5], height: model.height };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

test('caution posting: a compact bar on one line that leaves the posting readable; Why? unfolds the reasons', { skip: SKIP }, async () => {
  await withExt({}, async (ext) => {
    await ext.setSettings({ uiLang: 'en' });
    const page = await ext.context.newPage();
    await page.goto(`${server.url}/caution.html`);
    const w = await waitWarning(page, (x) => x.level);
    assert.equal(w.level, 'caution');
    for (const a of ['why', 'report', 'not-scam', 'dismiss']) assert.ok(w.actions[a], `button ${a}`);
    const bar = await alertBox(page);
    assert.ok(bar.height > 20 && bar.height <= 60, `one small line: ${bar.height} px high`);
    const texts = await page.evaluate(() =>
      [...document.querySelectorAll('main h1, main p')].slice(0, 3).map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent.slice(0, 30), top: r.top, bottom: r.bottom };
      }),
    );
    for (const t of texts) {
      assert.ok(t.bottom <= bar.top || t.top >= bar.bottom, `the bar (${bar.top}-${bar.bottom}) does not cover "${t.text}" (${t.top}-${t.bottom})`);
    }
    // The first paragraph is really visible: what is drawn at its centre is the page's own text.
    const hit = await page.evaluate(() => {
      const p = document.querySelector('main p:not(.meta)');
      const r = p.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)?.localName;
    });
    assert.notEqual(hit, 'jobguard-warning');
    await screenshot(page, 'caution-bar-en.png');

    await clickWarningAction(page, 'why');
    const open = await waitWarning(page, (x) => x.text.length > w.text.length + 20, { timeout: 5000 });
    const v = await ext.waitVerdict(page);
    const reason = v.reasons.find((r) => r.weight > 0).explanation;
    assert.ok(open.text.includes(reason), 'the reasons unfold');
    assert.ok(open.actions['hide-site'], '"Hide for this site" is there once unfolded');
    await clickWarningAction(page, 'dismiss');
    await waitWarning(page, (x) => !x.role && x.actions.show, { timeout: 5000 });
  });
});
