// End-to-end tests of the browser explorer: serve the real page (scripts/serve.py), drive Debian's
// chromium headless with playwright-core, and compare what the page computes with the CLI.
//
//   node tests/e2e/run.mjs [--chromium /usr/bin/chromium] [--www www] [--cli target/release/pinchglass]
//                          [--only NAME] [--screenshots DIR]
//
// Routes: "isolated" (COOP/COEP headers → threaded build, threads = hardwareConcurrency),
// "service worker" (no headers, coi-serviceworker allowed → one reload, then isolated and threaded;
// no wasm is fetched before that reload) and "not isolated" (no headers, service workers blocked →
// single-threaded fallback). Also: click-to-pinch, quartic modes (Fig. 1 map, click a blob to animate
// its mode), the full vDOS, presets and the comparison view, exports.
// Modes: "lecture" (precomputed ensembles from www/data/: opens without any computation, five steps
// drawn, next/prev and ?step=k) and "sweep" (a tiny live ensemble: its records and summary equal
// `pinchglass sweep` / `summarize`, figures drawn, cancel, a bad T_p list refused next to its control);
// "sweep-default" (only with --only) times the sweep mode's default preset.
// Issue 15: "stress" (densities 1e-9, 1e-5, 5, 100 and other bad input refused next to their
// control in words with no "NaN"; stale views greyed and cleared (K = 0); labels; Cancel keeps the
// last run usable; keyboard-only pinch and blob selection; a crashed worker and the watchdog) and
// "history" (Back/Forward through tabs, Lecture steps and presets; tab keys; names and text
// alternatives; focus style). Firefox: tests/e2e/firefox.mjs.
// The last line is "N passed, M failed"; the exit code is 1 if anything failed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : true]);
    return acc;
  }, []),
);
const CHROMIUM = args.chromium ?? '/usr/bin/chromium';
const WWW = path.resolve(args.www ?? path.join(ROOT, 'www'));
const CLI = path.resolve(args.cli ?? path.join(ROOT, 'target', 'release', 'pinchglass'));
const SCREENSHOTS = args.screenshots ? path.resolve(args.screenshots) : null;
const RUN_TIMEOUT = 90_000;
const DEFAULT = { dim: 2, n: 300, tp: 1, seed: 1, sweeps: 300 };
// The page's own default (the lecture preset, in the paper's units: T_p = 1 T_onset = 3 ε/k_B in 2D)
// in model units, as the CLI takes it.
const PAGE_DEFAULT = { dim: 2, n: 300, tp: 3, seed: 1, sweeps: 12000 };
const QUARTIC = 30; // the page's default K
// every view of a single run
const VIEWS = ['canvas-glass', 'canvas-field', 'canvas-trace', 'canvas-vdos', 'canvas-pinches', 'canvas-map',
  'canvas-mode', 'canvas-participation', 'canvas-decay'];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pinchglass-e2e-'));
let passed = 0;
let failed = 0;
const notes = [];

function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
    console.log(`ok   ${name}${detail ? `  (${detail})` : ''}`);
  } else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `  (${detail})` : ''}`);
  }
}

async function browser(options = {}) {
  const dir = mkdtempSync(path.join(tmp, 'profile-'));
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1400, height: 1300 },
    acceptDownloads: true,
    ...options,
  });
}

// One test's browser session: serves www/ (with the COOP/COEP headers unless `isolation` is false),
// starts Chromium in a fresh profile (the other `options` go to `browser`), opens a page (unless
// `page` is false) and hands `body` the server, the context and the page; closes the browser and
// stops the server however `body` ends, and returns what it returns. `options` may be left out.
async function session(options, body) {
  if (typeof options === 'function') [options, body] = [{}, options];
  const { isolation = true, page: withPage = true, ...launch } = options;
  const server = await serve(WWW, isolation);
  const ctx = await browser(launch);
  try {
    const page = withPage ? await ctx.newPage() : null;
    return await body({ server, ctx, page });
  } finally {
    await ctx.close();
    server.stop();
  }
}

function query(p) {
  return '?' + new URLSearchParams(Object.entries(p).map(([k, v]) => [k, String(v)]));
}

async function waitForEnd(page) {
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.body.dataset.state),
    null,
    { timeout: RUN_TIMEOUT },
  );
  return page.evaluate(() => document.body.dataset.state);
}

// Fraction of non-white pixels of each visible canvas (`selector` narrows the set).
async function canvasInk(page, selector = 'canvas') {
  return page.evaluate((sel) =>
    [...document.querySelectorAll(sel)].filter((c) => c.offsetParent !== null).map((c) => {
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] < 240 || px[k + 1] < 240 || px[k + 2] < 240) ink++;
      return { id: c.id, ink: ink / (px.length / 4) };
    }), selector);
}

// A cheap fingerprint of a canvas's pixels (to see that it was redrawn).
async function canvasHash(page, id) {
  return page.evaluate((cid) => {
    const c = document.getElementById(cid);
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let h = 2166136261;
    for (let k = 0; k < px.length; k += 4) h = Math.imul(h ^ (px[k] + 3 * px[k + 1] + 7 * px[k + 2]), 16777619) >>> 0;
    return h;
  }, id);
}

function cliAnalyze(xyzText, name) {
  const file = path.join(tmp, `${name}.xyz`);
  writeFileSync(file, xyzText);
  const out = execFileSync(CLI, ['analyze', file, '--sparse', '--quartic', String(QUARTIC), '--json', '-'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(String(out));
}

function cliGenerate(p, name) {
  const file = path.join(tmp, `${name}-cli.xyz`);
  execFileSync(CLI, ['generate', '--dim', String(p.dim), '--n', String(p.n), '--tp', String(p.tp),
    '--seed', String(p.seed), '--sweeps', String(p.sweeps), '--quench', '-o', file],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(file, 'utf8');
}

const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);

async function defaultRun(route, ctx, url) {
  const page = await ctx.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const t0 = Date.now();
  await page.goto(url);
  const state = await waitForEnd(page);
  const wall = (Date.now() - t0) / 1000;
  const info = await page.evaluate(() => ({
    results: window.pinchglass.results,
    xyz: window.pinchglass.xyz,
    build: window.pinchglass.build,
    threads: window.pinchglass.threads,
    hardwareConcurrency: navigator.hardwareConcurrency,
    isolated: window.crossOriginIsolated,
    loadToDone: window.pinchglass.loadToDoneSeconds,
    firstPlot: window.pinchglass.firstPlotSeconds,
    runSeconds: window.pinchglass.runSeconds,
    stageSeconds: window.pinchglass.stageSeconds,
    error: document.getElementById('run-error').textContent,
  }));
  check(`${route}: the default preset reaches data-state=done`, state === 'done',
    state === 'done' ? `page load → done ${info.loadToDone?.toFixed(2)} s` : `state ${state}: ${info.error} ${consoleErrors.join(' | ')}`);
  if (state !== 'done') return { page, info };
  notes.push(`${route}: page load → first plots ${info.firstPlot.toFixed(2)} s, → all plots incl. Fig. 1 map and full vDOS ${info.loadToDone.toFixed(2)} s (run in worker ${info.runSeconds.toFixed(2)} s, wall incl. browser start of page ${wall.toFixed(2)} s); build ${info.build}, ${info.threads} threads; stage seconds ${JSON.stringify(info.stageSeconds)}`);
  const ink = await canvasInk(page, '#views canvas');
  check(`${route}: every view is drawn (${ink.length} canvases)`,
    ink.length === VIEWS.length && VIEWS.every((id) => ink.find((c) => c.id === id)?.ink > 0.01),
    ink.map((c) => `${c.id} ${(100 * c.ink).toFixed(1)} %`).join(', '));
  const keys = ['n', 'dim', 'energy', 'pressure', 'omega_g', 'omega_g_all', 'n_pairs', 'shear_modulus', 'eigenvalues',
    'lowest_eigenvalues', 'participation_ratios', 'pairs', 'timings_seconds', 'seed', 'tp', 'sweeps', 'swap_mc',
    'quartic_modes', 'quartic_starts', 'c_r', 'lengths'];
  const missing = keys.filter((k) => !(k in info.results));
  check(`${route}: window.pinchglass.results has the CLI's keys`, missing.length === 0, missing.length ? `missing ${missing}` : '');
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${route.replace(/\W+/g, '-')}.png`), fullPage: true });
  }
  return { page, info };
}

async function testIsolated() {
  return session({ page: false }, async ({ server, ctx }) => {
    const { page, info } = await defaultRun('isolated', ctx, server.url);
    if (!info.results) return null;
    check('isolated: threaded build with threads = navigator.hardwareConcurrency',
      info.isolated && info.build === 'threaded' && info.threads === info.hardwareConcurrency,
      `crossOriginIsolated ${info.isolated}, build ${info.build}, threads ${info.threads}, hardwareConcurrency ${info.hardwareConcurrency}`);

    // the exported XYZ through the page's own download button
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xyz')]);
    const exported = readFileSync(await download.path(), 'utf8');
    check('isolated: the XYZ download equals window.pinchglass.xyz', exported === info.xyz);
    const cli = cliAnalyze(exported, 'isolated');
    const r = rel(info.results.omega_g, cli.omega_g);
    check('isolated: omega_g equals `pinchglass analyze` of the exported XYZ (1e-9 relative)', r < 1e-9,
      `page ${info.results.omega_g}, CLI ${cli.omega_g}, rel ${r.toExponential(2)}`);
    const others = ['energy', 'pressure', 'shear_modulus', 'omega_g_all', 'n_pairs', 'n_pairs_filtered'];
    const worst = Math.max(...others.map((k) => rel(info.results[k], cli[k])));
    check('isolated: E, p, G, ω_g(all), pair counts equal the CLI (1e-9 relative)', worst < 1e-9, `worst rel ${worst.toExponential(2)}`);
    const lw = Math.max(...cli.lowest_eigenvalues.map((l, k) => rel(info.results.lowest_eigenvalues[k], l)));
    check('isolated: the lowest eigenvalues equal `analyze --sparse` (1e-9 relative)',
      info.results.lowest_eigenvalues.length === cli.lowest_eigenvalues.length && lw < 1e-9, `worst rel ${lw.toExponential(2)}`);
    const qp = info.results.quartic_modes;
    const qc = cli.quartic_modes;
    const qw = Math.max(...qc.map((m, k) => rel(qp[k]?.omega ?? NaN, m.omega)));
    check(`isolated: quartic modes equal \`analyze --sparse --quartic ${QUARTIC}\` (count, cores, ω_π to 1e-9, ξ_g)`,
      qp.length === qc.length && qc.every((m, k) => qp[k].core[0] === m.core[0] && qp[k].core[1] === m.core[1] && qp[k].hits === m.hits)
        && qw < 1e-9 && rel(info.results.lengths.xi_g, cli.lengths.xi_g) < 1e-9,
      `${qp.length} modes (CLI ${qc.length}), worst ω_π rel ${qw.toExponential(2)}`);
    const full = info.results.eigenvalues;
    const fw = Math.max(...info.results.lowest_eigenvalues.map((l, k) => rel(full[info.results.n_zero_modes + k], l)));
    check('isolated: the full vDOS (dense) starts with the lowest modes of the sparse route (1e-8 relative)',
      full.length === 2 * (info.results.n - info.results.rattlers.length) && fw < 1e-8, `${full.length} eigenvalues, worst rel ${fw.toExponential(2)}`);
    // native and wasm glasses are bit-identical (libm-free roots in the core)
    const generated = cliGenerate(PAGE_DEFAULT, 'isolated');
    check('isolated: the XYZ is byte-identical to `pinchglass generate --quench` with the same parameters',
      generated === exported, generated === exported ? '' : firstDifference(generated, exported));
    await testPinchClick(page, info.results);
    await testModeClick(page, info.results);
    await testExports(page, info.results);
    await page.close();
    return info.results;
  });
}

// Clicks the midpoint of a pair in the glass view (one whose midpoint is well away from every other
// pair's) and checks that the page pinches that pair: arrows redrawn, ω shown = results' ω.
async function testPinchClick(page, results) {
  const g = await page.evaluate(() => ({
    map: window.pinchglass.glassMapping,
    pos: Array.from(window.pinchglass.data.positions),
    box: Array.from(window.pinchglass.data.boxLengths),
    dim: window.pinchglass.data.dim,
    before: window.pinchglass.pinch,
  }));
  const wrap = (v, l) => v - l * Math.floor(v / l);
  const near = (v, l) => v - l * Math.round(v / l);
  const mids = results.pairs.map((p) => {
    const [xi, yi] = [g.pos[g.dim * p.i], g.pos[g.dim * p.i + 1]];
    const [xj, yj] = [g.pos[g.dim * p.j], g.pos[g.dim * p.j + 1]];
    return [wrap(xi + 0.5 * near(xj - xi, g.box[0]), g.box[0]), wrap(yi + 0.5 * near(yj - yi, g.box[1]), g.box[1])];
  });
  const gap = (k) => Math.min(...mids.map((m, l) => (l === k ? Infinity : Math.hypot(near(m[0] - mids[k][0], g.box[0]), near(m[1] - mids[k][1], g.box[1])))));
  let k = -1;
  for (let c = 0; c < results.pairs.length; c++) {
    const [x, y] = mids[c];
    const inside = x > 1 && x < g.box[0] - 1 && y > 1 && y < g.box[1] - 1;
    if (inside && c !== g.before?.pair && gap(c) > 0.3) { k = c; break; }
  }
  const hashBefore = await canvasHash(page, 'canvas-field');
  const rect = await page.evaluate(() => {
    const r = document.getElementById('canvas-glass').getBoundingClientRect();
    const c = document.getElementById('canvas-glass');
    return { left: r.left, top: r.top, sx: r.width / c.width, sy: r.height / c.height };
  });
  const [px0, px1, py0, py1, x0, x1, y0, y1] = g.map;
  const cx = px0 + ((mids[k][0] - x0) / (x1 - x0)) * (px1 - px0);
  const cy = py0 + ((y1 - mids[k][1]) / (y1 - y0)) * (py1 - py0);
  await page.mouse.click(rect.left + cx * rect.sx, rect.top + cy * rect.sy);
  await page.waitForFunction((before) => window.pinchglass.pinch && window.pinchglass.pinch.pair !== before,
    g.before?.pair ?? -1, { timeout: 10_000 });
  const shown = await page.evaluate(() => ({
    pinch: window.pinchglass.pinch,
    omega: document.getElementById('pinch-omega').dataset.value,
    text: document.getElementById('pinch-omega').textContent,
    label: document.getElementById('pinch-omega').parentElement.innerHTML,
  }));
  const hashAfter = await canvasHash(page, 'canvas-field');
  const p = results.pairs[k];
  // the readout writes ω_g^(ij) with a subscript and a superscript, as the plots do
  check('isolated: clicking a pair in the glass pinches it: arrows redrawn, ω shown = results.pairs[k].omega',
    shown.pinch.pair === k && shown.pinch.i === p.i && shown.pinch.j === p.j && Number(shown.omega) === p.omega
      && hashAfter !== hashBefore && shown.label.startsWith('ω<sub>g</sub><sup>(ij)</sup> ='),
    `clicked pair ${k} (${p.i}, ${p.j}), page pinched ${shown.pinch.pair} (${shown.pinch.i}, ${shown.pinch.j}), ω shown ${shown.text} (${shown.omega}) vs ${p.omega}`);
}

