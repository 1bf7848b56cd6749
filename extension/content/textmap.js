// Maps UTF-16 offsets of the collected text back to DOM positions, to build Ranges for the classifier's matches.
(function (JG) {
  // First segment whose end is after `offset` (binary search; segments are sorted and disjoint).
  function segAfter(segments, offset) {
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * A DOM Range covering text[start, end), or null when the nodes are gone. Offsets inside a separator that the
   * walk inserted between blocks are moved to the nearest real character.
   */
  JG.rangeFor = function rangeFor(segments, start, end) {
    if (!(end > start)) return null;
    const i = segAfter(segments, start);
    const j = segAfter(segments, end - 1);
    if (i >= segments.length || j >= segments.length || j < i) return null;
    const a = segments[i];
    const b = segments[j];
    if (!a.node.isConnected || !b.node.isConnected) return null;
    const r = document.createRange();
    try {
      r.setStart(a.node, Math.max(0, start - a.start));
      r.setEnd(b.node, Math.min(b.end, end) - b.start);
    } catch {
      return null; // the node's text changed since the walk
    }
    return r.collapsed ? null : r;
  };
})(globalThis.__jobguard);
