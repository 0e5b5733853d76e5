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
import { WATCHDOG, allowance } from './watchdog.js';
import { spawnComputeWorker } from './compute-worker.js';
import { unitsOf, onsetArgument } from './units.js';
import { draw, pngDataUrl } from './png.js';
import { download } from './download.js';
import { clearFieldError, linkAsks } from './form.js';
import { initLecture, showLecture, lectureFromUrl } from './lecture.js';
import { loadFig1, drawFig1 } from './compare.js';

const FIELDS = ['dim', 'n', 'tp', 'seed', 'sweeps', 'density', 'units'];
// the stages of a run in the order they run (swap_mc → quench → pipeline::sparse::SPARSE_STAGES →
// the soft-spot stages → the optional dense spectrum), for the results table's timings
const STAGE_ORDER = ['swap Monte Carlo', 'quench', 'forces', 'hessian', 'factorisation', 'pinches', 'shear modulus',
  'lowest modes', 'quartic modes', 'spatial decay', 'full spectrum'];
const QUARTIC_DEFAULT = 30; // pinch starts of the quartic modes (plus one shear start per plane)
// the full vDOS (dense, the slowest stage in wasm) runs by itself up to this many coordinates d·N;
// above, on request (button)
const AUTO_FULL_SPECTRUM_DOF = 1600;
// Presets in the paper's units (T_p in T_onset; the shipped 2D calibration has T_onset = 3 ε/k_B at
// density 0.86), each run for ≥ 10 τ_α so that its energy trace counts as equilibrated: τ_α at
// N = 300 ≈ 1.1·10³ sweeps at T_p = 1 T_onset and 3.4·10³ at 0.6 T_onset (`pinchglass tau --dim 2
// --n 300 --tp 3|1.8 --equilibrate 3000 --sweeps 20000`), 5.4·10² at 1.5 T_onset (`pinchglass generate` prints the verdict).
const PRESETS = {
  lecture: { label: 'lecture default', dim: 2, n: 300, tp: 1, units: 'paper', seed: 1, sweeps: 12000 },
  poor: { label: 'poorly annealed', dim: 2, n: 300, tp: 1.5, units: 'paper', seed: 1, sweeps: 7000 },
  well: { label: 'well annealed', dim: 2, n: 300, tp: 0.6, units: 'paper', seed: 1, sweeps: 36000 },
};
// The T_onset of a link (?tonset=…, written with every paper-unit link): a link keeps its run even
// after the shipped calibration changes. Forgotten once dimension, density or units change.
let linkOnset = null; // {dim, density, units, value}
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
  fig1: null,
  glassMapping: null,
  fieldMapping: null,
  errors: [],
  run: (params) => startRun(params),
  compareRuns: () => startCompare(),
  runConfiguration: (text, name) => startConfiguration(text, name),
  cancel: () => cancel(),
  // Explore's live compute workers and the rayon thread workers each has started (tests count the
  // page's workers against these: a cancelled or replaced worker must leave no thread behind)
  computeWorkers: () => [...new Set([worker, shownWorker, spare].filter(Boolean))]
    .map((e) => ({ threads: e.w.threadWorkers.length })),
  pinchPair: (k) => requestPinch(k),
  selectMode: (m) => selectMode(m),
  fullSpectrum: () => requestFullSpectrum(),
  plotUnits: null, // [c∞/a0, a0] of the data plots last drawn in the paper's units, null in the model's
  crashNextRun: false, // tests: the next run's worker traps as a panic would
};
window.pinchglass = api;

// Exports and pinching act on the last finished run, which stays usable while a new run computes
// is cancelled or fails.
function setState(s) {
  api.state = s;
  document.body.dataset.state = s;
  $('cancel').disabled = s !== 'running';
  for (const id of ['export-xyz', 'export-json', 'export-pairs-csv', 'export-summary-csv']) {
    $(id).disabled = !shown || s === 'running';
  }
}

// ---------------------------------------------------------------- parameters

function paramsFromUrl() {
  const q = new URLSearchParams(location.search);
  const p = { ...DEFAULTS, quartic: QUARTIC_DEFAULT };
  for (const f of [...FIELDS, 'quartic']) {
    if (q.has(f)) p[f] = q.get(f);
  }
  // links made before the units switch hold T_p in model units and no `units`
  if (!q.has('units') && FIELDS.some((f) => q.has(f))) p.units = 'model';
  linkOnset = q.has('tonset') ? { dim: String(p.dim), density: String(p.density ?? ''), units: p.units, value: q.get('tonset') } : null;
  return { params: p, compare: q.get('preset') === 'compare' };
}

// A <select> keeps a value from the link that is not one of its options (e.g. ?dim=4) as an extra
// option, so that the refusal next to it names what was asked for.
function setSelect(el, v) {
  const value = String(v ?? '');
  for (const o of [...el.options]) if (o.dataset.fromLink) o.remove();
  if (![...el.options].some((o) => o.value === value)) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = `${value.slice(0, 32)} (from the link)`;
    o.dataset.fromLink = '1';
    el.append(o);
  }
  el.value = value;
}

function fillForm(p) {
  for (const f of FIELDS) {
    if ($(f).tagName === 'SELECT') setSelect($(f), p[f]);
    else $(f).value = p[f] ?? '';
  }
  if (p.quartic !== undefined) $('quartic').value = p.quartic;
  if (p.density !== undefined && p.density !== '') $('controls').querySelector('details').open = true;
  showUnits();
}

function readForm() {
  const p = {};
  for (const f of FIELDS) p[f] = $(f).value.trim();
  p.quartic = $('quartic').value.trim();
  const l = linkOnset;
  p.tonset = l && l.dim === p.dim && l.density === p.density && l.units === p.units ? l.value : '';
  return p;
}

// The preset whose values the form holds (or 'custom').
function matchingPreset(raw) {
  for (const [name, p] of Object.entries(PRESETS)) {
    if (['dim', 'n', 'tp', 'seed', 'sweeps'].every((f) => Number(raw[f]) === p[f]) && raw.density === ''
      && raw.units === p.units && shippedOnset(raw)) return name;
  }
  return 'custom';
}

// Checks the fields as typed with the module's rules (the CLI's, src/validate.rs, plus the
// browser's limits) before anything is computed: a missing or non-numeric field is refused in
// words ("N is required", "T_p must be a finite number"), K is bounded by N. Returns {params,
// errors, fullSpectrumMaxN}; params is null when anything is refused.
function validate(raw) {
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  const units = unitsOf(raw);
  // in the paper's units the module converts T_p itself and names a refused T_p as typed
  const out = JSON.parse(wasm.check_form(text(raw.dim), text(raw.n), text(raw.tp), text(raw.seed), text(raw.sweeps),
    text(raw.density), text(raw.quartic), QUARTIC_DEFAULT, onsetArgument(raw, units)));
  const errors = [...units.errors, ...out.errors];
  const p = errors.length === 0 ? out.params : null;
  // (accepted, so the text is a number both parsers read alike)
  const tpOnset = units.paper ? Number(text(raw.tp).trim()) : undefined;
  const params = p ? { ...p, density: p.density ?? undefined, units: raw.units, paper: units.paper, tpOnset } : null;
  return { params, errors, fullSpectrumMaxN: out.full_spectrum_max_n };
}


// Where a run's T_onset comes from: the shipped calibration, or a link that carries its own value
// (then the calibration's frequency and length units still apply, and the shipped T_onset is named).
function onsetSource(u) {
  return u.t_onset === u.shipped_t_onset
    ? u.source
    : `T_onset from the link, not from ${u.source}, which says ${u.shipped_t_onset} ε/k_B`;
}

// Whether the form's T_onset is the shipped one (a link's own T_onset may differ).
function shippedOnset(raw) {
  if (!raw.tonset) return true;
  const u = unitsOf(raw).paper;
  return !!u && u.t_onset === u.shipped_t_onset;
}

