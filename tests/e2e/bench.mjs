#!/usr/bin/env node
// In-browser benchmarks of the built extension in Debian's Chromium (prints figures; not a test):
//   - Wasm size, raw and gzipped;
//   - Wasm cold start: compile + instantiate the module and compile the pack (new Classifier), in the service
//     worker where it can be measured there, and in an extension page with the shipped wasm-bindgen glue;
//   - time from page load to the warning on a lure page, with the service worker running and stopped first;
//   - main-thread time of the content script on a 100 KB and a 1 MB job page (from a Chromium trace: the renderer
//     main-thread tasks that ran the content script's code), and whether any of them was a long task (>= 50 ms);
//   - the same on a generated ~1 MB result list (about 500 cards, one lure card), and the time from the load
//     event to the lure card's marker.
// Usage: node tests/e2e/bench.mjs [runs]   (default 5 runs of each page measurement)
//        BENCH_ONLY=list node tests/e2e/bench.mjs [runs]   (only the 1 MB result list)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, EXT_DIR, waitFor, extensionBuilt, stopWorker } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';
import { packInPackage } from './lib/harness.mjs';

const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 5);

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: s[0], median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}
const ms = (x) => `${x.toFixed(1)} ms`;
function line(label, xs) {
  const s = stats(xs);
  console.log(`${label.padEnd(52)} median ${ms(s.median).padStart(10)}  min ${ms(s.min).padStart(10)}  max ${ms(s.max).padStart(10)}  (n=${s.n})`);
}

