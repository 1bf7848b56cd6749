//! Network helpers of the background: fetch with a time-out, bodies read as a stream up to a size limit.

/** An error with a short message meant for the reader (shown in the options and the popup). */
export class FetchError extends Error {
  constructor(message, { retry = true } = {}) {
    super(message);
    this.name = 'FetchError';
    /** Whether trying again later may help (network down, 5xx), as opposed to a refusal. */
    this.retry = retry;
  }
}

/**
 * `fetch` that gives up after `timeoutMs`; network failures become a `FetchError`. `init.signal` may cancel it
 * earlier (the error then has `cancelled: true`).
 */
export async function fetchWithTimeout(url, init = {}, timeoutMs = 15000) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const outer = init.signal;
  const cancel = () => ctl.abort();
  outer?.addEventListener('abort', cancel);
  try {
    // No cookies or credentials ever go with our requests.
    return await fetch(url, { credentials: 'omit', cache: 'no-store', ...init, signal: ctl.signal });
  } catch (e) {
    if (outer?.aborted) throw Object.assign(new FetchError('cancelled'), { cancelled: true });
    if (ctl.signal.aborted) throw new FetchError(`no answer from ${new URL(url).host} within ${timeoutMs / 1000} s`);
    throw new FetchError(`cannot reach ${new URL(url).host} (${e.message})`);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', cancel);
  }
}

/**
 * Reads a response body as UTF-8 text, stopping as soon as it passes `limit` bytes (the declared length is
 * not trusted: a server may lie or stream without one).
 */
export async function readLimited(res, limit) {
  const declared = Number(res.headers.get('content-length'));
  if (declared > limit) {
    await res.body?.cancel().catch(() => {});
    throw new FetchError(`too large: ${declared} bytes (limit ${limit})`, { retry: false });
  }
  const reader = res.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new FetchError(`too large: more than ${limit} bytes`, { retry: false });
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw new FetchError('not UTF-8 text', { retry: false });
  }
}

/** Back-off after `failures` failures in a row: 1 min, 2, 4 ... up to `maxMs`. */
export function backoffMs(failures, maxMs = 6 * 3600 * 1000) {
  return Math.min(maxMs, 60_000 * 2 ** Math.max(0, failures - 1));
}
