// Lecture mode: the paper's argument in five steps, each with its figure and two sentences, drawn
// at once from ensembles precomputed by the CLI and shipped in www/data/ (index.json lists them;
// each has summary.json from `pinchglass summarize`/`calibrate`, calibration.json for the units and
// provenance.json: commands, seed, samples, N, date). No computation and no worker: the figures are
// those of `pinchglass figures` (the module's `draw_ensemble_figure`); the numbers quoted in the
// text are read from the summary (ratios between its highest and lowest T_p, E_QLM / T_onset).
//
// Automation: <body data-lecture="loading|ready|error" data-lecture-step="k">, and
// window.pinchglass.lecture = {step, steps, dataset, provenance, figure, claims, go(step), next(), prev()};
// claims[k] = {key, verdict: holds|contradicts|unresolved|no data, …}: whether step k's claim holds in the
// shipped summary (#lecture-text carries data-claim = the verdict of the step shown).
// URL parameters (mode=lecture): step = 1…5, data = a dataset id of index.json (default: the first),
// present=1 the presenter view (window.pinchglass.lecture.setPresenter(on) switches it).

import { draw, pngDataUrl, fitFigure } from './png.js';
import { linkAsks } from './form.js';

const $ = (id) => document.getElementById(id);

const STEPS = [
  {
    figure: 'fig2',
    title: 'The ω⁴ law and its prefactor',
    text: (c) => `Below the lowest sound wave of the box a glass still vibrates, in soft quasi-localised modes whose
      density follows the universal law D(ω) = A<sub>g</sub> ω<sup>4</sup>: each cumulative curve (the log–log panel, one colour per T<sub>p</sub>) rises as
      ω<sup>5</sup> at small ω, whatever the parent temperature T<sub>p</sub> the glass was made at. What T<sub>p</sub>
      changes is the prefactor A<sub>g</sub> (the other panel): glasses made from colder liquids have fewer soft modes (in the paper A<sub>g</sub> falls by nearly 3 orders of
      magnitude from T<sub>p</sub> ≈ 1.4 to 0.33 T<sub>onset</sub>). ${c.claim(1, c.aShown(), 'A<sub>g</sub>', 'falls')}${c.slopes()}`,
  },
  {
    figure: 'fig4b',
    title: 'Why A<sub>g</sub> mixes number and stiffness',
    text: (c) => `A<sub>g</sub> has units of ω<sup>−5</sup>: if the soft spots number 𝒩 per particle with a typical
      frequency ω<sub>g</sub>, the ω⁴ law reads D(ω) ≈ 𝒩 ω<sup>4</sup>/ω<sub>g</sub><sup>5</sup>, so
      A<sub>g</sub> ∝ 𝒩/ω<sub>g</sub><sup>5</sup> falls both when soft spots become rarer and when they become stiffer.
      Telling the two apart needs ω<sub>g</sub> on its own (next step); with it, 𝒩 = A<sub>g</sub> ω<sub>g</sub><sup>5</sup>
      counts the soft spots (${c.nShown().what}): in the paper 𝒩 falls by almost 2 orders of magnitude on annealing.
      ${c.claim(2, c.nShown().key, '𝒩', 'falls')}`,
  },
  {
    figure: 'fig4a',
    title: 'Pinching gives ω<sub>g</sub>',
    text: (c) => `Pushing two touching particles apart with a force dipole d and measuring the response
      u = H<sup>+</sup>d gives a frequency ω<sub>g</sub><sup>(ij)</sup> = √(d·H<sup>+</sup>d / d·H<sup>+2</sup>d) that probes
      the soft spot nearest to the pair; its mean over the weakly loaded pairs is ω<sub>g</sub> (try it on one glass in
      Explore: click a pair). Better annealed glasses have stiffer soft spots: ω<sub>g</sub> rises as T<sub>p</sub>
      falls, like the shear modulus G (the second panel): by nearly a factor 2 in the paper. ${c.claim(3, 'omega_g', 'ω<sub>g</sub>', 'rises')}`,
  },
  {
    figure: 'fig5',
    title: 'The formation energy of soft spots',
    text: (c) => `On a log axis against 1/T<sub>p</sub>, the paper's 𝒩 = A<sub>g</sub> ω<sub>g</sub><sup>5</sup> falls on a
      straight line, 𝒩 ∝ exp(−E<sub>QLM</sub>/T<sub>p</sub>): soft spots behave like thermally excited defects frozen
      in at T<sub>p</sub>, with a formation energy E<sub>QLM</sub> ≈ 3.3 T<sub>onset</sub> in its 3D glasses.
      ${c.boltzmann()}`,
  },
  {
    figure: 'fig6',
    title: 'ξ<sub>g</sub> tracks the core size',
    text: (c) => `The length ξ<sub>g</sub> = 2π c<sub>s</sub>/ω<sub>g</sub>, the wavelength of a shear wave at the
      soft-spot frequency, shrinks by about 40 % as T<sub>p</sub> falls in the paper, in step with the core size of the
      soft spots read off their decay profiles (ξ<sub>co</sub>, ξ<sub>QLM</sub>: ensembles run with quartic modes).
      ${c.claim(5, 'xi_g', 'ξ<sub>g</sub>', 'falls', true)}`,
  },
];

