// The page: controls, presets, URL parameters, the compute worker's lifecycle, drawing (plotters
// through the single-threaded wasm build, which runs on this main thread), click-to-pinch and
// exports. No physics here: every number comes from the wasm module.
//
// Automation: <body data-state="idle|running|done|error">, and window.pinchglass holds
// {results (the CLI's analyze JSON keys), xyz, csv: {pairs, summary}, build, threads, isolation,
//  loadToDoneSeconds, pinch: {pair, i, j, omega, scaledForce}, compare: [resultsA, resultsB] | null,
//  glassMapping, run(params), compare(), pinch(pairIndex)}.
// URL parameters: dim, n, tp, seed, sweeps, density (the CLI's flags), and preset=compare.

import initDraw, * as wasm from './pkg-single/pinchglass.js';

const FIELDS = ['dim', 'n', 'tp', 'seed', 'sweeps', 'density'];
// T_p values from `pinchglass sweep` in 2D at density 0.86: G plateaus (≈ 50) for T_p ≳ 3 and
// rises to ≈ 94 at T_p = 0.3. 4000 sweeps at T_p = 0.4 (N = 300) take a few seconds in the page.
const PRESETS = {
  lecture: { label: 'lecture default', dim: 2, n: 300, tp: 1, seed: 1, sweeps: 300 },
  poor: { label: 'poorly annealed', dim: 2, n: 300, tp: 5, seed: 1, sweeps: 300 },
  well: { label: 'well annealed', dim: 2, n: 300, tp: 0.4, seed: 1, sweeps: 4000 },
};
const DEFAULTS = PRESETS.lecture;
const $ = (id) => document.getElementById(id);

const api = {
  state: 'idle',
  results: null,
  xyz: null,
  csv: null,
  build: null,
  threads: null,
  isolation: null,
  params: null,
  loadToDoneSeconds: null,
  runSeconds: null,
  pinch: null,
  compare: null,
  glassMapping: null,
  fieldMapping: null,
  errors: [],
  run: (params) => startRun(params),
  compareRuns: () => startCompare(),
  cancel: () => cancel(),
  pinchPair: (k) => requestPinch(k),
};
window.pinchglass = api;

function setState(s) {
  api.state = s;
  document.body.dataset.state = s;
  $('cancel').disabled = s !== 'running';
  for (const id of ['export-xyz', 'export-json', 'export-pairs-csv', 'export-summary-csv']) {
    $(id).disabled = s !== 'done';
  }
}

// ---------------------------------------------------------------- parameters

function paramsFromUrl() {
  const q = new URLSearchParams(location.search);
  const p = { ...DEFAULTS };
  for (const f of FIELDS) {
    if (q.has(f)) p[f] = q.get(f);
  }
  return { params: p, compare: q.get('preset') === 'compare' };
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

// The preset whose values the form holds (or 'custom').
function matchingPreset(raw) {
  for (const [name, p] of Object.entries(PRESETS)) {
    if (['dim', 'n', 'tp', 'seed', 'sweeps'].every((f) => Number(raw[f]) === p[f]) && raw.density === '') return name;
  }
  return 'custom';
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
    if (el.textContent.includes(e.message)) continue;
    el.textContent = el.textContent ? `${el.textContent} ${e.message}` : e.message;
    $(e.field).setAttribute('aria-invalid', 'true');
    if (e.field === 'density') $('controls').querySelector('details').open = true;
  }
}

