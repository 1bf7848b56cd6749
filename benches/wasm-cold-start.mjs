// Wasm cold start and scoring speed in Node (V8, as in Chromium's service worker).
// Usage: node benches/wasm-cold-start.mjs <wasm-bindgen --target web out dir> <pack.json>
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [dir, packPath] = process.argv.slice(2);
const wasmBytes = readFileSync(path.join(dir, 'jobguard_bg.wasm'));
const pack = readFileSync(packPath, 'utf8');
const mod = await import(pathToFileURL(path.resolve(dir, 'jobguard.js')).href);

const parts = [
  '주요 업무: 고객 문의 응대 및 주문 관리. 자격 요건: 관련 학과 졸업. 근무 조건: 주 5일, 4대보험. ',
  'We are looking for a customer support specialist to join our Seoul office. Benefits: health insurance. ',
  'Mô tả công việc: hỗ trợ khách hàng. Kualifikasi: pendidikan minimal D3. 岗位职责：负责客户咨询。',
  '해외 근무 가능자 우대, 항공권 지원, 텔레그램으로 문의 주세요. 월 1,500만원 이상 가능. ',
];
const page = (size) => {
  let text = '';
  for (let i = 0; text.length < size / 2; i++) text += parts[i % parts.length];
  return text;
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`wasm size: ${(wasmBytes.length / 1024).toFixed(1)} KB raw, ${(gzipSync(wasmBytes, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);
console.log(`pack size: ${(pack.length / 1024).toFixed(1)} KB`);

// wasm-bindgen's init looks at the global `Response`; Node builds its fetch (undici) on the first touch of it,
// 20-50 ms that a browser's service worker, whose fetch is native, never pays. Touch it first, timed apart, so
// "instantiate" is the module's own (the figure before this line was added included it).
const tf = performance.now();
void globalThis.Response;
console.log(`node's fetch, loaded on first use (not in a browser): ${(performance.now() - tf).toFixed(1)} ms`);

// The first instantiation in a fresh process is the true cold start; later ones show the steady state.
const t0 = performance.now();
const compiled = await WebAssembly.compile(wasmBytes);
const t1 = performance.now();
await mod.default({ module_or_path: compiled });
const t2 = performance.now();
let c = new mod.Classifier(pack);
const t3 = performance.now();
console.log(`cold start: compile ${(t1 - t0).toFixed(1)} ms + instantiate ${(t2 - t1).toFixed(1)} ms + pack ${(t3 - t2).toFixed(1)} ms = ${(t3 - t0).toFixed(1)} ms`);
// The first page after a wake-up is scored by code still cold too: work moved out of the pack compile into the
// first score would show here.
const first = performance.now();
c.score({ text: page(10_000), lang: 'ko' });
console.log(`first score ~10 KB right after: ${(performance.now() - first).toFixed(1)} ms; cold start + first score = ${(performance.now() - t0).toFixed(1)} ms`);
const packTimes = [];
for (let i = 0; i < 20; i++) {
  const s = performance.now();
  c.free();
  c = new mod.Classifier(pack);
  packTimes.push(performance.now() - s);
}
console.log(`pack compile (warm), median of 20: ${median(packTimes).toFixed(2)} ms`);

for (const size of [10_000, 100_000, 1_000_000]) {
  const text = page(size);
  const input = { text, lang: 'ko' };
  const times = [];
  let v;
  for (let i = 0; i < (size > 500_000 ? 7 : 25); i++) {
    const s = performance.now();
    v = c.score(input);
    times.push(performance.now() - s);
  }
  console.log(`score ~${size / 1000} KB (UTF-8 ${Buffer.byteLength(text) >> 10} KB): median ${median(times).toFixed(2)} ms, level ${v.level}, ${v.matches.length} matches`);
}
