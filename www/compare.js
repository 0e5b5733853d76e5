// The paper's Fig. 1, live: two shipped, equilibrated 2D parent states (www/data/parents/, listed
// with their provenance in index.json) are quenched, pinched and searched for quartic modes in the
// page, and drawn side by side as in the SI (modes below ω_g/3, blob area ∝ N e) on ONE colour
// scale in c∞/a0 (the shipped 2D calibration). For each glass the page states the number of
// modes per particle below a common frequency (the poorly annealed glass's ω_g/3) and its softest
// ω_π: window.pinchglass.fig1 = {unit, cut, cutModel, starts, glasses: [{label, tp, tpOverOnset,
// n, omegaG, below, perParticle, softest, softestModel, modes, starts, minHitsBelow, onMap,
// seconds, provenance}], seconds}. No physics here: every number comes from the wasm module.

const DATA = new URL('./data/parents/', import.meta.url);
// The quartic-mode budget of each glass: this many soft pinches spread over the glass
// (src/pipeline/analysis.rs, spread_softest_pairs) plus the shear responses. Measured natively on
// an N = 2000 stand-in (T_p = 2.4, 3000 sweeps): 30, 60 and 200 starts give the same 5 modes below
// ω_g/3, each reached by several starts; the page shows the fewest hits below the cut on every run.
export const FIG1_STARTS = 60;

let cache = null;

