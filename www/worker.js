// The compute worker: owns one wasm instance (and, when the page is cross-origin isolated, its
// rayon thread pool). It receives run parameters, reports progress, and posts the results back as
// typed arrays. No physics here: everything comes from the wasm module (src/wasm/).
//
// Protocol (page → worker): {type: 'run', id, params: {dim, n, tp, seed, sweeps, density?} or
//     {dim, xyz (an extended-XYZ text: quenched and analysed, no swap MC)},
//     quartic: K (0 = none), fullSpectrum: bool}
//   | {type: 'pinch-field', id, pair} (the response field of pair `pair` of the last run)
//   | {type: 'full-spectrum', id} (the whole vDOS of the last run, on request)
//   | {type: 'sweep', id, params: {dim, n, seed, sweeps, density?, route, quartic?}, plan: [{tp, index}]}
//     (Temperature sweep mode: one ensemble sample per plan entry, one after another)
// (worker → page): {type: 'ready', build, threads, initSeconds} | {type: 'fatal', message}
//   | {type: 'progress', id, stage, fraction}
//   | {type: 'analysis', id, ...arrays, results, xyz, pairsCsv, summaryCsv, seconds, softest, softestField}
//   | {type: 'soft-spots', id, json, seconds} | {type: 'soft-spots-error', id, message}
//   | {type: 'spectrum', id, eigenvalues, participation, nZeroModes, seconds}
//   | {type: 'spectrum-error', id, message}
//   | {type: 'done', id, seconds} (every stage of a run has been posted)
//   | {type: 'error', id, message} | {type: 'pinch-field', id, pair, field} | {type: 'pinch-error', id, message}
//   | {type: 'sweep-progress', id, k, total, tp, index} (sample k starts)
//   | {type: 'sweep-sample', id, k, total, tp, index, record, seconds} (its record: a `pinchglass sweep` JSON line)
//   | {type: 'sweep-done', id, seconds} | {type: 'sweep-error', id, k, tp, index, message}
// Every *error message has `crashed: true` when the wasm instance trapped (then it is unusable and
// the page starts a fresh worker). A run with crashTest: true (tests only) traps on purpose.
// A run posts 'analysis' as soon as the glass is analysed (the page draws at once), then the
// soft spots and the full spectrum when asked for, then 'done'. Only the last run is kept.
// Cancel = the page terminates this worker and starts a fresh one.

const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
let pkg = null;

// Each step of the start is reported ({type: 'starting', step}), so that a start that stalls says
// where (the page replaces a worker that does not start in time).
async function start() {
  const t0 = performance.now();
  const step = (s) => postMessage({ type: 'starting', step: s, seconds: (performance.now() - t0) / 1000 });
  if (threaded) {
    step('import');
    pkg = await import('./pkg-threads/pinchglass.js');
    step('instantiate');
    await pkg.default();
    pkg.init();
    step('thread pool');
    await pkg.initThreadPool(navigator.hardwareConcurrency);
  } else {
    step('import');
    pkg = await import('./pkg-single/pinchglass.js');
    step('instantiate');
    await pkg.default();
    pkg.init();
  }
  postMessage({
    type: 'ready',
    build: pkg.threaded_build() ? 'threaded' : 'single-threaded',
    threads: pkg.thread_count(),
    initSeconds: (performance.now() - t0) / 1000,
  });
}

const ready = start().catch((e) => {
  postMessage({ type: 'fatal', message: `the compute module failed to start: ${e}` });
  throw e;
});

let current = null; // the last GlassRun, kept for pinch fields and later stages

const message = (e) => (e instanceof Error ? e.message : String(e));
// A wasm trap (the module aborts on panic: "unreachable", "memory access out of bounds") leaves the
// instance unusable: such errors carry `crashed: true` and the page replaces this worker.
const crashed = (e) => e instanceof WebAssembly.RuntimeError || /unreachable|out of bounds|capacity overflow|RuntimeError/.test(message(e));

// The weakly loaded pair with the lowest ω_g^(ij) (a selection for display, -1 if none).
function softestPair(omega, scaledForce, threshold) {
  let best = -1;
  for (let k = 0; k < omega.length; k++) {
    if (scaledForce[k] < threshold && (best < 0 || omega[k] < omega[best])) best = k;
  }
  return best;
}

function postSpectrum(id) {
  try {
    const seconds = current.full_spectrum((stage, fraction) => postMessage({ type: 'progress', id, stage, fraction }));
    const eigenvalues = current.eigenvalues();
    const participation = current.participation();
    postMessage({ type: 'spectrum', id, eigenvalues, participation, nZeroModes: current.n_zero_modes(), seconds },
      [eigenvalues.buffer, participation.buffer]);
  } catch (e) {
    postMessage({ type: 'spectrum-error', id, message: message(e), crashed: crashed(e) });
  }
}

