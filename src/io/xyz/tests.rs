use super::*;

fn sample<const D: usize>(seed: u64) -> Glass<D> {
    let n = if D == 2 { 60 } else { 200 };
    let density = if D == 2 { 0.86 } else { 0.58 };
    Glass::<D>::random(n, density, Poly::default(), seed).unwrap()
}

fn extra() -> Vec<(String, String)> {
    [
        ("tp", "0.5"),
        ("seed", "7"),
        ("energy", "-123.4"),
        ("sweeps", "1000"),
        ("note", "two words"),
        ("empty", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn round_trip<const D: usize>() {
    let mut g = sample::<D>(11);
    // awkward values: shortest repr must still be exact
    g.positions[0][0] = 0.1 + 0.2;
    g.positions[1][1] = 1e-7;
    g.sizes[2] = 1.0 + f64::EPSILON;
    let g = Glass::new(g.space, g.positions.clone(), g.sizes.clone(), g.model).unwrap();
    let text = write_xyz(&g, &extra()).unwrap();
    let cfg = read_xyz(&text).unwrap();
    assert_eq!(cfg.dim, D);
    assert_eq!(cfg.model, g.model);
    let back = cfg.to_glass::<D>().unwrap();
    assert_eq!(back.space.lengths(), g.space.lengths());
    assert_eq!(back.sizes, g.sizes);
    for (a, b) in back.positions.iter().zip(&g.positions) {
        for k in 0..D {
            assert_eq!(a[k].to_bits(), b[k].to_bits(), "{a:?} vs {b:?}");
        }
    }
    assert_eq!(cfg.get("tp"), Some("0.5"));
    assert_eq!(cfg.get("seed"), Some("7"));
    assert_eq!(cfg.get("energy"), Some("-123.4"));
    assert_eq!(cfg.get("sweeps"), Some("1000"));
    assert_eq!(cfg.get("note"), Some("two words"));
    assert_eq!(cfg.get("empty"), Some(""));
    assert_eq!(cfg.get("DIM"), Some(if D == 2 { "2" } else { "3" }));
    let keys: Vec<&str> = cfg.info.iter().map(|(k, _)| k.as_str()).collect();
    // the writer's own keys first (Lattice, Properties, pbc, dim, the model), then the extras
    let mut expected = RESERVED_KEYS.to_vec();
    expected.extend(["tp", "seed", "energy", "sweeps", "note", "empty"]);
    assert_eq!(keys, expected);
    // writing the read-back glass reproduces the file
    assert_eq!(write_xyz(&back, &extra()).unwrap(), text);
}

#[test]
fn round_trip_is_bit_exact_2d() {
    round_trip::<2>();
}

#[test]
fn round_trip_is_bit_exact_3d() {
    round_trip::<3>();
}

#[test]
fn round_trip_keeps_non_default_model_parameters() {
    let model = Poly::new(0.9, 2.0, 0.05, 1.3, 2.5).unwrap();
    let g = Glass::<3>::random(150, 0.58, model, 3).unwrap();
    let cfg = read_xyz(&write_xyz(&g, &[]).unwrap()).unwrap();
    assert_eq!(cfg.model, model);
    assert_eq!(cfg.to_glass::<3>().unwrap().model, model);
}

#[test]
fn written_format_is_the_documented_one() {
    let g = sample::<2>(5);
    let text = write_xyz(&g, &[("tp".into(), "0.5".into())]).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + g.n());
    assert_eq!(lines[0], g.n().to_string());
    let l = g.space.lengths();
    assert_eq!(
        lines[1],
        format!(
            "Lattice=\"{:?} 0.0 0.0 0.0 {:?} 0.0 0.0 0.0 1.0\" Properties=species:S:1:pos:R:3:size:R:1 pbc=\"T T F\" dim=2 model=POLY lambda_min=1.0 lambda_max=2.22 nonadditivity=0.1 x_cut=1.48 epsilon=1.0 tp=0.5",
            l[0], l[1]
        )
    );
    for line in &lines[2..] {
        let t: Vec<&str> = line.split(' ').collect();
        assert_eq!(t.len(), 5);
        assert_eq!(t[0], "X");
        assert_eq!(t[3], "0.0");
    }
    let g3 = sample::<3>(5);
    let text3 = write_xyz(&g3, &[]).unwrap();
    let line2 = text3.lines().nth(1).unwrap();
    assert!(line2.contains("pbc=\"T T T\" dim=3 "), "{line2}");
    assert!(text3.ends_with('\n'));
}

#[test]
fn file_from_another_tool_parses() {
    let text = "\
3
Properties=species:S:1:id:I:1:pos:R:3:size:R:1:vel:R:3 Time=12.5 comment=\"made by another tool\" Lattice=\"10.0 0.0 0.0 0.0 11.0 0.0 0.0 0.0 12.0\" fixed
Ar 1 1.5 2.5 3.5 1.1 0.1 -0.2 0.3
Ar 2 4.0 5.0 13.0 1.2 1e-3 2E+1 -0
Kr 3 -1.0 0.5 0.5 2.0D0 nan inf 0.0
";
    let cfg = read_xyz(text).unwrap();
    assert_eq!(cfg.dim, 3);
    assert_eq!(cfg.lengths, [10.0, 11.0, 12.0]);
    assert_eq!(cfg.positions[1], [4.0, 5.0, 13.0]);
    assert_eq!(cfg.sizes, vec![1.1, 1.2, 2.0]);
    assert_eq!(cfg.model, Poly::default());
    assert_eq!(cfg.get("comment"), Some("made by another tool"));
    assert_eq!(cfg.get("time"), Some("12.5"));
    assert_eq!(cfg.get("fixed"), Some("T"));
    let g = cfg.to_glass::<3>().unwrap();
    assert_eq!(g.positions[1][2], 1.0); // wrapped into the box
    assert_eq!(g.positions[2][0], 9.0);
    let err = cfg.to_glass::<2>().unwrap_err();
    assert!(err.contains("3D"), "{err}");
}

#[test]
fn line_two_syntax_quotes_flags_and_case() {
    let text = "\
2
lattice=[7 0 0 0 7 0 0 0 0] PROPERTIES = 'size:R:1:pos:R:2' PBC=\"T, T, F\" a=b=c esc=x\\ y flag lambda_MAX=2.0
1.0 1 2
1.5 3 4
";
    let cfg = read_xyz(text).unwrap();
    assert_eq!(cfg.dim, 2);
    assert_eq!(cfg.lengths, [7.0, 7.0, 0.0]);
    assert_eq!(cfg.positions, vec![[1.0, 2.0, 0.0], [3.0, 4.0, 0.0]]);
    assert_eq!(cfg.sizes, vec![1.0, 1.5]);
    assert_eq!(cfg.model.lambda_max, 2.0);
    assert_eq!(cfg.get("a"), Some("b=c"));
    assert_eq!(cfg.get("esc"), Some("x y"));
    assert_eq!(cfg.get("flag"), Some("T"));
    assert_eq!(cfg.get("Properties"), Some("size:R:1:pos:R:2"));
    assert!(cfg.to_glass::<2>().is_ok());
}

#[test]
fn two_d_is_detected_without_a_dim_key() {
    // zero third lattice vector
    let text = "\
2
Lattice=\"8 0 0 0 9 0 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1
A 1 2 0 1.0
A 3 4 0.0 1.3
";
    let cfg = read_xyz(text).unwrap();
    assert_eq!(cfg.dim, 2);
    assert_eq!(cfg.lengths, [8.0, 9.0, 0.0]);
    assert_eq!(cfg.to_glass::<2>().unwrap().space.lengths()[1], 9.0);
    assert!(cfg.notes.is_empty(), "{:?}", cfg.notes);
    // pbc F along z and every z zero
    let text = text.replace("0 0 0\" Prop", "0 0 1\" pbc=\"T T F\" Prop");
    let cfg = read_xyz(&text).unwrap();
    assert_eq!(cfg.dim, 2);
    assert!(cfg.notes.is_empty(), "{:?}", cfg.notes);
    // planar: 2D whatever pbc along z and the third box extent say (issue 12: these two
    // were read as 3D before), with a note saying so
    for (from, to) in [
        ("T T F", "T T T"),     // LAMMPS data -> ASE
        (" pbc=\"T T F\"", ""), // OVITO: 0 0 1 and no pbc
        ("0 0 1\" pbc=\"T T F\"", "0 0 1e-8\""),
        ("0 0 1\" pbc=\"T T F\"", "0 0 100\" pbc=\"T T T\""), // a layer in vacuum
    ] {
        let t = text.replace(from, to);
        let cfg = read_xyz(&t).unwrap();
        assert_eq!(cfg.dim, 2, "{t}");
        assert_eq!(cfg.lengths, [8.0, 9.0, 0.0]);
        assert_eq!(cfg.notes.len(), 1, "{t}");
        assert!(cfg.notes[0].contains("read as 2D") && cfg.notes[0].contains("dim=2"));
    }
    // every z equal but not zero: 2D, z dropped
    let t = text
        .replace(" 0 1.0", " 3.5 1.0")
        .replace(" 0.0 1.3", " 3.5 1.3");
    let cfg = read_xyz(&t).unwrap();
    assert_eq!((cfg.dim, cfg.positions[1]), (2, [3.0, 4.0, 0.0]));
}

#[test]
fn planar_declared_three_d_or_undecidable_is_refused_with_the_fix() {
    let head = "Lattice=\"8 0 0 0 9 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1";
    let flat = ["A 1 2 5 1.0", "A 3 4 5 1.3"];
    assert_has(
        &err(&file(&format!("{head} dim=3"), &flat)),
        &["dim=3", "planar", "not a glass"],
    );
    let e = read_xyz_with(&file(head, &flat), &ReadOptions { dim: Some(3) }).unwrap_err();
    assert_has(&e, &["--dim=3", "planar"]);
    // z equal up to noise far below a particle, but not by rounding: ask for dim=2
    let noisy = ["A 1 2 5 1.0", "A 3 4 5.001 1.3"];
    assert_has(&err(&file(head, &noisy)), &["cannot tell", "add dim=2"]);
    let cfg = read_xyz(&file(&format!("{head} dim=2"), &noisy)).unwrap();
    assert_eq!(cfg.dim, 2);
    assert!(cfg.notes[0].contains("dropped"));
    let cfg = read_xyz_with(&file(head, &noisy), &ReadOptions { dim: Some(2) }).unwrap();
    assert_eq!(cfg.dim, 2);
    // a real 3D configuration stays 3D, and --dim 2 on it is refused
    let bulk = ["A 1 2 3 1.0", "A 3 4 7 1.3"];
    assert_eq!(read_xyz(&file(head, &bulk)).unwrap().dim, 3);
    let e = read_xyz_with(&file(head, &bulk), &ReadOptions { dim: Some(2) }).unwrap_err();
    assert_has(&e, &["line 4", "--dim=2", "z = 7"]);
}

#[test]
fn nested_lattice_of_the_spec_is_read() {
    let body = ["A 1 2 3 1.0", "A 4 5 6 1.2"];
    for lattice in [
        "Lattice=[[10, 0, 0], [0, 11, 0], [0, 0, 12]]",
        "Lattice=[[10,0,0],[0,11,0],[0,0,12]]",
        "Lattice=\"[[10, 0, 0], [0, 11, 0], [0, 0, 12]]\"",
    ] {
        let cfg = read_xyz(&file(
            &format!("{lattice} Properties=species:S:1:pos:R:3:size:R:1"),
            &body,
        ))
        .unwrap_or_else(|e| panic!("{lattice}: {e}"));
        assert_eq!(cfg.lengths, [10.0, 11.0, 12.0]);
    }
    assert_has(
        &err(&file(
            "Lattice=[[10, 0, 0], [0, 11, 0]] Properties=species:S:1:pos:R:3:size:R:1",
            &body,
        )),
        &["nested Lattice", "three vectors"],
    );
}

#[test]
fn absurd_counts_and_widths_are_refused_before_allocating() {
    let body = "A 1 2 3 1.0\nA 4 5 6 1.2\n";
    for n in [
        "18446744073709551615",
        "18446744073709551614",
        "9223372036854775807",
    ] {
        assert_has(&err(&format!("{n}\n{HEAD}\n{body}")), &["truncated", n]);
    }
    assert_has(
        &err(&format!("99999999999999999999\n{HEAD}\n{body}")),
        &["line 1", "positive integer"],
    );
    for props in [
        "species:S:1:pos:R:3:size:R:18446744073709551615",
        "species:S:18446744073709551615:pos:R:3:size:R:1",
        "species:S:9223372036854775807:pos:R:9223372036854775807:size:R:1",
        "species:S:6000:pos:R:3:size:R:1:x:R:6000",
    ] {
        let h = format!("Lattice=\"10 0 0 0 10 0 0 0 10\" Properties={props}");
        assert_has(&err(&format!("2\n{h}\n{body}")), &["line 2"]);
    }
}

fn err(text: &str) -> String {
    match read_xyz(text) {
        Ok(c) => panic!("expected an error, got {c:?}"),
        Err(e) => {
            assert!(!e.contains('\n'), "multi-line message: {e}");
            e
        }
    }
}

const HEAD: &str = "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1";

fn file(line2: &str, body: &[&str]) -> String {
    let mut s = format!("{}\n{line2}\n", body.len());
    for b in body {
        s.push_str(b);
        s.push('\n');
    }
    s
}

fn assert_has(e: &str, words: &[&str]) {
    for w in words {
        assert!(e.contains(w), "{e:?} lacks {w:?}");
    }
}

#[test]
fn valid_reference_file_reads() {
    // the base of the error cases below is itself valid
    let cfg = read_xyz(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 1.2"])).unwrap();
    assert_eq!(cfg.dim, 3);
}

#[test]
fn structural_errors_are_reported() {
    assert_has(&err(""), &["empty"]);
    assert_has(&err(" \n\n"), &["empty"]);
    assert_has(&err("abc\n"), &["line 1", "positive integer"]);
    assert_has(&err("0\nx\n"), &["line 1", "positive integer"]);
    assert_has(&err("-3\nx\n"), &["line 1", "positive integer"]);
    assert_has(&err("2\n"), &["missing line 2"]);
    assert_has(&err("2"), &["missing line 2"]);
    assert_has(
        &err(&format!("3\n{HEAD}\nA 1 2 3 1.0\nA 4 5 6 1.2\n")),
        &["truncated", "3 particles", "2 particle lines"],
    );
    let two = file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 1.2"]);
    assert_has(
        &err(&format!("{two}{two}")),
        &["line 5", "more than one frame"],
    );
    assert_has(
        &err(&format!("{two}A 7 8 9 1.0\n")),
        &["line 5", "mismatch"],
    );
    // trailing blank lines are fine
    assert!(read_xyz(&format!("{two}\n  \n")).is_ok());
    assert_has(
        &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6"])),
        &["line 4", "expected 5 columns", "found 4"],
    );
    assert_has(
        &err(&file(HEAD, &["A 1 2 3 1.0", ""])),
        &["line 4", "found 0"],
    );
}

#[test]
fn value_errors_name_the_line() {
    assert_has(
        &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 five 6 1.2"])),
        &["line 4", "five", "not a number"],
    );
    assert_has(
        &err(&file(HEAD, &["A 1 nan 3 1.0", "A 4 5 6 1.2"])),
        &["line 3", "not a finite number"],
    );
    assert_has(
        &err(&file(HEAD, &["A 1 2 3 inf", "A 4 5 6 1.2"])),
        &["line 3", "size", "not a finite number"],
    );
    assert_has(
        &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 -1.2"])),
        &["line 4", "positive"],
    );
    let h =
        "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1:id:I:1:ok:L:1";
    assert!(read_xyz(&file(h, &["A 1 2 3 1.0 7 T", "A 4 5 6 1.2 8 F"])).is_ok());
    assert_has(
        &err(&file(h, &["A 1 2 3 1.0 7 T", "A 4 5 6 1.2 8.5 F"])),
        &["line 4", "id", "integer"],
    );
    assert_has(
        &err(&file(h, &["A 1 2 3 1.0 7 maybe", "A 4 5 6 1.2 8 F"])),
        &["line 3", "ok", "logical"],
    );
}

#[test]
fn header_errors_are_reported() {
    let body = ["A 1 2 3 1.0", "A 4 5 6 1.2"];
    assert_has(
        &err(&file("Properties=species:S:1:pos:R:3:size:R:1", &body)),
        &["missing Lattice"],
    );
    assert_has(
        &err(&file("Lattice=\"10 0 0 0 10 0 0 0 10\"", &body)),
        &["missing Properties"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:xyz:R:3:size:R:1",
            &body,
        )),
        &["no pos column"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:radius:R:1",
            &body,
        )),
        &["no size column"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:Q:1",
            &body,
        )),
        &["unknown column type letter", "\"Q\""],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R",
            &body,
        )),
        &["triples"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:I:3:size:R:1",
            &body,
        )),
        &["pos", "R:3"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0.5 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1",
            &body,
        )),
        &["not orthogonal"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 10 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1",
            &body,
        )),
        &["Lattice needs 9 numbers"],
    );
    assert_has(
        &err(&file(
            "Lattice=\"10 0 0 0 ten 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1",
            &body,
        )),
        &["Lattice", "ten"],
    );
    assert_has(&err(&file(&format!("{HEAD} dim=4"), &body)), &["dim"]);
    assert_has(
        &err(&file(&format!("{HEAD} note=\"open"), &body)),
        &["unterminated quote"],
    );
    assert_has(
        &err(&file(&format!("=x {HEAD}"), &body)),
        &["without a key"],
    );
    assert_has(
        &err(&file(
            &format!("{HEAD} lattice=\"1 0 0 0 1 0 0 0 1\""),
            &body,
        )),
        &["more than once"],
    );
    assert_has(
        &err(&file(&format!("{HEAD} model=LJ"), &body)),
        &["model", "LJ"],
    );
    assert_has(
        &err(&file(&format!("{HEAD} x_cut=0.5"), &body)),
        &["model parameters", "cutoff"],
    );
    assert_has(
        &err(&file(&format!("{HEAD} epsilon=big"), &body)),
        &["epsilon", "big"],
    );
    assert_has(
        &err(&file(&format!("{HEAD} pbc=\"T F T\""), &body)),
        &["pbc", "periodic"],
    );
}

