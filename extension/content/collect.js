// Gathers what the classifier reads (docs/interfaces.md, "Page reading"): the visible text of the page (no
// script, style or hidden parts), the page's outline (the elements that carry that text, with their text
// ranges, for the Rust side to find the posting or the cards), the links (each with its node), the JSON-LD
// blocks and the title; plus, kept here, a map from each piece of the text to its DOM text node (highlights)
// and from each outline node to its element (card markers). One iterative walk with an explicit stack (so each
// element's end offset is known when it is left), in time slices so a huge page never blocks the main thread.
(function (JG) {
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'canvas', 'svg', 'textarea',
    'select', 'option', 'head', 'jobguard-warning', 'jobguard-marker']);
  // Elements that flow inside a line: text in them joins its neighbours without a separator ("텔<b>레</b>그램").
  const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd',
    'label', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'ins', 'del']);
  // The attributes the outline carries (besides id and class); `href` only on links.
  const ATTRS = new Set(['role', 'itemprop', 'itemtype', 'aria-label', 'data-testid', 'data-automation', 'data-qa',
    'data-test', 'data-jk', 'data-job-id', 'data-id']);
  const NON_SPACE = /\S/;
  /** Most UTF-16 code units of text sent (a posting is far shorter; this bounds the work on huge pages). */
  JG.MAX_TEXT = 1_000_000;
  /** Most outline nodes sent (a node past the cut is dropped; its text still counts for its ancestors). */
  JG.MAX_NODES = 100_000;
  /** Most links sent (the background accepts as many). */
  JG.MAX_LINKS = 2000;
  /** Longest id, class or attribute value kept (longer ones are cut). */
  const MAX_ATTR = 1000;
  /** Length of one main-thread slice of the walk, in ms. */
  JG.SLICE_MS = 6;

  // A `display: contents` element has no box of its own, so checkVisibility() calls it invisible, yet its
  // children are shown: it is walked (rare, so the extra style read costs little).
  const visible = (el) => {
    if (typeof el.checkVisibility !== 'function') return getComputedStyle(el).display !== 'none';
    return el.checkVisibility({ visibilityProperty: true }) || getComputedStyle(el).display === 'contents';
  };

  /** Yields the main thread (scheduler.yield where it exists, else a macrotask). */
  JG.yieldNow = () =>
    globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((r) => setTimeout(r, 0));

  /**
   * Resolves just after the browser drew a frame, when the page's style and layout are up to date: our first
   * style read (checkVisibility) then finds nothing to recompute, instead of recomputing the whole page inside our
   * task. A hidden tab draws no frames: at most 100 ms are waited.
   */
  JG.afterFrame = () =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, 100);
      requestAnimationFrame(() =>
        setTimeout(() => {
          clearTimeout(timer);
          resolve();
        }, 0),
      );
    });

  const cut = (s) => (s.length > MAX_ATTR ? s.slice(0, MAX_ATTR) : s);

  function attrsOf(el, isLink) {
    let out = null;
    const list = el.attributes;
    for (let i = 0; i < list.length; i++) {
      const name = list[i].name;
      if (ATTRS.has(name) || (isLink && name === 'href')) (out ??= {})[name] = cut(list[i].value);
    }
    return out;
  }

  /**
   * Walks the page: resolves to `{ text, segments, elements, nodes, links, jsonld, title, host, path, hash }`.
   * `segments[i] = { node, start, end }` says that text[start, end) is node.data; `elements[i]` is the element of
   * `nodes[i]`, the outline node `[parent, tag, start, end, id, class, attrs?]`.
   */
  JG.collect = async function collect() {
    await JG.afterFrame();
    const root = document.body || document.documentElement;
    const parts = [];
    const segments = [];
    const nodes = [];
    const elements = [];
    const links = [];
    let length = 0;
    let prevBlock = null;
    // The stack of open elements, as parallel arrays: the element, its own outline index (-1 when it is not in
    // the outline), the outline index of the nearest included element at or above it, its nearest non-inline
    // element (text under two different ones is separated by "\n").
    const stEl = [];
    const stOwn = [];
    const stNear = [];
    const stBlock = [];
    let depth = 0;
    // Entries at depth >= pending have not met any text yet (their start is set by the next text).
    let pending = 0;
    let full = false;
    // FNV-1a of `${title}\0${text}`, computed piece by piece inside the slices (to tell whether the text changed).
    const title = (document.title || '').slice(0, 500);
    let h = JG.hashStep(0x811c9dc5, `${title}\u0000`);

    const open = (el, tag, parentNear, block) => {
      let own = -1;
      if (nodes.length < JG.MAX_NODES) {
        const isLink = tag === 'a';
        const attrs = el.attributes.length ? attrsOf(el, isLink) : null;
        const n = [parentNear, tag, -1, -1, cut(el.id || ''), cut(el.getAttribute('class') || '')];
        if (attrs) n.push(attrs);
        own = nodes.length;
        nodes.push(n);
        elements.push(el);
        if (isLink && links.length < JG.MAX_LINKS) {
          const href = el.href;
          if (typeof href === 'string' && href && href.length <= 2000 && !href.startsWith('javascript:')) {
            links.push({ href, text: (el.textContent || '').trim().slice(0, 200), node: own });
          }
        }
      }
      stEl[depth] = el;
      stOwn[depth] = own;
      stNear[depth] = own >= 0 ? own : parentNear;
      stBlock[depth] = block;
      depth += 1;
    };
    const close = () => {
      depth -= 1;
      const own = stOwn[depth];
      if (own >= 0) {
        const n = nodes[own];
        if (n[2] < 0) n[2] = length;
        n[3] = length;
      }
      if (pending > depth) pending = depth;
      return stEl[depth];
    };

    open(root, root.localName, -1, root);
    let node = root.firstChild;
    let sliceStart = performance.now();
    let steps = 0;
    while (depth > 0) {
      if (node === null) {
        const el = close();
        node = depth > 0 ? el.nextSibling : null;
      } else if (node.nodeType === 3) {
        const data = node.data;
        if (NON_SPACE.test(data)) {
          const block = stBlock[depth - 1];
          if (length > 0 && block !== prevBlock) {
            parts.push('\n');
            length += 1;
            h = JG.hashStep(h, '\n');
          }
          prevBlock = block;
          for (let i = pending; i < depth; i++) {
            const own = stOwn[i];
            if (own >= 0 && nodes[own][2] < 0) nodes[own][2] = length;
          }
          pending = depth;
          const piece = length + data.length > JG.MAX_TEXT ? data.slice(0, JG.MAX_TEXT - length) : data;
          segments.push({ node, start: length, end: length + piece.length });
          parts.push(piece);
          length += piece.length;
          h = JG.hashStep(h, piece);
          if (length >= JG.MAX_TEXT) {
            full = true;
            break;
          }
        }
        node = node.nextSibling;
      } else if (node.nodeType === 1) {
        const el = node;
        const tag = el.localName;
        if (SKIP.has(tag) || el.hidden === true || !visible(el)) {
          node = el.nextSibling;
        } else {
          const inline = INLINE.has(tag);
          const parentNear = stNear[depth - 1];
          const block = inline ? stBlock[depth - 1] : el;
          if (!inline || tag === 'a' || el.id) open(el, tag, parentNear, block);
          else {
            // Not in the outline: its text belongs to the enclosing nodes.
            stEl[depth] = el;
            stOwn[depth] = -1;
            stNear[depth] = parentNear;
            stBlock[depth] = block;
            depth += 1;
          }
          node = el.firstChild;
        }
      } else {
        node = node.nextSibling;
      }
      // The time is read every 16 steps: a step may cost a style read (checkVisibility) on a page that changes.
      if ((++steps & 15) === 0 && performance.now() - sliceStart > JG.SLICE_MS) {
        await JG.yieldNow();
        sliceStart = performance.now();
      }
    }
    // Cut at the text limit: every element still open ends there.
    if (full) while (depth > 0) close();
    const text = parts.join('');
    const jsonld = [];
    for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
      if (jsonld.length >= 10) break;
      const t = s.textContent || '';
      if (t.length <= 100_000) jsonld.push(t);
    }
    const hash = `${(h >>> 0).toString(16)}:${title.length + 1 + length}`;
    return { text, segments, elements, nodes, links, jsonld, title, host: location.hostname, path: location.pathname, hash };
  };

  /**
   * The page input of docs/interfaces.md as JSON text, built in slices (one JSON.stringify of a 100,000-node
   * outline would be a long task, and so would the browser's own copy of a large object message: one string
   * crosses to the background cheaply).
   */
  JG.inputJson = async function inputJson(page) {
    let sliceStart = performance.now();
    const out = [];
    const pause = async () => {
      if (performance.now() - sliceStart > JG.SLICE_MS) {
        await JG.yieldNow();
        sliceStart = performance.now();
      }
    };
    // The text in pieces: JSON.stringify escapes a surrogate cut in half as \uXXXX, and the two escapes read
    // back as the one character.
    const PIECE = 200_000;
    out.push('{"text":"');
    for (let i = 0; i < page.text.length; i += PIECE) {
      out.push(JSON.stringify(page.text.slice(i, i + PIECE)).slice(1, -1));
      await pause();
    }
    out.push(`","title":${JSON.stringify(page.title)},"links":${JSON.stringify(page.links)},` +
      `"jsonld":${JSON.stringify(page.jsonld)},` +
      `"outline":{"host":${JSON.stringify(page.host)},"path":${JSON.stringify(page.path)},"nodes":[`);
    await pause();
    const CHUNK = 2000;
    for (let i = 0; i < page.nodes.length; i += CHUNK) {
      const s = JSON.stringify(page.nodes.slice(i, i + CHUNK));
      out.push(i === 0 ? s.slice(1, -1) : `,${s.slice(1, -1)}`);
      await pause();
    }
    out.push(']}}');
    return out.join('');
  };

  /** One step of a 32-bit FNV-1a hash over `s` (to tell whether the text changed; not for security). */
  JG.hashStep = function hashStep(h, s) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h;
  };
})(globalThis.__jobguard);
