// Times the page's stages in headless chromium, threaded (COOP/COEP) vs single-threaded (no headers),
// and the same stages natively (the CLI on the page's own glass, 2 rayon threads).
//   node tests/e2e/bench.mjs [--n 1000] [--dim 2] [--sweeps 100] [--quartic 50] [--repeats 3]
// Prints the median seconds of every stage for both builds, their ratio, the native medians and the
// wasm/native ratio. Not part of `test` (./build.sh bench-web runs it).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const params = { dim: arg('dim', '2'), n: arg('n', '1000'), tp: arg('tp', '1'), seed: '1', sweeps: arg('sweeps', '100'),
  quartic: arg('quartic', '50') };
const CLI = path.join(ROOT, 'target', 'release', 'pinchglass');
const repeats = Number(arg('repeats', '3'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pinchglass-bench-'));

const port = () => new Promise((r) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => r(p)); }); });
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function route(isolation) {
  const p = await port();
  const argv = [path.join(ROOT, 'scripts/serve.py'), '--dir', path.join(ROOT, 'www'), '--port', String(p)];
  if (!isolation) argv.push('--no-isolation');
  const srv = spawn('python3', argv, { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 700));
  const ctx = await chromium.launchPersistentContext(mkdtempSync(path.join(tmp, 'p-')), {
    executablePath: '/usr/bin/chromium', headless: true, serviceWorkers: 'block',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const runs = [];
  try {
    for (let k = 0; k < repeats; k++) {
      const page = await ctx.newPage();
      await page.goto(`http://127.0.0.1:${p}/?${new URLSearchParams(params)}`);
      await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 600_000 });
      // the full vDOS (dense) is a stage on request above d·N = 1600
      await page.evaluate(() => window.pinchglass.fullSpectrum());
      await page.waitForFunction(() => window.pinchglass.stageSeconds?.['full spectrum'] !== undefined, null, { timeout: 600_000 });
      const r = await page.evaluate(() => ({ t: window.pinchglass.stageSeconds, build: window.pinchglass.build,
        threads: window.pinchglass.threads, load: window.pinchglass.loadToDoneSeconds, xyz: window.pinchglass.xyz,
        err: document.getElementById('run-error').textContent }));
      if (!r.t) throw new Error(r.err);
      runs.push(r);
      await page.close();
    }
  } finally {
    await ctx.close();
    srv.kill();
  }
  const stages = Object.keys(runs[0].t);
  const med = Object.fromEntries(stages.map((s) => [s, median(runs.map((r) => r.t[s]))]));
  med['page load → done'] = median(runs.map((r) => r.load));
  return { build: `${runs[0].build} (${runs[0].threads} threads)`, med, xyz: runs[0].xyz };
}

// The same analysis natively on the page's glass: sparse route + quartic modes, and the dense
// spectrum (`analyze` without --sparse) for the full vDOS.
function native(xyz) {
  const file = path.join(tmp, 'glass.xyz');
  writeFileSync(file, xyz);
  const env = { ...process.env, RAYON_NUM_THREADS: '2' };
  const runs = [];
  for (let k = 0; k < repeats; k++) {
    const sparse = JSON.parse(String(execFileSync(CLI, ['analyze', file, '--sparse', '--quartic', params.quartic, '--json', '-'],
      { env, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 })));
    const dense = JSON.parse(String(execFileSync(CLI, ['analyze', file, '--json', '-'], { env, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 })));
    runs.push({ ...sparse.timings_seconds, ...sparse.soft_spot_timings_seconds, 'full spectrum': dense.timings_seconds.spectrum });
  }
  return Object.fromEntries(Object.keys(runs[0]).map((s) => [s, median(runs.map((r) => r[s]))]));
}

const a = await route(true);
const b = await route(false);
const n = native(a.xyz);
console.log(`params ${JSON.stringify(params)}, ${repeats} repeats, medians in seconds; native: ${CLI}, 2 rayon threads`);
console.log(`${'stage'.padEnd(20)} ${a.build.padStart(24)} ${b.build.padStart(28)} ${'single/threaded'.padStart(16)} ${'native'.padStart(9)} ${'threaded/native'.padStart(16)}`);
for (const s of Object.keys(a.med)) {
  const nat = n[s];
  console.log(`${s.padEnd(20)} ${a.med[s].toFixed(3).padStart(24)} ${b.med[s].toFixed(3).padStart(28)} ${(b.med[s] / a.med[s]).toFixed(2).padStart(16)}`
    + ` ${nat === undefined ? '—'.padStart(9) : nat.toFixed(3).padStart(9)} ${nat === undefined ? '—'.padStart(16) : (a.med[s] / nat).toFixed(2).padStart(16)}`);
}
rmSync(tmp, { recursive: true, force: true });
