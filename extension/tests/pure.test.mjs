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
  assert.equal(c.links.length, 498, 'at most 500 looked at; the two bad ones dropped');
  assert.deepEqual(c.links[0], { href: 'https://t.me/x', text: 'chat' });
  assert.deepEqual(c.jsonld, ['{}']);
  assert.ok(!('extra' in c));
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
