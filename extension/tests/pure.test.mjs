// Unit tests of the extension's pure modules, run in Node against the built package (dist/chromium, where the
// generated config.js exists): who may message the background, the report shape, the excerpt, settings checks,
// and the download helpers against a real local HTTP server. The browser parts are tested in tests/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PKG = process.env.JOBGUARD_EXT_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/chromium');
const load = (p) => import(pathToFileURL(path.join(PKG, p)).href);
const { senderKind, allowed, cleanInput, MAX_TEXT } = await load('background/messages.js');
const { reportProblem, feedbackProblem, REPORT_KEYS, FEEDBACK_KEYS } = await load('background/report-shape.js');
const { excerptOf } = await load('background/excerpt.js');
const { readPage, recordOf, replyOf, hasWarning, badgeOf } = await load('background/reading.js');
const { Parts } = await load('background/parts.js');
const { reportIndicators, MAX_REPORT_INDICATORS } = await load('background/indicators.js');
const { readLimited, fetchWithTimeout, backoffMs, FetchError } = await load('background/http.js');
const { uiLangFor, countryFor, normalizeHost, packLang } = await load('shared/lang.js');
const { normalizeSettings, isAllowlisted, defaultSettings } = await load('shared/settings-model.js');

const SELF = { id: 'abcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnop/' };
const tab = { id: 7, url: 'https://jobs.example/1' };

test('senderKind: only our own content script (in a frame of a tab) and our own pages', () => {
  assert.equal(senderKind({ id: SELF.id, tab, frameId: 0, url: tab.url }, SELF), 'content');
  assert.equal(senderKind({ id: SELF.id, tab, frameId: 3, url: 'https://jobs.example/frame' }, SELF), 'content', 'a frame of a tab');
  assert.equal(senderKind({ id: SELF.id, tab, url: tab.url }, SELF), null, 'no frame id');
  assert.equal(senderKind({ id: SELF.id, url: `${SELF.origin}options.html` }, SELF), 'page');
  assert.equal(senderKind({ id: SELF.id, tab, frameId: 0, url: `${SELF.origin}report.html` }, SELF), 'page');
  assert.equal(senderKind({ id: 'another-extension', tab, frameId: 0, url: tab.url }, SELF), null);
  assert.equal(senderKind({ tab, frameId: 0, url: tab.url }, SELF), null, 'no id: a web page');
  assert.equal(senderKind({ id: SELF.id, url: 'https://evil.example/' }, SELF), null, 'no tab and not our page');
  assert.equal(senderKind(undefined, SELF), null);
  assert.equal(senderKind({ id: undefined }, { id: undefined, origin: '' }), null);
});

