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
import { draw, pngDataUrl } from './png.js';

// 2D: T_p = 0.45 needs ~2000 sweeps at N = 300 (PRESETS of main.js: 4000 at T_p = 0.4 take a few
// seconds); measured in the page on 2 busy cores: 31 s for the 20 samples, but a 2D box of 300
// particles has almost no modes below its first phonon, so A_g (and 𝒩) are not fitted. 3D N = 200
// puts enough soft modes below the first phonon to fit A_g at every T_p: 41 s for 20 samples.
const PRESETS = {
  quick2d: { dim: 2, n: 300, tps: '5, 2, 1, 0.6, 0.45', samples: 4, sweeps: 2000, seed: 1 },
  soft3d: { dim: 3, n: 200, tps: '2, 1, 0.7, 0.5, 0.4', samples: 4, sweeps: 1000, seed: 1 },
};
const DEFAULTS = { ...PRESETS.quick2d, density: '', route: 'auto', quartic: 0 };
const FIELDS = ['dim', 'n', 'tps', 'samples', 'sweeps', 'seed', 'density', 'route', 'quartic'];
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
  if ((p.density ?? '') !== '' || (p.route ?? 'auto') !== 'auto' || Number(p.quartic ?? 0) > 0) {
    $('sweep-controls').querySelector('details').open = true;
  }
}

function read() {
  const p = {};
  for (const f of FIELDS) p[f] = $(`sweep-${f}`).value.trim();
  return p;
}

