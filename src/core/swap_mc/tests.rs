use super::*;
use crate::glass::tests::test_glass;
use crate::potential::Poly;
use crate::space::PeriodicBox;
use rand::Rng;

fn hot_chain<const D: usize>(
    n: usize,
    sweeps: usize,
    settings: impl Fn(&mut SwapMcSettings),
) -> SwapMc<D> {
    let g: Glass<D> = test_glass(n, 17);
    let mut s = SwapMcSettings::new(2.0, sweeps, 1);
    s.block_sweeps = 1_000_000;
    settings(&mut s);
    let mut mc = SwapMc::init(g, s).unwrap();
    mc.run(&mut |_, _| true).unwrap();
    mc
}

fn local_delta_equals_full_delta<const D: usize>(window: Option<usize>) {
    // evolve first (hot, many accepted swaps, displacements and refreshes) so that the
    // cached energies and the rows have been updated many times
    let mut mc = hot_chain::<D>(if D == 2 { 100 } else { 200 }, 60, |s| {
        s.swap_window = window
    });
    assert!(
        mc.production.swap_accepts > 50 && mc.work.refreshes > 0,
        "{:?} {:?}",
        mc.production,
        mc.work
    );
    let e0 = mc.glass.energy();
    assert!(
        (mc.energy - e0).abs() < 1e-9 * e0.abs(),
        "{} {}",
        mc.energy,
        e0
    );
    assert!((mc.cached_total_energy() - e0).abs() < 1e-9 * e0.abs());
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
    for t in 0..40 {
        let i = rng.random_range(0..mc.glass.n());
        let mut x = mc.glass.positions[i];
        for k in 0..D {
            x[k] += 0.2 * (rng.random::<f64>() - 0.5);
        }
        let mut moved = mc.glass.clone();
        moved.positions[i] = moved.space.wrap(&x);
        let full = moved.energy() - e0;
        let local = mc.displacement_delta(i, &x);
        assert!(
            (full - local).abs() < 1e-9 * (1.0 + full.abs()),
            "move {t}: {full} vs {local}"
        );
        let j = rng.random_range(0..mc.glass.n());
        let mut swapped = mc.glass.clone();
        swapped.sizes.swap(i, j);
        let full = swapped.energy() - e0;
        let local = mc.swap_delta(i, j);
        assert!(
            (full - local).abs() < 1e-9 * (1.0 + full.abs()),
            "swap {t}: {full} vs {local}"
        );
    }
}

#[test]
fn local_energy_changes_equal_full_differences_2d() {
    local_delta_equals_full_delta::<2>(Some(ANY_PARTNER));
    local_delta_equals_full_delta::<2>(Some(5));
    local_delta_equals_full_delta::<2>(None);
}

#[test]
fn local_energy_changes_equal_full_differences_3d() {
    local_delta_equals_full_delta::<3>(Some(ANY_PARTNER));
    local_delta_equals_full_delta::<3>(Some(5));
    local_delta_equals_full_delta::<3>(None);
}

fn rows_equal_brute_force<const D: usize>(n: usize, sweeps: usize) {
    // a thin skin: many refreshes
    let mc = hot_chain::<D>(n, sweeps, |s| s.skin = 0.3);
    assert!(mc.work.refreshes > n as u64, "{:?}", mc.work);
    assert!(mc.production.swap_accepts > 100);
    let (t, w) = mc.brute_force_pairs();
    assert_eq!(mc.tight_pairs(), t);
    assert_eq!(mc.wide_pairs(), w);
    // the wide rows are sorted by the current reference distances
    mc.check_wide_rows_sorted();
    assert!(mc.max_reference_offset() <= 0.5 * SKIN + 1e-12);
    // every interacting pair is a tight pair
    for (i, j) in crate::neighbours::pairs_within_brute_force(
        &mc.glass.space,
        &mc.glass.positions,
        mc.glass.max_cutoff(),
    ) {
        let (a, b) = (i as usize, j as usize);
        let r2 = mc
            .glass
            .space
            .displacement(&mc.glass.positions[a], &mc.glass.positions[b])
            .norm_squared();
        let l = mc
            .glass
            .model
            .pair_size(mc.glass.sizes[a], mc.glass.sizes[b]);
        if r2 < (mc.glass.model.x_cut * l).powi(2) {
            assert!(t.binary_search(&(i, j)).is_ok(), "pair {i} {j} missing");
        }
    }
}

