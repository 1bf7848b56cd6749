//! The Wasm classifier in the background: instantiated once per wake-up, built from the accepted pack in
//! storage.local (re-checked against the embedded keys) or else from the bundled pack, which is the floor.

import init, { Classifier, verifySignedPack } from '../wasm/jobguard.js';
import { api } from '../platform.js';
import { TRUSTED_KEYS } from '../config.js';

let wasmReady = null;
let active = null; // Promise<{ classifier, version, source: 'bundled'|'update', info }>
let bundled = null; // Promise<{ text, version }>

/** Instantiates the Wasm module (once per wake-up). */
export function wasm() {
  wasmReady ??= init({ module_or_path: api.runtime.getURL('wasm/jobguard_bg.wasm') });
  return wasmReady;
}

/** The pack shipped in the package and its version: the lowest version ever used. */
export function bundledPack() {
  bundled ??= (async () => {
    const text = await (await fetch(api.runtime.getURL('pack.json'))).text();
    return { text, version: Number(JSON.parse(text).version) || 0 };
  })();
  return bundled;
}

function make(packText, version, source) {
  const classifier = new Classifier(packText);
  return { classifier, version, source, info: classifier.info() };
}

async function load() {
  await wasm();
  const b = await bundledPack();
  const { pack } = await api.storage.local.get('pack');
  if (pack && typeof pack.envelope === 'string' && Number(pack.version) > b.version) {
    try {
      // Checked again at each wake-up: storage is not a trusted channel. The time is that of acceptance, so a
      // pack that was valid when accepted stays in use until a newer one arrives.
      const at = Math.floor((Number(pack.acceptedAt) || Date.now()) / 1000);
      const ok = verifySignedPack(pack.envelope, [...TRUSTED_KEYS], at, b.version + 1);
      return make(ok.pack, ok.version, 'update');
    } catch (e) {
      console.warn(`JobGuard: the stored pack is refused (${e.message}); using the bundled pack`);
    }
  }
  return make(b.text, b.version, 'bundled');
}

/** The classifier in use (created on first call after a wake-up). */
export function current() {
  active ??= load().catch((e) => {
    active = null; // let the next call try again instead of caching the failure
    throw e;
  });
  return active;
}

/** Switches to a pack that the updater verified; returns the new classifier's record. */
export async function switchTo(packText, version) {
  await wasm();
  const next = make(packText, version, 'update');
  const prev = await active?.catch(() => null);
  active = Promise.resolve(next);
  prev?.classifier.free();
  return next;
}

/** Checks a signed envelope in Wasm with the embedded keys; returns `{ version, created, expires, keyId, pack }`. */
export async function verify(envelope, nowSeconds, minVersion) {
  await wasm();
  return verifySignedPack(envelope, [...TRUSTED_KEYS], nowSeconds, minVersion);
}
