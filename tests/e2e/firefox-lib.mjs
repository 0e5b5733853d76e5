// Firefox helpers of the end-to-end tests: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi (no browser download); the page's static server is ./serve.mjs.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { serve } from './serve.mjs';

export { serve };

// A fresh profile every launch (the first run of a new visitor).
export async function launchFirefox(firefox = '/usr/bin/firefox-esr') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pinchglass-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefox,
    headless: true,
    protocol: 'webDriverBiDi',
    userDataDir: dir,
    extraPrefsFirefox: {
      // no background traffic to the outside from a test profile
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// One Firefox session of a test: serves `www` (with the COOP/COEP headers unless `isolation` is
// false), starts Firefox in a fresh profile and hands `body` the server and a new page; closes the
// browser and stops the server however `body` ends.
export async function firefoxSession({ firefox, www, isolation = true }, body) {
  const server = await serve(www, isolation);
  const ff = await launchFirefox(firefox);
  try {
    return await body({ server, page: await ff.browser.newPage() });
  } finally {
    await ff.close();
    server.stop();
  }
}

// Polls `fn` in the page (which may reload meanwhile) until it returns a truthy value or time is up.
export async function poll(page, fn, timeout, every = 250) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      const v = await page.evaluate(fn);
      if (v) return v;
    } catch {
      // a navigation (the service worker's reload) destroyed the context: try again
    }
    if (Date.now() > end) return null;
    await new Promise((r) => setTimeout(r, every));
  }
}

export const pageState = () => ({
  state: document.body?.dataset.state,
  stage: document.getElementById('stage')?.textContent,
  note: document.getElementById('build-note')?.textContent,
  error: document.getElementById('run-error')?.textContent,
  build: window.pinchglass?.build,
  threads: window.pinchglass?.threads,
  isolated: window.crossOriginIsolated,
  workerStarts: window.pinchglass?.workerStarts ?? 0,
  workerRestarts: window.pinchglass?.workerRestarts ?? 0,
  workerStalls: window.pinchglass?.workerStalls ?? [],
  workerStallLogs: window.pinchglass?.workerStallLogs ?? [],
  // what the page before coi-serviceworker's reload had done (header-less route; www/main.js)
  unloadedPage: JSON.parse(sessionStorage.getItem('pinchglass-unloaded-page') ?? 'null'),
});

// One start of the page in a fresh profile: until the cross-origin isolated page's data-state is
// done or error (on the header-less route the page before coi-serviceworker's reload is not
// isolated, and its state is not the start's outcome), or `timeout`. The state is read in the
// same evaluation that sees the end, so a reload in between cannot mix two documents.
export async function firefoxStart({ firefox, url, timeout = 120_000 }) {
  const t0 = Date.now();
  const ff = await launchFirefox(firefox);
  try {
    const page = await ff.browser.newPage();
    await page.goto(url);
    const ended = `(${pageState})()`;
    let s = await poll(page, new Function(`const s = ${ended};
      return ['done', 'error'].includes(s.state) && s.isolated ? s : null;`), timeout);
    s ??= (await poll(page, pageState, 5_000)) ?? {};
    return { ...s, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await ff.close();
  }
}