test('allowed: content scripts may only score and pass on clicks; pages the rest', () => {
  const input = { text: 'x' };
  assert.ok(allowed('content', { type: 'score', url: tab.url, input }));
  assert.ok(!allowed('content', { type: 'score', url: 5, input }));
  assert.ok(!allowed('content', { type: 'score', url: tab.url }));
  assert.ok(allowed('content', { type: 'score', url: tab.url, input: JSON.stringify(input) }), 'the input as JSON text');
  assert.ok(!allowed('content', { type: 'score', url: tab.url, input: 7 }));
  assert.ok(allowed('content', { type: 'action', action: 'report', card: 3 }), 'Report for one card of a list');
  assert.ok(!allowed('content', { type: 'action', action: 'report', card: -1 }));
  assert.ok(!allowed('content', { type: 'action', action: 'report', card: '3' }));
  assert.ok(allowed('content', { type: 'part', id: 'a1', seq: 0, data: 'x' }), 'a part of a large input');
  assert.ok(!allowed('content', { type: 'part', id: 'a1', seq: -1, data: 'x' }));
  assert.ok(!allowed('content', { type: 'part', id: 'a1', seq: 0, data: 'x'.repeat(300_001) }), 'a part too large');
  assert.ok(allowed('content', { type: 'score', url: tab.url, input: '}', parts: { id: 'a1', count: 3 } }));
  assert.ok(!allowed('content', { type: 'score', url: tab.url, input: '}', parts: { id: 'a1', count: 0 } }));
  assert.ok(!allowed('content', { type: 'score', url: tab.url, input: { text: 'x' }, parts: { id: 'a1', count: 2 } }), 'the last part is text');
  assert.ok(allowed('page', { type: 'report-draft', tabId: 3, card: 0 }));
  assert.ok(!allowed('page', { type: 'report-draft', tabId: 3, card: 1.5 }));
  for (const action of ['report', 'not-scam', 'hide-site']) assert.ok(allowed('content', { type: 'action', action }));
  assert.ok(!allowed('content', { type: 'action', action: 'dismiss' }));
  assert.ok(!allowed('content', { type: 'action', action: 'settings' }));
  for (const type of ['check-pack', 'report-send', 'feedback-send', 'feedback-draft', 'tab-action', 'popup-state', 'reports-flush', 'settings']) {
    assert.ok(!allowed('content', { type, tabId: 1, action: 'report', report: {}, feedback: {} }), `content may not ${type}`);
  }
  assert.ok(allowed('page', { type: 'check-pack' }));
  assert.ok(allowed('page', { type: 'tab-action', tabId: 3, action: 'dismiss' }));
  assert.ok(!allowed('page', { type: 'tab-action', tabId: '3', action: 'dismiss' }));
  assert.ok(!allowed('page', { type: 'report-send', report: 'x' }));
  assert.ok(allowed('page', { type: 'feedback-draft', tabId: 3 }));
  assert.ok(!allowed('page', { type: 'feedback-draft' }));
  assert.ok(allowed('page', { type: 'feedback-send', feedback: {} }));
  assert.ok(!allowed('page', { type: 'feedback-send', report: {} }));
  assert.ok(!allowed('page', { type: 'score', url: tab.url, input }), 'pages do not score');
  for (const bad of [null, 'score', ['score'], {}, { type: 5 }]) assert.ok(!allowed('content', bad));
  assert.ok(!allowed(null, { type: 'score', url: tab.url, input }));
});

test('cleanInput: keeps the contract fields, bounds sizes, refuses a wrong shape', () => {
  assert.equal(cleanInput(null), null);
  assert.equal(cleanInput({ text: 5 }), null);
  assert.equal(cleanInput({ text: 'a'.repeat(MAX_TEXT + 1) }), null);
  const links = [{ href: 'https://t.me/x', text: 'chat' }, { href: 5 }, 'x', ...Array(600).fill({ href: 'https://a.example' })];
  const c = cleanInput({ text: '월 1000만원', title: 7, links, jsonld: ['{}', 5, 'x'.repeat(300_000)], extra: 'dropped' });
  assert.equal(c.text, '월 1000만원');
  assert.equal(c.title, '');
  assert.equal(c.links.length, 601, 'the two bad ones dropped');
  assert.deepEqual(c.links[0], { href: 'https://t.me/x', text: 'chat' });
  assert.deepEqual(c.jsonld, ['{}']);
  assert.ok(!('extra' in c));
  const many = cleanInput({ text: 'x', links: Array(2500).fill({ href: 'https://a.example' }) });
  assert.equal(many.links.length, 2000, 'at most 2,000 links');
});

test('cleanInput: the outline and link nodes pass through; JSON text is parsed; a bad outline is refused', () => {
  const outline = { host: 'jobs.example', path: '/list', nodes: [[-1, 'body', 0, 9, '', ''], [0, 'a', 0, 4, '', 'x', { href: '/1' }]] };
  const input = { text: 'Job 1\nJob 2', links: [{ href: 'https://jobs.example/1', text: 'Job 1', node: 1 }, { href: 'https://b.example', node: -2 }], outline };
  const c = cleanInput(JSON.stringify(input));
  assert.deepEqual(c.outline, outline);
  assert.equal(c.links[0].node, 1);
  assert.ok(!('node' in c.links[1]), 'a bad node index is dropped');
  assert.equal(cleanInput('{"text": '), null, 'broken JSON');
  assert.equal(cleanInput({ text: 'x', outline: { nodes: 'x' } }), null);
  assert.equal(cleanInput({ text: 'x', outline: { nodes: Array(100_001).fill(0) } }), null, 'too many nodes');
  assert.equal(cleanInput({ text: 'x', outline: { nodes: [], host: 5 } }).outline.host, '');
});

