//! Who may ask the background what: content scripts of our own extension in a tab may only ask for a score and
//! pass on the reader's clicks on the warning; our own pages may ask for the rest. Everything else is ignored.
//! Pure (the extension's id and origin are passed in), so it is tested in Node.

/** Largest page text accepted for scoring (UTF-16 code units); the content script caps below this. */
export const MAX_TEXT = 2_000_000;
/** Largest page input sent as JSON text (the text, the links and an outline of up to 100,000 nodes). */
export const MAX_JSON = 32_000_000;
/** Most links and outline nodes accepted (the content script sends at most 2,000 and 100,000). */
export const MAX_LINKS = 2000;
export const MAX_NODES = 100_000;
/** Largest part of a page input sent in parts, and most parts of one input. */
export const MAX_PART = 300_000;
export const MAX_PARTS = 200;

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v, max) => typeof v === 'string' && v.length <= max;

/**
 * `'content'` for our content script in a tab (any frame: `sender.frameId` says which), `'page'` for our own
 * pages, else null.
 * `self` is `{ id, origin }`: our extension id and the origin of our pages (`chrome-extension://<id>/`).
 */
export function senderKind(sender, self) {
  if (!sender || !self?.id || sender.id !== self.id) return null;
  if (typeof sender.url === 'string' && sender.url.startsWith(self.origin)) return 'page';
  if (sender.tab && Number.isInteger(sender.tab.id) && Number.isInteger(sender.frameId) && sender.frameId >= 0) return 'content';
  return null;
}

/**
 * Checks a page input from a content script (an object, or its JSON text); returns it cleaned, or null when it
 * has the wrong shape. The outline is checked only for its frame (host, path, an array of at most 100,000
 * nodes): the Rust side checks every node and refuses a bad one with a message.
 */
export function cleanInput(input) {
  if (typeof input === 'string') {
    if (input.length > MAX_JSON) return null;
    try {
      input = JSON.parse(input);
    } catch {
      return null;
    }
  }
  if (!isObj(input) || !isStr(input.text, MAX_TEXT)) return null;
  const out = { text: input.text, title: isStr(input.title, 2000) ? input.title : '' };
  if (Array.isArray(input.links)) {
    out.links = input.links
      .slice(0, MAX_LINKS)
      .filter((l) => isObj(l) && isStr(l.href, 4096))
      .map((l) => {
        const link = { href: l.href, text: isStr(l.text, 500) ? l.text : '' };
        if (Number.isInteger(l.node) && l.node >= 0) link.node = l.node;
        return link;
      });
  }
  if (Array.isArray(input.jsonld)) out.jsonld = input.jsonld.slice(0, 20).filter((j) => isStr(j, 200_000));
  const o = input.outline;
  if (o !== undefined) {
    if (!isObj(o) || !Array.isArray(o.nodes) || o.nodes.length > MAX_NODES) return null;
    out.outline = { host: isStr(o.host, 500) ? o.host : '', path: isStr(o.path, 4096) ? o.path : '', nodes: o.nodes };
  }
  return out;
}

// `left`: the tab moved (in-page) to something that is not a job page; its old verdict and badge go.
// `part`: a part of a large page input (docs/interfaces.md); the `score` request carries the last one.
const CONTENT_TYPES = new Set(['score', 'part', 'action', 'left']);
const PAGE_TYPES = new Set([
  'popup-state', 'tab-action', 'check-pack', 'pack-status', 'report-draft', 'report-send', 'feedback-draft',
  'feedback-send', 'reports-refresh', 'reports-flush', 'countries', 'ensure-permission',
]);
const ACTIONS = new Set(['report', 'not-scam', 'hide-site']);
// The popup can also dismiss the warning in a tab (the warning's own Dismiss button needs no background).
const PAGE_ACTIONS = new Set([...ACTIONS, 'dismiss']);

/** True when `msg` is a request `kind` may make, with the fields its type needs. */
export function allowed(kind, msg) {
  if (!isObj(msg) || typeof msg.type !== 'string') return false;
  if (kind === 'content') {
    if (!CONTENT_TYPES.has(msg.type)) return false;
    if (msg.type === 'score') {
      const input = isObj(msg.input) || isStr(msg.input, MAX_JSON);
      const parts = msg.parts === undefined || (isObj(msg.parts) && isStr(msg.parts.id, 64) && Number.isInteger(msg.parts.count) &&
        msg.parts.count >= 1 && msg.parts.count <= MAX_PARTS && isStr(msg.input, MAX_PART));
      return isStr(msg.url, 4096) && input && parts;
    }
    if (msg.type === 'part') {
      return isStr(msg.id, 64) && Number.isInteger(msg.seq) && msg.seq >= 0 && msg.seq < MAX_PARTS - 1 && isStr(msg.data, MAX_PART);
    }
    if (msg.type === 'left') return true;
    // `card`: the Report button of one card's marker on a list (its index in the reading's cards).
    return ACTIONS.has(msg.action) && (msg.card === undefined || (Number.isInteger(msg.card) && msg.card >= 0));
  }
  if (kind === 'page') {
    if (!PAGE_TYPES.has(msg.type)) return false;
    if (msg.type === 'tab-action') return Number.isInteger(msg.tabId) && PAGE_ACTIONS.has(msg.action);
    if (msg.type === 'report-draft') {
      return Number.isInteger(msg.tabId) && (msg.card === undefined || (Number.isInteger(msg.card) && msg.card >= 0));
    }
    if (['popup-state', 'feedback-draft'].includes(msg.type)) return Number.isInteger(msg.tabId);
    if (msg.type === 'report-send') return isObj(msg.report);
    if (msg.type === 'feedback-send') return isObj(msg.feedback);
    return true;
  }
  return false;
}
