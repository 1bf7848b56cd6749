// The compiled classifier snapshot as the background keeps it (IndexedDB `jobguard`, store `snapshots`, record
// `classifier`: see extension/background/snapshot-store.js), read and damaged from the service worker. Each
// function runs in the worker (`ext.sw`) as a self-contained source, so each opens the database itself.
import fs from 'node:fs';
import path from 'node:path';
import { EXT_DIR } from './browser.mjs';

/** The build id of the package under test (`BUILD_ID` in its generated config.js). */
export function buildId() {
  const m = /export const BUILD_ID = "([0-9a-f]{32})";/.exec(fs.readFileSync(path.join(EXT_DIR, 'config.js'), 'utf8'));
  if (!m) throw new Error(`no BUILD_ID in ${EXT_DIR}/config.js`);
  return m[1];
}

/** The stored snapshot record as `{ key, size, sum }` (SHA-256 of its bytes, hex), or null. */
export function snapshotRecord(ext) {
  return ext.sw(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('jobguard');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      if (!db.objectStoreNames.contains('snapshots')) return null;
      const rec = await new Promise((resolve, reject) => {
        const req = db.transaction('snapshots').objectStore('snapshots').get('classifier');
        req.onsuccess = () => resolve(req.result ?? null);
        req.onerror = () => reject(req.error);
      });
      if (!rec) return null;
      const sum = [...new Uint8Array(await crypto.subtle.digest('SHA-256', rec.bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { key: rec.key, size: rec.bytes.byteLength, sum };
    } finally {
      db.close();
    }
  });
}

/** Flips one byte in the middle of the stored snapshot (its key kept): damage on disk. */
export function damageSnapshot(ext) {
  return ext.sw(async () => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('jobguard');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      const store = () => db.transaction('snapshots', 'readwrite').objectStore('snapshots');
      const rec = await new Promise((resolve, reject) => {
        const req = store().get('classifier');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const bytes = new Uint8Array(rec.bytes.slice(0));
      bytes[bytes.length >> 1] ^= 0x5a;
      await new Promise((resolve, reject) => {
        const req = store().put({ ...rec, bytes: bytes.buffer }, 'classifier');
        req.onsuccess = resolve;
        req.onerror = () => reject(req.error);
      });
    } finally {
      db.close();
    }
  });
}
