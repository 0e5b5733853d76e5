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
import { draw, pngDataUrl } from './png.js';
import { initLecture, showLecture, lectureFromUrl } from './lecture.js';

const FIELDS = ['dim', 'n', 'tp', 'seed', 'sweeps', 'density'];
const QUARTIC_DEFAULT = 30; // pinch starts of the quartic modes (plus one shear start per plane)
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

// Checks the fields as typed with the module's rules (the CLI's, src/validate.rs, plus the
// browser's limits) before anything is computed: a missing or non-numeric field is refused in
// words ("N is required", "T_p must be a finite number"), K is bounded by N. Returns {params,
// errors, fullSpectrumMaxN}; params is null when anything is refused.
function validate(raw) {
  const text = (v) => (v === undefined || v === null ? '' : String(v));
  const out = JSON.parse(wasm.check_form(text(raw.dim), text(raw.n), text(raw.tp), text(raw.seed), text(raw.sweeps),
    text(raw.density), text(raw.quartic), QUARTIC_DEFAULT));
  const p = out.params;
  const params = p ? { ...p, density: p.density ?? undefined } : null;
  return { params, errors: out.errors, fullSpectrumMaxN: out.full_spectrum_max_n };
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

function exploreUrl(raw, compare) {
  const q = new URLSearchParams();
  if (compare) q.set('preset', 'compare');
  for (const f of FIELDS) if (raw[f] !== '' && raw[f] !== undefined) q.set(f, raw[f]);
  if (raw.quartic !== '' && raw.quartic !== undefined && Number(raw.quartic) !== QUARTIC_DEFAULT) q.set('quartic', raw.quartic);
  return `${location.pathname}?${q}`;
}

// The URL describes the run on screen (replaced when a run finishes or is cancelled); choosing a
// preset adds a history entry (Back returns to the previous glass). Only while Explore is shown.
function updateUrl(raw, compare) {
  if (mode === 'explore') history.replaceState(null, '', exploreUrl(raw, compare));
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

// Watchdog: a run whose worker neither reports progress nor finishes within the allowance of its
// stage is stopped with a message and a retry. The allowance is FLOOR + FACTOR × the stage's
// expected duration between two progress reports (rough wasm timings on 2 busy cores, from N and
// the stage; single faer calls report nothing until they end). window.pinchglass.watchdog.
// startup: seconds for a new worker to post 'ready' before it is replaced (twice at most). In Firefox
// 153 ESR about 1 start in 15 stalls inside initThreadPool: wasm-bindgen-rayon's `new Worker()` for a
// thread, called in the compute worker, never returns (scripts/firefox-starts.mjs with the step
// log); a fresh worker then starts normally. A normal start takes 1–3 s.
const WATCHDOG = { floor: 30, factor: 10, startup: 12 };
function expectedStageSeconds(stage, p) {
  const dof = p.dim * p.n;
  const k = dof / 1000;
  switch (stage) {
    case 'starting': return 5;
    case 'swap Monte Carlo': return (p.sweeps * p.n * 1e-5) / 100; // reported every 1 %
    case 'quench': return 0.002 * p.n;
    case 'forces': case 'hessian': case 'shear modulus': return 0.5 * k;
    case 'factorisation': return 2 * k * k;
    case 'pinches': return 2 * k * k;
    case 'lowest modes': return 3 * k * k;
    case 'quartic modes': return 3 * k;
    case 'full spectrum': return 10 * k * k * k;
    default: return 2 * k * k;
  }
}
let watch = null; // {stage, since, allowance}
function watchStage(stage) {
  const p = jobs[Math.max(0, jobData.length - 1)]?.params ?? { dim: 2, n: 300, sweeps: 300 };
  const allowance = WATCHDOG.floor + WATCHDOG.factor * expectedStageSeconds(stage, p);
  watch = { stage, since: performance.now(), allowance };
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
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
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
    $('stage').textContent = 'not run: fix the highlighted parameters';
    setState('error');
    return false;
  }
  return true;
}

// The parameters of a job in words (labels of the views and the results).
function describe(p) {
  if (!p) return '';
  const density = p.density ?? (p.dim === 2 ? 0.86 : 0.58); // the CLI's defaults (validate::default_density)
  return `${p.dim}D, N = ${p.n}, T_p = ${p.tp}, seed ${p.seed}, ${p.sweeps} sweeps, density ${density}, K = ${p.quartic}`;
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

// Two runs with the form's dim, N, seed and density: poorly then well annealed. The main views
// show the second; the comparison section shows both.
async function startCompare(how = 'replace') {
  const base = readForm();
  const list = ['poor', 'well'].map((name) => ({
    label: `${PRESETS[name].label}, T_p = ${PRESETS[name].tp}`,
    raw: { ...base, tp: String(PRESETS[name].tp), sweeps: String(PRESETS[name].sweeps), quartic: base.quartic },
  }));
  fillForm(list[1].raw);
  $('preset').value = 'compare';
  if (how === 'push') pushUrl(readForm(), true);
  if (accept(list)) await launch(list, true);
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
  updateUrl(shown.raw, shown.compare);
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
    if (api.compare) drawCompare(jobData, all);
    $('compare').hidden = !api.compare;
  } catch (e) {
    fail(`drawing failed: ${e.message || e}`);
    return;
  }
  markStale(false);
  labelViews(job.job.params);
  fillResults(results, api.runSeconds, job.job.params);
  updateUrl(shown.raw, compare);
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
  api.glassMapping = Array.from(
    draw.draw_glass('canvas-glass', d.positions, d.sizes, d.boxLengths, d.dim,
      k < 0 ? -1 : d.pairI[k], k < 0 ? -1 : d.pairJ[k], ''),
  );
}

// The views available right after the harmonic analysis (drawn while quartic modes still run).
function drawAnalysis(job) {
  const d = job.analysis;
  const results = job.results;
  const threshold = wasm.force_filter();
  drawn = job;
  drawGlass(d, d.softest);
  draw.draw_energy_trace(
    'canvas-trace', d.traceSweeps, d.trace, d.tuneSweeps, d.tauAlpha, d.tauMeasured,
  );
  const relax = results.swap_mc?.relaxation;
  const traceNote = document.getElementById('trace-note');
  if (traceNote) {
    traceNote.textContent = relax ? `τα ${relax.verdict}` : '';
    traceNote.dataset.equilibrated = relax?.equilibrated ? 'yes' : 'no';
  }
  drawVdos('canvas-vdos', job, undefined, '');
  draw.draw_pinch_scatter(
    'canvas-pinches', d.pairScaledForce, d.pairOmega, results.omega_g ?? NaN, threshold,
  );
  if (d.softest >= 0) showPinch(d, d.softest, d.softestField);
  const p = job.job.params;
  const label = describe(p);
  if (d.softest < 0) describeCanvas('canvas-glass', `The quenched glass (${label}): ${d.sizes.length} discs coloured by size; no weakly loaded pair to pinch.`);
  const tr = d.trace;
  describeCanvas('canvas-trace', `Swap Monte Carlo energy per particle U/N against sweeps (${label}): from ${fmt(tr[0], 5)} to ${fmt(tr[tr.length - 1], 5)} ε over ${p.sweeps} sweeps; ${relax ? `τα ${relax.verdict}` : 'τα not measured'}.`);
  describeCanvas('canvas-pinches', `Pinch frequency ω_g^(ij) of each of the ${d.pairOmega.length} interacting pairs against the force it carries, f/(p a0^(d−1)) (${label}): ω_g = ${fmt(results.omega_g, 4)} over the ${results.n_pairs_filtered} pairs below the 10^−2 filter, ${fmt(results.omega_g_all, 4)} over all pairs.`);
  for (const id of ['canvas-glass', 'canvas-field', 'canvas-trace', 'canvas-vdos', 'canvas-pinches']) fresh(id);
  labelViews(p);
  if (api.firstPlotSeconds === null) api.firstPlotSeconds = performance.now() / 1000;
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
    job.results?.n);
  const w = Array.from(ev.subarray(nz), (l) => Math.sqrt(Math.max(l, 0))).filter((x) => x > 0);
  describeCanvas(canvasId, `${title ? `${title}: ` : ''}cumulative count N(ω) of vibrational modes on log–log axes, ` +
    `${job.spectrum ? 'all' : 'the lowest'} ${w.length} modes of ${job.analysis.modeCount}, ω from ${fmt(w[0], 3)} to ${fmt(w[w.length - 1], 3)}; ` +
    (fit?.a_g ? `A_g = ${fmt(fit.a_g, 3)} below ω = ${fmt(fit.window, 3)}.` : `${fit?.modes_below_window ?? 0} modes below the A_g window ω = ${fmt(fit?.window, 3)}.`));
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
    num(L.xi_co), num(L.xi_qlm), num(L.xi_g));
  for (const id of SOFT_VIEWS) fresh(id);
  const limit = mapThreshold(job);
  const onMap = [...q.omega].filter((w) => w < limit).length;
  describeCanvas('canvas-map', `Soft-spot map (the paper's Fig. 1): ${onMap} of ${q.modes.length} quartic modes with ω_π below ${Number.isFinite(limit) ? fmt(limit, 3) : 'any limit'} drawn as blobs at their core pairs; lowest ω_π = ${fmt(q.modes[0]?.omega, 4)}. Arrow keys choose a blob.`);
  describeCanvas('canvas-decay', `Spatial decay r^(2d) c(r) of pinch responses and quartic modes: ξ_co = ${fmt(num(L.xi_co), 3)}, ξ_QLM = ${fmt(num(L.xi_qlm), 3)}, ξ_g = ${fmt(num(L.xi_g), 3)} (lengths in the particle-size unit).`);
  $('map-note').textContent =
    `${q.modes.length} distinct quartic modes from ${job.spots.quartic_starts} starts in ${job.spotsSeconds.toFixed(2)} s; ` +
    `lengths: ξ_g = ${fmt(num(L.xi_g), 3)}, ξ_co = ${fmt(num(L.xi_co), 3)}, ξ_QLM = ${fmt(num(L.xi_qlm), 3)}. Click a blob to see and animate its mode.`;
  if (q.modes.length > 0) selectMode(0, false, job);
  else clearView('canvas-mode', 'no quartic mode to show');
}

