// Reads the card markers (<jobguard-marker> hosts with closed shadow roots) through CDP, as pages cannot, and
// clicks their buttons by on-screen position, as a person would.
import { attr, walk, textOf, waitFor } from './browser.mjs';

/**
 * Every marker on the page: `[{ shadowRootType, level, button: {backendNodeId, text, expanded}, pop: {hidden,
 * level, text, role}, actions: {name: backendNodeId}, card: {tag, id, class, text} }]` where `card` is the
 * element the host sits in, and `text` its light-DOM text.
 */
export async function readMarkers(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    return await readMarkersWith(cdp);
  } finally {
    await cdp.detach().catch(() => {});
  }
}

async function readMarkersWith(cdp) {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const out = [];
  const parents = new Map();
  for (const n of walk(root)) for (const c of n.children ?? []) parents.set(c.nodeId, n);
  for (const host of walk(root)) {
    if (host.localName !== 'jobguard-marker') continue;
    const shadow = host.shadowRoots?.[0] ?? null;
    const inside = shadow ? [...walk(shadow)] : [];
    const button = inside.find((n) => attr(n, 'data-action') === 'why') ?? null;
    const pop = inside.find((n) => attr(n, 'role') === 'dialog') ?? null;
    const actions = {};
    for (const n of inside) {
      const a = attr(n, 'data-action');
      if (a && !actions[a]) actions[a] = n.backendNodeId;
    }
    const card = parents.get(host.nodeId);
    // The card's own text, without what is inside our shadow root.
    const cardText = card
      ? [...walk(card)].filter((n) => n.nodeType === 3 && !inside.includes(n)).map((n) => n.nodeValue.trim()).filter(Boolean).join(' ')
      : '';
    out.push({
      shadowRootType: shadow?.shadowRootType ?? null,
      level: attr(button, 'data-level'),
      button: button ? { backendNodeId: button.backendNodeId, text: textOf(button), expanded: attr(button, 'aria-expanded') } : null,
      pop: pop ? { hidden: attr(pop, 'hidden') !== null, level: attr(pop, 'data-level'), text: textOf(pop) } : null,
      actions,
      card: card ? { tag: card.localName, id: attr(card, 'id'), class: attr(card, 'class'), text: cardText } : null,
    });
  }
  return out;
}

/** Waits until the page has markers passing `pred` (default: at least one). */
export async function waitMarkers(page, pred = (ms) => ms.length > 0, { timeout = 15000 } = {}) {
  return waitFor(
    async () => {
      const ms = await readMarkers(page);
      return pred(ms) ? ms : null;
    },
    { timeout, message: `card markers on ${page.url()}` },
  );
}

/** Clicks the `action` button (why, report, close) of the `i`-th marker at its on-screen position. */
export async function clickMarker(page, i, action = 'why') {
  const cdp = await page.context().newCDPSession(page);
  let x;
  let y;
  try {
    const ms = await readMarkersWith(cdp);
    const id = ms[i]?.actions?.[action];
    if (!id) throw new Error(`marker ${i} has no button data-action="${action}"`);
    await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: id }).catch(() => {});
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: id });
    const q = model.border;
    x = (q[0] + q[2] + q[4] + q[6]) / 4;
    y = (q[1] + q[3] + q[5] + q[7]) / 4;
  } finally {
    await cdp.detach().catch(() => {});
  }
  await page.mouse.click(x, y);
}