// The T_p label and the units note follow the units switch.
function showUnits() {
  const paper = $('units').value === 'paper';
  $('tp-unit').textContent = paper ? 'T_onset' : 'ε/k_B';
  let note = '';
  if (paper) {
    const raw = readForm();
    const u = unitsOf(raw).paper;
    if (u) {
      note = `Paper units: T_p in T_onset = ${u.t_onset} ε/k_B, frequencies in c∞/a0 = ${fmt(u.frequency_unit, 4)}, lengths in a0 = ${fmt(u.a0, 4)} (${onsetSource(u)}).`;
    }
  }
  $('units-note').textContent = note;
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

// The URL of a run: its parameters; for Fig. 1 (compare) only the preset and the units, since the
// two shipped parent states do not depend on the form; for a configuration file only the file's
// name, since a link cannot carry the file (a link naming one says so when opened, `linkNote`).
function exploreUrl(raw, compare, file = null) {
  const q = new URLSearchParams();
  if (file !== null) {
    q.set('file', file);
    return `${location.pathname}?${q}`;
  }
  if (compare) q.set('preset', 'compare');
  const fields = compare ? ['units'] : FIELDS;
  for (const f of fields) if (raw[f] !== '' && raw[f] !== undefined) q.set(f, raw[f]);
  if (!compare && raw.quartic !== '' && raw.quartic !== undefined && Number(raw.quartic) !== QUARTIC_DEFAULT) q.set('quartic', raw.quartic);
  if (raw.units === 'paper') {
    const u = unitsOf(raw).paper;
    if (u) q.set('tonset', String(u.t_onset));
  }
  return `${location.pathname}?${q}`;
}

// The URL describes the run on screen (replaced when a run finishes or is cancelled); choosing a
// preset adds a history entry (Back returns to the previous glass). Only while Explore is shown.
function updateUrl(raw, compare) {
  if (mode === 'explore') history.replaceState(null, '', exploreUrl(raw, compare));
}
// The configuration file a shown run came from (null for a run from parameters or Fig. 1).
function fileOf(s) {
  return !s || s.compare || !s.job?.job?.params?.xyz ? null : String(s.job.job.params.source);
}
// The URL of the run on screen (`shown`): its parameters, Fig. 1's preset, or its file's name.
function shownUrl() {
  return exploreUrl(shown.raw, shown.compare, fileOf(shown));
}
function updateShownUrl() {
  if (mode === 'explore') history.replaceState(null, '', shownUrl());
}
function pushUrl(raw, compare) {
  if (mode !== 'explore') return;
  const url = exploreUrl(raw, compare);
  if (url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
}

// ---------------------------------------------------------------- cross-origin isolation

// Decides how the compute module runs: threads when the page is cross-origin isolated; otherwise
// coi-serviceworker (loaded by index.html) registers a service worker that adds COOP/COEP and
// reloads the page once. While that reload is pending this never resolves, so no wasm starts on
// the first, non-isolated visit. Where it cannot happen (no service workers, registration blocked
// or refused, a reload that did not isolate) it resolves to the single-threaded build.
const RELOAD_FLAG = 'pinchglass-coi-reload';
// Set when this document starts to unload: on the header-less route coi-serviceworker reloads the
// page once while it starts (its reload can begin while isolationPlan still awaits its own
// register(), which then finds the page controlled but not isolated). From then on nothing is
// started and no failure is shown: the document is being replaced. What the page had done by
// then is kept in sessionStorage (UNLOAD_RECORD) for the tests: no compute worker and no error
// before the reload.
let unloading = false;
let workersSpawned = 0;
const UNLOAD_RECORD = 'pinchglass-unloaded-page';
addEventListener('beforeunload', () => {
  unloading = true;
  sessionStorage.setItem(UNLOAD_RECORD, JSON.stringify({
    isolated: window.crossOriginIsolated, state: document.body?.dataset.state ?? null, workers: workersSpawned,
  }));
});
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
  if (unloading) return new Promise(() => {}); // coi-serviceworker's reload has begun
  if (!registration) return { threads: false, note: 'service worker registration is blocked' };
  if (sw.controller) {
    // coi-serviceworker claims the page as it activates and reloads it (on "updatefound"); our
    // register() can resolve after the claim but before the reload has unloaded this document, so
    // a controller here may mean the reload is on its way: wait for it a moment before giving up
    // (a worker started now would run in the page about to go; seen in 1 of ~40 Firefox starts)
    return new Promise((resolve) => {
      setTimeout(() => resolve({ threads: false, note: 'a service worker controls the page but it is not isolated' }), 3_000);
    });
  }
  sessionStorage.setItem(RELOAD_FLAG, '1');
  $('build-note').textContent = 'installing the isolation service worker; the page reloads once…';
  // coi-serviceworker reloads the page as soon as its worker is active; a safety net if it does not
  return new Promise((resolve) => {
    setTimeout(() => resolve({ threads: false, note: 'the isolation service worker did not reload the page' }), 10_000);
  });
}

// ---------------------------------------------------------------- the workers

// A run computes in `worker`; the last finished run lives in `shownWorker` (pinch fields, the full
// vDOS), which is a different worker while a new run computes, so that Cancel (which terminates the
// computing worker at once) leaves the run on screen fully usable. A spare worker is started when a
// run finishes, so the next run does not wait for a module to load.
let worker = null; // {w: Worker, ready: Promise, started}
let shownWorker = null;
let spare = null;
let runId = 0;
let runStart = 0;
let ticker = null;
let jobs = []; // [{label, raw, params}] of the current run (two for the comparison)
let jobData = []; // their stage messages
let drawn = null; // the job drawn in the main views (may belong to the run still computing)
let shown = null; // the last finished run: {data, results, runId, job, jobs, jobData, worker}
let pinchId = 0;
let lastLaunch = null; // [list, compare] of the last run started (the retry button)

// Watchdog (www/watchdog.js): see WATCHDOG there.
let watch = null; // {stage, since, allowance}
function watchStage(stage) {
  const p = jobs[Math.max(0, jobData.length - 1)]?.params ?? { dim: 2, n: 300, sweeps: 300 };
  watch = { stage, since: performance.now(), allowance: allowance(stage, p) };
}
function checkWatchdog() {
  if (!watch || api.state !== 'running') return;
  const idle = (performance.now() - watch.since) / 1000;
  if (idle <= watch.allowance) return;
  const { stage, allowance } = watch;
  watch = null;
  const who = worker;
  worker = null;
  if (who) who.w.terminate();
  runId += 1;
  api.watchdogFired = (api.watchdogFired ?? 0) + 1;
  restoreShown();
  const secs = (x) => x.toFixed(x < 10 ? 1 : 0);
  fail(`the computation stopped responding: no progress in the stage "${stage}" for ${secs(idle)} s ` +
    `(allowed ${secs(allowance)} s for this stage and N). The compute worker was restarted; press Retry to run again.`, true);
}

function spawnWorker() {
  workersSpawned += 1;
  const w = spawnComputeWorker();
  const entry = { w, ready: null, started: performance.now() };
  entry.ready = new Promise((resolve, reject) => {
    w.addEventListener('message', function first({ data }) {
      if (data.type === 'starting') {
        entry.step = data.step;
        (entry.steps ??= []).push(data.step);
        api.workerStepLog = entry.steps;
        api.workerStep = data.step;
      } else if (data.type === 'ready') {
        entry.step = 'ready';
        api.workerStep = 'ready';
        api.build = data.build;
        api.threads = data.threads;
        api.workerStarts = (api.workerStarts ?? 0) + 1;
        $('build-note').textContent =
          data.build === 'threaded'
            ? `threaded WebAssembly build, ${data.threads} threads (${api.isolation})`
            : `single-threaded WebAssembly build, 1 thread (${api.isolation})`;
        w.removeEventListener('message', first);
        resolve();
      } else if (data.type === 'fatal') {
        w.removeEventListener('message', first);
        reject(new Error(data.message));
      }
    });
  });
  entry.ready.catch(() => {});
  w.addEventListener('message', (e) => onWorkerMessage(entry, e));
  w.addEventListener('error', (e) => {
    e.preventDefault?.();
    onCrash(entry, e.message || 'an uncaught error');
  });
  return entry;
}

function startWorker() {
  if (!worker) worker = spare ?? spawnWorker();
  if (worker === spare) spare = null;
}

// The worker is ready, or, if its module does not start within WATCHDOG.startup seconds, it is
// replaced by a fresh one (once) before giving up with a message.
async function workerStarted(entry) {
  for (let attempt = 0; ; attempt++) {
    const timeout = new Promise((_, reject) => setTimeout(
      () => reject(new Error('timeout')), WATCHDOG.startup * 1000));
    try {
      await Promise.race([entry.ready, timeout]);
      return entry;
    } catch (e) {
      if (e.message === 'timeout' && attempt >= 2) throw new Error(`it did not start within ${WATCHDOG.startup} s, three times`);
      if (e.message !== 'timeout' || entry !== worker) throw e;
      api.workerRestarts = (api.workerRestarts ?? 0) + 1;
      (api.workerStalls ??= []).push(entry.step ?? 'before the worker script ran');
      (api.workerStallLogs ??= []).push(entry.steps ?? []);
      entry.w.terminate();
      worker = spawnWorker();
      entry = worker;
      $('build-note').textContent = `the compute worker did not start within ${WATCHDOG.startup} s; starting it again…`;
    }
  }
}

// A worker died (a wasm trap: the module aborts on panic) or threw outside a handled call: say
// so, keep the page usable and start a fresh worker.
function onCrash(entry, message) {
  api.crashes = (api.crashes ?? 0) + 1;
  entry.w.terminate();
  const words = `the compute worker crashed (${String(message).slice(0, 120)}); it was restarted`;
  if (entry === worker) {
    worker = null;
    if (api.state === 'running') {
      runId += 1;
      restoreShown();
      fail(`${words}. Nothing of this run was kept; press Retry or change a parameter.`, true);
    }
  }
  if (entry === shownWorker) {
    shownWorker = null;
    $('pinch-info').textContent = `${words}: run again to pinch this glass or compute its full vDOS.`;
  }
  if (entry === spare) spare = null;
}

function onWorkerMessage(entry, { data }) {
  if (data.crashed) {
    onCrash(entry, data.message);
    if (entry !== worker && entry !== shownWorker) return;
  }
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
  if (data.id !== runId || entry !== worker) return;
  const job = jobData[jobData.length - 1];
  const prefix = jobs.length > 1 ? `run ${jobData.length}/${jobs.length} (${jobs[jobData.length - 1].label}): ` : '';
  if (data.type === 'progress') {
    watchStage(data.stage);
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
    restoreShown();
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
  watchStage('starting');
  const crashTest = api.crashNextRun;
  api.crashNextRun = false;
  worker.w.postMessage({
    type: 'run',
    crashTest,
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
  checkWatchdog();
}

// Validates every job; errors go next to the controls. Returns false if any was refused.
function accept(list) {
  const errors = [];
  for (const job of list) {
    if (job.source) continue; // a loaded configuration: checked by inspect_configuration
    const v = validate(job.raw);
    job.params = v.params;
    job.fullSpectrumMaxN = v.fullSpectrumMaxN;
    for (const e of v.errors) if (!errors.some((x) => x.field === e.field && x.message === e.message)) errors.push(e);
  }
  showErrors(errors);
  $('run-error').textContent = '';
  $('retry').hidden = true;
  api.errors = errors;
  if (errors.length > 0) {
    // a run under way goes on (and can still be cancelled): only the new parameters are refused
    if (api.state === 'running') return false;
    $('stage').textContent = 'not run: fix the highlighted parameters';
    setState('error');
    return false;
  }
  return true;
}

// The parameters of a job in words (labels of the views and the results).
function describe(p) {
  if (!p) return '';
  if (p.xyz) return `${p.source}: ${p.dim}D, N = ${p.n}${Number.isFinite(p.tp) ? `, T_p = ${p.tp} ε/k_B` : ''}, quenched from the file, K = ${p.quartic}`;
  const density = p.density ?? (p.dim === 2 ? 0.86 : 0.58); // the CLI's defaults (validate::default_density)
  const tp = p.paper ? `${p.tpOnset} T_onset (${p.tp} ε/k_B)` : `${p.tp} ε/k_B`;
  return `${p.dim}D, N = ${p.n}, T_p = ${tp}, seed ${p.seed}, ${p.sweeps} sweeps, density ${density}, K = ${p.quartic}`;
}

// Views of the last run are greyed (and marked busy) from the start of a new run until each is
// redrawn; a view the new run does not draw is cleared when it finishes.
const SOFT_VIEWS = ['canvas-map', 'canvas-mode', 'canvas-participation', 'canvas-decay'];
function markStale(on) {
  for (const f of document.querySelectorAll('#views figure, #results, #compare')) {
    f.classList.toggle('stale', on);
    if (on) f.setAttribute('aria-busy', 'true');
    else f.removeAttribute('aria-busy');
  }
  if (on && shown) $('views-label').textContent = `Greyed: the previous run (${describe(shown.job.job.params)}); a new run is computing.`;
}
function fresh(canvasId) {
  const f = $(canvasId).closest('figure');
  f.classList.remove('stale');
  f.removeAttribute('aria-busy');
}
function clearView(canvasId, text) {
  const c = $(canvasId);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#666';
  g.font = '16px system-ui, sans-serif';
  g.textAlign = 'center';
  g.fillText(text, c.width / 2, c.height / 2);
  describeCanvas(canvasId, text);
  fresh(canvasId);
}

async function launch(list, compare) {
  if (api.state === 'running') cancel(true);
  stopAnimation();
  lastLaunch = [list, compare];
  api.params = list[list.length - 1].params;
  api.runCompare = compare;
  jobs = list;
  jobData = [];
  runId += 1;
  const id = runId;
  runStart = performance.now();
  setState('running');
  markStale(true);
  $('stage').textContent = 'starting…';
  $('progress').value = 0;
  clearInterval(ticker);
  ticker = setInterval(tick, 200);
  // the run on screen keeps its worker; this run gets another one
  if (worker && worker === shownWorker) worker = null;
  startWorker();
  watchStage('starting');
  watch.allowance = WATCHDOG.startup * 3 + 5;
  try {
    await workerStarted(worker);
  } catch (e) {
    if (id !== runId) return;
    worker?.w.terminate();
    worker = null;
    restoreShown();
    fail(`the compute worker could not start: ${e.message || e}`, true);
    return;
  }
  if (id !== runId) return;
  postRun(jobs[0]);
}

async function startRun(raw, how = 'replace') {
  if (raw) fillForm(raw);
  raw = readForm();
  $('preset').value = matchingPreset(raw);
  if (how === 'push') pushUrl(raw, false);
  const list = [{ label: 'run', raw }];
  if (accept(list)) await launch(list, false);
}

// The paper's Fig. 1 (compare.js): the two shipped 2D parent states, poorly then deeply annealed,
// each quenched and analysed with the Fig. 1 budget of quartic-mode starts. The main views show
// the second; the comparison section shows both.
async function startCompare(how = 'replace') {
  $('preset').value = 'compare';
  if (how === 'push') pushUrl(readForm(), true);
  let fig;
  try {
    fig = await loadFig1();
  } catch (e) {
    fail(`the shipped parent states of Fig. 1 could not be loaded: ${e.message || e}`, true);
    return;
  }
  const raw = readForm();
  const list = fig.parents.map((p) => ({
    label: p.label,
    raw,
    source: p.file,
    fig,
    params: { dim: 2, n: p.n, tp: p.tp, seed: p.seed ?? null, sweeps: 0, quartic: fig.starts, xyz: p.xyz, source: `shipped ${p.label} parent state` },
    fullSpectrumMaxN: wasm.max_particles_full_spectrum(2),
  }));
  showErrors([]);
  $('run-error').textContent = '';
  $('retry').hidden = true;
  await launch(list, true);
}

// A configuration file (picker or drop): checked at once on this thread (inspect_configuration;
// a refusal goes next to the picker), then quenched and analysed in the worker with the form's
// dimension and K.
async function startConfiguration(text, name) {
  const err = $('err-config-file');
  err.textContent = '';
  $('config-file').removeAttribute('aria-invalid');
  $('config-note').textContent = '';
  const raw = readForm();
  const refuse = (message) => {
    err.textContent = `${name}: ${message}`;
    $('config-file').setAttribute('aria-invalid', 'true');
    api.errors = [{ field: 'config-file', message }];
  };
  // a binary file (NUL bytes, or bytes that are not UTF-8 text) is refused as such, without
  // echoing its bytes
  const unreadable = (text.match(/[\u0000\uFFFD]/g) ?? []).length;
  if (unreadable > 0) {
    refuse(`not a text file (${unreadable} byte${unreadable === 1 ? ' is' : 's are'} not text): an extended XYZ configuration is expected`);
    return false;
  }
  let info;
  try {
    info = JSON.parse(wasm.inspect_configuration(text, Number(raw.dim)));
  } catch (e) {
    refuse(e.message || String(e));
    return false;
  }
  const k = Number(raw.quartic === '' ? QUARTIC_DEFAULT : raw.quartic);
  if (!(Number.isInteger(k) && k >= 0)) {
    refuse('the quartic-mode starts K (advanced) must be a whole number ≥ 0');
    return false;
  }
  const tp = Number(info.info.tp);
  $('config-note').textContent = `${name}: ${info.dim}D, N = ${info.n}, density ${info.density.toPrecision(4)}` +
    `${info.info.state ? `, ${info.info.state} state` : ''}${Number.isFinite(tp) ? `, T_p = ${tp} ε/k_B (from the file's header)` : ''}` +
    `${info.notes.length ? ` (${info.notes.join(' ')})` : ''}`;
  const list = [{
    label: name,
    raw,
    source: name,
    params: { dim: info.dim, n: info.n, tp: Number.isFinite(tp) ? tp : null, seed: null, sweeps: 0, quartic: Math.min(k, 2000), xyz: text, source: name },
    fullSpectrumMaxN: wasm.max_particles_full_spectrum(info.dim),
  }];
  showErrors([]);
  $('run-error').textContent = '';
  $('retry').hidden = true;
  $('preset').value = 'custom';
  await launch(list, false);
  return true;
}

async function readConfigurationFile(file) {
  if (!file) return;
  const err = $('err-config-file');
  if (file.size > 20e6) {
    err.textContent = `${file.name}: ${(file.size / 1e6).toFixed(1)} MB is more than the page reads (20 MB); use the command-line tool`;
    $('config-file').setAttribute('aria-invalid', 'true');
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch (e) {
    err.textContent = `${file.name}: the file could not be read (${e.message || e})`;
    return;
  }
  await startConfiguration(text, file.name);
}

// Back to the last finished run on screen (after Cancel, a failure or a crash of a newer run):
// its views redrawn, its exports and pinching usable, the URL its own.
function restoreShown() {
  watch = null;
  stopAnimation();
  if (!shown) {
    markStale(false);
    return;
  }
  const job = shown.job;
  jobs = shown.jobs;
  jobData = shown.jobData;
  api.params = job.job.params;
  try {
    if (drawn !== job) {
      drawAnalysis(job);
      drawSoftSpots(job);
      if (job.spectrum) drawSpectrumViews(job);
      if (shown.data.softest >= 0) showPinch(shown.data, shown.data.softest, shown.data.softestField);
    }
  } catch (e) {
    $('run-error').textContent = `drawing failed: ${e.message || e}`;
  }
  markStale(false);
  labelViews(job.job.params);
  updateShownUrl();
}

function cancel(quiet) {
  stopAnimation();
  if (worker && worker !== shownWorker) {
    worker.w.terminate();
    worker = null;
  }
  watch = null;
  clearInterval(ticker);
  runId += 1;
  if (!quiet) {
    restoreShown();
    $('stage').textContent = shown ? 'cancelled: the last finished run is shown' : 'cancelled';
    $('progress').value = 0;
    setState(shown ? 'done' : 'idle');
  }
}

function fail(message, retry = false) {
  clearInterval(ticker);
  watch = null;
  tick();
  $('run-error').textContent = message;
  $('retry').hidden = !retry;
  $('stage').textContent = shown ? 'failed (the last finished run is shown)' : 'failed';
  setState('error');
}

// ---------------------------------------------------------------- results

// The soft-spot views use the stage data of one job: {analysis (typed arrays), results, spots, spectrum}.
function finish() {
  clearInterval(ticker);
  watch = null;
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
  const compare = jobs.length > 1;
  if (shownWorker && shownWorker !== worker) shownWorker.w.terminate();
  shownWorker = worker;
  shown = { data: d, results, runId, job, jobs, jobData, raw: jobs[jobs.length - 1].raw, compare };
  api.results = results;
  api.xyz = d.xyz;
  api.csv = { pairs: d.pairsCsv, summary: d.summaryCsv };
  api.runSeconds = jobData.reduce((s, x) => s + x.seconds, 0);
  api.stageSeconds = { ...results.timings_seconds, ...(results.soft_spot_timings_seconds ?? {}) };
  if (job.spectrum) api.stageSeconds['full spectrum'] = job.spectrum.seconds;
  api.data = d;
  api.compare = compare ? all : null;
  api.pinch = null;
  api.shownParams = job.job.params;
  try {
    if (compare || drawn !== job) {
      drawAnalysis(job);
      drawSoftSpots(job);
    } else if (!job.spots) {
      drawSoftSpots(job);
    }
    if (job.spectrum) drawSpectrumViews(job);
    if (api.compare) api.fig1 = drawFig1(jobData, jobs[0].fig, fig1Helpers());
    else api.fig1 = null;
    $('compare').hidden = !api.compare;
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  markStale(false);
  labelViews(job.job.params);
  fillResults(results, api.runSeconds, job.job.params);
  updateShownUrl();
  $('stage').textContent = `${jobs.length > 1 ? 'both runs' : 'run'} done in ${api.runSeconds.toFixed(2)} s`;
  $('progress').value = 1;
  const maxN = job.job.fullSpectrumMaxN ?? Infinity;
  const tooLarge = job.job.params.n > maxN;
  $('full-spectrum').hidden = Boolean(job.spectrum) || tooLarge;
  $('full-spectrum').disabled = false;
  if (!job.spectrum) {
    $('vdos-note').textContent = `lowest ${d.lowestEigenvalues.length} of ${d.modeCount} modes (sparse shift-invert Lanczos); ` +
      (tooLarge
        ? `the full vDOS is not offered above N = ${maxN} in ${d.dim}D (its dense eigendecomposition would exceed the browser's memory limit; the CLI computes it); `
        : 'the full vDOS is computed on request; ') + fitNote(job);
  }
  if (d.softest >= 0) {
    api.pinch = pinchInfo(d, d.softest);
    showPinch(d, d.softest, d.softestField);
  }
  keyPair = d.softest;
  done();
  // the next run starts in a worker that is already loaded
  if (!spare) spare = spawnWorker();
}

function labelViews(p) {
  $('views-label').textContent = `These views: ${describe(p)}.`;
}

function done() {
  if (api.loadToDoneSeconds === null) api.loadToDoneSeconds = performance.now() / 1000;
  setState('done');
}

function drawGlass(d, k) {
  const slab = slabOf(d);
  api.glassMapping = Array.from(
    draw.draw_glass('canvas-glass', slab ? slab.positions : d.positions, d.sizes, d.boxLengths, d.dim,
      k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k], '', slab ? slab.thickness : NaN),
  );
  noteSlab(d, k);
}

// ---------------------------------------------------------------- 3D: a slab of the glass

// The slab shown in 3D (thickness in a0 and depth of its centre from the controls): the views
// draw the central slab of the glass shifted periodically along z so that the chosen depth sits
// in the middle. null in 2D or for the whole box.
let slabCache = null;
function slabOf(d) {
  if (!d || d.dim !== 3) return null;
  const t = Number($('slab-thickness').value);
  if (!(t > 0)) return null;
  const [lx, ly, lz] = d.boxLengths;
  const a0 = Math.cbrt((lx * ly * lz) / d.sizes.length);
  const thickness = t * a0;
  if (thickness >= lz) return null;
  const zc = Number($('slab-depth').value) * lz;
  if (!(slabCache && slabCache.d === d && slabCache.zc === zc && slabCache.thickness === thickness)) {
    const positions = Float64Array.from(d.positions);
    for (let k = 2; k < positions.length; k += 3) {
      positions[k] = (((positions[k] - zc + lz / 2) % lz) + lz) % lz;
    }
    // z of a point relative to the slab's centre, periodically in (−L_z/2, L_z/2]
    const offset = (z) => ((((z - zc) % lz) + 1.5 * lz) % lz) - lz / 2;
    slabCache = { d, zc, lz, a0, thickness, positions, inSlab: (z) => Math.abs(offset(z)) <= thickness / 2 };
  }
  return slabCache;
}
// z of the midpoint of particles i and j (j at its nearest periodic image along z)
function midZ(d, i, j) {
  const lz = d.boxLengths[2];
  const zi = d.positions[3 * i + 2];
  let zj = d.positions[3 * j + 2];
  zj -= lz * Math.round((zj - zi) / lz);
  return 0.5 * (zi + zj);
}
// The pairs drawn (and clickable): all in 2D or for the whole box, else those with their
// midpoint in the slab.
function pairsInView(d) {
  const slab = slabOf(d);
  const all = [...d.pairI.keys()];
  return slab ? all.filter((k) => slab.inSlab(midZ(d, d.pairI[k], d.pairJ[k]))) : all;
}
function noteSlab(d, k) {
  $('slab-tools').hidden = !d || d.dim !== 3;
  if (!d || d.dim !== 3) return;
  const slab = slabOf(d);
  if (!slab) {
    $('slab-note').textContent = 'the whole box projected along z (deeper particles paler)';
    return;
  }
  const wrap = (z) => ((z % slab.lz) + slab.lz) % slab.lz;
  const lo = wrap(slab.zc - slab.thickness / 2);
  const hi = wrap(slab.zc + slab.thickness / 2);
  let shownCount = 0;
  for (let m = 2; m < d.positions.length; m += 3) if (slab.inSlab(d.positions[m])) shownCount += 1;
  const pair = k >= 0 && !slab.inSlab(midZ(d, d.pairI[k], d.pairJ[k])) ? '; the pinched pair lies outside this slab (its red outline marks where it projects)' : '';
  $('slab-note').textContent = `z from ${lo.toFixed(2)} to ${hi.toFixed(2)} of L_z = ${slab.lz.toFixed(2)} ` +
    `(periodic): ${shownCount} of ${d.sizes.length} particles; clicks pinch only pairs in the slab${pair}`;
  api.slab = { thickness: slab.thickness, centre: slab.zc, shown: shownCount };
}
function redrawSlab() {
  if (!shown || api.state === 'running') return;
  const d = shown.data;
  if (d.dim !== 3) return;
  const k = api.pinch ? api.pinch.pair : d.softest;
  if (k >= 0 && lastField && lastField.pair === k) showPinch(d, k, lastField.field);
  else drawGlass(d, k);
  if (shown.job.spots) {
    if (api.mode) selectMode(api.mode.index, false);
    else drawMap('canvas-map', shown.job, quarticArrays(shown.job), NaN, NaN, '');
  }
}
let lastField = null;

// The views available right after the harmonic analysis (drawn while quartic modes still run).
function drawAnalysis(job) {
  const d = job.analysis;
  const results = job.results;
  const threshold = wasm.force_filter();
  drawn = job;
  drawGlass(d, d.softest);
  if (d.trace.length > 0) {
    draw.draw_energy_trace(
      'canvas-trace', d.traceSweeps, d.trace, d.tuneSweeps, d.tauAlpha, d.tauMeasured,
    );
  } else {
    clearView('canvas-trace', 'no swap Monte Carlo: a loaded configuration');
  }
  const relax = results.swap_mc?.relaxation;
  const traceNote = document.getElementById('trace-note');
  if (traceNote) {
    traceNote.textContent = relax ? `Parent state ${relax.verdict}` : '';
    traceNote.dataset.equilibrated = relax?.equilibrated ? 'yes' : 'no';
  }
  drawVdos('canvas-vdos', job, undefined, '');
  draw.draw_pinch_scatter(
    'canvas-pinches', d.pairScaledForce, d.pairOmega, results.omega_g ?? NaN, threshold, plotUnits(job),
  );
  if (d.softest >= 0) showPinch(d, d.softest, d.softestField);
  const p = job.job.params;
  const label = describe(p);
  if (d.softest < 0) describeCanvas('canvas-glass', `The quenched glass (${label}): ${d.sizes.length} discs coloured by size; no weakly loaded pair to pinch.`);
  const tr = d.trace;
  if (tr.length > 0) describeCanvas('canvas-trace', `Swap Monte Carlo energy per particle U/N against sweeps (${label}): from ${fmt(tr[0], 5)} to ${fmt(tr[tr.length - 1], 5)} ε over ${p.sweeps} sweeps; ${relax ? `parent state ${relax.verdict}` : 'τα not measured'}.`);
  describeCanvas('canvas-pinches', `Pinch frequency ω_g^(ij) of each of the ${d.pairOmega.length} interacting pairs against the force it carries, f/(p a0^(d−1)) (${label}): ω_g = ${fmt(results.omega_g, 4)} over the ${results.n_pairs_filtered} pairs below the 10^−2 filter, ${fmt(results.omega_g_all, 4)} over all pairs (frequencies in model units, √(ε/m) per length unit).`);
  for (const id of ['canvas-glass', 'canvas-field', 'canvas-trace', 'canvas-vdos', 'canvas-pinches']) fresh(id);
  labelViews(p);
  if (api.firstPlotSeconds === null) api.firstPlotSeconds = performance.now() / 1000;
}

// The data plots' units: [c∞/a0, a0] of the shipped calibration when the run is in the paper's
// units (its T_p in T_onset), undefined for the model's.
function plotUnits(job) {
  const u = job?.job?.params?.paper;
  api.plotUnits = u ? [u.frequency_unit, u.a0] : null;
  // the captions of the views drawn in these units say which (index.html: .units[data-when])
  document.body.dataset.plotUnits = u ? 'paper' : 'model';
  return u ? Float64Array.of(u.frequency_unit, u.a0) : undefined;
}

// A canvas's text alternative (role="img"): what it shows and its key numbers.
function describeCanvas(id, text) {
  const c = $(id);
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', text);
}

// vDOS: the full spectrum once computed, else the lowest modes (their counts N(ω) are exact).
function drawVdos(canvasId, job, axes, title) {
  const [ev, nz] = job.spectrum
    ? [job.spectrum.eigenvalues, job.spectrum.nZeroModes]
    : [job.analysis.lowestEigenvalues, 0];
  const fit = job.results?.a_g_fit;
  const out = draw.draw_vdos(canvasId, ev, nz, job.analysis.dim, axes, title, fit?.window, fit?.a_g ?? undefined,
    job.results?.n, plotUnits(job));
  const w = Array.from(ev.subarray(nz), (l) => Math.sqrt(Math.max(l, 0))).filter((x) => x > 0);
  describeCanvas(canvasId, `${title ? `${title}: ` : ''}cumulative count N(ω) of vibrational modes on log–log axes, ` +
    `${job.spectrum ? 'all' : 'the lowest'} ${w.length} mode${w.length === 1 ? '' : 's'} of ${job.analysis.modeCount}, ω from ${fmt(w[0], 3)} to ${fmt(w[w.length - 1], 3)}; ` +
    (fit?.a_g ? `A_g = ${fmt(fit.a_g, 3)} below ω = ${fmt(fit.window, 3)}` : `${fit?.modes_below_window ?? 0} modes below the A_g window ω = ${fmt(fit?.window, 3)}`)
    + ' (model units, ω in √(ε/m) per length unit).');
  return out;
}

function vdosAxes(job) {
  return job.spectrum
    ? wasm.vdos_axes(job.spectrum.eigenvalues, job.spectrum.nZeroModes)
    : wasm.vdos_axes(job.analysis.lowestEigenvalues, 0);
}

function fitNote(job) {
  const f = job.results?.a_g_fit;
  if (!f) return '';
  // in the units of the plot beside it: A_g (a frequency⁻⁵) and ω in c∞/a0 with the paper's units
  const u = plotUnits(job);
  const [w, unit] = u ? [u[0], ' c∞/a0'] : [1, ''];
  const window = `ω = ${fmt(f.window / w, 3)}${unit}`;
  return f.a_g
    ? `A_g = ${fmt(f.a_g * w ** 5, 3)}${u ? ' (c∞/a0)⁻⁵' : ''} from ${f.modes_below_window} modes below the window ${window}`
    : `${f.modes_below_window} mode${f.modes_below_window === 1 ? '' : 's'} below the A_g window ${window}: too few to fit A_g in one glass (an ensemble does it: pinchglass sweep / summarize)`;
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
  if (shown.job.job.params.n > (shown.job.job.fullSpectrumMaxN ?? Infinity)) return;
  spectrumId += 1;
  $('full-spectrum').disabled = true;
  $('vdos-note').textContent = 'computing the full vDOS (dense eigendecomposition)…';
  if (!shownWorker) {
    $('vdos-note').textContent = 'the worker that kept this glass is gone (it crashed): run again to compute its full vDOS';
    return;
  }
  shownWorker.w.postMessage({ type: 'full-spectrum', id: `spectrum-${spectrumId}` });
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
    const why = job.spotsError ? 'no quartic modes: the quartic stage was refused (see K)' : 'quartic modes not computed (K = 0)';
    $('map-note').textContent = job.spotsError ? `no quartic modes: ${job.spotsError}` : why;
    for (const id of SOFT_VIEWS) clearView(id, why);
    api.mode = null;
    api.mapMapping = null;
    return;
  }
  drawMap('canvas-map', job, q, NaN, NaN, '');
  drawParticipation(job);
  const c = job.spots.c_r;
  const L = job.spots.lengths;
  const num = (x) => (x === null || x === undefined ? NaN : x);
  draw.draw_spatial_decay('canvas-decay', d.dim,
    Float64Array.from(c.responses.r), Float64Array.from(c.responses.c.map(num)),
    Float64Array.from(c.modes.r), Float64Array.from(c.modes.c.map(num)),
    num(L.xi_co), num(L.xi_qlm), num(L.xi_g), plotUnits(job));
  for (const id of SOFT_VIEWS) fresh(id);
  const limit = mapThreshold(job);
  const onMap = [...q.omega].filter((w) => w < limit).length;
  describeCanvas('canvas-map', `Soft-spot map (the paper's Fig. 1): ${onMap} of ${q.modes.length} quartic modes with ω_π below ${Number.isFinite(limit) ? fmt(limit, 3) : 'any limit'} drawn as blobs at their core pairs; lowest ω_π = ${fmt(q.modes[0]?.omega, 4)} (frequencies in model units). Arrow keys choose a blob.`);
  describeCanvas('canvas-decay', `Spatial decay r^(2d) c(r) of pinch responses and quartic modes: ξ_co = ${fmt(num(L.xi_co), 3)}, ξ_QLM = ${fmt(num(L.xi_qlm), 3)}, ξ_g = ${fmt(num(L.xi_g), 3)} (lengths in the particle-size unit).`);
  const u = plotUnits(job);
  // an empty map says why and what to do, instead of showing a bare glass
  const none = q.modes.length > 0 && onMap === 0
    ? ` None lies below this cut (the softest: ω_π = ${fmt(q.modes[0]?.omega, 3)}${u ? ` = ${fmt(q.modes[0]?.omega / u[0], 3)} c∞/a0` : ''}): choose a higher cut above to see them.`
    : '';
  // lengths in a0 with the paper's units (as the decay plot beside), else in the particle-size unit
  const len = (x) => (u ? `${fmt(x / u[1], 3)} a0` : fmt(x, 3));
  $('map-note').textContent =
    `${q.modes.length} distinct quartic modes from ${job.spots.quartic_starts} starts in ${job.spotsSeconds.toFixed(2)} s; ` +
    `lengths: ξ_g = ${len(num(L.xi_g))}, ξ_co = ${len(num(L.xi_co))}, ξ_QLM = ${len(num(L.xi_qlm))}${u ? '' : ' (particle-size unit)'}.${none} Click a blob to see and animate its mode.`;
  if (q.modes.length > 0) selectMode(0, false, job);
  else clearView('canvas-mode', 'no quartic mode to show');
}

function drawMap(canvasId, job, q, wmin, wmax, title) {
  const d = job.analysis;
  const slab = canvasId === 'canvas-map' ? slabOf(d) : null;
  const u = plotUnits(job);
  const mapping = draw.draw_soft_spot_map(canvasId, slab ? slab.positions : d.positions, d.sizes, d.boxLengths, d.dim,
    q.coreI, q.coreJ, q.omega, q.participation, mapThreshold(job), wmin, wmax,
    canvasId === 'canvas-map' && api.mode ? api.mode.index : -1, title, slab ? slab.thickness : NaN,
    ...(u ? [u[0], 'ω_π  (c∞/a_0)'] : []));
  if (canvasId === 'canvas-map') api.mapMapping = Array.from(mapping);
}

function drawParticipation(job) {
  if (!job.spots) return;
  const q = quarticArrays(job);
  const [ev, pr] = job.spectrum
    ? [job.spectrum.eigenvalues.subarray(job.spectrum.nZeroModes), job.spectrum.participation.subarray(job.spectrum.nZeroModes)]
    : [job.analysis.lowestEigenvalues, job.analysis.lowestParticipation];
  draw.draw_participation_scatter('canvas-participation', ev, pr, q.omega, q.participation, job.results.omega_g ?? NaN,
    plotUnits(job));
  const qe = [...q.participation];
  describeCanvas('canvas-participation', `Participation ratio e against ω (the SI's Fig. S3): ${ev.length} harmonic modes, e from ${fmt(Math.min(...pr), 2)} to ${fmt(Math.max(...pr), 2)}; ${qe.length} quartic modes, e from ${fmt(Math.min(...qe), 2)} to ${fmt(Math.max(...qe), 2)}.`);
}

let animation = null;
function selectMode(m, animate = true, job = shown?.job) {
  if (!job?.spots) return;
  const q = quarticArrays(job);
  if (m < 0 || m >= q.modes.length) return;
  const mode = q.modes[m];
  api.mode = { index: m, omega: mode.omega, participation: mode.participation, core: mode.core, hits: mode.hits };
  drawMap('canvas-map', job, q, NaN, NaN, '');
  const field = Float64Array.from(mode.field);
  const d = job.analysis;
  const title = `quartic mode ${m + 1}: ω_π = ${fmt(mode.omega, 4)}, e = ${fmt(mode.participation, 3)}, core (${mode.core[0]}, ${mode.core[1]}), ${mode.hits} start${mode.hits === 1 ? '' : 's'}`;
  stopAnimation();
  const slab = slabOf(d);
  const frame = (phase) => draw.draw_mode_field('canvas-mode', slab ? slab.positions : d.positions, d.sizes, d.boxLengths, d.dim,
    field, phase, 0.5, title, slab ? slab.thickness : NaN);
  describeCanvas('canvas-mode', `The selected ${title}; arrows show its displacement pattern.`);
  $('map-live').textContent = `selected ${title}`;
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
  const d = job.analysis;
  const slab = slabOf(d);
  const visible = [...q.omega.keys()].filter((m) => q.omega[m] < limit && (!slab || slab.inSlab(midZ(d, q.coreI[m], q.coreJ[m]))));
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

// What compare.js needs from this file to draw Fig. 1.
function fig1Helpers() {
  const f = Number($('map-threshold').value);
  return { wasm: draw, drawVdos, vdosAxes, quarticArrays, describeCanvas, threshold: f > 0 ? f : Infinity, threads: api.threads };
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

function fillResults(r, seconds, p) {
  const mc = r.swap_mc;
  const t = r.timings_seconds;
  const rows = [['results of', describe(p)]];
  const u = p?.paper;
  if (u) {
    const f = u.frequency_unit;
    rows.push(['in the paper\'s units', `T_p = ${p.tpOnset} T_onset (T_onset = ${u.t_onset} ε/k_B, ${onsetSource(u)})`]);
    rows.push(['ω_g (c∞/a0)', fmt(r.omega_g / f)]);
    rows.push(['G / G∞', fmt(r.shear_modulus / u.g_inf, 4)]);
    if (r.quartic_modes?.length) rows.push(['lowest ω_π (c∞/a0)', fmt(r.quartic_modes[0].omega / f)]);
    if (r.lengths) rows.push(['ξ_g (a0)', fmt(r.lengths.xi_g / u.a0, 4)]);
  }
  rows.push(...[
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
    ['MC acceptance (displacement / swap)', mc ? `${fmt(mc.displacement_acceptance, 3)} / ${fmt(mc.swap_acceptance, 3)}` : 'no swap Monte Carlo (a loaded configuration)'],
  ]);
  if (r.quartic_modes) {
    rows.push(['quartic modes (distinct / starts)', `${r.quartic_modes.length} / ${r.quartic_starts}`]);
    rows.push(['lowest ω_π, its participation e', r.quartic_modes.length ? `${fmt(r.quartic_modes[0].omega)}, ${fmt(r.quartic_modes[0].participation, 3)}` : '—']);
    rows.push(['ξ_g = 2π c_s/ω_g / ξ_co / ξ_QLM (length)', `${fmt(r.lengths.xi_g, 4)} / ${fmt(r.lengths.xi_co, 4)} / ${fmt(r.lengths.xi_qlm, 4)}`]);
  }
  // in pipeline order (the module's JSON objects come with sorted keys); unknown stages last
  const at = (stage) => (STAGE_ORDER.includes(stage) ? STAGE_ORDER.indexOf(stage) : STAGE_ORDER.length);
  const stages = Object.entries(api.stageSeconds ?? t).sort(([a], [b]) => at(a) - at(b));
  for (const [stage, secs] of stages) rows.push([`time: ${stage}`, `${secs.toFixed(3)} s`]);
  rows.push([`time: whole ${shown?.compare ? 'comparison' : 'run'} (worker)`, `${seconds.toFixed(3)} s`]);
  rows.push(['build', `${api.build}, ${api.threads} thread${api.threads === 1 ? '' : 's'}`]);
  $('results').tBodies[0].replaceChildren(...rows.map(row));
}

// ---------------------------------------------------------------- click to pinch

function requestPinch(k) {
  if (!shown || k < 0 || k >= shown.data.pairI.length) return;
  if (!shownWorker) {
    $('pinch-info').textContent = 'the worker that kept this glass is gone (it crashed): run again to pinch it';
    return;
  }
  pinchId += 1;
  keyPair = k;
  $('pinch-info').textContent = `pinching pair ${shown.data.pairI[k]}–${shown.data.pairJ[k]}…`;
  shownWorker.w.postMessage({ type: 'pinch-field', id: pinchId, pair: k });
}

// Keyboard pinching on the glass view: the arrow keys step through the interacting pairs from the
// softest (lowest ω_g^(ij)) up, drawing the highlighted pair in red; Enter or Space pinches it.
let keyPair = -1;
let pairOrder = null;
function onGlassKey(e) {
  if (!shown || api.state === 'running') return;
  const d = shown.data;
  const slabKey = slabOf(d) ?? null;
  if (!pairOrder || pairOrder.data !== d || pairOrder.slab !== slabKey) {
    pairOrder = { data: d, slab: slabKey, order: pairsInView(d).sort((a, b) => d.pairOmega[a] - d.pairOmega[b]) };
  }
  const order = pairOrder.order;
  if (order.length === 0) return;
  const at = Math.max(0, order.indexOf(keyPair));
  let next = null;
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = order[Math.min(order.length - 1, at + 1)];
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = order[Math.max(0, at - 1)];
  else if (e.key === 'Home') next = order[0];
  else if (e.key === 'End') next = order[order.length - 1];
  else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    requestPinch(keyPair >= 0 ? keyPair : order[0]);
    return;
  } else return;
  e.preventDefault();
  keyPair = next;
  drawGlass(d, next);
  const rank = order.indexOf(next) + 1;
  $('glass-live').textContent = `pair ${d.pairI[next]}–${d.pairJ[next]}, ${rank} of ${order.length} by ω_g^(ij) = ${fmt(d.pairOmega[next], 4)}, ` +
    `f/(p a0^(d−1)) = ${fmt(d.pairScaledForce[next], 3)}: press Enter to pinch it`;
}

// Keyboard blob selection on the soft-spot map: the arrow keys step through the modes on the map
// (softest first), Enter starts or stops the animation.
function onMapKey(e) {
  if (!shown?.job?.spots || api.state === 'running') return;
  const job = shown.job;
  const q = quarticArrays(job);
  const limit = mapThreshold(job);
  const visible = [...q.omega.keys()].filter((m) => q.omega[m] < limit).sort((a, b) => q.omega[a] - q.omega[b]);
  if (visible.length === 0) return;
  const at = Math.max(0, visible.indexOf(api.mode?.index ?? -1));
  let next = null;
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = visible[Math.min(visible.length - 1, at + 1)];
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = visible[Math.max(0, at - 1)];
  else if (e.key === 'Home') next = visible[0];
  else if (e.key === 'End') next = visible[visible.length - 1];
  else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    if (animation) stopAnimation();
    else if (api.mode) selectMode(api.mode.index, true);
    return;
  } else return;
  e.preventDefault();
  selectMode(next, false);
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
  lastField = { pair: k, field };
  drawGlass(d, k);
  const slab = slabOf(d);
  api.fieldMapping = Array.from(draw.draw_pinch_field('canvas-field', slab ? slab.positions : d.positions, d.sizes, d.boxLengths,
    d.dim, field, p.i, p.j, p.omega, p.scaledForce, slab ? slab.thickness : NaN));
  const info = $('pinch-info');
  info.replaceChildren();
  const line = (label, value, unit, key) => {
    const div = document.createElement('div');
    const v = document.createElement('span');
    v.id = `pinch-${key}`;
    v.dataset.value = String(value);
    v.textContent = typeof value === 'number' ? fmt(value, 6) : value;
    div.append(...label, ' ', v, unit ? ` ${unit}` : '');
    info.append(div);
  };
  // sub- and superscripts as the plots draw them (ω_g^(ij), a₀^(d−1))
  const tag = (name, text) => Object.assign(document.createElement(name), { textContent: text });
  line(['pinched pair (i, j):'], `${p.i}, ${p.j}`, '', 'pair');
  line(['ω', tag('sub', 'g'), tag('sup', '(ij)'), ' ='], p.omega, '√(ε/m)/length', 'omega');
  line(['f/(p a', tag('sub', '0'), tag('sup', 'd−1'), ') ='], p.scaledForce, '', 'force');
  api.pinch = p;
  const who = drawn?.job?.params ? ` (${describe(drawn.job.params)})` : '';
  describeCanvas('canvas-glass', `The quenched ${d.dim}D glass${who}: ${d.sizes.length} discs coloured by size; the pinched pair ${p.i}–${p.j} is outlined in red. Focus it and use the arrow keys and Enter to pinch another pair.`);
  describeCanvas('canvas-field', `Response u = H⁺d to pinching pair ${p.i}–${p.j}, one arrow per particle: ω_g^(ij) = ${fmt(p.omega, 4)}, f/(p a0^(d−1)) = ${fmt(p.scaledForce, 3)}.`);
}

function onGlassClick(event) {
  const c = event.currentTarget;
  const mapping = c.id === 'canvas-field' ? api.fieldMapping : api.glassMapping;
  if (api.state !== 'done' || !shown || !mapping) return;
  const p = clickPoint(event, mapping);
  if (!p) return;
  const d = shown.data;
  const inView = pairsInView(d);
  const k = wasm.nearest_pair(d.positions, d.boxLengths, d.dim,
    Uint32Array.from(inView, (m) => d.pairI[m]), Uint32Array.from(inView, (m) => d.pairJ[m]), p.x, p.y);
  if (k >= 0) requestPinch(inView[k]);
}

// ---------------------------------------------------------------- exports

function baseName() {
  const p = api.params;
  if (p.xyz) return `pinchglass-${String(p.source).replace(/\.[a-z]+$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60)}-quenched`;
  return `pinchglass-d${p.dim}-n${p.n}-tp${p.tp}-seed${p.seed}-sweeps${p.sweeps}`;
}

async function copyLink() {
  const file = fileOf(shown);
  if (file !== null) {
    // a link cannot carry the file: say so rather than copy a link to another glass
    $('share-link').hidden = true;
    $('share-note').textContent = `this glass comes from the file ${file}, which a link cannot carry: ` +
      'share the file, or the quenched configuration (download below), and load it with the picker';
    return;
  }
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

// A link naming a mode or a preset the page does not have: the page says what it shows instead
// (under the tabs), rather than silently showing something else.
function linkNote() {
  const q = new URLSearchParams(location.search);
  const notes = [];
  const m = q.get('mode');
  if (m !== null && !MODES.includes(m)) notes.push(linkAsks('the mode', m, 'the page does not have', MODES.join(', '), 'Explore'));
  const p = q.get('preset');
  if (p !== null && p !== 'compare') notes.push(linkAsks('the preset', p, 'a link cannot name', 'only preset=compare', 'the glass of the link\'s other parameters'));
  const file = q.get('file');
  if (file !== null) {
    notes.push(`This link names the configuration file ${file.slice(0, 60)}, which a link cannot carry: load it with the picker ` +
      '(“configuration file” in Explore). Showing the default glass meanwhile.');
  }
  $('url-note').textContent = notes.join(' ');
}

function modeFromUrl() {
  const m = new URLSearchParams(location.search).get('mode');
  return MODES.includes(m) ? m : 'explore';
}

// Shows one mode's panel; the Explore mode runs its first glass when it is first shown. `how`:
// 'push' (a tab chosen: a new history entry), 'replace' (first load, Back/Forward).
async function showMode(m, how = 'replace') {
  if (m === mode) return;
  if (how === 'push') {
    history.pushState(null, '', `${location.pathname}?mode=${m}`);
    $('url-note').textContent = ''; // the user has moved on from the link
  }
  mode = m;
  document.body.dataset.mode = m;
  for (const x of MODES) {
    $(`mode-${x}`).hidden = x !== m;
    $(`tab-${x}`).setAttribute('aria-selected', String(x === m));
    $(`tab-${x}`).tabIndex = x === m ? 0 : -1;
  }
  if (m === 'explore') {
    if (exploreStarted) {
      if (shown) updateShownUrl();
      else if (api.state === 'running' && jobs.length) updateUrl(jobs[jobs.length - 1].raw, jobs.length > 1);
      else history.replaceState(null, '', location.pathname);
      return;
    }
    exploreStarted = true;
    startWorker();
    const { params, compare } = paramsFromUrl();
    fillForm(params);
    updateUrl(readForm(), compare);
    if (compare) await startCompare();
    else await startRun();
  } else if (m === 'sweep') {
    showSweep();
  } else {
    await showLecture();
  }
}

// Back / Forward: the mode, the Lecture step and the Explore glass (a preset) of the URL.
async function onPopState() {
  const m = modeFromUrl();
  if (m !== mode) await showMode(m, 'replace');
  else if (m === 'lecture') await lectureFromUrl();
  if (m === 'explore' && exploreStarted) {
    const { params, compare } = paramsFromUrl();
    // (a file's glass is the one asked for when it is shown: a link cannot load a file)
    const file = new URLSearchParams(location.search).get('file');
    const want = exploreUrl({ ...params, density: params.density ?? '', quartic: String(params.quartic) }, compare, file);
    const have = shown ? shownUrl() : null;
    if (want !== have && new URLSearchParams(location.search).toString() !== '') {
      fillForm(params);
      if (compare) await startCompare();
      else await startRun();
    } else if (shown) {
      updateShownUrl();
    }
  }
}

// WAI-ARIA tabs: the arrow keys (and Home / End) move between the tabs and show that mode.
function onTabKey(e) {
  const k = MODES.indexOf(e.target.dataset.mode);
  if (k < 0) return;
  let next = null;
  if (e.key === 'ArrowRight') next = (k + 1) % MODES.length;
  else if (e.key === 'ArrowLeft') next = (k + MODES.length - 1) % MODES.length;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = MODES.length - 1;
  else return;
  e.preventDefault();
  $(`tab-${MODES[next]}`).focus();
  showMode(MODES[next], 'push');
}

// Download buttons named for what they download (their visible text and accessible name).
const VIEW_NAMES = {
  'canvas-glass': 'glass', 'canvas-field': 'pinch response', 'canvas-trace': 'energy trace', 'canvas-vdos': 'vDOS',
  'canvas-pinches': 'pinch frequencies', 'canvas-map': 'soft-spot map', 'canvas-mode': 'quartic mode',
  'canvas-participation': 'participation', 'canvas-decay': 'spatial decay',
  'canvas-compare-glass-a': 'poorly annealed glass', 'canvas-compare-glass-b': 'deeply annealed glass',
  'canvas-compare-vdos-a': 'poorly annealed vDOS', 'canvas-compare-vdos-b': 'deeply annealed vDOS',
  'canvas-compare-map-a': 'poorly annealed soft-spot map', 'canvas-compare-map-b': 'deeply annealed soft-spot map',
  'sweep-fig2': 'Fig. 2', 'sweep-fig4a': 'Fig. 4a', 'sweep-fig4b': 'Fig. 4b', 'sweep-fig5': 'Fig. 5',
  'sweep-fig6': 'Fig. 6', 'sweep-figS1': 'Fig. S1', 'lecture-canvas': 'lecture figure',
};
function nameDownloadButtons() {
  for (const b of document.querySelectorAll('button.png')) {
    const name = VIEW_NAMES[b.dataset.canvas] ?? b.dataset.canvas;
    b.textContent = `${name} (PNG)`;
    b.setAttribute('aria-label', `download the ${name} view as a PNG image`);
  }
}

// ---------------------------------------------------------------- start

async function main() {
  const plan = await isolationPlan();
  api.isolation = plan.note;
  const first = modeFromUrl();
  linkNote();
  // the Explore worker loads its wasm while the drawing module initialises (other modes: later)
  api.watchdog = WATCHDOG;
  if (first === 'explore') startWorker();
  else $('build-note').textContent = 'the compute worker starts when this mode is first shown';
  await initDraw();
  wasm.init();
  $('hint-n').textContent = `${wasm.min_particles(2)} … ${wasm.max_particles(2)} (2D), ${wasm.min_particles(3)} … ${wasm.max_particles(3)} (3D) at the default density`;
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    if ($('preset').value === 'compare') startCompare();
    else startRun();
  });
  $('controls').addEventListener('input', (e) => {
    clearFieldError(e.target.id);
    if (FIELDS.includes(e.target.id)) $('preset').value = matchingPreset(readForm());
    if (['units', 'dim', 'density'].includes(e.target.id)) showUnits();
  });
  $('preset').addEventListener('change', () => {
    const name = $('preset').value;
    if (name === 'compare') startCompare('push');
    else if (PRESETS[name]) startRun({ ...PRESETS[name], density: '' }, 'push');
  });
  $('cancel').addEventListener('click', () => cancel());
  $('retry').addEventListener('click', () => {
    if (lastLaunch && accept(lastLaunch[0])) launch(...lastLaunch);
  });
  $('export-xyz').addEventListener('click', () => download(`${baseName()}.xyz`, api.xyz, 'chemical/x-xyz'));
  $('export-json').addEventListener('click', () =>
    download(`${baseName()}.json`, JSON.stringify(api.results, null, 1), 'application/json'),
  );
  $('export-pairs-csv').addEventListener('click', () => download(`${baseName()}-pairs.csv`, api.csv.pairs, 'text/csv'));
  $('export-summary-csv').addEventListener('click', () =>
    download(`${baseName()}-summary.csv`, api.csv.summary, 'text/csv'),
  );
  $('copy-link').addEventListener('click', copyLink);
  $('config-file').addEventListener('change', async (e) => {
    await readConfigurationFile(e.target.files?.[0]);
    e.target.value = ''; // choosing the same file again runs it again
  });
  for (const target of [$('panel'), $('canvas-glass')]) {
    target.addEventListener('dragover', (e) => {
      if ([...(e.dataTransfer?.types ?? [])].includes('Files')) {
        e.preventDefault();
        target.classList.add('drop-target');
      }
    });
    target.addEventListener('dragleave', () => target.classList.remove('drop-target'));
    target.addEventListener('drop', (e) => {
      e.preventDefault();
      target.classList.remove('drop-target');
      readConfigurationFile(e.dataTransfer?.files?.[0]);
    });
  }
  for (const b of document.querySelectorAll('#mode-explore button.png')) {
    b.addEventListener('click', () => download(`${baseName()}-${b.dataset.canvas.replace('canvas-', '')}.png`,
      pngDataUrl(b.dataset.canvas)));
  }
  $('canvas-glass').addEventListener('click', onGlassClick);
  $('canvas-field').addEventListener('click', onGlassClick);
  $('canvas-map').addEventListener('click', onMapClick);
  $('canvas-glass').addEventListener('keydown', onGlassKey);
  $('canvas-map').addEventListener('keydown', onMapKey);
  nameDownloadButtons();
  $('full-spectrum').addEventListener('click', requestFullSpectrum);
  $('animate').addEventListener('click', () => {
    if (animation) stopAnimation();
    else if (api.mode) selectMode(api.mode.index, true);
  });
  $('slab-thickness').addEventListener('change', redrawSlab);
  $('slab-depth').addEventListener('input', redrawSlab);
  $('map-threshold').addEventListener('change', () => {
    if (shown?.job?.spots && api.state === 'done') {
      drawSoftSpots(shown.job);
      if (api.compare) api.fig1 = drawFig1(shown.jobData, shown.jobs[0].fig, fig1Helpers());
    }
  });
  initSweep(api, plan);
  initLecture(api);
  for (const m of MODES) {
    $(`tab-${m}`).addEventListener('click', () => showMode(m, 'push'));
    $(`tab-${m}`).addEventListener('keydown', onTabKey);
  }
  window.addEventListener('popstate', () => onPopState().catch((e) => fail(`navigation failed: ${e.message || e}`)));
  await showMode(first);
}

main().catch((e) => {
  if (!unloading) fail(`the page failed to start: ${e.message || e}`);
});
