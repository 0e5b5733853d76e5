// The page: controls, presets, URL parameters, the compute worker's lifecycle, drawing (plotters
// through the single-threaded wasm build, which runs on this main thread), click-to-pinch and
// exports. No physics here: every number comes from the wasm module.
//
// Automation: <body data-state="idle|running|done|error">, and window.pinchglass holds
// {results (the CLI's `analyze --sparse --quartic K` JSON keys, plus eigenvalues and
//  participation_ratios once the full vDOS is computed), xyz, csv: {pairs, summary}, build,
//  threads, isolation, loadToDoneSeconds, firstPlotSeconds, stageSeconds, pinch: {pair, i, j,
//  omega, scaledForce}, mode: {index, omega, participation} | null, compare: [resultsA, resultsB] | null,
//  glassMapping, mapMapping, run(params), compare(), pinch(pairIndex), selectMode(m), fullSpectrum()}.
// URL parameters: dim, n, tp, seed, sweeps, density (the CLI's flags), quartic (K pinch starts of
// the quartic modes, 0 = none) and preset=compare.
//
// Modes (tabs at the top, URL parameter mode=explore|sweep|lecture): Explore (this file: one glass,
// run at once), Temperature sweep (sweep.js: a live ensemble in its own compute worker) and Lecture
// (lecture.js: precomputed ensembles from www/data/, no computation). The Explore worker starts
// only when the Explore mode is first shown.

import initDraw, * as wasm from './pkg-single/pinchglass.js';
import { initSweep, showSweep } from './sweep.js';
import { initLecture, showLecture } from './lecture.js';

const FIELDS = ['dim', 'n', 'tp', 'seed', 'sweeps', 'density'];
const QUARTIC_DEFAULT = 30; // pinch starts of the quartic modes (plus one shear start per plane)
const QUARTIC_MAX = 2000;
// the full vDOS (dense, the slowest stage in wasm) runs by itself up to this many coordinates d·N;
// above, on request (button)
const AUTO_FULL_SPECTRUM_DOF = 1600;
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
  firstPlotSeconds: null,
  stageSeconds: null,
  runSeconds: null,
  mode: null,
  mapMapping: null,
  pinch: null,
  compare: null,
  glassMapping: null,
  fieldMapping: null,
  errors: [],
  run: (params) => startRun(params),
  compareRuns: () => startCompare(),
  cancel: () => cancel(),
  pinchPair: (k) => requestPinch(k),
  selectMode: (m) => selectMode(m),
  fullSpectrum: () => requestFullSpectrum(),
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
  const p = { ...DEFAULTS, quartic: QUARTIC_DEFAULT };
  for (const f of [...FIELDS, 'quartic']) {
    if (q.has(f)) p[f] = q.get(f);
  }
  return { params: p, compare: q.get('preset') === 'compare' };
}

function fillForm(p) {
  for (const f of FIELDS) {
    $(f).value = p[f] ?? '';
  }
  if (p.quartic !== undefined) $('quartic').value = p.quartic;
  if (p.density !== undefined && p.density !== '') $('controls').querySelector('details').open = true;
}

function readForm() {
  const p = {};
  for (const f of FIELDS) p[f] = $(f).value.trim();
  p.quartic = $('quartic').value.trim();
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
  // K is checked against the glass's pairs by the module once the glass exists; here its range
  const k = raw.quartic === '' || raw.quartic === undefined ? QUARTIC_DEFAULT : Number(raw.quartic);
  if (!(Number.isInteger(k) && k >= 0 && k <= QUARTIC_MAX)) {
    errors.push({ field: 'quartic', message: `K must be a whole number from 0 (no quartic modes) to ${QUARTIC_MAX}, got ${raw.quartic}` });
  }
  params.quartic = k;
  return { params, errors };
}

function showErrors(errors) {
  for (const f of [...FIELDS, 'quartic']) {
    $(`err-${f}`).textContent = '';
    $(f).removeAttribute('aria-invalid');
  }
  for (const e of errors) {
    const el = $(`err-${e.field}`);
    if (el.textContent.includes(e.message)) continue;
    el.textContent = el.textContent ? `${el.textContent} ${e.message}` : e.message;
    $(e.field).setAttribute('aria-invalid', 'true');
    if (e.field === 'density' || e.field === 'quartic') $('controls').querySelector('details').open = true;
  }
}

