// A small HTTP server on 127.0.0.1 for the end-to-end tests: serves the fixture pages (with per-page headers,
// e.g. a strict CSP), generated pages of a chosen size for the benchmarks, and whatever a test puts on a route
// (signed packs, broken packs, huge bodies). Every request is recorded so tests can see what was fetched.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
};


// Headers some fixtures need: the strict-CSP page gets its policy as an HTTP header, as real sites send it.
const PAGE_HEADERS = {
  '/csp.html': { 'Content-Security-Policy': "default-src 'self'; style-src 'self'" },
};

/**
 * Starts the server on 127.0.0.1 (port 0: a free one chosen by the OS).
 * @returns {Promise<{url: string, port: number, requests: Array<{method: string, path: string, headers: object}>,
 *   route: (p: string, handler: (req, res) => void) => void, close: () => Promise<void>}>}
 */
export async function startServer({ port = 0 } = {}) {
  const routes = new Map();
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, headers: req.headers });
    try {
      const handler = routes.get(url.pathname);
      if (handler) return await handler(req, res, url);
      if (url.pathname === '/gen/page.html') return generatedPage(res, url);
      if (url.pathname === '/gen/list.html') return generatedList(res, url);
      await serveFile(res, url.pathname);
    } catch (e) {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e?.message ?? e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    requests,
    route(p, handler) {
      routes.set(p, handler);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveFile(res, pathname) {
  const rel = path.normalize(decodeURIComponent(pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = path.join(FIXTURES, rel === '/' ? 'index.html' : rel);
  if (!file.startsWith(FIXTURES)) {
    res.writeHead(403).end();
    return;
  }
  let body;
  try {
    body = await fs.readFile(file);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Cache-Control': 'no-store',
    ...(PAGE_HEADERS[pathname] ?? {}),
  });
  res.end(body);
}

// Made-up posting paragraphs, repeated to the asked size. `lure=1` adds one lure paragraph at the top so the
// benchmark also measures the highlight work; the rest is ordinary job-ad prose.
const FILLER = [
  'Our logistics team in Incheon is looking for a warehouse coordinator to plan inbound deliveries, check stock ' +
    'levels against the system and keep the loading schedule up to date with the drivers.',
  '물류센터 입고 일정 관리와 재고 확인 업무를 담당하실 분을 찾습니다. 주 5일 근무, 4대 보험 가입, 연차 및 퇴직금 제공.',
  'Applicants should be comfortable with spreadsheets, able to lift 15 kg and willing to work one Saturday a month. ' +
    'Training is given during the first two weeks by a senior coordinator.',
  '지원 자격: 관련 경력 1년 이상 우대, 엑셀 활용 가능자. 근무지: 인천광역시 중구. 면접 후 채용 시 3개월 수습 기간이 있습니다.',
];
const LURE =
  '해외 고수익 알바 모집! 경력 무관, 월 1000만원 보장, 항공권과 숙소 제공. 여권만 있으면 바로 출국 가능. ' +
  '자세한 내용은 텔레그램으로 문의 주세요.';

function generatedPage(res, url) {
  const kb = Math.max(1, Math.min(4096, Number(url.searchParams.get('kb')) || 100));
  const parts = [];
  let size = 0;
  let i = 0;
  if (url.searchParams.get('lure') === '1') parts.push(`<p>${LURE}</p>`);
  while (size < kb * 1024) {
    const p = `<p>${FILLER[i % FILLER.length]} (#${i})</p>\n`;
    parts.push(p);
    size += Buffer.byteLength(p);
    i += 1;
  }
  const html = `<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>채용 공고 - 물류 코디네이터 (Job posting)</title>
<script type="application/ld+json">${JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: 'Warehouse coordinator',
    datePosted: '2026-11-20',
    hiringOrganization: { '@type': 'Organization', name: 'Harbor Freight Logistics' },
  })}</script></head>
<body><h1>채용 공고: 물류 코디네이터</h1><main>${parts.join('')}</main></body></html>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

// A result list of the asked size: a board's menus and filters around cards of ordinary ads (about 2 KB each, so
// a 1 MB page has about 500), with one lure card in the middle (`lure=1`). For the benchmark of list reading.
const TITLES = ['물류센터 입고 관리 사원', 'Warehouse coordinator', '카페 바리스타', 'Accounts assistant', '회계팀 경력직',
  'Backend developer (Java)', '요양보호사', 'Customer service associate', '생산직 (부품 조립)', 'Registered nurse'];
const LURE_CARD =
  '[급구] 캄보디아 프놈펜 고객관리 직원 모집 — 경력 무관, 월 1000만원 이상 보장. 항공권·숙소 제공, 여권만 있으면 바로 ' +
  '출국. 자세한 내용은 텔레그램으로 문의 주세요.';

function generatedList(res, url) {
  const kb = Math.max(1, Math.min(4096, Number(url.searchParams.get('kb')) || 1024));
  const cards = [];
  let size = 0;
  let i = 0;
  while (size < kb * 1024) {
    const desc = [0, 1, 2, 3].map((k) => FILLER[(i + k) % FILLER.length]).join(' ');
    const card = `<li class="job-item" data-job-id="${90000 + i}"><div class="job-head"><a class="job-title" href="/jobs/${90000 + i}">${TITLES[i % TITLES.length]} #${i}</a></div>
<p class="company">Company ${i} Co., Ltd.</p><p class="job-meta"><span>Incheon</span> · <span>월 ${250 + (i % 9) * 10}만원</span> · <time>12.0${1 + (i % 5)}</time></p>
<p class="job-desc">${desc}</p><div class="tags"><span class="tag">정규직</span><span class="tag">4대보험</span></div></li>\n`;
    cards.push(card);
    size += Buffer.byteLength(card);
    i += 1;
  }
  if (url.searchParams.get('lure') === '1') {
    const at = Math.floor(cards.length / 2);
    cards[at] = `<li class="job-item" data-job-id="1" id="lure-card"><div class="job-head"><a class="job-title" href="/jobs/1">[급구] 캄보디아 고객관리</a></div>
<p class="job-desc">${LURE_CARD}</p><p><a href="https://t.me/gd_recruit_desk">텔레그램 @gd_recruit_desk</a></p></li>\n`;
  }
  const html = `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>채용정보 검색결과 - 잡브릿지</title></head>
<body><header><nav class="menu"><a href="/">채용정보</a> <a href="/">해외취업</a> <a href="/">재택 부업</a></nav></header>
<aside class="filters"><h3>급여</h3><label><input type="checkbox"> $25,000+</label><h3>복리후생</h3>
<label><input type="checkbox"> 숙소 제공</label><label><input type="checkbox"> 항공권 지원</label></aside>
<main><h1>검색 결과 ${cards.length}건</h1><ul class="job-list">${cards.join('')}</ul></main>
<footer>취업사기 신고: 경찰청 112</footer></body></html>`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}