function wasmSize() {
  const file = path.join(EXT_DIR, 'wasm', 'jobguard_bg.wasm');
  const raw = fs.readFileSync(file);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB (${n} bytes)`;
  const zl = zlib.gzipSync(raw, { level: 9 }).length;
  // GNU gzip compresses this module ~2% better than Node's zlib; both are printed so figures compare.
  let cli = null;
  try {
    cli = execFileSync('gzip', ['-9c', file], { maxBuffer: 64 * 1024 * 1024 }).length;
  } catch {
    // no gzip binary: the zlib figure stands alone
  }
  console.log(`Wasm ${path.relative(process.cwd(), file)}: ${kb(raw.length)} raw`);
  console.log(`  gzipped: ${cli != null ? `${kb(cli)} with gzip -9, ` : ''}${kb(zl)} with Node zlib level 9`);
}

/** Cold start in an extension page: import the glue, init (fetch + compile + instantiate), compile the pack. */
async function coldStartPage(ext) {
  const page = await ext.context.newPage();
  try {
    await page.goto(ext.optionsUrl());
    return await page.evaluate(async (packPath) => {
      let packText = await (await fetch(chrome.runtime.getURL(packPath))).text();
      // The package may bundle the pack signed: the classifier takes the pack inside the envelope.
      const parsed = JSON.parse(packText);
      if (parsed.format === 'jobguard-signed-pack') packText = parsed.pack;
      // A fresh copy of the glue each time (query string), so every run instantiates a new module.
      const m = await import(chrome.runtime.getURL(`wasm/jobguard.js?run=${Math.random()}`));
      const t0 = performance.now();
      await m.default({ module_or_path: chrome.runtime.getURL('wasm/jobguard_bg.wasm') });
      const t1 = performance.now();
      const c = new m.Classifier(packText);
      const t2 = performance.now();
      c.score({ text: '해외 고수익 알바 모집, 항공권 제공, 텔레그램 문의', lang: 'ko' });
      const t3 = performance.now();
      return { init: t1 - t0, pack: t2 - t1, firstScore: t3 - t2 };
    }, packInPackage());
  } finally {
    await page.close();
  }
}

/** Compiling the module in the service worker itself (the glue is a module the worker imported, not reachable). */
async function compileInWorker(ext) {
  return ext.sw(async () => {
    const bytes = await (await fetch(chrome.runtime.getURL('wasm/jobguard_bg.wasm'))).arrayBuffer();
    const t0 = performance.now();
    await WebAssembly.compile(bytes);
    return performance.now() - t0;
  });
}

async function loadToWarning(ext, url) {
  const page = await ext.context.newPage();
  try {
    await page.goto(url);
    const at = await waitFor(() => page.evaluate(() => window.__jobguardWarningAt), { message: 'the warning' });
    const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
    return { fromStart: at, fromDcl: at - nav.domContentLoadedEventEnd, fromLoad: at - nav.loadEventEnd };
  } finally {
    await page.close();
  }
}

/**
 * Traces a page load and sums the renderer main-thread tasks in which the content script's code ran. With
 * `marker`, also waits for the first card marker and returns when it came (ms after navigation start and after
 * the load event's end).
 */
async function contentScriptTime(ext, url, { waitMarker = false } = {}) {
  const page = await ext.context.newPage();
  const cdp = await ext.context.newCDPSession(page);
  const events = [];
  let pageLong = [];
  let markerAt = null;
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  try {
    await cdp.send('Tracing.start', {
      traceConfig: {
        // The V8 sampling profiler too: a task resumed after an await (scheduler.yield, a message's answer) runs our
        // code as a microtask, which no trace event names by URL; its samples do.
        includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'toplevel', '__metadata',
          'disabled-by-default-v8.cpu_profiler'],
      },
      transferMode: 'ReportEvents',
    });
    await page.goto(url);
    await ext.waitVerdict(page, () => true, { timeout: 30000 });
    if (waitMarker) {
      const at = await waitFor(() => page.evaluate(() => window.__jobguardMarkerAt), { timeout: 30000, message: 'the marker' });
      const nav = await page.evaluate(() => performance.getEntriesByType('navigation')[0].toJSON());
      markerAt = { fromStart: at, fromLoad: at - nav.loadEventEnd };
    }
    // Let the batched, time-boxed follow-up work (highlights, observers) finish before the trace ends.
    await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(), { timeout: 2000 })));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    pageLong = await page.evaluate(() => window.__jobguardLongTasks ?? []);
  } finally {
    await cdp.detach().catch(() => {});
    await page.close();
  }
  const marker = `chrome-extension://${ext.id}/`;
  const marked = events.filter((e) => e.ph === 'X' && e.args && JSON.stringify(e.args).includes(marker));
  const mains = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = marked.filter((e) => mains.has(`${e.pid}:${e.tid}`));
  const runTasks = events.filter((t) => t.name === 'RunTask' && t.ph === 'X' && mains.has(`${t.pid}:${t.tid}`));
  const taskAt = (pid, tid, ts, dur = 0) => runTasks.find((t) => t.pid === pid && t.tid === tid && t.ts <= ts && t.ts + t.dur >= ts + dur);
  const tasks = new Map(); // key -> { dur, own }: the task's length, and our sampled time in it (ms)
  const add = (task, e) => {
    const key = task ? `${task.pid}:${task.tid}:${task.ts}` : `${e.pid}:${e.tid}:${e.ts}`;
    if (!tasks.has(key)) tasks.set(key, { dur: (task ?? e).dur / 1000, own: 0 });
    return tasks.get(key);
  };
  for (const e of onMain) add(taskAt(e.pid, e.tid, e.ts, e.dur ?? 0), e);
  // Samples of the renderers' main threads whose stack holds a frame of our scripts; the tasks they fall in are
  // ours too, and the samples say how much of such a task was our own code (the rest: the page's parsing,
  // layout or scripts that happened to share the task, or layout and GC our code caused).
  for (const smp of oursBySamples(events, marker, mains)) {
    const task = taskAt(smp.pid, smp.tid, smp.ts);
    if (task) add(task, smp).own += smp.ms;
  }
  // Direct JS time of the content script (script evaluation and callbacks), without the layout it forced.
  const direct = onMain
    .filter((e) => e.name === 'EvaluateScript' || e.name === 'FunctionCall')
    .reduce((sum, e) => sum + e.dur / 1000, 0);
  const all = [...tasks.values()];
  const durs = all.map((t) => t.dur);
  const longestTask = all.reduce((a, t) => (!a || t.dur > a.dur ? t : a), null);
  return {
    total: durs.reduce((a, b) => a + b, 0), longest: Math.max(0, ...durs), tasks: durs.length, direct, pageLong, markerAt,
    ownInLongest: longestTask?.own ?? 0, longestOwn: Math.max(0, ...all.map((t) => t.own)),
  };
}