function updateUrl(raw, compare) {
  const q = new URLSearchParams();
  if (compare) q.set('preset', 'compare');
  for (const f of FIELDS) if (raw[f] !== '' && raw[f] !== undefined) q.set(f, raw[f]);
  if (raw.quartic !== '' && raw.quartic !== undefined && Number(raw.quartic) !== QUARTIC_DEFAULT) q.set('quartic', raw.quartic);
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
  if (data.type === 'spectrum' && data.id === `spectrum-${spectrumId}`) {
    onSpectrum(current(), data);
    return;
  }
  if (data.type === 'spectrum-error' && data.id === `spectrum-${spectrumId}`) {
    $('vdos-note').textContent = data.message;
    $('full-spectrum').disabled = false;
    return;
  }
  if (data.id !== runId) return;
  const job = jobData[jobData.length - 1];
  const prefix = jobs.length > 1 ? `run ${jobData.length}/${jobs.length} (${jobs[jobData.length - 1].label}): ` : '';
  if (data.type === 'progress') {
    $('stage').textContent =
      prefix +
      (data.fraction >= 1
        ? `${data.stage}: done`
        : data.stage === 'swap Monte Carlo' || data.stage === 'quartic modes' || data.stage === 'pinches'
          ? `${data.stage}: ${Math.round(100 * data.fraction)} %`
          : `${data.stage}…`);
    $('progress').value = (jobData.length - 1 + stageFraction(data.stage, data.fraction)) / jobs.length;
  } else if (data.type === 'analysis') {
    job.analysis = data;
    job.results = JSON.parse(data.results);
    if (jobs.length === 1) drawAnalysis(job);
  } else if (data.type === 'soft-spots') {
    job.spots = JSON.parse(data.json);
    job.spotsSeconds = data.seconds;
    Object.assign(job.results, job.spots);
    if (jobs.length === 1) drawSoftSpots(job);
  } else if (data.type === 'soft-spots-error') {
    job.spotsError = data.message;
    $('err-quartic').textContent = data.message;
    $('quartic').setAttribute('aria-invalid', 'true');
  } else if (data.type === 'spectrum') {
    onSpectrum(job, data);
  } else if (data.type === 'spectrum-error') {
    $('vdos-note').textContent = data.message;
  } else if (data.type === 'done') {
    job.seconds = data.seconds;
    if (jobData.length < jobs.length) {
      postRun(jobs[jobData.length]);
    } else {
      finish();
    }
  } else if (data.type === 'error') {
    // a run refused because of a control's value ("density: the quench did not …") is also
    // shown next to that control
    const m = /^(density): ([\s\S]*)$/.exec(data.message);
    if (m) showErrors([{ field: m[1], message: m[2] }]);
    fail(m ? m[2] : data.message);
  }
}

// Stage → progress of one run: swap MC 0–60 %, analysis to 75 %, quartic modes to 95 %, full vDOS.
const ANALYSIS_STAGES = ['quench', 'forces', 'hessian', 'factorisation', 'pinches', 'shear modulus', 'lowest modes'];
function stageFraction(stage, fraction) {
  if (stage === 'swap Monte Carlo') return 0.6 * fraction;
  if (stage === 'quartic modes') return 0.75 + 0.2 * fraction;
  if (stage === 'full spectrum') return 0.95 + 0.05 * fraction;
  const k = ANALYSIS_STAGES.indexOf(stage);
  return k < 0 ? 0.6 : 0.6 + (0.15 * (k + (fraction >= 1 ? 1 : fraction))) / ANALYSIS_STAGES.length;
}

function postRun(job) {
  jobData.push({ job, analysis: null, results: null, spots: null, spectrum: null });
  const dof = job.params.dim * job.params.n;
  worker.postMessage({
    type: 'run',
    id: runId,
    params: job.params,
    quartic: job.params.quartic,
    fullSpectrum: dof <= AUTO_FULL_SPECTRUM_DOF,
  });
}