function drawMap(canvasId, job, q, wmin, wmax, title) {
  const d = job.analysis;
  const mapping = draw.draw_soft_spot_map(canvasId, d.positions, d.sizes, d.boxLengths, d.dim,
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
  draw.draw_participation_scatter('canvas-participation', ev, pr, q.omega, q.participation, job.results.omega_g ?? NaN);
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
  const frame = (phase) => draw.draw_mode_field('canvas-mode', d.positions, d.sizes, d.boxLengths, d.dim, field, phase, 0.5, title);
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
    const title = job.job.label;
    draw.draw_glass(`canvas-compare-glass-${side}`, d.positions, d.sizes, d.boxLengths, d.dim,
      d.softest < 0 ? -1 : d.pairI[d.softest], d.softest < 0 ? -1 : d.pairJ[d.softest], title);
    drawVdos(`canvas-compare-vdos-${side}`, job, axes, title);
    if (job.spots) drawMap(`canvas-compare-map-${side}`, job, qs[m], wmin, wmax, title);
  });
  $('compare-title').textContent =
    `${data[0].job.label} vs ${data[1].job.label}: same N = ${all[0].n}, seed ${all[0].seed}, ${all[0].dim}D`;
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
  for (const text of ['', data[0].job.label, data[1].job.label]) {
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

function fillResults(r, seconds, p) {
  const mc = r.swap_mc;
  const t = r.timings_seconds;
  const rows = [
    ['results of', describe(p)],
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
  if (!pairOrder || pairOrder.data !== d) {
    pairOrder = { data: d, order: [...d.pairOmega.keys()].sort((a, b) => d.pairOmega[a] - d.pairOmega[b]) };
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
  drawGlass(d, k);
  api.fieldMapping = Array.from(draw.draw_pinch_field('canvas-field', d.positions, d.sizes, d.boxLengths,
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

// Shows one mode's panel; the Explore mode runs its first glass when it is first shown. `how`:
// 'push' (a tab chosen: a new history entry), 'replace' (first load, Back/Forward).
async function showMode(m, how = 'replace') {
  if (m === mode) return;
  if (how === 'push') history.pushState(null, '', `${location.pathname}?mode=${m}`);
  mode = m;
  document.body.dataset.mode = m;
  for (const x of MODES) {
    $(`mode-${x}`).hidden = x !== m;
    $(`tab-${x}`).setAttribute('aria-selected', String(x === m));
    $(`tab-${x}`).tabIndex = x === m ? 0 : -1;
  }
  if (m === 'explore') {
    if (exploreStarted) {
      if (shown) updateUrl(shown.raw, shown.compare);
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
    const want = exploreUrl({ ...params, density: params.density ?? '', quartic: String(params.quartic) }, compare);
    const have = shown ? exploreUrl(shown.raw, shown.compare) : null;
    if (want !== have && new URLSearchParams(location.search).toString() !== '') {
      fillForm(params);
      if (compare) await startCompare();
      else await startRun();
    } else if (shown) {
      updateUrl(shown.raw, shown.compare);
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
  'canvas-compare-glass-a': 'poorly annealed glass', 'canvas-compare-glass-b': 'well annealed glass',
  'canvas-compare-vdos-a': 'poorly annealed vDOS', 'canvas-compare-vdos-b': 'well annealed vDOS',
  'canvas-compare-map-a': 'poorly annealed soft-spot map', 'canvas-compare-map-b': 'well annealed soft-spot map',
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
  // the Explore worker loads its wasm while the drawing module initialises (other modes: later)
  api.watchdog = WATCHDOG;
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
  $('map-threshold').addEventListener('change', () => {
    if (shown?.job?.spots && api.state === 'done') {
      drawSoftSpots(shown.job);
      if (api.compare) drawCompare(shown.jobData, api.compare);
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

main().catch((e) => fail(`the page failed to start: ${e.message || e}`));