// Clicks the blob of a quartic mode on the Fig. 1 map: the page selects that mode, draws its field
// and animates it (the mode canvas changes from frame to frame).
async function testModeClick(page, results) {
  // all modes on the map (a 300-particle glass has few below ω_g/3)
  await page.selectOption('#map-threshold', '0');
  const g = await page.evaluate(() => ({
    map: window.pinchglass.mapMapping,
    pos: Array.from(window.pinchglass.data.positions),
    box: Array.from(window.pinchglass.data.boxLengths),
    dim: window.pinchglass.data.dim,
    threshold: Number(document.getElementById('map-threshold').value),
  }));
  const near = (v, l) => v - l * Math.round(v / l);
  const wrap = (v, l) => v - l * Math.floor(v / l);
  const modes = results.quartic_modes;
  const limit = g.threshold > 0 ? g.threshold * results.omega_g : Infinity;
  const shownModes = modes.map((m, k) => k).filter((k) => modes[k].omega < limit);
  const mids = shownModes.map((k) => {
    const [i, j] = modes[k].core;
    const [xi, yi] = [g.pos[g.dim * i], g.pos[g.dim * i + 1]];
    const [xj, yj] = [g.pos[g.dim * j], g.pos[g.dim * j + 1]];
    return [wrap(xi + 0.5 * near(xj - xi, g.box[0]), g.box[0]), wrap(yi + 0.5 * near(yj - yi, g.box[1]), g.box[1])];
  });
  // the shown mode farthest from the others (unambiguous click), other than the selected one
  let best = -1;
  let gap = 0;
  mids.forEach((m, a) => {
    const d = Math.min(...mids.map((o, b) => (a === b ? Infinity : Math.hypot(near(o[0] - m[0], g.box[0]), near(o[1] - m[1], g.box[1])))));
    if (shownModes[a] !== 0 && d > gap) { gap = d; best = a; }
  });
  if (best < 0) {
    check('isolated: clicking a blob of the Fig. 1 map selects and animates its mode', false,
      `fewer than two modes on the map (${shownModes.length} of ${modes.length} below ${g.threshold} ω_g)`);
    return;
  }
  await page.locator('#canvas-map').scrollIntoViewIfNeeded();
  const rect = await page.evaluate(() => {
    const c = document.getElementById('canvas-map');
    const r = c.getBoundingClientRect();
    return { left: r.left, top: r.top, sx: r.width / c.width, sy: r.height / c.height };
  });
  const [px0, px1, py0, py1, x0, x1, y0, y1] = g.map;
  const cx = px0 + ((mids[best][0] - x0) / (x1 - x0)) * (px1 - px0);
  const cy = py0 + ((y1 - mids[best][1]) / (y1 - y0)) * (py1 - py0);
  await page.mouse.click(rect.left + cx * rect.sx, rect.top + cy * rect.sy);
  const want = shownModes[best];
  await page.waitForFunction((k) => window.pinchglass.mode?.index === k, want, { timeout: 10_000 }).catch(() => {});
  const h1 = await canvasHash(page, 'canvas-mode');
  await page.waitForTimeout(300);
  const h2 = await canvasHash(page, 'canvas-mode');
  const mode = await page.evaluate(() => window.pinchglass.mode);
  check('isolated: clicking a blob of the Fig. 1 map selects its mode and animates it',
    mode?.index === want && mode.omega === modes[want].omega && h1 !== h2,
    `clicked mode ${want} (ω_π ${modes[want].omega.toFixed(4)}), selected ${mode?.index}; mode canvas ${h1 === h2 ? 'static' : 'animated'}`);
  await page.click('#animate');
}

async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

async function testExports(page, results) {
  const png = await downloadOf(page, 'button.png[data-canvas="canvas-field"]');
  const pngOk = png.bytes.length > 1000 && png.bytes.subarray(1, 4).toString() === 'PNG';
  const pngs = await page.evaluate(() => [...document.querySelectorAll('button.png')].length);
  check('isolated: PNG export of a canvas (toDataURL) is a non-empty PNG', pngOk, `${png.name}, ${png.bytes.length} bytes, ${pngs} PNG buttons`);
  const pairs = String((await downloadOf(page, '#export-pairs-csv')).bytes).trim().split('\n');
  const first = pairs[1].split(',').map(Number);
  const p0 = results.pairs[0];
  check('isolated: pairs CSV has i,j,force,scaled_force,omega for every pair, equal to the results',
    pairs[0] === 'i,j,force,scaled_force,omega' && pairs.length === results.n_pairs + 1
      && first[0] === p0.i && first[1] === p0.j && first[2] === p0.force && first[3] === p0.scaled_force && first[4] === p0.omega,
    `${pairs.length - 1} rows`);
  const summary = String((await downloadOf(page, '#export-summary-csv')).bytes).trim().split('\n');
  const value = (k) => Number(summary.find((l) => l.startsWith(`${k},`))?.split(',')[1]);
  check('isolated: summary CSV holds E/N, p, G, c_s, ω_g, counts and timings equal to the results',
    summary[0] === 'quantity,value,unit' && value('omega_g') === results.omega_g && value('shear_modulus') === results.shear_modulus
      && value('energy_per_particle') === results.energy_per_particle && value('n_pairs') === results.n_pairs
      && summary.some((l) => l.startsWith('time pinches,')),
    `${summary.length - 1} rows`);
  const json = JSON.parse(String((await downloadOf(page, '#export-json')).bytes));
  check('isolated: JSON download equals window.pinchglass.results', json.omega_g === results.omega_g && json.pairs.length === results.n_pairs);
  await page.click('#copy-link');
  const link = await page.evaluate(() => document.getElementById('share-link').value);
  const q = new URL(link).searchParams;
  check('isolated: "copy link" gives a URL carrying every parameter, T_p in T_onset with the T_onset used',
    ['dim', 'n', 'seed', 'sweeps'].every((k) => q.get(k) === String(PAGE_DEFAULT[k]))
      && q.get('tp') === '1' && q.get('units') === 'paper' && q.get('tonset') === '3', link);
}

// Presets (in the paper's units): "poorly annealed" runs T_p = 1.5 T_onset ("compare", the paper's Fig. 1, is tested by "fig1").
async function testPresets() {
  return session(async ({ server, page }) => {
    await page.goto(server.url);
    await waitForEnd(page);
    await page.selectOption('#preset', 'poor');
    await page.waitForFunction(() => document.body.dataset.state === 'running', null, { timeout: 10_000 });
    let state = await waitForEnd(page);
    const poor = await page.evaluate(() => window.pinchglass.results);
    check('preset "poorly annealed" runs (T_p = 1.5 T_onset = 4.5 ε/k_B)', state === 'done' && poor.tp === 4.5 && poor.n === 300, `state ${state}, T_p ${poor?.tp}`);
    await page.close();
  });
}

// A static host without headers (like GitHub Pages): coi-serviceworker installs, the page reloads
// once and is then isolated with threads; no wasm is requested before that reload.
async function testServiceWorker() {
  return session({ isolation: false }, async ({ server, page }) => {
    let navigations = 0;
    const wasmBefore = [];
    let wasmAll = 0;
    // document loads of the page (history.replaceState is a navigation too, but no load)
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.resourceType() === 'document') navigations += 1;
      if (r.url().endsWith('.wasm')) wasmAll += 1;
      if (r.url().endsWith('.wasm') && navigations < 2) wasmBefore.push(r.url());
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.crossOriginIsolated === true, null, { timeout: 20_000 });
    const state = await waitForEnd(page);
    const info = await page.evaluate(() => ({
      isolated: window.crossOriginIsolated, build: window.pinchglass.build, threads: window.pinchglass.threads,
      hc: navigator.hardwareConcurrency, load: window.pinchglass.loadToDoneSeconds,
      controlled: !!navigator.serviceWorker.controller,
    }));
    const ink = await canvasInk(page);
    check('service worker: without headers the page reloads once, is isolated and runs threads = hardwareConcurrency',
      state === 'done' && info.isolated && info.controlled && info.build === 'threaded' && info.threads === info.hc && navigations === 2,
      `state ${state}, navigations ${navigations}, isolated ${info.isolated}, build ${info.build}, threads ${info.threads}/${info.hc}, page load → done ${info.load?.toFixed(2)} s`);
    check('service worker: no wasm is fetched on the first, non-isolated visit; every canvas drawn after the reload',
      wasmBefore.length === 0 && wasmAll > 0 && ink.length >= VIEWS.length && ink.every((c) => c.ink > 0.01),
      wasmBefore.length ? `fetched before reload: ${wasmBefore}` : `${wasmAll} wasm requests after the reload; ` + ink.map((c) => `${c.id} ${(100 * c.ink).toFixed(1)} %`).join(', '));
    await page.close();
  });
}

function firstDifference(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let k = 0; k < Math.max(la.length, lb.length); k++) {
    if (la[k] !== lb[k]) {
      const x = la[k] ?? '';
      const y = lb[k] ?? '';
      let c = 0;
      while (c < x.length && x[c] === y[c]) c++;
      const from = Math.max(0, c - 40);
      return `line ${k + 1}, column ${c + 1}: CLI "…${x.slice(from, c + 40)}" vs page "…${y.slice(from, c + 40)}"`;
    }
  }
  return '';
}

async function testBadInput() {
  return session({ page: false }, async ({ server, ctx }) => {
    for (const [field, value] of [['n', -5], ['tp', 0]]) {
      const page = await ctx.newPage();
      await page.goto(server.url + query({ ...DEFAULT, [field]: value }));
      await page.waitForFunction(() => document.body.dataset.state !== 'idle', null, { timeout: 30_000 });
      // give a wrongly started run the chance to show itself
      await page.waitForTimeout(300);
      const s = await page.evaluate((f) => ({
        state: document.body.dataset.state,
        message: document.getElementById(`err-${f}`).textContent,
        visible: !!document.getElementById(`err-${f}`).offsetParent,
        results: window.pinchglass.results,
      }), field);
      check(`bad input ${field}=${value}: refused next to the control, nothing runs`,
        s.state === 'error' && s.visible && s.message.length > 0 && s.results === null,
        `state ${s.state}, message "${s.message}"`);
      await page.close();
    }
    // a count that is not a whole number names the smallest N the hint names (the box rule at the
    // default density), not 2; editing the field clears its message
    let page = await ctx.newPage();
    await page.goto(server.url + query({ ...DEFAULT, n: 40.5 }));
    await page.waitForFunction(() => document.body.dataset.state !== 'idle', null, { timeout: 30_000 });
    const half = await page.evaluate(() => ({ message: document.getElementById('err-n').textContent,
      hint: document.getElementById('hint-n').textContent }));
    const lo = /from (\d+) to \d+ in 2D/.exec(half.message)?.[1];
    check('bad input n=40.5: "a whole number from m to …" with the hint\'s smallest N (m > 2)',
      lo !== undefined && Number(lo) > 2 && half.hint.startsWith(`${lo} …`), `"${half.message}" / hint "${half.hint}"`);
    await page.fill('#n', '300');
    const cleared = await page.evaluate(() => ({ message: document.getElementById('err-n').textContent,
      invalid: document.getElementById('n').getAttribute('aria-invalid') }));
    check('bad input: editing N clears its message and its invalid mark', cleared.message === '' && cleared.invalid === null,
      `"${cleared.message}", aria-invalid ${cleared.invalid}`);
    await page.close();
    // a size above the browser's limit names the limit
    page = await ctx.newPage();
    await page.goto(server.url + query({ ...DEFAULT, n: 100000 }));
    await page.waitForFunction(() => document.body.dataset.state !== 'idle', null, { timeout: 30_000 });
    const msg = await page.evaluate(() => document.getElementById('err-n').textContent);
    check('bad input n=100000: refused with the limit and the reason', /at most \d+ particles/.test(msg) && /memory/.test(msg), `"${msg}"`);
    await page.close();
    // K above N (and so possibly above the glass's pairs): refused before anything runs
    page = await ctx.newPage();
    await page.goto(server.url + query({ ...DEFAULT, quartic: 1999 }));
    const state = await waitForEnd(page);
    const k = await page.evaluate(() => ({ message: document.getElementById('err-quartic').textContent,
      visible: !!document.getElementById('err-quartic').offsetParent, results: window.pinchglass.results }));
    check('bad input quartic=1999 (> N): refused next to K before the run',
      state === 'error' && k.visible && /0 \(no quartic modes\) to 300/.test(k.message) && k.results === null, `state ${state}, "${k.message}"`);
    await page.close();
    // the full vDOS: offered on request above d·N = 1600, not offered above its memory limit
    // (2D: N = 2700 for 700 MB of dense eigendecomposition), with the reason and the limit
    const vdos = [];
    for (const n of [1000, 2800]) {
      page = await ctx.newPage();
      await page.goto(server.url + query({ ...DEFAULT, n, sweeps: 1, quartic: 0 }));
      const st = await waitForEnd(page);
      vdos.push(await page.evaluate((st_) => ({ st: st_, hidden: document.getElementById('full-spectrum').hidden,
        note: document.getElementById('vdos-note').textContent }), st));
      await page.close();
    }
    check('full vDOS: a button at N = 1000 (on request), hidden at N = 2800 with the limit and the reason',
      vdos[0].st === 'done' && !vdos[0].hidden && vdos[1].st === 'done' && vdos[1].hidden
        && /not offered above N = 2700 in 2D .*memory limit/.test(vdos[1].note),
      vdos.map((v) => `${v.st}, hidden ${v.hidden}: "${v.note.slice(0, 110)}"`).join(' | '));
  });
}