function report(patch = {}) {
  return {
    url: 'https://jobs.example/1', title: 'Lure', rules: ['ko.travel.flight_paid'], score: 78, level: 'danger',
    pack_version: 3, extension_version: '0.1.0', lang: 'ko', country: 'KR', excerpt: null, comment: null,
    indicators: [{ kind: 'telegram', value: 'job_recruit88' }],
    idempotency_key: '3b241101-e2bb-4255-8caf-4136c566a962', ...patch,
  };
}

test('reportProblem: exactly the contract\'s fields and types', () => {
  assert.equal(reportProblem(report()), null);
  assert.deepEqual(Object.keys(report()), REPORT_KEYS);
  assert.equal(reportProblem(report({ excerpt: 'text', comment: 'mine' })), null);
  assert.equal(reportProblem({ ...report(), cookie: 'x' }), 'wrong fields');
  const missing = report();
  delete missing.comment;
  assert.equal(reportProblem(missing), 'wrong fields');
  assert.equal(reportProblem(report({ url: 'javascript:alert(1)' })), 'bad url');
  assert.equal(reportProblem(report({ score: 101 })), 'bad score');
  assert.equal(reportProblem(report({ score: -1 })), 'bad score');
  assert.equal(reportProblem(report({ level: 'high' })), 'bad level');
  assert.equal(reportProblem(report({ rules: [1] })), 'bad rules');
  assert.equal(reportProblem(report({ excerpt: 'x'.repeat(5000) })), 'bad excerpt or comment');
  assert.equal(reportProblem([]), 'not an object');
  assert.equal(reportProblem(report({ indicators: [] })), null);
  assert.equal(reportProblem(report({ indicators: [{ kind: 'fax', value: '1' }] })), 'bad indicators');
  assert.equal(reportProblem(report({ indicators: [{ kind: 'phone', value: '+821012345678', start: 3 }] })), 'bad indicators');
  assert.equal(reportProblem(report({ indicators: [{ kind: 'email', value: '' }] })), 'bad indicators');
  assert.equal(reportProblem(report({ indicators: {} })), 'bad indicators');
});

test('reportIndicators: kind and value of each of the verdict\'s indicators, nothing else', () => {
  const v = { indicators: [{ kind: 'telegram', value: 'abc_recruit', start: 3, end: 15 }, { kind: 'phone', value: '' }, null, { kind: 'email', value: 'a@b.example' }] };
  assert.deepEqual(reportIndicators(v), [{ kind: 'telegram', value: 'abc_recruit' }, { kind: 'email', value: 'a@b.example' }]);
  assert.deepEqual(reportIndicators({}), []);
  assert.equal(reportIndicators({ indicators: Array(150).fill({ kind: 'email', value: 'a@b.example' }) }).length, MAX_REPORT_INDICATORS);
});

test('feedbackProblem: exactly the contract\'s fields and types', () => {
  const fb = (patch = {}) => ({
    url: 'https://jobs.example/1', rules: ['en.wfh.work_from_home'], score: 40, pack_version: 3, kind: 'not_scam',
    idempotency_key: '3b241101-e2bb-4255-8caf-4136c566a962', ...patch,
  });
  assert.equal(feedbackProblem(fb()), null);
  assert.deepEqual(Object.keys(fb()), FEEDBACK_KEYS);
  assert.equal(feedbackProblem({ ...fb(), title: 'x' }), 'wrong fields');
  assert.equal(feedbackProblem(fb({ url: 'file:///etc/passwd' })), 'bad url');
  assert.equal(feedbackProblem(fb({ kind: 'scam' })), 'bad kind');
  assert.equal(feedbackProblem(fb({ score: 100.5 })), 'bad score');
  assert.equal(feedbackProblem(fb({ rules: 'x' })), 'bad rules');
  assert.equal(feedbackProblem(fb({ idempotency_key: 7 })), 'bad idempotency_key');
  assert.equal(feedbackProblem(null), 'not an object');
});