function current() {
  return shown ? shown.job : null;
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
  stopAnimation();
  api.mode = null;
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
  postRun(jobs[0]);
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
    raw: { ...base, tp: String(PRESETS[name].tp), sweeps: String(PRESETS[name].sweeps), quartic: base.quartic },
  }));
  fillForm(list[1].raw);
  $('preset').value = 'compare';
  if (accept(list)) await launch(list, true);
}

function cancel(quiet) {
  stopAnimation();
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

// The soft-spot views use the stage data of one job: {analysis (typed arrays), results, spots, spectrum}.
function finish() {
  clearInterval(ticker);
  tick();
  const all = jobData.map((j) => {
    const r = j.results;
    r.build = api.build;
    r.threads = api.threads;
    if (j.spectrum) {
      r.eigenvalues = Array.from(j.spectrum.eigenvalues);
      r.participation_ratios = Array.from(j.spectrum.participation);
    }
    return r;
  });
  const job = jobData[jobData.length - 1];
  const d = job.analysis;
  const results = all[all.length - 1];
  const previous = shown;
  shown = { data: d, results, runId, job };
  api.results = results;
  api.xyz = d.xyz;
  api.csv = { pairs: d.pairsCsv, summary: d.summaryCsv };
  api.runSeconds = jobData.reduce((s, x) => s + x.seconds, 0);
  api.stageSeconds = { ...results.timings_seconds, ...(results.soft_spot_timings_seconds ?? {}) };
  if (job.spectrum) api.stageSeconds['full spectrum'] = job.spectrum.seconds;
  api.data = d;
  api.compare = jobs.length > 1 ? all : null;
  api.pinch = null;
  try {
    if (jobs.length > 1 || previous?.runId !== runId) {
      drawAnalysis(job);
      drawSoftSpots(job);
    }
    if (job.spectrum) drawSpectrumViews(job);
    if (api.compare) drawCompare(jobData, all);
    $('compare').hidden = !api.compare;
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  fillResults(results, api.runSeconds);
  $('stage').textContent = `${jobs.length > 1 ? 'both runs' : 'run'} done in ${api.runSeconds.toFixed(2)} s`;
  $('progress').value = 1;
  $('full-spectrum').hidden = Boolean(job.spectrum);
  $('full-spectrum').disabled = false;
  if (!job.spectrum) {
    $('vdos-note').textContent = `lowest ${d.lowestEigenvalues.length} of ${d.modeCount} modes (sparse shift-invert Lanczos); the full vDOS is computed on request; ${fitNote(job)}`;
  }
  if (d.softest >= 0) {
    api.pinch = pinchInfo(d, d.softest);
    showPinch(d, d.softest, d.softestField);
  }
  done();
}

function done() {
  if (api.loadToDoneSeconds === null) api.loadToDoneSeconds = performance.now() / 1000;
  setState('done');
}

function drawGlass(d, k) {
  api.glassMapping = Array.from(
    wasm.draw_glass('canvas-glass', d.positions, d.sizes, d.boxLengths, d.dim,
      k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k], ''),
  );
}

// The views available right after the harmonic analysis (drawn while quartic modes still run).
function drawAnalysis(job) {
  const d = job.analysis;
  const results = job.results;
  const threshold = wasm.force_filter();
  shown = { data: d, results, runId, job };
  drawGlass(d, d.softest);
  wasm.draw_energy_trace(
    'canvas-trace', d.traceSweeps, d.trace, d.tuneSweeps, d.tauAlpha, d.tauMeasured,
  );
  const relax = results.swap_mc?.relaxation;
  const traceNote = document.getElementById('trace-note');
  if (traceNote) {
    traceNote.textContent = relax ? `τα ${relax.verdict}` : '';
    traceNote.dataset.equilibrated = relax?.equilibrated ? 'yes' : 'no';
  }
  drawVdos('canvas-vdos', job, undefined, '');
  wasm.draw_pinch_scatter(
    'canvas-pinches', d.pairScaledForce, d.pairOmega, results.omega_g ?? NaN, threshold,
  );
  if (d.softest >= 0) showPinch(d, d.softest, d.softestField);
  if (api.firstPlotSeconds === null) api.firstPlotSeconds = performance.now() / 1000;
}

// vDOS: the full spectrum once computed, else the lowest modes (their counts N(ω) are exact).
function drawVdos(canvasId, job, axes, title) {
  const [ev, nz] = job.spectrum
    ? [job.spectrum.eigenvalues, job.spectrum.nZeroModes]
    : [job.analysis.lowestEigenvalues, 0];
  const fit = job.results?.a_g_fit;
  return wasm.draw_vdos(canvasId, ev, nz, job.analysis.dim, axes, title, fit?.window, fit?.a_g ?? undefined,
    job.results?.n);
}

function vdosAxes(job) {
  return job.spectrum
    ? wasm.vdos_axes(job.spectrum.eigenvalues, job.spectrum.nZeroModes)
    : wasm.vdos_axes(job.analysis.lowestEigenvalues, 0);
}

function fitNote(job) {
  const f = job.results?.a_g_fit;
  if (!f) return '';
  return f.a_g
    ? `A_g = ${fmt(f.a_g, 3)} from ${f.modes_below_window} modes below the window ω = ${fmt(f.window, 3)}`
    : `${f.modes_below_window} mode${f.modes_below_window === 1 ? '' : 's'} below the A_g window ω = ${fmt(f.window, 3)}: too few to fit A_g in one glass (an ensemble does it: pinchglass sweep / summarize)`;
}

function onSpectrum(job, data) {
  if (!job) return;
  job.spectrum = data;
  if (job.results) {
    job.results.eigenvalues = Array.from(data.eigenvalues);
    job.results.participation_ratios = Array.from(data.participation);
  }
  if (shown && shown.job === job) {
    try {
      drawSpectrumViews(job);
    } catch (e) {
      $('vdos-note').textContent = `drawing failed: ${e.message || e}`;
    }
    $('full-spectrum').hidden = true;
    if (api.stageSeconds) api.stageSeconds['full spectrum'] = data.seconds;
  }
}

function drawSpectrumViews(job) {
  drawVdos('canvas-vdos', job, undefined, '');
  $('vdos-note').textContent = `all ${job.analysis.modeCount} modes (dense eigendecomposition, ${job.spectrum.seconds.toFixed(2)} s); ${fitNote(job)}`;
  drawParticipation(job);
}

let spectrumId = 0;
function requestFullSpectrum() {
  if (!shown || shown.job.spectrum || api.state === 'running') return;
  spectrumId += 1;
  $('full-spectrum').disabled = true;
  $('vdos-note').textContent = 'computing the full vDOS (dense eigendecomposition)…';
  worker.postMessage({ type: 'full-spectrum', id: `spectrum-${spectrumId}` });
}

// ---------------------------------------------------------------- soft spots (quartic modes)

// Quartic modes of a job as typed arrays, and those below the map's threshold.
function quarticArrays(job) {
  const modes = job.spots?.quartic_modes ?? [];
  return {
    modes,
    omega: Float64Array.from(modes, (m) => m.omega),
    participation: Float64Array.from(modes, (m) => m.participation),
    coreI: Uint32Array.from(modes, (m) => m.core[0]),
    coreJ: Uint32Array.from(modes, (m) => m.core[1]),
  };
}

function mapThreshold(job) {
  const f = Number($('map-threshold').value);
  const wg = job.results.omega_g;
  return f > 0 && wg ? f * wg : Infinity;
}

function drawSoftSpots(job) {
  const q = quarticArrays(job);
  const d = job.analysis;
  if (!job.spots) {
    $('map-note').textContent = job.spotsError ? `no quartic modes: ${job.spotsError}` : 'quartic modes not computed (K = 0)';
    return;
  }
  drawMap('canvas-map', job, q, NaN, NaN, '');
  drawParticipation(job);
  const c = job.spots.c_r;
  const L = job.spots.lengths;
  const num = (x) => (x === null || x === undefined ? NaN : x);
  wasm.draw_spatial_decay('canvas-decay', d.dim,
    Float64Array.from(c.responses.r), Float64Array.from(c.responses.c.map(num)),
    Float64Array.from(c.modes.r), Float64Array.from(c.modes.c.map(num)),
    num(L.xi_co), num(L.xi_qlm), num(L.xi_g));
  $('map-note').textContent =
    `${q.modes.length} distinct quartic modes from ${job.spots.quartic_starts} starts in ${job.spotsSeconds.toFixed(2)} s; ` +
    `lengths: ξ_g = ${fmt(num(L.xi_g), 3)}, ξ_co = ${fmt(num(L.xi_co), 3)}, ξ_QLM = ${fmt(num(L.xi_qlm), 3)}. Click a blob to see and animate its mode.`;
  if (q.modes.length > 0) selectMode(0, false);
}

function drawMap(canvasId, job, q, wmin, wmax, title) {
  const d = job.analysis;
  const mapping = wasm.draw_soft_spot_map(canvasId, d.positions, d.sizes, d.boxLengths, d.dim,
    q.coreI, q.coreJ, q.omega, q.participation, mapThreshold(job), wmin, wmax,
    canvasId === 'canvas-map' && api.mode ? api.mode.index : -1, title);
  if (canvasId === 'canvas-map') api.mapMapping = Array.from(mapping);
}

function drawParticipation(job) {
  if (!job.spots) return;
  const q = quarticArrays(job);
  const [ev, pr] = job.spectrum
    ? [job.spectrum.eigenvalues.subarray(job.spectrum.nZeroModes), job.spectrum.participation.subarray(job.spectrum.nZeroModes)]
    : [job.analysis.lowestEigenvalues, job.analysis.lowestParticipation];
  wasm.draw_participation_scatter('canvas-participation', ev, pr, q.omega, q.participation, job.results.omega_g ?? NaN);
}

let animation = null;
function selectMode(m, animate = true) {
  if (!shown || !shown.job.spots) return;
  const job = shown.job;
  const q = quarticArrays(job);
  if (m < 0 || m >= q.modes.length) return;
  const mode = q.modes[m];
  api.mode = { index: m, omega: mode.omega, participation: mode.participation, core: mode.core, hits: mode.hits };
  drawMap('canvas-map', job, q, NaN, NaN, '');
  const field = Float64Array.from(mode.field);
  const d = job.analysis;
  const title = `quartic mode ${m + 1}: ω_π = ${fmt(mode.omega, 4)}, e = ${fmt(mode.participation, 3)}, core (${mode.core[0]}, ${mode.core[1]}), ${mode.hits} start${mode.hits === 1 ? '' : 's'}`;
  stopAnimation();
  const frame = (phase) => wasm.draw_mode_field('canvas-mode', d.positions, d.sizes, d.boxLengths, d.dim, field, phase, 0.5, title);
  frame(Math.PI / 2);
  $('animate').textContent = 'animate';
  if (animate) startAnimation(frame);
}

function startAnimation(frame) {
  const t0 = performance.now();
  const step = (t) => {
    if (!animation) return;
    frame(((t - t0) / 1000) * 2 * Math.PI * 0.8);
    animation.handle = requestAnimationFrame(step);
  };
  animation = { frame, handle: requestAnimationFrame(step) };
  $('animate').textContent = 'stop';
}

function stopAnimation() {
  if (animation) cancelAnimationFrame(animation.handle);
  animation = null;
  $('animate').textContent = 'animate';
}

function onMapClick(event) {
  if (api.state !== 'done' || !shown || !shown.job.spots || !api.mapMapping) return;
  const p = clickPoint(event, api.mapMapping);
  if (!p) return;
  const job = shown.job;
  const q = quarticArrays(job);
  const limit = mapThreshold(job);
  const visible = [...q.omega.keys()].filter((m) => q.omega[m] < limit);
  const d = job.analysis;
  const k = wasm.nearest_pair(d.positions, d.boxLengths, d.dim,
    Uint32Array.from(visible, (m) => q.coreI[m]), Uint32Array.from(visible, (m) => q.coreJ[m]), p.x, p.y);
  if (k >= 0) selectMode(visible[k]);
}

// A click on a view → model coordinates through the view's mapping (null outside the plot).
function clickPoint(event, mapping) {
  const c = event.currentTarget;
  const rect = c.getBoundingClientRect();
  const cx = ((event.clientX - rect.left) * c.width) / rect.width;
  const cy = ((event.clientY - rect.top) * c.height) / rect.height;
  const [px0, px1, py0, py1, x0, x1, y0, y1] = mapping;
  if (cx < px0 || cx > px1 || cy < py0 || cy > py1) return null;
  return {
    x: x0 + ((cx - px0) / (px1 - px0)) * (x1 - x0),
    y: y1 - ((cy - py0) / (py1 - py0)) * (y1 - y0),
  };
}

function drawCompare(data, all) {
  const threshold = wasm.force_filter();
  const a = Array.from(vdosAxes(data[0]));
  const b = Array.from(vdosAxes(data[1]));
  const axes = new Float64Array([Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.max(a[3], b[3])]);
  // one colour scale of ω_π for both maps
  const qs = data.map(quarticArrays);
  const shownOmega = qs.flatMap((q, m) => [...q.omega].filter((w) => w < mapThreshold(data[m])));
  // (one distinct ω_π, or none: each map pads its own scale around it)
  const spread = shownOmega.length > 0 && Math.max(...shownOmega) > Math.min(...shownOmega);
  const wmin = spread ? Math.min(...shownOmega) : NaN;
  const wmax = spread ? Math.max(...shownOmega) : NaN;
  data.forEach((job, m) => {
    const d = job.analysis;
    const side = m === 0 ? 'a' : 'b';
    const title = jobs[m].label;
    wasm.draw_glass(`canvas-compare-glass-${side}`, d.positions, d.sizes, d.boxLengths, d.dim,
      d.softest < 0 ? -1 : d.pairI[d.softest], d.softest < 0 ? -1 : d.pairJ[d.softest], title);
    drawVdos(`canvas-compare-vdos-${side}`, job, axes, title);
    if (job.spots) drawMap(`canvas-compare-map-${side}`, job, qs[m], wmin, wmax, title);
  });
  $('compare-title').textContent =
    `${jobs[0].label} vs ${jobs[1].label}: same N = ${all[0].n}, seed ${all[0].seed}, ${all[0].dim}D`;
  const count = (r) => (r.quartic_modes ? r.quartic_modes.filter((q) => q.omega < Number($('map-threshold').value || Infinity) * r.omega_g).length : NaN);
  const rows = [
    ['T_p (ε/k_B)', (r) => fmt(r.tp)],
    ['swap-MC sweeps', (r) => `${r.sweeps}`],
    ['E/N (ε)', (r) => fmt(r.energy_per_particle, 7)],
    ['G', (r) => fmt(r.shear_modulus)],
    ['c_s', (r) => fmt(r.shear_wave_speed)],
    ['ω_g (filtered)', (r) => fmt(r.omega_g)],
    ['ω_g (all pairs)', (r) => fmt(r.omega_g_all)],
    ['pairs (filtered / all)', (r) => `${r.n_pairs_filtered} / ${r.n_pairs}`],
    ['quartic modes (distinct / on the map)', (r) => (r.quartic_modes ? `${r.quartic_modes.length} / ${count(r)}` : '—')],
    ['lowest ω_π', (r) => fmt(r.quartic_modes?.[0]?.omega)],
    ['ξ_g = 2π c_s/ω_g', (r) => fmt(r.lengths?.xi_g, 4)],
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
  if (r.quartic_modes) {
    rows.push(['quartic modes (distinct / starts)', `${r.quartic_modes.length} / ${r.quartic_starts}`]);
    rows.push(['lowest ω_π, its participation e', r.quartic_modes.length ? `${fmt(r.quartic_modes[0].omega)}, ${fmt(r.quartic_modes[0].participation, 3)}` : '—']);
    rows.push(['ξ_g = 2π c_s/ω_g / ξ_co / ξ_QLM (length)', `${fmt(r.lengths.xi_g, 4)} / ${fmt(r.lengths.xi_co, 4)} / ${fmt(r.lengths.xi_qlm, 4)}`]);
  }
  for (const [stage, secs] of Object.entries(api.stageSeconds ?? t)) rows.push([`time: ${stage}`, `${secs.toFixed(3)} s`]);
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

function pinchInfo(d, k) {
  return { pair: k, i: d.pairI[k], j: d.pairJ[k], omega: d.pairOmega[k], scaledForce: d.pairScaledForce[k] };
}

function onPinch(msg) {
  if (msg.id !== pinchId || !shown) return;
  if (msg.type === 'pinch-error') {
    $('pinch-info').textContent = `pinch failed: ${msg.message}`;
    return;
  }
  try {
    showPinch(shown.data, msg.pair, msg.field);
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
  }
}

// Draws the response field of pair k over the glass and states its ω_g^(ij).
function showPinch(d, k, field) {
  const p = pinchInfo(d, k);
  drawGlass(d, k);
  api.fieldMapping = Array.from(wasm.draw_pinch_field('canvas-field', d.positions, d.sizes, d.boxLengths,
    d.dim, field, p.i, p.j, p.omega, p.scaledForce));
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
  line('pinched pair (i, j):', `${p.i}, ${p.j}`, '', 'pair');
  line('ω_g^(ij) =', p.omega, '√(ε/m)/length', 'omega');
  line('f/(p a0^(d−1)) =', p.scaledForce, '', 'force');
  api.pinch = p;
}

function onGlassClick(event) {
  const c = event.currentTarget;
  const mapping = c.id === 'canvas-field' ? api.fieldMapping : api.glassMapping;
  if (api.state !== 'done' || !shown || !mapping) return;
  const p = clickPoint(event, mapping);
  if (!p) return;
  const d = shown.data;
  requestPinch(wasm.nearest_pair(d.positions, d.boxLengths, d.dim, d.pairI, d.pairJ, p.x, p.y));
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

// ---------------------------------------------------------------- modes

const MODES = ['explore', 'sweep', 'lecture'];
let mode = null;
let exploreStarted = false;

function modeFromUrl() {
  const m = new URLSearchParams(location.search).get('mode');
  return MODES.includes(m) ? m : 'explore';
}

// Shows one mode's panel; the Explore mode runs its first glass when it is first shown.
async function showMode(m) {
  if (m === mode) return;
  mode = m;
  document.body.dataset.mode = m;
  for (const x of MODES) {
    $(`mode-${x}`).hidden = x !== m;
    $(`tab-${x}`).setAttribute('aria-selected', String(x === m));
  }
  if (m === 'explore') {
    if (exploreStarted) {
      if (api.params) updateUrl(readForm(), Boolean(api.compare));
      else history.replaceState(null, '', location.pathname);
      return;
    }
    exploreStarted = true;
    if (!worker) startWorker();
    const { params, compare } = paramsFromUrl();
    fillForm(params);
    if (compare) await startCompare();
    else await startRun();
  } else if (m === 'sweep') {
    showSweep();
  } else {
    await showLecture();
  }
}

// ---------------------------------------------------------------- start

async function main() {
  const plan = await isolationPlan();
  api.isolation = plan.note;
  const first = modeFromUrl();
  // the Explore worker loads its wasm while the drawing module initialises (other modes: later)
  if (first === 'explore') startWorker();
  else $('build-note').textContent = 'the compute worker starts when this mode is first shown';
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
  for (const b of document.querySelectorAll('#mode-explore button.png')) {
    b.addEventListener('click', () => download(`${baseName()}-${b.dataset.canvas.replace('canvas-', '')}.png`,
      $(b.dataset.canvas).toDataURL('image/png')));
  }
  $('canvas-glass').addEventListener('click', onGlassClick);
  $('canvas-field').addEventListener('click', onGlassClick);
  $('canvas-map').addEventListener('click', onMapClick);
  $('full-spectrum').addEventListener('click', requestFullSpectrum);
  $('animate').addEventListener('click', () => {
    if (animation) stopAnimation();
    else if (api.mode) selectMode(api.mode.index, true);
  });
  $('map-threshold').addEventListener('change', () => {
    if (shown?.job?.spots && api.state === 'done') {
      drawSoftSpots(shown.job);
      if (api.compare) drawCompare(jobData, api.compare);
    }
  });
  initSweep(api, plan);
  initLecture(api);
  for (const m of MODES) $(`tab-${m}`).addEventListener('click', () => showMode(m));
  await showMode(first);
}

main().catch((e) => fail(`the page failed to start: ${e.message || e}`));