// The shipped parent states, their provenance and the 2D calibration (c∞/a0, T_onset).
export async function loadFig1() {
  if (cache) return cache;
  const get = async (url, kind) => {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url.pathname ?? url} (${r.status})`);
    return kind === 'json' ? r.json() : r.text();
  };
  const index = await get(new URL('index.json', DATA), 'json');
  const calibration = await get(new URL(index.calibration, DATA), 'json');
  const parents = await Promise.all(index.parents.map(async (p) => ({ ...p, xyz: await get(new URL(p.file, DATA), 'text') })));
  cache = { index, calibration, parents, starts: index.starts ?? FIG1_STARTS };
  return cache;
}

const fmt = (x, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toPrecision(digits));

// The two numbers of each glass (and the rest of the table) from the finished jobs.
export function fig1Numbers(jobData, fig, threshold = 1 / 3) {
  const unit = fig.calibration.frequency_unit_c_inf_over_a0;
  const tOnset = fig.calibration.t_onset;
  const poor = jobData[0].results;
  const cutModel = poor.omega_g / 3;
  const glasses = jobData.map((job, k) => {
    const r = job.results;
    const modes = job.spots?.quartic_modes ?? [];
    const below = modes.filter((m) => m.omega < cutModel);
    const softest = modes.length ? Math.min(...modes.map((m) => m.omega)) : NaN;
    const p = fig.parents[k] ?? {};
    return {
      label: p.label ?? job.job.label,
      tp: r.tp,
      tpOverOnset: Number.isFinite(r.tp) ? r.tp / tOnset : null,
      n: r.n,
      omegaG: r.omega_g / unit,
      ownCut: r.omega_g / 3 / unit,
      below: below.length,
      perParticle: below.length / r.n,
      softest: softest / unit,
      softestModel: softest,
      modes: modes.length,
      starts: job.spots?.quartic_starts ?? 0,
      onMap: modes.filter((m) => m.omega < threshold * r.omega_g).length,
      minHitsBelow: below.length ? Math.min(...below.map((m) => m.hits)) : null,
      minHitsOwnCut: modes.filter((m) => m.omega < r.omega_g / 3).reduce((a, m) => Math.min(a, m.hits), Infinity),
      shearModulus: r.shear_modulus,
      seconds: job.seconds,
      quarticSeconds: job.spotsSeconds,
      provenance: { ...p, xyz: undefined },
    };
  });
  return { unit, tOnset, cut: cutModel / unit, cutModel, starts: fig.starts, glasses };
}

function cell(tr, text, tag = 'td') {
  const c = document.createElement(tag);
  c.textContent = text;
  tr.append(c);
  return c;
}

// Draws the comparison section. `h` holds main.js's helpers: wasm, drawVdos, vdosAxes,
// quarticArrays, describeCanvas, threshold (the map control's factor of ω_g; Infinity = all).
export function drawFig1(jobData, fig, h) {
  const { wasm } = h;
  const numbers = fig1Numbers(jobData, fig, h.threshold);
  const { unit } = numbers;
  const a = Array.from(h.vdosAxes(jobData[0]));
  const b = Array.from(h.vdosAxes(jobData[1]));
  const axes = new Float64Array([Math.min(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.max(a[3], b[3])]);
  // one colour scale (c∞/a0) over the modes drawn in both maps
  const qs = jobData.map(h.quarticArrays);
  const limits = jobData.map((job) => h.threshold * job.results.omega_g);
  const drawnOmega = qs.flatMap((q, m) => [...q.omega].filter((w) => w < limits[m]).map((w) => w / unit));
  let wmin = drawnOmega.length ? Math.min(...drawnOmega) : NaN;
  let wmax = drawnOmega.length ? Math.max(...drawnOmega) : NaN;
  if (!(wmax > wmin)) [wmin, wmax] = [NaN, NaN];
  // the scale's ends, rounded outwards to 0.05 c∞/a0, so both bars read the same
  if (Number.isFinite(wmin)) [wmin, wmax] = [Math.floor(wmin * 20) / 20, Math.ceil(wmax * 20) / 20];
  jobData.forEach((job, m) => {
    const d = job.analysis;
    const side = m === 0 ? 'a' : 'b';
    const g = numbers.glasses[m];
    const title = `${g.label}, T_p = ${fmt(g.tpOverOnset, 2)} T_onset`;
    wasm.draw_glass(`canvas-compare-glass-${side}`, d.positions, d.sizes, d.boxLengths, d.dim,
      d.softest < 0 ? -1 : d.pairI[d.softest], d.softest < 0 ? -1 : d.pairJ[d.softest], title, NaN);
    h.describeCanvas(`canvas-compare-glass-${side}`, `${title}: the quenched glass, ${d.sizes.length} discs coloured by size.`);
    h.drawVdos(`canvas-compare-vdos-${side}`, job, axes, title);
    if (job.spots) {
      const q = qs[m];
      wasm.draw_soft_spot_map(`canvas-compare-map-${side}`, d.positions, d.sizes, d.boxLengths, d.dim,
        q.coreI, q.coreJ, q.omega, q.participation, limits[m], wmin, wmax, -1, title, NaN, unit, 'ω_π  (c∞/a_0)');
      const shown = [...q.omega].filter((w) => w < limits[m]).length;
      h.describeCanvas(`canvas-compare-map-${side}`, `${title}: ${shown} of ${q.modes.length} quartic modes drawn as blobs (area ∝ N e), ` +
        `colour ω_π on the common scale ${fmt(wmin)}–${fmt(wmax)} c∞/a0; softest ω_π = ${fmt(g.softest)} c∞/a0.`);
    }
  });
  const [p, w] = numbers.glasses;
  $('compare-title').textContent = `The paper's Fig. 1, live: ${p.label} (T_p = ${fmt(p.tpOverOnset, 2)} T_onset) vs ${w.label} (T_p = ${fmt(w.tpOverOnset, 2)} T_onset), 2D, N = ${p.n}`;
  // the two numbers, in words
  const verdict = p.perParticle > w.perParticle && p.softest < w.softest;
  $('fig1-numbers').textContent =
    `Below ω = ${fmt(numbers.cut)} c∞/a0 (the ${p.label} glass's ω_g/3): ${fmt(p.perParticle * 1000, 3)} modes per 1000 particles ` +
    `(${p.below} of N = ${p.n}) in the ${p.label} glass, ${fmt(w.perParticle * 1000, 3)} (${w.below} of ${w.n}) in the ${w.label} one. ` +
    `Softest ω_π: ${fmt(p.softest)} vs ${fmt(w.softest)} c∞/a0. ` +
    (verdict ? 'As in the paper: annealing depletes the soft spots and stiffens them.' : 'This run does NOT show the paper\'s contrast.');
  $('fig1-numbers').dataset.contrast = verdict ? 'yes' : 'no';
  const rows = [
    ['T_p', (g) => `${fmt(g.tp, 3)} ε/k_B = ${fmt(g.tpOverOnset, 2)} T_onset`],
    ['equilibration of the parent state', (g) => g.provenance.verdict ?? '—'],
    ['parent state made by', (g) => g.provenance.command ?? '—'],
    [`soft modes below ${fmt(numbers.cut)} c∞/a0 (common cut), per particle`, (g) => `${g.below} / ${g.n} = ${(g.perParticle).toExponential(2)}`],
    ['softest ω_π (c∞/a0)', (g) => fmt(g.softest)],
    ['ω_g (c∞/a0); its own ω_g/3', (g) => `${fmt(g.omegaG)}; ${fmt(g.ownCut)}`],
    ['quartic modes: distinct / starts', (g) => `${g.modes} / ${g.starts}`],
    [`on the map (ω_π below ${Number.isFinite(h.threshold) ? `${Math.abs(h.threshold - 1 / 3) < 1e-9 ? '1/3' : h.threshold} × its own ω_g${Math.abs(h.threshold - 1 / 3) < 1e-9 ? ', as in the SI' : ''}` : 'any ω: all modes'})`, (g) => `${g.onMap}`],
    ['fewest starts reaching a mode below the cut', (g) => (Number.isFinite(g.minHitsOwnCut) ? `${g.minHitsOwnCut} (each soft mode found repeatedly: the count is not capped by the starts)` : 'no mode below the cut')],
    ['G (ε/length²)', (g) => fmt(g.shearModulus, 4)],
    ['time: quench + analysis + quartic modes (s)', (g) => `${fmt(g.seconds, 3)} (quartic ${fmt(g.quarticSeconds, 3)})`],
  ];
  const head = document.createElement('tr');
  for (const t of ['', p.label, w.label]) cell(head, t, 'th');
  $('compare-table').tHead.replaceChildren(head);
  $('compare-table').tBodies[0].replaceChildren(...rows.map(([k, f]) => {
    const tr = document.createElement('tr');
    cell(tr, k);
    for (const g of numbers.glasses) cell(tr, f(g));
    return tr;
  }));
  const standIn = fig.parents.some((x) => x.stand_in);
  $('fig1-provenance').textContent = fig.parents.map((x) =>
    `${x.label}: ${x.file}, N = ${x.n}, T_p = ${x.tp} = ${fmt(x.tp_over_t_onset, 2)} T_onset, ${x.verdict}${x.stand_in ? ' (STAND-IN, not the lead\'s chain state)' : ''}; engine ${x.engine ?? '—'}`).join(' · ') +
    (standIn ? ' — these files are stand-ins made for development; see www/data/parents/index.json.' : '');
  $('fig1-budget').textContent = `a budget of ${numbers.starts} soft pinches spread over each glass plus the shear responses ` +
    `(this run: ${fmt(p.quarticSeconds, 3)} s and ${fmt(w.quarticSeconds, 3)} s of quartic-mode search, ` +
    `${fmt(p.seconds + w.seconds, 3)} s for the whole view, on ${h.threads ?? 'the'} thread${h.threads === 1 ? '' : 's'})`;
  $('fig1-scale').textContent = Number.isFinite(wmin) ? `${fmt(wmin, 2)}–${fmt(wmax, 2)} c∞/a0` : 'each map\'s own modes';
  numbers.scale = [wmin, wmax];
  return numbers;
}

function $(id) {
  return document.getElementById(id);
}
