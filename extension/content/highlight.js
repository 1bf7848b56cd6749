// Highlights the matched phrases with the CSS Custom Highlight API (names `jobguard-caution` and
// `jobguard-danger`; the page's DOM is not touched), falling back to <mark data-jobguard> where the API is
// missing. Each highlight explains itself on hover (a tooltip in our shadow root) or, for <mark>, on focus.
(function (JG) {
  let current = []; // [{ range, level, explanation }]
  let marks = [];
  let hoverOn = false;
  let pending = false;
  let lastTip = null;
  const hasApi = () => typeof globalThis.Highlight === 'function' && Boolean(globalThis.CSS?.highlights);

  function clear() {
    if (hasApi()) {
      CSS.highlights.delete('jobguard-caution');
      CSS.highlights.delete('jobguard-danger');
    }
    for (const m of marks) {
      const parent = m.parentNode;
      if (!parent) continue;
      m.replaceWith(...m.childNodes);
      parent.normalize();
    }
    marks = [];
    current = [];
    JG.warning?.hideTip();
  }

  // Where the API is missing: wrap single-node ranges (last first, so earlier ranges stay valid).
  function wrap(items) {
    for (const it of [...items].reverse()) {
      const r = it.range;
      if (r.startContainer !== r.endContainer || r.startContainer.nodeType !== 3) continue;
      const mark = document.createElement('mark');
      mark.dataset.jobguard = it.level;
      mark.tabIndex = 0;
      mark.title = it.explanation;
      try {
        r.surroundContents(mark);
        marks.push(mark);
      } catch {
        // a node changed under us: leave it
      }
    }
  }

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      const p = document.caretPositionFromPoint(x, y);
      return p ? { node: p.offsetNode, offset: p.offset } : null;
    }
    const r = document.caretRangeFromPoint?.(x, y);
    return r ? { node: r.startContainer, offset: r.startOffset } : null;
  }

  function onMove(e) {
    if (pending || current.length === 0) return;
    pending = true;
    const { clientX: x, clientY: y } = e;
    requestAnimationFrame(() => {
      pending = false;
      const at = caretAt(x, y);
      let hit = null;
      if (at && at.node?.nodeType === 3) {
        hit = current.find((it) => {
          try {
            return it.range.comparePoint(at.node, at.offset) === 0;
          } catch {
            return false;
          }
        });
      }
      if (hit) {
        // The caret is also "in" a range just after its last character: confirm with the range's boxes.
        const inBox = [...hit.range.getClientRects()].some((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom);
        if (!inBox) hit = null;
      }
      if (hit !== lastTip) {
        lastTip = hit;
        if (hit) JG.warning?.showTip(hit.explanation, hit.range.getBoundingClientRect());
        else JG.warning?.hideTip();
      }
    });
  }

  /**
   * Highlights each group's `matches` (verdict offsets into the text that was scored) using `segments` from the
   * walk: `groups = [{ matches, reasons, level }]`, one for the posting and one per risky card. `reasons` give
   * each rule's explanation; rules with a negative weight (signs of a legitimate ad) are not highlighted.
   * Returns the number of ranges highlighted.
   */
  function apply(groups, segments) {
    clear();
    const items = [];
    for (const { matches, reasons, level } of groups) {
      const byRule = new Map(reasons.map((r) => [r.rule, r]));
      for (const m of matches) {
        const reason = byRule.get(m.rule);
        if (reason && reason.weight < 0) continue;
        const range = JG.rangeFor(segments, m.start, m.end);
        if (!range) continue;
        items.push({ range, level: level === 'danger' ? 'danger' : 'caution', explanation: reason?.explanation ?? '' });
      }
    }
    current = items;
    let drawn = false;
    if (hasApi()) {
      try {
        for (const level of ['caution', 'danger']) {
          const ranges = items.filter((i) => i.level === level).map((i) => i.range);
          if (!ranges.length) continue;
          const h = new Highlight(...ranges);
          // Above any highlight the page itself may register.
          h.priority = 10;
          CSS.highlights.set(`jobguard-${level}`, h);
        }
        drawn = true;
      } catch {
        // The API exists but refuses our ranges (a content-script sandbox that cannot hand them over): wrap.
        CSS.highlights.delete('jobguard-caution');
        CSS.highlights.delete('jobguard-danger');
      }
    }
    if (!drawn) wrap(items);
    if (!hoverOn && items.length) {
      hoverOn = true;
      document.addEventListener('mousemove', onMove, { passive: true, capture: true });
    }
    return items.length;
  }

  /** True when a highlighted range lost its text (the page replaced the nodes): time to draw again. */
  function stale() {
    return current.some((it) => !it.range.startContainer.isConnected || !it.range.endContainer.isConnected);
  }

  JG.highlight = { apply, clear, stale };
})(globalThis.__jobguard);
