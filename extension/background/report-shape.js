//! The shape of a report and of a "not a scam" feedback (docs/interfaces.md), and the check of a report
//! that an extension page asks to send. Pure: no browser API.

/** Keys of a report, in the order of docs/interfaces.md. */
export const REPORT_KEYS = ['url', 'title', 'rules', 'score', 'level', 'pack_version', 'extension_version', 'lang', 'country', 'excerpt', 'comment', 'indicators', 'idempotency_key'];
/** Keys of a "not a scam" feedback. */
export const FEEDBACK_KEYS = ['url', 'rules', 'score', 'pack_version', 'kind', 'idempotency_key'];

const isStr = (v, max) => typeof v === 'string' && v.length <= max;
const isStrOrNull = (v, max) => v === null || isStr(v, max);
const isInt = (v) => Number.isInteger(v) && v >= 0;
/** Kinds of contact indicator (docs/interfaces.md, Verdict `indicators`). */
export const INDICATOR_KINDS = ['telegram', 'kakaotalk', 'whatsapp', 'line', 'wechat', 'zalo', 'phone', 'email', 'domain'];
const isIndicator = (x) =>
  x && typeof x === 'object' && Object.keys(x).length === 2 && INDICATOR_KINDS.includes(x.kind) && isStr(x.value, 300) && x.value.length > 0;

const VERSION_LANG_COUNTRY = 'bad version, lang or country';
const EXCERPT_COMMENT = 'bad excerpt or comment';
/** Each field's check and the error it gives, for reports and feedback alike. */
const FIELDS = {
  url: [(v) => isStr(v, 4096) && /^https?:\/\//.test(v), 'bad url'],
  title: [(v) => isStr(v, 1000), 'bad title'],
  rules: [(v) => Array.isArray(v) && v.length <= 200 && v.every((x) => isStr(x, 200)), 'bad rules'],
  score: [(v) => isInt(v) && v <= 100, 'bad score'],
  level: [(v) => ['safe', 'caution', 'danger'].includes(v), 'bad level'],
  pack_version: [isInt, 'bad pack_version'],
  extension_version: [(v) => isStr(v, 50), VERSION_LANG_COUNTRY],
  lang: [(v) => isStr(v, 10), VERSION_LANG_COUNTRY],
  country: [(v) => isStr(v, 2), VERSION_LANG_COUNTRY],
  excerpt: [(v) => isStrOrNull(v, 4000), EXCERPT_COMMENT],
  comment: [(v) => isStrOrNull(v, 2000), EXCERPT_COMMENT],
  indicators: [(v) => Array.isArray(v) && v.length <= 100 && v.every(isIndicator), 'bad indicators'],
  kind: [(v) => v === 'not_scam', 'bad kind'],
  idempotency_key: [(v) => isStr(v, 64), 'bad idempotency_key'],
};

/** Exactly the keys `keys`, each passing its check (in the contract's order). Returns an error or null. */
function shapeProblem(o, keys) {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'not an object';
  const own = Object.keys(o);
  if (own.length !== keys.length || !keys.every((k) => own.includes(k))) return 'wrong fields';
  const failed = keys.find((k) => !FIELDS[k][0](o[k]));
  return failed ? FIELDS[failed][1] : null;
}

/** Checks a report built by the report page: exactly the contract's keys and types. Returns an error or null. */
export const reportProblem = (r) => shapeProblem(r, REPORT_KEYS);

/** Checks a "not a scam" feedback built by the feedback page: exactly the contract's keys and types. */
export const feedbackProblem = (f) => shapeProblem(f, FEEDBACK_KEYS);
