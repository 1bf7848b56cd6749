// The warning: one <jobguard-warning> host on <html> with a closed shadow root (the page can neither read nor
// restyle it), built with textContent only, styled by a constructed stylesheet (pages with a strict CSP forbid
// inline styles). Caution is a compact one-line bar on the bottom edge (the posting stays readable; "Why?"
// unfolds the reasons above it); danger is a panel that stays until dismissed. Put back if the page removes it.
(function (JG) {
  let host = null;
  let root = null;
  let state = null; // { verdict, view, dismissed, whyOpen }
  let tip = null;
  let guard = null;
  let reattached = 0;
  const MAX_REATTACH = 30; // a page fighting us forever must not make us loop forever

  const el = (tag, props = {}, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props)) {
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c) e.append(c);
    return e;
  };
  const t = (key, ...subs) =>
    String(state?.view?.strings?.[key] ?? key).replace(/\$(\d)/g, (_, i) => String(subs[Number(i) - 1] ?? ''));

  // Only the reader's own clicks and key presses count, never events a page script made up.
  const trusted = (fn) => (e) => {
    if (!e.isTrusted) return;
    e.preventDefault();
    e.stopPropagation();
    fn(e);
  };

  function button(action, label, fn, cls = '') {
    return el('button', { type: 'button', 'data-action': action, class: cls, text: label, onclick: trusted(fn) });
  }

  function hotlines(view) {
    const box = el('div', { class: 'help' }, el('h3', { text: t('w_hotlines', view.countryName) }));
    if (!view.hotlines.length) {
      box.append(el('p', { class: 'muted', text: t('w_no_hotlines') }));
      return box;
    }
    const ul = el('ul', { class: 'lines' });
    for (const h of view.hotlines) {
      const li = el('li', { 'data-hotline': h.number }, el('span', { class: 'num', text: h.number }), el('span', { class: 'label', text: h.label }));
      if (!h.confirmed) li.append(el('span', { class: 'muted', text: ` (${t('w_unconfirmed')})` }));
      ul.append(li);
    }
    box.append(ul);
    return box;
  }

  function whyList(verdict) {
    const box = el('div', { class: 'why' }, el('h3', { text: t('w_why_heading') }));
    const ul = el('ul');
    const seen = new Set();
    // Two rules may share one explanation: say it once.
    for (const r of verdict.reasons.filter((x) => x.weight > 0 && !seen.has(x.explanation) && seen.add(x.explanation)).slice(0, 12)) {
      ul.append(el('li', {}, el('strong', { text: `+${r.weight} ` }), document.createTextNode(r.explanation)));
    }
    box.append(ul, el('p', { class: 'muted', text: t('w_score', verdict.score) }));
    return box;
  }

  // Dismissed: the panel folds into a small button that brings it back; the focus goes there, not to nowhere.
  function collapse() {
    state.dismissed = true;
    render();
    root.querySelector('.chip')?.focus({ preventScroll: true });
  }

  function whyButton() {
    return button('why', state.whyOpen ? t('w_btn_why_hide') : t('w_btn_why'), () => {
      state.whyOpen = !state.whyOpen;
      render();
      root.querySelector('[data-action="why"]')?.focus();
    });
  }
  const reportButton = () => button('report', t('w_btn_report'), () => JG.ask({ type: 'action', action: 'report' }));
  const notScamButton = () =>
    button('not-scam', t('w_btn_not_scam'), async () => {
      await JG.ask({ type: 'action', action: 'not-scam' });
      JG.clearAll();
    });
  const hideSiteButton = () => button('hide-site', t('w_btn_hide_site'), () => JG.ask({ type: 'action', action: 'hide-site' }));

  // Escape dismisses too, for keyboard users (only the reader's own key press counts).
  function escapeCollapses(box) {
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && e.isTrusted) {
        e.stopPropagation();
        collapse();
      }
    });
  }

  /** Caution: one line on the bottom edge; the reasons, hotlines and "Hide for this site" unfold above it. */
  function bar(verdict, view, names) {
    const line = el('div', { class: 'line' },
      el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }),
      el('h2', { id: 'jg-title', text: t('w_title_caution') }),
      names.length ? el('span', { class: 'found', text: names.join(' · ') }) : null,
      el('span', { class: 'actions' }, whyButton(), reportButton(), notScamButton(),
        button('dismiss', '\u00d7', collapse, 'close')));
    line.querySelector('[data-action="dismiss"]').setAttribute('aria-label', t('w_btn_dismiss'));
    line.querySelector('[data-action="dismiss"]').title = t('w_btn_dismiss');
    const more = state.whyOpen
      ? el('div', { class: 'more' }, el('p', { class: 'intro', text: t('w_intro_caution') }), whyList(verdict), hotlines(view),
        el('div', { class: 'actions' }, hideSiteButton()))
      : null;
    const panel = el('section',
      { class: 'panel caution bar', role: 'alert', 'data-level': 'caution', 'aria-labelledby': 'jg-title', lang: view.lang.replace('_', '-') },
      more, line);
    escapeCollapses(panel);
    return panel;
  }

  function render() {
    const { verdict, view } = state;
    const level = verdict.level;
    root.replaceChildren();
    if (state.dismissed) {
      const chip = el('button', { type: 'button', class: `chip ${level}`, 'data-action': 'show', text: `! ${t('w_show_again')}`, onclick: trusted(() => {
        state.dismissed = false;
        render();
      }) });
      root.append(chip, tip);
      return;
    }
    const names = verdict.categories.filter((c) => c.score > 0).map((c) => c.name);
    if (level !== 'danger') {
      root.append(el('div', { class: 'layer caution' }, bar(verdict, view, names)), tip);
      return;
    }
    const panel = el(
      'section',
      { class: `panel ${level}`, role: 'alert', 'data-level': level, 'aria-labelledby': 'jg-title', lang: view.lang.replace('_', '-') },
      el('div', { class: 'head' }, el('span', { class: 'icon', 'aria-hidden': 'true', text: '!' }),
        el('h2', { id: 'jg-title', text: t('w_title_danger') })),
      el('p', { class: 'intro', text: t('w_intro_danger') }),
      names.length ? el('p', { class: 'found' }, el('strong', { text: `${t('w_found')} ` }), document.createTextNode(names.join(' · '))) : null,
      state.whyOpen ? whyList(verdict) : null,
      hotlines(view),
      el('div', { class: 'actions' }, whyButton(), reportButton(), notScamButton(), hideSiteButton(),
        button('dismiss', t('w_btn_dismiss'), collapse, 'primary')),
      el('p', { class: 'brand muted', text: t('w_brand') }),
    );
    escapeCollapses(panel);
    const layer = el('div', { class: `layer ${level}` }, panel);
    root.append(layer, tip);
  }

  function attach() {
    if (!host.isConnected) document.documentElement.append(host);
  }

  function watch() {
    guard?.disconnect();
    guard = new MutationObserver(() => {
      if (!host) return;
      // Attributes set on the host by the page (style, hidden, class) are undone; a removed host is put back.
      for (const a of [...host.attributes]) host.removeAttribute(a.name);
      if (!host.isConnected && reattached < MAX_REATTACH) {
        reattached += 1;
        attach();
      }
    });
    guard.observe(document.documentElement, { childList: true });
    guard.observe(host, { attributes: true });
  }

  /** Shows (or updates) the warning for a verdict; `view` carries strings, CSS, country and hotlines. */
  function show(verdict, view) {
    const sameLevel = state && state.verdict.level === verdict.level;
    state = { verdict, view, dismissed: sameLevel ? state.dismissed : false, whyOpen: sameLevel ? state.whyOpen : false };
    if (!host) {
      host = document.createElement('jobguard-warning');
      root = host.attachShadow({ mode: 'closed' });
      JG.style(root, view.css);
      tip = el('div', { class: 'tip', role: 'tooltip', hidden: '' });
    }
    render();
    attach();
    watch();
    if (verdict.level === 'danger' && !state.dismissed && !sameLevel) {
      // A danger panel takes the focus, so keyboard and screen-reader users meet it first. Not at once: focus()
      // forces a layout of the whole page, which would land in our task; after the next frame the browser has
      // laid the page out in its own rendering step.
      const r = root;
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (root === r && !state?.dismissed) r.querySelector('[data-action="dismiss"]')?.focus({ preventScroll: true });
        }, 0),
      );
    }
  }

  function remove() {
    guard?.disconnect();
    guard = null;
    host?.remove();
    host = null;
    root = null;
    state = null;
  }

  function dismiss() {
    if (!state) return;
    state.dismissed = true;
    render();
  }

  function showTip(text, rect) {
    if (!tip || !text) return;
    tip.textContent = text;
    tip.hidden = false;
    const top = rect.bottom + 6 + 80 < innerHeight ? rect.bottom + 6 : Math.max(4, rect.top - 86);
    tip.style.setProperty('--x', `${Math.max(4, Math.min(rect.left, innerWidth - 330))}px`);
    tip.style.setProperty('--y', `${top}px`);
  }

  function hideTip() {
    if (tip) tip.hidden = true;
  }

  JG.warning = { show, remove, dismiss, showTip, hideTip, isShown: () => Boolean(host) };
})(globalThis.__jobguard);
