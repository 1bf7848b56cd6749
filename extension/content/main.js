// The content script's flow: decide whether to look at the page, collect, ask the background to read it,
// show the warning (a risky posting) or the markers (risky cards of a list) and the highlights. DOM changes only queue work; re-scoring runs batched, time-sliced, and only
// when the text really changed; in-page navigation (pushState, popstate) re-scores the new posting.
(function (JG) {
  if (!JG || JG.started) return;
  JG.started = true;
  const { api } = JG;
  const TOP = window === window.top; // the content script also runs in frames (postings shown in an iframe)
  const QUIET_MS = 400; // wait for the page to settle after changes before collecting again
  const URL_POLL_MS = 500; // without the Navigation API, a page's history.pushState is not observable: poll the URL

  let settings = null;
  let lastHash = null;
  let lastUrl = location.href;
  let timer = null;
  let running = false;
  let again = false;
  let observer = null;
  let stopped = false;
  let hiddenHere = false;
  let lastReply = null;

  const hostOf = (h) => h.toLowerCase().replace(/^www\./, '');
  function allowlisted() {
    const h = hostOf(location.hostname);
    return (settings?.allowlist ?? []).some((a) => h === a || h.endsWith(`.${a}`));
  }

  JG.clearAll = function clearAll() {
    JG.highlight.clear();
    JG.warning.remove();
    JG.markers.remove();
  };

  const MAX_WAIT_MS = 2000; // a page that never stops changing (a ticking clock) is still looked at again
  let firstQueued = 0;

  function schedule(delay = QUIET_MS) {
    if (stopped) return;
    const now = performance.now();
    if (!firstQueued) firstQueued = now;
    clearTimeout(timer);
    const wait = Math.max(0, Math.min(delay, firstQueued + MAX_WAIT_MS - now));
    timer = setTimeout(() => {
      firstQueued = 0;
      // Start when the page is idle (the walk itself then runs in short slices).
      if (globalThis.requestIdleCallback) requestIdleCallback(run, { timeout: 1000 });
      else run();
    }, wait);
  }

  async function run() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await scan();
    } catch (e) {
      console.debug('JobGuard: scan failed', e);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  async function scan() {
    if (stopped || allowlisted()) return;
    const jobPage = TOP ? settings.scope === 'all' || JG.isJobPage() : JG.isJobFrame();
    if (!jobPage) {
      // Not a job page (now): nothing is read. A later navigation or change may make it one.
      if (lastHash !== null) {
        JG.clearAll();
        JG.ask({ type: 'left' });
      }
      lastHash = null;
      return;
    }
    const page = await JG.collect();
    if (page.hash === lastHash) {
      // Same text, but the page may have rebuilt its elements (a list re-rendered): draw again on the new ones.
      if (lastReply && (JG.markers.stale() || JG.highlight.stale())) draw(page, lastReply);
      return;
    }
    lastHash = page.hash;
    lastReply = null;
    const url = location.href;
    const reply = await send(url, await JG.inputJson(page));
    if (!reply || reply.error || stopped || location.href !== url) return;
    lastReply = reply;
    draw(page, reply);
  }

  const PART = 128 * 1024;
  /**
   * Asks the background to read the page. A large input goes in parts of 128 K characters with a pause between
   * them: the browser copies a message on the page's thread, and one copy of several MB is a long task.
   */
  async function send(url, json) {
    if (json.length <= PART) return JG.ask({ type: 'score', url, input: json });
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    const count = Math.ceil(json.length / PART);
    for (let seq = 0; seq < count - 1; seq++) {
      const ok = await JG.ask({ type: 'part', id, seq, data: json.slice(seq * PART, (seq + 1) * PART) });
      if (!ok?.ok) return null;
      await JG.yieldNow();
    }
    return JG.ask({ type: 'score', url, input: json.slice((count - 1) * PART), parts: { id, count } });
  }

  /** Shows what a reading found: the posting's panel or bar, the risky cards' markers, their highlights. */
  function draw(page, reply) {
    if (reply.hidden || hiddenHere) {
      JG.clearAll();
      return;
    }
    const posting = reply.posting?.verdict;
    const groups = [];
    if (posting && posting.level !== 'safe') {
      JG.warning.show(posting, reply.view);
      groups.push(posting);
    } else {
      JG.warning.remove();
    }
    const cards = Array.isArray(reply.cards) ? reply.cards : [];
    if (cards.length) JG.markers.show(cards, reply.view, page.elements);
    else JG.markers.remove();
    for (const c of cards) groups.push(c.verdict);
    if (groups.length) JG.highlight.apply(groups, page.segments);
    else JG.highlight.clear();
  }

  const OURS = new Set(['JOBGUARD-WARNING', 'JOBGUARD-MARKER']);
  // A change that only added or removed our own hosts (the warning, a card's marker).
  function ours(r) {
    if (OURS.has(r.target.nodeName)) return true;
    if (r.type !== 'childList') return false;
    const changed = [...r.addedNodes, ...r.removedNodes];
    return changed.length > 0 && changed.every((n) => OURS.has(n.nodeName));
  }

  function onMutations(records) {
    // Our own hosts and highlights are no reason to look again.
    for (const r of records) {
      if (!ours(r)) {
        schedule();
        return;
      }
    }
  }

  function onUrlChange() {
    if (location.href === lastUrl) return;
    lastUrl = location.href;
    hiddenHere = false;
    lastHash = null; // a new posting is scored even if its text happens to equal the old one
    lastReply = null;
    schedule(150);
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
    observer?.disconnect();
    JG.clearAll();
  }

  api.runtime.onMessage.addListener((msg, sender) => {
    // Only our own background or pages talk to us; a page cannot reach this listener.
    if (sender.id !== api.runtime.id || sender.tab || !msg || typeof msg !== 'object') return;
    if (msg.type === 'dismiss') JG.warning.dismiss();
    if (msg.type === 'clear') {
      hiddenHere = true;
      JG.clearAll();
    }
  });

  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'local' || !changes.settings) return;
    settings = changes.settings.newValue ?? settings;
    if (allowlisted()) {
      JG.clearAll();
      lastHash = null;
    } else {
      lastHash = null;
      schedule(50);
    }
  });

  (async () => {
    const got = await api.storage.local.get('settings');
    settings = got.settings ?? { scope: 'job-pages', allowlist: [] };
    if (allowlisted()) return; // never read an allowlisted site; the settings listener above still reacts
    observer = new MutationObserver(onMutations);
    observer.observe(document.documentElement, { childList: true, subtree: true, characterData: true });
    addEventListener('popstate', onUrlChange);
    addEventListener('hashchange', onUrlChange);
    if (globalThis.navigation?.addEventListener) {
      // The Navigation API reports the page's own pushState/replaceState too (Chromium): no polling needed.
      navigation.addEventListener('currententrychange', onUrlChange);
    } else {
      setInterval(onUrlChange, URL_POLL_MS);
    }
    addEventListener('pagehide', (e) => {
      if (!e.persisted) stop();
    });
    schedule(0);
  })();
})(globalThis.__jobguard);
