//! The Wasm classifier in the background: instantiated once per wake-up, built from the accepted pack in
//! storage.local (re-checked against the embedded keys) or else from the bundled pack, which is the floor.
//!
//! After a pack is compiled from its JSON, a compiled snapshot of the classifier is kept in IndexedDB
//! (snapshot-store.js), keyed by the build, the engine, the extension version and the pack (source, version,
//! digest). A later wake-up that settles on the same pack (the stored pack's signature, dates and version checked
//! exactly as before) loads that snapshot instead of compiling the pack; a missing, stale or damaged snapshot, or
//! one of another build, falls back to the JSON compile, which writes the snapshot again. The snapshot is only
//! ever made from a verified pack (the bundled one, or one the updater or this wake-up verified).

import init, { Classifier, verifySignedPack, checkSignedPack, engineVersion } from '../wasm/jobguard.js';
import { api, session } from '../platform.js';
import { TRUSTED_KEYS, BUILD_ID } from '../config.js';
import { readSnapshot, writeSnapshot } from './snapshot-store.js';

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

/** What a snapshot is kept under: the build (its Wasm module and bundled pack, see config.js), the engine, the
 *  extension version and the pack it was made from. Version numbers alone would let an unpacked build with new
 *  rules or a new engine but the same numbers load the last build's snapshot. */
function snapshotKey(source, version, digest) {
  return JSON.stringify([BUILD_ID, engineVersion(), api.runtime.getManifest().version, source, version, digest]);
}

/** How the classifier of this wake-up was loaded, in session storage (`engine`): `{ from, ms, packVersion, source }`. */
function noteLoad(rec, t0) {
  session.set({ engine: { from: rec.from, ms: Math.round(performance.now() - t0), packVersion: rec.version, source: rec.source } }).catch(() => {});
  return rec;
}

/** Writes the snapshot of a classifier just compiled from a verified pack, after the current task (the reader's
 *  first verdict does not wait for it). A failure only costs the next wake-up a JSON compile. */
function keepSnapshot(classifier, key) {
  setTimeout(() => {
    try {
      const bytes = classifier.snapshot();
      writeSnapshot(key, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).catch((e) =>
        console.warn(`JobGuard: the compiled snapshot is not stored (${e.message})`),
      );
    } catch (e) {
      console.warn(`JobGuard: no compiled snapshot (${e.message})`); // e.g. the classifier was replaced meanwhile
    }
  }, 0);
}

function make(packText, version, source, key) {
  const classifier = new Classifier(packText);
  if (key) keepSnapshot(classifier, key);
  return { classifier, version, source, info: classifier.info(), from: 'pack' };
}

/** The classifier from the stored snapshot when it was made from this very pack, else null. */
async function fromSnapshot(key, version, source) {
  let rec = null;
  try {
    rec = await readSnapshot();
  } catch (e) {
    console.warn(`JobGuard: the compiled snapshot cannot be read (${e.message})`);
  }
  if (!rec || rec.key !== key) return null;
  let classifier = null;
  try {
    classifier = Classifier.fromSnapshot(new Uint8Array(rec.bytes));
    const info = classifier.info();
    if (info.version !== version) throw new Error(`it holds pack ${info.version}, not ${version}`);
    return { classifier, version, source, info, from: 'snapshot' };
  } catch (e) {
    classifier?.free();
    console.warn(`JobGuard: the compiled snapshot is refused (${e.message}); compiling the pack`);
    return null;
  }
}

async function load() {
  const t0 = performance.now();
  await wasm();
  const b = await bundledPack();
  const { pack } = await api.storage.local.get('pack');
  if (pack && typeof pack.envelope === 'string' && Number(pack.version) > b.version) {
    try {
      // Checked again at each wake-up: storage is not a trusted channel. The time is that of acceptance, so a
      // pack that was valid when accepted stays in use until a newer one arrives.
      const at = Math.floor((Number(pack.acceptedAt) || Date.now()) / 1000);
      const head = checkSignedPack(pack.envelope, [...TRUSTED_KEYS], at, b.version + 1);
      const key = snapshotKey('update', head.version, head.sha256);
      const snap = await fromSnapshot(key, head.version, 'update');
      if (snap) return noteLoad(snap, t0);
      // No usable snapshot: the envelope is checked (signature over the pack's digest, dates, version), so its
      // pack is compiled once, here, rather than by verifySignedPack and again by make(). A pack that does not
      // compile throws as there, and the bundled pack is used.
      const packText = JSON.parse(pack.envelope).pack;
      if (typeof packText !== 'string') throw new Error('the envelope holds no pack');
      return noteLoad(make(packText, head.version, 'update', key), t0);
    } catch (e) {
      console.warn(`JobGuard: the stored pack is refused (${e.message}); using the bundled pack`);
    }
  }
  const key = snapshotKey('bundled', b.version, 'bundled');
  const snap = await fromSnapshot(key, b.version, 'bundled');
  if (snap) return noteLoad(snap, t0);
  return noteLoad(make(b.text, b.version, 'bundled', key), t0);
}

/** The classifier in use (created on first call after a wake-up). */
export function current() {
  active ??= load().catch((e) => {
    active = null; // let the next call try again instead of caching the failure
    throw e;
  });
  return active;
}

/** Switches to a pack that the updater verified (`sha256`: its digest from the signed header); returns the new
 *  classifier's record. */
export async function switchTo(packText, version, sha256) {
  await wasm();
  const next = make(packText, version, 'update', sha256 ? snapshotKey('update', version, sha256) : null);
  const prev = await active?.catch(() => null);
  active = Promise.resolve(next);
  prev?.classifier.free();
  return next;
}

/** Checks a signed envelope in Wasm with the embedded keys; returns `{ version, created, expires, keyId, sha256, pack }`. */
export async function verify(envelope, nowSeconds, minVersion) {
  await wasm();
  return verifySignedPack(envelope, [...TRUSTED_KEYS], nowSeconds, minVersion);
}
