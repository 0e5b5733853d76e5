// End-to-end tests of the browser explorer: serve the real page (scripts/serve.py), drive Debian's
// chromium headless with playwright-core, and compare what the page computes with the CLI.
//
//   node tests/e2e/run.mjs [--chromium /usr/bin/chromium] [--www www] [--cli target/release/pinchglass]
//                          [--only NAME] [--screenshots DIR]
//
// Routes: "isolated" (COOP/COEP headers → threaded build, threads = hardwareConcurrency) and
// "not isolated" (no headers, service workers blocked → single-threaded fallback).
// The last line is "N passed, M failed"; the exit code is 1 if anything failed.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function serve(isolation) {
  const port = await freePort();
  const argv = [path.join(ROOT, 'scripts', 'serve.py'), '--dir', WWW, '--host', '127.0.0.1', '--port', String(port)];
  if (!isolation) argv.push('--no-isolation');
  const proc = spawn('python3', argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('serve.py did not start')), 10_000);
    proc.stdout.on('data', (b) => {
      if (String(b).includes('Serving')) {
        clearTimeout(t);
        resolve();
      }
    });
    proc.once('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => proc.kill('SIGTERM') };
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

// Fraction of non-white pixels of each canvas.
async function canvasInk(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('canvas')].map((c) => {
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let k = 0; k < px.length; k += 4) if (px[k] < 240 || px[k + 1] < 240 || px[k + 2] < 240) ink++;
      return { id: c.id, ink: ink / (px.length / 4) };
    }),
  );
}

function cliAnalyze(xyzText, name) {
  const file = path.join(tmp, `${name}.xyz`);
  writeFileSync(file, xyzText);
  const out = execFileSync(CLI, ['analyze', file, '--json', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    runSeconds: window.pinchglass.runSeconds,
    error: document.getElementById('run-error').textContent,
  }));
  check(`${route}: the default preset reaches data-state=done`, state === 'done',
    state === 'done' ? `page load → done ${info.loadToDone?.toFixed(2)} s` : `state ${state}: ${info.error} ${consoleErrors.join(' | ')}`);
  if (state !== 'done') return { page, info };
  notes.push(`${route}: page load → all plots ${info.loadToDone.toFixed(2)} s (run in worker ${info.runSeconds.toFixed(2)} s, wall incl. browser start of page ${wall.toFixed(2)} s); build ${info.build}, ${info.threads} threads; stage seconds ${JSON.stringify(info.results.timings_seconds)}`);
  const ink = await canvasInk(page);
  check(`${route}: every canvas is drawn (${ink.length} canvases)`,
    ink.length === 4 && ink.every((c) => c.ink > 0.01),
    ink.map((c) => `${c.id} ${(100 * c.ink).toFixed(1)} %`).join(', '));
  const keys = ['n', 'dim', 'energy', 'pressure', 'omega_g', 'omega_g_all', 'n_pairs', 'shear_modulus', 'eigenvalues', 'pairs', 'timings_seconds', 'seed', 'tp', 'sweeps', 'swap_mc'];
  const missing = keys.filter((k) => !(k in info.results));
  check(`${route}: window.pinchglass.results has the CLI's keys`, missing.length === 0, missing.length ? `missing ${missing}` : '');
  if (SCREENSHOTS) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${route.replace(/\W+/g, '-')}.png`), fullPage: true });
  }
  return { page, info };
}

async function testIsolated() {
  const server = await serve(true);
  const ctx = await browser();
  try {
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
    // Not yet a test: the core draws sizes with powf(−0.5), whose last bit differs between the
    // native libm and wasm's, so positions agree only to ~1e-11 (reported to the core's owner).
    const generated = cliGenerate(DEFAULT, 'isolated');
    notes.push(generated === exported
      ? 'isolated: the XYZ is byte-identical to `pinchglass generate --quench`'
      : `isolated: the XYZ differs from \`pinchglass generate --quench\` (known libm last-bit issue): ${firstDifference(generated, exported)}`);
    await page.close();
    return info.results;
  } finally {
    await ctx.close();
    server.stop();
  }
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
  const server = await serve(true);
  const ctx = await browser();
  try {
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
    // a size above the browser's memory budget names the limit
    const page = await ctx.newPage();
    await page.goto(server.url + query({ ...DEFAULT, n: 100000 }));
    await page.waitForFunction(() => document.body.dataset.state !== 'idle', null, { timeout: 30_000 });
    const msg = await page.evaluate(() => document.getElementById('err-n').textContent);
    check('bad input n=100000: refused with the memory limit and the largest N', /MB/.test(msg) && /largest N/.test(msg), `"${msg}"`);
    await page.close();
  } finally {
    await ctx.close();
    server.stop();
  }
}

async function testCancel() {
  const server = await serve(true);
  const ctx = await browser();
  try {
    const page = await ctx.newPage();
    await page.goto(server.url + query({ ...DEFAULT, sweeps: 200000 }));
    await page.waitForFunction(() => /swap Monte Carlo/.test(document.getElementById('stage').textContent), null, { timeout: 30_000 });
    await page.click('#cancel');
    const afterCancel = await page.evaluate(() => document.body.dataset.state);
    // a new run with other parameters starts at once and completes
    await page.fill('#sweeps', '100');
    await page.click('#run');
    const state = await waitForEnd(page);
    const r = await page.evaluate(() => window.pinchglass.results);
    check('cancel stops a long run, and a new run completes without reloading', afterCancel === 'idle' && state === 'done' && r.sweeps === 100,
      `after cancel ${afterCancel}, then ${state}`);
  } finally {
    await ctx.close();
    server.stop();
  }
}

async function testNotIsolated(reference) {
  const server = await serve(false);
  const ctx = await browser({ serviceWorkers: 'block' });
  try {
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
  } finally {
    await ctx.close();
    server.stop();
  }
}

const only = args.only;
const t0 = Date.now();
try {
  let reference = null;
  if (!only || only === 'isolated') reference = await testIsolated();
  if (!only || only === 'not-isolated') await testNotIsolated(reference);
  if (!only || only === 'bad-input') await testBadInput();
  if (!only || only === 'cancel') await testCancel();
} catch (e) {
  check('the end-to-end run itself', false, e.stack || String(e));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
for (const n of notes) console.log(`note ${n}`);
console.log(`e2e took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