test('excerptOf: text around the first matches, bounded, null without matches', () => {
  const text = `${'a'.repeat(200)} 항공권 지원 ${'b'.repeat(200)} 텔레그램 문의 ${'c'.repeat(200)}`;
  const m1 = text.indexOf('항공권');
  const m2 = text.indexOf('텔레그램');
  const ex = excerptOf(text, [{ start: m1, end: m1 + 6 }, { start: m2, end: m2 + 4 }]);
  assert.ok(ex.includes('항공권 지원') && ex.includes('텔레그램'), ex);
  assert.ok(ex.includes(' … '), 'distant matches are joined with an ellipsis');
  assert.ok(ex.length < 300, `short: ${ex.length}`);
  assert.equal(excerptOf(text, []), null);
  const many = Array.from({ length: 50 }, (_, i) => ({ start: i * 12, end: i * 12 + 3 }));
  assert.ok(excerptOf('x'.repeat(1000), many, 100).length <= 100);
});

test('languages, countries and hosts', () => {
  assert.equal(uiLangFor('ko-KR'), 'ko');
  assert.equal(uiLangFor('zh-TW'), 'zh_TW');
  assert.equal(uiLangFor('zh-Hant-HK'), 'zh_TW');
  assert.equal(uiLangFor('zh'), 'zh_CN');
  assert.equal(uiLangFor('fr-FR'), 'en');
  assert.equal(packLang('zh_TW'), 'zh');
  assert.equal(countryFor('en-GB'), 'GB');
  assert.equal(countryFor('ko'), 'KR');
  assert.equal(countryFor('vi'), 'VN');
  assert.equal(countryFor('zh-Hant'), 'TW');
  assert.equal(normalizeHost('https://WWW.Example.com:8080/x'), 'example.com');
  assert.equal(normalizeHost('jobs.example.com'), 'jobs.example.com');
  assert.equal(normalizeHost('   '), '');
  assert.equal(normalizeHost('http://[bad'), '');
});

test('settings: garbage becomes the defaults, good values are kept and cleaned', () => {
  const d = defaultSettings('ko-KR');
  assert.equal(d.uiLang, 'ko');
  assert.equal(d.country, 'KR');
  assert.match(d.packUrl, /\/v1\/packs\/latest$/);
  assert.deepEqual(normalizeSettings('nope', 'ko-KR'), d);
  const s = normalizeSettings({
    uiLang: 'xx', country: 'kr', allowlist: ['WWW.A.com', 'a.com', '', 'b.org'], scope: 'all',
    serviceUrl: 'javascript:alert(1)', packUrl: 'https://packs.example/latest/', evil: 1,
  }, 'en-US');
  assert.equal(s.uiLang, 'en');
  assert.equal(s.country, 'US', 'lower-case country refused');
  assert.deepEqual(s.allowlist, ['a.com', 'b.org']);
  assert.equal(s.scope, 'all');
  assert.equal(s.serviceUrl, defaultSettings('en-US').serviceUrl);
  assert.equal(s.packUrl, 'https://packs.example/latest');
  assert.ok(!('evil' in s));
  assert.ok(isAllowlisted(s, 'jobs.a.com'));
  assert.ok(isAllowlisted(s, 'www.b.org'));
  assert.ok(!isAllowlisted(s, 'nota.com'));
});

function streamOf(chunks) {
  return new Response(new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  }));
}

