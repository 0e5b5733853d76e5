// Temperature sweep mode: a small ensemble across parent temperatures, run live in its own compute
// worker (worker.js, message 'sweep'), one sample after another; each sample is one
// `ensemble::run_sample_with` with the CLI's seeds, so each record is the JSON line `pinchglass
// sweep` writes. After each sample the page merges the records with the module's
// `summarize_records` (what `pinchglass summarize` writes) and redraws the paper's figures with
// `draw_ensemble_figure` (the plotting code of `pinchglass figures`). No physics here.
//
// Automation: <body data-sweep="idle|running|done|error|cancelled">, and window.pinchglass.sweep =
// {state, params, tps, plan, records (parsed), summary (parsed summary.json), summaryText,
//  seconds (worker), wallSeconds (click → done), sampleSeconds, errors, command, build, threads,
//  run(raw), cancel()}.
// URL parameters (mode=sweep): dim, n, tps, samples, sweeps, seed, density, route, quartic.

import * as wasm from './pkg-single/pinchglass.js';
import { WATCHDOG, allowance } from './watchdog.js';
import { spawnComputeWorker } from './compute-worker.js';
import { unitsOf, onsetArgument } from './units.js';
import { draw, pngDataUrl, fitFigure } from './png.js';
import { download } from './download.js';
import { clearFieldError } from './form.js';

// The default (live2d) fills every figure in about a minute on 2 busy cores, each sample
// equilibrated by the engine's verdict (≥ 10 τ_α of swap Monte Carlo): in 2D at N = 100 the
// measured τ_α is ≈ 300 sweeps at T_p = 2 T_onset, 550 at 1.5, 700–880 at 1.2 and 1100–1260 at
// 1 T_onset (`pinchglass sweep --dim 2 --n 100 --tp 2,1.5,1.2,1 --tp-unit onset`, the records'
// tau_alpha), so one sweep count (15000, a 20 % margin at 1 T_onset) fits the coldest T_p. Deeper
// T_p need far longer runs (τ_α ≈ 3·10³ sweeps at 0.6 T_onset): the Lecture shows those
// ensembles. A small box (N = 150, L ≈ 13 a0) keeps the count window x ω_g (x = 0.35) below its
// lowest phonon band 2π c_s/L and makes samples cheap; 12 samples count 2 harmonic and 3–4
// quartic modes per T_p, and the quartic modes (K = 8 starts) give ξ_co and ξ_QLM. Measured with
// `node tests/e2e/run.mjs --only sweep-default` (threaded build, 2 cores at load ≈ 10): see
// README. soft3d (3D, N = 200, T_p = 2.5 … 1 T_onset, 9000 sweeps): every parent equilibrated
// (τ_α ≤ 754 sweeps at T_onset, measured with `pinchglass sweep --dim 3 --n 200 --tp
// 2.5,1.75,1.375,1.125,1 --tp-unit onset --samples 4 --sweeps 8000 --seed 1`: 20 of 20 ≥ 10 τ_α);
// colder 3D parents need ≥ 2·10⁴ sweeps per sample (τ_α ≈ 2.4·10³ at 0.75 T_onset). With K = 8
// quartic starts it fills every figure: 85 s in headless Chromium (threaded, 2 cores shared with
// background runs; `node tests/e2e/run.mjs --only sweep-default --sweep-query 'dim=3&n=200&…'`).
// In the paper's units (T_p in T_onset: the shipped T_onset is 3 in 2D and 0.8 in 3D).
const PRESETS = {
  live2d: { dim: 2, n: 150, tps: '2, 1.4, 1', units: 'paper', samples: 4, sweeps: 15000, seed: 1, quartic: 8 },
  soft3d: { dim: 3, n: 200, tps: '2.5, 1.75, 1.375, 1.125, 1', units: 'paper', samples: 4, sweeps: 9000, seed: 1, quartic: 8 },
};
const DEFAULTS = { density: '', route: 'auto', quartic: 0, ...PRESETS.live2d };
const FIELDS = ['dim', 'n', 'tps', 'units', 'samples', 'sweeps', 'seed', 'density', 'route', 'quartic'];
const FIGURES = ['fig2', 'fig4a', 'fig4b', 'fig5', 'fig6', 'figS1'];
// live redraws at most this often (the last one always)
const REDRAW_SECONDS = 1.0;
const $ = (id) => document.getElementById(id);

