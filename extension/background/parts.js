//! A large page input arrives from the content script in parts (one message of a few MB is a single long copy
//! on the page's thread; parts of 128 K characters are sent with pauses between them). This keeps, per frame of a
//! tab, the parts of the one input being sent, and joins them when the `score` request with the last part comes.
//! Pure, so it is tested in Node.

import { MAX_JSON } from './messages.js';

/** The parts of inputs being sent, per sender ("tabId:frameId"): at most one input each. */
export class Parts {
  constructor() {
    this.pending = new Map();
  }

  /** Keeps part `seq` of input `id` from `sender`; a new id drops what was kept for an older one. */
  add(sender, id, seq, data) {
    let p = this.pending.get(sender);
    if (!p || p.id !== id) {
      p = { id, chunks: [], size: 0 };
      this.pending.set(sender, p);
    }
    if (p.chunks[seq] === undefined) p.size += data.length;
    p.chunks[seq] = data;
    if (p.size > MAX_JSON) {
      this.pending.delete(sender);
      return false;
    }
    return true;
  }

  /**
   * The whole input: the `count - 1` parts kept for `id`, then `last`; null when a part is missing (or the id is
   * not the one kept). Either way nothing is kept afterwards.
   */
  join(sender, id, count, last) {
    const p = this.pending.get(sender);
    this.pending.delete(sender);
    if (!p || p.id !== id || p.chunks.length !== count - 1) return null;
    for (let i = 0; i < count - 1; i++) if (typeof p.chunks[i] !== 'string') return null;
    if (p.size + last.length > MAX_JSON) return null;
    return p.chunks.join('') + last;
  }

  /** Forgets a sender's parts (the tab closed, or its frame left). */
  forget(prefix) {
    for (const k of [...this.pending.keys()]) if (k === prefix || k.startsWith(`${prefix}:`)) this.pending.delete(k);
  }
}