/**
 * From the V8 profiler's chunks in a trace: the samples on the main threads (`mains`, "pid:tid") whose stack has a
 * frame from a script under `prefix`, as `[{ pid, tid, ts, ms }]` (ts in trace microseconds, ms: the sample's
 * share of time).
 */
function oursBySamples(events, prefix, mains) {
  const profiles = new Map(); // "pid:id" -> { pid, tid, time, nodes: Map(id -> {url, parent}), memo, out }
  for (const e of events) {
    if (e.name !== 'Profile' && e.name !== 'ProfileChunk') continue;
    const key = `${e.pid}:${e.id}`;
    let p = profiles.get(key);
    if (!p) {
      p = { pid: e.pid, tid: e.tid, time: 0, nodes: new Map(), memo: new Map(), out: [] };
      profiles.set(key, p);
    }
    if (e.name === 'Profile') {
      p.time = e.args?.data?.startTime ?? e.ts;
      p.tid = e.tid;
      continue;
    }
    const data = e.args?.data ?? {};
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, { url: n.callFrame?.url ?? '', parent: n.parent });
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      p.time += deltas[i] ?? 0;
      if (isOurs(p, samples[i], prefix)) p.out.push({ pid: p.pid, tid: p.tid, ts: p.time, ms: (deltas[i + 1] ?? deltas[i] ?? 0) / 1000 });
    }
  }
  return [...profiles.values()].filter((p) => mains.has(`${p.pid}:${p.tid}`)).flatMap((p) => p.out);
}

function isOurs(p, id, prefix) {
  if (p.memo.has(id)) return p.memo.get(id);
  const n = p.nodes.get(id);
  const v = Boolean(n) && (n.url.startsWith(prefix) || (n.parent != null && isOurs(p, n.parent, prefix)));
  p.memo.set(id, v);
  return v;
}

async function main() {
  if (!extensionBuilt()) {
    console.error(`no built extension in ${EXT_DIR}: run ./build.sh first`);
    process.exit(1);
  }
  wasmSize();
  const server = await startServer();
  const ext = await launch({ lang: 'ko' });
  try {
    await ext.setSettings({ uiLang: 'ko', country: 'KR' });
    // Marks, in the page's own world, the moment the warning host is attached.
    await ext.context.addInitScript(() => {
      // Long tasks of the page from any cause (its own parsing and layout included), for comparison.
      window.__jobguardLongTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__jobguardLongTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
      // The moments the warning host and the first card marker are attached (added nodes only: cheap).
      new MutationObserver((records, o) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (n.nodeName === 'JOBGUARD-WARNING') window.__jobguardWarningAt ??= performance.now();
            if (n.nodeName === 'JOBGUARD-MARKER') window.__jobguardMarkerAt ??= performance.now();
          }
        }
        if (window.__jobguardWarningAt && window.__jobguardMarkerAt) o.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });

    if (process.env.BENCH_ONLY !== 'list') await pageFigures(ext, server);
    await listFigures(ext, server);
  } finally {
    await ext.close();
    await server.close();
  }
}