test('readLimited: stops past the limit even without a declared length; refuses non-UTF-8', async () => {
  const enc = new TextEncoder();
  assert.equal(await readLimited(streamOf([enc.encode('{"a":'), enc.encode('1}')]), 100), '{"a":1}');
  assert.equal(await readLimited(streamOf([enc.encode('x'.repeat(100))]), 100), 'x'.repeat(100));
  let pulled = 0;
  const endless = new Response(new ReadableStream({
    pull(c) {
      pulled += 1;
      c.enqueue(new Uint8Array(64 * 1024));
    },
  }));
  await assert.rejects(readLimited(endless, 1024 * 1024), (e) => e instanceof FetchError && /too large/.test(e.message) && e.retry === false);
  assert.ok(pulled < 40, `stopped reading soon after the limit (${pulled} chunks)`);
  const declared = new Response('x', { headers: { 'content-length': String(50 * 1024 * 1024) } });
  await assert.rejects(readLimited(declared, 2 * 1024 * 1024), /too large: 52428800 bytes/);
  await assert.rejects(readLimited(streamOf([new Uint8Array([0xff, 0xfe, 0x41])]), 100), /not UTF-8/);
});

test('fetchWithTimeout: a server that never answers times out; a closed port is unreachable', async () => {
  const hanging = http.createServer(() => {});
  await new Promise((r) => hanging.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${hanging.address().port}/v1/packs/latest`;
    const t0 = Date.now();
    await assert.rejects(fetchWithTimeout(url, {}, 300), (e) => e instanceof FetchError && /no answer .* within 0.3 s/.test(e.message) && e.retry);
    assert.ok(Date.now() - t0 < 3000);
  } finally {
    hanging.closeAllConnections();
    await new Promise((r) => hanging.close(r));
  }
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(fetchWithTimeout(`http://127.0.0.1:${port}/`, {}, 2000), /cannot reach 127\.0\.0\.1:\d+/);
});

test('backoffMs: doubles from one minute up to the cap', () => {
  assert.equal(backoffMs(1), 60_000);
  assert.equal(backoffMs(2), 120_000);
  assert.equal(backoffMs(4), 480_000);
  assert.equal(backoffMs(30), 6 * 3600 * 1000);
  assert.equal(backoffMs(3, 100_000), 100_000);
});

// A reading as the Wasm classifier gives it (docs/interfaces.md), for the pure functions that turn it into the
// tab's record, the content script's reply and the badge.
const verdict = (level, score, rule, matches = []) => ({
  score, level, pack_version: 7, matches,
  reasons: level === 'safe' ? [] : [{ rule, category: 'travel_paid', weight: score, explanation: `because ${rule}` }],
  categories: level === 'safe' ? [] : [{ id: 'travel_paid', name: 'Travel paid', score }],
});
const TEXT = 'Menu\nCafe job, 10,500 won an hour\nCambodia, 10M won a month, flights paid, Telegram\nFooter';
const listReading = {
  kind: 'list', how: 'cards', card_count: 3, posting: null,
  cards: [
    { node: 4, start: 5, end: 31, title: 'Cafe job', verdict: verdict('safe', 0) },
    { node: 9, start: 32, end: 82, title: 'Cambodia desk job', verdict: verdict('danger', 80, 'ko.travel', [{ rule: 'ko.travel', start: 60, end: 72 }]) },
    { node: 12, start: 83, end: 83, title: 'Empty', verdict: verdict('caution', 30, 'ko.pay') },
  ],
};

test('reading: a list gives a record of its riskiest card, one record per risky card, a count badge, no posting', () => {
  const input = { text: TEXT, title: 'Search results' };
  const r = recordOf(listReading, { url: 'https://jobs.example/list', input, lang: 'en', packVersion: 7, at: 1 });
  assert.equal(r.kind, 'list');
  assert.equal(r.cardCount, 3);
  assert.equal(r.risky, 2);
  assert.deepEqual(r.cards.map((c) => c.index), [1, 2], 'indices among all cards, in page order');
  assert.equal(r.card, 1, 'the worst item is the danger card');
  assert.equal(r.level, 'danger');
  assert.equal(r.title, 'Cambodia desk job');
  assert.deepEqual(r.rules, ['ko.travel']);
  assert.match(r.cards[0].excerpt, /flights paid/);
  assert.deepEqual(badgeOf(r), { text: '2', color: '#b3261e' });
  const reply = replyOf(listReading);
  assert.equal(reply.posting, null);
  assert.deepEqual(reply.cards.map((c) => [c.index, c.node, c.verdict.level]), [[1, 9, 'danger'], [2, 12, 'caution']]);
  assert.ok(hasWarning(reply));
});

test('reading: a posting keeps today\'s record and badge; matches outside its regions are not shown; safe is quiet', () => {
  const v = verdict('caution', 40, 'en.wfh', [{ rule: 'en.wfh', start: 5, end: 9 }, { rule: 'en.wfh', start: 90, end: 95 }]);
  const reading = { kind: 'posting', how: 'main', card_count: 0, cards: [], posting: { node: 3, regions: [[0, 40]], verdict: v } };
  const input = { text: TEXT, title: 'Cafe job' };
  const r = recordOf(reading, { url: 'https://jobs.example/1', input, lang: 'en', packVersion: 7 });
  assert.equal(r.kind, 'posting');
  assert.equal(r.level, 'caution');
  assert.equal(r.title, 'Cafe job');
  assert.ok(!('card' in r));
  assert.deepEqual(badgeOf(r), { text: '!', color: '#b45309' });
  assert.deepEqual(replyOf(reading).posting.verdict.matches, [{ rule: 'en.wfh', start: 5, end: 9 }]);
  const safe = { ...reading, posting: { ...reading.posting, verdict: verdict('safe', 0) } };
  const rs = recordOf(safe, { url: 'https://jobs.example/1', input, lang: 'en', packVersion: 7 });
  assert.equal(rs.level, 'safe');
  assert.equal(rs.excerpt, null);
  assert.deepEqual(badgeOf(rs), { text: '', color: '#000000' });
  assert.ok(!hasWarning(replyOf(safe)));
  const empty = recordOf({ kind: 'list', how: 'cards', card_count: 0, cards: [], posting: null }, { url: 'https://jobs.example/', input, lang: 'en', packVersion: 9 });
  assert.deepEqual([empty.level, empty.score, empty.packVersion, empty.risky], ['safe', 0, 9, 0]);
});

test('reading: an engine without readPage scores the whole text as one posting', () => {
  const seen = [];
  const engine = { scoreJson: (json) => (seen.push(JSON.parse(json)), verdict('danger', 70, 'x', [{ rule: 'x', start: 0, end: 4 }])) };
  const reading = readPage(engine, { text: TEXT, lang: 'ko' });
  assert.equal(seen[0].lang, 'ko');
  assert.equal(reading.kind, 'posting');
  assert.deepEqual(reading.posting.regions, [[0, TEXT.length]]);
  assert.equal(replyOf(reading).posting.verdict.matches.length, 1);
  const withRead = readPage({ readPage: (json) => ({ got: JSON.parse(json).text }) }, { text: 'x' });
  assert.deepEqual(withRead, { got: 'x' }, 'readPage is given the input as JSON text');
});

test('Parts: a large input sent in parts is joined in order; a missing or foreign part gives nothing', () => {
  const p = new Parts();
  const json = JSON.stringify({ text: '월 1000만원 '.repeat(50) });
  const cut = [json.slice(0, 100), json.slice(100, 250), json.slice(250)];
  assert.ok(p.add('7:0', 'a', 1, cut[1]));
  assert.ok(p.add('7:0', 'a', 0, cut[0]));
  assert.ok(p.add('7:3', 'z', 0, 'other frame'));
  assert.equal(p.join('7:0', 'a', 3, cut[2]), json);
  assert.equal(p.join('7:0', 'a', 3, cut[2]), null, 'nothing kept once joined');
  p.add('7:0', 'b', 0, cut[0]);
  assert.equal(p.join('7:0', 'b', 3, cut[2]), null, 'a part missing');
  p.add('7:0', 'c', 0, cut[0]);
  p.add('7:0', 'd', 0, 'newer');
  assert.equal(p.join('7:0', 'c', 2, 'x'), null, 'a newer input replaced the older one');
  p.forget('7');
  assert.equal(p.join('7:3', 'z', 2, '!'), null, 'a closed tab\'s parts are forgotten');
  assert.equal(p.add('8:0', 'big', 0, 'x'.repeat(32_000_001)), false, 'more than the largest input is refused');
});
