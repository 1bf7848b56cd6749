//! Contact indicators (Telegram handles, KakaoTalk open chats, phone numbers...) that the classifier lists in a
//! verdict: what a report carries of them. Pure: no browser API.

/** Most indicators a report carries (the service accepts up to 100). */
export const MAX_REPORT_INDICATORS = 100;

/** The `{ kind, value }` pairs of a verdict's indicators, as a report carries them (no offsets). */
export function reportIndicators(verdict) {
  const list = Array.isArray(verdict?.indicators) ? verdict.indicators : [];
  return list
    .filter((i) => i && typeof i.kind === 'string' && typeof i.value === 'string' && i.value.length > 0 && i.value.length <= 300)
    .slice(0, MAX_REPORT_INDICATORS)
    .map(({ kind, value }) => ({ kind, value }));
}