// A 3D glass: every view draws (slab views with depth shading), the numbers equal the CLI's.
async function test3D() {
  return session(async ({ server, page }) => {
    const p = { dim: 3, n: 250, tp: 0.5, seed: 3, sweeps: 200, quartic: 12 };
    await page.goto(server.url + query(p));
    const state = await waitForEnd(page);
    const r = await page.evaluate(() => ({ results: window.pinchglass.results, xyz: window.pinchglass.xyz,
      error: document.getElementById('run-error').textContent }));
    const ink = await canvasInk(page, '#views canvas');
    check('3D: a 250-particle glass runs, every view is drawn',
      state === 'done' && r.results?.dim === 3 && VIEWS.every((id) => ink.find((c) => c.id === id)?.ink > 0.01),
      `state ${state} ${r.error}; ` + ink.map((c) => `${c.id} ${(100 * c.ink).toFixed(1)} %`).join(', '));
    if (state === 'done') {
      const file = path.join(tmp, '3d.xyz');
      writeFileSync(file, r.xyz);
      const cli = JSON.parse(String(execFileSync(CLI, ['analyze', file, '--sparse', '--quartic', '12', '--json', '-'],
        { stdio: ['ignore', 'pipe', 'pipe'] })));
      const worst = Math.max(...['omega_g', 'shear_modulus', 'energy'].map((k) => rel(r.results[k], cli[k])));
      check('3D: ω_g, G, E and the quartic modes equal `analyze --sparse --quartic 12` of the exported XYZ',
        worst < 1e-9 && r.results.quartic_modes.length === cli.quartic_modes.length,
        `worst rel ${worst.toExponential(2)}, ${r.results.quartic_modes.length} modes (CLI ${cli.quartic_modes.length})`);
      // item 8 of issue 14: a slab (thickness, depth), clicks pinch only pairs drawn in it
      const before = await canvasHash(page, 'canvas-glass');
      const tools = await page.evaluate(() => !document.getElementById('slab-tools').hidden);
      await page.selectOption('#slab-thickness', '3');
      await page.evaluate(() => { const s = document.getElementById('slab-depth'); s.value = '0.2'; s.dispatchEvent(new Event('input')); });
      const slab = await page.evaluate(() => ({ ...window.pinchglass.slab, note: document.getElementById('slab-note').textContent }));
      const after = await canvasHash(page, 'canvas-glass');
      check('3D: the slab view (thickness 3 a0 at depth 0.2 L_z) draws only the particles in the slab',
        tools && slab.shown > 0 && slab.shown < 250 && after !== before && /z from/.test(slab.note),
        `${slab.shown} of 250 particles; ${slab.note}`);
      const inSlab = [];
      for (const [fx, fy] of [[0.3, 0.3], [0.5, 0.5], [0.7, 0.6], [0.2, 0.8]]) {
        const box = await page.evaluate(([x, y]) => {
          const m = window.pinchglass.glassMapping;
          const c = document.getElementById('canvas-glass');
          const r = c.getBoundingClientRect();
          return { x: r.left + ((m[0] + x * (m[1] - m[0])) * r.width) / c.width, y: r.top + ((m[2] + y * (m[3] - m[2])) * r.height) / c.height };
        }, [fx, fy]);
        const was = await page.evaluate(() => window.pinchglass.pinch?.pair);
        await page.mouse.click(box.x, box.y);
        await page.waitForFunction((w) => window.pinchglass.pinch && window.pinchglass.pinch.pair !== w, was, { timeout: 10_000 }).catch(() => {});
        inSlab.push(await page.evaluate(() => {
          const d = window.pinchglass.data;
          const p = window.pinchglass.pinch;
          const s = window.pinchglass.slab;
          const lz = d.boxLengths[2];
          const zi = d.positions[3 * p.i + 2];
          let zj = d.positions[3 * p.j + 2];
          zj -= lz * Math.round((zj - zi) / lz);
          const mid = 0.5 * (zi + zj);
          const off = ((((mid - s.centre) % lz) + 1.5 * lz) % lz) - lz / 2;
          return Math.abs(off) <= s.thickness / 2 + 1e-9;
        }));
      }
      check('3D: clicks on the slab view pinch only pairs whose midpoint lies in the slab', inSlab.every(Boolean), inSlab.join(', '));
      if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, '3d.png'), fullPage: true });
    }
    await page.close();
  });
}

// The paper's Fig. 1 live (preset=compare): the two shipped 2D parent states (www/data/parents/)
// quenched, pinched and searched for quartic modes in the page; the paper's contrast with the two
// numbers the page states: more soft modes per particle below a common frequency (the poorly
// annealed glass's ω_g/3) and a softer softest mode in the poorly annealed glass. Also: one colour
// scale for both maps, the table's "on the map" column equal to the blobs drawn, provenance shown,
// the page's analysis of a shipped file equal to `pinchglass analyze --quench --sparse`; a
// configuration file by picker and by drop (the page's own export, run again: same ω_g and G), and
// bad files (not XYZ, 3D in 2D mode, N above the limit) refused next to the picker.
async function testFig1() {
  return session(async ({ server, ctx, page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const t0 = Date.now();
    await page.goto(server.url + '?preset=compare');
    await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state) && window.pinchglass.fig1 !== undefined,
      null, { timeout: 600_000 });
    const wall = (Date.now() - t0) / 1000;
    const f = await page.evaluate(() => ({
      fig1: window.pinchglass.fig1, state: document.body.dataset.state, error: document.getElementById('run-error').textContent,
      words: document.getElementById('fig1-numbers').textContent, provenance: document.getElementById('fig1-provenance').textContent,
      caption: document.querySelector('#compare .caption').textContent, compare: window.pinchglass.compare,
      table: [...document.querySelectorAll('#compare-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)),
      runSeconds: window.pinchglass.runSeconds, threads: window.pinchglass.threads, url: location.search,
    }));
    const g = f.fig1?.glasses ?? [];
    // its URL names the preset and the units only: the form's N, T_p, seed do not describe it
    const keys = [...new URLSearchParams(f.url).keys()];
    check('fig1: the compare run\'s URL names the preset and the units only',
      keys.includes('preset') && keys.every((k) => ['preset', 'units', 'tonset'].includes(k)), f.url);
    check('fig1: the compare view runs the two shipped parent states (quench, pinches, quartic modes) to the end',
      f.state === 'done' && g.length === 2 && g.every((x) => x.n === 2000 && x.modes > 0), `state ${f.state} ${f.error} ${errors.join(' | ')}`);
    if (g.length !== 2) return;
    const [poor, deep] = g;
    notes.push(`fig1: compare view load → done ${wall.toFixed(1)} s wall (worker: ${f.runSeconds.toFixed(1)} s, ${f.threads} threads; quartic modes ${poor.quarticSeconds.toFixed(1)} s + ${deep.quarticSeconds.toFixed(1)} s); ` +
      `below ${f.fig1.cut.toFixed(3)} c∞/a0: ${poor.below}/${poor.n} vs ${deep.below}/${deep.n}; softest ω_π ${poor.softest.toFixed(3)} vs ${deep.softest.toFixed(3)} c∞/a0`);
    check('fig1: the paper\'s contrast — more soft modes per particle below the poorly annealed glass\'s ω_g/3 in the poorly annealed glass',
      poor.perParticle > deep.perParticle,
      `${poor.below}/${poor.n} = ${poor.perParticle.toExponential(2)} vs ${deep.below}/${deep.n} = ${deep.perParticle.toExponential(2)} below ${f.fig1.cut.toFixed(3)} c∞/a0`);
    check('fig1: the paper\'s contrast — a softer softest quartic mode in the poorly annealed glass',
      poor.softest < deep.softest, `softest ω_π ${poor.softest.toFixed(3)} vs ${deep.softest.toFixed(3)} c∞/a0`);
    check('fig1: the count is not capped by the starts (every mode below the poorly annealed glass\'s cut reached by ≥ 2 starts, fewer distinct modes than starts)',
      g.every((x) => x.modes < x.starts) && (poor.minHitsBelow ?? 2) >= 2,
      g.map((x) => `${x.label}: ${x.modes} distinct of ${x.starts} starts, fewest hits below the cut ${x.minHitsBelow}`).join('; '));
    const ink = await canvasInk(page, '#compare canvas');
    check('fig1: both glasses, vDOS and soft-spot maps drawn', ink.length === 6 && ink.every((x) => x.ink > 0.01),
      ink.map((x) => `${x.id} ${(100 * x.ink).toFixed(1)} %`).join(', '));
    const onMapRow = f.table.find((r) => /on the map/.test(r[0]));
    check('fig1: the table\'s "on the map" column counts the blobs drawn (not 0 / 0)',
      onMapRow && Number(onMapRow[1]) === poor.onMap && Number(onMapRow[2]) === deep.onMap && poor.onMap > 0,
      onMapRow ? onMapRow.join(' | ') : 'no row');
    await page.selectOption('#map-threshold', '0');
    const all = await page.evaluate(() => ({
      row: [...document.querySelectorAll('#compare-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)).find((r) => /on the map/.test(r[0])),
      titles: window.pinchglass.fig1.glasses.map((x) => x.onMap),
    }));
    check('fig1: with "all modes" the "on the map" column counts every mode (the issue\'s 0 / 0)',
      all.row && Number(all.row[1]) === poor.modes && Number(all.row[2]) === deep.modes, all.row?.join(' | '));
    await page.selectOption('#map-threshold', '0.3333333333333333');
    const [w0, w1] = f.fig1.scale ?? [];
    check('fig1: one colour scale in c∞/a0 for both maps, stated in the caption, with the paper\'s per-panel ranges named',
      Number.isFinite(w0) && w1 > w0 && w0 <= poor.softest && /one colour scale/i.test(f.caption) && f.caption.includes(`${w0.toPrecision(2)}–${w1.toPrecision(2)} c∞/a0`) && /0\.18, 0\.42/.test(f.caption),
      `scale ${w0}–${w1}`);
    check('fig1: the two numbers and the provenance (T_p/T_onset, equilibration verdict) are shown',
      /per 1000 particles/.test(f.words) && /Softest ω_π/.test(f.words) && /T_onset/.test(f.provenance) && g.every((x) => f.provenance.includes(x.provenance.verdict)),
      `${f.words} | ${f.provenance}`);
    // the page's analysis of a shipped file = the CLI's `analyze --quench --sparse` of it
    const shipped = path.join(WWW, 'data', 'parents', deep.provenance.file);
    const cli = JSON.parse(String(execFileSync(CLI, ['analyze', shipped, '--quench', '--sparse', '--json', '-'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 })));
    const b = f.compare[1];
    const worst = Math.max(...['omega_g', 'shear_modulus', 'energy'].map((k) => rel(b[k], cli[k])));
    check('fig1: the page\'s quench + analysis of the shipped deeply annealed state equals `pinchglass analyze --quench --sparse` (ω_g, G, E)',
      worst < 1e-6, `worst rel ${worst.toExponential(2)}`);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'compare.png'), fullPage: true });

    // a configuration file: the page's own export of a small run, by the picker, then by a drop
    await page.goto(server.url + query({ ...DEFAULT, quartic: 0 }));
    await waitForEnd(page);
    const own = await page.evaluate(() => ({ xyz: window.pinchglass.xyz, r: window.pinchglass.results }));
    const file = path.join(tmp, 'own.xyz');
    writeFileSync(file, own.xyz);
    const refusedNext = async (name, text) => {
      const p = path.join(tmp, name);
      writeFileSync(p, text);
      await page.setInputFiles('#config-file', p);
      await page.waitForFunction(() => document.getElementById('err-config-file').textContent !== '', null, { timeout: 10_000 }).catch(() => {});
      return page.evaluate(() => ({ err: document.getElementById('err-config-file').textContent, state: document.body.dataset.state }));
    };
    const notXyz = await refusedNext('notes.txt', 'hello, this is not a configuration\n');
    const three = cliGenerate({ dim: 3, n: 300, tp: 1, seed: 1, sweeps: 10 }, 'small3d');
    const in2d = await refusedNext('three.xyz', three);
    const big = ['6000', 'Lattice="90 0 0 0 90 0 0 0 1" Properties=species:S:1:pos:R:3:size:R:1 pbc="T T F" dim=2',
      ...Array.from({ length: 6000 }, (_, k) => `X ${(k % 80) * 1.1 + 0.5} ${Math.floor(k / 80) * 1.1 + 0.5} 0 1.2`)].join('\n') + '\n';
    const tooMany = await refusedNext('big.xyz', big);
    const binary = await refusedNext('image.png', Buffer.from(Array.from({ length: 600 }, (_, k) => (k * 37) % 256)));
    check('fig1: bad configuration files are refused next to the picker, nothing runs (not XYZ; a 3D file in 2D mode; N above the limit; a binary file, without echoing its bytes)',
      /not a configuration/.test(notXyz.err) && /3D configuration but the page is set to 2D/.test(in2d.err) && /N = 6000.*limit/.test(tooMany.err)
        && /^image\.png: not a text file \(\d+ bytes are not text\)/.test(binary.err) && binary.err.length < 120
        && [notXyz, in2d, tooMany, binary].every((x) => x.state === 'done'),
      [notXyz, in2d, tooMany, binary].map((x) => x.err.slice(0, 90)).join(' | '));
    await page.setInputFiles('#config-file', file);
    await page.waitForFunction(() => document.body.dataset.state === 'running', null, { timeout: 10_000 });
    await waitForEnd(page);
    const picked = await page.evaluate(() => ({ r: window.pinchglass.results, err: document.getElementById('err-config-file').textContent }));
    const w1p = Math.max(rel(picked.r.omega_g, own.r.omega_g), rel(picked.r.shear_modulus, own.r.shear_modulus));
    check('fig1: a configuration file by the picker is quenched and analysed (the page\'s own export: same ω_g and G)',
      picked.r.source === 'configuration' && picked.r.n === own.r.n && w1p < 1e-6 && picked.err === '', `worst rel ${w1p.toExponential(2)}`);
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'dropped.xyz', { type: 'text/plain' }));
      document.getElementById('canvas-glass').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, own.xyz);
    await page.waitForFunction(() => document.body.dataset.state === 'running', null, { timeout: 10_000 });
    await waitForEnd(page);
    const dropped = await page.evaluate(() => ({ r: window.pinchglass.results, note: document.getElementById('config-note').textContent }));
    check('fig1: a configuration file dropped on the glass runs too', dropped.r.source === 'configuration' && /dropped\.xyz/.test(dropped.note)
      && rel(dropped.r.omega_g, own.r.omega_g) < 1e-6, dropped.note);
    // the URL names the file (not the previous run's parameters), and "copy link" says that a
    // link cannot carry the file instead of copying a link to another glass; a link naming a file
    // says so when opened
    await page.click('#copy-link');
    const shared = await page.evaluate(() => ({ url: location.search, note: document.getElementById('share-note').textContent,
      link: document.getElementById('share-link').hidden }));
    const linked = await ctx.newPage();
    await linked.goto(server.url + '?file=dropped.xyz');
    await linked.waitForFunction(() => document.getElementById('url-note').textContent !== '', null, { timeout: 30_000 });
    const named = await linked.$eval('#url-note', (e) => e.textContent);
    await linked.close();
    check('fig1: after a file run the URL names the file only, and copy link says a link cannot carry it; a link naming a file says so',
      shared.url === '?file=dropped.xyz' && /a link cannot carry/.test(shared.note) && shared.link
        && /names the configuration file dropped\.xyz, which a link cannot carry/.test(named),
      `${shared.url} | ${shared.note.slice(0, 80)} | ${named.slice(0, 80)}`);
    await page.close();
  });
}