let api = null; // window.pinchglass
let S = null; // window.pinchglass.sweep
let isolation = null;
let worker = null;
let workerReady = null;
let sweepId = 0;
let ticker = null;
let started = 0;
let lastDraw = 0;
let filled = false;
let watch = null; // the sample being computed: {k, tp, index, since, allowance} (watchdog)

function setState(s) {
  S.state = s;
  document.body.dataset.sweep = s;
  $('sweep-cancel').disabled = s !== 'running';
  const have = S.records.length > 0 && s !== 'running';
  $('sweep-export-records').disabled = !have;
  $('sweep-export-summary').disabled = !have || !S.summaryText;
}

// ---------------------------------------------------------------- parameters

function fromUrl() {
  const q = new URLSearchParams(location.search);
  const p = { ...DEFAULTS };
  for (const f of FIELDS) if (q.has(f)) p[f] = q.get(f);
  // links made before the units switch hold T_p in model units and no `units`; a link without
  // `quartic` ran none (the default's K would change its run)
  if (!q.has('units') && FIELDS.some((f) => q.has(f))) p.units = 'model';
  if (!q.has('quartic') && FIELDS.some((f) => q.has(f))) p.quartic = 0;
  return p;
}

function fill(p) {
  for (const f of FIELDS) {
    const el = $(`sweep-${f}`);
    const v = String(p[f] ?? '');
    if (el.tagName === 'SELECT' && ![...el.options].some((o) => o.value === v)) {
      // a value from the link that is not an option (?dim=4) stays visible, and is refused next to it
      const o = document.createElement('option');
      o.value = v;
      o.textContent = `${v.slice(0, 32)} (from the link)`;
      el.append(o);
    }
    el.value = v;
  }
  if ((p.density ?? '') !== '' || (p.route ?? 'auto') !== 'auto' || Number(p.quartic ?? 0) !== Number(DEFAULTS.quartic)) {
    $('sweep-controls').querySelector('details').open = true;
  }
  showUnits();
}

function read() {
  const p = {};
  for (const f of FIELDS) p[f] = $(`sweep-${f}`).value.trim();
  return p;
}

function matchingPreset(raw) {
  for (const [name, p] of Object.entries(PRESETS)) {
    if (['dim', 'n', 'samples', 'sweeps', 'seed'].every((f) => Number(raw[f]) === p[f])
      && raw.tps.replace(/\s/g, '') === p.tps.replace(/\s/g, '') && raw.units === p.units
      && raw.density === '' && raw.route === 'auto' && Number(raw.quartic || 0) === p.quartic) return name;
  }
  return 'custom';
}

// The module's checks (the CLI's rules plus the browser's limits); the T_p list is parsed by the
// module (Rust's f64 parser, as the CLI's --tp), so the seeds equal the CLI's.
function validate(raw) {
  const num = (v) => (v === '' || v === undefined || v === null ? NaN : Number(v));
  const density = raw.density === '' ? undefined : num(raw.density);
  const quartic = raw.quartic === '' ? 0 : num(raw.quartic);
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  // the fields as typed: a missing or non-numeric one is refused in words, before anything runs
  const units = unitsOf(raw);
  // in the paper's units the module converts the list itself and names a refused entry as typed
  const out = JSON.parse(wasm.check_sweep_form(text(raw.dim), text(raw.n), String(raw.tps ?? ''), text(raw.samples),
    text(raw.sweeps), text(raw.seed), text(raw.density), text(raw.route || 'auto'), text(raw.quartic),
    onsetArgument(raw, units)));
  const params = {
    dim: num(raw.dim), n: num(raw.n), samples: num(raw.samples), sweeps: num(raw.sweeps), seed: num(raw.seed),
    density, route: raw.route || 'auto', quartic: quartic > 0 ? quartic : undefined, units: raw.units, paper: units.paper,
  };
  return { params, tps: out.tps, errors: [...units.errors, ...out.errors], route: out.route };
}

