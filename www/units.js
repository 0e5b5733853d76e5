// The paper's units in the page (Explore and the Temperature sweep): the shipped calibration of the
// dimension (the module's `shipped_units`, which holds at its density only) or a link's own T_onset,
// and T_p typed in T_onset converted by the module's `tp_from_onset` (x·T_onset rounded to 12
// significant digits, so that a link in T_onset gives the run of the model-unit value it denotes).

import * as wasm from './pkg-single/pinchglass.js';

// A decimal number as Rust's f64 parser reads it (no hex, no "Infinity").
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

// The paper units that apply to raw = {units, dim, density, tonset?}: {paper: null (model units) |
// {...shipped_units, t_onset (the link's or the shipped), shipped_t_onset}, errors: refusals for the
// 'units' control}.
export function unitsOf(raw) {
  if (raw.units === 'model') return { paper: null, errors: [] };
  const refuse = (message) => ({ paper: null, errors: [{ field: 'units', message }] });
  if (raw.units !== 'paper') return refuse(`units must be "paper" or "model", got "${String(raw.units ?? '').slice(0, 32)}"`);
  // a density that is not a positive number has its own message next to the density control; the
  // units control adds none (no calibration could apply, and T_p is then not judged either)
  const density = String(raw.density ?? '').trim();
  if (density !== '' && !(DECIMAL.test(density) && Number(density) > 0 && Number.isFinite(Number(density)))) {
    return { paper: null, errors: [] };
  }
  const u = JSON.parse(wasm.shipped_units(Number(raw.dim), String(raw.density ?? '')));
  if (!u.applies) return refuse(`${u.reason}. Choose model units for this density.`);
  let tOnset = u.t_onset;
  if (raw.tonset) {
    tOnset = DECIMAL.test(raw.tonset.trim()) ? Number(raw.tonset) : NaN;
    if (!(tOnset > 0 && Number.isFinite(tOnset))) return refuse(`the link's T_onset must be a positive number, got "${raw.tonset.slice(0, 32)}"`);
  }
  return { paper: { ...u, t_onset: tOnset, shipped_t_onset: u.t_onset }, errors: [] };
}

// The module's t_onset argument: the paper's T_onset, undefined in model units, and NaN when the
// paper's units were asked for but refused (the module then reads T_p without judging it in the
// wrong unit: the units control's message says what to fix).
export function onsetArgument(raw, units) {
  if (units.paper) return units.paper.t_onset;
  return raw.units === 'model' ? undefined : NaN;
}
