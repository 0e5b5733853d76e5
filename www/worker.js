// The compute worker: owns one wasm instance (and, when the page is cross-origin isolated, its
// rayon thread pool). It receives run parameters, reports progress, and posts the results back as
// typed arrays. No physics here: everything comes from the wasm module (src/wasm.rs).
//
// Protocol (page → worker): {type: 'run', id, params: {dim, n, tp, seed, sweeps, density?}}
//   | {type: 'pinch-field', id, pair} (the response field of pair `pair` of the last run)
// (worker → page): {type: 'ready', build, threads, initSeconds} | {type: 'fatal', message}
//   | {type: 'progress', id, stage, fraction}
//   | {type: 'done', id, ...arrays, results, xyz, pairsCsv, summaryCsv, seconds}
//   | {type: 'error', id, message} | {type: 'pinch-field', id, pair, field} | {type: 'pinch-error', id, message}
// Only the last run is kept (its dense spectrum is the memory the budget was computed for).
// Cancel = the page terminates this worker and starts a fresh one.

const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
let pkg = null;

async function start() {
  const t0 = performance.now();
  if (threaded) {
    pkg = await import('./pkg-threads/pinchglass.js');
    await pkg.default();
    pkg.init();
    await pkg.initThreadPool(navigator.hardwareConcurrency);
  } else {
    pkg = await import('./pkg-single/pinchglass.js');
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

let current = null; // the last GlassRun, kept for pinch fields

function run(id, p) {
  const t0 = performance.now();
  const progress = (stage, fraction) => postMessage({ type: 'progress', id, stage, fraction });
  if (current) {
    current.free();
    current = null;
  }
  const r = pkg.run_glass(p.dim, p.n, p.tp, p.seed, p.sweeps, p.density ?? undefined, progress);
  current = r;
  const arrays = {
    positions: r.positions(),
    sizes: r.sizes(),
    boxLengths: r.box_lengths(),
    eigenvalues: r.eigenvalues(),
    pairI: r.pair_i(),
    pairJ: r.pair_j(),
    pairOmega: r.pair_omega(),
    pairScaledForce: r.pair_scaled_force(),
    traceSweeps: r.energy_trace_sweeps(),
    trace: r.energy_trace(),
  };
  postMessage(
    {
      type: 'done',
      id,
      dim: r.dim(),
      nZeroModes: r.n_zero_modes(),
      tuneSweeps: r.tune_sweeps(),
      results: r.results_json(),
      xyz: r.xyz(),
      pairsCsv: r.pairs_csv(),
      summaryCsv: r.summary_csv(),
      seconds: (performance.now() - t0) / 1000,
      ...arrays,
    },
    Object.values(arrays).map((a) => a.buffer),
  );
}

self.onmessage = async ({ data }) => {
  try {
    await ready;
  } catch {
    return;
  }
  const message = (e) => (e instanceof Error ? e.message : String(e));
  if (data.type === 'run') {
    try {
      run(data.id, data.params);
    } catch (e) {
      postMessage({ type: 'error', id: data.id, message: message(e) });
    }
  } else if (data.type === 'pinch-field') {
    try {
      if (!current) throw new Error('no glass has been computed yet');
      const field = current.pinch_field(data.pair);
      postMessage({ type: 'pinch-field', id: data.id, pair: data.pair, field }, [field.buffer]);
    } catch (e) {
      postMessage({ type: 'pinch-error', id: data.id, message: message(e) });
    }
  }
};