function showUnits() {
  const paper = $('sweep-units').value === 'paper';
  $('sweep-tp-unit').textContent = paper ? 'T_onset' : 'ε/k_B';
  const u = paper ? unitsOf(read()).paper : null;
  $('sweep-units-note').textContent = u
    ? `T_onset = ${u.t_onset} ε/k_B; figures and table in T_onset, c∞/a0 and a0 (${u.source})` : '';
}

function showErrors(errors) {
  for (const f of FIELDS) {
    $(`err-sweep-${f}`).textContent = '';
    $(`sweep-${f}`).removeAttribute('aria-invalid');
  }
  for (const e of errors) {
    const el = $(`err-sweep-${e.field}`);
    if (!el || el.textContent.includes(e.message)) continue;
    el.textContent = el.textContent ? `${el.textContent} ${e.message}` : e.message;
    $(`sweep-${e.field}`).setAttribute('aria-invalid', 'true');
    if (['density', 'route', 'quartic'].includes(e.field)) $('sweep-controls').querySelector('details').open = true;
  }
}

function updateUrl(raw) {
  const q = new URLSearchParams();
  q.set('mode', 'sweep');
  for (const f of FIELDS) {
    if (raw[f] === '' || raw[f] === undefined) continue;
    if ((f === 'route' && raw[f] === 'auto') || (f === 'quartic' && Number(raw[f]) === 0)) continue;
    q.set(f, raw[f]);
  }
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

// The same ensemble from the command line (`pinchglass sweep` + `summarize`).
function cliCommand(p, tps) {
  let c = `pinchglass sweep --dim ${p.dim} --n ${p.n} --tp ${tps.map(String).join(',')} --samples ${p.samples}`
    + ` --sweeps ${p.sweeps} --seed ${p.seed}`;
  if (p.density !== undefined) c += ` --density ${p.density}`;
  if (p.route !== 'auto') c += ` --route ${p.route}`;
  if (p.quartic) c += ` --quartic ${p.quartic}`;
  const cal = p.paper ? ` --calibration ${p.paper.source}` : '';
  return `${c} -o sweep && pinchglass summarize sweep${cal} && pinchglass figures sweep`;
}

// ---------------------------------------------------------------- the worker

function startWorker() {
  worker = spawnComputeWorker();
  const self = worker;
  workerReady = new Promise((resolve, reject) => {
    // a start that stalls (see www/watchdog.js) is replaced, twice at most
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { stalled: self })), WATCHDOG.startup * 1000);
    const done = (f) => (x) => { clearTimeout(timer); f(x); };
    resolve = done(resolve);
    reject = done(reject);
    worker.addEventListener('message', function first({ data }) {
      if (data.type === 'ready') {
        S.build = data.build;
        S.threads = data.threads;
        $('sweep-build-note').textContent = data.build === 'threaded'
          ? `threaded WebAssembly build, ${data.threads} threads (${isolation.note})`
          : `single-threaded WebAssembly build, 1 thread (${isolation.note})`;
        worker.removeEventListener('message', first);
        resolve();
      } else if (data.type === 'fatal') {
        worker.removeEventListener('message', first);
        reject(new Error(data.message));
      }
    });
  });
  workerReady.catch(() => {});
  worker.addEventListener('message', onMessage);
  worker.addEventListener('error', (e) => {
    e.preventDefault?.();
    const dead = worker;
    worker = null;
    dead?.terminate();
    startWorker();
    if (S.state === 'running') fail(`the compute worker crashed (${e.message || 'unknown error'}); it was restarted`);
  });
}