async function testCancel() {
  return session(async ({ server, page }) => {
    await page.goto(server.url + query({ ...DEFAULT, sweeps: 200000 }));
    await page.waitForFunction(() => /swap Monte Carlo/.test(document.getElementById('stage').textContent), null, { timeout: 30_000 });
    // Run with a refused parameter while the run goes on: the run continues and can be cancelled
    await page.fill('#seed', '-1');
    await page.click('#run');
    await page.waitForTimeout(300);
    const during = await page.evaluate(() => ({ state: document.body.dataset.state, cancel: document.getElementById('cancel').disabled,
      message: document.getElementById('err-seed').textContent }));
    check('a refused Run during a run: the message next to the seed, the run goes on, Cancel stays enabled',
      during.state === 'running' && !during.cancel && /seed/.test(during.message), JSON.stringify(during));
    await page.fill('#seed', '1');
    await page.click('#cancel');
    const afterCancel = await page.evaluate(() => document.body.dataset.state);
    // a new run with other parameters starts at once and completes
    await page.fill('#sweeps', '100');
    await page.click('#run');
    const state = await waitForEnd(page);
    const r = await page.evaluate(() => window.pinchglass.results);
    check('cancel stops a long run, and a new run completes without reloading', afterCancel === 'idle' && state === 'done' && r.sweeps === 100,
      `after cancel ${afterCancel}, then ${state}`);
    // The page starts the rayon threads (www/compute-worker.js): the cancelled worker's threads must
    // be gone. The browser's worker count settles to the live compute workers plus their threads.
    const expected = async () => page.evaluate(() => window.pinchglass.computeWorkers()
      .reduce((s, w) => s + 1 + w.threads, 0));
    let workers = 0;
    let want = -1;
    for (let k = 0; k < 80 && workers !== want; k++) {
      await new Promise((res) => setTimeout(res, 250));
      [workers, want] = [page.workers().length, await expected()];
    }
    check('cancel leaves no worker behind: the browser runs exactly the live compute workers and their rayon threads',
      workers === want && want >= 1, `${workers} workers, ${want} expected (${JSON.stringify(await page.evaluate(() => window.pinchglass.computeWorkers()))})`);
  });
}

async function testNotIsolated(reference) {
  return session({ isolation: false, serviceWorkers: 'block', page: false }, async ({ server, ctx }) => {
    const { page, info } = await defaultRun('not isolated', ctx, server.url);
    if (!info.results) return;
    check('not isolated: single-threaded fallback with 1 thread',
      !info.isolated && info.build === 'single-threaded' && info.threads === 1,
      `crossOriginIsolated ${info.isolated}, build ${info.build}, threads ${info.threads}`);
    if (reference) {
      const r = rel(info.results.omega_g, reference.omega_g);
      check('not isolated: omega_g equals the threaded run (1e-9 relative)', r < 1e-9, `rel ${r.toExponential(2)}`);
    }
    await page.close();
  });
}

// ---------------------------------------------------------------- issue 15: the page under stress

// Every validation message of the page (Explore and sweep forms), for the "no NaN" checks.
async function messages(page) {
  return page.evaluate(() => [...document.querySelectorAll('.error')].map((e) => e.textContent).filter(Boolean));
}

// What a refused run leaves: state, the message next to `field`, whether it is visible, results,
// and whether the worker crashed.
async function refusal(page, field, prefix = '') {
  return page.evaluate(([f, pre]) => ({
    state: pre ? document.body.dataset.sweep : document.body.dataset.state,
    message: document.getElementById(`err-${pre}${f}`).textContent,
    visible: !!document.getElementById(`err-${pre}${f}`).offsetParent,
    others: [...document.querySelectorAll(pre ? '#sweep-controls .error' : '#controls .error')]
      .filter((e) => e.id !== `err-${pre}${f}` && e.textContent).map((e) => `${e.id}: ${e.textContent}`),
    results: window.pinchglass.results,
    crashes: window.pinchglass.crashes ?? 0,
    runError: document.getElementById(pre ? 'sweep-error' : 'run-error').textContent,
    width: document.documentElement.scrollWidth,
  }), [field, prefix]);
}

// Item 1 and 5: densities far from any glass, empty and non-numeric fields, absurd T_p, K above N,
// a pasted novel: each refused next to its control before anything runs, in words, no "NaN".
async function testValidation(url, ctx, label = '') {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  for (const [dim, density] of [[2, '1e-9'], [2, '1e-5'], [2, '5'], [2, '100'], [3, '1e-9']]) {
    await page.goto(url + query({ ...DEFAULT, dim, density }));
    await page.waitForFunction(() => ['error', 'done'].includes(document.body.dataset.state), null, { timeout: 30_000 });
    await page.waitForTimeout(200);
    const r = await refusal(page, 'density');
    check(`${label}density ${density} (${dim}D): refused next to density before any compute, no crash`,
      r.state === 'error' && r.visible && /density/.test(r.message) && /allowed/.test(r.message) && r.others.length === 0
        && r.results === null && r.crashes === 0 && r.runError === '',
      `state ${r.state}, "${r.message.slice(0, 90)}…"${r.others.length ? `, also ${r.others}` : ''}`);
  }
  // a density that is no positive number: one message, next to the density control (the paper's
  // units control adds none)
  for (const density of ['-1', 'inf', 'abc']) {
    await page.goto(url + query({ ...DEFAULT, density }));
    await page.waitForFunction(() => ['error', 'done'].includes(document.body.dataset.state), null, { timeout: 30_000 });
    await page.waitForTimeout(200);
    const r = await refusal(page, 'density');
    check(`${label}density "${density}": refused next to density only (no second message on the units control)`,
      r.state === 'error' && r.visible && /density/.test(r.message) && r.others.length === 0 && r.results === null,
      `"${r.message.slice(0, 90)}"${r.others.length ? `, also ${r.others}` : ''}`);
  }
  // the sweep form: the same density rule, next to its own control
  await page.goto(`${url}?mode=sweep&dim=2&n=64&tps=1&samples=1&sweeps=10&seed=1&density=1e-9`);
  await page.waitForFunction(() => document.getElementById('sweep-run') && window.pinchglass?.sweep, null, { timeout: 30_000 });
  await page.click('#sweep-run');
  await page.waitForFunction(() => ['error', 'done'].includes(document.body.dataset.sweep), null, { timeout: 30_000 });
  let r = await refusal(page, 'density', 'sweep-');
  check(`${label}sweep density 1e-9: refused next to the sweep's density control`,
    r.state === 'error' && r.visible && /allowed/.test(r.message), `state ${r.state}, "${r.message.slice(0, 80)}…"`);
  // empty and non-numeric fields, ?dim=4, ?tp=Infinity, T_p = 1e300
  const cases = [
    [{ n: '' }, 'n', /^N is required$/],
    [{ tp: 'Infinity' }, 'tp', /^T_p must be a finite number/],
    [{ tp: 'NaN' }, 'tp', /^T_p must be a finite number/],
    [{ dim: 4 }, 'dim', /^dimension must be 2 or 3, got 4$/],
    [{ tp: '1e300' }, 'tp', /too high: at most 100/],
    [{ sweeps: 'abc' }, 'sweeps', /^sweeps must be a number, got "abc"$/],
    [{ quartic: 2000 }, 'quartic', /0 \(no quartic modes\) to 300/],
    // a fraction that f64 rounds away is refused as typed, not read as the whole number
    [{ seed: '1.0000000000000001' }, 'seed', /^seed must be a whole number, got "1\.0000000000000001"$/],
  ];
  for (const [p, field, want] of cases) {
    await page.goto(url + query({ ...DEFAULT, ...p }));
    await page.waitForFunction(() => ['error', 'done'].includes(document.body.dataset.state), null, { timeout: 30_000 });
    r = await refusal(page, field);
    const all = await messages(page);
    check(`${label}${JSON.stringify(p)}: refused next to ${field} in words, no "NaN" anywhere`,
      r.state === 'error' && r.visible && want.test(r.message) && r.results === null && !all.some((m) => /NaN/.test(m)),
      `"${r.message}"`);
  }
  // the form: an emptied field is "required" (not "got NaN")
  await page.goto(url + query({ ...DEFAULT, sweeps: 'x' }));
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
  await page.fill('#seed', '');
  await page.fill('#sweeps', '300');
  await page.click('#run');
  r = await refusal(page, 'seed');
  check(`${label}an emptied seed field: "seed is required"`, r.message === 'seed is required', `"${r.message}"`);
  // the sweep's T_p list: "1,,2" refused, a 60 000-character list echoed short, the page keeps its width
  for (const [tps, want] of [['1,,2', /entry 2 of the T_p list is empty/], ['1,000', /entry 2 \("000"\)/], ['x'.repeat(60_000), /entry 1 \("x{32}…"\): T_p must be a number/]]) {
    await page.goto(`${url}?mode=sweep`);
    await page.waitForFunction(() => document.getElementById('sweep-tps').value !== '', null, { timeout: 30_000 });
    await page.fill('#sweep-tps', tps);
    await page.click('#sweep-run');
    r = await refusal(page, 'tps', 'sweep-');
    const all = await messages(page);
    check(`${label}sweep T_p list ${tps.length > 20 ? `of ${tps.length} characters` : `"${tps}"`}: refused, echoed at most a few dozen characters`,
      r.state === 'error' && want.test(r.message) && r.message.length < 200 && r.width < 2000 && !all.some((m) => /NaN/.test(m)),
      `"${r.message.slice(0, 120)}", page width ${r.width} px`);
  }
  check(`${label}no page errors during the validation checks`, errors.length === 0, errors.join(' | '));
  await page.close();
}

async function testStress() {
  return session({ page: false }, async ({ server, ctx }) => {
    await testValidation(server.url, ctx);
    const page = await ctx.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // item 3: T_p = 5 with K = 30, then T_p = 0.4 with K = 0: no view of the first glass remains
    await page.goto(server.url + query({ ...DEFAULT, tp: 5 }));
    let state = await waitForEnd(page);
    const mapBefore = await canvasHash(page, 'canvas-map');
    await page.evaluate(() => { document.querySelector('#controls details').open = true; });
    await page.fill('#tp', '0.4');
    await page.fill('#quartic', '0');
    await page.click('#run');
    const during = await page.evaluate(() => ({
      stale: [...document.querySelectorAll('#views figure')].filter((f) => f.classList.contains('stale')).length,
      figures: document.querySelectorAll('#views figure').length,
      label: document.getElementById('views-label').textContent,
    }));
    state = await waitForEnd(page);
    const after = await page.evaluate(() => ({
      stale: document.querySelectorAll('#views .stale').length,
      label: document.getElementById('views-label').textContent,
      first: document.querySelector('#results tr')?.textContent,
      map: document.getElementById('canvas-map').getAttribute('aria-label'),
      mode: window.pinchglass.mode,
      note: document.getElementById('map-note').textContent,
    }));
    const inkMap = (await canvasInk(page, '#canvas-map'))[0]?.ink;
    check('stale views: when a new run starts every view of the last run is greyed and says so',
      during.stale === during.figures && /previous run .*T_p = 5/.test(during.label), `${during.stale}/${during.figures} greyed; "${during.label}"`);
    check('stale views: T_p = 5 with K = 30, then T_p = 0.4 with K = 0: the soft-spot views are cleared, not left from T_p = 5',
      state === 'done' && after.stale === 0 && after.mode === null && /K = 0/.test(after.map) && inkMap < 0.01
        && (await canvasHash(page, 'canvas-map')) !== mapBefore && /K = 0/.test(after.note),
      `map ink ${(100 * inkMap).toFixed(2)} %, "${after.map}"`);
    check('results labelled with the parameters that made them (views and table)',
      /T_p = 0\.4/.test(after.label) && /K = 0/.test(after.label) && /N = 300, T_p = 0\.4/.test(after.first), `"${after.label}" / "${after.first}"`);
    // item 3: Cancel keeps the last finished run usable and the URL its own; the form may differ
    await page.fill('#tp', '3');
    await page.fill('#sweeps', '200000');
    await page.click('#run');
    await page.waitForFunction(() => /swap Monte Carlo/.test(document.getElementById('stage').textContent), null, { timeout: 30_000 });
    await page.click('#cancel');
    const c = await page.evaluate(() => ({
      state: document.body.dataset.state, url: location.search, xyz: !document.getElementById('export-xyz').disabled,
      stale: document.querySelectorAll('#views .stale').length, tp: window.pinchglass.results.tp,
      label: document.getElementById('views-label').textContent,
    }));
    check('cancel: the last finished run stays on screen and exportable, the URL describes it (not the cancelled run)',
      c.state === 'done' && c.xyz && c.stale === 0 && c.tp === 0.4 && /tp=0\.4/.test(c.url) && !/200000/.test(c.url) && /T_p = 0\.4/.test(c.label),
      `state ${c.state}, url ${c.url}, "${c.label}"`);
    // item 6: keyboard-only pinch on the glass that survived the cancel: focus, arrows, Enter
    const order = await page.evaluate(() => {
      const d = window.pinchglass.data;
      return [...d.pairOmega.keys()].sort((a, b) => d.pairOmega[a] - d.pairOmega[b]).slice(0, 3);
    });
    await page.focus('#canvas-glass');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForFunction((k) => window.pinchglass.pinch?.pair === k, order[2], { timeout: 10_000 }).catch(() => {});
    const kp = await page.evaluate(() => ({ pinch: window.pinchglass.pinch, live: document.getElementById('glass-live').textContent,
      label: document.getElementById('canvas-field').getAttribute('aria-label') }));
    check('keyboard-only pinch: Home, →, →, Enter pinches the third softest pair (after a cancel, in the kept worker)',
      kp.pinch?.pair === order[2] && new RegExp(`${kp.pinch.i}–${kp.pinch.j}`).test(kp.label),
      `pinched ${kp.pinch?.pair}, wanted ${order[2]}; "${kp.live}"`);
    // keyboard blob selection on the map of a run with quartic modes
    await page.fill('#tp', '1');
    await page.fill('#sweeps', '300');
    await page.fill('#quartic', '30');
    await page.click('#run');
    state = await waitForEnd(page);
    await page.selectOption('#map-threshold', '0');
    await page.focus('#canvas-map');
    await page.keyboard.press('Home');
    const m0 = await page.evaluate(() => window.pinchglass.mode?.index);
    await page.keyboard.press('ArrowRight');
    const m1 = await page.evaluate(() => ({ index: window.pinchglass.mode?.index, n: window.pinchglass.results.quartic_modes.length }));
    check('keyboard blob selection: Home then → on the focused map choose the softest and the next mode',
      state === 'done' && m0 === 0 && (m1.n < 2 || m1.index === 1), `modes ${m0} → ${m1.index} of ${m1.n}`);
    // item 1: a worker that dies (a wasm trap) is reported in words, restarted, the page stays usable
    await page.evaluate(() => { window.pinchglass.crashNextRun = true; });
    await page.fill('#tp', '2');
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 10_000 }).catch(() => {});
    const crash = await page.evaluate(() => ({ state: document.body.dataset.state, error: document.getElementById('run-error').textContent,
      retry: !document.getElementById('retry').hidden, crashes: window.pinchglass.crashes, tp: window.pinchglass.results?.tp }));
    await page.fill('#sweeps', '300');
    await page.click('#run');
    state = await waitForEnd(page);
    check('a crashed worker: "crashed … restarted" in words, Retry offered, the last run kept, the next run completes',
      crash.state === 'error' && /crashed/.test(crash.error) && /restarted/.test(crash.error) && crash.retry && crash.crashes === 1
        && crash.tp === 1 && state === 'done', `"${crash.error}", then ${state}`);
    // the watchdog: an allowance shrunk to 0.3 s turns a stage without progress into a message and a retry
    await page.evaluate(() => Object.assign(window.pinchglass.watchdog, { floor: 0.3, factor: 0 }));
    await page.fill('#sweeps', '200000');
    await page.fill('#n', '1000');
    await page.click('#run');
    await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 30_000 }).catch(() => {});
    const wd = await page.evaluate(() => ({ state: document.body.dataset.state, error: document.getElementById('run-error').textContent,
      retry: !document.getElementById('retry').hidden, fired: window.pinchglass.watchdogFired }));
    await page.evaluate(() => Object.assign(window.pinchglass.watchdog, { floor: 30, factor: 10 }));
    await page.fill('#sweeps', '300');
    await page.fill('#n', '300');
    await page.click('#run');
    state = await waitForEnd(page);
    check('watchdog: a stage without progress past its allowance stops with a message and Retry; the next run completes',
      wd.state === 'error' && /stopped responding/.test(wd.error) && wd.retry && wd.fired === 1 && state === 'done', `"${wd.error}", then ${state}`);
    check('no page errors in the stress sequence', pageErrors.length === 0, pageErrors.join(' | '));
    await page.close();
  });
}

