#!/usr/bin/env python3
"""Markdown tables of a `pinchglass summarize` result (used for docs/reproduction.md).

    python3 runs/tables.py runs/3d-n1000/summary.json

Needs a summary made with `--calibration` (the `reduced` values and `units`); prints one row per
T_p in the paper's units, then the trends over the T_p range that docs/reproduction.md compares
with the paper. Standard library only.
"""
import json
import math
import sys


def pm(e, digits=3):
    if e is None or e.get("value") is None:
        return "n/a"
    v, s = e["value"], e.get("error")
    if s is None or not math.isfinite(s):
        return f"{v:.{digits}g}"
    return f"{v:.{digits}g} ± {s:.2g}"


def main(path):
    v = json.load(open(path))
    u = v.get("units")
    if u is None:
        sys.exit(f"{path}: run `pinchglass summarize DIR --calibration FILE` first")
    rows = v["temperatures"]
    print(f"units: T_onset = {u['t_onset']}, c_inf/a0 = {u['frequency']:.4g}, a0 = {u['a0']:.4g}, "
          f"G_inf = {u['g_inf']:.4g} ({u['source']})\n")
    print("| T_p | T_p/T_onset | samples | drift of U/N | e_IS | G/G∞ | ω_g [c∞/a0] | ω_g(all)/ω_g | ξ_g [a0] "
          "| A_g [(a0/c∞)⁵] | modes in window | 𝒩 = A_g ω_g⁵ | ξ_s [a0] | ξ_co [a0] | ξ_QLM [a0] |")
    print("|" + "---|" * 15)
    for t in rows:
        r = t["reduced"]
        print(f"| {t['tp']:g} | {r['tp']:.3g} | {t['samples']} | {pm(t['parent_drift'], 2)} "
              f"| {pm(t['inherent_energy'], 5)} | {pm(r['shear_modulus'])} | {pm(r['omega_g'])} "
              f"| {pm(t['omega_g_ratio'])} | {pm(r['xi_g'])} | {pm(r['a_g'])} | {t['modes_in_window']} "
              f"| {pm(r['soft_spots'])} | {pm(r['xi_s'])} | {pm(r.get('xi_co'))} | {pm(r.get('xi_qlm'))} |")
    b = v.get("boltzmann")
    if b:
        print(f"\nBoltzmann fit over T_p = {b['tp_used']}: E_QLM = {b['e_qlm']:.4g} ± {b['error']:.2g} "
              f"(model units) = {b.get('e_qlm_over_t_onset', float('nan')):.3g} ± "
              f"{b.get('error_over_t_onset', float('nan')):.2g} T_onset")
    fitted = [t for t in rows if t["a_g"] is not None]
    if len(fitted) >= 2:
        lo, hi = fitted[0], fitted[-1]
        dec = math.log10(hi["a_g"]["value"] / lo["a_g"]["value"])
        print(f"A_g: {dec:.2f} decades from T_p = {lo['tp']:g} to {hi['tp']:g}")
        dn = math.log10(hi["soft_spots"]["value"] / lo["soft_spots"]["value"])
        print(f"N: {dn:.2f} decades over the same range")
    w = [t["omega_g"]["value"] for t in rows]
    print(f"omega_g: coldest / hottest = {w[0] / w[-1]:.3f}, coldest / max over T_p >= T_onset = "
          f"{w[0] / max(t['omega_g']['value'] for t in rows if t['reduced']['tp'] >= 1.0 - 1e-9) if any(t['reduced']['tp'] >= 1.0 - 1e-9 for t in rows) else float('nan'):.3f}")
    x = [t["xi_g"]["value"] for t in rows]
    print(f"xi_g: coldest / hottest = {x[0] / x[-1]:.3f} (change {100 * (x[0] / x[-1] - 1):.0f} %)")
    for t in rows:
        for msg in t.get("warnings", []):
            print(f"warning T_p = {t['tp']:g}: {msg}")


if __name__ == "__main__":
    main(sys.argv[1])