#[test]
fn neighbour_rows_equal_brute_force_small_and_large_boxes() {
    // small boxes: fewer than three cells a side (the stencil wraps onto itself)
    rows_equal_brute_force::<2>(60, 600);
    rows_equal_brute_force::<3>(170, 300);
    // larger boxes: several cells a side
    rows_equal_brute_force::<2>(800, 120);
    rows_equal_brute_force::<3>(1200, 60);
}

#[test]
fn the_skin_does_not_change_the_chain() {
    let run = |skin: f64| {
        let g: Glass<3> = test_glass(250, 3);
        let mut s = SwapMcSettings::new(0.8, 30, 9);
        s.skin = skin;
        // a fixed δ below both caps (δ ≤ s/√d): the skin then changes only the bookkeeping
        s.tune_sweeps = 0;
        s.initial_step = 0.15;
        s.block_sweeps = 10;
        let mut mc = SwapMc::init(g, s).unwrap();
        mc.run(&mut |_, _| true).unwrap();
        mc
    };
    let (a, b) = (run(0.3), run(0.9));
    assert_eq!(a.glass.positions, b.glass.positions);
    assert_eq!(a.glass.sizes, b.glass.sizes);
    assert!(a.work.refreshes > b.work.refreshes);
}

#[test]
fn early_rejection_gives_the_identical_chain() {
    fn check<const D: usize>(tp: f64, window: Option<usize>) {
        let run = |early: bool| {
            let g: Glass<D> = test_glass(if D == 2 { 150 } else { 250 }, 3);
            let mut s = SwapMcSettings::new(tp, 40, 9);
            s.early_rejection = early;
            s.swap_window = window;
            s.block_sweeps = 15;
            let mut mc = SwapMc::init(g, s).unwrap();
            mc.run(&mut |_, _| true).unwrap();
            mc
        };
        let (a, b) = (run(true), run(false));
        assert_eq!(a.glass.positions, b.glass.positions);
        assert_eq!(a.glass.sizes, b.glass.sizes);
        assert_eq!(a.trace, b.trace);
        assert_eq!(a.production, b.production);
        assert!(a.work.pair_evaluations < b.work.pair_evaluations);
    }
    check::<2>(0.5, Some(ANY_PARTNER));
    check::<2>(1.5, Some(10));
    check::<3>(0.4, None);
    check::<3>(1.0, Some(ANY_PARTNER));
}

#[test]
fn run_is_deterministic_and_energy_bookkeeping_is_exact() {
    let run = || {
        let g: Glass<2> = test_glass(120, 5);
        let mut s = SwapMcSettings::new(0.8, 30, 42);
        s.block_sweeps = 7;
        let mut mc = SwapMc::init(g, s).unwrap();
        mc.run(&mut |_, _| true).unwrap();
        mc
    };
    let (a, b) = (run(), run());
    assert_eq!(a.glass.positions, b.glass.positions);
    assert_eq!(a.glass.sizes, b.glass.sizes);
    assert_eq!(a.trace, b.trace);
    let last = *a.trace.energy_per_particle.last().unwrap() * a.glass.n() as f64;
    assert!((last - a.glass.energy()).abs() < 1e-8 * a.glass.energy().abs());
    assert!(a.production.displacement_attempts > 0 && a.production.swap_attempts > 0);
    let rate = a.production.displacement_acceptance();
    assert!(rate > 0.15 && rate < 0.7, "tuned acceptance {rate}");
    let mut s0 = test_glass::<2>(120, 5).sizes;
    let mut s1 = a.glass.sizes.clone();
    s0.sort_by(f64::total_cmp);
    s1.sort_by(f64::total_cmp);
    assert_eq!(s0, s1);
}