let api = null;
let L = null; // window.pinchglass.lecture
let index = null; // index.json
const cache = new Map(); // dataset id → {summary (text), calibration (text|null), provenance}

function setState(s) {
  L.state = s;
  document.body.dataset.lecture = s;
}

async function fetchText(url, optional) {
  const r = await fetch(url);
  if (!r.ok) {
    if (optional) return null;
    throw new Error(`${url}: HTTP ${r.status}`);
  }
  return r.text();
}

async function dataset(id) {
  if (!cache.has(id)) {
    const base = `data/${id}/`;
    const [summary, calibration, provenance] = await Promise.all([
      fetchText(`${base}summary.json`),
      fetchText(`${base}calibration.json`, true),
      fetchText(`${base}provenance.json`).then(JSON.parse),
    ]);
    cache.set(id, { summary, parsed: JSON.parse(summary), calibration, provenance });
  }
  return cache.get(id);
}

// The paper's E_QLM in k_B T_onset (Fig. 5; its 3D glasses).
const PAPER_E_QLM = 3.3;

// What the step texts quote from the summary, and whether each step's claim holds in it: every
// step's claim is a trend on annealing (from the highest to the lowest T_p of the ensemble), tested
// by the ratio of the two ends with its error (errors of the two ends combined in quadrature on the
// log scale): "holds" when it goes the paper's way by more than 2 sigma, "contradicts" when it goes
// the other way by more than 2 sigma, else "unresolved". Each verdict is recorded in `claims`
// (step → {key, expected, ratio, error, sigma, verdict}) for the page's automation.
function context(d, claims) {
  const rows = [...(d.parsed.temperatures ?? [])].sort((a, b) => a.tp - b.tp);
  const calibration = d.calibration ? JSON.parse(d.calibration) : null;
  const tOnset = calibration?.t_onset ?? null;
  const t = (tp) => (tOnset ? `${fmt(tp / tOnset, 3)} T<sub>onset</sub>` : `${fmt(tp, 3)}`);
  // a row's estimate under `key`, a dotted path for nested ones (quartic_count.soft_spots)
  const pick = (r, key) => key.split('.').reduce((o, k) => o?.[k], r);
  const val = (r, key) => pick(r, key)?.value ?? null;
  const err = (r, key) => pick(r, key)?.error ?? null;
  const shown = JSON.parse(draw.shown_soft_spots(d.summary));
  // The ends of a range tell a trend only if nothing between them goes the other way by more than
  // 2 σ: for a claim that `name` `expected` (falls|rises) on annealing, the interior extreme
  // against the hot end (rows sorted coldest first, values positive), in words, or ''.
  const bump = (have, key, name, expected) => {
    if (have.length < 3) return '';
    const hot = have[have.length - 1];
    const inner = have.slice(1, -1);
    const pickBy = expected === 'falls' ? (a, b) => (val(b, key) > val(a, key) ? b : a) : (a, b) => (val(b, key) < val(a, key) ? b : a);
    const m = inner.reduce(pickBy);
    const g = val(m, key) / val(hot, key);
    const rel = Math.hypot(err(m, key) / val(m, key), err(hot, key) / val(hot, key));
    const z = Math.log(g) / rel;
    const against = expected === 'falls' ? z > 2 : z < -2;
    if (!Number.isFinite(z) || !against) return '';
    const other = expected === 'falls' ? 'rises' : 'falls';
    return ` Not all the way: on cooling from T<sub>p</sub> = ${t(hot.tp)} ${name} first ${other}, by a factor ${fmt(g, 3)} ± ${fmt(g * rel, 2)} (${fmt(Math.abs(z), 2)} σ) to T<sub>p</sub> = ${t(m.tp)}, and ${expected} below it.`;
  };
  // How the quartic count's fit depends on its window x_q (summary key boltzmann_quartic_scan),
  // with the free log-slope of the count below the default window at the hottest T_p (5 for ω⁴).
  const scanText = () => {
    const fits = (d.parsed.boltzmann_quartic_scan?.fits ?? [])
      .filter((f) => Number.isFinite(f.fit?.e_qlm) && Number.isFinite(f.fit?.error));
    if (fits.length < 2) return '';
    const unit = tOnset ?? 1;
    const list = fits.map((f) => `${fmt(f.fraction, 2)}: ${fmt(f.fit.e_qlm / unit, 2)} ± ${fmt(f.fit.error / unit, 1)}`).join(', ');
    const hot = rows[rows.length - 1]?.quartic_count?.slope;
    const slope = Number.isFinite(hot?.value)
      ? `: a count follows 𝒩 only where it grows as ω<sup>5</sup> up to its window, yet at the hottest T<sub>p</sub> it grows as ω<sup>${fmt(hot.value, 2)} ± ${fmt(hot.error, 1)}</sup> below ${fmt(d.parsed.estimators?.quartic_count_fraction, 2)} ω<sub>g</sub>`
      : '';
    return ` Other windows x<sub>q</sub> ω<sub>g</sub> give (x<sub>q</sub>: E<sub>QLM</sub>) ${list}${slope}.`;
  };
  // the verdict's lead-in; `subject`: the claim, when "it" would be ambiguous
  const strong = (verdict, subject = 'it') => ({
    holds: `<strong class="claim holds">In this ensemble ${subject} holds:</strong>`,
    contradicts: `<strong class="claim contradicts">In this ensemble ${subject} does not hold:</strong>`,
    unresolved: '<strong class="claim unresolved">This ensemble does not resolve it:</strong>',
  })[verdict];
  return {
    // The A_g that Fig. 2's right panel shows (plot::summary::EnsembleSummary::a_g): the count's
    // when the summary has counts, else the rank fit's; its summary key.
    aShown() {
      return rows.some((r) => Number.isFinite(val(r, 'count.a_g'))) ? 'count.a_g' : 'a_g';
    },
    // What this ensemble says of the ω⁴ law itself: the free log-slopes of the cumulative counts
    // below x ω_g (Fig. 2's key; 5 under the law), their range and how many agree with 5.
    slopes() {
      const s = rows.map((r) => pick(r, 'count.slope')).filter((e) => Number.isFinite(e?.value) && Number.isFinite(e?.error));
      if (!s.length) return '';
      const v = s.map((e) => e.value);
      const agree = s.filter((e) => Math.abs(e.value - 5) <= 2 * e.error).length;
      return ` The ω<sup>5</sup> rise is the paper's; here the counts below ${fmt(d.parsed.estimators?.count_fraction, 2)} ω<sub>g</sub> grow as ω<sup>${fmt(Math.min(...v), 3)}</sup> to ω<sup>${fmt(Math.max(...v), 3)}</sup> (the slopes in the figure's key), within 2 σ of 5 at ${agree} of ${s.length} T<sub>p</sub>.`;
    },
    // The 𝒩 that Figs. 4b and 5 draw, as the figures' code chooses it (the wasm export
    // shown_soft_spots): the quartic count, else the harmonic count, else the rank fit's
    // A_g ω_g⁵; its summary key and what it is.
    nShown() {
      const what = {
        quartic_count: `plotted here from the quartic modes counted below ${fmt(shown.fraction, 2)} ω<sub>g</sub>`,
        count: `plotted here from the modes counted below ${fmt(shown.fraction, 2)} ω<sub>g</sub>`,
        rank_fit: 'plotted here',
      }[shown.estimator];
      return { key: shown.row_key, what };
    },
    // Step `step`'s claim "`name` `expected` (falls|rises) on annealing", tested on the summary.
    claim(step, key, name, expected, asPercent = false) {
      const have = rows.filter((r) => Number.isFinite(val(r, key)) && val(r, key) > 0);
      if (have.length < 2) {
        claims.set(step, { key, expected, verdict: 'no data' });
        return `This ensemble has ${name} at fewer than two T<sub>p</sub>: the claim cannot be tested here.`;
      }
      const [lo, hi] = [have[0], have[have.length - 1]]; // coldest, hottest
      const f = val(lo, key) / val(hi, key);
      const rel = Math.hypot(err(lo, key) / val(lo, key), err(hi, key) / val(hi, key));
      const sigma = Number.isFinite(rel) && rel > 0 ? Math.log(f) / rel : NaN;
      const went = f < 1 ? 'falls' : 'rises';
      let verdict = 'unresolved';
      if (Number.isFinite(sigma) && Math.abs(sigma) > 2) verdict = went === expected ? 'holds' : 'contradicts';
      claims.set(step, { key, expected, observed: went, ratio: f, error: f * rel, sigma, verdict });
      const range = `from T<sub>p</sub> = ${t(hi.tp)} to ${t(lo.tp)}`;
      const size = asPercent
        ? `changes by ${f < 1 ? '−' : '+'}${fmt(Math.abs(1 - f) * 100, 2)} ± ${fmt(f * rel * 100, 1)} %`
        : `changes by a factor ${fmt(f, 3)} ± ${fmt(f * rel, 2)}`;
      const z = Number.isFinite(sigma) ? `${fmt(Math.abs(sigma), 2)} σ` : 'no errors in the summary';
      const tail = {
        holds: ` (it ${went}, ${z}): the paper's trend.`,
        contradicts: ` (it ${went}, ${z}): the opposite of the paper's trend, where ${name} ${expected} on annealing.`,
        unresolved: ` (${z}): within 2 σ of no change, so it neither confirms nor contradicts the paper's trend.`,
      }[verdict];
      let extra = bump(have, key, name, expected);
      if (key.endsWith('soft_spots') && tOnset && lo.tp < tOnset) {
        // the paper's law, 𝒩 ∝ exp(−E_QLM/T_p) below T_onset and flat above, over this range
        const top = Math.min(hi.tp, tOnset);
        const expect = Math.exp(-PAPER_E_QLM * (tOnset / lo.tp - tOnset / top));
        extra += ` How much is another matter: the paper's E<sub>QLM</sub> = ${PAPER_E_QLM} T<sub>onset</sub> (𝒩 flat above T<sub>onset</sub>) would give a factor ≈ ${fmt(expect, 2)} over this range`;
        const off = Math.log(f / expect) / rel; // σ of the log ratio
        if (verdict === 'holds' && Math.abs(off) > 2) extra += `, and the fall here is ${off > 0 ? 'weaker' : 'stronger'} than that (${fmt(Math.abs(off), 2)} σ; step 4 measures E<sub>QLM</sub>).`;
        else extra += '.';
      }
      if (verdict === 'contradicts') {
        extra += ` Shown as computed: this ensemble is small (N = ${d.provenance?.n ?? '?'}, ${samplesText(d.provenance)}), and its deepest T<sub>p</sub> is ${t(lo.tp)}.`;
      }
      return `${strong(verdict)} ${name} ${size} ${range}${tail}${extra}`;
    },
    // Step 4: the primary estimator's fit (quartic count, else harmonic count, else the
    // secondary rank fit), its range, statistical and calibration errors, against the paper.
    boltzmann() {
      const p = d.parsed;
      // the fit of the 𝒩 the figure draws, and no other: Fig. 5 says "no Boltzmann fit" without it
      const key = shown.fit_key;
      const b = Number.isFinite(p[key]?.e_qlm) ? p[key] : null;
      if (!b) {
        const note = p[key]?.note;
        claims.set(4, { key: null, verdict: 'no data' });
        return `This ensemble gives no fit of the 𝒩 the figure draws${note ? ` (${note})` : ''}, so the claim cannot be tested here.`;
      }
      const what = {
        boltzmann_quartic: 'the Poisson fit of the number of quartic modes below ½ ω<sub>g</sub>',
        boltzmann_count: 'the Poisson fit of the number of harmonic modes below x ω<sub>g</sub>',
        boltzmann: 'the least-squares fit of 𝒩 = A<sub>g</sub> ω<sub>g</sub><sup>5</sup> (a secondary estimator, biased with few modes)',
      }[key];
      const sys = tOnset && b.systematic_over_t_onset ? ` ± ${fmt(b.systematic_over_t_onset, 2)} (T<sub>onset</sub> calibration)` : '';
      const e = tOnset ? `${fmt(b.e_qlm / tOnset, 3)} ± ${fmt(b.error / tOnset, 2)}${sys} T<sub>onset</sub>` : `${fmt(b.e_qlm, 3)} ± ${fmt(b.error, 2)} (model units)`;
      // the fitted T_p as a range when there are more than two (the figure shades them)
      const used = [...(b.tp_used ?? [])].sort((x, y) => x - y);
      const over = used.length > 2
        ? ` over the ${used.length} T<sub>p</sub> from ${t(used[0])} to ${t(used[used.length - 1])}`
        : used.length ? ` over T<sub>p</sub> = ${used.map(t).join(', ')}` : '';
      let verdict = 'unresolved';
      let says = '';
      // goodness of fit: the Poisson deviance against its χ² law (mean dof, spread √(2 dof));
      // more than 3 spreads above the mean is a poor fit, which the text must say
      const [dev, dof] = [b.deviance, b.dof];
      const poor = Number.isFinite(dev) && dof >= 1 && dev > dof + 3 * Math.sqrt(2 * dof);
      const fitQuality = !Number.isFinite(dev) || !(dof >= 1) ? ''
        : poor
          ? ` The law fits these points poorly: Poisson deviance ${fmt(dev, 3)} for ${dof} degrees of freedom, where counts that follow it give ${dof} ± ${fmt(Math.sqrt(2 * dof), 2)}.`
          : ` The law fits these points (Poisson deviance ${fmt(dev, 3)} for ${dof} degrees of freedom).`;
      if (tOnset) {
        const [v, er] = [b.e_qlm / tOnset, b.error / tOnset];
        // the paper's E_QLM is of its 3D glasses: a 2D ensemble is compared with it, and says so
        const paper = calibration.dim === 2
          ? `the paper's ${PAPER_E_QLM} T<sub>onset</sub> (found in 3D; the paper gives no 2D value)`
          : `the paper's ${PAPER_E_QLM} T<sub>onset</sub>`;
        const total = Math.hypot(er, b.systematic_over_t_onset ?? 0);
        const fromPaper = (PAPER_E_QLM - v) / total;
        const vsPaper = ` It lies ${fmt(Math.abs(fromPaper), 2)} σ ${fromPaper > 0 ? 'below' : 'above'} that value.`;
        // the claim is E_QLM ≈ 3.3 T_onset: it holds within 2 σ of it (and above zero), fails
        // more than 2 σ from it, and is not resolved when the error spans both 0 and 3.3
        const nearPaper = Math.abs(fromPaper) <= 2;
        const nearZero = v - 2 * er <= 0;
        if (nearPaper && !nearZero) {
          verdict = 'holds';
          says = ` That is a Boltzmann depletion consistent with ${paper} (within 2 σ).`;
        } else if (nearPaper) {
          says = ` Its error spans both no depletion and ${paper}: more samples or deeper T<sub>p</sub> are needed.`;
        } else {
          verdict = 'contradicts';
          if (v + 2 * er < 0) says = ` That is the opposite of the paper's trend: here 𝒩 rises on cooling, where the paper finds E<sub>QLM</sub> ≈ ${PAPER_E_QLM} T<sub>onset</sub> in 3D.${vsPaper}`;
          else if (nearZero) says = ` That is no depletion measurable in this range (within 2 σ of zero), unlike ${paper}.${vsPaper}`;
          else if (poor) says = ` 𝒩 falls over the fit range, not cleanly, and its E<sub>QLM</sub> is ${fmt(v / PAPER_E_QLM, 2)} times ${paper}.${vsPaper}`;
          else says = ` 𝒩 does fall as a Boltzmann law here, but its E<sub>QLM</sub> is ${fmt(v / PAPER_E_QLM, 2)} times ${paper}.${vsPaper}`;
        }
        claims.set(4, { key, expected: PAPER_E_QLM, value: v, error: er, sigma: fromPaper, verdict, fit: poor ? 'poor' : 'good' });
      } else {
        claims.set(4, { key, expected: PAPER_E_QLM, value: b.e_qlm, error: b.error, verdict: 'unresolved' });
        says = ' Without a calibration it cannot be compared with the paper.';
      }
      return `${strong(verdict, `E<sub>QLM</sub> ≈ ${PAPER_E_QLM} T<sub>onset</sub>`)} ${what}${over} gives E<sub>QLM</sub> = ${e}.${says}${fitQuality}${key === 'boltzmann_quartic' ? scanText() : ''}`;
    },
  };
}