// Item 4 and 6: history through tabs, Lecture steps and presets; the tab list's keys; names and
// text alternatives.
async function testHistoryAndAccess() {
  return session(async ({ server, page }) => {
    await page.goto(server.url);
    let state = await waitForEnd(page);
    const a11y = await page.evaluate(() => ({
      png: [...document.querySelectorAll('button.png')].map((b) => b.textContent),
      canvases: [...document.querySelectorAll('#views canvas')].map((c) => [c.id, c.getAttribute('role'), c.getAttribute('aria-label')]),
    }));
    check('download buttons are named for what they download (no two alike, none just "PNG")',
      new Set(a11y.png).size === a11y.png.length && a11y.png.every((t) => t !== 'PNG' && /\(PNG\)/.test(t)), a11y.png.slice(0, 4).join(', '));
    const bare = a11y.canvases.filter(([, role, label]) => role !== 'img' || !label || /not computed yet/.test(label));
    check('every view has a text alternative with its key numbers (role=img, aria-label)',
      bare.length === 0 && a11y.canvases.some(([id, , l]) => id === 'canvas-pinches' && /ω_g = \d/.test(l)),
      bare.length ? `without: ${bare.map((c) => c[0])}` : a11y.canvases.find(([id]) => id === 'canvas-pinches')[2].slice(0, 100));
    await page.focus('#run');
    const outline = await page.evaluate(() => {
      const st = getComputedStyle(document.getElementById('run'));
      return { width: parseFloat(st.outlineWidth), style: st.outlineStyle };
    });
    check('a visible focus style (outline of at least 2 px)', outline.width >= 2 && outline.style !== 'none', `${outline.width}px ${outline.style}`);
    // tabs: arrow keys (WAI-ARIA tabs) and history
    const start = await page.evaluate(() => history.length);
    await page.focus('#tab-explore');
    await page.keyboard.press('ArrowRight');
    const t1 = await page.evaluate(() => ({ mode: document.body.dataset.mode, focus: document.activeElement.id,
      tabindex: [...document.querySelectorAll('[role=tab]')].map((t) => t.tabIndex) }));
    check('tab list: → moves focus to the next tab and shows it (roving tabindex)',
      t1.mode === 'sweep' && t1.focus === 'tab-sweep' && t1.tabindex.join() === '-1,0,-1', JSON.stringify(t1));
    await page.click('#tab-lecture');
    await page.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
    await page.click('#lecture-next');
    await page.waitForFunction(() => document.body.dataset.lectureStep === '2', null, { timeout: 10_000 });
    await page.click('#lecture-next');
    await page.waitForFunction(() => document.body.dataset.lectureStep === '3', null, { timeout: 10_000 });
    const where = async () => page.evaluate(() => `${document.body.dataset.mode}${document.body.dataset.mode === 'lecture' ? `:${document.body.dataset.lectureStep}` : ''}`);
    const trail = [await where()];
    for (let k = 0; k < 4; k++) {
      await page.goBack();
      await page.waitForTimeout(250);
      trail.push(await where());
    }
    await page.goForward();
    await page.waitForTimeout(250);
    trail.push(await where());
    await page.goForward();
    await page.waitForTimeout(250);
    trail.push(await where());
    const end = await page.evaluate(() => ({ url: location.search, state: document.body.dataset.state, results: !!window.pinchglass.results }));
    check('history: Back walks lecture 3 → 2 → 1 → sweep → explore (still there, its run intact), Forward returns',
      trail.join(' ') === 'lecture:3 lecture:2 lecture:1 sweep explore sweep lecture:1' && end.results,
      `${trail.join(' → ')}; history grew by ${(await page.evaluate(() => history.length)) - start}`);
    // presets add history entries: Back returns to the previous glass
    await page.click('#tab-explore');
    await page.selectOption('#preset', 'poor');
    state = await waitForEnd(page);
    const poor = await page.evaluate(() => ({ tp: window.pinchglass.results.tp, url: location.search }));
    await page.goBack();
    await page.waitForFunction(() => document.body.dataset.state === 'running' || new URLSearchParams(location.search).get('tp') !== '1.5', null, { timeout: 10_000 }).catch(() => {});
    state = await waitForEnd(page);
    const back = await page.evaluate(() => ({ tp: window.pinchglass.results.tp, url: location.search, preset: document.getElementById('preset').value }));
    check('history: a preset is an entry; Back returns to the previous glass and runs it',
      poor.tp === 4.5 && /[?&]tp=1\.5(&|$)/.test(poor.url) && /units=paper/.test(poor.url) && back.tp === 3
        && /[?&]tp=1(&|$)/.test(back.url) && back.preset === 'lecture',
      `preset → ${poor.url}, Back → ${back.url} (T_p ${back.tp})`);
    await page.close();
  });
}

// ---------------------------------------------------------------- Lecture mode

const LECTURE_FIGURES = ['fig2', 'fig4b', 'fig4a', 'fig5', 'fig6'];

async function testLecture() {
  return session(async ({ server, ctx, page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    const wasmRequests = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasmRequests.push(r.url()); });
    const t0 = Date.now();
    await page.goto(server.url + '?mode=lecture&step=1');
    await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.lecture), null, { timeout: 30_000 });
    const open = (Date.now() - t0) / 1000;
    const first = await page.evaluate(() => ({
      lecture: document.body.dataset.lecture, state: document.body.dataset.state, results: window.pinchglass.results,
      error: document.getElementById('lecture-error').textContent,
      provenance: document.getElementById('lecture-provenance').textContent,
      datasets: [...document.getElementById('lecture-data').options].map((o) => o.value),
    }));
    check('lecture: opens with the shipped ensemble and no computation (no worker, no compute wasm, Explore idle)',
      first.lecture === 'ready' && first.state === 'idle' && first.results === null && workers.length === 0
        && wasmRequests.every((u) => u.includes('/pkg-single/')) && errors.length === 0,
      `${open.toFixed(2)} s from navigation to the first figure; workers ${workers.length}, wasm ${wasmRequests.map((u) => u.replace(server.url, ''))}; ${first.error} ${errors.join(' | ')}`);
    check('lecture: the provenance (command, seed, samples, N, date, source) is shown',
      /pinchglass (sweep|calibrate|chains)/.test(first.provenance) && /sweeps per sample/.test(first.provenance) && /seed \d+/.test(first.provenance) && /samples per T_p/.test(first.provenance)
        && /N = \d+/.test(first.provenance) && /\d{4}-\d\d-\d\d/.test(first.provenance) && /summary\.json/.test(first.provenance),
      first.provenance.slice(0, 160));
    // next through the five steps
    const hashes = [];
    const inks = [];
    const texts = [];
    for (let k = 1; k <= 5; k++) {
      if (k > 1) await page.click('#lecture-next');
      await page.waitForFunction((s) => document.body.dataset.lectureStep === String(s) && document.body.dataset.lecture === 'ready'
        && window.pinchglass.lecture.drawn.has(s), k, { timeout: 10_000 });
      const st = await page.evaluate(() => ({ figure: window.pinchglass.lecture.figure, url: location.search,
        text: document.getElementById('lecture-text').textContent.trim(), title: document.getElementById('lecture-title').textContent }));
      const [ink] = await canvasInk(page, '#lecture-canvas');
      hashes.push(await canvasHash(page, 'lecture-canvas'));
      inks.push(ink?.ink ?? 0);
      texts.push(st);
      if (SCREENSHOTS && k === 1) await page.screenshot({ path: path.join(SCREENSHOTS, 'lecture.png'), fullPage: true });
    }
    check('lecture: "next" walks through 5 steps, each with its figure (non-blank, distinct), text and ?step=k',
      texts.every((st, m) => st.figure === LECTURE_FIGURES[m] && new RegExp(`step=${m + 1}`).test(st.url) && st.text.split(/[.:] /).length >= 2)
        && inks.every((x) => x > 0.02) && new Set(hashes).size === 5,
      texts.map((st, m) => `${m + 1} ${st.figure} ink ${(100 * inks[m]).toFixed(1)} %`).join(', '));
    // step 4 states the fitted E_QLM and its error from the shipped summary (primary estimator first)
    {
      const id = await page.evaluate(() => window.pinchglass.lecture.dataset);
      const shipped = JSON.parse(readFileSync(path.join(WWW, 'data', id, 'summary.json'), 'utf8'));
      const cal = JSON.parse(readFileSync(path.join(WWW, 'data', id, 'calibration.json'), 'utf8'));
      // the fit of the 𝒩 the figures draw: the quartic count's if any row has it, else the harmonic count's, else the rank fit's
      const has = (k) => shipped.temperatures.some((r) => r[k]);
      const fit0 = has('quartic_count') ? shipped.boltzmann_quartic : has('count') ? shipped.boltzmann_count : shipped.boltzmann;
      const fit = fit0 && Number.isFinite(fit0.e_qlm) ? fit0 : null;
      const num = (x, digits) => String(Number(x.toPrecision(digits)));
      const want = fit ? `E_QLM = ${num(fit.e_qlm / cal.t_onset, 3)} ± ${num(fit.error / cal.t_onset, 2)}` : 'no fit';
      const got = texts[3].text.replace(/E\s*QLM/g, 'E_QLM').replace(/\s+/g, ' ');
      check('lecture: step 4 states the fitted E_QLM ± error of the shipped summary', got.includes(want), `${want} in "${got.slice(-260)}"`);
      // and how well the law fits: a Poisson deviance more than 3 spreads (√(2 dof)) above dof is "poorly"
      if (fit && Number.isFinite(fit.deviance) && fit.dof >= 1) {
        const poor = fit.deviance > fit.dof + 3 * Math.sqrt(2 * fit.dof);
        check(`lecture: step 4 says how well the law fits (deviance ${num(fit.deviance, 3)} for ${fit.dof} dof: ${poor ? 'poorly' : 'well'})`,
          poor ? /fits these points poorly/.test(got) && !/does fall as a Boltzmann law/.test(got) : /The law fits these points \(/.test(got), got.slice(-400));
      }
    }
    // a trend whose ends agree with the paper while its middle goes the other way says so: fed the
    // shipped summary with the 𝒩 the figures draw made to rise 3× before it falls, step 2 says
    // "Not all the way"; made monotonic, it does not
    {
      const id = await page.evaluate(() => window.pinchglass.lecture.dataset);
      const shipped = JSON.parse(readFileSync(path.join(WWW, 'data', id, 'summary.json'), 'utf8'));
      const key = shipped.temperatures.some((r) => r.quartic_count) ? 'quartic_count' : shipped.temperatures.some((r) => r.count) ? 'count' : null;
      const shaped = (bump) => {
        const s = structuredClone(shipped);
        const rows = [...s.temperatures].sort((a, b) => a.tp - b.tp); // coldest first
        rows.forEach((r, m) => {
          const f = m / (rows.length - 1); // 0 coldest … 1 hottest
          let v = 0.2 + 0.8 * f; // falls on cooling
          if (bump && m === Math.floor(rows.length / 2)) v = 3;
          const est = { value: v, error: 0.01 * v };
          if (key) r[key] = { ...r[key], soft_spots: est };
          else r.soft_spots = est;
        });
        return s;
      };
      const step2 = async (summary) => {
        const p = await ctx.newPage();
        await p.route(`**/data/${id}/summary.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(summary) }));
        await p.goto(server.url + `?mode=lecture&step=2&data=${id}`);
        await p.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
        const text = await p.evaluate(() => document.getElementById('lecture-text').textContent.replace(/\s+/g, ' '));
        await p.close();
        return text;
      };
      const [bumped, smooth] = [await step2(shaped(true)), await step2(shaped(false))];
      check('lecture: a trend that goes the other way in its middle says so ("Not all the way"), a monotonic one does not',
        /Not all the way: on cooling from .* 𝒩 first rises, by a factor 3 ±/.test(bumped) && !/Not all the way/.test(smooth),
        `${bumped.slice(-330)} | ${smooth.slice(-120)}`);
    }
    // each step says whether its claim holds in the shipped summary; fed the same summary with every
    // trend reversed (each key's values in reverse T_p order, E_QLM negated), the statements change
    {
      const id = await page.evaluate(() => window.pinchglass.lecture.dataset);
      const shipped = JSON.parse(readFileSync(path.join(WWW, 'data', id, 'summary.json'), 'utf8'));
      const reversed = structuredClone(shipped);
      const rows = [...reversed.temperatures].sort((a, b) => a.tp - b.tp);
      for (const key of ['a_g', 'soft_spots', 'count', 'quartic_count', 'omega_g', 'xi_g']) {
        const vals = rows.map((r) => r[key]).reverse();
        rows.forEach((r, m) => { r[key] = vals[m]; });
      }
      for (const k of ['boltzmann', 'boltzmann_count', 'boltzmann_quartic']) {
        if (reversed[k] && Number.isFinite(reversed[k].e_qlm)) reversed[k].e_qlm = -reversed[k].e_qlm;
      }
      const claims = await page.evaluate(() => window.pinchglass.lecture.claims);
      const walk = async (p) => {
        const out = [];
        for (let k = 1; k <= 5; k++) {
          await p.evaluate((s) => window.pinchglass.lecture.go(s), k);
          await p.waitForFunction((s) => document.body.dataset.lectureStep === String(s) && document.body.dataset.lecture === 'ready'
            && window.pinchglass.lecture.drawn.has(s), k, { timeout: 10_000 });
          out.push(await p.evaluate(() => ({ text: document.getElementById('lecture-text').textContent.replace(/\s+/g, ' ').trim(),
            verdict: document.getElementById('lecture-text').dataset.claim })));
        }
        return out;
      };
      const plain = await walk(page);
      const fed = await ctx.newPage();
      await fed.route(`**/data/${id}/summary.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(reversed) }));
      await fed.goto(server.url + `?mode=lecture&step=1&data=${id}`);
      await fed.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
      const flipped = await walk(fed);
      await fed.close();
      const opposite = { holds: 'contradicts', contradicts: 'holds' };
      const trendSteps = [1, 2, 3, 5];
      const every = plain.every((st) => /holds|contradicts|unresolved|no data/.test(st.verdict));
      const flips = trendSteps.filter((k) => opposite[plain[k - 1].verdict] && flipped[k - 1].verdict === opposite[plain[k - 1].verdict]);
      const resolved = trendSteps.filter((k) => opposite[plain[k - 1].verdict]);
      check(`lecture: every step states whether its claim holds in the shipped ${id} summary`,
        every && plain.every((st) => /In this ensemble (it|EQLM ≈ 3\.3 Tonset) (holds|does not hold)|does not resolve it|cannot be tested/.test(st.text)),
        plain.map((st, m) => `${m + 1}: ${st.verdict}`).join(', ') + ` (claims ${JSON.stringify(Object.values(claims).map((c) => c.verdict))})`);
      check('lecture: fed a summary whose trends are reversed, the statements change (every resolved trend flips its verdict)',
        plain.every((st, m) => st.text !== flipped[m].text) && resolved.length > 0 && flips.length === resolved.length,
        trendSteps.map((k) => `${k}: ${plain[k - 1].verdict} → ${flipped[k - 1].verdict}`).join(', ') + `; step 4 "${flipped[3].text.slice(-200)}"`);
    }
    {
      // the PNG download is the figure drawn at twice the canvas size (for slides)
      const png = await downloadOf(page, '#mode-lecture button.png');
      const dims = png.bytes.length > 24 ? [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)] : [0, 0];
      const canvas = await page.evaluate(() => [document.getElementById('lecture-canvas').width, document.getElementById('lecture-canvas').height]);
      check('lecture: the PNG download is the figure at twice the canvas size', dims[0] === 2 * canvas[0] && dims[1] === 2 * canvas[1],
        `${png.name}: ${dims.join('×')} px for a ${canvas.join('×')} canvas`);
    }
    await page.click('#lecture-prev');
    await page.waitForFunction(() => document.body.dataset.lectureStep === '4', null, { timeout: 10_000 });
    const back = await page.evaluate(() => ({ figure: window.pinchglass.lecture.figure, url: location.search,
      next: document.getElementById('lecture-next').disabled }));
    check('lecture: "previous" goes back (step 4, Fig. 5 redrawn identically)',
      back.figure === 'fig5' && /step=4/.test(back.url) && !back.next && (await canvasHash(page, 'lecture-canvas')) === hashes[3], back.url);
    if (first.datasets.length > 1) {
      await page.selectOption('#lecture-data', first.datasets[1]);
      await page.waitForFunction((id) => window.pinchglass.lecture.dataset === id && document.body.dataset.lecture === 'ready', first.datasets[1], { timeout: 10_000 });
      // the figure is drawn right after the data arrive: give the redraw a moment on a busy machine
      let h = await canvasHash(page, 'lecture-canvas');
      for (let t = 0; t < 50 && h === hashes[3]; t++) {
        await page.waitForTimeout(100);
        h = await canvasHash(page, 'lecture-canvas');
      }
      const u = await page.evaluate(() => location.search);
      check(`lecture: the other ensemble (${first.datasets[1]}) redraws the step`, h !== hashes[3] && new RegExp(`data=${first.datasets[1]}`).test(u), u);
    }
    // the URL's step opens that step directly
    const direct = await ctx.newPage();
    await direct.goto(server.url + '?mode=lecture&step=3');
    await direct.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
    const d = await direct.evaluate(() => ({ step: window.pinchglass.lecture.step, figure: window.pinchglass.lecture.figure }));
    check('lecture: ?mode=lecture&step=3 opens step 3 (Fig. 4a, the same drawing)',
      d.step === 3 && d.figure === 'fig4a' && (await canvasHash(direct, 'lecture-canvas')) === hashes[2]
        && (await direct.$eval('#lecture-url-note', (e) => e.textContent)) === '', JSON.stringify(d));
    // a link to a mode or a preset the page does not have says so under the tabs
    const odd = await ctx.newPage();
    await odd.goto(server.url + '?mode=xyz&preset=zzz');
    await odd.waitForFunction(() => document.getElementById('url-note').textContent !== '', null, { timeout: 30_000 });
    const oddNote = await odd.$eval('#url-note', (e) => e.textContent);
    check('a link with an unknown mode or preset says what the page shows instead',
      /mode "xyz".*showing Explore/.test(oddNote) && /preset "zzz"/.test(oddNote), oddNote);
    await odd.close();
    // a link to a step or an ensemble the Lecture does not have says what it shows instead
    const wrong = await ctx.newPage();
    await wrong.goto(server.url + '?mode=lecture&step=99&data=4d');
    await wrong.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
    const w = await wrong.evaluate(() => ({ step: window.pinchglass.lecture.step, note: document.getElementById('lecture-url-note').textContent }));
    check('lecture: ?step=99&data=4d shows the last step of the first ensemble and says so next to the ensemble control',
      w.step === 5 && /step "99"/.test(w.note) && /showing step 5/.test(w.note) && /"4d"/.test(w.note), JSON.stringify(w));
    await wrong.click('#lecture-prev');
    await wrong.waitForFunction(() => document.body.dataset.lectureStep === '4');
    check('lecture: the link note goes once the user moves on',
      (await wrong.$eval('#lecture-url-note', (e) => e.textContent)) === '');
    await wrong.close();
    // Explore still works from the tab (its worker starts on demand)
    await direct.click('#tab-explore');
    const state = await waitForEnd(direct);
    const r = await direct.evaluate(() => ({ tp: window.pinchglass.results?.tp, url: location.search }));
    check('lecture → Explore tab: the default glass runs then (worker started on demand)',
      state === 'done' && r.tp === PAGE_DEFAULT.tp && !/mode=lecture/.test(r.url), `state ${state}, ${r.url}`);
    await direct.close();
    await page.close();
  });
}

