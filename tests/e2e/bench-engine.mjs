// Times the swap Monte Carlo engine of the page's WebAssembly build (single-threaded package,
// simd128) in Node.js's V8, the engine of Chromium: the same measurement as
// `pinchglass bench --part mc` (src/pipeline/engine_bench.rs), so the browser's figures sit beside
// the native ones.
//   node tests/e2e/bench-engine.mjs [--dim 3,2] [--n 500,2000,8000] [--moves 4e6] [--repeats 3] [--pkg www/pkg-single]
// --pkg: another build's package directory (e.g. an older commit's, to compare). Every parameter
// is checked by the module (check_bench_engine) before anything is timed. V8 runs a function's
// first calls unoptimised, so one short untimed run per dimension comes first. Not part of
// `test` (./build.sh bench-engine-wasm runs it).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const USAGE = 'usage: node tests/e2e/bench-engine.mjs [--dim 3,2] [--n 500,2000,8000] [--moves 4e6] [--repeats 3] [--pkg DIR]';
const fail = (message, code = 2) => {
  console.error(`bench-engine: ${message}`);
  if (code === 2) console.error(USAGE);
  process.exit(code);
};

// --key value or --key=value; every key known, every value present
const opts = { dim: '3,2', n: '500,2000,8000', moves: '4e6', repeats: '3', pkg: 'www/pkg-single' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i]);
  if (!m) fail(`unexpected argument '${argv[i]}'`);
  if (!(m[1] in opts)) fail(`unknown option --${m[1]}`);
  const value = m[2] ?? argv[++i];
  if (value === undefined || value === '') fail(`--${m[1]} needs a value`);
  opts[m[1]] = value;
}
// numbers as typed: a list entry or a value that is not a number is named as typed
const number = (key, s) => {
  const x = Number(s);
  if (s.trim() === '' || !Number.isFinite(x)) fail(`--${key} must be a number, got '${s}'`);
  return x;
};
const list = (key) => opts[key].split(',').map((s) => number(key, s));
const dims = list('dim');
const sizes = list('n');
const moves = number('moves', opts.moves);
const repeats = number('repeats', opts.repeats);
const pkg = path.resolve(ROOT, opts.pkg);
if (!existsSync(path.join(pkg, 'pinchglass.js')) || !existsSync(path.join(pkg, 'pinchglass_bg.wasm'))) {
  fail(`no WebAssembly package in ${pkg} (pinchglass.js and pinchglass_bg.wasm; ./build.sh wasm builds www/pkg-single)`, 1);
}

// the package is an ES module without a package.json of its own: say so quietly
process.removeAllListeners('warning');
process.on('warning', (w) => { if (w.code !== 'MODULE_TYPELESS_PACKAGE_JSON') console.error(w); });
const mod = await import(pathToFileURL(path.join(pkg, 'pinchglass.js')).href);
mod.initSync({ module: readFileSync(path.join(pkg, 'pinchglass_bg.wasm')) });
mod.init();
if (typeof mod.bench_engine !== 'function') fail(`the package in ${pkg} has no bench_engine (built before it existed)`, 1);

// every refusal once, before anything runs
const refusals = new Set();
for (const d of dims) {
  for (const n of sizes) {
    try {
      (mod.check_bench_engine ?? (() => {}))(d, n, moves, repeats);
    } catch (e) {
      refusals.add(e.message ?? String(e));
    }
  }
}
if (refusals.size > 0) fail([...refusals].join('; '), 1);

const order = [3, 2].filter((x) => dims.includes(x));
for (const d of order) mod.bench_engine(d, 500, 1e4, 1); // untimed: lets V8 optimise the loops
const plural = (k, word) => `${k} ${word}${k === 1 ? '' : 's'}`;
console.log(`swap Monte Carlo engine in WebAssembly (${path.relative(ROOT, pkg) || '.'}, Node.js ${process.version}), `
  + `one thread, ${plural(repeats, 'repeat')} of ${moves.toExponential(0).replace('+', '')} attempted moves after `
  + '300 relaxation sweeps, after one untimed short run per dimension; medians');
const cols = ['dim', 'N', 'T_p', 'moves/s', 'ns/move', 'pairs/mv', 'ns/mv(ER0)', 'pairs(ER0)', 'ns/pair', 'floor×',
  'acc d/s', 'refresh/mv', 'µs/refresh'];
const widths = [3, 6, 5, 11, 9, 10, 11, 10, 11, 8, 9, 10, 10];
const row = (v) => v.map((x, i) => (i === 0 ? String(x).padEnd(widths[i]) : String(x).padStart(widths[i]))).join(' ');
const exp = (x, digits) => x.toExponential(digits).replace('+', '');
console.log(row(cols));
for (const d of order) {
  for (const n of sizes) {
    const r = JSON.parse(mod.bench_engine(d, n, moves, repeats));
    console.log(row([`${d}D`, n, r.tp, exp(r.moves_per_second, 3), r.ns_per_move.toFixed(1),
      r.pairs_per_move.toFixed(1), r.ns_per_move_no_early_rejection.toFixed(1),
      r.pairs_per_move_no_early_rejection.toFixed(1), r.kernel_ns_per_pair.toFixed(2), r.cost_over_kernel.toFixed(2),
      `${r.displacement_acceptance.toFixed(2)}/${r.swap_acceptance.toFixed(2)}`, exp(r.refreshes_per_move, 2),
      r.refresh_us.toFixed(2)]));
  }
}
console.log('Columns as in `pinchglass bench --part mc` (its footer explains them); the row kernel is the portable 2-lane one.');