function samplesText(p) {
  const n = p?.samples_per_tp;
  if (!n?.length) return 'samples per T<sub>p</sub> not recorded';
  const [a, b] = [Math.min(...n), Math.max(...n)];
  return `${a === b ? a : `${a}–${b}`} samples per T<sub>p</sub>`;
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(digits - 1) : String(Number(x.toPrecision(digits)));
}

function code(text) {
  const c = document.createElement('code');
  c.textContent = text;
  return c;
}

function showProvenance(p) {
  const box = $('lecture-provenance');
  box.replaceChildren();
  const line = (label, ...parts) => {
    const div = document.createElement('div');
    div.append(label, ...parts);
    box.append(div);
  };
  line(`Data: ${p.label}, seed ${p.seed}, T_p = ${p.tp.join(', ')}; made ${p.date}.`);
  if (p.parts) {
    // every part of the ensemble with its own protocol, sweeps, samples and date
    for (const part of p.parts) {
      const verdict = part.assessed ? `, ${part.equilibrated} of ${part.assessed} equilibrated by their τ_α verdict` : ', equilibration not assessed';
      const per = part.tp?.length && part.samples % part.tp.length === 0 ? ` (${part.samples / part.tp.length} per T_p)` : '';
      line(`${part.samples} samples${per} at T_p = ${part.tp.join(', ')}: ${part.protocol}; ${part.sweeps_per_sample} sweeps per sample at its T_p${verdict}; engine ${part.engine}; made ${part.date}. Produced by:`, code(part.command ?? part.file));
    }
  } else {
    line(`${p.sweeps} swap-MC sweeps per sample.`);
    for (const c of p.commands) line('Produced by:', code(c));
  }
  if (p.summarize_command) line('Summarised by:', code(p.summarize_command));
  else line('Summarised by pinchglass calibrate itself (it writes summary.json).');
  if (p.calibration) {
    const err = p.calibration.t_onset_error ? ` ± ${+p.calibration.t_onset_error.toPrecision(2)}` : '';
    line(`Units (T_onset = ${p.calibration.t_onset}${err}) from:`, code(p.calibration.file));
    if (p.calibration.command && !p.commands.includes(p.calibration.command)) line('made by:', code(p.calibration.command));
  } else {
    line('Units: the model\'s (no calibration shipped).');
  }
  line(`Copied by ${p.copied_by} from:`, code(p.source));
}