function updateUrl(raw, compare) {
  const q = new URLSearchParams();
  if (compare) q.set('preset', 'compare');
  for (const f of FIELDS) if (raw[f] !== '' && raw[f] !== undefined) q.set(f, raw[f]);
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

// ---------------------------------------------------------------- cross-origin isolation

// Decides how the compute module runs: threads when the page is cross-origin isolated; otherwise
// coi-serviceworker (loaded by index.html) registers a service worker that adds COOP/COEP and
// reloads the page once. While that reload is pending this never resolves, so no wasm starts on
// the first, non-isolated visit. Where it cannot happen (no service workers, registration blocked
// or refused, a reload that did not isolate) it resolves to the single-threaded build.
const RELOAD_FLAG = 'pinchglass-coi-reload';
async function isolationPlan() {
  if (window.crossOriginIsolated) {
    sessionStorage.removeItem(RELOAD_FLAG);
    return { threads: true, note: 'page is cross-origin isolated' };
  }
  const sw = navigator.serviceWorker;
  if (!window.isSecureContext || !sw) {
    return { threads: false, note: 'page is not cross-origin isolated and service workers are unavailable' };
  }
  if (sessionStorage.getItem(RELOAD_FLAG)) {
    return { threads: false, note: 'the isolation service worker did not make the page cross-origin isolated' };
  }
  let registration;
  try {
    registration = await sw.register(new URL('coi-serviceworker.js', location.href).href);
  } catch (e) {
    return { threads: false, note: `the isolation service worker was refused (${e.message || e})` };
  }
  if (!registration) return { threads: false, note: 'service worker registration is blocked' };
  if (sw.controller) return { threads: false, note: 'a service worker controls the page but it is not isolated' };
  sessionStorage.setItem(RELOAD_FLAG, '1');
  $('build-note').textContent = 'installing the isolation service worker; the page reloads once…';
  // coi-serviceworker reloads the page as soon as its worker is active; a safety net if it does not
  return new Promise((resolve) => {
    setTimeout(() => resolve({ threads: false, note: 'the isolation service worker did not reload the page' }), 10_000);
  });
}

// ---------------------------------------------------------------- the worker

let worker = null;
let workerReady = null;
let runId = 0;
let runStart = 0;
let ticker = null;
let jobs = []; // [{label, raw, params}] of the current run (two for the comparison)
let jobData = []; // their 'done' messages
let shown = null; // the run drawn in the main views (the worker keeps it for pinch fields)
let pinchId = 0;

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workerReady = new Promise((resolve, reject) => {
    worker.addEventListener('message', function first({ data }) {
      if (data.type === 'ready') {
        api.build = data.build;
        api.threads = data.threads;
        $('build-note').textContent =
          data.build === 'threaded'
            ? `threaded WebAssembly build, ${data.threads} threads (${api.isolation})`
            : `single-threaded WebAssembly build, 1 thread (${api.isolation})`;
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
  if (data.type === 'pinch-field' || data.type === 'pinch-error') {
    onPinch(data);
    return;
  }
  if (data.id !== runId) return;
  const prefix = jobs.length > 1 ? `run ${jobData.length + 1}/${jobs.length} (${jobs[jobData.length].label}): ` : '';
  if (data.type === 'progress') {
    $('stage').textContent =
      prefix +
      (data.stage === 'swap Monte Carlo'
        ? `swap Monte Carlo at T_p: ${Math.round(100 * data.fraction)} %`
        : data.fraction >= 1
          ? `${data.stage}: done`
          : `${data.stage}…`);
    const f = data.stage === 'swap Monte Carlo' ? 0.7 * data.fraction : stageFraction(data.stage);
    $('progress').value = (jobData.length + f) / jobs.length;
  } else if (data.type === 'done') {
    jobData.push(data);
    if (jobData.length < jobs.length) {
      worker.postMessage({ type: 'run', id: runId, params: jobs[jobData.length].params });
    } else {
      finish();
    }
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

// Validates every job; errors go next to the controls. Returns false if any was refused.
function accept(list) {
  const errors = [];
  for (const job of list) {
    const v = validate(job.raw);
    job.params = v.params;
    errors.push(...v.errors);
  }
  showErrors(errors);
  $('run-error').textContent = '';
  api.errors = errors;
  if (errors.length > 0) {
    $('stage').textContent = 'not run: fix the highlighted parameters';
    setState('error');
    return false;
  }
  return true;
}

async function launch(list, compare) {
  if (api.state === 'running') cancel(true);
  updateUrl(readForm(), compare);
  api.params = list[list.length - 1].params;
  jobs = list;
  jobData = [];
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
  worker.postMessage({ type: 'run', id: runId, params: jobs[0].params });
}

async function startRun(raw) {
  if (raw) fillForm(raw);
  raw = readForm();
  $('preset').value = matchingPreset(raw);
  const list = [{ label: 'run', raw }];
  if (accept(list)) await launch(list, false);
}

// Two runs with the form's dim, N, seed and density: poorly then well annealed. The main views
// show the second; the comparison section shows both.
async function startCompare() {
  const base = readForm();
  const list = ['poor', 'well'].map((name) => ({
    label: `${PRESETS[name].label}, T_p = ${PRESETS[name].tp}`,
    raw: { ...base, tp: String(PRESETS[name].tp), sweeps: String(PRESETS[name].sweeps) },
  }));
  fillForm(list[1].raw);
  $('preset').value = 'compare';
  if (accept(list)) await launch(list, true);
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

function finish() {
  clearInterval(ticker);
  tick();
  const all = jobData.map((d) => {
    const r = JSON.parse(d.results);
    r.build = api.build;
    r.threads = api.threads;
    return r;
  });
  const d = jobData[jobData.length - 1];
  const results = all[all.length - 1];
  shown = { data: d, results, runId };
  api.results = results;
  api.xyz = d.xyz;
  api.csv = { pairs: d.pairsCsv, summary: d.summaryCsv };
  api.runSeconds = jobData.reduce((s, x) => s + x.seconds, 0);
  api.data = d;
  api.compare = jobs.length > 1 ? all : null;
  api.pinch = null;
  try {
    drawAll(d, results);
    if (api.compare) drawCompare(jobData, all);
    $('compare').hidden = !api.compare;
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  fillResults(results, api.runSeconds);
  $('stage').textContent = `${jobs.length > 1 ? 'both runs' : 'run'} done in ${api.runSeconds.toFixed(2)} s`;
  $('progress').value = 1;
  // the arrows of the softest pair complete the views; the run is done once they are drawn
  const k = softestPair(d, wasm.force_filter());
  if (k >= 0) {
    requestPinch(k);
  } else {
    $('pinch-info').textContent = 'no weakly loaded pair to pinch';
    done();
  }
}

function done() {
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

function drawGlass(d, k) {
  api.glassMapping = Array.from(
    wasm.draw_glass('canvas-glass', d.positions, d.sizes, d.boxLengths, d.dim,
      k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k], ''),
  );
}

function drawAll(d, results) {
  const threshold = wasm.force_filter();
  drawGlass(d, softestPair(d, threshold));
  wasm.draw_energy_trace('canvas-trace', d.traceSweeps, d.trace, d.tuneSweeps);
  wasm.draw_vdos('canvas-vdos', d.eigenvalues, d.nZeroModes, d.dim, undefined, '');
  wasm.draw_pinch_scatter(
    'canvas-pinches', d.pairScaledForce, d.pairOmega, results.omega_g ?? NaN, threshold,
  );
}

function drawCompare(data, all) {
  const threshold = wasm.force_filter();
  const a = Array.from(wasm.vdos_axes(data[0].eigenvalues, data[0].nZeroModes));
  const b = Array.from(wasm.vdos_axes(data[1].eigenvalues, data[1].nZeroModes));
  const axes = new Float64Array([Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.max(a[3], b[3])]);
  data.forEach((d, m) => {
    const side = m === 0 ? 'a' : 'b';
    const k = softestPair(d, threshold);
    const title = jobs[m].label;
    wasm.draw_glass(`canvas-compare-glass-${side}`, d.positions, d.sizes, d.boxLengths, d.dim,
      k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k], title);
    wasm.draw_vdos(`canvas-compare-vdos-${side}`, d.eigenvalues, d.nZeroModes, d.dim, axes, title);
  });
  $('compare-title').textContent =
    `${jobs[0].label} vs ${jobs[1].label}: same N = ${all[0].n}, seed ${all[0].seed}, ${all[0].dim}D`;
  const rows = [
    ['T_p (ε/k_B)', (r) => fmt(r.tp)],
    ['swap-MC sweeps', (r) => `${r.sweeps}`],
    ['E/N (ε)', (r) => fmt(r.energy_per_particle, 7)],
    ['G', (r) => fmt(r.shear_modulus)],
    ['c_s', (r) => fmt(r.shear_wave_speed)],
    ['ω_g (filtered)', (r) => fmt(r.omega_g)],
    ['ω_g (all pairs)', (r) => fmt(r.omega_g_all)],
    ['pairs (filtered / all)', (r) => `${r.n_pairs_filtered} / ${r.n_pairs}`],
    ['rattlers', (r) => `${r.rattlers.length}`],
  ];
  const head = document.createElement('tr');
  for (const text of ['', jobs[0].label, jobs[1].label]) {
    const th = document.createElement('th');
    th.textContent = text;
    head.append(th);
  }
  $('compare-table').tHead.replaceChildren(head);
  $('compare-table').tBodies[0].replaceChildren(...rows.map(([k, f]) => row([k, f(all[0]), f(all[1])])));
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function fmt(x, digits = 5) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

function fillResults(r, seconds) {
  const mc = r.swap_mc;
  const t = r.timings_seconds;
  const rows = [
    ['E/N, inherent state (ε)', fmt(r.energy_per_particle, 7)],
    ['pressure p (ε/length^d)', fmt(r.pressure)],
    ['shear modulus G (ε/length^d)', fmt(r.shear_modulus)],
    ['shear wave speed c_s = √(G/ρ) (√(ε/m))', fmt(r.shear_wave_speed)],
    ['ω_g, pairs with f/(p a0^(d−1)) < 1e-2', fmt(r.omega_g)],
    ['ω_g, all pairs', fmt(r.omega_g_all)],
    ['pairs (filtered / all)', `${r.n_pairs_filtered} / ${r.n_pairs}`],
    ['rattlers', `${r.rattlers.length}`],
    ['a0 = (V/N)^(1/d) (length)', fmt(r.a0)],
    ['max |F| after quench', fmt(r.max_force, 2)],
    ['MC acceptance (displacement / swap)', `${fmt(mc.displacement_acceptance, 3)} / ${fmt(mc.swap_acceptance, 3)}`],
  ];
  for (const [stage, secs] of Object.entries(t)) rows.push([`time: ${stage}`, `${secs.toFixed(3)} s`]);
  rows.push([`time: whole ${jobs.length > 1 ? 'comparison' : 'run'} (worker)`, `${seconds.toFixed(3)} s`]);
  rows.push(['build', `${api.build}, ${api.threads} thread${api.threads === 1 ? '' : 's'}`]);
  $('results').tBodies[0].replaceChildren(...rows.map(row));
}

// ---------------------------------------------------------------- click to pinch

function requestPinch(k) {
  if (!shown || k < 0 || k >= shown.data.pairI.length) return;
  pinchId += 1;
  $('pinch-info').textContent = `pinching pair ${shown.data.pairI[k]}–${shown.data.pairJ[k]}…`;
  worker.postMessage({ type: 'pinch-field', id: pinchId, pair: k });
}

function onPinch(msg) {
  if (msg.id !== pinchId || !shown) return;
  if (msg.type === 'pinch-error') {
    $('pinch-info').textContent = `pinch failed: ${msg.message}`;
    if (api.state === 'running') done();
    return;
  }
  const d = shown.data;
  const k = msg.pair;
  const i = d.pairI[k];
  const j = d.pairJ[k];
  const omega = d.pairOmega[k];
  const scaledForce = d.pairScaledForce[k];
  try {
    drawGlass(d, k);
    api.fieldMapping = Array.from(wasm.draw_pinch_field('canvas-field', d.positions, d.sizes, d.boxLengths,
      d.dim, msg.field, i, j, omega, scaledForce));
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  const info = $('pinch-info');
  info.replaceChildren();
  const line = (label, value, unit, key) => {
    const div = document.createElement('div');
    const v = document.createElement('span');
    v.id = `pinch-${key}`;
    v.dataset.value = String(value);
    v.textContent = typeof value === 'number' ? fmt(value, 6) : value;
    div.append(`${label} `, v, unit ? ` ${unit}` : '');
    info.append(div);
  };
  line('pinched pair (i, j):', `${i}, ${j}`, '', 'pair');
  line('ω_g^(ij) =', omega, '√(ε/m)/length', 'omega');
  line('f/(p a0^(d−1)) =', scaledForce, '', 'force');
  api.pinch = { pair: k, i, j, omega, scaledForce };
  if (api.state === 'running') done();
}

function onGlassClick(event) {
  const c = event.currentTarget;
  const mapping = c.id === 'canvas-field' ? api.fieldMapping : api.glassMapping;
  if (api.state !== 'done' || !shown || !mapping) return;
  const rect = c.getBoundingClientRect();
  const cx = ((event.clientX - rect.left) * c.width) / rect.width;
  const cy = ((event.clientY - rect.top) * c.height) / rect.height;
  const [px0, px1, py0, py1, x0, x1, y0, y1] = mapping;
  if (cx < px0 || cx > px1 || cy < py0 || cy > py1) return;
  const x = x0 + ((cx - px0) / (px1 - px0)) * (x1 - x0);
  const y = y1 - ((cy - py0) / (py1 - py0)) * (y1 - y0);
  const d = shown.data;
  requestPinch(wasm.nearest_pair(d.positions, d.boxLengths, d.dim, d.pairI, d.pairJ, x, y));
}

// ---------------------------------------------------------------- exports

function download(name, body, type) {
  const url = typeof body === 'string' && body.startsWith('data:') ? body : URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  if (!url.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function baseName() {
  const p = api.params;
  return `pinchglass-d${p.dim}-n${p.n}-tp${p.tp}-seed${p.seed}-sweeps${p.sweeps}`;
}

async function copyLink() {
  const link = location.href;
  $('share-link').hidden = false;
  $('share-link').value = link;
  try {
    await navigator.clipboard.writeText(link);
    $('share-note').textContent = 'link copied: it reproduces this run';
  } catch {
    $('share-link').select();
    $('share-note').textContent = 'copy the link above: it reproduces this run';
  }
}

// ---------------------------------------------------------------- start

async function main() {
  const plan = await isolationPlan();
  api.isolation = plan.note;
  startWorker();
  await initDraw();
  wasm.init();
  $('hint-n').textContent = `2 … ${wasm.max_particles(2)} (2D), ${wasm.max_particles(3)} (3D)`;
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    if ($('preset').value === 'compare') startCompare();
    else startRun();
  });
  $('controls').addEventListener('input', (e) => {
    if (FIELDS.includes(e.target.id)) $('preset').value = matchingPreset(readForm());
  });
  $('preset').addEventListener('change', () => {
    const name = $('preset').value;
    if (name === 'compare') startCompare();
    else if (PRESETS[name]) startRun({ ...PRESETS[name], density: '' });
  });
  $('cancel').addEventListener('click', () => cancel());
  $('export-xyz').addEventListener('click', () => download(`${baseName()}.xyz`, api.xyz, 'chemical/x-xyz'));
  $('export-json').addEventListener('click', () =>
    download(`${baseName()}.json`, JSON.stringify(api.results, null, 1), 'application/json'),
  );
  $('export-pairs-csv').addEventListener('click', () => download(`${baseName()}-pairs.csv`, api.csv.pairs, 'text/csv'));
  $('export-summary-csv').addEventListener('click', () =>
    download(`${baseName()}-summary.csv`, api.csv.summary, 'text/csv'),
  );
  $('copy-link').addEventListener('click', copyLink);
  for (const b of document.querySelectorAll('button.png')) {
    b.addEventListener('click', () => download(`${baseName()}-${b.dataset.canvas.replace('canvas-', '')}.png`,
      $(b.dataset.canvas).toDataURL('image/png')));
  }
  $('canvas-glass').addEventListener('click', onGlassClick);
  $('canvas-field').addEventListener('click', onGlassClick);
  const { params, compare } = paramsFromUrl();
  fillForm(params);
  if (compare) await startCompare();
  else await startRun();
}

main().catch((e) => fail(`the page failed to start: ${e.message || e}`));
