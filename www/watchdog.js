// Watchdog allowances of the compute workers, shared by Explore (main.js) and the Temperature
// sweep (sweep.js); the same object is window.pinchglass.watchdog (tests shrink it).
//
// A run whose worker neither reports progress nor finishes within the allowance of its stage is
// stopped with a message and a retry. The allowance is FLOOR + FACTOR × the stage's expected
// duration between two progress reports (rough wasm timings on 2 busy cores, from N and the stage;
// single faer calls report nothing until they end). startup: seconds for a new worker to post
// 'ready' before it is replaced (twice at most); a normal start takes 1–3 s. (Firefox's first-run
// stall, `new Worker()` never returning inside the compute worker, is avoided since the page starts
// the rayon threads: www/compute-worker.js.)
export const WATCHDOG = { floor: 30, factor: 10, startup: 12 };

// Expected seconds between two progress reports of `stage` for parameters p = {dim, n, sweeps}.
export function expectedStageSeconds(stage, p) {
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

// Expected seconds of one ensemble sample of the Temperature sweep (swap Monte Carlo, quench and
// the analysis of its route; the worker reports only when a sample starts and ends).
export function expectedSampleSeconds(p) {
  const stages = ['quench', 'forces', 'hessian', 'factorisation', 'pinches', 'shear modulus', 'lowest modes'];
  let s = 100 * expectedStageSeconds('swap Monte Carlo', p);
  for (const stage of stages) s += expectedStageSeconds(stage, p);
  if (p.quartic) s += expectedStageSeconds('quartic modes', p);
  if (p.route !== 'sparse') s += expectedStageSeconds('full spectrum', p);
  return s;
}

// The allowance (seconds) of a stage, or of a whole sweep sample with stage 'sample'.
export function allowance(stage, p) {
  const expected = stage === 'sample' ? expectedSampleSeconds(p) : expectedStageSeconds(stage, p);
  return WATCHDOG.floor + WATCHDOG.factor * expected;
}