// A step chosen by the reader adds a history entry (Back returns to the previous step); the first
// display and Back/Forward themselves only replace it.
function updateUrl(how = 'replace') {
  if (document.body.dataset.mode !== 'lecture') return;
  const q = new URLSearchParams();
  q.set('mode', 'lecture');
  q.set('step', String(L.step));
  if (L.dataset && index && L.dataset !== index.datasets[0].id) q.set('data', L.dataset);
  if (L.presenter) q.set('present', '1');
  const url = `${location.pathname}?${q}`;
  if (how === 'push' && url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

// The figure's canvas: 900 × 620 (the CSS scales it down); below 900 px of window the canvas is
// drawn at the width it is shown (at least 360 px), so its text keeps a readable size (the
// figures scale their type with the canvas, down to 9 px).
function fitCanvas() {
  // the presenter view keeps the full 900 × 620 figure; elsewhere it follows the screen
  fitFigure($('lecture-canvas'), [900, 620], !L.presenter);
}

// Presenter view: each step's text and figure on one screen (1280 × 720 and up), larger type,
// fullscreen where the browser allows it; Esc (leaving fullscreen) or the button ends it.
function setPresenter(on) {
  L.presenter = on;
  document.body.dataset.presenter = on ? '1' : '';
  $('lecture-present').setAttribute('aria-pressed', String(on));
  $('lecture-present').textContent = on ? 'leave presenter view' : 'presenter view';
  if (on && !document.fullscreenElement && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  } else if (!on && document.fullscreenElement) {
    document.exitFullscreen().catch(() => {});
  }
  updateUrl();
  if (L.drawn.size) go(L.step, 'replace');
}

// Shows step k (1-based) of the current dataset.
async function go(k, how = 'push') {
  k = Math.min(STEPS.length, Math.max(1, Math.round(Number(k)) || 1));
  L.step = k;
  if (how === 'push') $('lecture-url-note').textContent = ''; // the user has moved on from the link
  document.body.dataset.lectureStep = String(k);
  const s = STEPS[k - 1];
  $('lecture-position').textContent = `step ${k} of ${STEPS.length}`;
  $('lecture-prev').disabled = k === 1;
  $('lecture-next').disabled = k === STEPS.length;
  $('lecture-title').innerHTML = `${k}. ${s.title}`;
  for (const [m, li] of [...$('lecture-steps').children].entries()) {
    li.classList.toggle('current', m === k - 1);
    if (m === k - 1) li.firstChild.setAttribute('aria-current', 'step');
    else li.firstChild.removeAttribute('aria-current');
  }
  updateUrl(how);
  try {
    const d = await dataset(L.dataset);
    if (L.step !== k) return; // a later click won
    const claims = new Map();
    $('lecture-text').innerHTML = s.text(context(d, claims));
    L.claims = Object.fromEntries(claims);
    $('lecture-text').dataset.claim = claims.get(k)?.verdict ?? '';
    fitCanvas();
    draw.draw_ensemble_figure('lecture-canvas', s.figure, d.summary, d.calibration ?? undefined);
    $('lecture-canvas').setAttribute('role', 'img');
    $('lecture-canvas').setAttribute('aria-label', `Step ${k} figure: ${$('lecture-title').textContent.replace(/^\d+\.\s*/, '')}. ${$('lecture-text').textContent}`);
    L.figure = s.figure;
    L.provenance = d.provenance;
    L.drawn.add(k);
    $('lecture-error').textContent = '';
    setState('ready');
  } catch (e) {
    $('lecture-error').textContent = `the lecture data could not be shown: ${e.message || e}`;
    setState('error');
  }
}

async function chooseDataset(id, how = 'replace') {
  L.dataset = id;
  $('lecture-data').value = id;
  try {
    const d = await dataset(id);
    showProvenance(d.provenance);
  } catch (e) {
    $('lecture-error').textContent = `the lecture data could not be loaded: ${e.message || e}`;
    setState('error');
    return;
  }
  await go(L.step, how);
}

export function initLecture(pageApi) {
  api = pageApi;
  L = {
    state: 'idle', step: 1, presenter: false, setPresenter: (on) => setPresenter(Boolean(on)), steps: STEPS.map((s) => ({ figure: s.figure, title: s.title.replace(/<\/?sub>/g, '') })), dataset: null,
    provenance: null, figure: null, drawn: new Set(), claims: {},
    go: (k) => go(k), next: () => go(L.step + 1), prev: () => go(L.step - 1),
  };
  api.lecture = L;
  $('lecture-steps').replaceChildren(...STEPS.map((s, m) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `?mode=lecture&step=${m + 1}`;
    a.innerHTML = s.title;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      go(m + 1);
    });
    li.append(a);
    return li;
  }));
  // on a phone the provenance (commands, parts) starts folded, so that the step comes first
  if (window.innerWidth < 700) $('lecture-provenance-box').open = false;
  $('lecture-present').addEventListener('click', () => setPresenter(!L.presenter));
  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && L.presenter) setPresenter(false);
  });
  let narrow = window.innerWidth < 900;
  window.addEventListener('resize', () => {
    if (document.body.dataset.mode !== 'lecture' || !L.drawn.size) return;
    const now = window.innerWidth < 900;
    if (now !== narrow || now) {
      narrow = now;
      go(L.step, 'replace');
    }
  });
  $('lecture-prev').addEventListener('click', () => go(L.step - 1));
  $('lecture-next').addEventListener('click', () => go(L.step + 1));
  $('lecture-data').addEventListener('change', () => chooseDataset($('lecture-data').value, 'push'));
  document.addEventListener('keydown', (e) => {
    if (document.body.dataset.mode !== 'lecture' || e.target.closest?.('input, select, textarea, [role="tab"], canvas')) return;
    if (e.key === 'ArrowRight') go(L.step + 1);
    if (e.key === 'ArrowLeft') go(L.step - 1);
    // Esc leaves the presenter view also when it is not fullscreen (opened by a link, which
    // cannot start fullscreen; in fullscreen the browser's Esc ends it and fullscreenchange follows)
    if (e.key === 'Escape' && L.presenter && !document.fullscreenElement) setPresenter(false);
  });
  $('mode-lecture').querySelector('button.png').addEventListener('click', () => {
    const a = document.createElement('a');
    a.href = pngDataUrl('lecture-canvas');
    a.download = `pinchglass-lecture-${L.dataset}-step${L.step}-${L.figure}.png`;
    document.body.append(a);
    a.click();
    a.remove();
  });
}