#[test]
fn resumed_chain_equals_uninterrupted_chain() {
    fn check<const D: usize>() {
        let g: Glass<D> = test_glass(if D == 2 { 150 } else { 250 }, 8);
        let mut s = SwapMcSettings::new(0.7, 60, 4);
        s.block_sweeps = 20;
        s.tune_sweeps = 10;
        let mut whole = SwapMc::init(g.clone(), s.clone()).unwrap();
        whole.run(&mut |_, _| true).unwrap();
        let mut first = SwapMc::init(
            g.clone(),
            SwapMcSettings {
                sweeps: 40,
                ..s.clone()
            },
        )
        .unwrap();
        first.run(&mut |_, _| true).unwrap();
        let state = first.state();
        drop(first);
        let mut rest = SwapMc::resume(g, s, &state).unwrap();
        rest.run(&mut |_, _| true).unwrap();
        assert_eq!(rest.glass.positions, whole.glass.positions);
        assert_eq!(rest.glass.sizes, whole.glass.sizes);
        assert_eq!(rest.energy.to_bits(), whole.energy.to_bits());
        assert_eq!(rest.production, whole.production);
        assert_eq!(rest.step.to_bits(), whole.step.to_bits());
    }
    check::<2>();
    check::<3>();
}

#[test]
fn resume_off_a_block_boundary_is_refused() {
    let g: Glass<2> = test_glass(100, 8);
    let mut s = SwapMcSettings::new(0.7, 10, 4);
    s.block_sweeps = 4;
    let mut mc = SwapMc::init(g.clone(), s.clone()).unwrap();
    for _ in 0..3 {
        mc.sweep();
    }
    let err = SwapMc::resume(g, s, &mc.state()).err().unwrap();
    assert!(err.contains("block boundary"), "{err}");
}

#[test]
fn cancel_stops_the_run() {
    let g: Glass<2> = test_glass(100, 5);
    let mut mc = SwapMc::init(g, SwapMcSettings::new(0.8, 50, 1)).unwrap();
    let r = mc.run(&mut |done, _| done < 3);
    assert_eq!(r, Err(Error::Cancelled));
    assert_eq!(mc.sweeps_done, 3);
}

#[test]
fn bad_settings_are_refused() {
    let g: Glass<2> = test_glass(100, 5);
    for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let err = SwapMc::init(g.clone(), SwapMcSettings::new(t, 5, 1))
            .err()
            .unwrap();
        assert!(err.contains("T_p"), "{err}");
    }
    let mut s = SwapMcSettings::new(1.0, 5, 1);
    s.swap_window = Some(0);
    assert!(SwapMc::init(g, s).is_err());
}

#[test]
fn kernel_matches_the_pair_law_and_is_never_negative() {
    let p = Poly::default();
    for &lij in &[1.0, 1.37, 2.22] {
        for k in 1..400 {
            let x = 0.7 + k as f64 * 0.002;
            let r2 = (x * lij) * (x * lij);
            let a = mc_pair_energy(&p, r2, lij);
            let b = p.energy(r2, lij);
            assert!(a >= 0.0);
            assert!(
                (a - b).abs() < 1e-13 * (1.0 + b.abs()),
                "x = {x}: {a} vs {b}"
            );
        }
        let rc = p.x_cut * lij;
        assert_eq!(mc_pair_energy(&p, rc * rc, lij), 0.0);
        assert_eq!(mc_pair_energy(&p, 4.0 * rc * rc, lij), 0.0);
    }
}

/// Size permutations of three particles at fixed positions (only swaps) against Boltzmann
/// weights `exp(−E_π/T)`, for global and windowed swaps.
fn permutation_histogram(window: Option<usize>, sizes: [f64; 3]) {
    let space = PeriodicBox::<2>::new(Vector::<2>::new(20.0, 20.0)).unwrap();
    let positions = vec![
        Vector::<2>::new(5.0, 5.0),
        Vector::<2>::new(6.3, 5.2),
        Vector::<2>::new(5.5, 6.4),
    ];
    let g = Glass::new(space, positions, sizes.to_vec(), Poly::default()).unwrap();
    let temperature = 1.5;
    let mut settings = SwapMcSettings::new(temperature, 1, 99);
    settings.swap_probability = 1.0;
    settings.tune_sweeps = 0;
    settings.swap_window = window;
    settings.block_sweeps = usize::MAX;
    let mut mc = SwapMc::init(g.clone(), settings).unwrap();
    let perms = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let energy_of = |p: &[usize; 3]| {
        let mut h = g.clone();
        h.sizes = p.iter().map(|&k| sizes[k]).collect();
        h.energy()
    };
    let boltzmann = |t: f64| -> Vec<f64> {
        let w: Vec<f64> = perms.iter().map(|p| (-energy_of(p) / t).exp()).collect();
        let z: f64 = w.iter().sum();
        w.iter().map(|x| x / z).collect()
    };
    let samples = 100_000;
    let mut counts = [0u64; 6];
    for _ in 0..samples {
        for _ in 0..10 {
            mc.attempt();
        }
        let idx = perms
            .iter()
            .position(|p| (0..3).all(|k| mc.glass.sizes[k] == sizes[p[k]]))
            .unwrap();
        counts[idx] += 1;
    }
    let chi2 = |p: &[f64]| -> f64 {
        (0..6)
            .map(|k| {
                let expected = p[k] * samples as f64;
                (counts[k] as f64 - expected).powi(2) / expected
            })
            .sum()
    };
    let right = chi2(&boltzmann(temperature));
    // 5 degrees of freedom: P(χ² > 25) ≈ 1e-4
    assert!(
        right < 25.0,
        "window {window:?}: χ² = {right}, counts {counts:?}"
    );
    let wrong = chi2(&boltzmann(2.0 * temperature));
    assert!(wrong > 500.0, "χ² against 2T = {wrong}");
}