// ---------------------------------------------------------------- Temperature sweep mode

const SWEEP_FIGURES = ['sweep-fig2', 'sweep-fig4a', 'sweep-fig4b', 'sweep-fig5', 'sweep-fig6', 'sweep-figS1'];
const TINY = { dim: 2, n: 64, tps: '2, 0.5', units: 'model', samples: 2, sweeps: 50, seed: 7, quartic: 0 };

async function fillSweep(page, p) {
  // the advanced controls (density, route, quartic K) sit in a <details> that may be closed
  if (['density', 'route', 'quartic'].some((k) => k in p)) {
    await page.evaluate(() => { document.querySelector('#sweep-controls details').open = true; });
  }
  for (const [k, v] of Object.entries(p)) {
    if (k === 'dim' || k === 'units') await page.selectOption(`#sweep-${k}`, String(v));
    else await page.fill(`#sweep-${k}`, String(v));
  }
}

async function waitSweep(page, timeout = 180_000) {
  await page.waitForFunction(() => ['done', 'error', 'cancelled'].includes(document.body.dataset.sweep), null, { timeout });
  return page.evaluate(() => document.body.dataset.sweep);
}

// Numbers equal to `tol` relative (integers, strings, booleans, null exactly); returns the worst
// relative difference, or Infinity on a structural difference (reported in `where`).
function compareJson(a, b, tol, where = [], path_ = '') {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = Number.isInteger(a) && Number.isInteger(b) && Math.abs(a) < 1e6 ? (a === b ? 0 : Infinity) : rel(a, b);
    if (!(r <= tol)) where.push(`${path_}: ${a} vs ${b}`);
    return r;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) { where.push(`${path_}: length ${a.length} vs ${b.length}`); return Infinity; }
    return a.reduce((w, x, k) => Math.max(w, compareJson(x, b[k], tol, where, `${path_}[${k}]`)), 0);
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) { where.push(`${path_}: keys ${ka} vs ${kb}`); return Infinity; }
    return ka.reduce((w, k) => Math.max(w, compareJson(a[k], b[k], tol, where, `${path_}.${k}`)), 0);
  }
  if (a !== b) { where.push(`${path_}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`); return Infinity; }
  return 0;
}

