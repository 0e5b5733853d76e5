// Times the swap Monte Carlo engine of the page's WebAssembly build (single-threaded package,
// simd128) in Node.js's V8, the engine of Chromium: the same measurement as
// `pinchglass bench --part mc` (src/pipeline/engine_bench.rs), so the browser's figures sit beside
// the native ones.
//   node tests/e2e/bench-engine.mjs [--dim 3,2] [--n 500,2000,8000] [--moves 4e6] [--repeats 3] [--pkg www/pkg-single]
// --pkg: another build's package directory (e.g. an older commit's, to compare). Not part of
// `test` (./build.sh bench-engine-wasm runs it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (k, d) => {
  const i = process.argv.indexOf(`--${k}`);
  return i > 0 ? process.argv[i + 1] : d;
};
const list = (s) => s.split(',').map(Number);
const dims = list(arg('dim', '3,2'));
const sizes = list(arg('n', '500,2000,8000'));
const moves = Number(arg('moves', '4e6'));
const repeats = Number(arg('repeats', '3'));
const pkg = path.resolve(ROOT, arg('pkg', 'www/pkg-single'));

// the package is an ES module without a package.json of its own: say so quietly
process.removeAllListeners('warning');
process.on('warning', (w) => { if (w.code !== 'MODULE_TYPELESS_PACKAGE_JSON') console.error(w); });
const mod = await import(pathToFileURL(path.join(pkg, 'pinchglass.js')).href);
mod.initSync({ module: readFileSync(path.join(pkg, 'pinchglass_bg.wasm')) });
mod.init();

console.log(`swap Monte Carlo engine in WebAssembly (${path.relative(ROOT, pkg)}, Node.js ${process.version}), `
  + `one thread, ${repeats} repeats of ${moves.toExponential(0)} attempted moves after 300 relaxation sweeps; medians`);
const cols = ['dim', 'N', 'T_p', 'moves/s', 'ns/move', 'pairs/mv', 'ns/mv(ER0)', 'pairs(ER0)', 'ns/pair', 'floor×',
  'acc d/s', 'refresh/mv', 'µs/refresh'];
const widths = [3, 6, 5, 11, 9, 10, 11, 10, 11, 8, 9, 10, 10];
const row = (v) => v.map((x, i) => (i === 0 ? String(x).padEnd(widths[i]) : String(x).padStart(widths[i]))).join(' ');
console.log(row(cols));
for (const d of [3, 2].filter((x) => dims.includes(x))) {
  for (const n of sizes) {
    let r;
    try {
      r = JSON.parse(mod.bench_engine(d, n, moves, repeats));
    } catch (e) {
      console.error(`${d}D N = ${n}: ${e.message ?? e}`);
      process.exitCode = 1;
      continue;
    }
    console.log(row([`${d}D`, n, r.tp, r.moves_per_second.toExponential(3).replace('+', ''), r.ns_per_move.toFixed(1),
      r.pairs_per_move.toFixed(1), r.ns_per_move_no_early_rejection.toFixed(1),
      r.pairs_per_move_no_early_rejection.toFixed(1), r.kernel_ns_per_pair.toFixed(2), r.cost_over_kernel.toFixed(2),
      `${r.displacement_acceptance.toFixed(2)}/${r.swap_acceptance.toFixed(2)}`, r.refreshes_per_move.toExponential(2).replace('+', ''),
      r.refresh_us.toFixed(2)]));
  }
}
console.log('Columns as in `pinchglass bench --part mc` (its footer explains them); the row kernel is the portable 2-lane one.');
