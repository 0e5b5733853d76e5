//! Generator-driven fuzzing of the extended-XYZ reader (issue 12): generated and mutated files
//! go through `read_xyz` (and `to_glass` when they parse), which must return `Ok` or a one-line
//! `Err` — never panic, hang or ask for an absurd allocation.
//!
//! * `a_few_seconds_of_fuzzing` runs in the normal test suite (10⁵ inputs, about 2 s);
//! * `a_million_inputs` is the long run: `./build.sh fuzz` (=
//!   `cargo test --release --test fuzz_xyz -- --ignored --nocapture`), `PINCHGLASS_FUZZ_INPUTS`
//!   inputs (default 10⁶) from `PINCHGLASS_FUZZ_SEED` (default 1).
//!
//! Checks: a panic is caught and reported with the input's seed (inputs are reproducible from
//! it, `PINCHGLASS_FUZZ_ONE=seed` prints one); any single allocation above [`ALLOCATION_LIMIT`]
//! aborts the run with a message (the inputs are a few kB: the reader has no business asking
//! for more); a watchdog aborts if one input takes more than 10 s, and any input slower than
//! 0.5 s is reported as a hang.

use pinchglass::xyz::{read_xyz, read_xyz_with, ReadOptions};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// Largest single allocation tolerated (bytes).
const ALLOCATION_LIMIT: usize = 64 << 20;

