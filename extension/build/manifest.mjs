// Prints the manifest for one browser from extension/manifest.json (written for Chromium). The platform
// differences of the manifest all live here: Firefox gets an event page (background.scripts) instead of a
// service worker, its add-on id and minimum version, and no Chromium-only keys.
// Usage: node manifest.mjs chromium|firefox extension/manifest.json
import { readFileSync } from 'node:fs';

const [browser, file] = process.argv.slice(2);
const m = JSON.parse(readFileSync(file, 'utf8'));
if (browser === 'firefox') {
  m.background = { scripts: [m.background.service_worker], type: 'module' };
  m.browser_specific_settings = {
    gecko: {
      id: 'jobguard@jobguard.example',
      // 140 (the current ESR): the first with data_collection_permissions and the Custom Highlight API.
      strict_min_version: '140.0',
      // Nothing is collected unless the reader presses Report or "Not a scam"; then they see what is sent.
      data_collection_permissions: { required: ['none'], optional: ['websiteContent'] },
    },
    // Firefox for Android learned data_collection_permissions in 142.
    gecko_android: { strict_min_version: '142.0' },
  };
  // Firefox cannot adopt a stylesheet constructed in a content script: the warning and the card markers link
  // their CSS files instead (content/ns.js), so those two files are web-accessible there. Firefox gives each
  // install a random origin.
  m.web_accessible_resources = [
    { resources: ['content/warning.css', 'content/marker.css'], matches: ['http://*/*', 'https://*/*'] },
  ];
  // minimum_chrome_version means nothing to Firefox (and web-ext lint flags it).
  delete m.minimum_chrome_version;
} else if (browser !== 'chromium') {
  console.error(`manifest: unknown browser ${browser}`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(m, null, 2)}\n`);