function matchingPreset(raw) {
  for (const [name, p] of Object.entries(PRESETS)) {
    if (['dim', 'n', 'samples', 'sweeps', 'seed'].every((f) => Number(raw[f]) === p[f])
      && raw.tps.replace(/\s/g, '') === p.tps.replace(/\s/g, '')
      && raw.density === '' && raw.route === 'auto' && Number(raw.quartic || 0) === 0) return name;
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
  const out = JSON.parse(wasm.check_sweep_form(text(raw.dim), text(raw.n), text(raw.tps), text(raw.samples),
    text(raw.sweeps), text(raw.seed), text(raw.density), text(raw.route || 'auto'), text(raw.quartic)));
  const params = {
    dim: num(raw.dim), n: num(raw.n), samples: num(raw.samples), sweeps: num(raw.sweeps), seed: num(raw.seed),
    density, route: raw.route || 'auto', quartic: quartic > 0 ? quartic : undefined,
  };
  return { params, tps: out.tps, errors: out.errors, route: out.route };
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
  return `${c} -o sweep && pinchglass summarize sweep && pinchglass figures sweep`;
}

// ---------------------------------------------------------------- the worker

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workerReady = new Promise((resolve, reject) => {
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

function onMessage({ data }) {
  if (data.id !== `sweep-${sweepId}`) return;
  if (data.type === 'sweep-progress') {
    const last = S.records.length ? S.records[S.records.length - 1] : null;
    const stages = last ? ` · last sample: ${Object.entries(last.seconds ?? {}).map(([k, v]) => `${k.replace('_', ' ')} ${v.toFixed(2)} s`).join(', ')}` : '';
    $('sweep-stage').textContent =
      `sample ${data.k + 1} of ${data.total}: T_p = ${data.tp}, #${data.index} (swap Monte Carlo, quench, analysis)…${stages}`;
    $('sweep-progress').value = data.k / data.total;
  } else if (data.type === 'sweep-sample') {
    S.records.push(JSON.parse(data.record));
    S.lines.push(data.record);
    S.sampleSeconds.push(data.seconds);
    $('sweep-progress').value = (data.k + 1) / data.total;
    if (performance.now() / 1000 - lastDraw >= REDRAW_SECONDS || data.k + 1 === data.total) summarise(false);
  } else if (data.type === 'sweep-done') {
    S.seconds = data.seconds;
    finish();
  } else if (data.type === 'sweep-error') {
    if (data.crashed) {
      // the wasm instance trapped: a fresh worker for the next sweep, the samples done are kept
      worker?.terminate();
      worker = null;
      startWorker();
      if (S.records.length > 0) summarise(false);
      fail(`the compute worker crashed on sample T_p = ${data.tp} #${data.index} (${String(data.message).slice(0, 120)}); it was restarted and the ${S.records.length} samples done are kept`);
      return;
    }
    fail(data.message);
  }
}

function tick() {
  $('sweep-elapsed').textContent = `elapsed ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------- run, cancel

async function run(raw) {
  if (raw) fill({ ...DEFAULTS, ...raw });
  raw = read();
  $('sweep-preset').value = matchingPreset(raw);
  const v = validate(raw);
  showErrors(v.errors);
  $('sweep-error').textContent = '';
  S.errors = v.errors;
  if (v.errors.length > 0) {
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
  try {
    await workerReady;
  } catch (e) {
    fail(e.message);
    return;
  }
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

function fail(message) {
  clearInterval(ticker);
  tick();
  $('sweep-error').textContent = message;
  $('sweep-stage').textContent = 'failed';
  setState('error');
}

function finish() {
  clearInterval(ticker);
  tick();
  S.wallSeconds = (performance.now() - started) / 1000;
  if (!summarise(true)) return;
  const n = S.records.length;
  const mean = (k) => S.records.reduce((s, r) => s + (r.seconds?.[k] ?? 0), 0) / n;
  $('sweep-stage').textContent = `${n} samples done in ${S.seconds.toFixed(1)} s (${(S.seconds / n).toFixed(2)} s per sample:`
    + ` swap MC ${mean('swap_mc').toFixed(2)} s, quench ${mean('quench').toFixed(2)} s, analysis ${mean('analysis').toFixed(2)} s)`;
  $('sweep-progress').value = 1;
  setState('done');
}

// ---------------------------------------------------------------- summary and figures

// Merges the records so far (the module's `summarize_records`) and redraws table and figures.
// Returns false (and fails the sweep when `final`) if that is refused.
function summarise(final) {
  lastDraw = performance.now() / 1000;
  try {
    S.summaryText = wasm.summarize_records(S.lines.join('\n'), undefined, undefined, undefined);
    S.summary = JSON.parse(S.summaryText);
    for (const f of FIGURES) draw.draw_ensemble_figure(`sweep-${f}`, f, S.summaryText, undefined);
  } catch (e) {
    if (final) fail(`summary failed: ${e.message || e}`);
    else $('sweep-error').textContent = `summary so far failed: ${e.message || e}`;
    return false;
  }
  fillTable(S.summary);
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

function fillTable(s) {
  const cols = [
    ['T_p', (r) => String(r.tp)],
    ['M', (r) => String(r.samples)],
    ['E_IS/N', (r) => pm(r.inherent_energy, 6)],
    ['G', (r) => pm(r.shear_modulus)],
    ['ω_g', (r) => pm(r.omega_g)],
    ['ξ_g', (r) => pm(r.xi_g)],
    ['A_g', (r) => pm(r.a_g, 3)],
    ['𝒩', (r) => pm(r.soft_spots, 3)],
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
  const b = s.boltzmann;
  $('sweep-fit').textContent = b
    ? `Boltzmann fit 𝒩 ∝ exp(−E/T_p) over T_p = ${b.tp_used.join(', ')}: E = ${fmt(b.e_qlm)} ± ${fmt(b.error, 2)} (model units)`
    : 'Boltzmann fit: needs 𝒩 (an A_g fit) at two or more T_p';
  $('sweep-warnings').replaceChildren(...s.temperatures.flatMap((r) => r.warnings.map((w) => {
    const li = document.createElement('li');
    li.textContent = `T_p = ${r.tp}: ${w}`;
    return li;
  })));
}

// ---------------------------------------------------------------- exports

function download(name, body, type) {
  const url = body.startsWith('data:') ? body : URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  if (!url.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1000);
}

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
  $('hint-sweep-n').textContent = `2 … ${wasm.max_particles(2)} (2D), ${wasm.max_particles(3)} (3D)`;
  $('sweep-controls').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  $('sweep-controls').addEventListener('input', (e) => {
    if (e.target.id !== 'sweep-preset') $('sweep-preset').value = matchingPreset(read());
  });
  $('sweep-preset').addEventListener('change', () => {
    const p = PRESETS[$('sweep-preset').value];
    if (p) fill({ ...DEFAULTS, ...p });
  });
  $('sweep-cancel').addEventListener('click', () => cancel());
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