#[test]
fn dimension_errors_are_reported() {
    let body = ["A 1 2 0 1.0", "A 4 5 0.5 1.2"];
    assert_has(
        &err(&file(&format!("{HEAD} dim=2"), &body)),
        &["line 4", "2D", "z = 0.5", "off the plane"],
    );
    let flat = "Lattice=\"10 0 0 0 10 0 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1";
    assert_has(&err(&file(flat, &body)), &["line 4", "non-zero z"]);
    assert_has(
        &err(&file(
            &format!("{flat} dim=3"),
            &["A 1 2 3 1.0", "A 4 5 6 1.2"],
        )),
        &["dim=3", "third Lattice vector is zero"],
    );
    let two_col = "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:2:size:R:1 dim=3";
    assert_has(
        &err(&file(two_col, &["A 1 2 1.0", "A 4 5 1.2"])),
        &["dim=3", "2 components"],
    );
    assert_has(
        &err(&file(
            &format!("{HEAD} pbc=\"T T F\""),
            &["A 1 2 3 1.0", "A 4 5 6 1.2"],
        )),
        &["3D", "pbc"],
    );
    // a 2D file asked for as 3D
    let cfg = read_xyz(&write_xyz(&sample::<2>(1), &[]).unwrap()).unwrap();
    assert_has(&cfg.to_glass::<3>().unwrap_err(), &["2D", "not 3D"]);
    // glass validation errors propagate (box too small for the sizes)
    let tiny = "Lattice=\"2 0 0 0 2 0 0 0 2\" Properties=species:S:1:pos:R:3:size:R:1";
    let cfg = read_xyz(&file(tiny, &["A 0 0 0 1.0", "A 1 1 1 1.0"])).unwrap();
    assert_has(&cfg.to_glass::<3>().unwrap_err(), &["too small"]);
}

