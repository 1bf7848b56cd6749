// Gathers what the classifier reads: the visible text of the page (no script, style or hidden parts), with a
// map from each piece of that text to its DOM text node (so highlights land on the right ranges), the links,
// the JSON-LD blocks and the title. The walk runs in time slices so a huge page never blocks the main thread.
(function (JG) {
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'IFRAME', 'OBJECT', 'CANVAS', 'SVG', 'svg',
    'TEXTAREA', 'SELECT', 'OPTION', 'HEAD', 'JOBGUARD-WARNING']);
  // Elements that flow inside a line: text in them joins its neighbours without a separator ("텔<b>레</b>그램").
  const INLINE = new Set(['A', 'ABBR', 'B', 'BDI', 'BDO', 'CITE', 'CODE', 'DATA', 'DFN', 'EM', 'FONT', 'I', 'KBD',
    'LABEL', 'MARK', 'Q', 'S', 'SAMP', 'SMALL', 'SPAN', 'STRONG', 'SUB', 'SUP', 'TIME', 'U', 'VAR', 'WBR', 'INS', 'DEL']);
  /** Most UTF-16 code units of text sent (a posting is far shorter; this bounds the work on huge pages). */
  JG.MAX_TEXT = 1_000_000;
  /** Length of one main-thread slice of the walk, in ms. */
  JG.SLICE_MS = 8;

  const visible = (el) =>
    typeof el.checkVisibility === 'function'
      ? el.checkVisibility({ visibilityProperty: true })
      : getComputedStyle(el).display !== 'none';

  /** Yields the main thread (scheduler.yield where it exists, else a macrotask). */
  JG.yieldNow = () =>
    globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((r) => setTimeout(r, 0));

  function blockOf(node, cache) {
    let el = node.parentElement;
    const start = el;
    if (cache.has(start)) return cache.get(start);
    while (el && INLINE.has(el.tagName)) el = el.parentElement;
    cache.set(start, el);
    return el;
  }

  /**
   * Walks the page: resolves to `{ text, segments: [{ node, start, end }], links, jsonld, title, hash }`.
   * `segments[i]` says that text[start, end) is node.data.
   */
  JG.collect = async function collect() {
    const root = document.body || document.documentElement;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        if (n.nodeType === 1) {
          if (SKIP.has(n.tagName) || n.hidden || !visible(n)) return NodeFilter.FILTER_REJECT;
          return NodeFilter.FILTER_SKIP;
        }
        return n.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      },
    });
    const parts = [];
    const segments = [];
    const blocks = new Map();
    let length = 0;
    let prevBlock = null;
    let sliceStart = performance.now();
    let node;
    let count = 0;
    while ((node = walker.nextNode())) {
      const block = blockOf(node, blocks);
      if (length > 0 && block !== prevBlock) {
        parts.push('\n');
        length += 1;
      }
      prevBlock = block;
      const data = node.data;
      segments.push({ node, start: length, end: length + data.length });
      parts.push(data);
      length += data.length;
      if (length >= JG.MAX_TEXT) break;
      if ((++count & 63) === 0 && performance.now() - sliceStart > JG.SLICE_MS) {
        await JG.yieldNow();
        sliceStart = performance.now();
      }
    }
    let text = parts.join('');
    if (text.length > JG.MAX_TEXT) text = text.slice(0, JG.MAX_TEXT);
    const links = [];
    for (const a of document.querySelectorAll('a[href]')) {
      if (links.length >= 300) break;
      const href = a.href;
      if (href && href.length <= 2000 && !href.startsWith('javascript:')) {
        links.push({ href, text: (a.textContent || '').trim().slice(0, 200) });
      }
    }
    const jsonld = [];
    for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
      if (jsonld.length >= 10) break;
      const t = s.textContent || '';
      if (t.length <= 100_000) jsonld.push(t);
    }
    const title = (document.title || '').slice(0, 500);
    return { text, segments, links, jsonld, title, hash: JG.hash(`${title}\u0000${text}`) };
  };

  /** A fast 32-bit FNV-1a hash of a string (to tell whether the text changed; not for security). */
  JG.hash = function hash(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0).toString(16) + ':' + s.length;
  };
})(globalThis.__jobguard);