// The step (into L.step) and the dataset id (returned) a link asks for. A step or dataset the
// Lecture does not have is replaced by the nearest step or the first dataset, and the note under
// the dataset control says so (a mistyped link is not shown silently as another one).
function fromUrl(q) {
  const notes = [];
  const step = q.get('step');
  const k = step === null ? 1 : Number(step);
  L.step = Math.min(STEPS.length, Math.max(1, Math.round(k) || 1));
  if (step !== null && k !== L.step) {
    notes.push(linkAsks('step', step, 'the Lecture does not have', `steps 1 to ${STEPS.length}`, `step ${L.step}`));
  }
  const want = q.get('data');
  const known = index.datasets.find((d) => d.id === want);
  const id = known ? want : index.datasets[0].id;
  if (want !== null && !known) {
    notes.push(linkAsks('the ensemble', want, 'the Lecture data do not have', index.datasets.map((d) => d.id).join(', '), index.datasets[0].label));
  }
  $('lecture-url-note').textContent = notes.join(' ');
  return id;
}

// The mode is shown: data index, dataset and step from the URL the first time.
export async function showLecture() {
  if (!index) {
    setState('loading');
    try {
      index = JSON.parse(await fetchText('data/index.json'));
      if (!index.datasets?.length) throw new Error('data/index.json lists no ensembles');
    } catch (e) {
      index = null;
      $('lecture-error').textContent = `no lecture data: ${e.message || e} (./build.sh wasm copies it into www/data/)`;
      setState('error');
      return;
    }
    $('lecture-data').replaceChildren(...index.datasets.map((d) => {
      const o = document.createElement('option');
      o.value = d.id;
      o.textContent = d.label;
      return o;
    }));
    const q = new URLSearchParams(location.search);
    const want = fromUrl(q);
    if (q.get('present') === '1') {
      L.presenter = true;
      document.body.dataset.presenter = '1';
      $('lecture-present').setAttribute('aria-pressed', 'true');
      $('lecture-present').textContent = 'leave presenter view';
    }
    await chooseDataset(want);
    return;
  }
  await go(L.step, 'replace');
}

// Back / Forward within the Lecture mode: the step (and dataset) of the URL.
export async function lectureFromUrl() {
  if (!index) {
    await showLecture();
    return;
  }
  const id = fromUrl(new URLSearchParams(location.search));
  if (id !== L.dataset) await chooseDataset(id, 'replace');
  else await go(L.step, 'replace');
}