#[test]
fn writer_refuses_what_it_cannot_write() {
    use crate::space::Shear;
    let mut g = sample::<2>(2);
    let kv = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
    assert_has(&write_xyz(&g, &kv("dim", "3")).unwrap_err(), &["clashes"]);
    assert_has(
        &write_xyz(&g, &kv("LATTICE", "x")).unwrap_err(),
        &["clashes"],
    );
    assert_has(&write_xyz(&g, &kv("a b", "x")).unwrap_err(), &["key"]);
    assert_has(&write_xyz(&g, &kv("", "x")).unwrap_err(), &["empty"]);
    assert_has(
        &write_xyz(&g, &kv("q", "say \"hi\"")).unwrap_err(),
        &["value"],
    );
    assert_has(&write_xyz(&g, &kv("q", "a\nb")).unwrap_err(), &["value"]);
    // values with delimiters are quoted and read back unchanged
    let v = "it's {a=[1,2]}";
    let cfg = read_xyz(&write_xyz(&g, &kv("q", v)).unwrap()).unwrap();
    assert_eq!(cfg.get("q"), Some(v));
    g.space = g.space.with_shear(Shear {
        along: 0,
        across: 1,
        gamma: 0.01,
    });
    assert_has(&write_xyz(&g, &[]).unwrap_err(), &["sheared"]);
}

