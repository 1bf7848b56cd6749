// The preview of what is sent to the monitoring service: a report (`?tab=N`; `&card=I` for one card of a list,
// from its marker), or a "not a scam" feedback
// (`?tab=N&kind=feedback`, opened after the warning was already hidden). It shows exactly the JSON that will be
// sent (a report's excerpt only if the reader ticks it) and sends it when they press Send. It lives in an
// extension page, never in the reported page's DOM.
import { api } from '../platform.js';
import { loadSettings } from '../shared/settings.js';
import { localizePage } from '../shared/i18n.js';

const $ = (id) => document.getElementById(id);
const settings = await loadSettings();
const t = await localizePage(settings.uiLang);
const params = new URLSearchParams(location.search);
const tabId = Number(params.get('tab'));
const isFeedback = params.get('kind') === 'feedback';
const card = params.has('card') ? Number(params.get('card')) : undefined;
const draft = await api.runtime.sendMessage(
  isFeedback ? { type: 'feedback-draft', tabId } : { type: 'report-draft', tabId, ...(Number.isInteger(card) ? { card } : {}) },
);

function status(text, kind = '') {
  const s = $('status');
  s.hidden = false;
  s.className = `status ${kind}`;
  s.textContent = text;
}

/** The JSON to send, as the preview shows it. */
function current() {
  if (isFeedback) return draft.feedback;
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

if (isFeedback) {
  document.title = t('f_title');
  $('title').textContent = t('f_title');
  $('intro').textContent = t('f_intro');
  $('report-only').hidden = true;
  $('cancel').textContent = t('f_cancel');
}

if (!draft || draft.error) {
  status(t('r_no_verdict'), 'error');
  $('send').disabled = true;
} else {
  $('dest').textContent = t('r_destination', `${draft.serviceUrl}/v1/${isFeedback ? 'feedback' : 'reports'}`);
  if (!isFeedback) {
    $('with-excerpt').disabled = !draft.excerpt;
    $('with-excerpt').addEventListener('change', preview);
    $('comment').addEventListener('input', preview);
  }
  preview();
  $('send').addEventListener('click', async () => {
    $('send').disabled = true;
    const body = current();
    // What is sent is what the preview shows, byte for byte.
    $('preview').textContent = JSON.stringify(body, null, 2);
    const reply = await api.runtime.sendMessage(
      isFeedback ? { type: 'feedback-send', feedback: body } : { type: 'report-send', report: body },
    );
    if (reply?.state === 'sent') status(isFeedback ? t('f_sent') : t('r_sent', reply.reply?.id ?? ''), 'ok');
    else if (reply?.state === 'queued') status(t(isFeedback ? 'f_queued' : 'r_queued', reply.error), '');
    else {
      status(t('r_error', reply?.error ?? '?'), 'error');
      $('send').disabled = false;
    }
  });
}
$('cancel').addEventListener('click', () => window.close());
