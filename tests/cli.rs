//! End-to-end tests of the `pinchglass` command line: round trips, reproducibility, thread
//! independence, and a clear one-line error (never a panic) for every kind of bad input.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pinchglass"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the pinchglass binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a clean failure: non-zero exit, an error line naming `needle`, no panic.
fn assert_refused(o: &Output, needle: &str) {
    let err = stderr(o);
    assert!(!o.status.success(), "should fail; stderr: {err}");
    assert!(!err.contains("panicked"), "panicked: {err}");
    let line = err
        .lines()
        .find(|l| l.starts_with("pinchglass: error:") || l.starts_with("error:"))
        .unwrap_or_else(|| panic!("no error line in: {err}"));
    assert!(
        line.to_lowercase().contains(&needle.to_lowercase()),
        "error line {line:?} does not mention {needle:?}"
    );
}

fn generate(dim: usize, n: usize, seed: u64, quench: bool, out: &PathBuf) -> Output {
    let mut c = bin();
    c.args(["generate", "--dim", &dim.to_string(), "--n", &n.to_string()])
        .args(["--tp", "1.0", "--seed", &seed.to_string(), "--sweeps", "30"])
        .arg("-o")
        .arg(out);
    if quench {
        c.arg("--quench");
    }
    run(&mut c)
}

fn analyze_json(file: &PathBuf, threads: usize) -> (Value, String) {
    let out = tmp(&format!(
        "{}-{threads}.json",
        file.file_name().unwrap().to_string_lossy()
    ));
    let o = run(bin()
        .env("RAYON_NUM_THREADS", threads.to_string())
        .arg("analyze")
        .arg(file)
        .arg("--json")
        .arg(&out));
    assert!(o.status.success(), "analyze failed: {}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("NaN") && !text.contains("inf"),
        "non-finite numbers in JSON"
    );
    (serde_json::from_str(&text).unwrap(), stderr(&o))
}

fn without_timings(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("timings_seconds");
    v
}