function run(id, p, quartic, fullSpectrum) {
  const t0 = performance.now();
  const progress = (stage, fraction) => postMessage({ type: 'progress', id, stage, fraction });
  if (current) {
    current.free();
    current = null;
  }
  // a loaded configuration (shipped parent state or the user's file): quench + analysis, no swap MC
  const r = p.xyz
    ? pkg.run_configuration(p.xyz, p.dim, progress)
    : pkg.run_glass(p.dim, p.n, p.tp, p.seed, p.sweeps, p.density ?? undefined, progress);
  current = r;
  const arrays = {
    positions: r.positions(),
    sizes: r.sizes(),
    boxLengths: r.box_lengths(),
    lowestEigenvalues: r.lowest_eigenvalues(),
    lowestParticipation: r.lowest_participation(),
    pairI: r.pair_i(),
    pairJ: r.pair_j(),
    pairOmega: r.pair_omega(),
    pairScaledForce: r.pair_scaled_force(),
    traceSweeps: r.energy_trace_sweeps(),
    trace: r.energy_trace(),
  };
  const softest = softestPair(arrays.pairOmega, arrays.pairScaledForce, pkg.force_filter());
  if (softest >= 0) arrays.softestField = r.pinch_field(softest);
  postMessage(
    {
      type: 'analysis',
      id,
      dim: r.dim(),
      modeCount: r.mode_count(),
      tuneSweeps: r.tune_sweeps(),
      tauAlpha: r.tau_alpha(),
      tauMeasured: r.tau_alpha_measured(),
      results: r.results_json(),
      xyz: r.xyz(),
      pairsCsv: r.pairs_csv(),
      summaryCsv: r.summary_csv(),
      seconds: (performance.now() - t0) / 1000,
      softest,
      ...arrays,
    },
    Object.values(arrays).map((a) => a.buffer),
  );
  if (quartic > 0) {
    const t = performance.now();
    try {
      const json = r.soft_spots(quartic, progress);
      postMessage({ type: 'soft-spots', id, json, seconds: (performance.now() - t) / 1000 });
    } catch (e) {
      postMessage({ type: 'soft-spots-error', id, message: message(e), crashed: crashed(e) });
    }
  }
  if (fullSpectrum) postSpectrum(id);
  postMessage({ type: 'done', id, seconds: (performance.now() - t0) / 1000 });
}

// A temperature sweep: the samples of `plan` one after another (each one's analysis uses the
// threads), a record posted after each; the page summarises and draws.
function runSweep(id, p, plan) {
  const t0 = performance.now();
  for (let k = 0; k < plan.length; k++) {
    const { tp, index } = plan[k];
    postMessage({ type: 'sweep-progress', id, k, total: plan.length, tp, index });
    const t = performance.now();
    let record;
    try {
      record = pkg.run_ensemble_sample(p.dim, p.n, tp, p.seed, index, p.sweeps, p.density ?? undefined,
        p.route ?? undefined, p.quartic ?? undefined);
    } catch (e) {
      postMessage({ type: 'sweep-error', id, k, tp, index, message: message(e), crashed: crashed(e) });
      return;
    }
    postMessage({ type: 'sweep-sample', id, k, total: plan.length, tp, index, record, seconds: (performance.now() - t) / 1000 });
  }
  postMessage({ type: 'sweep-done', id, seconds: (performance.now() - t0) / 1000 });
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch {
    return;
  }
  if (data.type === 'run') {
    try {
      // tests: a trap, as a panic in the module would cause (the page must restart this worker)
      if (data.crashTest) throw new WebAssembly.RuntimeError('unreachable (crash test)');
      run(data.id, data.params, data.quartic ?? 0, data.fullSpectrum ?? false);
    } catch (e) {
      postMessage({ type: 'error', id: data.id, message: message(e), crashed: crashed(e) });
    }
  } else if (data.type === 'sweep') {
    runSweep(data.id, data.params, data.plan);
  } else if (data.type === 'full-spectrum') {
    if (!current) postMessage({ type: 'spectrum-error', id: data.id, message: 'no glass has been computed yet' });
    else postSpectrum(data.id);
  } else if (data.type === 'pinch-field') {
    try {
      if (!current) throw new Error('no glass has been computed yet');
      const field = current.pinch_field(data.pair);
      postMessage({ type: 'pinch-field', id: data.id, pair: data.pair, field }, [field.buffer]);
    } catch (e) {
      postMessage({ type: 'pinch-error', id: data.id, message: message(e), crashed: crashed(e) });
    }
  }
};
