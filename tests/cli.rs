//! End-to-end tests of the `pinchglass` command line: round trips, reproducibility, thread
//! independence, and a clear one-line error (never a panic) for every kind of bad input.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pinchglass"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// [`tmp`] with nothing in it yet: whatever an earlier run left there removed.
fn fresh(name: &str) -> PathBuf {
    let dir = tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// [`fresh`], created empty.
fn empty_dir(name: &str) -> PathBuf {
    let dir = fresh(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `pinchglass summarize DIR ARGS`, which must succeed, and the summary.json it wrote.
fn summarize_json(dir: &Path, args: &[&str]) -> Value {
    let o = run(bin().arg("summarize").arg(dir).args(args));
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the pinchglass binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `cmd` and checks that it is refused as [`assert_refused`] says.
fn refuses(cmd: &mut Command, needle: &str) {
    assert_refused(&run(cmd), needle);
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

/// Issue 12, case 2: a configuration that is not at a minimum is refused alike by both routes
/// (exit 1, the state and what to do named), unless asked for explicitly with --allow-unstable;
/// headline numbers are never NaN.
#[test]
fn unminimised_input_is_refused_alike_on_both_routes() {
    let file = tmp("parent.xyz");
    assert!(generate(2, 100, 2, false, &file).status.success());
    for f in [file.clone(), fixture("parent-2d.xyz")] {
        for sparse in [false, true] {
            let mut c = bin();
            c.arg("analyze").arg(&f);
            if sparse {
                c.arg("--sparse");
            }
            let o = run(&mut c);
            assert_refused(&o, "not at an energy minimum");
            let err = stderr(&o);
            assert!(
                err.contains("--quench") && err.contains("--allow-unstable"),
                "{err}"
            );
            assert!(err.contains("unstable mode"), "{err}");
        }
    }
    // the parent state of 100 particles at T_p = 1 is a saddle: its unstable modes are counted
    let o = run(bin().arg("analyze").arg(&file));
    assert!(stderr(&o).contains("saddle"), "{}", stderr(&o));
    // asked for explicitly: analysed, with the verdict as a warning and no NaN on the terminal
    let out = tmp("parent-unstable.json");
    let o = run(bin()
        .arg("analyze")
        .arg(&file)
        .arg("--allow-unstable")
        .arg("--json")
        .arg(&out));
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("WARNING") && err.contains("not at an energy minimum"),
        "{err}"
    );
    assert!(!err.contains("NaN"), "{err}");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["stability"]["minimum"], false);
    assert!(v["stability"]["unstable_modes"].as_u64().unwrap() > 0);
    assert!(!v["warnings"].as_array().unwrap().is_empty());
    // --quench fixes it
    let o = run(bin().arg("analyze").arg(&file).arg("--quench"));
    assert!(
        o.status.success() && !stderr(&o).contains("WARNING"),
        "{}",
        stderr(&o)
    );
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/xyz")
        .join(name)
}

/// `analyze --json` of `file` with extra arguments: the JSON and standard error.
fn analyze_with(file: &PathBuf, args: &[&str]) -> (Value, String) {
    let out = tmp(&format!(
        "{}-{}.json",
        file.file_name().unwrap().to_string_lossy(),
        args.join("_")
    ));
    let o = run(bin()
        .arg("analyze")
        .arg(file)
        .args(args)
        .arg("--json")
        .arg(&out));
    assert!(
        o.status.success(),
        "analyze {file:?} failed: {}",
        stderr(&o)
    );
    let v = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    (v, stderr(&o))
}

fn close(a: &Value, b: &Value, rel: f64) -> bool {
    let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// Issue 12, case 1: 2D glasses as OVITO, LAMMPS → ASE and others write them (third lattice
/// vector 0 0 1, 1e-8 or 100, pbc T T T or none) are read as 2D with a note and give the
/// numbers of the file pinchglass writes; a planar file declared 3D is refused.
#[test]
fn planar_files_from_other_tools_are_read_as_2d() {
    let (reference, err) = analyze_with(&fixture("reference-2d.xyz"), &[]);
    assert!(!err.contains("note:"), "{err}");
    for name in [
        "planar-ovito.xyz",
        "planar-lammps-ase.xyz",
        "planar-1e-8.xyz",
        "planar-vacuum.xyz",
        "nested-lattice.xyz",
    ] {
        let (v, err) = analyze_with(&fixture(name), &[]);
        assert_eq!(v["dim"], 2, "{name}");
        if name.starts_with("planar") {
            assert!(
                err.contains("note:") && err.contains("read as 2D"),
                "{name}: {err}"
            );
            assert!(!v["notes"].as_array().unwrap().is_empty(), "{name}");
        }
        for key in [
            "energy",
            "pressure",
            "shear_modulus",
            "shear_wave_speed",
            "omega_g",
            "omega_g_all",
        ] {
            assert!(close(&v[key], &reference[key], 1e-9), "{name}: {key}");
        }
        assert_eq!(v["n_pairs_filtered"], reference["n_pairs_filtered"]);
        let (a, b) = (
            v["eigenvalues"].as_array().unwrap(),
            reference["eigenvalues"].as_array().unwrap(),
        );
        assert_eq!(a.len(), b.len());
        let top = b.last().unwrap().as_f64().unwrap();
        assert!(a
            .iter()
            .zip(b)
            .all(|(x, y)| (x.as_f64().unwrap() - y.as_f64().unwrap()).abs() < 1e-9 * top));
    }
    // --dim 2 says it: no note
    let (_, err) = analyze_with(&fixture("planar-lammps-ase.xyz"), &["--dim", "2"]);
    assert!(!err.contains("note:"), "{err}");
    // a flat layer is not a 3D glass, whoever declares it
    assert_refused(
        &run(bin().arg("analyze").arg(fixture("planar-declared-3d.xyz"))),
        "not a glass",
    );
    assert_refused(
        &run(bin()
            .arg("analyze")
            .arg(fixture("planar-ovito.xyz"))
            .args(["--dim", "3"])),
        "planar",
    );
}

/// A minimum written with 8 decimals (as ASE writes extended XYZ) is slightly off force balance:
/// analysed with a warning, not refused as a saddle.
#[test]
fn rounded_coordinates_are_analysed_with_a_warning() {
    let text = std::fs::read_to_string(fixture("reference-2d.xyz")).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for l in lines.iter_mut().skip(2) {
        let t: Vec<String> = l
            .split_whitespace()
            .enumerate()
            .map(|(k, v)| {
                if (1..=3).contains(&k) {
                    format!("{:.8}", v.parse::<f64>().unwrap())
                } else {
                    v.to_string()
                }
            })
            .collect();
        *l = t.join(" ");
    }
    let rounded = tmp("rounded-8.xyz");
    std::fs::write(&rounded, lines.join("\n") + "\n").unwrap();
    for sparse in [false, true] {
        let args: &[&str] = if sparse { &["--sparse"] } else { &[] };
        let (v, err) = analyze_with(&rounded, args);
        assert!(
            err.contains("WARNING") && err.contains("rounded coordinates"),
            "{err}"
        );
        assert_eq!(v["stability"]["near_minimum"], true);
        let (r, _) = analyze_with(&fixture("reference-2d.xyz"), args);
        for key in ["energy", "shear_modulus", "omega_g"] {
            assert!(
                close(&v[key], &r[key], 1e-4),
                "{key}: {} vs {}",
                v[key],
                r[key]
            );
        }
    }
}

/// Issue 12, case 3: a quench that does not converge is never written or analysed as an
/// inherent state; the command fails with what was reached and the likely cause.
#[test]
fn an_unconverged_quench_is_refused_and_never_labelled_inherent() {
    let out = tmp("unconverged.xyz");
    let _ = std::fs::remove_file(&out);
    let o = run(bin()
        .env("PINCHGLASS_FIRE_BUDGET", "5")
        .args([
            "generate", "--dim", "2", "--n", "100", "--tp", "1", "--seed", "1",
        ])
        .args(["--sweeps", "10", "--quench", "-o"])
        .arg(&out));
    assert_refused(&o, "did not reach an energy minimum");
    let err = stderr(&o);
    assert!(
        err.contains("budget 5") && err.contains("rattlers"),
        "{err}"
    );
    assert!(!out.exists(), "an unconverged state was written");
    // analyze --quench of the same parent state (written bit-exact) reaches the same verdict
    let parent = tmp("unconverged-parent.xyz");
    let o = run(bin()
        .args([
            "generate", "--dim", "2", "--n", "100", "--tp", "1", "--seed", "1",
        ])
        .args(["--sweeps", "10", "-o"])
        .arg(&parent));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(bin()
        .env("PINCHGLASS_FIRE_BUDGET", "5")
        .arg("analyze")
        .arg(&parent)
        .arg("--quench"));
    assert_refused(&o, "did not reach an energy minimum");
    assert!(stderr(&o).contains("budget 5"), "{}", stderr(&o));
}

/// Issue 12, case 4: sizes outside the model's [lambda_min, lambda_max] are refused with the
/// range found, the range expected and the fix; with the model keys the glass scales exactly.
#[test]
fn sizes_outside_the_model_are_refused_with_the_fix() {
    let scaled = fixture("scaled-x10-2d.xyz");
    let o = run(bin().arg("analyze").arg(&scaled));
    assert_refused(&o, "outside the model's range");
    let err = stderr(&o);
    assert!(
        err.contains("10 to 21.9") && err.contains("[1, 2.22]"),
        "{err}"
    );
    assert!(
        err.contains("lambda_min=10 lambda_max=22.2 nonadditivity=0.01") && err.contains("by 0.1"),
        "{err}"
    );
    // the fix works: with the model keys every number scales (energies alike, G by 1/10^2)
    let text = std::fs::read_to_string(&scaled).unwrap();
    let keyed = tmp("scaled-x10-keys.xyz");
    std::fs::write(
        &keyed,
        text.replacen(
            " pbc=",
            " lambda_min=10 lambda_max=22.2 nonadditivity=0.01 pbc=",
            1,
        ),
    )
    .unwrap();
    let (v, _) = analyze_with(&keyed, &[]);
    let (r, _) = analyze_with(&fixture("reference-2d.xyz"), &[]);
    assert!(close(&v["energy"], &r["energy"], 1e-9));
    let g = v["shear_modulus"].as_f64().unwrap() * 100.0;
    assert!((g / r["shear_modulus"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    let w = v["omega_g"].as_f64().unwrap() * 10.0;
    assert!((w / r["omega_g"].as_f64().unwrap() - 1.0).abs() < 1e-9);
}

/// Issue 12, case 5: typos are refused at once (no two-minute quench, no panic, no abort), with
/// the allowed range; the memory of a dense analysis is estimated before the quench.
#[test]
fn typos_are_refused_at_once_with_the_allowed_range() {
    let out = tmp("typo.xyz");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--dim", "2", "--n", "400", "--density", "8.6"],
            "far above any glass",
        ),
        (
            &["--dim", "2", "--n", "300", "--density", "0.27"],
            "rigid packing",
        ),
        (
            &["--dim", "3", "--n", "300", "--density", "5.8"],
            "0.269 to 1.15",
        ),
        (&["--dim", "2", "--n", "0"], "whole number from 36 to"),
        (&["--dim", "2", "--n", "1000000000000"], "too large"),
    ];
    for (args, needle) in cases {
        let t = std::time::Instant::now();
        refuses(
            bin()
                .arg("generate")
                .args(args)
                .args(["--tp", "1", "--seed", "1", "--quench", "-o"])
                .arg(&out),
            needle,
        );
        assert!(
            t.elapsed().as_secs_f64() < 5.0,
            "{args:?} took {:?}",
            t.elapsed()
        );
    }
    // a header count near 2^64 (was: capacity overflow panic, exit 101)
    let o = run(bin().arg("analyze").arg(fixture("huge-count.xyz")));
    assert_refused(&o, "truncated");
    assert_eq!(o.status.code(), Some(1));
    // a memory limit of 0 MB is refused as such (not "needs about 0 MB, above the limit of
    // 0 MB"), before the quench
    let o = run(bin().arg("analyze").arg(fixture("parent-2d.xyz")).args([
        "--quench",
        "--max-memory-mb",
        "0",
    ]));
    assert_refused(&o, "must be at least 1");
    assert!(!stderr(&o).contains("quench:"), "{}", stderr(&o));
    // sweeps obey the same density rule
    refuses(
        bin()
            .args([
                "sweep",
                "--dim",
                "2",
                "--n",
                "64",
                "--tp",
                "1",
                "--samples",
                "1",
            ])
            .args(["--density", "8.6", "-o"])
            .arg(tmp("sweep-typo")),
        "far above any glass",
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
            "whole number from 36 to",
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
        refuses(bin().arg("generate").args(args).arg("-o").arg(&out), needle);
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
        refuses(bin().arg("analyze").arg(&path), needle);
    }
    refuses(
        bin().arg("analyze").arg(tmp("does-not-exist.xyz")),
        "cannot read",
    );
}

#[test]
fn dense_analysis_beyond_the_memory_limit_is_refused() {
    let file = tmp("memory.xyz");
    assert!(generate(2, 300, 6, true, &file).status.success());
    refuses(
        bin()
            .arg("analyze")
            .arg(&file)
            .args(["--max-memory-mb", "1"]),
        "limit",
    );
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
    let (whole, parts) = (fresh("sweep-whole"), fresh("sweep-parts"));
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
    // a negative first entry is read as a T_p list, not taken for an option
    let cases: [(&[&str], &str); 4] = [
        (&["--tp", "0.5,-1"], "T_p"),
        (&["--tp", "-1,0.5"], "every T_p must be a positive"),
        (&["--tp", "0.5", "--shard", "3..2"], "shard"),
        (&["--tp", "0.5", "--shard", "0..9"], "shard"),
    ];
    for (args, needle) in cases {
        refuses(bin().args(base).args(args).arg("-o").arg(&dir), needle);
    }
    refuses(
        bin().arg("summarize").arg(tmp("no-such-dir")),
        "cannot read",
    );
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
    let out = fresh("figures-2d");
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
    // (rich text: N_QLM and T_onset are drawn with their subscripts as pieces of their own)
    assert!(
        svg.contains("\nQLM\n") && svg.contains("\nonset\n") && svg.contains("units from"),
        "fig5.svg"
    );
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

/// The counting estimators on the committed 3D records: every row has its count block, the
/// Poisson fit states its range (here: no T_p below the plateau, so no default fit; a given
/// range fits), E in T_onset carries the calibration's T_onset error as a separate systematic
/// error, and a bad count fraction is refused.
#[test]
fn summarize_reports_the_counting_estimators() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = empty_dir("count-3d");
    for f in std::fs::read_dir(root.join("runs/3d-n500")).unwrap() {
        let p = f.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if name.starts_with("samples-") {
            std::fs::copy(&p, dir.join(name)).unwrap();
        }
    }
    let mut cal: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("calibration/poly-3d/calibration.json")).unwrap(),
    )
    .unwrap();
    cal["t_onset_error"] = serde_json::json!(0.1);
    let cal_path = dir.join("calibration-with-error.json");
    std::fs::write(&cal_path, cal.to_string()).unwrap();
    let summary = |args: &[&str]| -> Value {
        let o = run(bin()
            .arg("summarize")
            .arg(&dir)
            .arg("--calibration")
            .arg(&cal_path)
            .args(args));
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
    };
    let v = summary(&[]);
    for row in v["temperatures"].as_array().unwrap() {
        let c = &row["count"];
        assert_eq!(c["fraction"], 0.35);
        let (k, m, n) = (
            c["modes"].as_f64().unwrap(),
            row["samples"].as_f64().unwrap(),
            row["n"].as_f64().unwrap(),
        );
        let soft = c["soft_spots"]["value"].as_f64().unwrap();
        assert!((soft - 5.0 * k / (m * n * 0.35f64.powi(5))).abs() < 1e-9 * soft.max(1.0));
        assert_eq!(c["resampled_by"], "sample");
        assert!(row["reduced"]["count_a_g"]["value"].is_number());
        // the old keys keep their meaning
        assert!(row["a_g"]["value"].is_number() && row["soft_spots"]["value"].is_number());
    }
    assert!(v["boltzmann"]["e_qlm"].is_number());
    let b = &v["boltzmann_count"];
    assert!(b["plateau"]["lowest_tp"].is_number(), "{b}");
    assert!(b["range"].as_str().unwrap().contains("plateau"));
    if b["e_qlm"].is_null() {
        assert!(b["note"].as_str().unwrap().contains("two or more"));
    }
    assert!(v["rules"]["boltzmann_count"]
        .as_str()
        .unwrap()
        .contains("Poisson"));
    assert_eq!(v["estimators"]["count_fraction"], 0.35);
    // a given range: a fit over every T_p, in T_onset with its systematic error
    let v = summary(&["--fit-tp-max", "2", "--count-fraction", "0.3"]);
    let b = &v["boltzmann_count"];
    assert_eq!(b["tp_used"].as_array().unwrap().len(), 6);
    let (e, t) = (
        b["e_qlm"].as_f64().unwrap(),
        cal["t_onset"].as_f64().unwrap(),
    );
    assert!((b["e_qlm_over_t_onset"].as_f64().unwrap() - e / t).abs() < 1e-12);
    let sys = b["systematic_over_t_onset"].as_f64().unwrap();
    assert!((sys - (e / t * 0.1 / t).abs()).abs() < 1e-12);
    assert!(b["error"].as_f64().unwrap() >= b["fisher_error"].as_f64().unwrap());
    assert_eq!(v["temperatures"][0]["count"]["fraction"], 0.3);
    for bad in ["0", "-0.2", "nan"] {
        refuses(
            bin()
                .arg("summarize")
                .arg(&dir)
                .arg(format!("--count-fraction={bad}")),
            "count fraction",
        );
    }
}

/// The count fractions of `summarize` are finite with 0 < x <= 1 and refused by their flag (a
/// negative value too, not taken for a flag); a refused `calibrate --reuse` writes nothing; an
/// accepted one writes the calibration and the summary in its units.
#[test]
fn bad_fractions_and_a_refused_reuse_write_nothing() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = empty_dir("reuse-refused");
    let name = "samples-hot-0-20.jsonl";
    std::fs::copy(root.join("runs/2d-n300").join(name), dir.join(name)).unwrap();
    for (flag, bad) in [
        ("--quartic-count-fraction", "2"),
        ("--quartic-count-fraction", "-1"),
        ("--quartic-count-fraction", "inf"),
        ("--count-fraction", "1.5"),
        ("--count-fraction", "-0.3"),
    ] {
        let o = run(bin().arg("summarize").arg(&dir).args([flag, bad]));
        assert_refused(&o, flag);
        assert!(!stderr(&o).contains("tip:"), "{}", stderr(&o));
    }
    assert!(!dir.join("summary.json").exists());
    // the grid of 2d-n300's hot part is 3, 4, 6, 10 with 20 samples of N = 300
    let calibrate = |tp: &str, samples: &str| {
        run(bin()
            .args(["calibrate", "--dim", "2", "--n", "300", "--tp", tp])
            .args(["--samples", samples, "--reuse", "-o"])
            .arg(&dir))
    };
    assert_refused(&calibrate("3,4,6,10", "24"), "not at least 24 of N = 300");
    assert_refused(&calibrate("3,4,6,10,20", "20"), "no samples at T_p = 20");
    assert!(!dir.join("summary.json").exists());
    assert!(!dir.join("calibration.json").exists());
    let o = calibrate("3,4,6,10", "20");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("summary.json").exists() && dir.join("calibration.json").exists());
    // the summary it writes is in the units it measured, as `summarize --calibration` writes it
    // (an uncalibrated one would replace a calibrated summary)
    let written = std::fs::read(dir.join("summary.json")).unwrap();
    let cal = dir.join("calibration.json");
    let o = run(bin()
        .arg("summarize")
        .arg(&dir)
        .arg("--calibration")
        .arg(&cal));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(written, std::fs::read(dir.join("summary.json")).unwrap());
    let v: Value = serde_json::from_slice(&written).unwrap();
    assert!(v["units"]["t_onset"].as_f64().is_some(), "{}", v["units"]);
}

/// `chains` through the command line: records and checkpoints are written; running the same
/// command again resumes every finished chain and adds nothing; `summarize` reads the records
/// with their equilibration verdicts; bad protocols are refused before anything is written.
#[test]
fn chains_resume_through_the_command_line() {
    let dir = fresh("chains");
    let args = [
        "chains",
        "--dim",
        "2",
        "--n",
        "60",
        "--tp",
        "3,2",
        "--chains",
        "2",
        "--harvests",
        "2",
        "--every",
        "200",
        "--block",
        "100",
        "--min-equilibrate",
        "200",
        "--max-equilibrate",
        "2000",
        "--route",
        "dense",
        "--seed",
        "3",
        "-o",
    ];
    let o = run(bin().args(args).arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let records = dir.join("samples-chains-0-2.jsonl");
    let first = std::fs::read_to_string(&records).unwrap();
    assert_eq!(first.lines().count(), 8);
    assert!(dir.join("state/chain-0.json").exists() && dir.join("state/chain-1.json").exists());
    assert!(first.contains("\"engine\":\"swap-mc-4+") && first.contains("\"tau_alpha\""));
    let o = run(bin().args(args).arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("resuming"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&records).unwrap(), first);
    let o = run(bin().arg("summarize").arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    assert!(summary.contains("\"equilibrated\"") && summary.contains("\"engines\""));
    // refused before anything is written
    let bad_dir = fresh("chains-bad");
    refuses(
        bin()
            .args([
                "chains", "--dim", "2", "--n", "60", "--tp", "2,3", "--chains", "1",
            ])
            .args(["--every", "200", "--block", "100", "-o"])
            .arg(&bad_dir),
        "hot to cold",
    );
    assert!(
        !bad_dir.exists(),
        "a refused run wrote {}",
        bad_dir.display()
    );
}

/// `chains --parents` writes every harvested parent state as extended XYZ, labelled a parent
/// state with its T_p, chain, harvest, τ_α and verdict; quenching the file gives exactly the
/// inherent state the harvest's record describes (same energy per particle, bit for bit).
#[test]
fn chains_write_their_parent_states() {
    let dir = fresh("chains-parents");
    let o = run(bin()
        .args([
            "chains", "--dim", "2", "--n", "60", "--tp", "3,2", "--chains", "1",
        ])
        .args(["--harvests", "1", "--every", "200", "--block", "100"])
        .args([
            "--min-equilibrate",
            "200",
            "--max-equilibrate",
            "2000",
            "--route",
            "dense",
        ])
        .args(["--seed", "5", "--parents", "-o"])
        .arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let records = std::fs::read_to_string(dir.join("samples-chains-0-1.jsonl")).unwrap();
    assert_eq!(records.lines().count(), 2);
    for line in records.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let tp = r["tp"].as_f64().unwrap();
        let file = dir.join(format!("parents/chain-0-tp-{tp}-h0.xyz"));
        let text = std::fs::read_to_string(&file).unwrap();
        let header = text.lines().nth(1).unwrap();
        for key in [
            "state=parent",
            &format!("tp={tp}"),
            "chain=0",
            "harvest=0",
            "tau_alpha=",
            "verdict=",
        ] {
            assert!(header.contains(key), "{key} missing from {header}");
        }
        let o = run(bin()
            .arg("analyze")
            .arg("--quench")
            .arg(&file)
            .args(["--json", "-"]));
        assert!(o.status.success(), "{}", stderr(&o));
        let a: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(
            a["energy_per_particle"].as_f64(),
            r["inherent_energy"].as_f64(),
            "T_p = {tp}"
        );
    }
}

/// `tau` and `bench --part mc` run on tiny systems and say what they measured.
#[test]
fn tau_and_the_engine_benchmark_run() {
    // `tau` of a 2D glass of 60 at T_p = 2, with `more` options; its standard output
    let tau = |more: &[&str]| {
        let o = run(bin()
            .args(["tau", "--dim", "2", "--n", "60", "--tp", "2"])
            .args(more));
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    let out = tau(&["--equilibrate", "100", "--sweeps", "400", "--blocks", "2"]);
    assert!(
        out.contains("tau_alpha = ") && out.contains("inherent-state energy"),
        "{out}"
    );
    refuses(
        bin().args([
            "tau", "--dim", "2", "--n", "60", "--tp", "2", "--sweeps", "0",
        ]),
        "--sweeps must be at least 10",
    );
    // a window as wide as the glass runs as "any partner", and says so
    let out = tau(&[
        "--equilibrate",
        "10",
        "--sweeps",
        "40",
        "--blocks",
        "1",
        "--swap-window",
        "1000",
    ]);
    assert!(
        out.contains("swap window K = all (the 1000 asked for ≥ N − 1 = 59: any partner)"),
        "{out}"
    );
    let o = run(bin().args([
        "bench",
        "--part",
        "mc",
        "--mc-n",
        "200",
        "--mc-moves",
        "2e4",
        "--mc-relax",
        "20",
        "--repeats",
        "1",
    ]));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        out.contains("moves/s") && out.contains("3D") && out.contains("2D"),
        "{out}"
    );
}

/// `--tp-unit onset`: T_p in T_onset of the shipped calibration runs exactly the model-unit T_p
/// it denotes (0.45 × 0.8 = 0.36, not 0.36000000000000004: the same file, byte for byte, as a
/// typed 0.36, with the shipped T_onset read from its file); another
/// density and a non-positive value are refused in words.
#[test]
fn tp_in_onset_units_runs_the_model_unit_value() {
    let a = tmp("onset-a.xyz");
    let b = tmp("onset-b.xyz");
    let common = [
        "generate", "--dim", "3", "--n", "200", "--seed", "2", "--sweeps", "30",
    ];
    // the model-unit T_p of 0.45 T_onset, as its decimal (x·T_onset to 12 significant digits)
    let cal: Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("calibration/poly-3d/calibration.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let t = cal["t_onset"].as_f64().unwrap();
    let model = format!("{}", pinchglass::validate::tp_from_onset(0.45, t));
    let o = run(bin()
        .args(common)
        .args(["--tp", "0.45", "--tp-unit", "onset", "-o"])
        .arg(&a));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("T_p = 0.45 T_onset = {model}")),
        "{}",
        stderr(&o)
    );
    let o = run(bin().args(common).args(["--tp", &model, "-o"]).arg(&b));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    refuses(
        bin()
            .args(common)
            .args([
                "--tp",
                "0.5",
                "--tp-unit",
                "onset",
                "--density",
                "0.6",
                "-o",
            ])
            .arg(&a),
        "holds at density 0.58 only",
    );
    refuses(
        bin()
            .args(common)
            .args(["--tp=-1", "--tp-unit", "onset", "-o"])
            .arg(&a),
        "positive finite number of T_onset",
    );
}

/// A glass quenched next to a mechanical instability (2D, N = 48, T_p = 5, seed 1: sample #2 has
/// G = −25.2) is counted in the summary's `unstable` and the printed table, and left out of the
/// mean G (which then equals the mean of the two stable samples).
#[test]
fn summarize_counts_and_leaves_out_unstable_samples() {
    let dir = fresh("unstable-2d");
    let o = run(bin()
        .args([
            "sweep",
            "--dim",
            "2",
            "--n",
            "48",
            "--tp",
            "5",
            "--samples",
            "3",
            "--sweeps",
            "50",
            "--seed",
            "1",
            "-o",
        ])
        .arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(bin().arg("summarize").arg(&dir));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let header = out.lines().next().unwrap();
    assert!(header.contains("unstable"), "{out}");
    let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(&row[..3], &["5", "3", "1"], "{out}");
    assert!(out.contains("G <= 0"), "{out}");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    let t = &v["temperatures"][0];
    assert_eq!(
        (t["samples"].as_u64(), t["unstable"].as_u64()),
        (Some(3), Some(1))
    );
    let text = std::fs::read_to_string(dir.join("samples-0-3.jsonl")).unwrap();
    let gs: Vec<f64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["shear_modulus"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert_eq!(gs.iter().filter(|g| **g <= 0.0).count(), 1, "{gs:?}");
    let stable: Vec<f64> = gs.iter().cloned().filter(|g| *g > 0.0).collect();
    let mean = stable.iter().sum::<f64>() / stable.len() as f64;
    let g = t["shear_modulus"]["value"].as_f64().unwrap();
    assert!((g - mean).abs() < 1e-9 * mean, "{g} vs {mean}");
    assert!(v["rules"]["unstable"].as_str().unwrap().contains("G <= 0"));
}

/// `summarize --quartic-scan`: the quartic count's Boltzmann fit for each window fraction
/// (`boltzmann_quartic_scan`), the default fraction's entry equal to `boltzmann_quartic`; `none`
/// leaves it out; a bad list is refused by its flag, writing nothing.
#[test]
fn summarize_scans_the_quartic_count_window() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tmp("quartic-scan");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let name = "samples-chains-0-4.jsonl";
    std::fs::copy(root.join("runs/repro/2d-n500").join(name), dir.join(name)).unwrap();
    for bad in ["0.3,abc", "2", "0.3,,0.4", "-0.1"] {
        let o = run(bin()
            .arg("summarize")
            .arg(&dir)
            .args(["--quartic-scan", bad]));
        assert_refused(&o, "--quartic-scan");
    }
    assert!(!dir.join("summary.json").exists());
    let v = summarize_json(&dir, &["--quartic-scan", "0.35,0.5"]);
    let fits = v["boltzmann_quartic_scan"]["fits"].as_array().unwrap();
    assert_eq!(fits.len(), 2);
    assert_eq!(fits[1]["fraction"], 0.5);
    for key in ["e_qlm", "error", "tp_used", "ln_n0"] {
        assert_eq!(
            fits[1]["fit"][key], v["boltzmann_quartic"][key],
            "x_q = 0.5 is the default fit ({key})"
        );
    }
    assert_eq!(
        v["boltzmann_quartic_scan"]["tp_max"],
        v["boltzmann_quartic"]["tp_used"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .reduce(f64::max)
            .unwrap(),
        "every window over the default fit's range"
    );
    assert_ne!(fits[0]["fit"]["e_qlm"], fits[1]["fit"]["e_qlm"]);
    assert_eq!(fits[0]["fit"]["tp_used"], fits[1]["fit"]["tp_used"]);
    // a narrower window counts fewer modes at every T_p
    let modes = |f: &serde_json::Value| -> Vec<u64> {
        f["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["modes"].as_u64().unwrap())
            .collect()
    };
    assert!(modes(&fits[0])
        .iter()
        .zip(modes(&fits[1]))
        .all(|(a, b)| *a <= b));
    let v = summarize_json(&dir, &["--quartic-scan", "none"]);
    assert!(v.get("boltzmann_quartic_scan").is_none());
}

/// Chains split into shards (`--shard 0..1`, `--shard 1..2`, one output directory) give the
/// records of the unsharded run (timings and the `seconds` block aside) and the same summary,
/// Boltzmann fits and chain bootstraps included.
#[test]
fn sharded_chains_summarize_like_the_unsharded_run() {
    let (whole, parts) = (fresh("chains-whole"), fresh("chains-parts"));
    let chains = |dir: &PathBuf, shard: Option<&str>| {
        let mut c = bin();
        c.args([
            "chains", "--dim", "2", "--n", "60", "--tp", "3,2", "--chains", "2",
        ])
        .args(["--harvests", "2", "--every", "200", "--block", "100"])
        .args(["--min-equilibrate", "200", "--max-equilibrate", "2000"])
        .args(["--route", "dense", "--quartic", "3", "--seed", "7", "-o"])
        .arg(dir);
        if let Some(s) = shard {
            c.args(["--shard", s]);
        }
        let o = run(&mut c);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    chains(&whole, None);
    chains(&parts, Some("0..1"));
    chains(&parts, Some("1..2"));
    // the records, one JSON value per line without their timings, in chain and harvest order
    let records = |dir: &PathBuf| -> Vec<Value> {
        let mut out: Vec<Value> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .flat_map(|p| {
                std::fs::read_to_string(p)
                    .unwrap()
                    .lines()
                    .map(|l| {
                        let mut v: Value = serde_json::from_str(l).unwrap();
                        v.as_object_mut().unwrap().remove("seconds");
                        v
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        out.sort_by_key(|v| v.to_string());
        out
    };
    let (a, b) = (records(&whole), records(&parts));
    assert_eq!(a.len(), 8);
    assert_eq!(a, b, "sharded records differ from the unsharded ones");
    let summary = |dir: &PathBuf| -> String {
        let o = run(bin()
            .arg("summarize")
            .arg(dir)
            .args(["--quartic-scan", "none"]));
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read_to_string(dir.join("summary.json")).unwrap()
    };
    assert_eq!(summary(&whole), summary(&parts));
}

#[test]
fn every_flag_of_every_command_says_what_it_is() {
    // `--help` of each command: every option line is followed by its description
    let commands = [
        "generate",
        "analyze",
        "sweep",
        "summarize",
        "calibrate",
        "figures",
        "chains",
        "tau",
        "bench",
    ];
    for c in commands {
        let o = run(bin().args([c, "--help"]));
        assert!(o.status.success(), "{c} --help");
        let text = String::from_utf8_lossy(&o.stdout).to_string();
        let lines: Vec<&str> = text.lines().collect();
        let bare: Vec<&str> = lines
            .windows(2)
            .filter(|w| {
                let opt = w[0].trim_start();
                (opt.starts_with("--") || opt.starts_with("-o") || opt.starts_with("-h"))
                    && w[0].starts_with("  ")
                    && w[1].trim().is_empty()
                    && !opt.starts_with("-h, --help")
            })
            .map(|w| w[0])
            .collect();
        assert!(
            bare.is_empty(),
            "{c} --help: options without a description: {bare:?}"
        );
    }
}
