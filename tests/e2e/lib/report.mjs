// The Report flow as a reader goes through it: after Report is pressed on the warning, the extension shows a
// preview of exactly what will be sent; the reader confirms and then sees "sent", "queued" or an error.
import { readWarning, clickWarningAction, waitFor } from './browser.mjs';

const SEND = /^(send|confirm|report-send|send-report|report-confirm)$/;

/**
 * Presses Report (or `action`, e.g. 'not-scam') on the warning in `page` and waits for the preview the extension
 * opens: a new extension page (the report page) or a step inside the warning. Returns
 * `{ text, json, page, confirm() }`; `confirm()` presses Send and resolves to the outcome text the reader is shown.
 */
export async function openReportPreview(ext, page, { timeout = 15000, action = 'report' } = {}) {
  const prefix = `chrome-extension://${ext.id}/`;
  const before = new Set(ext.context.pages());
  await clickWarningAction(page, action);
  const found = await waitFor(
    async () => {
      const p = ext.context.pages().find((x) => !before.has(x) && x.url().startsWith(prefix));
      if (p) return { kind: 'page', p };
      const w = await readWarning(page);
      const action = w && Object.keys(w.actions).find((a) => SEND.test(a));
      return action ? { kind: 'inline', action, text: w.text } : null;
    },
    { timeout, message: 'the report preview' },
  );
  if (found.kind === 'inline') {
    return {
      text: found.text,
      async confirm() {
        await clickWarningAction(page, found.action);
        const w = await waitFor(
          async () => {
            const x = await readWarning(page);
            return x && /sent|queued|error|보냈|대기|오류/i.test(x.text) ? x : null;
          },
          { timeout, message: 'the report outcome in the warning' },
        );
        return w.text;
      },
    };
  }
  const p = found.p;
  await p.waitForLoadState('domcontentloaded');
  const send = p.locator('[data-action="send"], #send, button[type="submit"]').first();
  await send.waitFor({ timeout });
  // The preview is filled in once the page has the draft from the background.
  const text = await waitFor(
    () => p.evaluate(() => (/\S/.test(document.querySelector('#preview, pre')?.textContent ?? '') ? document.body.innerText : null)),
    { timeout, message: 'the preview of the report' },
  );
  const json = await p.evaluate(() => {
    try {
      return JSON.parse(document.querySelector('#preview, pre')?.textContent ?? '');
    } catch {
      return null;
    }
  });
  return {
    text,
    json,
    page: p,
    async confirm() {
      await send.click();
      const status = p.locator('[data-status], #status, [role="status"]').first();
      await waitFor(async () => /\S/.test((await status.textContent()) ?? ''), {
        timeout,
        message: 'the report outcome on the report page',
      });
      return status.textContent();
    },
  };
}
