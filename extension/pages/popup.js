// The toolbar popup: the verdict of the current tab with its reasons, the warning's actions, and the reader's
// own reports with their status.
import { api, hasPageAccess } from '../platform.js';
import { loadSettings } from '../shared/settings.js';
import { localizePage } from '../shared/i18n.js';

const $ = (id) => document.getElementById(id);
const settings = await loadSettings();
const t = await localizePage(settings.uiLang);
// `popup.html?tab=<id>` shows another tab (for tests, which cannot open the toolbar popup itself).
const forced = Number(new URLSearchParams(location.search).get('tab'));
const tab = Number.isInteger(forced) && forced > 0
  ? await api.tabs.get(forced).catch(() => null)
  : (await api.tabs.query({ active: true, currentWindow: true }))[0];
const ask = (msg) => api.runtime.sendMessage(msg);

function showStatus(text, kind = '') {
  const s = $('action-status');
  s.hidden = false;
  s.className = `status ${kind}`;
  s.textContent = text;
}

function renderReports(list, queued) {
  const ul = $('my-reports');
  ul.replaceChildren();
  if (!list.length) {
    ul.append(Object.assign(document.createElement('li'), { className: 'muted', textContent: t('p_no_reports') }));
  }
  for (const r of list.slice(0, 20)) {
    const li = document.createElement('li');
    const known = (key, fallback) => (t(key) === key ? fallback : t(key));
    const state = r.state === 'sent' ? known(`status_${r.status}`, r.status) : known(`state_${r.state}`, r.state);
    li.textContent = `${r.title || r.url} — ${state}`;
    li.title = r.url;
    if (r.lastError && r.state !== 'sent') {
      li.append(Object.assign(document.createElement('div'), { className: 'muted', textContent: r.lastError }));
    }
    ul.append(li);
  }
  $('queued').textContent = queued ? t('p_queued', queued) : '';
}

async function refresh() {
  const st = tab ? await ask({ type: 'popup-state', tabId: tab.id }) : null;
  const rec = st?.record;
  const level = $('level');
  // tab.url is only known for sites we may read; where it is known, an old verdict of another page is not shown.
  if (!rec || (tab.url && rec.url !== tab.url)) {
    level.className = 'level none';
    level.textContent = t('p_not_scanned');
    // Without access to sites nothing is ever checked: say that rather than "not a job page" (the options page
    // asks for the access).
    $('summary').textContent = (await hasPageAccess()) ? t('p_not_scanned_help') : t('o_access_missing');
    $('actions').hidden = true;
  } else {
    level.className = `level ${rec.level}`;
    level.textContent = t(`p_level_${rec.level}`);
    $('score').textContent = t('w_score', rec.score);
    const found = rec.categories.filter((c) => c.score > 0).map((c) => c.name).join(' · ');
    // A list: its riskiest card is what the score, the reasons and Report are about.
    if (Number.isInteger(rec.card)) $('summary').textContent = `${t('p_list_risky', rec.risky, rec.cardCount, rec.title)} ${found}`;
    else $('summary').textContent = rec.level === 'safe' ? t('p_safe_help') : found;
    const ul = $('reasons');
    ul.replaceChildren();
    const seen = new Set();
    for (const r of rec.reasons.filter((x) => x.weight > 0 && !seen.has(x.explanation) && seen.add(x.explanation))) {
      ul.append(Object.assign(document.createElement('li'), { textContent: `+${r.weight} ${r.explanation}` }));
    }
    $('actions').hidden = rec.level === 'safe';
  }
  renderReports(st?.myReports ?? [], st?.queued ?? 0);
  const p = st?.pack;
  if (p) $('pack').textContent = t('p_pack', p.info.version, p.info.rules);
}

for (const b of document.querySelectorAll('#actions button')) {
  b.addEventListener('click', async () => {
    const action = b.dataset.action;
    if (action === 'why') {
      $('reasons').hidden = !$('reasons').hidden;
      return;
    }
    const reply = await ask({ type: 'tab-action', tabId: tab.id, action });
    // Both open a page of their own (the report preview, or the preview of the optional feedback).
    if (reply?.error) showStatus(reply.error, 'error');
    else if (action === 'report' || action === 'not-scam') window.close();
    else if (action === 'hide-site') showStatus(t('p_site_hidden', reply.host), 'ok');
  });
}
$('refresh-reports').addEventListener('click', async () => {
  await ask({ type: 'reports-flush' });
  const { myReports } = await ask({ type: 'reports-refresh' });
  renderReports(myReports, 0);
  await refresh();
});
$('open-options').addEventListener('click', () => api.runtime.openOptionsPage());
await refresh();
// The statuses of the reader's reports, fresh from the service without pressing the button (only report ids go
// out, to the service the reports were sent to).
ask({ type: 'reports-refresh', auto: true })
  .then((r) => (r?.myReports?.some((m) => m.state === 'sent') ? refresh() : null))
  .catch(() => {});