#[test]
fn swap_moves_sample_size_permutations_with_boltzmann_weights() {
    permutation_histogram(Some(ANY_PARTNER), [1.0, 1.3, 1.9]);
    // a window of one rank: only neighbouring ranks swap, the ends reject some proposals
    permutation_histogram(Some(1), [1.0, 1.3, 1.9]);
    permutation_histogram(Some(1), [1.9, 1.0, 1.3]);
}

/// The 8-wide grid scan (x86-64 with AVX-512) finds the same particles in the same order with
/// the same squared distances, bit for bit, as the portable scan, for every particle, in 2D and
/// 3D, in boxes of one cell a side and of many.
#[test]
fn simd_grid_scan_equals_the_portable_one() {
    if RowKernel::best() < RowKernel::Avx512 {
        eprintln!("no AVX-512 on this CPU: only the portable scan runs here");
        return;
    }
    fn check<const D: usize>(n: usize) {
        let mc = hot_chain::<D>(n, 20, |_| {});
        let reach2 = mc.reach * mc.reach;
        let (mut a, mut b) = (rows::Found::default(), rows::Found::default());
        let mut total = 0;
        for i in 0..n {
            let cell = mc.grid.cell_of[i] as usize;
            let x = &mc.reference[i];
            mc.grid
                .scan(x, cell, i, reach2, &mc.side, &mc.inv_side, true, &mut a);
            mc.grid
                .scan(x, cell, i, reach2, &mc.side, &mc.inv_side, false, &mut b);
            assert_eq!(a.k, b.k, "particle {i}");
            let bits = |v: &[f64]| v.iter().map(|d| d.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.d2), bits(&b.d2), "particle {i}");
            assert_eq!(
                a.k.len(),
                mc.wide.row(i).len(),
                "particle {i}: the wide row"
            );
            total += a.k.len();
        }
        assert!(total > 10 * n);
    }
    check::<2>(60);
    check::<2>(900);
    check::<3>(170);
    check::<3>(1500);
}