// A parent temperature as the user gave it: in T_onset (the model value in ε/k_B beside it) when
// the sweep runs in the paper's units, else as the model value.
function tpLabel(tp) {
  return S.params?.paper ? `${inOnset(tp)} T_onset (${tp} ε/k_B)` : `${tp}`;
}

// A model-unit T_p in units of the sweep's T_onset (6 significant digits).
function inOnset(tp) {
  return Number((tp / S.params.paper.t_onset).toPrecision(6));
}

function onMessage({ data }) {
  if (data.id !== `sweep-${sweepId}`) return;
  if (data.type === 'sweep-progress') {
    watch = { k: data.k, tp: data.tp, index: data.index, since: performance.now(), allowance: allowance('sample', S.params) };
    const last = S.records.length ? S.records[S.records.length - 1] : null;
    const stages = last ? ` · last sample: ${stageTimes(Object.keys(last.seconds ?? {}), (k) => last.seconds[k])}` : '';
    $('sweep-stage').textContent =
      `sample ${data.k + 1} of ${data.total}: T_p = ${tpLabel(data.tp)}, #${data.index} (swap Monte Carlo, quench, analysis)…${stages}`;
    $('sweep-progress').value = data.k / data.total;
  } else if (data.type === 'sweep-sample') {
    S.records.push(JSON.parse(data.record));
    S.lines.push(data.record);
    S.sampleSeconds.push(data.seconds);
    $('sweep-progress').value = (data.k + 1) / data.total;
    if (performance.now() / 1000 - lastDraw >= REDRAW_SECONDS || data.k + 1 === data.total) summarise(false);
  } else if (data.type === 'sweep-done') {
    watch = null;
    S.seconds = data.seconds;
    finish();
  } else if (data.type === 'sweep-error') {
    if (data.crashed) {
      // the wasm instance trapped: a fresh worker for the next sweep, the samples done are kept
      worker?.terminate();
      worker = null;
      startWorker();
      if (S.records.length > 0) summarise(false);
      fail(`the compute worker crashed on sample T_p = ${tpLabel(data.tp)} #${data.index} (${String(data.message).slice(0, 120)}); it was restarted and the ${S.records.length} samples done are kept`);
      return;
    }
    fail(data.message);
  }
}

function tick() {
  $('sweep-elapsed').textContent = `elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`;
  checkWatchdog();
}

// A sample that neither finishes nor fails within its allowance (www/watchdog.js, from N, sweeps,
// route and K) stops the sweep with a message and a Retry; the samples done are kept.
function checkWatchdog() {
  if (!watch || S.state !== 'running') return;
  const idle = (performance.now() - watch.since) / 1000;
  if (idle <= watch.allowance) return;
  const w = watch;
  watch = null;
  worker?.terminate();
  worker = null;
  startWorker();
  sweepId += 1;
  S.watchdogFired = (S.watchdogFired ?? 0) + 1;
  if (S.records.length > 0) summarise(false);
  const secs = (x) => x.toFixed(x < 10 ? 1 : 0);
  fail(`the computation stopped responding: sample ${w.k + 1} (T_p = ${tpLabel(w.tp)}, #${w.index}) did not finish in ${secs(idle)} s `
    + `(allowed ${secs(w.allowance)} s for N = ${S.params.n}, ${S.params.sweeps} sweeps). The compute worker was restarted `
    + `and the ${S.records.length} samples done are kept; press Retry to run the sweep again.`, true);
}

// ---------------------------------------------------------------- run, cancel

