// Markers on the risky cards of a list: for each, one <jobguard-marker> host put first in the card, holding a
// closed shadow root (the page can neither read nor restyle it) with a small button; the button opens a popover
// (inside the same shadow root) with the card's reasons in the reader's language and a Report button for that
// card. Only the reader's own clicks and keys count. A host the page removes is put back.
(function (JG) {
  const MAX_REATTACH = 30;
  // Elements whose children must be of certain kinds (rows, cells, items): the marker goes into the first of
  // their descendants that can hold it.
  const CONTAINERS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'select', 'colgroup']);
  let items = []; // [{ host, root, target, card, pop, button }]
  let view = null;
  let guard = null;
  let reattached = 0;
  let openItem = null;

  const t = (key, ...subs) =>
    String(view?.strings?.[key] ?? key).replace(/\$(\d)/g, (_, i) => String(subs[Number(i) - 1] ?? ''));

  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  };

  // Only the reader's own clicks and key presses count, never events a page script made up; none of them reach
  // the card (a card is often a link, or has its own click handler).
  const trusted = (fn) => (e) => {
    e.stopPropagation();
    if (!e.isTrusted) return;
    e.preventDefault();
    fn(e);
  };

  function targetOf(card) {
    let target = card;
    while (CONTAINERS.has(target.localName) && target.firstElementChild) target = target.firstElementChild;
    return target;
  }

  function place(item) {
    const r = item.button.getBoundingClientRect();
    const pop = item.pop;
    const width = Math.min(360, innerWidth - 16);
    const height = pop.offsetHeight || 200;
    const left = Math.max(8, Math.min(r.left, innerWidth - width - 8));
    const below = r.bottom + 6;
    const top = below + height + 8 <= innerHeight || r.top - height - 6 < 8 ? below : r.top - height - 6;
    pop.style.setProperty('--x', `${left}px`);
    pop.style.setProperty('--y', `${Math.max(8, top)}px`);
    pop.style.setProperty('--w', `${width}px`);
  }

  const onScroll = () => openItem && place(openItem);
  function onOutside(e) {
    // A click inside a marker's shadow root reaches the document as a click on its host.
    if (openItem && e.target !== openItem.host) close(false);
  }

  function close(refocus) {
    const item = openItem;
    if (!item) return;
    openItem = null;
    item.pop.hidden = true;
    item.button.setAttribute('aria-expanded', 'false');
    removeEventListener('scroll', onScroll, true);
    removeEventListener('resize', onScroll);
    document.removeEventListener('click', onOutside, true);
    if (refocus) item.button.focus({ preventScroll: true });
  }

  function open(item) {
    if (openItem) close(false);
    openItem = item;
    item.pop.hidden = false;
    item.button.setAttribute('aria-expanded', 'true');
    place(item);
    addEventListener('scroll', onScroll, { capture: true, passive: true });
    addEventListener('resize', onScroll, { passive: true });
    document.addEventListener('click', onOutside, true);
    item.pop.querySelector('[data-action="report"]')?.focus({ preventScroll: true });
  }

  function make(card, cardEl) {
    const v = card.verdict;
    const level = v.level === 'danger' ? 'danger' : 'caution';
    const host = document.createElement('jobguard-marker');
    const root = host.attachShadow({ mode: 'closed' });
    JG.style(root, view.markerCss, 'content/marker.css');
    const label = t(level === 'danger' ? 'w_marker_danger' : 'w_marker_caution');
    const button = el('button', {
      type: 'button', class: `marker ${level}`, 'data-action': 'why', 'data-level': level, 'aria-expanded': 'false',
      'aria-controls': 'pop', 'aria-haspopup': 'dialog', title: t('w_marker_help'),
    }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }), el('span', { text: label }));
    const reasons = el('ul');
    const seen = new Set();
    // Two rules may share one explanation: say it once.
    for (const r of v.reasons.filter((x) => x.weight > 0 && !seen.has(x.explanation) && seen.add(x.explanation)).slice(0, 8)) {
      reasons.append(el('li', {}, el('strong', { text: `+${r.weight} ` }), document.createTextNode(r.explanation)));
    }
    const names = v.categories.filter((c) => c.score > 0).map((c) => c.name);
    const pop = el('div', { id: 'pop', class: `pop ${level}`, role: 'dialog', 'aria-labelledby': 'pop-title', 'data-level': level, hidden: '' },
      el('h2', { id: 'pop-title', text: t(level === 'danger' ? 'w_card_title_danger' : 'w_card_title_caution') }),
      el('p', { class: 'intro', text: t(level === 'danger' ? 'w_card_intro_danger' : 'w_intro_caution') }),
      names.length ? el('p', { class: 'found' }, el('strong', { text: `${t('w_found')} ` }), document.createTextNode(names.join(' · '))) : null,
      reasons,
      el('p', { class: 'muted', text: t('w_score', v.score) }),
      el('div', { class: 'actions' },
        el('button', { type: 'button', 'data-action': 'report', class: 'primary', text: t('w_btn_report') }),
        el('button', { type: 'button', 'data-action': 'close', text: t('w_btn_close') })));
    const wrap = el('span', { class: 'wrap', lang: String(view.lang || 'en').replace('_', '-') }, button, pop);
    const item = { host, root, target: targetOf(cardEl), card: cardEl, index: card.index, pop, button };
    button.addEventListener('click', trusted(() => (openItem === item ? close(true) : open(item))));
    pop.querySelector('[data-action="report"]').addEventListener('click', trusted(() => {
      JG.ask({ type: 'action', action: 'report', card: card.index });
      close(false);
    }));
    pop.querySelector('[data-action="close"]').addEventListener('click', trusted(() => close(true)));
    wrap.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape' && e.isTrusted && openItem === item) {
        e.preventDefault();
        close(true);
      }
    });
    // The card's own handlers (navigation on mousedown, drag, swipe) never see presses on the marker.
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend', 'auxclick', 'dblclick']) {
      wrap.addEventListener(type, (e) => e.stopPropagation());
    }
    root.append(wrap);
    item.target.prepend(host);
    return item;
  }

  function watch() {
    guard?.disconnect();
    guard = new MutationObserver(() => {
      for (const item of items) {
        // Attributes set on a host by the page (style, hidden, class) are undone; a removed host is put back
        // while its card is still there.
        for (const a of [...item.host.attributes]) item.host.removeAttribute(a.name);
        if (!item.host.isConnected && item.target.isConnected && reattached < MAX_REATTACH) {
          reattached += 1;
          item.target.prepend(item.host);
        }
      }
    });
    for (const item of items) {
      guard.observe(item.target, { childList: true });
      guard.observe(item.host, { attributes: true });
    }
  }

  /**
   * Marks the risky `cards` of a reading (`[{ index, node, title, verdict }]`) on their elements (`elements[node]`
   * from the walk); `v` carries the strings and the CSS. Returns the number of markers shown.
   */
  function show(cards, v, elements) {
    remove();
    view = v;
    for (const card of cards) {
      const cardEl = elements[card.node];
      if (cardEl?.isConnected) items.push(make(card, cardEl));
    }
    if (items.length) watch();
    return items.length;
  }

  function remove() {
    close(false);
    guard?.disconnect();
    guard = null;
    for (const item of items) item.host.remove();
    items = [];
  }

  /** True when a marked card left the page (it was re-rendered): time to draw again. */
  function stale() {
    return items.some((item) => !item.target.isConnected);
  }

  JG.markers = { show, remove, stale, count: () => items.length };
})(globalThis.__jobguard);
