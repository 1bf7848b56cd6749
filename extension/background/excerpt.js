//! The optional excerpt of a report: the text around the first matches. Pure: no browser API.

/** Text around the first matches, for a report's optional excerpt (sent only if the reader ticks it). */
export function excerptOf(text, matches, max = 1000) {
  const parts = [];
  let used = 0;
  let lastEnd = -1;
  for (const m of matches.slice(0, 8)) {
    if (m.start < lastEnd) continue;
    const from = Math.max(0, m.start - 60);
    const to = Math.min(text.length, m.end + 60);
    const piece = text.slice(Math.max(from, lastEnd), to).replace(/\s+/g, ' ').trim();
    if (used + piece.length > max) break;
    parts.push(piece);
    used += piece.length;
    lastEnd = to;
  }
  return parts.join(' … ') || null;
}
