// The report preview: shows exactly the JSON that will be sent (the excerpt only if the reader ticks it), and
// sends it when they press Send. It lives in an extension page, never in the reported page's DOM.
import { api } from '../platform.js';
import { loadSettings } from '../shared/settings.js';
import { localizePage } from '../shared/i18n.js';

const $ = (id) => document.getElementById(id);
const settings = await loadSettings();
const t = await localizePage(settings.uiLang);
const tabId = Number(new URLSearchParams(location.search).get('tab'));
const draft = await api.runtime.sendMessage({ type: 'report-draft', tabId });

function status(text, kind = '') {
  const s = $('status');
  s.hidden = false;
  s.className = `status ${kind}`;
  s.textContent = text;
}

function current() {
  const comment = $('comment').value.trim();
  return {
    ...draft.report,
    excerpt: $('with-excerpt').checked ? draft.excerpt : null,
    comment: comment ? comment : null,
  };
}

function preview() {
  $('preview').textContent = JSON.stringify(current(), null, 2);
}

if (!draft || draft.error) {
  status(t('r_no_verdict'), 'error');
  $('send').disabled = true;
} else {
  $('dest').textContent = t('r_destination', `${draft.serviceUrl}/v1/reports`);
  $('with-excerpt').disabled = !draft.excerpt;
  $('with-excerpt').addEventListener('change', preview);
  $('comment').addEventListener('input', preview);
  preview();
  $('send').addEventListener('click', async () => {
    $('send').disabled = true;
    const report = current();
    // What is sent is what the preview shows, byte for byte.
    $('preview').textContent = JSON.stringify(report, null, 2);
    const reply = await api.runtime.sendMessage({ type: 'report-send', report });
    if (reply?.state === 'sent') status(t('r_sent', reply.reply?.id ?? ''), 'ok');
    else if (reply?.state === 'queued') status(t('r_queued', reply.error), '');
    else {
      status(t('r_error', reply?.error ?? '?'), 'error');
      $('send').disabled = false;
    }
  });
}
$('cancel').addEventListener('click', () => window.close());