async function run(raw) {
  if (raw) fill({ ...DEFAULTS, ...raw });
  raw = read();
  $('sweep-preset').value = matchingPreset(raw);
  const v = validate(raw);
  showErrors(v.errors);
  $('sweep-error').textContent = '';
  $('sweep-retry').hidden = true;
  S.errors = v.errors;
  if (v.errors.length > 0) {
    // a sweep under way goes on (and can still be cancelled): only the new parameters are refused
    if (S.state === 'running') return;
    $('sweep-stage').textContent = 'not run: fix the highlighted parameters';
    setState('error');
    return;
  }
  if (S.state === 'running') cancel(true);
  updateUrl(raw);
  const p = v.params;
  // round-robin over T_p (every T_p gets its first sample early, so the live figures cover them all)
  const plan = [];
  for (let index = 0; index < p.samples; index++) for (const tp of v.tps) plan.push({ tp, index });
  sweepId += 1;
  Object.assign(S, {
    params: p, tps: v.tps, plan, records: [], lines: [], summary: null, summaryText: null, seconds: null,
    wallSeconds: null, sampleSeconds: [], command: cliCommand(p, v.tps),
  });
  $('sweep-command').textContent = S.command;
  clearViews();
  started = performance.now();
  lastDraw = 0;
  setState('running');
  $('sweep-stage').textContent = `starting ${plan.length} samples (${v.route} route)…`;
  $('sweep-progress').value = 0;
  clearInterval(ticker);
  ticker = setInterval(tick, 200);
  if (!worker) startWorker();
  const id = sweepId;
  for (let attempt = 0; ; attempt++) {
    try {
      await workerReady;
      break;
    } catch (e) {
      if (id !== sweepId) return;
      if (!e.stalled || attempt >= 2) {
        fail(e.stalled ? `the compute worker did not start within ${WATCHDOG.startup} s, three times; press Retry`
          : e.message, true);
        return;
      }
      S.workerRestarts = (S.workerRestarts ?? 0) + 1;
      e.stalled.terminate();
      $('sweep-stage').textContent = `the compute worker did not start within ${WATCHDOG.startup} s; starting it again…`;
      startWorker();
    }
  }
  if (id !== sweepId) return;
  worker.postMessage({ type: 'sweep', id: `sweep-${sweepId}`, params: p, plan });
}

// Stops the sweep at once (terminates its worker; a fresh one starts for the next sweep). The
// samples done so far stay summarised and can be downloaded.
function cancel(quiet) {
  worker?.terminate();
  worker = null;
  startWorker();
  clearInterval(ticker);
  sweepId += 1;
  if (!quiet) {
    if (S.records.length > 0) summarise(false);
    $('sweep-stage').textContent = `cancelled after ${S.records.length} of ${S.plan?.length ?? 0} samples`;
    $('sweep-progress').value = 0;
    setState('cancelled');
  }
}

function fail(message, retry = false) {
  clearInterval(ticker);
  watch = null;
  $('sweep-elapsed').textContent = `elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`;
  $('sweep-error').textContent = message;
  $('sweep-retry').hidden = !retry;
  $('sweep-stage').textContent = 'failed';
  setState('error');
}

// The stage names of a record's `seconds` as the page writes them.
const STAGE_NAMES = { swap_mc: 'swap MC', quench: 'quench', analysis: 'analysis', quartic: 'quartic modes' };

// "swap MC 1.20 s, quench 0.10 s, …" for the stages `keys` (of a record's `seconds`) in the
// pipeline's order (a record's keys come sorted by name), each with the time `time(k)`.
function stageTimes(keys, time) {
  const order = Object.keys(STAGE_NAMES);
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...keys]
    .sort((a, b) => rank(a) - rank(b))
    .map((k) => `${STAGE_NAMES[k] ?? k.replace('_', ' ')} ${time(k).toFixed(2)} s`)
    .join(', ');
}

function finish() {
  clearInterval(ticker);
  tick();
  S.wallSeconds = (performance.now() - started) / 1000;
  if (!summarise(true)) return;
  const n = S.records.length;
  const stages = new Set(S.records.flatMap((r) => Object.keys(r.seconds ?? {})));
  const mean = (k) => S.records.reduce((s, r) => s + (r.seconds?.[k] ?? 0), 0) / n;
  $('sweep-stage').textContent = `${n} samples done in ${S.seconds.toFixed(1)} s (${(S.seconds / n).toFixed(2)} s per sample: `
    + `${stageTimes(stages, mean)})`;
  $('sweep-progress').value = 1;
  setState('done');
}

