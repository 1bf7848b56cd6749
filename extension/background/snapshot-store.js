//! The compiled classifier snapshot in IndexedDB (one record, the latest), so that a wake-up loads the classifier
//! by copying its tables instead of compiling the pack in unoptimised Wasm. IndexedDB keeps an ArrayBuffer as it
//! is, in the Chromium service worker and in the Firefox event page alike; nothing leaves the browser.
//!
//! Record: `{ key, bytes: ArrayBuffer, at }` where `key` names the build, the engine, the extension version and
//! the pack (source, version, digest) the snapshot was made from; see classifier.js.

const DB = 'jobguard';
const STORE = 'snapshots';
const ID = 'classifier';

let opened = null;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function db() {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB does not open'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked'));
  }).catch((e) => {
    opened = null; // let a later call try again
    throw e;
  });
  return opened;
}

/** The stored snapshot record, or null. */
export async function readSnapshot() {
  const store = (await db()).transaction(STORE, 'readonly').objectStore(STORE);
  return (await request(store.get(ID))) ?? null;
}

/** Replaces the stored snapshot with `{ key, bytes }`. */
export async function writeSnapshot(key, bytes) {
  const tx = (await db()).transaction(STORE, 'readwrite');
  tx.objectStore(STORE).put({ key, bytes, at: Date.now() }, ID);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}