#[test]
fn generate_quench_analyze_round_trip_2d_and_3d() {
    for (dim, n) in [(2usize, 120usize), (3, 200)] {
        let file = tmp(&format!("roundtrip{dim}.xyz"));
        let o = generate(dim, n, 3, true, &file);
        assert!(o.status.success(), "{}", stderr(&o));
        let (v, err) = analyze_json(&file, 2);
        assert!(!err.contains("WARNING"), "{err}");
        assert_eq!(v["n"], n);
        assert_eq!(v["dim"], dim);
        assert_eq!(v["seed"], 3);
        assert_eq!(v["tp"], 1.0);
        assert!(v["max_force"].as_f64().unwrap() < 1e-10);
        let ev: Vec<f64> = v["eigenvalues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(
            ev.len(),
            dim * (n - v["rattlers"].as_array().unwrap().len())
        );
        assert!(ev.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(v["n_zero_modes"], dim);
        let pairs = v["pairs"].as_array().unwrap();
        assert!(pairs
            .iter()
            .all(|p| p["i"].as_u64().unwrap() < p["j"].as_u64().unwrap()));
        let og = v["omega_g"].as_f64().unwrap();
        assert!(og > 0.0 && og < v["omega_g_all"].as_f64().unwrap());
        let planes = v["shear_modulus_planes"].as_object().unwrap();
        assert_eq!(planes.len(), if dim == 2 { 1 } else { 3 });
        assert!(v["warnings"].as_array().unwrap().is_empty());
    }
}

#[test]
fn same_seed_same_glass_other_seed_other_glass() {
    let (a, b, c) = (tmp("seed-a.xyz"), tmp("seed-b.xyz"), tmp("seed-c.xyz"));
    assert!(generate(2, 100, 11, false, &a).status.success());
    assert!(generate(2, 100, 11, false, &b).status.success());
    assert!(generate(2, 100, 12, false, &c).status.success());
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let file = tmp("threads.xyz");
    assert!(generate(3, 200, 5, true, &file).status.success());
    let (one, _) = analyze_json(&file, 1);
    let (two, _) = analyze_json(&file, 2);
    assert_eq!(without_timings(one), without_timings(two));
}

#[test]
fn unminimised_input_is_analysed_with_a_loud_warning() {
    let file = tmp("parent.xyz");
    assert!(generate(2, 100, 2, false, &file).status.success());
    let (v, err) = analyze_json(&file, 2);
    assert!(
        err.contains("WARNING") && err.contains("NOT at an energy minimum"),
        "{err}"
    );
    assert!(!v["warnings"].as_array().unwrap().is_empty());
    // --quench fixes it
    let o = run(bin().arg("analyze").arg(&file).arg("--quench"));
    assert!(
        o.status.success() && !stderr(&o).contains("WARNING"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_generate_arguments_are_refused_with_a_reason() {
    let out = tmp("bad.xyz");
    let cases: [(&[&str], &str); 8] = [
        (
            &["--dim", "4", "--n", "100", "--tp", "1", "--seed", "1"],
            "--dim",
        ),
        (
            &["--dim", "3", "--n", "20", "--tp", "1", "--seed", "1"],
            "too small",
        ),
        (
            &["--dim", "2", "--n", "1", "--tp", "1", "--seed", "1"],
            "at least 2",
        ),
        (
            &["--dim", "2", "--n", "100", "--tp", "0", "--seed", "1"],
            "T_p",
        ),
        (
            &["--dim", "2", "--n", "100", "--tp=-1", "--seed", "1"],
            "T_p",
        ),
        (
            &["--dim", "2", "--n", "100", "--tp", "nan", "--seed", "1"],
            "T_p",
        ),
        (
            &[
                "--dim",
                "2",
                "--n",
                "100",
                "--tp",
                "1",
                "--seed",
                "1",
                "--density",
                "0",
            ],
            "density",
        ),
        (
            &[
                "--dim", "2", "--n", "100", "--tp", "1", "--seed", "1", "--sweeps", "0",
            ],
            "sweeps",
        ),
    ];
    for (args, needle) in cases {
        let o = run(bin().arg("generate").args(args).arg("-o").arg(&out));
        assert_refused(&o, needle);
    }
}

#[test]
fn bad_files_are_refused_with_a_reason() {
    let good = tmp("good.xyz");
    assert!(generate(2, 100, 4, true, &good).status.success());
    let text = std::fs::read_to_string(&good).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut overlapping: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    overlapping[3] = overlapping[2].clone(); // two particles on the same spot
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty.xyz", String::new(), "empty"),
        ("truncated.xyz", lines[..50].join("\n"), "line"),
        (
            "count.xyz",
            format!("abc\n{}", lines[1..].join("\n")),
            "line 1",
        ),
        ("column.xyz", text.replacen("size:R:1", "size:Q:1", 1), "Q"),
        (
            "nosize.xyz",
            text.replacen("size:R:1", "radius:R:1", 1),
            "size",
        ),
        ("overlap.xyz", overlapping.join("\n"), "overlap"),
        (
            "nonnumeric.xyz",
            text.replacen(lines[5].split_whitespace().nth(1).unwrap(), "x1.2.3", 1),
            "line",
        ),
    ];
    for (name, content, needle) in cases {
        let path = tmp(name);
        std::fs::write(&path, content).unwrap();
        let o = run(bin().arg("analyze").arg(&path));
        assert_refused(&o, needle);
    }
    let o = run(bin().arg("analyze").arg(tmp("does-not-exist.xyz")));
    assert_refused(&o, "cannot read");
}

#[test]
fn dense_analysis_beyond_the_memory_limit_is_refused() {
    let file = tmp("memory.xyz");
    assert!(generate(2, 300, 6, true, &file).status.success());
    let o = run(bin()
        .arg("analyze")
        .arg(&file)
        .args(["--max-memory-mb", "1"]));
    assert_refused(&o, "limit");
}

fn sweep_into(dir: &PathBuf, shard: Option<&str>) {
    let mut c = bin();
    c.args([
        "sweep",
        "--dim",
        "2",
        "--n",
        "64",
        "--tp",
        "0.8,1.6",
        "--samples",
        "4",
    ])
    .args(["--sweeps", "20", "--seed", "5", "-o"])
    .arg(dir);
    if let Some(s) = shard {
        c.args(["--shard", s]);
    }
    let o = run(&mut c);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn merging_shards_equals_one_unsharded_run() {
    let (whole, parts) = (tmp("sweep-whole"), tmp("sweep-parts"));
    for d in [&whole, &parts] {
        let _ = std::fs::remove_dir_all(d);
    }
    sweep_into(&whole, None);
    sweep_into(&parts, Some("0..1"));
    sweep_into(&parts, Some("1..4"));
    for d in [&whole, &parts] {
        let o = run(bin().arg("summarize").arg(d));
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let read = |d: &PathBuf| std::fs::read_to_string(d.join("summary.json")).unwrap();
    assert_eq!(read(&whole), read(&parts));
    let v: Value = serde_json::from_str(&read(&whole)).unwrap();
    let rows = v["temperatures"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["samples"] == 4));
}

#[test]
fn bad_sweep_arguments_are_refused() {
    let dir = tmp("sweep-bad");
    let base = [
        "sweep",
        "--dim",
        "2",
        "--n",
        "64",
        "--samples",
        "4",
        "--sweeps",
        "5",
    ];
    let cases: [(&[&str], &str); 3] = [
        (&["--tp", "0.5,-1"], "T_p"),
        (&["--tp", "0.5", "--shard", "3..2"], "shard"),
        (&["--tp", "0.5", "--shard", "0..9"], "shard"),
    ];
    for (args, needle) in cases {
        let o = run(bin().args(base).args(args).arg("-o").arg(&dir));
        assert_refused(&o, needle);
    }
    let o = run(bin().arg("summarize").arg(tmp("no-such-dir")));
    assert_refused(&o, "cannot read");
}

#[test]
fn sparse_route_agrees_with_the_dense_analysis() {
    let file = tmp("sparse.xyz");
    assert!(generate(3, 250, 8, true, &file).status.success());
    let (dense, _) = analyze_json(&file, 2);
    let out = tmp("sparse.json");
    let o = run(bin()
        .arg("analyze")
        .arg(&file)
        .arg("--sparse")
        .arg("--json")
        .arg(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    let sparse: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(sparse["spectrum"], "lowest");
    let rel = |a: &Value, b: &Value| {
        let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
        (a - b).abs() / b.abs()
    };
    for key in [
        "omega_g",
        "omega_g_all",
        "shear_modulus",
        "shear_wave_speed",
        "energy",
    ] {
        assert!(rel(&sparse[key], &dense[key]) < 1e-8, "{key}");
    }
    assert_eq!(sparse["n_pairs_filtered"], dense["n_pairs_filtered"]);
    let low = sparse["lowest_eigenvalues"].as_array().unwrap();
    let all = dense["eigenvalues"].as_array().unwrap();
    for (k, l) in low.iter().enumerate() {
        assert!(rel(l, &all[3 + k]) < 1e-8, "eigenvalue {k}");
    }
    // quartic modes from either route: same modes, same lengths
    let quartic = |sparse: bool, name: &str| -> Value {
        let out = tmp(name);
        let mut cmd = bin();
        cmd.arg("analyze")
            .arg(&file)
            .args(["--quartic", "3", "--json"])
            .arg(&out);
        if sparse {
            cmd.arg("--sparse");
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
    };
    let (qs, qd) = (
        quartic(true, "q-sparse.json"),
        quartic(false, "q-dense.json"),
    );
    let (ms, md) = (
        qs["quartic_modes"].as_array().unwrap(),
        qd["quartic_modes"].as_array().unwrap(),
    );
    assert!(!ms.is_empty() && ms.len() == md.len());
    for (a, b) in ms.iter().zip(md) {
        assert_eq!(a["core"], b["core"]);
        assert!(rel(&a["omega"], &b["omega"]) < 1e-8);
    }
    assert!(rel(&qs["lengths"]["xi_g"], &qd["lengths"]["xi_g"]) < 1e-8);
}

#[test]
fn figures_are_drawn_from_a_summary() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/data/ensemble-2d");
    let out = tmp("figures-2d");
    let _ = std::fs::remove_dir_all(&out);
    let o = run(bin().arg("figures").arg(&dir).arg("-o").arg(&out));
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["fig2", "fig4a", "fig4b", "fig5", "fig6", "figS1"] {
        let png = std::fs::read(out.join(format!("{name}.png"))).unwrap();
        assert!(png.len() > 10_000 && &png[1..4] == b"PNG", "{name}.png");
    }
    // SVG in the calibration's units
    let o = run(bin()
        .arg("figures")
        .arg(dir.join("summary.json"))
        .arg("-o")
        .arg(&out)
        .args(["--format", "svg", "--calibration"])
        .arg(dir.join("calibration.json")));
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(out.join("fig5.svg")).unwrap();
    assert!(svg.contains("N_QLM") && svg.contains("T_onset = "));
    // refusals: no summary, wrong format, a calibration of the other dimension
    assert_refused(
        &run(bin().arg("figures").arg(tmp("no-such-dir"))),
        "summarize",
    );
    assert_refused(
        &run(bin().arg("figures").arg(&dir).args(["--format", "gif"])),
        "png or svg",
    );
    assert_refused(
        &run(bin()
            .arg("figures")
            .arg(&dir)
            .arg("-o")
            .arg(&out)
            .arg("--calibration")
            .arg(root.join("calibration/poly-3d/calibration.json"))),
        "3D",
    );
}