// ---------------------------------------------------------------- summary and figures

// Merges the records so far (the module's `summarize_records`) and redraws table and figures.
// Returns false (and fails the sweep when `final`) if that is refused.
function summarise(final) {
  lastDraw = performance.now() / 1000;
  try {
    // in the paper's units the summary carries the shipped calibration (`summarize --calibration`)
    const u = S.params?.paper;
    const cal = u ? wasm.shipped_calibration(S.params.dim) : undefined;
    S.summaryText = wasm.summarize_records(S.lines.join('\n'), cal, u ? u.source : undefined, undefined);
    S.summary = JSON.parse(S.summaryText);
    const tps = (S.summary.temperatures ?? []).map((r) => r.tp);
    for (const f of FIGURES) {
      const c = $(`sweep-${f}`);
      fitFigure(c, [800, 600]);
      draw.draw_ensemble_figure(c.id, f, S.summaryText, undefined);
      // the text alternative: the figure's caption and what it holds now
      const caption = c.closest('figure')?.querySelector('figcaption')?.textContent.replace(/\s+/g, ' ').trim() ?? f;
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', `${caption} Drawn from ${S.lines.length} sample${S.lines.length === 1 ? '' : 's'} at T_p = ${tps.map(tpLabel).join(', ')}${S.params?.paper ? '' : ' ε/k_B'}.`);
    }
  } catch (e) {
    if (final) fail(`summary failed: ${e.message || e}`);
    else $('sweep-error').textContent = `summary so far failed: ${e.message || e}`;
    return false;
  }
  fillTable(S.summary, S.summaryText);
  return true;
}