async function testSweep() {
  return session(async ({ server, page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url + '?mode=sweep');
    await page.waitForFunction(() => document.body.dataset.sweep === 'idle' && !document.getElementById('mode-sweep').hidden, null, { timeout: 30_000 });
    // a bad T_p list is refused next to its control, nothing runs
    await fillSweep(page, { ...TINY, tps: '1, -2' });
    await page.click('#sweep-run');
    await page.waitForFunction(() => document.body.dataset.sweep === 'error', null, { timeout: 10_000 });
    const bad = await page.evaluate(() => ({ message: document.getElementById('err-sweep-tps').textContent,
      visible: !!document.getElementById('err-sweep-tps').offsetParent, records: window.pinchglass.sweep.records.length,
      invalid: document.getElementById('sweep-tps').getAttribute('aria-invalid') }));
    check('sweep: a bad T_p list ("1, -2") is refused next to its control, nothing runs',
      bad.visible && /positive/.test(bad.message) && bad.invalid === 'true' && bad.records === 0, `"${bad.message}"`);
    await fillSweep(page, { tps: '0.5, abc' });
    await page.click('#sweep-run');
    const bad2 = await page.evaluate(() => document.getElementById('err-sweep-tps').textContent);
    check('sweep: a T_p that is not a number is named in the message', /entry \d+ \("abc"\): T_p must be a number/.test(bad2), `"${bad2}"`);

    // the tiny ensemble runs, draws every figure, and equals the CLI
    await fillSweep(page, TINY);
    const t0 = Date.now();
    await page.click('#sweep-run');
    const state = await waitSweep(page);
    const wall = (Date.now() - t0) / 1000;
    const S = await page.evaluate(() => {
      const s = window.pinchglass.sweep;
      return { lines: s.lines, summary: s.summary, seconds: s.seconds, command: s.command, build: s.build, threads: s.threads,
        url: location.search, stage: document.getElementById('sweep-stage').textContent,
        rows: document.querySelectorAll('#sweep-table tbody tr').length, error: document.getElementById('sweep-error').textContent };
    });
    const ink = await canvasInk(page, '#sweep-figures canvas');
    check('sweep: 2 T_p × 2 samples (2D, N = 64, 50 sweeps) complete; every figure and the table drawn',
      state === 'done' && S.lines.length === 4 && S.summary.temperatures.length === 2 && S.rows === 2
        && ink.length === SWEEP_FIGURES.length && ink.every((c) => c.ink > 0.01) && errors.length === 0,
      `state ${state} ${S.error}, ${wall.toFixed(1)} s (worker ${S.seconds?.toFixed(2)} s, ${S.build} ${S.threads} threads); `
        + ink.map((c) => `${c.id} ${(100 * c.ink).toFixed(1)} %`).join(', '));
    const labels = await page.$$eval('#sweep-figures canvas', (cs) => cs.map((c) => [c.getAttribute('role'), c.getAttribute('aria-label') ?? '']));
    check('sweep: every figure has a text alternative (role img, its caption and the samples drawn)',
      labels.length === SWEEP_FIGURES.length && labels.every(([r, l]) => r === 'img' && /Drawn from 4 samples at T_p = /.test(l)),
      labels.map(([, l]) => l.slice(0, 60)).join(' | '));
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'sweep.png'), fullPage: true });
    if (state === 'done') {
      const cliDir = path.join(tmp, 'sweep-cli');
      const argv = ['sweep', '--dim', '2', '--n', '64', '--tp', '2,0.5', '--samples', '2', '--sweeps', '50', '--seed', '7', '-o', cliDir];
      execFileSync(CLI, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
      check('sweep: the page shows the equivalent CLI command', S.command.startsWith(`pinchglass ${argv.slice(0, -2).join(' ')}`), S.command);
      const cli = readFileSync(path.join(cliDir, 'samples-0-2.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const page_ = S.lines.map((l) => JSON.parse(l));
      const strip = ({ seconds, ...r }) => r;
      let worst = 0;
      let identical = 0;
      let fields = 0;
      const where = [];
      for (const r of page_) {
        const c = cli.find((x) => x.tp === r.tp && x.index === r.index);
        if (!c) { worst = Infinity; where.push(`no CLI record T_p ${r.tp} #${r.index}`); continue; }
        worst = Math.max(worst, compareJson(strip(r), strip(c), 1e-9, where));
        for (const k of Object.keys(strip(c))) { fields += 1; if (JSON.stringify(r[k]) === JSON.stringify(c[k])) identical += 1; }
      }
      // u64 seeds exceed 2^53: compared as the digits of the JSON text
      const seeds = (lines) => lines.map((l) => `${JSON.parse(l).tp}#${JSON.parse(l).index}:${/"seed":(\d+)/.exec(l)?.[1]}`).sort();
      const cliLines = readFileSync(path.join(cliDir, 'samples-0-2.jsonl'), 'utf8').trim().split('\n');
      const seedsEqual = seeds(S.lines).join() === seeds(cliLines).join();
      check('sweep: every record equals `pinchglass sweep` with the same parameters (seeds, counts exact; numbers to 1e-9)',
        page_.length === cli.length && worst < 1e-9 && seedsEqual,
        `worst rel ${worst.toExponential(2)}; ${identical}/${fields} fields bit-identical (the rest differ in the last digits of the dense eigensolver); seeds ${seeds(S.lines).join(', ')}${where.length ? `; ${where.slice(0, 3).join('; ')}` : ''}`);
      const pageDir = path.join(tmp, 'sweep-page');
      mkdirSync(pageDir, { recursive: true });
      writeFileSync(path.join(pageDir, 'samples-page.jsonl'), `${S.lines.join('\n')}\n`);
      execFileSync(CLI, ['summarize', pageDir], { stdio: ['ignore', 'ignore', 'pipe'] });
      const cliSummary = JSON.parse(readFileSync(path.join(pageDir, 'summary.json'), 'utf8'));
      const sw = [];
      const sworst = compareJson(S.summary, cliSummary, 1e-9, sw);
      check('sweep: the page\'s summary equals `pinchglass summarize` of its records (1e-9 relative)', sworst < 1e-9,
        `worst rel ${sworst.toExponential(2)}${sw.length ? `; ${sw.slice(0, 3).join('; ')}` : ''}`);
      const dl = await downloadOf(page, '#sweep-export-records');
      check('sweep: the records download holds one JSON line per sample', String(dl.bytes).trim().split('\n').length === 4, dl.name);
      check('sweep: the URL carries the sweep', /mode=sweep/.test(S.url) && /tps=2%2C\+?0\.5/.test(S.url) && /samples=2/.test(S.url), S.url);
    }

    // with quartic modes the table shows their count, the 𝒩 the figures draw, beside the harmonic
    // one, and the fit line says which 𝒩 it fits
    await fillSweep(page, { ...TINY, quartic: 4 });
    await page.click('#sweep-run');
    const quarticState = await waitSweep(page);
    const Q = await page.evaluate(() => ({
      head: [...document.querySelectorAll('#sweep-table thead th')].map((t) => t.textContent),
      row: [...document.querySelector('#sweep-table tbody tr').children].map((c) => c.textContent),
      first: window.pinchglass.sweep.summary?.temperatures?.[0]?.quartic_count,
      fit: document.getElementById('sweep-fit').textContent,
    }));
    const qCol = Q.head.findIndex((h) => /𝒩 quartic/.test(h));
    check('sweep with quartic modes: the table shows the quartic count (the figures\' 𝒩) beside the harmonic one, and the fit line names it',
      quarticState === 'done' && qCol >= 0 && Q.head.some((h) => /𝒩 harmonic/.test(h)) && Q.first
        && Q.row[qCol].endsWith(`(${Q.first.modes})`) && /quartic-mode count/.test(Q.fit),
      `${Q.head.join(' | ')} // ${Q.row.join(' | ')} // ${Q.fit.slice(0, 120)}`);
    // a glass next to a mechanical instability (2D, N = 48, T_p = 5, seed 1: sample #2 has G < 0) is
    // counted in the table's "unstable" column and left out of the mean G
    await fillSweep(page, { dim: 2, n: 48, tps: '5', units: 'model', samples: 3, sweeps: 50, seed: 1, quartic: 0 });
    await page.click('#sweep-run');
    const unstableState = await waitSweep(page);
    const U = await page.evaluate(() => {
      const s = window.pinchglass.sweep;
      const head = [...document.querySelectorAll('#sweep-table thead th')].map((t) => t.textContent);
      const col = head.findIndex((h) => /unstable/.test(h));
      const cell = col >= 0 ? document.querySelector('#sweep-table tbody tr').children[col].textContent : null;
      return { row: s.summary?.temperatures?.[0], gs: s.records.map((r) => r.shear_modulus), cell, head,
        fit: document.getElementById('sweep-fit').textContent, warnings: document.getElementById('sweep-warnings').textContent };
    });
    const stableG = U.gs.filter((g) => g > 0);
    const meanG = stableG.reduce((a, g) => a + g, 0) / stableG.length;
    check('sweep: a sample with G ≤ 0 (next to a mechanical instability) is counted in the table\'s "unstable" column and left out of the mean G',
      unstableState === 'done' && U.row?.samples === 3 && U.row?.unstable === 1 && U.cell === '1'
        && U.gs.filter((g) => g <= 0).length === 1 && Math.abs(U.row.shear_modulus.value - meanG) < 1e-9 * meanG
        && /1 sample with G ≤ 0/.test(U.fit) && /left out of the means/.test(U.warnings),
      `${unstableState}: G = ${U.gs.map((g) => g.toFixed(2)).join(', ')}; row samples ${U.row?.samples}, unstable ${U.row?.unstable} (cell "${U.cell}"), mean G ${U.row?.shear_modulus?.value?.toFixed(3)} vs ${meanG.toFixed(3)}`);

    // the paper's units: a T_p list in T_onset runs the model-unit T_p it denotes; table, fit and
    // command in the paper's units (the shipped calibration)
    await fillSweep(page, { ...TINY, units: 'paper', tps: '0.6, 0.2' });
    await page.evaluate(() => {
      const el = document.getElementById('sweep-stage');
      window.__stages = [];
      new MutationObserver(() => window.__stages.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#sweep-run');
    const paperState = await waitSweep(page);
    const stages = await page.evaluate(() => window.__stages);
    check('sweep in the paper\'s units: the progress line names T_p as typed, in T_onset (the ε/k_B value beside it)',
      stages.some((t) => /T_p = 0\.6 T_onset \(1\.8 ε\/k_B\)/.test(t)) && !stages.some((t) => /T_p = 1\.8,/.test(t)),
      `${stages.filter((t) => /T_p/.test(t)).slice(0, 2).join(' | ')}`);
    // the stage times: the same names in the progress and the final line, in the pipeline's order
    const times = stages.filter((t) => /last sample:|samples done/.test(t));
    check('sweep: the progress and final lines name the stages alike ("swap MC, quench, analysis")',
      times.length >= 2 && times.every((t) => /swap MC [\d.]+ s, quench [\d.]+ s, analysis [\d.]+ s/.test(t) && !/swap mc/.test(t)),
      times.slice(-2).join(' | '));
    const P = await page.evaluate(() => ({ tps: [...new Set(window.pinchglass.sweep.records.map((r) => r.tp))],
      units: window.pinchglass.sweep.summary?.units, command: window.pinchglass.sweep.command,
      head: document.querySelector('#sweep-table thead').textContent, url: location.search }));
    check('sweep in the paper\'s units: T_p = 0.6, 0.2 T_onset runs T_p = 1.8, 0.6 ε/k_B; table and summary in T_onset, c∞/a0',
      paperState === 'done' && P.tps.join() === '1.8,0.6' && P.units?.t_onset === 3 && /T_p \(T_onset\)/.test(P.head)
        && /ω_g \(c∞\/a0\)/.test(P.head) && /--tp 1\.8,0\.6 .*--calibration calibration\/poly-2d\/calibration\.json/.test(P.command)
        && /units=paper/.test(P.url),
      `${paperState}: T_p ${P.tps.join(', ')}; ${P.command}; ${P.url}`);

    // the fit line in the table's units, in the page's words (no command-line option)
    const fitLine = await page.evaluate(() => document.getElementById('sweep-fit').textContent);
    check('sweep in the paper\'s units: the Boltzmann fit line names T_p in T_onset and no command-line option',
      paperState === 'done' && /T_p = [^:]*T_onset/.test(fitLine) && !/--fit-tp-max|counted N|T_p = [\d., ]+ ε\/k_B/.test(fitLine), `"${fitLine}"`);
    // a repeated T_p typed in T_onset is named as typed, not as its ε/k_B value
    await fillSweep(page, { ...TINY, units: 'paper', tps: '2, 2, 2' });
    await page.click('#sweep-run');
    const twice = await page.evaluate(() => document.getElementById('err-sweep-tps').textContent);
    check('sweep in the paper\'s units: "2, 2, 2" is refused as "T_p = 2 T_onset appears twice", not as the converted value',
      /T_p = 2 T_onset appears twice/.test(twice) && !/"6"|= 6 /.test(twice), `"${twice}"`);
    await fillSweep(page, { ...TINY, units: 'paper', tps: '0.6, -1' });
    await page.click('#sweep-run');
    const negative = await page.evaluate(() => document.getElementById('err-sweep-tps').textContent);
    check('sweep in the paper\'s units: a negative entry is named as typed, "got -1 T_onset"',
      /positive number, got -1 T_onset/.test(negative) && !/-3/.test(negative), `"${negative}"`);
    await fillSweep(page, { units: 'model' });

    // cancel stops a long sweep at once; a new sweep completes in a fresh worker
    await fillSweep(page, { ...TINY, sweeps: 400000 });
    await page.click('#sweep-run');
    await page.waitForFunction(() => /sample 1 of/.test(document.getElementById('sweep-stage').textContent), null, { timeout: 30_000 });
    await page.waitForTimeout(500);
    await page.click('#sweep-cancel');
    const afterCancel = await page.evaluate(() => ({ state: document.body.dataset.sweep, records: window.pinchglass.sweep.records.length }));
    await fillSweep(page, TINY);
    await page.click('#sweep-run');
    const again = await waitSweep(page);
    const n = await page.evaluate(() => window.pinchglass.sweep.lines.length);
    check('sweep: cancel stops a long sweep at once; a new sweep then completes',
      afterCancel.state === 'cancelled' && afterCancel.records === 0 && again === 'done' && n === 4,
      `after cancel ${afterCancel.state} (${afterCancel.records} records), then ${again} with ${n} records`);

    // the watchdog: a sample past its allowance (shrunk to 0.3 s) stops the sweep with a message and
    // Retry, in a fresh worker; Retry then completes
    await page.evaluate(() => Object.assign(window.pinchglass.watchdog, { floor: 0.3, factor: 0 }));
    await fillSweep(page, { ...TINY, sweeps: 400000 });
    await page.click('#sweep-run');
    const fired = await waitSweep(page, 60_000);
    const w = await page.evaluate(() => ({ message: document.getElementById('sweep-error').textContent,
      visible: !!document.getElementById('sweep-error').offsetParent,
      retry: !document.getElementById('sweep-retry').hidden, fired: window.pinchglass.sweep.watchdogFired }));
    await page.evaluate(() => Object.assign(window.pinchglass.watchdog, { floor: 30, factor: 10 }));
    await fillSweep(page, TINY);
    await page.click('#sweep-retry');
    const retried = await waitSweep(page);
    const n2 = await page.evaluate(() => window.pinchglass.sweep.lines.length);
    check('sweep watchdog: a sample past its allowance stops the sweep with a message and Retry; Retry completes',
      fired === 'error' && w.visible && /stopped responding: sample 1 .*Retry/.test(w.message) && w.retry && w.fired === 1
        && retried === 'done' && n2 === 4 && errors.length === 0,
      `${fired}: "${w.message.slice(0, 160)}", retry ${w.retry}, fired ${w.fired}; then ${retried} with ${n2} records`);
    await page.close();
  });
}

// Paper units (issue 14, item 2): T_p typed in T_onset round-trips through the URL (with the
// T_onset it used) and gives the very run of the model-unit T_p it denotes, 0.45 × 0.8 included
// (= 0.36, not 0.36000000000000004); the units switch refuses a density its calibration does not
// hold for, next to the switch; old links without `units` keep their model-unit T_p.
async function testUnits() {
  return session(async ({ server, page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const base = 'dim=2&n=100&seed=3&sweeps=200&quartic=0';
    await page.goto(`${server.url}?${base}&tp=0.45&units=paper&tonset=0.8`);
    let state = await waitForEnd(page);
    const plots = () => ['canvas-vdos', 'canvas-pinches'].map((id) => document.getElementById(id).toDataURL());
    const paper = await page.evaluate((f) => ({ xyz: window.pinchglass.xyz, tp: window.pinchglass.results?.tp, url: location.search,
      field: document.getElementById('tp').value, units: document.getElementById('units').value,
      label: document.querySelector('#results tbody').textContent, plotUnits: window.pinchglass.plotUnits,
      captions: [...document.querySelectorAll('#views .units')].filter((e) => e.offsetParent !== null).map((e) => e.textContent),
      plots: eval(f)() }), `(${plots})`);
    await page.goto(`${server.url}?${base}&tp=0.36&units=model`);
    const state2 = await waitForEnd(page);
    const model = await page.evaluate((f) => ({ xyz: window.pinchglass.xyz, tp: window.pinchglass.results?.tp,
      plotUnits: window.pinchglass.plotUnits, plots: eval(f)(),
      captions: [...document.querySelectorAll('#views .units')].filter((e) => e.offsetParent !== null).map((e) => e.textContent) }), `(${plots})`);
    // a link's own T_onset (0.8, the shipped 2D one is 3) is attributed to the link, not to the file
    check('units: a run with the link\'s own T_onset says so (not the shipped calibration\'s file, whose value it names)',
      /T_onset from the link, not from calibration\/poly-2d\/calibration\.json, which says 3 ε\/k_B/.test(paper.label), paper.label);
    // each view's caption names the units it is drawn in: four data plots in c∞/a0 or a0 with the
    // paper's units, every caption in model units otherwise
    check('units: the captions follow the units of their views (4 in the paper\'s, 5 in the model\'s with paper units; 9 model-unit captions otherwise)',
      paper.captions.length === 9 && paper.captions.filter((c) => /^The paper's units|c∞\/a0|c∞\/a₀/.test(c.replace(/<[^>]*>/g, ''))).length >= 4
        && model.captions.length === 9 && model.captions.every((c) => /^Model units/.test(c)),
      `${paper.captions.map((c) => c.slice(0, 24)).join(' | ')} // ${model.captions.map((c) => c.slice(0, 12)).join(' | ')}`);
    await page.goto(`${server.url}?${base}&tp=0.36`);
    const state3 = await waitForEnd(page);
    const legacy = await page.evaluate(() => ({ xyz: window.pinchglass.xyz, units: document.getElementById('units').value }));
    const q = new URLSearchParams(paper.url);
    check('units: T_p = 0.45 T_onset with T_onset = 0.8 round-trips through the URL and is the run of T_p = 0.36 ε/k_B (same XYZ); an old link stays in model units',
      state === 'done' && state2 === 'done' && state3 === 'done' && paper.tp === 0.36 && model.tp === 0.36
        && paper.xyz === model.xyz && legacy.xyz === model.xyz && legacy.units === 'model'
        && q.get('tp') === '0.45' && q.get('units') === 'paper' && q.get('tonset') === '0.8' && paper.field === '0.45'
        && /0\.45 T_onset \(0\.36 ε\/k_B\)/.test(paper.label),
      `${paper.url}; T_p ${paper.tp} vs ${model.tp}; XYZ ${paper.xyz === model.xyz ? 'identical' : 'differs'}; old link ${legacy.units}`);
    // Explore's data plots follow the units switch: the same glass drawn in c∞/a0 and a0 (the shipped
    // 2D calibration's) in paper units, in the model's otherwise, so the vDOS and pinch views differ
    check('units: Explore\'s data plots are drawn in c∞/a0 and a0 of the shipped calibration in paper units, in model units otherwise',
      Array.isArray(paper.plotUnits) && paper.plotUnits.length === 2 && paper.plotUnits.every((x) => x > 0 && x !== 1)
        && model.plotUnits === null && paper.plots.every((d, k) => d !== model.plots[k]),
      `paper [c∞/a0, a0] = ${JSON.stringify(paper.plotUnits)}, model ${JSON.stringify(model.plotUnits)}; `
        + `vDOS and pinch canvases ${paper.plots.every((d, k) => d !== model.plots[k]) ? 'differ' : 'are identical'}`);
    // the shipped calibration holds at its density only: refused next to the units switch
    await page.goto(`${server.url}?${base}&tp=0.5&units=paper&density=0.9`);
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
    const bad = await page.evaluate(() => ({ message: document.getElementById('err-units').textContent,
      visible: !!document.getElementById('err-units').offsetParent || !!document.getElementById('units').offsetParent }));
    check('units: paper units at a density the calibration does not hold for are refused next to the switch',
      /holds at density 0\.86 only/.test(bad.message) && /model units/.test(bad.message) && bad.visible && errors.length === 0, `"${bad.message}"`);
    // …and a T_p typed in T_onset is then not judged in model units (a message without its unit)
    await page.goto(`${server.url}?${base}&tp=-1&units=paper&density=0.9`);
    await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: 30_000 });
    const tpMsg = await page.evaluate(() => [document.getElementById('err-units').textContent, document.getElementById('err-tp').textContent]);
    check('units: with paper units refused for the density, T_p = -1 (typed in T_onset) gets no message in model units; the units switch says what to fix',
      /model units/.test(tpMsg[0]) && tpMsg[1] === '', `units: "${tpMsg[0].slice(0, 60)}…", T_p: "${tpMsg[1]}"`);
    await page.close();
  });
}

// On a phone (390 × 844) nothing covers a canvas of the Lecture or the Temperature sweep once it is
// scrolled into view: element-from-point at each visible canvas's centre returns the canvas (a
// sticky control panel used to stay on screen over the figures).
async function testPhone() {
  // one readable column below 900 px: at a phone's 390×844 and a tablet's 820×1000 nothing covers a
  // canvas (element-from-point at every canvas centre returns the canvas), nothing is wider than the
  // window, and the Lecture figure is drawn at the width it is shown (its text keeps its size)
  for (const [w, h] of [[390, 844], [820, 1000]]) {
    await session({ viewport: { width: w, height: h } }, async ({ server, page }) => {
      const covered = async () => page.evaluate(async () => {
        const out = [];
        for (const c of document.querySelectorAll('canvas')) {
          if (c.getBoundingClientRect().width === 0 || c.offsetParent === null) continue;
          c.scrollIntoView({ block: 'center' });
          await new Promise((r) => requestAnimationFrame(() => r()));
          const b = c.getBoundingClientRect();
          const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
          if (hit !== c) out.push(`${c.id} under ${hit ? hit.tagName.toLowerCase() + (hit.id ? '#' + hit.id : '') : 'nothing'}`);
        }
        if (document.documentElement.scrollWidth > innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth} px wide in a ${innerWidth} px window`);
        return out;
      });
      await page.goto(server.url + '?mode=lecture&step=4');
      await page.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
      const lecture = await covered();
      const fig = await page.evaluate(() => {
        const c = document.getElementById('lecture-canvas');
        return { width: c.width, shown: Math.round(c.getBoundingClientRect().width) };
      });
      check(`phone ${w}×${h}: nothing covers the Lecture figure, drawn at the width it is shown`,
        lecture.length === 0 && (Math.abs(fig.width - fig.shown) <= 2 || (fig.width === 360 && fig.shown < 360) || (fig.width === 900 && fig.shown >= 880)),
        `${lecture.join(', ') || 'all canvases on top'}; canvas ${fig.width} px drawn, ${fig.shown} px shown`);
      // the step's text comes before the long provenance, which starts folded on a phone
      const order = await page.evaluate(() => ({ folded: !document.getElementById('lecture-provenance-box').open,
        textTop: Math.round(document.getElementById('lecture-text').getBoundingClientRect().top + scrollY) }));
      check(`phone ${w}×${h}: the Lecture's step text within the first two screens (the provenance folded below 700 px)`,
        (w >= 700 || order.folded) && order.textTop < 2 * h, JSON.stringify(order));
      await page.goto(server.url + '?mode=sweep');
      await page.waitForTimeout(500);
      const sweep = await covered();
      check(`phone ${w}×${h}: nothing covers the Temperature sweep figures`, sweep.length === 0, sweep.join(', ') || 'all canvases on top');
      // after a sweep its results table (nine columns) scrolls inside the column: the page stays
      // as wide as the window
      await fillSweep(page, { ...TINY, samples: 1 });
      await page.click('#sweep-run');
      const swept = await waitSweep(page);
      const table = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: innerWidth,
        shown: Math.round(document.getElementById('sweep-table').getBoundingClientRect().width),
        content: document.getElementById('sweep-table').scrollWidth }));
      check(`phone ${w}×${h}: after a sweep the results table scrolls in its column; the page is no wider than the window`,
        swept === 'done' && table.page <= table.window + 1 && table.shown <= table.window,
        `${swept}: page ${table.page} px in a ${table.window} px window; table ${table.shown} px shown of ${table.content}`);
      // the sweep's figures are drawn at the width they are shown, portrait below 600 px (their
      // panels stacked), not an 800 × 600 figure shrunk to the screen
      const figs = await page.$$eval('#sweep-figures canvas', (cs) => cs.map((c) => [c.width, c.height, Math.round(c.getBoundingClientRect().width)]));
      check(`phone ${w}×${h}: the sweep's figures are drawn at the width they are shown${w < 600 ? ', portrait' : ''}`,
        figs.length === 6 && figs.every(([cw, ch, shown]) => (Math.abs(cw - shown) <= 2 || (cw === 360 && shown < 360) || (cw === 800 && shown >= 780))
          && (cw >= 600 || ch === Math.round(cw * 1.45))),
        figs.map((f) => f.join('×')).join(', '));
      await page.goto(server.url);
      const state = await waitForEnd(page);
      const explore = await covered();
      // a tap at the glass's centre reaches the canvas (click-to-pinch)
      const tap = await page.evaluate(() => {
        const c = document.getElementById('canvas-glass');
        c.scrollIntoView({ block: 'center' });
        const b = c.getBoundingClientRect();
        return document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)?.id;
      });
      const picker = await page.evaluate(() => {
        const b = document.getElementById('config-file').getBoundingClientRect();
        return b.width > 0 && b.right <= window.innerWidth + 1;
      });
      check(`phone ${w}×${h}: Explore's views are on top (taps reach the glass); the configuration-file picker fits the width`,
        state === 'done' && explore.length === 0 && tap === 'canvas-glass' && picker,
        `${state}; ${explore.join(', ') || 'all canvases on top'}; tap → ${tap}; picker ${picker ? 'fits' : 'too wide'}`);
      await page.close();
    });
  }
}

