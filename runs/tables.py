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
    # the counting estimators (primary): harmonic and quartic counts, the softest modes, equilibration
    print("\n| T_p/T_onset | samples | equilibrated | τ_α median [sweeps] | K harmonic (x ω_g) | 𝒩 harmonic count "
          "| K quartic (x_q ω_g) | 𝒩 quartic count | free slope (quartic) | softest ω_π [c∞/a0] (SI S-4) | ξ_QLM softest [a0] |")
    print("|" + "---|" * 11)
    freq, a0 = u["frequency"], u["a0"]
    for t in rows:
        c, q = t.get("count") or {}, t.get("quartic_count") or {}
        soft = (t.get("quartic") or {}).get("softest") or {}
        so = soft.get("omega")
        xs = soft.get("xi_qlm")
        print(f"| {t['reduced']['tp']:.3g} | {t['samples']} | {t.get('equilibrated')}/{t.get('assessed')} "
              f"| {t.get('tau_alpha_median') or float('nan'):.3g} | {c.get('modes', 'n/a')} | {pm(c.get('soft_spots'))} "
              f"| {q.get('modes', 'n/a')} | {pm(q.get('soft_spots'))} | {pm(q.get('slope'))} "
              f"| {pm({'value': so['value'] / freq, 'error': so['error'] / freq}) if so else 'n/a'} "
              f"| {pm({'value': xs['value'] / a0, 'error': xs['error'] / a0}) if xs else 'n/a'} |")
    for key, name in (("boltzmann_quartic", "quartic count"), ("boltzmann_count", "harmonic count")):
        b = v.get(key) or {}
        if b.get("e_qlm") is not None:
            sys_err = b.get("systematic_over_t_onset")
            print(f"\nBoltzmann fit of the {name} (Poisson) over T_p = {b['tp_used']} ({b['range']}): "
                  f"E_QLM = {b['e_qlm']:.4g} ± {b['error']:.2g} (model units) = "
                  f"{b.get('e_qlm_over_t_onset', float('nan')):.3g} ± {b.get('error_over_t_onset', float('nan')):.2g} (stat.)"
                  + (f" ± {sys_err:.2g} (T_onset)" if sys_err is not None else "") + " T_onset"
                  f"; deviance {b.get('deviance')} for {b.get('dof')} dof")
        else:
            print(f"\nBoltzmann fit of the {name}: none ({b.get('note')})")
    scan = (v.get("boltzmann_quartic_scan") or {}).get("fits") or []
    if scan:
        tpmax = v["boltzmann_quartic_scan"].get("tp_max")
        print(f"\nThe quartic count's window: Boltzmann fit for each x_q over T_p <= {tpmax} "
              "(K = quartic modes below x_q ω_g per T_p, coldest first)\n")
        print("| x_q | E_QLM / T_onset (stat.) | deviance / dof | K per T_p | free slope at the hottest T_p |")
        print("|---|---|---|---|---|")
        for f in scan:
            b = f["fit"]
            e = (f"{b['e_qlm_over_t_onset']:.3g} ± {b['error_over_t_onset']:.2g}"
                 if b.get("e_qlm_over_t_onset") is not None else "no fit")
            used = set(b.get("tp_used") or [])
            ks = ", ".join(str(c["modes"]) for c in f["counts"] if c["tp"] in used)
            hot = max(f["counts"], key=lambda c: c["tp"])
            sl = (f"{hot['slope']:.2g} ± {hot['slope_error']:.1g}" if hot.get("slope") is not None else "n/a")
            dev = f"{b['deviance']:.2g} / {b['dof']}" if b.get("deviance") is not None else ""
            print(f"| {f['fraction']:g} | {e} | {dev} | {ks} | {sl} |")
        print()
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