/// Writes example files for checking with external tools (ASE, OVITO):
/// `cargo test --release xyz::tests::write_example_files -- --ignored --nocapture`.
#[test]
#[ignore]
fn write_example_files() {
    let dir = std::env::var("PINCHGLASS_XYZ_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("pinchglass-xyz-examples"));
    std::fs::create_dir_all(&dir).unwrap();
    let p2 = dir.join("glass2d.xyz");
    let p3 = dir.join("glass3d.xyz");
    std::fs::write(&p2, write_xyz(&sample::<2>(1), &extra()).unwrap()).unwrap();
    std::fs::write(&p3, write_xyz(&sample::<3>(1), &extra()).unwrap()).unwrap();
    println!("wrote {} and {}", p2.display(), p3.display());
}

/// Reads every `*.xyz` file of the example directory (e.g. files re-written by ASE) and
/// turns it into a glass: `cargo test --release xyz::tests::read_example_files -- --ignored --nocapture`.
#[test]
#[ignore]
fn read_example_files() {
    let dir = std::env::var("PINCHGLASS_XYZ_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("pinchglass-xyz-examples"));
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xyz"))
        .collect();
    paths.sort();
    for p in paths {
        let cfg = read_xyz(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let n = if cfg.dim == 2 {
            cfg.to_glass::<2>().unwrap().n()
        } else {
            cfg.to_glass::<3>().unwrap().n()
        };
        println!(
            "{}: dim {} N {n} lengths {:?} first size {}",
            p.display(),
            cfg.dim,
            cfg.lengths,
            cfg.sizes[0]
        );
    }
}

#[test]
fn an_unconverged_quench_is_never_labelled_inherent() {
    use crate::quench::{quench, QuenchSettings};
    use crate::swap_mc::{equilibrate, SwapMcSettings};
    let mc = equilibrate::<2>(
        100,
        0.86,
        Poly::default(),
        SwapMcSettings::new(1.0, 5, 1),
        &mut |_, _| true,
    )
    .unwrap();
    let meta = generation_metadata(&mc, &mc.glass, None).unwrap();
    assert!(meta.contains(&("state".into(), "parent".into())));
    let mut g = mc.glass.clone();
    let mut r = quench(&mut g, &QuenchSettings::default());
    assert!(r.converged);
    let meta = generation_metadata(&mc, &g, Some(&r)).unwrap();
    assert!(meta.contains(&("state".into(), "inherent".into())));
    r.converged = false;
    let e = generation_metadata(&mc, &g, Some(&r)).unwrap_err();
    assert!(
        e.contains("did not converge") && e.contains("inherent"),
        "{e}"
    );
}