struct Guard;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Guard {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        check(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        check(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

fn check(size: usize) {
    LARGEST.fetch_max(size, Ordering::Relaxed);
    if size > ALLOCATION_LIMIT {
        // no allocation here: a fixed message, then abort (unwinding out of an allocator is UB)
        let seed = CURRENT.load(Ordering::Relaxed);
        let msg = format_args!(
            "fuzz_xyz: allocation of {size} bytes (limit {ALLOCATION_LIMIT}) for the input of seed {seed}\n"
        );
        use std::io::Write;
        let _ = std::io::stderr().write_fmt(msg);
        std::process::abort();
    }
}

#[global_allocator]
static GLOBAL: Guard = Guard;

/// Seed of the input being read (for the allocation guard and the watchdog).
static CURRENT: AtomicU64 = AtomicU64::new(0);
/// Milliseconds since the start at which the current input began.
static STARTED: AtomicU64 = AtomicU64::new(0);

/// Valid and nearly valid files of the dialects the reader accepts (the seeds of mutation).
fn corpus() -> Vec<String> {
    let mut c: Vec<String> = [
        include_str!("data/xyz/reference-2d.xyz"),
        include_str!("data/xyz/planar-ovito.xyz"),
        include_str!("data/xyz/planar-vacuum.xyz"),
        include_str!("data/xyz/nested-lattice.xyz"),
        include_str!("data/xyz/scaled-x10-2d.xyz"),
    ]
    .iter()
    // the first 12 particles are enough (mutations of long files mostly hit particle lines)
    .map(|t| {
        let lines: Vec<&str> = t.lines().collect();
        let mut s = format!("12\n{}\n", lines[1]);
        for l in &lines[2..14] {
            s.push_str(l);
            s.push('\n');
        }
        s
    })
    .collect();
    c.extend(
        [
            "3\nProperties=species:S:1:id:I:1:pos:R:3:size:R:1:vel:R:3 Time=12.5 comment=\"made by another tool\" Lattice=\"10.0 0.0 0.0 0.0 11.0 0.0 0.0 0.0 12.0\" fixed\nAr 1 1.5 2.5 3.5 1.1 0.1 -0.2 0.3\nAr 2 4.0 5.0 13.0 1.2 1e-3 2E+1 -0\nKr 3 -1.0 0.5 0.5 2.0D0 nan inf 0.0\n",
            "2\nlattice=[7 0 0 0 7 0 0 0 0] PROPERTIES = 'size:R:1:pos:R:2' PBC=\"T, T, F\" a=b=c esc=x\\ y flag lambda_MAX=2.0\n1.0 1 2\n1.5 3 4\n",
            "2\nLattice=\"8 0 0 0 9 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1:ok:L:1 pbc=\"T T T\" dim=3 model=POLY x_cut=1.48\nA 1 2 5 1.0 T\nA 3 4 7 1.3 F\n",
            "\u{feff}2\r\nLattice={8 0 0 0 9 0 0 0 1} Properties=species:S:1:pos:R:3:size:R:1 pbc=T\r\nA 1 2 0 1.0\r\nA 3 4 0 1.3\r\n",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    c
}

/// Tokens that break parsers: huge and odd numbers, quotes, brackets, separators, keys.
const INTERESTING: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "3",
    "4",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "1e-308",
    "4.9e-324",
    "1e309",
    "18446744073709551615",
    "18446744073709551614",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "1D5",
    "1d-3",
    "0x10",
    "",
    " ",
    "\"",
    "'",
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "==",
    "\\",
    ":",
    "::",
    ",",
    "T",
    "F",
    "R",
    "I",
    "S",
    "L",
    "Q",
    "pos",
    "size",
    "species",
    "Lattice=",
    "Properties=",
    "pbc=",
    "dim=2",
    "dim=3",
    "dim=4",
    "model=LJ",
    "lambda_min=",
    "lambda_max=0",
    "x_cut=1",
    "nonadditivity=1e9",
    "epsilon=-1",
    "pos:R:3",
    "size:R:1",
    "pos:R:2",
    "x:R:99999999999",
    "\t",
    "\r",
    "\n",
    "\u{0}",
    "\u{feff}",
    "é",
    "λ",
    "\u{10ffff}",
    "1e-8",
    "100",
    "0.5",
];

fn pick<'a, T>(rng: &mut Xoshiro256PlusPlus, v: &'a [T]) -> &'a T {
    &v[rng.random_range(0..v.len())]
}

fn random_number(rng: &mut Xoshiro256PlusPlus) -> String {
    match rng.random_range(0..6) {
        0 => pick(rng, INTERESTING).to_string(),
        1 => format!("{}", rng.random_range(-5i64..50)),
        2 => format!(
            "{:e}",
            rng.random::<f64>() * 10f64.powi(rng.random_range(-20..20))
        ),
        3 => format!("{}", rng.random::<f64>() * 20.0 - 2.0),
        4 => format!("{}", rng.random::<u64>()),
        _ => format!("{}", 1.0 + rng.random::<f64>() * 1.22),
    }
}

/// A file generated from scratch, structure-aware: a count, a line 2 of random keys (Lattice
/// in both forms, Properties with random columns, pbc, dim, model keys, junk), particle lines
/// that mostly match the declared columns.
fn generated(rng: &mut Xoshiro256PlusPlus) -> String {
    let n = rng.random_range(1..12usize);
    let mut out = String::new();
    out.push_str(&match rng.random_range(0..8) {
        0 => random_number(rng),
        1 => format!("{}", n + rng.random_range(0..3)),
        _ => format!("{n}"),
    });
    out.push('\n');
    let mut keys: Vec<String> = Vec::new();
    let lat: Vec<String> = (0..9)
        .map(|k| {
            if k % 4 == 0 && rng.random_bool(0.9) {
                format!("{}", rng.random_range(0.5..30.0f64))
            } else if rng.random_bool(0.9) {
                "0".into()
            } else {
                random_number(rng)
            }
        })
        .collect();
    match rng.random_range(0..5) {
        0 => keys.push(format!(
            "Lattice=[[{}, {}, {}], [{}, {}, {}], [{}, {}, {}]]",
            lat[0], lat[1], lat[2], lat[3], lat[4], lat[5], lat[6], lat[7], lat[8]
        )),
        1 => keys.push(format!("Lattice=[{}]", lat.join(","))),
        2 => {}
        _ => keys.push(format!("Lattice=\"{}\"", lat.join(" "))),
    }
    let mut columns: Vec<(String, char, usize)> = vec![
        ("species".into(), 'S', 1),
        ("pos".into(), 'R', if rng.random_bool(0.2) { 2 } else { 3 }),
        ("size".into(), 'R', 1),
    ];
    for _ in 0..rng.random_range(0..3) {
        let kind = *pick(rng, &['R', 'I', 'S', 'L']);
        columns.push((
            format!("c{}", rng.random_range(0..5)),
            kind,
            rng.random_range(1..4),
        ));
    }
    for k in (1..columns.len()).rev() {
        if rng.random_bool(0.3) {
            columns.swap(k, rng.random_range(0..=k));
        }
    }
    if rng.random_bool(0.05) {
        columns.pop();
    }
    let mut props: Vec<String> = columns
        .iter()
        .map(|(name, kind, w)| format!("{name}:{kind}:{w}"))
        .collect();
    if rng.random_bool(0.05) {
        let k = rng.random_range(0..props.len().max(1));
        if let Some(p) = props.get_mut(k) {
            *p = format!("{}:{}", pick(rng, INTERESTING), pick(rng, INTERESTING));
        }
    }
    keys.push(format!("Properties={}", props.join(":")));
    if rng.random_bool(0.6) {
        let b = ["T", "F"];
        keys.push(if rng.random_bool(0.8) {
            format!("pbc=\"T T {}\"", pick(rng, &b))
        } else {
            format!(
                "pbc=\"{} {} {}\"",
                pick(rng, &b),
                pick(rng, &b),
                pick(rng, &b)
            )
        });
    }
    if rng.random_bool(0.4) {
        keys.push(format!(
            "dim={}",
            pick(rng, &["2", "3", "2", "3", "1", "x"])
        ));
    }
    for key in [
        "lambda_min",
        "lambda_max",
        "nonadditivity",
        "x_cut",
        "epsilon",
        "model",
    ] {
        if rng.random_bool(0.1) {
            keys.push(format!("{key}={}", random_number(rng)));
        }
    }
    for _ in 0..rng.random_range(0..3) {
        keys.push(format!(
            "{}={}",
            pick(rng, INTERESTING),
            pick(rng, INTERESTING)
        ));
    }
    for k in (1..keys.len()).rev() {
        keys.swap(k, rng.random_range(0..=k));
    }
    out.push_str(&keys.join(" "));
    out.push('\n');
    let planar = rng.random_bool(0.5);
    let z = random_number(rng);
    for _ in 0..n {
        let mut tokens = Vec::new();
        for (name, kind, w) in &columns {
            for k in 0..*w {
                tokens.push(match (name.as_str(), kind) {
                    ("pos", _) if k == 2 && planar => z.clone(),
                    ("pos", _) => format!("{}", rng.random_range(-1.0..12.0f64)),
                    ("size", _) => format!("{}", 0.9 + rng.random::<f64>() * 1.5),
                    (_, 'R') => random_number(rng),
                    (_, 'I') => format!("{}", rng.random_range(-3i64..100)),
                    (_, 'L') => pick(rng, &["T", "F", "True", "false"]).to_string(),
                    _ => "X".to_string(),
                });
            }
        }
        if rng.random_bool(0.03) {
            let k = rng.random_range(0..tokens.len().max(1));
            if k < tokens.len() {
                tokens[k] = pick(rng, INTERESTING).to_string();
            }
        }
        out.push_str(&tokens.join(" "));
        out.push('\n');
    }
    out
}

/// A corpus file mutated at the byte, token or line level (1–8 mutations, mostly 1 or 2).
fn mutated(rng: &mut Xoshiro256PlusPlus, corpus: &[String]) -> String {
    let mut bytes: Vec<u8> = pick(rng, corpus).as_bytes().to_vec();
    // mostly one or two mutations (the file still gets past the header often), up to eight
    let count = 1 + (rng.random::<f64>().powi(3) * 8.0) as usize;
    for _ in 0..count {
        let len = bytes.len();
        match rng.random_range(0..10) {
            // flip a byte
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                bytes[i] ^= 1 << rng.random_range(0..8);
            }
            // insert an interesting token at a random place
            1 | 2 => {
                let i = rng.random_range(0..=len);
                let t = pick(rng, INTERESTING).as_bytes().to_vec();
                bytes.splice(i..i, t);
            }
            // delete a range
            3 if len > 0 => {
                let i = rng.random_range(0..len);
                let j = (i + rng.random_range(1..64)).min(len);
                bytes.drain(i..j);
            }
            // duplicate a range
            4 if len > 0 => {
                let i = rng.random_range(0..len);
                let j = (i + rng.random_range(1..256)).min(len);
                let chunk = bytes[i..j].to_vec();
                let k = rng.random_range(0..=bytes.len());
                bytes.splice(k..k, chunk);
            }
            // replace one whitespace-separated token
            5 | 6 => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let starts: Vec<usize> = text
                    .char_indices()
                    .filter(|(i, c)| {
                        !c.is_whitespace()
                            && (*i == 0 || text[..*i].ends_with(|p: char| p.is_whitespace()))
                    })
                    .map(|(i, _)| i)
                    .collect();
                if let Some(&s) = starts.get(rng.random_range(0..starts.len().max(1))) {
                    let e = text[s..]
                        .find(char::is_whitespace)
                        .map_or(text.len(), |k| s + k);
                    let t = if rng.random_bool(0.5) {
                        pick(rng, INTERESTING).to_string()
                    } else {
                        random_number(rng)
                    };
                    bytes = format!("{}{}{}", &text[..s], t, &text[e..]).into_bytes();
                }
            }
            // line-level: delete, duplicate or swap lines, or truncate
            7 | 8 => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let n = lines.len();
                match rng.random_range(0..4) {
                    0 => {
                        lines.remove(rng.random_range(0..n));
                    }
                    1 => {
                        let l = lines[rng.random_range(0..n)];
                        lines.insert(rng.random_range(0..=n), l);
                    }
                    2 => lines.swap(rng.random_range(0..n), rng.random_range(0..n)),
                    _ => lines.truncate(rng.random_range(0..=n)),
                }
                bytes = lines.join("\n").into_bytes();
            }
            // random bytes (invalid UTF-8 becomes U+FFFD)
            _ => {
                let i = rng.random_range(0..=bytes.len());
                let junk: Vec<u8> = (0..rng.random_range(1..8)).map(|_| rng.random()).collect();
                bytes.splice(i..i, junk);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The input of one seed (reproducible).
fn input(seed: u64, corpus: &[String]) -> String {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    if rng.random_bool(0.35) {
        generated(&mut rng)
    } else {
        mutated(&mut rng, corpus)
    }
}

/// Reads one input every way the CLI can; `Err(message)` if something other than a clean
/// `Ok`/`Err` happened.
fn exercise(text: &str) -> Result<bool, String> {
    let run = || {
        let mut parsed = false;
        for dim in [None, Some(2), Some(3)] {
            let r = match dim {
                None => read_xyz(text),
                d => read_xyz_with(text, &ReadOptions { dim: d }),
            };
            match r {
                Ok(cfg) => {
                    parsed = true;
                    assert!(cfg.dim == 2 || cfg.dim == 3);
                    assert_eq!(cfg.positions.len(), cfg.sizes.len());
                    let g = if cfg.dim == 2 {
                        cfg.to_glass::<2>().map(|g| g.n())
                    } else {
                        cfg.to_glass::<3>().map(|g| g.n())
                    };
                    if let Err(e) = g {
                        assert!(!e.contains('\n'), "multi-line error: {e}");
                    }
                }
                Err(e) => assert!(!e.is_empty() && !e.contains('\n'), "bad error: {e:?}"),
            }
        }
        parsed
    };
    std::panic::catch_unwind(run).map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

fn millis(t0: Instant) -> u64 {
    t0.elapsed().as_millis() as u64
}

/// Runs `count` inputs from `base` and returns (inputs that parsed, slowest seconds).
fn fuzz(count: u64, base: u64, verbose: bool) -> (u64, f64) {
    if let Ok(one) = std::env::var("PINCHGLASS_FUZZ_ONE") {
        let seed: u64 = one.parse().expect("PINCHGLASS_FUZZ_ONE=seed");
        let text = input(seed, &corpus());
        println!("{text}");
        println!("-> {:?}", exercise(&text));
        return (0, 0.0);
    }
    let corpus = corpus();
    let t0 = Instant::now();
    // watchdog: abort if one input runs for more than 10 s
    let watchdog_t0 = t0;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let started = STARTED.load(Ordering::Relaxed);
        if started != u64::MAX && millis(watchdog_t0).saturating_sub(started) > 10_000 {
            eprintln!(
                "fuzz_xyz: the input of seed {} has run for more than 10 s (hang)",
                CURRENT.load(Ordering::Relaxed)
            );
            std::process::abort();
        }
    });
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let (mut parsed, mut slowest, mut failures) = (0u64, 0f64, Vec::new());
    for k in 0..count {
        let seed = base.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(k);
        let text = input(seed, &corpus);
        CURRENT.store(seed, Ordering::Relaxed);
        STARTED.store(millis(t0), Ordering::Relaxed);
        let t = Instant::now();
        let r = exercise(&text);
        let secs = t.elapsed().as_secs_f64();
        STARTED.store(u64::MAX, Ordering::Relaxed);
        slowest = slowest.max(secs);
        match r {
            Ok(true) => parsed += 1,
            Ok(false) => {}
            Err(e) => failures.push(format!("seed {seed}: panic: {e}")),
        }
        if secs > 0.5 {
            failures.push(format!("seed {seed}: took {secs:.2} s (hang)"));
        }
        if verbose && (k + 1) % 100_000 == 0 {
            println!(
                "{} inputs, {parsed} parsed, {:.1} s, slowest input {:.2} ms, largest allocation {} kB",
                k + 1,
                t0.elapsed().as_secs_f64(),
                slowest * 1e3,
                LARGEST.load(Ordering::Relaxed) / 1024
            );
        }
    }
    std::panic::set_hook(quiet);
    assert!(
        failures.is_empty(),
        "{} failures (reproduce one with PINCHGLASS_FUZZ_ONE=seed):\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    (parsed, slowest)
}

#[test]
fn a_few_seconds_of_fuzzing() {
    let (parsed, _) = fuzz(100_000, 12, false);
    // the generator reaches the parser's far end often enough to mean something
    assert!(parsed > 500, "only {parsed} inputs parsed");
}

#[test]
#[ignore]
fn a_million_inputs() {
    let count = std::env::var("PINCHGLASS_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let base = std::env::var("PINCHGLASS_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let t0 = Instant::now();
    let (parsed, slowest) = fuzz(count, base, true);
    println!(
        "fuzz_xyz: {count} inputs (seed {base}) in {:.1} s: no panic, no hang (slowest {:.2} ms), largest allocation {} kB; {parsed} parsed",
        t0.elapsed().as_secs_f64(),
        slowest * 1e3,
        LARGEST.load(Ordering::Relaxed) / 1024
    );
}
