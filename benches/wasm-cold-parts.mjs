// Where a Wasm cold start's pack compile goes, by difference: the cold pack compile of the pack as it is and of
// copies with parts removed (the model; the regex rules; every phrase; every rule), each in fresh Node processes,
// interleaved, medians. Prints figures; not a test.
// Usage: node benches/wasm-cold-parts.mjs <wasm-bindgen --target web out dir> <pack.json> [runs, default 5]
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [dir, packPath, third] = process.argv.slice(2);

if (third === '--one') {
  // Child: one cold start with the pack at packPath; prints the pack compile's wall time in ms.
  const wasmBytes = readFileSync(path.join(dir, 'jobguard_bg.wasm'));
  const pack = readFileSync(packPath, 'utf8');
  const mod = await import(pathToFileURL(path.resolve(dir, 'jobguard.js')).href);
  void globalThis.Response; // Node's fetch loads on first touch; a browser's is native (see wasm-cold-start.mjs)
  await mod.default({ module_or_path: await WebAssembly.compile(wasmBytes) });
  const t = performance.now();
  new mod.Classifier(pack);
  console.log((performance.now() - t).toFixed(1));
  process.exit(0);
}

const runs = Number(third) || 5;
const p = JSON.parse(readFileSync(packPath, 'utf8'));
const noModel = { ...p, model: undefined };
const variants = {
  'the pack': p,
  'without the model': noModel,
  'without the model and the regex rules': { ...noModel, rules: p.rules.filter((r) => !r.regex) },
  'without the model and every phrase': {
    ...noModel,
    rules: p.rules.filter((r) => r.regex).map((r) => ({ ...r, phrases: [] })),
  },
  'without the model and every rule': { ...noModel, rules: [], combos: [] },
};
const tmp = mkdtempSync(path.join(tmpdir(), 'jobguard-cold-'));
const files = Object.entries(variants).map(([name, v], i) => {
  const f = path.join(tmp, `pack-${i}.json`);
  writeFileSync(f, JSON.stringify(v));
  return [name, f];
});
const self = fileURLToPath(import.meta.url);
const times = Object.fromEntries(files.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, f] of files) {
    const out = execFileSync(process.execPath, [self, dir, f, '--one'], { stdio: ['ignore', 'pipe', 'ignore'] });
    times[name].push(Number(String(out).trim()));
  }
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, ts] of Object.entries(times)) {
  console.log(`cold pack compile, ${name}: median ${median(ts).toFixed(1)} ms (${ts.join(', ')})`);
}
