// The namespace the content-script files share (in the extension's isolated world: pages cannot see it), and
// the content side of the platform layer.
(function () {
  if (globalThis.__jobguard) return; // injected twice (extension reloaded): keep the first
  const api = globalThis.browser?.runtime?.id ? globalThis.browser : globalThis.chrome;
  globalThis.__jobguard = {
    api,
    /** Sends a request to our background; resolves to its answer, or null when there is none. */
    ask(msg) {
      return api.runtime.sendMessage(msg).catch(() => null);
    },
    /**
     * Styles a shadow root with `cssText`: a constructed stylesheet (not subject to the page's CSP, which may
     * forbid inline styles); Firefox refuses sheets constructed in a content script, so there it links the
     * packaged `file` instead (web-accessible in the Firefox build only, where its URL is random per install).
     */
    style(root, cssText, file = 'content/warning.css') {
      try {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(cssText);
        root.adoptedStyleSheets = [sheet];
        return;
      } catch {
        // fall through to the <link>
      }
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = api.runtime.getURL(file);
      root.append(link);
    },
  };
})();