/** Wasm cold start, load to warning, and content-script time on postings of several sizes. */
async function pageFigures(ext, server) {
  const init = [];
  const pack = [];
  const first = [];
  const swCompile = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await coldStartPage(ext);
    init.push(r.init);
    pack.push(r.pack);
    first.push(r.firstScore);
    swCompile.push(await compileInWorker(ext));
  }
  console.log('\nWasm cold start');
  line('  service worker: WebAssembly.compile', swCompile);
  line('  extension page: init (fetch, compile, instantiate)', init);
  line('  extension page: new Classifier(pack)', pack);
  line('  extension page: first score', first);

  console.log('\nPage load to warning (Korean lure page, ko-lure.html)');
  const w = [];
  for (let i = 0; i < RUNS; i++) w.push(await loadToWarning(ext, `${server.url}/ko-lure.html`));
  line('  from navigation start', w.map((x) => x.fromStart));
  line('  from DOMContentLoaded', w.map((x) => x.fromDcl));
  line('  from load event end', w.map((x) => x.fromLoad));
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    await stopWorker(ext);
    cold.push(await loadToWarning(ext, `${server.url}/ko-lure.html`));
  }
  line('  service worker stopped first: from navigation start', cold.map((x) => x.fromStart));
  line('  service worker stopped first: from load event end', cold.map((x) => x.fromLoad));

  for (const [label, kb, lure] of [['typical posting (legit-ko.html)', 0, 0], ['100 KB job page', 100, 1], ['1 MB job page', 1024, 1]]) {
    const url = kb ? `${server.url}/gen/page.html?kb=${kb}&lure=${lure}` : `${server.url}/legit-ko.html`;
    const rs = [];
    for (let i = 0; i < RUNS; i++) rs.push(await contentScriptTime(ext, url));
    console.log(`\nContent script main-thread time, ${label}`);
    line('  tasks running content-script code, total', rs.map((r) => r.total));
    line('  longest such task', rs.map((r) => r.longest));
    line('  content-script JS alone (no layout it forced)', rs.map((r) => r.direct));
    line('  our own code in that longest task (sampled)', rs.map((r) => r.ownInLongest));
    line('  most of our own code in any one task (sampled)', rs.map((r) => r.longestOwn));
    const long = rs.filter((r) => r.longest >= 50).length;
    console.log(`  long tasks (>= 50 ms) with content-script code: ${long} of ${rs.length} loads`);
    const all = rs.flatMap((r) => r.pageLong);
    console.log(`  page-wide long tasks, any cause (PerformanceObserver): ${all.length} in ${rs.length} loads` +
      (all.length ? `, longest ${ms(Math.max(...all))}` : ''));
  }

}

/** A ~1 MB result list: content-script time and the time to the lure card's marker. */
async function listFigures(ext, server) {
  // A ~1 MB result list: hundreds of cards, one lure card in the middle; the content script walks the page,
  // builds the outline and sends it; the background reads every card; the lure card gets its marker.
  const listUrl = `${server.url}/gen/list.html?kb=1024&lure=1`;
  const cards = await (await fetch(listUrl)).text().then((h) => (h.match(/<li class="job-item"/g) ?? []).length);
  const rs = [];
  for (let i = 0; i < RUNS; i++) rs.push(await contentScriptTime(ext, listUrl, { waitMarker: true }));
  console.log(`\nContent script main-thread time, 1 MB result list (${cards} cards, one lure)`);
  line('  tasks running content-script code, total', rs.map((r) => r.total));
  line('  longest such task', rs.map((r) => r.longest));
  line('  content-script JS alone (no layout it forced)', rs.map((r) => r.direct));
  line('  our own code in that longest task (sampled)', rs.map((r) => r.ownInLongest));
  line('  most of our own code in any one task (sampled)', rs.map((r) => r.longestOwn));
  console.log(`  long tasks (>= 50 ms) with content-script code: ${rs.filter((r) => r.longest >= 50).length} of ${rs.length} loads`);
  const all = rs.flatMap((r) => r.pageLong);
  console.log(`  page-wide long tasks, any cause (PerformanceObserver): ${all.length} in ${rs.length} loads` +
    (all.length ? `, longest ${ms(Math.max(...all))}` : ''));
  line('  load event end to the lure card\'s marker', rs.map((r) => r.markerAt.fromLoad));
  line('  navigation start to the lure card\'s marker', rs.map((r) => r.markerAt.fromStart));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
