// The page: controls, URL parameters, the compute worker's lifecycle, drawing (plotters through
// the single-threaded wasm build, which runs on this main thread) and exports. No physics here.
//
// Automation: <body data-state="idle|running|done|error">, and window.pinchglass holds
// {results (the CLI's analyze JSON keys), xyz, build, threads, loadToDoneSeconds, run(params)}.

import initDraw, * as wasm from './pkg-single/pinchglass.js';

const FIELDS = ['dim', 'n', 'tp', 'seed', 'sweeps', 'density'];
const DEFAULTS = { dim: 2, n: 300, tp: 1.0, seed: 1, sweeps: 300 };
const $ = (id) => document.getElementById(id);

const api = {
  state: 'idle',
  results: null,
  xyz: null,
  build: null,
  threads: null,
  params: null,
  loadToDoneSeconds: null,
  runSeconds: null,
  errors: [],
  run: (params) => startRun(params),
  cancel: () => cancel(),
};
window.pinchglass = api;

function setState(s) {
  api.state = s;
  document.body.dataset.state = s;
  $('cancel').disabled = s !== 'running';
}

// ---------------------------------------------------------------- parameters

function paramsFromUrl() {
  const q = new URLSearchParams(location.search);
  const p = { ...DEFAULTS };
  for (const f of FIELDS) {
    if (q.has(f)) p[f] = q.get(f);
  }
  return p;
}

function fillForm(p) {
  for (const f of FIELDS) {
    $(f).value = p[f] ?? '';
  }
  if (p.density !== undefined && p.density !== '') $('controls').querySelector('details').open = true;
}

function readForm() {
  const p = {};
  for (const f of FIELDS) p[f] = $(f).value.trim();
  return p;
}

// Converts text fields to numbers (empty density = the CLI's default) and checks them with the
// module's rules (the same as the CLI's). Returns {params, errors}.
function validate(raw) {
  const num = (v) => (v === '' || v === undefined || v === null ? NaN : Number(v));
  const params = {
    dim: num(raw.dim),
    n: num(raw.n),
    tp: num(raw.tp),
    seed: num(raw.seed),
    sweeps: num(raw.sweeps),
    density: raw.density === '' || raw.density === undefined ? undefined : num(raw.density),
  };
  const errors = JSON.parse(
    wasm.check_parameters(params.dim, params.n, params.tp, params.seed, params.sweeps, params.density),
  );
  return { params, errors };
}

function showErrors(errors) {
  for (const f of FIELDS) {
    $(`err-${f}`).textContent = '';
    $(f).removeAttribute('aria-invalid');
  }
  for (const e of errors) {
    const el = $(`err-${e.field}`);
    el.textContent = el.textContent ? `${el.textContent} ${e.message}` : e.message;
    $(e.field).setAttribute('aria-invalid', 'true');
    if (e.field === 'density') $('controls').querySelector('details').open = true;
  }
}

function updateUrl(raw) {
  const q = new URLSearchParams();
  for (const f of FIELDS) if (raw[f] !== '' && raw[f] !== undefined) q.set(f, raw[f]);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

// ---------------------------------------------------------------- the worker

let worker = null;
let workerReady = null;
let runId = 0;
let runStart = 0;
let ticker = null;

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workerReady = new Promise((resolve, reject) => {
    worker.addEventListener('message', function first({ data }) {
      if (data.type === 'ready') {
        api.build = data.build;
        api.threads = data.threads;
        $('build-note').textContent =
          data.build === 'threaded'
            ? `threaded WebAssembly build, ${data.threads} threads (page is cross-origin isolated)`
            : `single-threaded WebAssembly build, 1 thread (page is not cross-origin isolated)`;
        worker.removeEventListener('message', first);
        resolve();
      } else if (data.type === 'fatal') {
        worker.removeEventListener('message', first);
        reject(new Error(data.message));
      }
    });
  });
  worker.addEventListener('message', onWorkerMessage);
  worker.addEventListener('error', (e) => {
    if (api.state === 'running') fail(`the compute worker failed: ${e.message || 'unknown error'}`);
  });
}

function onWorkerMessage({ data }) {
  if (data.id !== runId) return;
  if (data.type === 'progress') {
    $('stage').textContent =
      data.stage === 'swap Monte Carlo'
        ? `swap Monte Carlo at T_p: ${Math.round(100 * data.fraction)} %`
        : data.fraction >= 1
          ? `${data.stage}: done`
          : `${data.stage}…`;
    $('progress').value = data.stage === 'swap Monte Carlo' ? 0.7 * data.fraction : stageFraction(data.stage);
  } else if (data.type === 'done') {
    finish(data);
  } else if (data.type === 'error') {
    fail(data.message);
  }
}

const ANALYSIS_STAGES = ['quench', 'forces', 'hessian', 'spectrum', 'pinches', 'shear modulus'];
function stageFraction(stage) {
  const k = ANALYSIS_STAGES.indexOf(stage);
  return k < 0 ? 0.7 : 0.7 + (0.3 * (k + 1)) / ANALYSIS_STAGES.length;
}

function tick() {
  $('elapsed').textContent = `elapsed ${((performance.now() - runStart) / 1000).toFixed(1)} s`;
}