// Presenter view at 1280×720: every Lecture step (title, text and figure) fits the screen without
// scrolling, text and figure side by side without overlapping, in type larger than the page's.
async function testPresenter() {
  return session({ viewport: { width: 1280, height: 720 } }, async ({ server, page }) => {
    await page.goto(server.url + '?mode=lecture&step=1');
    await page.waitForFunction(() => document.body.dataset.lecture === 'ready', null, { timeout: 30_000 });
    await page.click('#lecture-present');
    await page.waitForFunction(() => document.body.dataset.presenter === '1' && /present=1/.test(location.search), null, { timeout: 10_000 });
    for (const id of (await page.evaluate(() => [...document.getElementById('lecture-data').options].map((o) => o.value)))) {
      // the ensemble chooser is in the panel the presenter view hides: a link chooses it
      await page.goto(server.url + `?mode=lecture&step=1&data=${id}&present=1`);
      // (document.body is briefly null while the new document loads)
      await page.waitForFunction((d) => window.pinchglass?.lecture?.dataset === d && document.body?.dataset.lecture === 'ready'
        && document.body?.dataset.presenter === '1', id, { timeout: 30_000 });
      for (let k = 1; k <= 5; k++) {
        await page.evaluate((s) => window.pinchglass.lecture.go(s), k);
        await page.waitForFunction((s) => document.body.dataset.lectureStep === String(s) && document.body.dataset.lecture === 'ready', k, { timeout: 10_000 });
        const m = await page.evaluate(() => {
          const r = (id) => document.getElementById(id).getBoundingClientRect();
          const [t, x, c] = [r('lecture-title'), r('lecture-text'), r('lecture-canvas')];
          return {
            scrollH: document.documentElement.scrollHeight, scrollW: document.documentElement.scrollWidth,
            vh: innerHeight, vw: innerWidth, titleTop: t.top, textBottom: x.bottom, textRight: x.right,
            canvas: [c.left, c.top, c.right, c.bottom].map(Math.round), canvasW: Math.round(c.width), canvasH: Math.round(c.height),
            font: parseFloat(getComputedStyle(document.getElementById('lecture-text')).fontSize),
            base: parseFloat(getComputedStyle(document.body).fontSize),
          };
        });
        const fits = m.scrollH <= m.vh + 1 && m.scrollW <= m.vw + 1 && m.titleTop >= 0 && m.textBottom <= m.vh && m.canvas[3] <= m.vh && m.canvas[2] <= m.vw
          && m.textRight <= m.canvas[0] && m.font > m.base && m.canvasW >= 600;
        check(`presenter 1280×720: ${id} step ${k} fits without scrolling (text + figure side by side, larger type)`, fits,
          `text to y = ${Math.round(m.textBottom)} of ${m.vh} px at ${m.font.toFixed(1)} px type; figure ${m.canvasW}×${m.canvasH} px at (${m.canvas[0]}, ${m.canvas[1]}); page ${m.scrollW}×${m.scrollH}`);
      }
    }
    await page.click('#lecture-present');
    const off = await page.evaluate(() => ({ p: document.body.dataset.presenter, header: document.querySelector('header').getBoundingClientRect().height, url: location.search }));
    check('presenter: the button leaves the presenter view (page chrome back, present=1 gone)', off.p === '' && off.header > 20 && !/present=1/.test(off.url), JSON.stringify(off));
    // opened by a link (no fullscreen), Esc leaves it too
    await page.goto(server.url + '?mode=lecture&step=2&present=1');
    await page.waitForFunction(() => document.body?.dataset.lecture === 'ready' && document.body?.dataset.presenter === '1', null, { timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.body.dataset.presenter === '', null, { timeout: 5_000 }).catch(() => {});
    const esc = await page.evaluate(() => ({ p: document.body.dataset.presenter, url: location.search }));
    check('presenter: opened by a link, Esc leaves it', esc.p === '' && !/present=1/.test(esc.url), JSON.stringify(esc));
    await page.close();
  });
}

// Whether a summary fills every figure of the sweep, and what is missing: 𝒩, A_g and ξ_s (Figs. 2,
// 4b, 5, 6) need a counted mode at some T_p, ξ_co and ξ_QLM (Fig. 6) quartic modes; every sample's
// parent equilibrated (the engine's verdict).
function sweepGaps(summary, records) {
  const rows = summary?.temperatures ?? [];
  const gaps = [];
  if (!rows.some((r) => r.count?.soft_spots?.value > 0)) gaps.push('no counted N_QLM at any T_p');
  if (!rows.some((r) => r.quartic?.xi_co || r.quartic?.xi_qlm)) gaps.push('no xi_co / xi_QLM');
  const eq = rows.reduce((a, r) => a + r.equilibrated, 0);
  if (eq !== records.length) gaps.push(`${records.length - eq} of ${records.length} samples not equilibrated`);
  return gaps;
}

// The sweep mode's default preset, timed (only with --only sweep-default: about a minute or more;
// --sweep-query 'dim=2&n=…' times another sweep with the same checks).
async function testSweepDefault() {
  return session(async ({ server, page }) => {
    await page.goto(server.url + '?mode=sweep' + (args['sweep-query'] ? `&${args['sweep-query']}` : ''));
    await page.waitForFunction(() => document.body.dataset.sweep === 'idle' && !document.getElementById('mode-sweep').hidden, null, { timeout: 30_000 });
    const t0 = Date.now();
    await page.click('#sweep-run');
    const state = await waitSweep(page, 1_200_000);
    const S = await page.evaluate(() => {
      const s = window.pinchglass.sweep;
      const mean = (k) => s.records.reduce((a, r) => a + (r.seconds?.[k] ?? 0), 0) / s.records.length;
      return { n: s.records.length, seconds: s.seconds, command: s.command, build: s.build, threads: s.threads,
        stages: { swap_mc: mean('swap_mc'), quench: mean('quench'), analysis: mean('analysis'), quartic: mean('quartic') },
        slowest: Math.max(...s.sampleSeconds), fit: document.getElementById('sweep-fit').textContent,
        summary: s.summary, records: s.records, wall: s.wallSeconds };
    });
    const ink = await canvasInk(page, '#sweep-figures canvas');
    const gaps = sweepGaps(S.summary, S.records);
    check('sweep (default preset) completes in about a minute, every sample equilibrated, and fills every figure',
      state === 'done' && ink.every((c) => c.ink > 0.01) && gaps.length === 0,
      `${gaps.join('; ') || 'no gaps'}; wall ${S.wall?.toFixed(1)} s; counted K per T_p: ${(S.summary?.temperatures ?? []).map((r) => `${r.tp}: ${r.count?.modes ?? '—'} harmonic, ${r.quartic_count?.modes ?? '—'} quartic`).join(', ')}`);
    check('sweep (default preset) timing', state === 'done',
      `${S.command.split(' -o ')[0]}: ${S.n} samples in ${S.seconds?.toFixed(1)} s in the worker (${((Date.now() - t0) / 1000).toFixed(1)} s wall), `
        + `${(S.seconds / S.n).toFixed(2)} s per sample (swap MC ${S.stages.swap_mc.toFixed(2)} s, quench ${S.stages.quench.toFixed(2)} s, analysis ${S.stages.analysis.toFixed(2)} s, quartic ${S.stages.quartic.toFixed(2)} s; slowest ${S.slowest.toFixed(2)} s); ${S.build}, ${S.threads} threads; ${S.fit}`);
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'sweep-default.png'), fullPage: true });
  });
}

const only = args.only;
const t0 = Date.now();
try {
  let reference = null;
  if (!only || only === 'isolated') reference = await testIsolated();
  if (!only || only === 'not-isolated') await testNotIsolated(reference);
  if (!only || only === 'service-worker') await testServiceWorker();
  if (!only || only === 'presets') await testPresets();
  if (!only || only === '3d') await test3D();
  if (!only || only === 'fig1') await testFig1();
  if (!only || only === 'bad-input') await testBadInput();
  if (!only || only === 'cancel') await testCancel();
  if (!only || only === 'stress') await testStress();
  if (!only || only === 'history') await testHistoryAndAccess();
  if (!only || only === 'lecture') await testLecture();
  if (!only || only === 'phone') await testPhone();
  if (!only || only === 'presenter') await testPresenter();
  if (!only || only === 'sweep') await testSweep();
  if (!only || only === 'units') await testUnits();
  if (only === 'sweep-default') await testSweepDefault();
} catch (e) {
  check('the end-to-end run itself', false, e.stack || String(e));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const n of notes) console.log(`note ${n}`);
console.log(`e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
