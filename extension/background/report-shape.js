//! The shape of a report and of a "not a scam" feedback (docs/interfaces.md), and the check of a report
//! that an extension page asks to send. Pure: no browser API.

/** Keys of a report, in the order of docs/interfaces.md. */
export const REPORT_KEYS = ['url', 'title', 'rules', 'score', 'level', 'pack_version', 'extension_version', 'lang', 'country', 'excerpt', 'comment', 'idempotency_key'];
/** Keys of a "not a scam" feedback. */
export const FEEDBACK_KEYS = ['url', 'rules', 'score', 'pack_version', 'kind', 'idempotency_key'];

const isStr = (v, max) => typeof v === 'string' && v.length <= max;
const isStrOrNull = (v, max) => v === null || isStr(v, max);
const isInt = (v) => Number.isInteger(v) && v >= 0;

/** Checks a report built by the report page: exactly the contract's keys and types. Returns an error or null. */
export function reportProblem(r) {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return 'not an object';
  const keys = Object.keys(r);
  if (keys.length !== REPORT_KEYS.length || !REPORT_KEYS.every((k) => keys.includes(k))) return 'wrong fields';
  if (!isStr(r.url, 4096) || !/^https?:\/\//.test(r.url)) return 'bad url';
  if (!isStr(r.title, 1000)) return 'bad title';
  if (!Array.isArray(r.rules) || r.rules.length > 200 || !r.rules.every((x) => isStr(x, 200))) return 'bad rules';
  if (!isInt(r.score) || r.score > 100) return 'bad score';
  if (!['safe', 'caution', 'danger'].includes(r.level)) return 'bad level';
  if (!isInt(r.pack_version)) return 'bad pack_version';
  if (!isStr(r.extension_version, 50) || !isStr(r.lang, 10) || !isStr(r.country, 2)) return 'bad version, lang or country';
  if (!isStrOrNull(r.excerpt, 4000) || !isStrOrNull(r.comment, 2000)) return 'bad excerpt or comment';
  if (!isStr(r.idempotency_key, 64)) return 'bad idempotency_key';
  return null;
}

/** Checks a "not a scam" feedback built by the feedback page: exactly the contract's keys and types. */
export function feedbackProblem(f) {
  if (!f || typeof f !== 'object' || Array.isArray(f)) return 'not an object';
  const keys = Object.keys(f);
  if (keys.length !== FEEDBACK_KEYS.length || !FEEDBACK_KEYS.every((k) => keys.includes(k))) return 'wrong fields';
  if (!isStr(f.url, 4096) || !/^https?:\/\//.test(f.url)) return 'bad url';
  if (!Array.isArray(f.rules) || f.rules.length > 200 || !f.rules.every((x) => isStr(x, 200))) return 'bad rules';
  if (!isInt(f.score) || f.score > 100) return 'bad score';
  if (!isInt(f.pack_version)) return 'bad pack_version';
  if (f.kind !== 'not_scam') return 'bad kind';
  if (!isStr(f.idempotency_key, 64)) return 'bad idempotency_key';
  return null;
}
