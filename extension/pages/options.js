// The options page: language, country, allowlisted sites, scanning scope, service and pack addresses, and the
// rule pack's update status with "Check now".
import { api, hasPageAccess, requestPageAccess } from '../platform.js';
import { loadSettings, saveSettings, UI_LANGS } from '../shared/settings.js';
import { localizePage } from '../shared/i18n.js';

const $ = (id) => document.getElementById(id);
const LANG_NAMES = { en: 'English', ko: '한국어', zh_CN: '简体中文', zh_TW: '繁體中文', vi: 'Tiếng Việt', th: 'ไทย', id: 'Bahasa Indonesia', ja: '日本語' };
let settings = await loadSettings();
const t = await localizePage(settings.uiLang);
const fmt = (ms) => (ms ? new Date(ms).toLocaleString(settings.uiLang.replace('_', '-')) : t('o_never'));

function status(id, text, kind = '') {
  const s = $(id);
  s.hidden = false;
  s.className = `status ${kind}`;
  s.textContent = text;
}

async function fillForm() {
  $('uiLang').replaceChildren(...UI_LANGS.map((l) => new Option(LANG_NAMES[l], l, false, l === settings.uiLang)));
  const { countries = [], names = {} } = (await api.runtime.sendMessage({ type: 'countries' })) ?? {};
  const codes = countries.includes(settings.country) ? countries : [...countries, settings.country];
  $('country').replaceChildren(...codes.map((c) => new Option(names[c] ? `${names[c]} (${c})` : c, c, false, c === settings.country)));
  for (const r of document.querySelectorAll('input[name="scope"]')) r.checked = r.value === settings.scope;
  $('allowlist').value = settings.allowlist.join('\n');
  $('serviceUrl').value = settings.serviceUrl;
  $('packUrl').value = settings.packUrl;
}

function showPack(p) {
  const s = p?.packStatus ?? {};
  $('pack-version').textContent = `${p?.info?.version ?? '?'} (${p?.info?.rules ?? '?'} ${t('o_rules')}, ${p?.source === 'update' ? t('o_source_update') : t('o_source_bundled')})`;
  $('last-check').textContent = fmt(s.lastCheck);
  $('last-update').textContent = fmt(s.lastUpdate);
  $('last-error').textContent = s.lastError ? `${s.lastError} (${fmt(s.lastErrorAt)})` : '—';
}

// Hosts outside the manifest's host_permissions need the reader's consent, asked for while they click Save.
function originsFor(urls) {
  return [...new Set(urls.map((u) => {
    const x = new URL(u);
    return `${x.protocol}//${x.hostname}/*`;
  }))];
}

$('settings').addEventListener('submit', async (e) => {
  e.preventDefault();
  const next = {
    ...settings,
    uiLang: $('uiLang').value,
    country: $('country').value,
    scope: document.querySelector('input[name="scope"]:checked')?.value ?? 'job-pages',
    allowlist: $('allowlist').value.split(/[\s,]+/).filter(Boolean),
    serviceUrl: $('serviceUrl').value.trim(),
    packUrl: $('packUrl').value.trim(),
  };
  try {
    const origins = originsFor([next.serviceUrl, next.packUrl]);
    // permissions.request must run in the click's user gesture: before any other await.
    const granted = await api.permissions.request({ origins });
    if (!granted) {
      status('save-status', t('o_permission_refused'), 'error');
      return;
    }
  } catch (err) {
    status('save-status', `${t('o_bad_address')} (${err.message})`, 'error');
    return;
  }
  const langChanged = next.uiLang !== settings.uiLang;
  settings = await saveSettings(next);
  if (langChanged) {
    location.reload();
    return;
  }
  await fillForm();
  status('save-status', t('o_saved'), 'ok');
});

// Without access to every site the content script never runs: say so, and ask when the reader presses the
// button (permissions.request needs the click's user gesture: it is the first await).
async function showAccess() {
  $('access').hidden = await hasPageAccess();
}
$('grant-access').addEventListener('click', async () => {
  try {
    await requestPageAccess();
  } finally {
    await showAccess();
  }
});
api.permissions.onAdded?.addListener(showAccess);
api.permissions.onRemoved?.addListener(showAccess);

$('check-now').addEventListener('click', async () => {
  $('check-now').disabled = true;
  status('check-status', t('o_checking'));
  try {
    const p = await api.runtime.sendMessage({ type: 'check-pack' });
    showPack(p);
    const err = p?.packStatus?.lastError;
    status('check-status', err ? err : t('o_check_ok', p?.info?.version), err ? 'error' : 'ok');
  } finally {
    $('check-now').disabled = false;
  }
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.packStatus) api.runtime.sendMessage({ type: 'pack-status' }).then(showPack);
});

await showAccess();
await fillForm();
showPack(await api.runtime.sendMessage({ type: 'pack-status' }));