function clearViews() {
  for (const f of FIGURES) {
    const c = $(`sweep-${f}`);
    c.getContext('2d').clearRect(0, 0, c.width, c.height);
  }
  $('sweep-table').tHead.replaceChildren();
  $('sweep-table').tBodies[0].replaceChildren();
  $('sweep-fit').textContent = '';
  $('sweep-warnings').replaceChildren();
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

function pm(e, digits = 4) {
  if (!e || e.value === null || e.value === undefined) return '—';
  return e.error === null || e.error === undefined ? fmt(e.value, digits) : `${fmt(e.value, digits)} ± ${fmt(e.error, 2)}`;
}

// `s`: the summary, `text`: its JSON as the module wrote it.
function fillTable(s, text) {
  // in the paper's units when the summary carries them (T_p/T_onset, G/G∞, ω_g in c∞/a0, ξ_g in a0)
  const u = s.units;
  const red = (r, k, plain, digits) => (u && r.reduced?.[k] ? pm(r.reduced[k], digits) : pm(plain, digits));
  // 𝒩 and A_g by counting the modes below x ω_g (the summary's primary estimator), else the rank
  // fit; with quartic modes also their count, the 𝒩 the figures draw (plot::summary)
  const counted = s.temperatures.some((r) => r.count);
  const quartic = s.temperatures.some((r) => r.quartic_count);
  const est = s.estimators ?? {};
  const countCell = (c) => (c ? `${pm(c.soft_spots, 3)} (${c.modes})` : '—');
  const cols = [
    [u ? 'T_p (T_onset)' : 'T_p', (r) => (u ? fmt(r.tp / u.t_onset) : String(r.tp))],
    ['M', (r) => String(r.samples)],
    // samples with G ≤ 0 (next to a mechanical instability): left out of the row's means
    ['unstable (G ≤ 0)', (r) => String(r.unstable ?? 0)],
    ['E_IS/N', (r) => pm(r.inherent_energy, 6)],
    [u ? 'G/G∞' : 'G', (r) => red(r, 'shear_modulus', r.shear_modulus)],
    [u ? 'ω_g (c∞/a0)' : 'ω_g', (r) => red(r, 'omega_g', r.omega_g)],
    [u ? 'ξ_g (a0)' : 'ξ_g', (r) => red(r, 'xi_g', r.xi_g)],
    [u ? 'A_g ((a0/c∞)⁵)' : 'A_g', (r) => (counted ? red(r, 'count_a_g', r.count?.a_g, 3) : red(r, 'a_g', r.a_g, 3))],
    [counted ? `𝒩 harmonic (x = ${fmt(est.count_fraction, 2)})` : '𝒩', (r) => (counted ? countCell(r.count) : pm(r.soft_spots, 3))],
    ...(quartic ? [[`𝒩 quartic (x_q = ${fmt(est.quartic_count_fraction, 2)})`, (r) => countCell(r.quartic_count)]] : []),
  ];
  const cell = (tag, text) => {
    const c = document.createElement(tag);
    c.textContent = text;
    return c;
  };
  const head = document.createElement('tr');
  head.append(...cols.map(([k]) => cell('th', k)));
  $('sweep-table').tHead.replaceChildren(head);
  $('sweep-table').tBodies[0].replaceChildren(...s.temperatures.map((r) => {
    const tr = document.createElement('tr');
    tr.append(...cols.map(([, f]) => cell('td', f(r))));
    return tr;
  }));
  // the fit of the 𝒩 the figures draw, as the figures' code chooses it (shown_soft_spots): the
  // Poisson fit of the quartic count, else of the harmonic count, else the rank fit's least squares
  const shown = JSON.parse(wasm.shown_soft_spots(text));
  const counts = shown.estimator !== 'rank_fit';
  const c = counts ? (s[shown.fit_key] ?? { note: 'the summary has no fit of it.' }) : null;
  const b = counts ? c : s.boltzmann;
  const which = {
    quartic_count: ' (of the quartic-mode count, as in Figs. 4b–6)',
    count: ' (of the harmonic-mode count, as in Figs. 4b–6)',
    rank_fit: '',
  }[shown.estimator];
  const fitted = b && b.e_qlm !== null && b.e_qlm !== undefined;
  // the footnote's units: the table's
  $('sweep-table-units').textContent = u
    ? `The paper's units: T_p in T_onset = ${u.t_onset} ε/k_B, G in G∞, ω in c∞/a0, lengths in a0, A_g in (a0/c∞)⁵ (${u.source}); E_IS/N in ε.`
    : 'Model units: ε = m = k_B = 1; lengths in the particle-size unit; ω in √(ε/m) per length unit.';
  // T_p in the units of the table
  const paper = S.params?.paper;
  const tps = (list) => `${list.map((t) => (paper ? inOnset(t) : t)).join(', ')} ${paper ? 'T_onset' : 'ε/k_B'}`;
  // no fit: the page's own words for too few T_p below the plateau (the module's note names the
  // command line's --fit-tp-max and model units)
  const few = c && !fitted && c.plateau && (c.tp_used?.length ?? 0) < 2
    ? `${c.tp_used?.length ?? 0} T_p below the high-T_p plateau of 𝒩 (the plateau from T_p = ${tps([c.plateau.lowest_tp])} up): the fit needs two or more.`
    : null;
  $('sweep-fit').textContent = fitted
    ? `Boltzmann fit 𝒩 ∝ exp(−E/T_p)${which} over T_p = ${tps(b.tp_used)}: E = ${fmt(b.e_qlm)} ± ${fmt(b.error, 2)} ε`
      + (b.e_qlm_over_t_onset !== undefined && b.e_qlm_over_t_onset !== null ? ` = ${fmt(b.e_qlm_over_t_onset, 3)} ± ${fmt(b.error_over_t_onset, 2)} T_onset (paper: ≈ 3.3 T_onset in 3D)` : '')
    : c ? `Boltzmann fit${which}: none. ${few ?? c.note ?? ''}${c.plateau ? ' Every T_p whose 𝒩 lies on the high-T_p plateau is left out: the law holds below it (in the paper below ≈ 0.6 T_onset), where equilibrated parents take far more than a minute to make.' : ''}`
      : 'Boltzmann fit: needs 𝒩 (an A_g fit) at two or more T_p';
  const unstable = s.temperatures.reduce((a, r) => a + (r.unstable ?? 0), 0);
  S.unstable = s.temperatures.map((r) => ({ tp: r.tp, unstable: r.unstable ?? 0 }));
  $('sweep-fit').textContent += unstable > 0
    ? ` ${unstable} sample${unstable === 1 ? '' : 's'} with G ≤ 0 (a glass next to a mechanical instability) left out of the means of ${unstable === 1 ? 'its' : 'their'} T_p.` : '';
  $('sweep-warnings').replaceChildren(...s.temperatures.flatMap((r) => r.warnings.map((w) => {
    const li = document.createElement('li');
    li.textContent = `T_p = ${tpLabel(r.tp)}: ${w}`;
    return li;
  })));
}

// ---------------------------------------------------------------- exports

function baseName() {
  const p = S.params ?? {};
  return `pinchglass-sweep-d${p.dim}-n${p.n}-seed${p.seed}-sweeps${p.sweeps}`;
}

// ---------------------------------------------------------------- entry points (main.js)

export function initSweep(pageApi, plan) {
  api = pageApi;
  isolation = plan;
  S = {
    state: 'idle', params: null, tps: [], plan: null, records: [], lines: [], summary: null, summaryText: null,
    seconds: null, wallSeconds: null, sampleSeconds: [], errors: [], command: null, build: null, threads: null,
    run: (raw) => run(raw), cancel: () => cancel(),
  };
  api.sweep = S;
  setState('idle');
  $('hint-sweep-n').textContent = `${wasm.min_particles(2)} … ${wasm.max_particles(2)} (2D), ${wasm.min_particles(3)} … ${wasm.max_particles(3)} (3D) at the default density`;
  $('sweep-controls').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  $('sweep-controls').addEventListener('input', (e) => {
    clearFieldError(e.target.id, 'sweep-', 'sweep-stage');
    if (e.target.id !== 'sweep-preset') $('sweep-preset').value = matchingPreset(read());
    if (['sweep-units', 'sweep-dim', 'sweep-density'].includes(e.target.id)) showUnits();
  });
  $('sweep-preset').addEventListener('change', () => {
    const p = PRESETS[$('sweep-preset').value];
    if (p) fill({ ...DEFAULTS, ...p });
  });
  $('sweep-cancel').addEventListener('click', () => cancel());
  $('sweep-retry').addEventListener('click', () => run());
  $('sweep-export-records').addEventListener('click', () => {
    const lines = [...S.lines].sort((a, b) => {
      const [x, y] = [JSON.parse(a), JSON.parse(b)];
      return x.tp - y.tp || x.index - y.index;
    });
    download(`${baseName()}.jsonl`, `${lines.join('\n')}\n`, 'application/x-ndjson');
  });
  $('sweep-export-summary').addEventListener('click', () =>
    download(`${baseName()}-summary.json`, S.summaryText, 'application/json'));
  $('sweep-copy-link').addEventListener('click', async () => {
    updateUrl(read());
    try {
      await navigator.clipboard.writeText(location.href);
      $('sweep-share-note').textContent = 'link copied: it sets up this sweep (press Run sweep)';
    } catch {
      $('sweep-share-note').textContent = location.href;
    }
  });
  for (const b of document.querySelectorAll('#mode-sweep button.png')) {
    b.addEventListener('click', () => download(`${baseName()}-${b.dataset.canvas.replace('sweep-', '')}.png`,
      pngDataUrl(b.dataset.canvas)));
  }
}

// The mode is shown: the form from the URL the first time (a sweep starts on "Run sweep").
export function showSweep() {
  if (!filled) {
    filled = true;
    const p = fromUrl();
    fill(p);
    $('sweep-preset').value = matchingPreset(read());
    const v = validate(read());
    if (v.errors.length === 0) $('sweep-command').textContent = cliCommand(v.params, v.tps);
  }
  updateUrl(read());
}