/// Each SIMD row kernel this CPU has (`swap_mc/avx512.rs`, `swap_mc/avx.rs`) against the
/// portable one: the same pair energies bit for bit on every row (every length modulo 8, with
/// and without a rejection bound), and the same chain move for move. On a CPU without AVX there
/// is only the portable kernel.
#[test]
fn simd_kernels_give_the_identical_rows_and_chain() {
    let kernels: Vec<RowKernel> = RowKernel::available()
        .into_iter()
        .filter(|&k| k != RowKernel::Portable)
        .collect();
    if kernels.is_empty() {
        eprintln!("no AVX on this CPU: only the portable kernel runs here");
        return;
    }
    for &k in &kernels {
        check::<2>(k, 0.5, Some(ANY_PARTNER));
        check::<2>(k, 1.5, Some(10));
        check::<3>(k, 0.4, None);
        check::<3>(k, 1.0, Some(ANY_PARTNER));
    }
    fn check<const D: usize>(kernel: RowKernel, tp: f64, window: Option<usize>) {
        let g: Glass<D> = test_glass(if D == 2 { 150 } else { 250 }, 3);
        let mut s = SwapMcSettings::new(tp, 40, 9);
        s.swap_window = window;
        s.block_sweeps = 15;
        let run = |k: RowKernel| {
            let mut mc = SwapMc::init(g.clone(), s.clone()).unwrap();
            assert_eq!(mc.set_row_kernel(k), k);
            mc.run(&mut |_, _| true).unwrap();
            mc
        };
        let (mut a, b) = (run(kernel), run(RowKernel::Portable));
        assert_eq!(a.glass.positions, b.glass.positions);
        assert_eq!(a.glass.sizes, b.glass.sizes);
        assert_eq!(a.trace, b.trace);
        assert_eq!(a.production, b.production);
        assert_eq!(a.work.pair_evaluations, b.work.pair_evaluations);
        // row by row, over rows cut to every length, with bounds that stop some sums early
        let mut lengths = [0usize; 8];
        for i in 0..a.glass.n() {
            let row: Vec<u32> = a.wide_neighbours(i);
            for cut in [
                row.len(),
                row.len().saturating_sub(1),
                row.len().saturating_sub(5),
                row.len() / 2,
                7,
                5,
                3,
                2,
                1,
                0,
            ] {
                let part = &row[..cut.min(row.len())];
                lengths[part.len() % 8] += 1;
                for bound in [f64::INFINITY, 0.5, 0.0] {
                    let x = a.atoms[i];
                    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
                    a.set_row_kernel(kernel);
                    let ea = a.row_energy(&x, part, bound, &mut out_a);
                    a.set_row_kernel(RowKernel::Portable);
                    let eb = a.row_energy(&x, part, bound, &mut out_b);
                    assert_eq!(ea.map(f64::to_bits), eb.map(f64::to_bits));
                    let bits = |v: &[f64]| v.iter().map(|e| e.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&out_a), bits(&out_b));
                }
            }
        }
        assert!(
            lengths.iter().all(|&c| c > 0),
            "row lengths mod 8: {lengths:?}"
        );
    }
}

/// The sum of a grown particle's pair energies over the prefix of its sorted wide row
/// ([`SwapMc::growth_prefix`]) equals the sum over the whole row bit for bit, at every size it
/// could receive, with and without a rejection bound, for both kernels; every entry after the
/// prefix has a zero pair energy; and the prefix is much shorter than the row for small sizes.
#[test]
fn truncated_wide_row_sum_equals_the_full_sum() {
    fn check<const D: usize>(n: usize, skin: f64) {
        let mut mc = hot_chain::<D>(n, 60, |s| s.skin = skin);
        assert!(mc.production.swap_accepts > 50 && mc.work.refreshes > 0);
        mc.check_wide_rows_sorted();
        let mut sizes = mc.glass.sizes.clone();
        sizes.sort_by(f64::total_cmp);
        sizes.dedup();
        let picks: Vec<f64> = (0..12).map(|m| sizes[m * (sizes.len() - 1) / 11]).collect();
        let (mut cut_total, mut row_total) = (0usize, 0usize);
        let kernels = RowKernel::available();
        for g in 0..mc.glass.n() {
            let row = mc.wide.row(g).to_vec();
            for &size in &picks {
                let cut = mc.growth_prefix(g, size);
                for &k in &kernels {
                    mc.set_row_kernel(k);
                    assert_eq!(mc.growth_prefix(g, size), cut, "{k:?}");
                }
                cut_total += cut;
                row_total += row.len();
                let mut x = mc.atoms[g];
                x[3] = size;
                for &k in &kernels {
                    mc.set_row_kernel(k);
                    for bound in [f64::INFINITY, 1.0] {
                        let (mut full, mut part) = (Vec::new(), Vec::new());
                        let ef = mc.row_energy(&x, &row[..], bound, &mut full);
                        let ep = mc.row_energy(&x, &row[..cut], bound, &mut part);
                        if bound.is_infinite() {
                            assert!(full[cut..].iter().all(|&e| e == 0.0), "row {g} size {size}");
                            assert_eq!(ef.map(f64::to_bits), ep.map(f64::to_bits));
                        } else if let (Some(a), Some(b)) = (ef, ep) {
                            // a rejection stops both sums or neither when the tail is zero
                            assert_eq!(a.to_bits(), b.to_bits());
                        }
                    }
                }
            }
        }
        mc.set_row_kernel(RowKernel::best());
        assert!(
            (cut_total as f64) < 0.9 * row_total as f64,
            "prefix {cut_total} of {row_total} entries"
        );
    }
    check::<2>(60, 0.3);
    check::<2>(800, 0.6);
    check::<3>(170, 0.3);
    check::<3>(1200, 0.6);
}

