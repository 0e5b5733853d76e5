//! The browser API (`pinchglass::wasm`) tested inside headless Chromium with wasm-bindgen-test:
//! parameter refusals, the arrays and JSON of a run in 2D and 3D, errors instead of panics, and
//! physics invariants seen through the boundary (pinch fields without translation, ω_g^(ij)
//! recomputed from a pinch field, reproducibility). Native `cargo test` skips this file.
//!
//! Run by `./build.sh test` (step `test_wasm_api`), or by hand with the single-threaded build:
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test --target wasm32-unknown-unknown --no-default-features --test wasm_api
//! ```
#![cfg(target_arch = "wasm32")]

use js_sys::Function;
use pinchglass::wasm::{
    bench_engine, check_form, check_parameters, check_sweep_form, force_filter, init,
    inspect_configuration, max_particles, min_particles, nearest_pair, run_configuration,
    run_glass, shown_soft_spots, threaded_build, GlassRun, MAX_SEED,
};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// ------------------------------------------------------------------------------- helpers

/// A run's parameters as `check_parameters` and `run_glass` take them: `(dim, n, tp, seed,
/// sweeps, density)`.
type Args = (f64, f64, f64, f64, f64, Option<f64>);

/// `check_parameters` parsed: `(field, message)` per refusal.
fn refusals((dim, n, tp, seed, sweeps, density): Args) -> Vec<(String, String)> {
    let text = check_parameters(dim, n, tp, seed, sweeps, density);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert!(
        v.is_array(),
        "check_parameters did not return an array: {text}"
    );
    field_messages(&v)
}