async function startRun(raw) {
  if (raw) fillForm(raw);
  raw = readForm();
  const { params, errors } = validate(raw);
  showErrors(errors);
  $('run-error').textContent = '';
  api.errors = errors;
  if (errors.length > 0) {
    $('stage').textContent = 'not run: fix the highlighted parameters';
    setState('error');
    return;
  }
  if (api.state === 'running') cancel(true);
  updateUrl(raw);
  api.params = params;
  runId += 1;
  runStart = performance.now();
  setState('running');
  $('stage').textContent = 'starting…';
  $('progress').value = 0;
  clearInterval(ticker);
  ticker = setInterval(tick, 200);
  try {
    await workerReady;
  } catch (e) {
    fail(e.message);
    return;
  }
  worker.postMessage({ type: 'run', id: runId, params });
}

function cancel(quiet) {
  worker.terminate();
  startWorker();
  clearInterval(ticker);
  runId += 1;
  if (!quiet) {
    $('stage').textContent = 'cancelled';
    $('progress').value = 0;
    setState('idle');
  }
}

function fail(message) {
  clearInterval(ticker);
  tick();
  $('run-error').textContent = message;
  $('stage').textContent = 'failed';
  setState('error');
}

// ---------------------------------------------------------------- results

function finish(d) {
  clearInterval(ticker);
  tick();
  const results = JSON.parse(d.results);
  results.build = api.build;
  results.threads = api.threads;
  api.results = results;
  api.xyz = d.xyz;
  api.runSeconds = d.seconds;
  api.data = d;
  try {
    drawAll(d, results);
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  fillResults(results, d);
  $('export-xyz').disabled = false;
  $('export-json').disabled = false;
  $('stage').textContent = `done in ${d.seconds.toFixed(2)} s`;
  $('progress').value = 1;
  if (api.loadToDoneSeconds === null) api.loadToDoneSeconds = performance.now() / 1000;
  setState('done');
}

// The weakly loaded pair with the lowest ω_g^(ij) (a selection for display, -1 if none).
function softestPair(d, threshold) {
  let best = -1;
  for (let k = 0; k < d.pairOmega.length; k++) {
    if (d.pairScaledForce[k] < threshold && (best < 0 || d.pairOmega[k] < d.pairOmega[best])) best = k;
  }
  return best;
}

function drawAll(d, results) {
  const threshold = wasm.force_filter();
  const k = softestPair(d, threshold);
  wasm.draw_glass(
    'canvas-glass', d.positions, d.sizes, d.boxLengths, d.dim,
    k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k],
  );
  wasm.draw_energy_trace('canvas-trace', d.traceSweeps, d.trace, d.tuneSweeps);
  wasm.draw_vdos('canvas-vdos', d.eigenvalues, d.nZeroModes, d.dim);
  wasm.draw_pinch_scatter(
    'canvas-pinches', d.pairScaledForce, d.pairOmega, results.omega_g ?? NaN, threshold,
  );
}

function fmt(x, digits = 5) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

function fillResults(r, d) {
  const mc = r.swap_mc;
  const t = r.timings_seconds;
  const rows = [
    ['E/N (inherent state)', fmt(r.energy_per_particle, 7)],
    ['pressure p', fmt(r.pressure)],
    ['shear modulus G', fmt(r.shear_modulus)],
    ['shear wave speed c_s', fmt(r.shear_wave_speed)],
    ['ω_g (f/(p a0^(d−1)) < 1e-2)', fmt(r.omega_g)],
    ['ω_g (all pairs)', fmt(r.omega_g_all)],
    ['pairs (filtered / all)', `${r.n_pairs_filtered} / ${r.n_pairs}`],
    ['rattlers', `${r.rattlers.length}`],
    ['a0', fmt(r.a0)],
    ['max |F| after quench', fmt(r.max_force, 2)],
    ['MC acceptance (displacement / swap)', `${fmt(mc.displacement_acceptance, 3)} / ${fmt(mc.swap_acceptance, 3)}`],
  ];
  for (const [stage, secs] of Object.entries(t)) rows.push([`time: ${stage}`, `${secs.toFixed(3)} s`]);
  rows.push(['time: whole run (worker)', `${d.seconds.toFixed(3)} s`]);
  rows.push(['build', `${api.build}, ${api.threads} thread${api.threads === 1 ? '' : 's'}`]);
  const body = $('results').tBodies[0];
  body.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      for (const text of [k, v]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function baseName() {
  const p = api.params;
  return `pinchglass-d${p.dim}-n${p.n}-tp${p.tp}-seed${p.seed}-sweeps${p.sweeps}`;
}

// ---------------------------------------------------------------- start

async function main() {
  startWorker();
  await initDraw();
  wasm.init();
  for (const d of [2, 3]) {
    if (d === 2) $('hint-n').textContent = `2 … ${wasm.max_particles(2)} (2D), ${wasm.max_particles(3)} (3D)`;
  }
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    startRun();
  });
  $('cancel').addEventListener('click', () => cancel());
  $('export-xyz').addEventListener('click', () => download(`${baseName()}.xyz`, api.xyz, 'chemical/x-xyz'));
  $('export-json').addEventListener('click', () =>
    download(`${baseName()}.json`, JSON.stringify(api.results, null, 1), 'application/json'),
  );
  fillForm(paramsFromUrl());
  await startRun();
}

main().catch((e) => fail(`the page failed to start: ${e.message || e}`));
