// Wasm cold start through a compiled snapshot against the pack's JSON, each in fresh Node processes (V8 as in
// Chromium's service worker), interleaved; prints medians and ranges. Not a test.
// Usage: node benches/wasm-snapshot.mjs <wasm-bindgen --target web out dir> <pack.json> [runs=7] [signed pack envelope]
//   per run and path: compile + instantiate the module, then `new Classifier(packJson)` or
//   `Classifier.fromSnapshot(bytes)`, then the first score of a ~10 KB page (regexes a snapshot leaves to their
//   first use compile there). With an envelope, also `checkSignedPack` (what a wake-up with an updated pack
//   runs before loading its snapshot) and `verifySignedPack` (the JSON path's check, which compiles the pack).
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const parts = [
  '주요 업무: 고객 문의 응대 및 주문 관리. 자격 요건: 관련 학과 졸업. 근무 조건: 주 5일, 4대보험. ',
  'We are looking for a customer support specialist to join our Seoul office. Benefits: health insurance. ',
  'Mô tả công việc: hỗ trợ khách hàng. Kualifikasi: pendidikan minimal D3. 岗位职责：负责客户咨询。',
  '해외 근무 가능자 우대, 항공권 지원, 텔레그램으로 문의 주세요. 월 1,500만원 이상 가능. ',
];
function page(size) {
  let text = '';
  for (let i = 0; text.length < size / 2; i++) text += parts[i % parts.length];
  return text;
}

/** One fresh process: times one path and prints a JSON line. */
async function child(mode, dir, packPath, snapPath, envPath) {
  const wasmBytes = readFileSync(path.join(dir, 'jobguard_bg.wasm'));
  const input = mode === 'json' ? readFileSync(packPath, 'utf8') : new Uint8Array(readFileSync(snapPath));
  const envelope = envPath ? readFileSync(envPath, 'utf8') : null;
  const mod = await import(pathToFileURL(path.resolve(dir, 'jobguard.js')).href);
  void globalThis.Response; // Node loads its fetch on first touch; a browser does not pay it (see wasm-cold-start.mjs)
  const t0 = performance.now();
  const compiled = await WebAssembly.compile(wasmBytes);
  const t1 = performance.now();
  await mod.default({ module_or_path: compiled });
  const t2 = performance.now();
  const keys = [readFileSync('keys/dev.public', 'utf8').trim()];
  let check = null;
  if (envelope && mode === 'snapshot') check = mod.checkSignedPack(envelope, keys, Math.floor(Date.now() / 1000), 0);
  const t3 = performance.now();
  const c = mode === 'json' ? new mod.Classifier(input) : mod.Classifier.fromSnapshot(input);
  const t4 = performance.now();
  const v = c.score({ text: page(10_000), lang: 'ko' });
  const t5 = performance.now();
  const out = { compile: t1 - t0, instantiate: t2 - t1, load: t4 - t3, cold: t4 - t0 - (t3 - t2), first: t5 - t4, level: v.level, score: v.score };
  if (check) out.check = t3 - t2;
  if (mode === 'json') {
    const s = performance.now();
    const snap = c.snapshot();
    out.snapshot = performance.now() - s;
    writeFileSync(snapPath, snap);
    if (envelope) {
      const s2 = performance.now();
      mod.verifySignedPack(envelope, keys, Math.floor(Date.now() / 1000), 0);
      out.verify = performance.now() - s2;
    }
  }
  console.log(JSON.stringify(out));
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)})`;

if (process.argv[2] === '--child') {
  await child(...process.argv.slice(3));
} else {
  const [dir, packPath, runsArg, envPath] = process.argv.slice(2);
  const runs = Number(runsArg) || 7;
  const snapPath = path.join(mkdtempSync(path.join(tmpdir(), 'jg-snap-')), 'classifier.snap');
  const run = (mode) =>
    JSON.parse(execFileSync(process.execPath, [process.argv[1], '--child', mode, dir, packPath, snapPath, envPath ?? ''], { encoding: 'utf8' }).trim().split('\n').at(-1));
  run('json'); // writes the snapshot
  const snap = readFileSync(snapPath);
  console.log(`snapshot: ${snap.length} B raw, ${gzipSync(snap, { level: 9 }).length} B gzipped (pack JSON ${readFileSync(packPath).length} B)`);
  const res = { json: [], snapshot: [] };
  for (let i = 0; i < runs; i++) for (const mode of ['json', 'snapshot']) res[mode].push(run(mode));
  for (const mode of ['json', 'snapshot']) {
    const r = res[mode];
    const col = (k) => fmt(r.map((x) => x[k]));
    console.log(`${mode} (${runs} fresh processes, median (min-max) ms): compile ${col('compile')} + instantiate ${col('instantiate')} + ${mode === 'json' ? 'new Classifier(pack)' : 'fromSnapshot'} ${col('load')} = cold start ${col('cold')}; first 10 KB score ${col('first')}; cold start + first score ${fmt(r.map((x) => x.cold + x.first))}; verdict ${r[0].level} ${r[0].score}`);
    if (mode === 'json') console.log(`  snapshot() right after the cold compile: ${col('snapshot')} ms${r[0].verify !== undefined ? `; verifySignedPack (checks and compiles) ${col('verify')} ms` : ''}`);
    if (mode === 'snapshot' && r[0].check !== undefined) console.log(`  checkSignedPack before it (an updated pack's wake-up): ${col('check')} ms`);
  }
}