/// A JSON array of refusals `[{"field", "message"}]` as `(field, message)` pairs.
fn field_messages(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array of refusals: {v}"))
        .iter()
        .map(|r| {
            (
                r["field"].as_str().expect("field").to_string(),
                r["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

/// The message of the first refusal of a form check's answer (`{"errors": [...]}`).
fn first_message(v: &Value) -> &str {
    v["errors"][0]["message"].as_str().expect("a first refusal")
}

/// The single refusal of a call that should refuse exactly one field.
fn single_refusal(args: Args) -> (String, String) {
    let r = refusals(args);
    assert_eq!(
        r.len(),
        1,
        "(dim, n, tp, seed, sweeps, density) = {args:?}: {r:?}"
    );
    r.into_iter().next().unwrap()
}

/// The message of a `JsError` (a JavaScript `Error` once it crosses the boundary).
fn message(e: JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Error::from(v).message().into()
}

fn quiet() -> Function {
    Function::new_no_args("")
}

fn run(dim: usize, n: usize, tp: f64, seed: u64, sweeps: usize) -> GlassRun {
    init();
    run_glass(
        dim as f64,
        n as f64,
        tp,
        seed as f64,
        sweeps as f64,
        None,
        &quiet(),
    )
    .unwrap_or_else(|e| {
        panic!(
            "run_glass({dim}, {n}, {tp}, {seed}, {sweeps}): {}",
            message(e)
        )
    })
}

fn results(g: &GlassRun) -> Value {
    let text = g.results_json();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("results_json does not parse: {e}"))
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(f64::MIN_POSITIVE)
}

/// The keys of `pinchglass analyze --json` (README), all of which the page's results carry.
const ANALYZE_KEYS: [&str; 26] = [
    "n",
    "dim",
    "volume",
    "a0",
    "density",
    "energy",
    "energy_per_particle",
    "pressure",
    "max_force",
    "forces",
    "rattlers",
    "n_zero_modes",
    "pairs",
    "omega_g",
    "omega_g_all",
    "n_pairs",
    "n_pairs_filtered",
    "force_filter",
    "shear_modulus",
    "shear_modulus_planes",
    "shear_wave_speed",
    "timings_seconds",
    "seed",
    "parameters",
    "quench",
    "warnings",
];

/// Everything a run must satisfy, whatever the dimension: consistent array lengths, the JSON
/// of the CLI, and pinch fields that are `H⁺d` of the right pair.
fn check_run(g: &GlassRun, dim: usize, n: usize, tp: f64, seed: u64, sweeps: usize) {
    assert_eq!(g.dim(), dim);
    assert_eq!(g.n(), n);

    // arrays
    let pos = g.positions().to_vec();
    let sizes = g.sizes().to_vec();
    let l = g.box_lengths().to_vec();
    assert_eq!(pos.len(), dim * n, "positions: d·N numbers");
    assert_eq!(sizes.len(), n, "sizes: N numbers");
    assert_eq!(l.len(), dim, "box_lengths: d numbers");
    for (k, x) in pos.iter().enumerate() {
        assert!(
            x.is_finite() && *x >= 0.0 && *x <= l[k % dim],
            "position {k} = {x} not wrapped into the box {l:?}"
        );
    }
    for s in &sizes {
        assert!(
            (1.0..=2.22 + 1e-12).contains(s),
            "size {s} outside [1, 2.22]"
        );
    }
    let pi = g.pair_i().to_vec();
    let pj = g.pair_j().to_vec();
    let omega = g.pair_omega().to_vec();
    let scaled = g.pair_scaled_force().to_vec();
    assert!(!pi.is_empty(), "a glass has interacting pairs");
    assert_eq!(pj.len(), pi.len());
    assert_eq!(omega.len(), pi.len());
    assert_eq!(scaled.len(), pi.len());
    for k in 0..pi.len() {
        assert!((pi[k] as usize) < n && (pj[k] as usize) < n && pi[k] != pj[k]);
        assert!(
            omega[k].is_finite() && omega[k] > 0.0,
            "omega[{k}] = {}",
            omega[k]
        );
        assert!(scaled[k].is_finite() && scaled[k] > 0.0);
    }
    let ts = g.energy_trace_sweeps().to_vec();
    let te = g.energy_trace().to_vec();
    assert!(!ts.is_empty());
    assert_eq!(
        ts.len(),
        te.len(),
        "energy trace: as many sweeps as energies"
    );
    assert!(g.tune_sweeps() <= sweeps);

    // results_json: the CLI's keys and the same numbers as the getters
    let r = results(g);
    for key in ANALYZE_KEYS {
        assert!(r.get(key).is_some(), "results_json lacks `{key}`");
    }
    assert_eq!(r["n"].as_u64(), Some(n as u64));
    assert_eq!(r["dim"].as_u64(), Some(dim as u64));
    assert_eq!(r["seed"].as_u64(), Some(seed));
    assert_eq!(r["tp"].as_f64(), Some(tp));
    assert_eq!(r["sweeps"].as_u64(), Some(sweeps as u64));
    assert!(r["swap_mc"].is_object());
    let rattlers: Vec<usize> = r["rattlers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect();
    assert!(
        rattlers.iter().all(|&i| i < n) && rattlers.len() < n / 2,
        "{rattlers:?}"
    );

    // spectrum: the dense route's `eigenvalues` (all d(N − rattlers), the d zero modes at the
    // bottom) or the sparse route's `lowest_eigenvalues` (the lowest non-zero ones); either way
    // ascending and positive above the zero modes (the glass is at a minimum)
    let nz = g.n_zero_modes();
    assert_eq!(nz, dim, "a rigid glass in a periodic box has d zero modes");
    assert_eq!(r["n_zero_modes"].as_u64(), Some(nz as u64));
    let ascending = |v: &[f64]| v.windows(2).all(|w| w[0] <= w[1]);
    if let Some(all) = r.get("eigenvalues") {
        let all = numbers(all);
        assert_eq!(
            all.len(),
            dim * (n - rattlers.len()),
            "eigenvalues: d(N − rattlers)"
        );
        assert!(ascending(&all), "eigenvalues not ascending");
        let top = all[all.len() - 1];
        assert!(
            all[..nz].iter().all(|x| x.abs() < 1e-8 * top),
            "zero modes {:?}",
            &all[..nz]
        );
        assert!(
            all[nz..].iter().all(|x| *x > 0.0),
            "a negative eigenvalue at a minimum"
        );
        let eig = g.eigenvalues().to_vec();
        assert!(
            eig.is_empty()
                || (eig.len() == all.len()
                    && eig.iter().zip(&all).all(|(a, b)| close(*a, *b, 1e-14))),
            "eigenvalues() differs from results_json's eigenvalues"
        );
    } else {
        let lowest = r
            .get("lowest_eigenvalues")
            .expect("results_json has neither `eigenvalues` nor `lowest_eigenvalues`");
        let lowest = numbers(lowest);
        assert!(
            !lowest.is_empty() && lowest.len() < dim * n,
            "{} lowest",
            lowest.len()
        );
        assert!(ascending(&lowest), "lowest eigenvalues not ascending");
        assert!(
            lowest.iter().all(|x| *x > 0.0),
            "a non-positive lowest eigenvalue: {lowest:?}"
        );
    }
    let forces = numbers(&r["forces"]);
    assert_eq!(forces.len(), dim * n, "forces: d·N numbers");
    let max_force = r["max_force"].as_f64().unwrap();
    assert!(max_force < 1e-8, "not at a minimum: max |F| = {max_force}");
    let energy = r["energy"].as_f64().unwrap();
    let volume = r["volume"].as_f64().unwrap();
    assert!(energy.is_finite() && energy > 0.0);
    assert!(close(
        r["energy_per_particle"].as_f64().unwrap(),
        energy / n as f64,
        1e-14
    ));
    assert!(close(volume, l.iter().product(), 1e-12));
    assert!(r["pressure"].as_f64().unwrap() > 0.0);
    assert_eq!(r["force_filter"].as_f64(), Some(force_filter()));
    let planes = r["shear_modulus_planes"].as_object().unwrap();
    let want: &[&str] = if dim == 2 {
        &["xy"]
    } else {
        &["xy", "xz", "yz"]
    };
    assert_eq!(planes.len(), want.len(), "{planes:?}");
    for p in want {
        assert!(
            planes.contains_key(*p),
            "shear plane {p} missing: {planes:?}"
        );
    }
    let g_mean = planes.values().map(|v| v.as_f64().unwrap()).sum::<f64>() / want.len() as f64;
    let shear = r["shear_modulus"].as_f64().unwrap();
    assert!(
        shear > 0.0 && close(shear, g_mean, 1e-12),
        "G = {shear}, planes {planes:?}"
    );
    let rho = r["density"].as_f64().unwrap();
    assert!(close(
        r["shear_wave_speed"].as_f64().unwrap(),
        (shear / rho).sqrt(),
        1e-12
    ));
    let pairs = r["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), pi.len(), "results_json pairs vs pair_i");
    assert_eq!(r["n_pairs"].as_u64(), Some(pi.len() as u64));
    for (k, p) in pairs.iter().enumerate() {
        assert_eq!(p["i"].as_u64(), Some(pi[k] as u64));
        assert_eq!(p["j"].as_u64(), Some(pj[k] as u64));
        assert!(close(p["omega"].as_f64().unwrap(), omega[k], 1e-14));
    }
    let filtered = scaled.iter().filter(|s| **s < force_filter()).count();
    assert_eq!(r["n_pairs_filtered"].as_u64(), Some(filtered as u64));
    let omega_all = omega.iter().sum::<f64>() / omega.len() as f64;
    assert!(close(r["omega_g_all"].as_f64().unwrap(), omega_all, 1e-12));

    // the other exports
    let xyz = g.xyz();
    assert!(
        xyz.starts_with(&format!("{n}\n")),
        "xyz header: {}",
        &xyz[..40.min(xyz.len())]
    );
    assert_eq!(xyz.lines().count(), n + 2);
    let csv = g.pairs_csv();
    assert!(csv.starts_with("i,j,force,scaled_force,omega\n"));
    assert_eq!(csv.lines().count(), pi.len() + 1);
    let summary = g
        .summary_csv()
        .unwrap_or_else(|e| panic!("summary_csv: {}", message(e)));
    assert!(summary.starts_with("quantity,value,unit\n"));
    assert!(summary.lines().any(|l| l.starts_with("shear_modulus,")));

    // pinch fields
    let m = pi.len();
    for k in [0, m / 2, m - 1] {
        let u = g
            .pinch_field(k)
            .unwrap_or_else(|e| panic!("pinch_field({k}): {}", message(e)))
            .to_vec();
        assert_eq!(u.len(), dim * n, "pinch_field: d·N numbers");
        assert!(u.iter().all(|x| x.is_finite()));
        let norm2: f64 = u.iter().map(|x| x * x).sum();
        assert!(norm2 > 0.0);
        // no net translation: Σ_i u_i = 0 component by component (H⁺ acts on the complement
        // of the translations and the dipole has zero sum)
        let scale: f64 = u.iter().map(|x| x.abs()).sum();
        for a in 0..dim {
            let s: f64 = (0..n).map(|i| u[dim * i + a]).sum();
            assert!(
                s.abs() <= 1e-9 * scale,
                "pair {k}: Σu_{a} = {s:e} (Σ|u| = {scale:e})"
            );
        }
        for &i in &rattlers {
            assert!(
                u[dim * i..dim * i + dim].iter().all(|x| *x == 0.0),
                "rattler {i} moves"
            );
        }
        // ω_g^(ij) from the field: with d = φ′(±n) and u = H⁺d, d·H⁺d / d·H⁺²d = f |n·(u_j − u_i)| / |u|²
        let (i, j) = (pi[k] as usize, pj[k] as usize);
        let mut bond = vec![0.0; dim];
        for a in 0..dim {
            let dx = pos[dim * j + a] - pos[dim * i + a];
            bond[a] = dx - l[a] * (dx / l[a]).round();
        }
        let len = bond.iter().map(|x| x * x).sum::<f64>().sqrt();
        let stretch: f64 = (0..dim)
            .map(|a| bond[a] / len * (u[dim * j + a] - u[dim * i + a]))
            .sum();
        let f = pairs[k]["force"].as_f64().unwrap();
        let w = (f * stretch.abs() / norm2).sqrt();
        assert!(
            close(w, omega[k], 1e-7),
            "pair {k}: ω from the field {w} vs pair_omega {}",
            omega[k]
        );
    }
    let err = g
        .pinch_field(m)
        .map(|_| ())
        .expect_err("pair index past the end");
    let text = message(err);
    assert!(
        text.contains("out of range") && text.contains(&m.to_string()),
        "{text}"
    );
    assert!(g.pinch_field(usize::MAX).is_err());

    // a click on a pair's bond midpoint picks that pair
    let k = m / 3;
    let (i, j) = (pi[k] as usize, pj[k] as usize);
    let mid = |a: usize| {
        let dx = pos[dim * j + a] - pos[dim * i + a];
        (pos[dim * i + a] + 0.5 * (dx - l[a] * (dx / l[a]).round())).rem_euclid(l[a])
    };
    assert_eq!(
        nearest_pair(&pos, &l, dim, &pi, &pj, mid(0), mid(1)),
        k as i32
    );
}

// ------------------------------------------------------------------------------- tests

#[wasm_bindgen_test]
fn good_parameters_are_accepted() {
    assert_eq!(check_parameters(2.0, 64.0, 1.0, 1.0, 20.0, None), "[]");
    assert_eq!(
        check_parameters(2.0, 300.0, 0.4, 0.0, 4000.0, Some(0.86)),
        "[]"
    );
    assert_eq!(check_parameters(3.0, 200.0, 5.0, MAX_SEED, 1.0, None), "[]");
    assert_eq!(
        check_parameters(3.0, 500.0, 1.0, 7.0, 1e6, Some(0.58)),
        "[]"
    );
    // NaN density = the CLI's default for the dimension
    assert_eq!(
        check_parameters(2.0, 64.0, 1.0, 1.0, 20.0, Some(f64::NAN)),
        "[]"
    );
    assert!(
        !threaded_build(),
        "the test build is the single-threaded one"
    );
    assert_eq!(force_filter(), 1e-2);
}

#[wasm_bindgen_test]
fn bad_dimension_is_refused() {
    for dim in [1.0, 4.0, 2.5, 0.0, -2.0, f64::NAN, f64::INFINITY] {
        let (field, msg) = single_refusal((dim, 64.0, 1.0, 1.0, 20.0, None));
        assert_eq!(field, "dim", "{msg}");
        assert!(msg.contains("2 or 3"), "{msg}");
    }
}

#[wasm_bindgen_test]
fn bad_particle_counts_are_refused() {
    for n in [1.0, 0.0, -5.0, 64.5, f64::NAN, f64::INFINITY] {
        let (field, msg) = single_refusal((2.0, n, 1.0, 1.0, 20.0, None));
        assert_eq!(field, "n", "N = {n}: {msg}");
        if n.is_finite() {
            // from the smallest N of the box rule at the default density, in 2D
            let lo = pinchglass::validate::smallest_particles(
                2,
                pinchglass::validate::default_density(2),
                &pinchglass::potential::Poly::default(),
                usize::MAX,
            );
            assert!(lo > 2 && msg.contains(&format!("from {lo} to")), "{msg}");
        } else {
            assert_eq!(msg, "N must be a finite number");
        }
    }
    // a box smaller than twice the interaction range (the draw the run would start from)
    let (field, msg) = single_refusal((3.0, 20.0, 1.0, 1.0, 20.0, None));
    assert_eq!(field, "n");
    assert!(msg.contains("too small"), "{msg}");
}

#[wasm_bindgen_test]
fn too_large_a_glass_is_refused_with_the_largest_n_allowed() {
    for dim in [2usize, 3] {
        let n_max = max_particles(dim);
        assert!(n_max > 1000, "{dim}D: only {n_max} particles fit");
        assert!(
            refusals((dim as f64, n_max as f64, 1.0, 1.0, 20.0, None)).is_empty(),
            "{dim}D: N = max_particles = {n_max} must be accepted"
        );
        let (field, msg) = single_refusal((dim as f64, (n_max + 1) as f64, 1.0, 1.0, 20.0, None));
        assert_eq!(field, "n");
        assert!(msg.contains("too large"), "{msg}");
        assert!(msg.contains(&n_max.to_string()), "no largest N in: {msg}");
    }
}

#[wasm_bindgen_test]
fn bad_temperature_seed_sweeps_and_density_are_refused() {
    for tp in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let (field, msg) = single_refusal((2.0, 64.0, tp, 1.0, 20.0, None));
        assert_eq!(field, "tp", "{msg}");
        assert!(
            msg.contains(if tp.is_finite() {
                "positive"
            } else {
                "finite number"
            }),
            "{msg}"
        );
    }
    for seed in [-1.0, 1.5, MAX_SEED + 2.0, f64::NAN, f64::INFINITY] {
        let (field, msg) = single_refusal((2.0, 64.0, 1.0, seed, 20.0, None));
        assert_eq!(field, "seed", "seed {seed}: {msg}");
        assert!(
            msg.contains(if seed.is_finite() {
                "from 0 to"
            } else {
                "finite number"
            }),
            "{msg}"
        );
    }
    for sweeps in [0.0, -3.0, 2.5, 1e6 + 1.0, f64::NAN] {
        let (field, msg) = single_refusal((2.0, 64.0, 1.0, 1.0, sweeps, None));
        assert_eq!(field, "sweeps", "sweeps {sweeps}: {msg}");
        assert!(
            msg.contains(if sweeps.is_finite() {
                "from 1 to"
            } else {
                "finite number"
            }),
            "{msg}"
        );
    }
    for density in [0.0, -0.5, f64::INFINITY] {
        let (field, msg) = single_refusal((2.0, 64.0, 1.0, 1.0, 20.0, Some(density)));
        assert_eq!(field, "density", "density {density}: {msg}");
        assert!(
            msg.contains(if density.is_finite() {
                "positive"
            } else {
                "finite number"
            }),
            "{msg}"
        );
    }
    // densities far from any glass (a mistyped 0.86, near unjamming) are refused with the
    // allowed range, by the CLI's rules (pinchglass::validate); the box-size rule on N then
    // waits for a valid density
    for (dim, density) in [
        (2.0, 8.6),
        (2.0, 50.0),
        (2.0, 0.27),
        (3.0, 5.8),
        (3.0, 0.15),
    ] {
        let (field, msg) = single_refusal((dim, 300.0, 1.0, 1.0, 20.0, Some(density)));
        assert_eq!(field, "density", "density {density}: {msg}");
        assert!(msg.contains("allowed"), "{msg}");
    }
}

#[wasm_bindgen_test]
fn the_form_as_typed_is_checked_in_words() {
    let form = |dim: &str, n: &str, tp: &str, density: &str, quartic: &str| -> serde_json::Value {
        serde_json::from_str(&check_form(
            dim, n, tp, "1", "300", density, quartic, 30.0, None,
        ))
        .unwrap()
    };
    let ok = form("2", "300", "1", "", "");
    assert_eq!(ok["errors"], serde_json::json!([]), "{ok}");
    assert_eq!(ok["params"]["quartic"], 30);
    assert!(ok["params"]["density"].is_null());
    let bad = form("", "", "Infinity", "NaN", "2000");
    let errors = field_messages(&bad["errors"]);
    assert!(bad["params"].is_null());
    assert!(
        errors.contains(&("dim".into(), "dimension is required".into())),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("n".into(), "N is required".into())),
        "{errors:?}"
    );
    for (f, m) in &errors {
        assert!(!m.contains("NaN"), "{f}: {m}");
    }
    assert!(errors
        .iter()
        .any(|(f, m)| f == "tp" && m.contains("finite number")));
    assert!(errors
        .iter()
        .any(|(f, m)| f == "density" && m.contains("finite number")));
    // K above N is refused before the run
    let k = form("2", "300", "1", "", "301");
    assert!(
        first_message(&k).contains("0 (no quartic modes) to 300"),
        "{k}"
    );
    // densities far from any glass: next to density, whatever the magnitude
    for density in ["1e-9", "1e-5", "5", "100"] {
        let r = form("2", "300", "1", density, "");
        assert_eq!(r["errors"].as_array().unwrap().len(), 1, "{r}");
        assert_eq!(r["errors"][0]["field"], "density", "{r}");
    }
    // a count whose fraction f64 rounds away is refused as typed, not read as 300 or 1
    let r: Value = serde_json::from_str(&check_form(
        "2",
        "300.00000000000001",
        "1",
        "1.0000000000000001",
        "3e2",
        "",
        "",
        30.0,
        None,
    ))
    .unwrap();
    assert_eq!(
        field_messages(&r["errors"]),
        vec![
            (
                "n".to_string(),
                "N must be a whole number, got \"300.00000000000001\"".to_string()
            ),
            (
                "seed".to_string(),
                "seed must be a whole number, got \"1.0000000000000001\"".to_string()
            ),
        ],
        "{r}"
    );
    // an absurd T_p and a pasted novel
    let r = form("2", "300", "1e300", "", "");
    assert!(first_message(&r).contains("too high"), "{r}");
    let novel = "1".repeat(60_000) + "x";
    let r = form("2", "300", &novel, "", "");
    assert!(first_message(&r).chars().count() < 100, "{r}");
}

#[wasm_bindgen_test]
fn every_bad_field_is_reported_at_once() {
    let r = refusals((4.0, 1.0, -1.0, -1.0, 0.0, Some(-1.0)));
    let fields: Vec<&str> = r.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["dim", "n", "tp", "seed", "sweeps", "density"],
        "{r:?}"
    );
    assert!(r.iter().all(|(_, m)| !m.is_empty()));
}

#[wasm_bindgen_test]
fn run_glass_with_bad_parameters_is_an_error_not_a_panic() {
    init();
    for args in [
        (4.0, 64.0, 1.0, 1.0, 20.0, None),
        (2.0, 1.0, 1.0, 1.0, 20.0, None),
        (2.0, (max_particles(2) + 1) as f64, 1.0, 1.0, 20.0, None),
        (3.0, 20.0, 1.0, 1.0, 20.0, None),
        (2.0, 64.0, 0.0, 1.0, 20.0, None),
        (2.0, 64.0, f64::NAN, 1.0, 20.0, None),
        (2.0, 64.0, 1.0, -1.0, 20.0, None),
        (2.0, 64.0, 1.0, 1.0, 0.0, None),
        (2.0, 64.0, 1.0, 1.0, 20.0, Some(-1.0)),
    ] {
        let expected = refusals(args);
        assert!(!expected.is_empty());
        let (dim, n, tp, seed, sweeps, density) = args;
        let err = run_glass(dim, n, tp, seed, sweeps, density, &quiet())
            .map(|_| ())
            .expect_err("bad parameters must be refused");
        let text = message(err);
        for (_, m) in &expected {
            assert!(
                text.contains(m.as_str()),
                "error `{text}` lacks the refusal `{m}`"
            );
        }
    }
}

#[wasm_bindgen_test]
fn a_small_2d_glass_through_the_api() {
    let (n, tp, seed, sweeps) = (64, 1.0, 3, 30);
    init();
    let calls: Rc<RefCell<Vec<(String, f64)>>> = Rc::default();
    let sink = calls.clone();
    let progress = Closure::<dyn FnMut(String, f64)>::new(move |stage: String, f: f64| {
        sink.borrow_mut().push((stage, f))
    });
    let g = run_glass(
        2.0,
        n as f64,
        tp,
        seed as f64,
        sweeps as f64,
        Some(0.86),
        progress.as_ref().unchecked_ref(),
    )
    .unwrap_or_else(|e| panic!("run_glass: {}", message(e)));
    check_run(&g, 2, n, tp, seed, sweeps);
    let calls = calls.borrow();
    assert!(
        calls.iter().all(|(_, f)| (0.0..=1.0).contains(f)),
        "{calls:?}"
    );
    for stage in ["swap Monte Carlo", "quench"] {
        assert!(
            calls.iter().any(|(s, _)| s == stage),
            "no `{stage}` progress: {calls:?}"
        );
    }
    assert!(calls
        .iter()
        .any(|(s, f)| s == "swap Monte Carlo" && *f == 1.0));
}

#[wasm_bindgen_test]
fn a_small_3d_glass_through_the_api() {
    let (n, tp, seed, sweeps) = (200, 0.8, 5, 10);
    let g = run(3, n, tp, seed, sweeps);
    check_run(&g, 3, n, tp, seed, sweeps);
}

#[wasm_bindgen_test]
fn a_throwing_progress_callback_does_not_stop_the_run() {
    init();
    let throwing = Function::new_no_args("throw new Error('progress callback failed')");
    let g = run_glass(2.0, 64.0, 1.0, 1.0, 5.0, None, &throwing)
        .unwrap_or_else(|e| panic!("run_glass: {}", message(e)));
    assert_eq!(g.n(), 64);
}

/// The results without the wall-clock timings.
fn without_timings(g: &GlassRun) -> Value {
    let mut r = results(g);
    r.as_object_mut().unwrap().remove("timings_seconds");
    r
}

#[wasm_bindgen_test]
fn same_seed_same_glass() {
    for (dim, n) in [(2, 64), (3, 200)] {
        let a = run(dim, n, 1.0, 11, 10);
        let b = run(dim, n, 1.0, 11, 10);
        assert_eq!(
            without_timings(&a),
            without_timings(&b),
            "{dim}D: same seed, other results"
        );
        assert_eq!(a.positions().to_vec(), b.positions().to_vec());
        assert_eq!(a.xyz(), b.xyz());
        assert_eq!(
            a.pinch_field(0).unwrap().to_vec(),
            b.pinch_field(0).unwrap().to_vec()
        );
        let c = run(dim, n, 1.0, 12, 10);
        assert_ne!(
            a.positions().to_vec(),
            c.positions().to_vec(),
            "{dim}D: the seed is ignored"
        );
    }
}

#[wasm_bindgen_test]
fn nearest_pair_refuses_inconsistent_input() {
    // two particles in a 10×10 box, one pair
    let pos = [1.0, 1.0, 2.0, 1.0];
    let l = [10.0, 10.0];
    assert_eq!(nearest_pair(&pos, &l, 2, &[0], &[1], 1.5, 1.0), 0);
    // the bond across the periodic boundary: its midpoint is at x = 0
    let across = [0.5, 5.0, 9.5, 5.0];
    assert_eq!(
        nearest_pair(&across, &l, 2, &[0, 0], &[1, 1], 0.0, 5.0),
        0,
        "ties keep the first pair"
    );
    assert_eq!(
        nearest_pair(&pos, &l, 2, &[], &[], 1.5, 1.0),
        -1,
        "no pairs"
    );
    assert_eq!(
        nearest_pair(&pos, &l, 2, &[0, 1], &[1], 1.5, 1.0),
        -1,
        "pair_i/pair_j lengths"
    );
    assert_eq!(nearest_pair(&pos, &l, 4, &[0], &[1], 1.5, 1.0), -1, "dim 4");
    assert_eq!(nearest_pair(&pos, &l, 1, &[0], &[1], 1.5, 1.0), -1, "dim 1");
    assert_eq!(nearest_pair(&pos, &l, 0, &[0], &[1], 1.5, 1.0), -1, "dim 0");
    assert_eq!(
        nearest_pair(&pos, &[10.0], 2, &[0], &[1], 1.5, 1.0),
        -1,
        "one box length"
    );
    assert_eq!(
        nearest_pair(&pos, &[], 2, &[0], &[1], 1.5, 1.0),
        -1,
        "no box"
    );
    assert_eq!(
        nearest_pair(&pos, &[0.0, 10.0], 2, &[0], &[1], 1.5, 1.0),
        -1,
        "empty box"
    );
    assert_eq!(
        nearest_pair(&pos, &[f64::NAN, 10.0], 2, &[0], &[1], 1.5, 1.0),
        -1,
        "NaN box"
    );
    assert_eq!(
        nearest_pair(&pos, &l, 2, &[0], &[7], 1.5, 1.0),
        -1,
        "index past N"
    );
    assert_eq!(
        nearest_pair(&[], &l, 2, &[0], &[1], 1.5, 1.0),
        -1,
        "no particles"
    );
    assert_eq!(
        nearest_pair(&pos[..3], &l, 2, &[0], &[1], 1.5, 1.0),
        -1,
        "half a particle"
    );
    // pairs with an index past N are skipped, the others still count
    assert_eq!(nearest_pair(&pos, &l, 2, &[0, 0], &[9, 1], 1.5, 1.0), 1);
}

// ------------------------------------------------------------------------------- configurations

/// A configuration file (issue 14): a run's own XYZ, read back by `inspect_configuration` and
/// quenched and analysed by `run_configuration`, gives the same glass; bad files are refused in
/// words (not XYZ, the wrong dimension for the page, N above the browser's limit), never a panic.
#[wasm_bindgen_test]
fn a_configuration_file_through_the_api() {
    let g = run(2, 64, 1.0, 3, 30);
    let r = results(&g);
    let text = g.xyz();
    let info: Value = serde_json::from_str(
        &inspect_configuration(&text, Some(2.0)).unwrap_or_else(|e| panic!("{}", message(e))),
    )
    .unwrap();
    assert_eq!(info["dim"], 2);
    assert_eq!(info["n"], 64);
    assert_eq!(info["info"]["state"], "inherent");
    let again = run_configuration(&text, Some(2.0), &quiet())
        .unwrap_or_else(|e| panic!("run_configuration: {}", message(e)));
    let a = results(&again);
    assert_eq!(a["source"], "configuration");
    assert_eq!(a["n"], 64);
    assert!(a["swap_mc"].is_null());
    for key in ["omega_g", "shear_modulus", "energy"] {
        let (x, y) = (r[key].as_f64().unwrap(), a[key].as_f64().unwrap());
        assert!(close(x, y, 1e-8), "{key}: {x} vs {y}");
    }
    assert_eq!(again.energy_trace().length(), 0);
    let refused = |text: &str, dim: Option<f64>| match inspect_configuration(text, dim) {
        Ok(v) => panic!("accepted: {v}"),
        Err(e) => message(e),
    };
    assert!(refused("hello\n", Some(2.0)).contains("not a configuration"));
    assert!(refused(&text, Some(3.0)).contains("2D configuration but the page is set to 3D"));
    let mut big = String::from("6000\nLattice=\"90 0 0 0 90 0 0 0 1\" Properties=species:S:1:pos:R:3:size:R:1 pbc=\"T T F\" dim=2\n");
    for k in 0..6000 {
        big.push_str(&format!(
            "X {} {} 0 1.2\n",
            (k % 80) as f64 * 1.1 + 0.5,
            (k / 80) as f64 * 1.1 + 0.5
        ));
    }
    assert!(refused(&big, None).contains("N = 6000"));
    assert!(run_configuration("", None, &quiet()).is_err());
}

/// In the paper's units the module converts T_p itself (x · T_onset, `tp_from_onset`) and names a
/// refused T_p as typed: a single run's T_p and every entry of a sweep's list, including two
/// entries typed differently that denote the same model-unit T_p (their seeds would repeat).
#[wasm_bindgen_test]
fn a_tp_in_onset_units_is_converted_and_named_as_typed() {
    // a 2D N = 300 run, seed 1, 300 sweeps, with T_p typed in T_onset = `onset`
    let run_in = |tp: &str, onset: f64| -> Value {
        serde_json::from_str(&check_form(
            "2",
            "300",
            tp,
            "1",
            "300",
            "",
            "",
            0.0,
            Some(onset),
        ))
        .unwrap()
    };
    let run = |tp: &str| run_in(tp, 3.0);
    assert_eq!(run("0.5")["params"]["tp"], 1.5);
    let msg = |v: &Value| v["errors"][0]["message"].as_str().unwrap_or("").to_string();
    assert_eq!(
        msg(&run("-1")),
        "T_p must be a positive number, got -1 T_onset"
    );
    let high = msg(&run("1e9"));
    assert!(
        high.starts_with("T_p = 1e9 T_onset is 3e9 ε/k_B, above the highest parent temperature, "),
        "{high}"
    );
    // in T_onset, but none applies (the page refuses its units control and says why): T_p is
    // not judged in model units, where "-1" or "1e9" would be named without their unit
    for tp in ["-1", "1e9", "0.5"] {
        let v = run_in(tp, f64::NAN);
        assert_eq!(v["errors"], serde_json::json!([]), "{tp}: {v}");
    }
    // …but an unreadable T_p is still refused
    let v = run_in("x", f64::NAN);
    assert_eq!(v["errors"][0]["field"], "tp", "{v}");
    // a 2D N = 64 sweep of 50 sweeps, seed 1: the T_p list, samples, K and T_onset vary
    let form = |tps: &str, samples: &str, quartic: &str, onset: Option<f64>| -> Value {
        serde_json::from_str(&check_sweep_form(
            "2", "64", tps, samples, "50", "1", "", "auto", quartic, onset,
        ))
        .unwrap()
    };
    let sweep = |tps: &str| form(tps, "2", "", Some(3.0));
    assert_eq!(sweep("0.5, 0.2")["tps"], serde_json::json!([1.5, 0.6]));
    assert_eq!(
        msg(&sweep("2, 2")),
        "T_p = 2 T_onset appears twice in the list (entries 1 and 2)"
    );
    assert_eq!(
        msg(&sweep("0.6, -1")),
        "in the T_p list, entry 2 (\"-1\"): T_p must be a positive number, got -1 T_onset"
    );
    // a thousands separator is a list separator: the entry is named as typed
    assert_eq!(
        msg(&form("1,000", "2", "", None)),
        "in the T_p list, entry 2 (\"000\"): T_p must be a positive number, got 0"
    );
    let same = msg(&sweep("2, 2.0000000000001"));
    assert_eq!(
        same,
        "T_p = 2.0000000000001 T_onset is 6 ε/k_B, the same T_p as an earlier entry of the list"
    );
    // in T_onset with none applying: read and checked for repeats, not judged
    assert_eq!(
        form("-1, 1e9", "2", "", Some(f64::NAN))["errors"],
        serde_json::json!([])
    );
    assert_eq!(
        msg(&form("2, 2", "2", "", Some(f64::NAN))),
        "T_p = 2 T_onset appears twice in the list (entries 1 and 2)"
    );
    // model units: as typed
    assert_eq!(
        msg(&form("2, 2", "2", "", None)),
        "T_p = 2 appears twice in the list (entries 1 and 2)"
    );
    // spelled differently: named as first typed, with both positions
    assert_eq!(
        msg(&form("1, 0.5, 1.0", "2", "", None)),
        "T_p = 1 appears twice in the list (entries 1 and 3)"
    );
    // K above the sweep's own limit (not N's): the message says why it is lower than a run's
    let many: Value = serde_json::from_str(&check_sweep_form(
        "2", "300", "1", "2", "50", "1", "", "auto", "250", None,
    ))
    .unwrap();
    assert!(
        msg(&many).starts_with("K must be a whole number from 0 (no quartic modes) to 200, got 250 (a sweep runs every sample in the browser: at most 200 starts each; `pinchglass sweep --quartic K` takes more)"),
        "{many}"
    );
    // not a number: named with its position
    assert_eq!(
        msg(&form("1, abc", "2", "", None)),
        "in the T_p list, entry 2 (\"abc\"): T_p must be a number (the list is comma-separated, e.g. \"2, 1, 0.5\")"
    );
    // a sweep's K follows a single run's rule (at most N), and its numbers echo in exponent form
    let bad = form("2, 1", "1e-9", "100", None);
    let errors = field_messages(&bad["errors"]);
    assert!(
        errors.contains(&(
            "quartic".into(),
            "K must be a whole number from 0 (no quartic modes) to 64 (at most N = 64, the number of particles), got 100".into()
        )),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(f, m)| f == "samples" && m.ends_with("got 1e-9")),
        "{errors:?}"
    );
}

/// The engine benchmark export (`bench_engine`, timed by `tests/e2e/bench-engine.mjs`) gives one
/// complete line of finite figures for the portable 2-lane kernel, and refuses bad input with the
/// reason; no timing is asserted.
#[wasm_bindgen_test]
fn the_engine_benchmark_runs_and_refuses_bad_input() {
    init();
    let n = min_particles(2);
    let text = bench_engine(2.0, n as f64, 1e4, 1.0).unwrap_or_else(|e| panic!("{}", message(e)));
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(v["dim"], 2, "{text}");
    assert_eq!(v["n"].as_u64(), Some(n as u64), "{text}");
    assert_eq!(v["kernel"], "portable (2 lanes)", "{text}");
    for key in [
        "moves_per_second",
        "ns_per_move",
        "pairs_per_move",
        "kernel_ns_per_pair",
        "cost_over_kernel",
        "refresh_us",
    ] {
        let x = v[key].as_f64().unwrap_or(f64::NAN);
        assert!(x.is_finite() && x > 0.0, "{key} in {text}");
    }
    for key in ["displacement_acceptance", "swap_acceptance"] {
        let x = v[key].as_f64().unwrap_or(f64::NAN);
        assert!((0.0..=1.0).contains(&x), "{key} in {text}");
    }
    let refused = |d: f64, n: f64, moves: f64, repeats: f64| {
        message(bench_engine(d, n, moves, repeats).expect_err("refused"))
    };
    let m = refused(4.0, 500.0, 1e5, 1.0);
    assert!(m.contains("dimension must be 2 or 3, got 4"), "{m}");
    let m = refused(3.0, 10.0, 1e5, 1.0);
    assert!(m.contains("N must be a whole number from"), "{m}");
    let m = refused(2.0, 16001.0, 1e5, 1.0);
    assert!(m.contains("to 16000 in 2D, got 16001"), "{m}");
    let m = refused(2.0, n as f64, f64::NAN, 1.0);
    assert!(
        m.contains("moves per segment must be from 1e4 to 1e9, got NaN"),
        "{m}"
    );
    let m = refused(2.0, n as f64, 1e5, 0.5);
    assert!(
        m.contains("repeats must be a whole number from 1 to 9, got 0.5"),
        "{m}"
    );
}

#[wasm_bindgen_test]
fn the_page_learns_which_soft_spot_count_the_figures_draw() {
    let row = |extra: &str| format!(r#"{{"tp": 0.5, "samples": 4{extra}}}"#);
    let summary = |extra: &str| {
        format!(
            r#"{{"temperatures": [{}], "estimators": {{"count_fraction": 0.4, "quartic_count_fraction": 0.5}}}}"#,
            row(extra)
        )
    };
    let parse = |s: &str| -> Value {
        serde_json::from_str(&shown_soft_spots(s).expect("a summary")).unwrap()
    };
    let v = parse(&summary(r#", "soft_spots": {"value": 1, "error": 0.1}"#));
    assert_eq!(
        (
            v["estimator"].as_str(),
            v["fit_key"].as_str(),
            v["fraction"].as_f64()
        ),
        (Some("rank_fit"), Some("boltzmann"), None)
    );
    let v = parse(&summary(
        r#", "count": {"soft_spots": {"value": 1, "error": 0.1}, "modes": 2}"#,
    ));
    assert_eq!(
        (v["row_key"].as_str(), v["fraction"].as_f64()),
        (Some("count.soft_spots"), Some(0.4))
    );
    let v = parse(&summary(
        r#", "count": {"soft_spots": {"value": 1, "error": 0.1}, "modes": 2}, "quartic_count": {"soft_spots": {"value": 2, "error": 0.1}, "modes": 3}"#,
    ));
    assert_eq!(
        (
            v["estimator"].as_str(),
            v["fit_key"].as_str(),
            v["fraction"].as_f64()
        ),
        (Some("quartic_count"), Some("boltzmann_quartic"), Some(0.5))
    );
    let m = message(shown_soft_spots("not json").expect_err("refused"));
    assert!(!m.is_empty(), "{m}");
}

#[wasm_bindgen_test]
fn plot_labels_measure_their_spaces_with_the_browsers_fonts() {
    // plotters measures text in a DOM element, which drops a piece's leading and trailing
    // spaces: a label's sub- and superscript pieces ("T_p / T_onset") then overlapped
    use plotters::prelude::*;
    let doc = web_sys::window().unwrap().document().unwrap();
    let canvas = doc.create_element("canvas").unwrap();
    canvas.set_id("rich-text-test");
    doc.body().unwrap().append_child(&canvas).unwrap();
    let area = plotters_canvas::CanvasBackend::new("rich-text-test")
        .expect("the canvas")
        .into_drawing_area();
    let font = FontDesc::from(("sans-serif", 15.0));
    let (bare, _) = pinchglass::plot::rich::size(&area, "/ T", &font);
    let (spaced, _) = pinchglass::plot::rich::size(&area, " / T", &font);
    let (space, _) = pinchglass::plot::rich::size(&area, "a b", &font);
    let (no_space, _) = pinchglass::plot::rich::size(&area, "ab", &font);
    assert!(space > no_space, "{space} {no_space}");
    assert!(
        spaced + 1 >= bare + (space - no_space),
        "{bare} {spaced}: the leading space is lost"
    );
    canvas.remove();
}
