// End-to-end tests of the page in Firefox (issue 15): Debian's firefox-esr driven by puppeteer-core
// over WebDriver BiDi, a fresh profile per browser. Run by ./build.sh test after the Chromium tests.
//
//   node tests/e2e/firefox.mjs [--firefox /usr/bin/firefox-esr] [--www www] [--starts 10]
//
// - headers (COOP/COEP): the default run reaches done with the threaded build; bad densities are
//   refused next to the density control with no "NaN"; T_p = 5 with K = 30 then K = 0 leaves no
//   stale soft-spot view; keyboard-only pinch; Back/Forward through the tabs and Lecture steps.
// - no headers (the GitHub Pages route): `--starts` fresh-profile starts in a row (coi-serviceworker
//   installs and reloads once each time), every one must reach done without a compute-worker restart.
// - one Lecture step drawn.
// The last line is "N passed, M failed"; the exit code is 1 if anything failed.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firefoxSession, firefoxStart, poll, serve, pageState } from './firefox-lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 && process.argv[k + 1] ? process.argv[k + 1] : fallback;
};
const FIREFOX = arg('firefox', '/usr/bin/firefox-esr');
const WWW = path.resolve(arg('www', path.join(ROOT, 'www')));
const STARTS = Number(arg('starts', 10));
const RUN = 120_000;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} firefox: ${name}${detail ? `  (${detail})` : ''}`);
}

const ended = () => ['done', 'error'].includes(document.body?.dataset.state);
async function runTo(page, url) {
  await page.goto(url);
  await poll(page, ended, RUN);
  return page.evaluate(() => document.body.dataset.state);
}
async function fill(page, id, value) {
  await page.evaluate((i, v) => {
    const el = document.getElementById(i);
    el.closest('details')?.setAttribute('open', '');
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, id, value);
}
async function clickRun(page) {
  await page.evaluate(() => document.getElementById('run').click());
  await poll(page, () => document.body.dataset.state === 'running', 10_000, 50);
  await poll(page, ended, RUN);
  return page.evaluate(() => document.body.dataset.state);
}

async function withHeaders() {
  return firefoxSession({ firefox: FIREFOX, www: WWW }, async ({ server, page }) => {
    const errors = [];
    // Navigating away (the next page.goto) while a spare or thread worker is still importing its
    // module aborts that import, which Firefox reports as "error loading dynamically imported
    // module …workerHelpers…"; any other error counts.
    page.on('pageerror', (e) => {
      if (!/error loading dynamically imported module: \S+\/pkg-threads\//.test(String(e))) errors.push(String(e));
    });
    let state = await runTo(page, server.url);
    const s = await page.evaluate(pageState);
    const ink = await page.evaluate(() => [...document.querySelectorAll('#views canvas')].map((c) => {
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] < 240 || px[k + 1] < 240 || px[k + 2] < 240) n++;
      return n / (px.length / 4);
    }));
    check('headers: the default run reaches done, threaded, every view drawn',
      state === 'done' && s.build === 'threaded' && s.isolated && ink.every((x) => x > 0.01),
      `state ${state}, build ${s.build}, ${s.threads} threads, error "${s.error}"`);
    // densities: refused next to density, no compute, no NaN
    for (const density of ['1e-9', '1e-5', '5', '100']) {
      state = await runTo(page, `${server.url}?dim=2&n=300&tp=1&seed=1&sweeps=300&density=${density}`);
      const r = await page.evaluate(() => ({
        msg: document.getElementById('err-density').textContent,
        others: [...document.querySelectorAll('#controls .error')].filter((e) => e.id !== 'err-density' && e.textContent).length,
        all: [...document.querySelectorAll('.error')].map((e) => e.textContent).join(' '),
        results: window.pinchglass.results,
      }));
      check(`density ${density}: refused next to density before any compute, no "NaN"`,
        state === 'error' && /allowed/.test(r.msg) && r.others === 0 && r.results === null && !/NaN/.test(r.all), `"${r.msg.slice(0, 70)}…"`);
    }
    state = await runTo(page, `${server.url}?dim=2&n=&tp=Infinity&seed=1&sweeps=300`);
    const words = await page.evaluate(() => [...document.querySelectorAll('.error')].map((e) => e.textContent).filter(Boolean));
    check('empty N and T_p = Infinity: "N is required", "T_p must be a finite number", no "NaN"',
      state === 'error' && words.includes('N is required') && words.some((w) => /^T_p must be a finite number/.test(w)) && !words.some((w) => /NaN/.test(w)),
      words.join(' | '));
    // the K = 0 stale view
    state = await runTo(page, `${server.url}?dim=2&n=300&tp=5&seed=1&sweeps=300`);
    await fill(page, 'tp', '0.4');
    await fill(page, 'quartic', '0');
    state = await clickRun(page);
    const k0 = await page.evaluate(() => ({
      map: document.getElementById('canvas-map').getAttribute('aria-label'),
      stale: document.querySelectorAll('#views .stale').length,
      label: document.getElementById('views-label').textContent,
      mode: window.pinchglass.mode,
    }));
    check('T_p = 5 with K = 30, then T_p = 0.4 with K = 0: soft-spot views cleared, views labelled T_p = 0.4',
      state === 'done' && /K = 0/.test(k0.map) && k0.stale === 0 && k0.mode === null && /T_p = 0\.4/.test(k0.label), `"${k0.label}"`);
    // keyboard-only pinch
    const order = await page.evaluate(() => {
      const d = window.pinchglass.data;
      return [...d.pairOmega.keys()].sort((a, b) => d.pairOmega[a] - d.pairOmega[b]).slice(0, 2);
    });
    await page.focus('#canvas-glass');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const pinched = await poll(page, () => window.pinchglass.pinch?.pair, 10_000);
    check('keyboard-only pinch: Home, →, Enter pinches the second softest pair', pinched === order[1], `pinched ${pinched}, wanted ${order[1]}`);
    // Back / Forward through tabs and Lecture steps
    await page.evaluate(() => document.getElementById('tab-lecture').click());
    await poll(page, () => document.body.dataset.lecture === 'ready', 30_000);
    await page.evaluate(() => document.getElementById('lecture-next').click());
    await poll(page, () => document.body.dataset.lectureStep === '2', 10_000);
    const where = () => page.evaluate(() => `${document.body.dataset.mode}${document.body.dataset.mode === 'lecture' ? `:${document.body.dataset.lectureStep}` : ''}`);
    const trail = [await where()];
    for (const go of ['back', 'back', 'forward', 'forward']) {
      await page.evaluate((g) => history[g](), go);
      await new Promise((r) => setTimeout(r, 400));
      trail.push(await where());
    }
    const run = await page.evaluate(() => window.pinchglass.results?.tp);
    check('Back/Forward through tabs and steps: lecture 2 → 1 → explore (its run intact), Forward → lecture 1 → 2',
      trail.join(' ') === 'lecture:2 lecture:1 explore lecture:1 lecture:2' && run === 0.4, trail.join(' → '));
    check('no page errors', errors.length === 0, errors.join(' | '));
    await page.close();
  });
}

async function headerless() {
  const server = await serve(WWW, false);
  try {
    let done = 0;
    let restarts = 0;
    const lines = [];
    const stalls = [];
    const early = [];
    for (let k = 1; k <= STARTS; k++) {
      const r = await firefoxStart({ firefox: FIREFOX, url: server.url, timeout: RUN });
      if (r.state === 'done' && r.isolated && r.build === 'threaded') done += 1;
      restarts += r.workerRestarts ?? 0;
      // the page before the reload: it must neither start a compute worker (no wasm before the
      // reload) nor show an error (it did in about 1 start in 20 before main.js waited on unload)
      const before = r.unloadedPage;
      if (before && !before.isolated && (before.state === 'error' || before.workers > 0)) early.push(JSON.stringify(before));
      stalls.push(...(r.workerStalls ?? []));
      lines.push(`${r.state === 'done' ? r.seconds.toFixed(1) : `${r.state}: ${r.stage} / ${r.note}`}${r.workerRestarts ? ' (worker restarted)' : ''}`);
    }
    check(`no headers (service worker): ${STARTS} fresh-profile starts in a row reach done, isolated and threaded`,
      done === STARTS, `${done}/${STARTS}; seconds: ${lines.join(', ')}`);
    // The first-run stall (a `new Worker()` inside the compute worker that never returned, 7 of 110
    // header-less starts) is gone since the page starts the rayon threads: a start that needs the
    // watchdog's worker restart is a regression, even when the restart rescued it.
    check('no headers: no start needed a compute-worker restart (the first-run stall of issue 15)',
      restarts === 0, `${restarts} restarts${stalls.length ? `, stalled at: ${stalls.join(', ')}` : ''}`);
    check('no headers: the page before the service worker\'s reload started no compute worker and showed no error',
      early.length === 0, early.length ? early.join('; ') : 'every start');
  } finally {
    server.stop();
  }
}

async function lecture() {
  return firefoxSession({ firefox: FIREFOX, www: WWW }, async ({ server, page }) => {
    await page.goto(`${server.url}?mode=lecture&step=4`);
    await poll(page, () => ['ready', 'error'].includes(document.body.dataset.lecture), 30_000);
    const r = await page.evaluate(() => {
      const c = document.getElementById('lecture-canvas');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] < 240) n++;
      return { state: document.body.dataset.lecture, step: document.body.dataset.lectureStep, ink: n / (px.length / 4),
        label: c.getAttribute('aria-label') };
    });
    check('Lecture step 4 is drawn, with a text alternative', r.state === 'ready' && r.step === '4' && r.ink > 0.01 && /Step 4/.test(r.label ?? ''),
      `state ${r.state}, ink ${(100 * r.ink).toFixed(1)} %`);
  });
}

const t0 = Date.now();
try {
  await withHeaders();
  await lecture();
  await headerless();
} catch (e) {
  check('the Firefox run itself', false, e.stack || String(e));
}
console.log(`firefox e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