/// Whether this CPU has AVX-512 (else the test says that only the portable `what` here).
#[cfg(target_arch = "x86_64")]
fn avx512_here(what: &str) -> bool {
    let here = RowKernel::available().contains(&RowKernel::Avx512);
    if !here {
        eprintln!("no AVX-512 on this CPU: only the portable {what} here");
    }
    here
}

/// The AVX-512 count of a sorted row's entries below a limit (the growth prefix) equals the
/// portable count, for every row length modulo 8 and limits at, between and beyond the entries,
/// including entries with the top bit set (the compare is unsigned).
#[cfg(target_arch = "x86_64")]
#[test]
fn avx512_prefix_count_equals_the_portable_count() {
    if !avx512_here("count runs") {
        return;
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut checked = 0;
    for len in 0..40 {
        let mut row: Vec<u64> = (0..len)
            .map(|m| {
                if m % 5 == 0 {
                    u64::MAX - rng.random_range(0..1000)
                } else {
                    rng.random::<u64>() >> rng.random_range(0..40)
                }
            })
            .collect();
        row.sort_unstable();
        let mut ends = vec![0, 1, u64::MAX, 1 << 63];
        for &e in &row {
            ends.extend([e, e.wrapping_add(1), e.wrapping_sub(1)]);
        }
        for end in ends {
            let portable = row.iter().filter(|&&e| e < end).count();
            // SAFETY: AVX-512F checked above
            let wide = unsafe { super::avx512::count_below(&row, end) };
            assert_eq!(wide, portable, "length {len}, end {end}");
            checked += 1;
        }
    }
    assert!(checked > 2000);
}

/// The AVX-512 decisions which tight pairs of a shrunk particle stay equal the portable ones,
/// entry by entry, over every particle's tight and wide rows (all lengths modulo 8), at sizes
/// across the size range (many pairs on both sides of the reach).
#[cfg(target_arch = "x86_64")]
#[test]
fn avx512_tight_reach_decisions_equal_the_portable_ones() {
    if !avx512_here("decisions run") {
        return;
    }
    fn check<const D: usize>(n: usize) {
        let mut mc = hot_chain::<D>(n, 30, |_| {});
        let mut sizes = mc.glass.sizes.clone();
        sizes.sort_by(f64::total_cmp);
        let picks: Vec<f64> = (0..6).map(|m| sizes[m * (sizes.len() - 1) / 5]).collect();
        let (mut kept, mut dropped) = (0, 0);
        let mut keep = Vec::new();
        for h in 0..mc.glass.n() {
            let own = mc.atoms[h][3];
            for row in [mc.tight.row(h).to_vec(), mc.wide_neighbours(h)] {
                for &size in &picks {
                    mc.atoms[h][3] = size;
                    // SAFETY: AVX-512F checked above; valid internal indices
                    unsafe { super::avx512::within_tight_reach8(&mc, h, &row, &mut keep) };
                    for (m, &k) in row.iter().enumerate() {
                        let k = k as usize;
                        let portable = mc.within_tight_reach(mc.reference_distance2(h, k), h, k);
                        assert_eq!(keep[m / 8] & (1 << (m % 8)) != 0, portable, "{h} {k}");
                        if portable {
                            kept += 1
                        } else {
                            dropped += 1
                        }
                    }
                }
            }
            mc.atoms[h][3] = own;
        }
        assert!(kept > 1000 && dropped > 1000, "{kept} {dropped}");
    }
    check::<2>(150);
    check::<3>(250);
}

/// `refresh_pass(N)` (the bench's refresh timing) refreshes every particle once, whatever N (a
/// stride sharing a factor with N would visit a fraction of them): afterwards every reference is
/// its particle's position, and the rows still equal brute force.
#[test]
fn a_refresh_pass_of_n_refreshes_every_particle() {
    // 2000 = 2⁴·5³ and 2000/7 = 285 = 3·5·19: the old stride 285 visited 400 of them
    for n in [200, 350, 2000] {
        let mut mc = hot_chain::<2>(n, 20, |_| {});
        let before = mc.work.refreshes;
        mc.refresh_pass(n);
        assert_eq!(mc.work.refreshes - before, n as u64);
        assert_eq!(mc.atoms, mc.reference, "N = {n}");
        let (t, w) = mc.brute_force_pairs();
        assert_eq!(mc.tight_pairs(), t);
        assert_eq!(mc.wide_pairs(), w);
    }
}
