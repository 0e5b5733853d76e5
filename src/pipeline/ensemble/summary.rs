//! Per-T_p summaries: every record of one T_p pooled into a [`TemperatureSummary`].

use super::*;

/// Quartic-mode statistics of one T_p (samples analysed with quartic modes only).
#[derive(Clone, Debug, PartialEq)]
pub struct QuarticSummary {
    pub samples: usize,
    /// Lengths from the pooled profiles (bootstrap errors over samples); `None` when the
    /// crossover rule finds no length.
    pub xi_co: Option<Estimate>,
    pub xi_qlm: Option<Estimate>,
    /// Lowest quartic-mode frequency per sample, and its participation ratio.
    pub lowest_omega: Estimate,
    pub lowest_participation: Estimate,
    /// Distinct quartic modes per sample.
    pub modes: Estimate,
    /// Per-sample mean participation ratio ⟨e⟩ of the quartic modes (samples with modes).
    pub mean_participation: Estimate,
    /// Pooled c(r) of pinch responses and of quartic modes.
    pub response_decay: DecayProfile,
    pub mode_decay: DecayProfile,
    /// The paper's ensemble of softest modes (SI S-4: one per sample, from simple and pure
    /// shear starts in every plane): samples that have one, the mean ω_π and e, their pooled
    /// c(r) and ξ_QLM from it (bootstrap error over samples).
    pub softest_samples: usize,
    pub softest_omega: Option<Estimate>,
    pub softest_participation: Option<Estimate>,
    pub softest_decay: Option<DecayProfile>,
    pub xi_qlm_softest: Option<Estimate>,
}

/// Whether a sample's glass sits next to a mechanical instability and is left out of the per-T_p
/// means ([`summarize_temperature_with`]).
///
/// Rule: its athermal shear modulus `G ≤ 0` (or not finite). `G = (1/V)[∂²U/∂γ² − Ξ·H⁺·Ξ]`
/// (Maloney & Lemaître, PRE 74, 016118 (2006); `docs/theory.md`, `core::elasticity`): as a
/// quenched glass approaches a plastic (saddle-node) instability its lowest non-zero Hessian
/// eigenvalue `λ_p → 0` and the non-affine term grows as `(Ξ·ψ_p)²/λ_p`, so G falls through zero
/// to large negative values (Maloney & Lemaître, PRL 93, 016001 (2004)). A glass with `G ≤ 0`
/// is at a local minimum at fixed box shape but not stable against an imposed shear: its G (and
/// the c_s = √(G/ρ), ξ_g and phonon band derived from the mean) measures the distance to that
/// instability, not the glass's stiffness. Such glasses are rare and become rarer with N (the
/// paper's N = 2000 never shows one); in a box of a few hundred particles at high T_p one sample
/// in a few tens can be one (2D N = 300, T_p = 5: G = −21.4 against ≈ 60 for its siblings).
/// The criterion needs no tolerance: it is the sign of the measured G.
pub fn near_instability(r: &SampleRecord) -> bool {
    !r.shear_modulus.is_finite() || r.shear_modulus <= 0.0
}

/// The samples of one T_p that enter its statistics: those not [`near_instability`], or all of
/// them when every one is.
pub fn stable_samples<'a>(records: &[&'a SampleRecord]) -> Vec<&'a SampleRecord> {
    let stable: Vec<&SampleRecord> = records
        .iter()
        .filter(|r| !near_instability(r))
        .cloned()
        .collect();
    if stable.is_empty() {
        records.to_vec()
    } else {
        stable
    }
}

/// Per-T_p statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct TemperatureSummary {
    /// Samples whose parent counts as equilibrated, of those assessed.
    pub equilibrated: usize,
    pub assessed: usize,
    /// Median τ_α of the samples' parent runs (sweeps; NaN when none was measured).
    pub tau_alpha_median: f64,
    /// Chains: mean inherent-state energy per particle of the second half of the harvests minus
    /// the first half (pooled over chains), with its error; `None` without chain records.
    pub stationarity: Option<Estimate>,
    /// Monte Carlo engine tags of the samples (one, or [`summarize`] refuses).
    pub engines: Vec<String>,
    pub tp: f64,
    /// Every sample of this T_p (including the `unstable` ones).
    pub samples: usize,
    /// Samples next to a mechanical instability ([`near_instability`]: G ≤ 0), left out of
    /// every mean, count and fit of this T_p (the statistics are over `samples − unstable`
    /// samples); kept only when every sample is unstable (with a warning).
    pub unstable: usize,
    pub n: usize,
    pub dim: usize,
    pub density: f64,
    pub inherent_energy: Estimate,
    pub parent_energy: Estimate,
    pub parent_drift: Estimate,
    pub displacement_acceptance: Estimate,
    pub swap_acceptance: Estimate,
    pub shear_modulus: Estimate,
    /// Median of the sample G over every sample (the unstable ones included), with a bootstrap
    /// error: the robust statistic beside the mean of the stable samples.
    pub shear_modulus_median: Estimate,
    /// `c_s = sqrt(Ḡ/ρ)` from the sample-mean G.
    pub shear_wave_speed: Estimate,
    pub omega_g: Estimate,
    pub omega_g_all: Estimate,
    /// Mean over samples of `ω_g(all pairs) / ω_g(filtered)` (paper Fig. S1b,c: ≈ 1.4).
    pub omega_g_ratio: Estimate,
    /// ξ_g = 2π c_s / ω_g from the means.
    pub xi_g: Estimate,
    pub pressure: Estimate,
    pub rattlers: Estimate,
    /// Lowest non-zero frequency per sample.
    pub lowest_frequency: Estimate,
    /// Fit window `ω_w`.
    pub window: f64,
    pub modes_in_window: usize,
    /// Pooled frequencies are complete below this (`+∞` when every sample kept its full
    /// spectrum): the smallest highest-kept mode over the samples.
    pub complete_below: f64,
    /// Upper end of the A_g fit: `min(window, complete_below)`.
    pub fit_upper: f64,
    /// `complete_below ≥ window`: the kept modes cover the fit window.
    pub window_covered: bool,
    /// Samples per analysis route, `(name, count)`.
    pub routes: Vec<(String, usize)>,
    pub a_g: Option<Estimate>,
    /// 𝒩 = A_g ω_g⁵.
    pub soft_spots: Option<Estimate>,
    /// ξ_s = 𝒩^(−1/d) (𝒩 counts per particle, so ξ_s is in units of a0).
    pub xi_s: Option<Estimate>,
    /// 𝒩 and A_g by counting modes below `x ω̄_g`, and the free log-slope there
    /// ([`count_estimate`]); `None` when the kept modes do not cover the count window.
    pub count: Option<CountEstimate>,
    /// The same count of the quartic modes below `x_q ω̄_g` (every sample analysed with quartic
    /// modes; `None` otherwise).
    pub quartic_count: Option<CountEstimate>,
    pub quartic: Option<QuarticSummary>,
    /// Pooled frequencies (ascending, below `complete_below`) and their cumulative count per
    /// particle.
    pub cdf_frequencies: Vec<f64>,
    pub cdf: Vec<f64>,
    /// Anything that limits the results of this T_p (uncovered window, failed fits).
    pub warnings: Vec<String>,
}

/// Profiles pooled bin by bin (bins of width `box_side / (2 BINS)`), each sample's `c` weighted
/// by its number of fields in the bin.
pub fn pool_profiles(profiles: &[&DecayProfile], box_side: f64) -> DecayProfile {
    let bins = crate::spatial_decay::BINS;
    let width = 0.5 * box_side / bins as f64;
    let mut sum = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for p in profiles {
        for ((r, c), f) in p.r.iter().zip(&p.c).zip(&p.fields) {
            let b = (r / width - 0.5).round();
            if b >= 0.0 && (b as usize) < bins && c.is_finite() {
                sum[b as usize] += c * *f as f64;
                count[b as usize] += f;
            }
        }
    }
    crate::spatial_decay::profile_from_bins(&sum, &count, width)
}

impl TemperatureSummary {
    /// The count estimate of modes of `source` (`count` or `quartic_count`).
    pub fn count_of(&self, source: ModeSource) -> Option<&CountEstimate> {
        match source {
            ModeSource::Harmonic => self.count.as_ref(),
            ModeSource::Quartic => self.quartic_count.as_ref(),
        }
    }
}

/// Statistics of the records of one T_p (all with the same N and d), with the default
/// [`EstimatorOptions`].
pub fn summarize_temperature(records: &[&SampleRecord]) -> Result<TemperatureSummary, String> {
    summarize_temperature_with(records, &EstimatorOptions::default())
}

/// Statistics of the records of one T_p (all with the same N and d); `options` sets the count
/// window of [`count_estimate`]. Samples [`near_instability`] (G ≤ 0) are counted in
/// `unstable` and left out of every statistic except the median G and the equilibration
/// counts (which describe the parent states); when every sample is unstable all are kept, with
/// a warning.
pub fn summarize_temperature_with(
    all_records: &[&SampleRecord],
    options: &EstimatorOptions,
) -> Result<TemperatureSummary, String> {
    let first = all_records.first().ok_or("no samples")?;
    if all_records.iter().any(|r| {
        r.n != first.n
            || r.dim != first.dim
            || r.density != first.density
            || r.box_side != first.box_side
    }) {
        return Err(format!(
            "T_p = {}: samples of different N, dimension or density cannot be pooled",
            first.tp
        ));
    }
    let stable = stable_samples(all_records);
    let records: &[&SampleRecord] = &stable;
    let unstable = all_records.iter().filter(|r| near_instability(r)).count();
    let mut warnings = Vec::new();
    if unstable == all_records.len() {
        warnings.push(format!(
            "all {unstable} samples have G <= 0 (next to a mechanical instability): kept in the means, which are not those of stable glasses"
        ));
    } else if unstable > 0 {
        let gs: Vec<String> = all_records
            .iter()
            .filter(|r| near_instability(r))
            .map(|r| format!("#{} G = {:.4}", r.index, r.shear_modulus))
            .collect();
        warnings.push(format!(
            "{unstable} of {} samples next to a mechanical instability (G <= 0: {}) left out of the means, counts and fits",
            all_records.len(),
            gs.join(", ")
        ));
    }
    let col =
        |f: &dyn Fn(&SampleRecord) -> f64| -> Vec<f64> { records.iter().map(|r| f(r)).collect() };
    let est = |f: &dyn Fn(&SampleRecord) -> f64| mean_and_error(&col(f));
    let g = est(&|r| r.shear_modulus);
    // c_s from the sample-mean G of the stable samples
    let cs_value = (g.value / first.density).sqrt();
    let cs = Estimate {
        value: cs_value,
        error: 0.5 * cs_value * g.error / g.value.abs(),
    };
    let wg = est(&|r| r.omega_g);
    let m = records.len();
    let norm = (m * first.n) as f64;
    let window = crate::elasticity::phonon_window(WINDOW, cs.value, first.box_side);
    let complete_below = records
        .iter()
        .map(|r| r.complete_below())
        .fold(f64::INFINITY, f64::min);
    let window_covered = complete_below >= window;
    let fit_upper = window.min(complete_below);
    if !window_covered {
        warnings.push(format!(
            "the kept modes stop at {complete_below:.4} (smallest highest mode over the samples), below the fit window {window:.4}: A_g is fitted below {complete_below:.4} only"
        ));
    }
    let uncovered = records
        .iter()
        .filter(|r| r.modes_covered() == Some(false))
        .count();
    if uncovered > 0 {
        warnings.push(format!(
            "{uncovered} of {m} samples did not reach their mode target COVER x 2 pi c_s / L"
        ));
    }
    let pooled = |set: &[&SampleRecord]| -> Vec<f64> {
        let mut all: Vec<f64> = set
            .iter()
            .flat_map(|r| r.frequencies.iter().cloned())
            .collect();
        all.sort_by(f64::total_cmp);
        all
    };
    let all = pooled(records);
    let a_g = fit_prefactor(&all, norm, fit_upper);
    let modes_in_window = all.iter().take_while(|w| **w < window).count();
    if a_g.is_none() {
        warnings.push(format!(
            "A_g not fitted: {} pooled modes below {fit_upper:.4} (needs {MIN_FIT_MODES})",
            all.iter().take_while(|w| **w < fit_upper).count()
        ));
    }
    let dim = first.dim as f64;
    let quartic_records: Vec<&QuarticRecord> =
        records.iter().filter_map(|r| r.quartic.as_ref()).collect();
    let pooled_lengths = |q: &[&QuarticRecord]| {
        let resp: Vec<&DecayProfile> = q.iter().map(|x| &x.response_decay).collect();
        let modes: Vec<&DecayProfile> = q.iter().map(|x| &x.mode_decay).collect();
        let (rp, mp) = (
            pool_profiles(&resp, first.box_side),
            pool_profiles(&modes, first.box_side),
        );
        let xi_co = crossover_length(&rp, first.dim, first.box_side).map(|x| x.0);
        let xi_qlm = crossover_length(&mp, first.dim, first.box_side).map(|x| x.0);
        (rp, mp, xi_co, xi_qlm)
    };
    // ξ_QLM of the softest modes (SI S-4), from their pooled profiles
    let softest_length = |q: &[&QuarticRecord]| {
        let prof: Vec<&DecayProfile> = q
            .iter()
            .filter_map(|x| x.softest.as_ref().map(|m| &m.decay))
            .collect();
        if prof.is_empty() {
            return None;
        }
        let pooled = pool_profiles(&prof, first.box_side);
        let xi = crossover_length(&pooled, first.dim, first.box_side).map(|x| x.0);
        Some((pooled, xi))
    };
    let all_g: Vec<f64> = all_records.iter().map(|r| r.shear_modulus).collect();
    // bootstrap over samples for A_g, 𝒩, ξ_s, the median G and the quartic lengths
    let (mut boot_a, mut boot_n, mut boot_s) = (Vec::new(), Vec::new(), Vec::new());
    let (mut boot_gm, mut boot_co, mut boot_qlm) = (Vec::new(), Vec::new(), Vec::new());
    let mut boot_soft = Vec::new();
    if m > 1 {
        let mut rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(0xB007, first.tp.to_bits()));
        for _ in 0..BOOTSTRAP {
            let pick: Vec<&SampleRecord> =
                (0..m).map(|_| records[rng.random_range(0..m)]).collect();
            let w = pick.iter().map(|r| r.omega_g).sum::<f64>() / m as f64;
            if a_g.is_some() {
                if let Some(a) = fit_prefactor(&pooled(&pick), norm, fit_upper) {
                    let nn = a * w.powi(5);
                    boot_a.push(a);
                    boot_n.push(nn);
                    boot_s.push(nn.powf(-1.0 / dim));
                }
            }
            // the median G resamples every sample (the same draws when none is unstable)
            let gs: Vec<f64> = if records.len() == all_g.len() {
                pick.iter().map(|r| r.shear_modulus).collect()
            } else {
                (0..all_g.len())
                    .map(|_| all_g[rng.random_range(0..all_g.len())])
                    .collect()
            };
            boot_gm.push(median(&gs));
            let q: Vec<&QuarticRecord> = pick.iter().filter_map(|r| r.quartic.as_ref()).collect();
            if q.len() > 1 {
                let (_, _, co, qlm) = pooled_lengths(&q);
                boot_co.extend(co);
                boot_qlm.extend(qlm);
                boot_soft.extend(softest_length(&q).and_then(|x| x.1));
            }
        }
    }
    let quartic = if quartic_records.is_empty() {
        None
    } else {
        let (rp, mp, xi_co, xi_qlm) = pooled_lengths(&quartic_records);
        let qest = |f: &dyn Fn(&QuarticRecord) -> f64| {
            mean_and_error(
                &quartic_records
                    .iter()
                    .map(|q| f(q))
                    .filter(|x| x.is_finite())
                    .collect::<Vec<_>>(),
            )
        };
        let softest: Vec<&crate::analysis::SoftestMode> = quartic_records
            .iter()
            .filter_map(|q| q.softest.as_ref())
            .collect();
        let soft_est = |f: &dyn Fn(&crate::analysis::SoftestMode) -> f64| {
            (!softest.is_empty())
                .then(|| mean_and_error(&softest.iter().map(|m| f(m)).collect::<Vec<_>>()))
        };
        let soft_len = softest_length(&quartic_records);
        Some(QuarticSummary {
            softest_samples: softest.len(),
            softest_omega: soft_est(&|m| m.omega),
            softest_participation: soft_est(&|m| m.participation),
            xi_qlm_softest: soft_len
                .as_ref()
                .and_then(|x| x.1)
                .map(|x| bootstrap_spread(&boot_soft, x)),
            softest_decay: soft_len.map(|x| x.0),
            samples: quartic_records.len(),
            xi_co: xi_co.map(|x| bootstrap_spread(&boot_co, x)),
            xi_qlm: xi_qlm.map(|x| bootstrap_spread(&boot_qlm, x)),
            lowest_omega: qest(&|q| q.lowest_omega),
            lowest_participation: qest(&|q| q.lowest_participation),
            modes: qest(&|q| q.modes as f64),
            mean_participation: qest(&|q| mean_participation(&q.participations)),
            response_decay: rp,
            mode_decay: mp,
        })
    };
    let soft = a_g.map(|a| a * wg.value.powi(5));
    let xi_g_value = crate::spatial_decay::glassy_length(cs.value, wg.value);
    let xi_g_error =
        xi_g_value * ((cs.error / cs.value).powi(2) + (wg.error / wg.value).powi(2)).sqrt();
    // the CDF below complete_below, thinned to at most 400 points for plotting (low end whole)
    let cdf_all: Vec<f64> = (1..=all.len()).map(|k| k as f64 / norm).collect();
    let complete = all.iter().take_while(|w| **w <= complete_below).count();
    let keep: Vec<usize> = thin_indices(complete, 400);
    let mut routes: Vec<(String, usize)> = Vec::new();
    for r in records {
        match routes.iter_mut().find(|(name, _)| name == r.route.name()) {
            Some(entry) => entry.1 += 1,
            None => routes.push((r.route.name().to_string(), 1)),
        }
    }
    routes.sort();
    let g_median = median(&all_g);
    let count = match count_estimate(
        records,
        options.count_fraction,
        complete_below,
        crate::elasticity::lowest_phonon_frequency(cs.value, first.box_side),
    ) {
        Ok(c) => {
            warnings.extend(c.warnings(first.n));
            Some(c)
        }
        Err(why) => {
            warnings.push(why);
            None
        }
    };
    let quartic_count = match quartic_count(records, options.quartic_count_fraction, cs.value) {
        Some(Ok(c)) => {
            warnings.extend(c.warnings(first.n));
            Some(c)
        }
        Some(Err(why)) => {
            warnings.push(format!("quartic count: {why}"));
            None
        }
        None => None,
    };
    // equilibration: the records' verdicts, their τ_α, and (chains) the stationarity of the
    // inherent-state energy between the first and the second half of the harvests
    let assessed = all_records
        .iter()
        .filter(|r| r.equilibrated.is_some())
        .count();
    let equilibrated = all_records
        .iter()
        .filter(|r| r.equilibrated == Some(true))
        .count();
    if assessed > equilibrated {
        warnings.push(format!(
            "{} of {assessed} samples are not equilibrated at this T_p (see their verdicts)",
            assessed - equilibrated
        ));
    }
    let taus: Vec<f64> = all_records
        .iter()
        .map(|r| r.tau_alpha)
        .filter(|t| t.is_finite())
        .collect();
    let stationarity = harvest_drift(records);
    if let Some(d) = stationarity {
        if d.error.is_finite() && (d.value / d.error).abs() > 3.0 {
            warnings.push(format!(
                "the inherent-state energy drifts between the first and the second half of the harvests by {:.4} ± {:.4} per particle: not stationary",
                d.value, d.error
            ));
        }
    }
    let mut engines: Vec<String> = all_records
        .iter()
        .map(|r| crate::swap_mc::engine_tag(&r.engine).to_string())
        .collect();
    engines.sort();
    engines.dedup();
    Ok(TemperatureSummary {
        equilibrated,
        assessed,
        tau_alpha_median: if taus.is_empty() {
            f64::NAN
        } else {
            median(&taus)
        },
        stationarity,
        engines,
        tp: first.tp,
        samples: all_records.len(),
        unstable,
        n: first.n,
        dim: first.dim,
        density: first.density,
        inherent_energy: est(&|r| r.inherent_energy),
        parent_energy: est(&|r| r.parent_energy),
        parent_drift: est(&|r| r.parent_energy - r.parent_energy_first_half),
        displacement_acceptance: est(&|r| r.displacement_acceptance),
        swap_acceptance: est(&|r| r.swap_acceptance),
        shear_modulus: g,
        shear_modulus_median: bootstrap_spread(&boot_gm, g_median),
        shear_wave_speed: cs,
        omega_g: wg,
        omega_g_all: est(&|r| r.omega_g_all),
        omega_g_ratio: est(&|r| r.omega_g_all / r.omega_g),
        xi_g: Estimate {
            value: xi_g_value,
            error: xi_g_error,
        },
        pressure: est(&|r| r.pressure),
        rattlers: est(&|r| r.rattlers as f64),
        lowest_frequency: est(&|r| r.frequencies.first().cloned().unwrap_or(f64::NAN)),
        window,
        modes_in_window,
        complete_below,
        fit_upper,
        window_covered,
        routes,
        a_g: a_g.map(|a| bootstrap_spread(&boot_a, a)),
        soft_spots: soft.map(|s| bootstrap_spread(&boot_n, s)),
        xi_s: soft.map(|s| bootstrap_spread(&boot_s, s.powf(-1.0 / dim))),
        count,
        quartic_count,
        quartic,
        cdf_frequencies: keep.iter().map(|&k| all[k]).collect(),
        cdf: keep.iter().map(|&k| cdf_all[k]).collect(),
        warnings,
    })
}

/// Stationarity of chain harvests at one T_p: the mean inherent-state energy of the second half
/// of each chain's harvests minus that of its first half, averaged over chains (standard error
/// over chains; over samples with a single chain). `None` without chain records or with fewer
/// than two harvests.
pub(super) fn harvest_drift(records: &[&SampleRecord]) -> Option<Estimate> {
    let mut by_chain: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
    for r in records {
        let Some(c) = &r.chain else { continue };
        match by_chain.iter_mut().find(|(id, _)| *id == c.chain) {
            Some((_, v)) => v.push((c.harvest, r.inherent_energy)),
            None => by_chain.push((c.chain, vec![(c.harvest, r.inherent_energy)])),
        }
    }
    let mut diffs = Vec::new();
    for (_, v) in by_chain.iter_mut() {
        v.sort_by_key(|x| x.0);
        if v.len() < 2 {
            continue;
        }
        let h = v.len() / 2;
        let mean = |s: &[(usize, f64)]| s.iter().map(|x| x.1).sum::<f64>() / s.len() as f64;
        diffs.push(mean(&v[v.len() - h..]) - mean(&v[..h]));
    }
    match diffs.len() {
        0 => None,
        1 => Some(Estimate {
            value: diffs[0],
            error: f64::NAN,
        }),
        _ => Some(mean_and_error(&diffs)),
    }
}

/// Up to `max` indices of `0..len`: the first `max/2` whole, the rest spread geometrically.
pub(super) fn thin_indices(len: usize, max: usize) -> Vec<usize> {
    if len <= max {
        return (0..len).collect();
    }
    let head = max / 2;
    let mut out: Vec<usize> = (0..head).collect();
    let rest = max - head;
    let ratio = (len as f64 / head as f64).powf(1.0 / rest as f64);
    let mut x = head as f64;
    for _ in 0..rest {
        x *= ratio;
        let k = (x as usize).min(len - 1);
        if k > *out.last().unwrap() {
            out.push(k);
        }
    }
    out
}

/// Groups records by T_p (ascending) and summarises each group (default [`EstimatorOptions`]).
pub fn summarize(records: &[SampleRecord]) -> Result<Vec<TemperatureSummary>, String> {
    summarize_with(records, &EstimatorOptions::default())
}

/// Groups records by T_p (ascending) and summarises each group with `options`.
pub fn summarize_with(
    records: &[SampleRecord],
    options: &EstimatorOptions,
) -> Result<Vec<TemperatureSummary>, String> {
    let mut engines: Vec<&str> = records
        .iter()
        .map(|r| crate::swap_mc::engine_tag(&r.engine))
        .collect();
    engines.sort();
    engines.dedup();
    if engines.len() > 1 {
        return Err(format!(
            "the records come from different Monte Carlo engines ({}): chains of different engines sample differently and are not pooled; summarise them in separate directories",
            engines.join(", ")
        ));
    }
    let mut tps: Vec<f64> = records.iter().map(|r| r.tp).collect();
    tps.sort_by(f64::total_cmp);
    tps.dedup();
    tps.iter()
        .map(|&tp| {
            let group: Vec<&SampleRecord> = records.iter().filter(|r| r.tp == tp).collect();
            summarize_temperature_with(&group, options)
        })
        .collect()
}

/// The count of quartic modes below `fraction` ω_g over the stable samples `records` of one T_p
/// whose shear-wave speed is `cs` (the phonon band 2π c_s/L is only reported: quartic modes do
/// not hybridise with phonons); `None` when a record predates the kept quartic frequencies
/// (`modes > 0` and no `omegas`).
fn quartic_count(
    records: &[&SampleRecord],
    fraction: f64,
    cs: f64,
) -> Option<Result<CountEstimate, String>> {
    let kept = |r: &&SampleRecord| {
        r.quartic
            .as_ref()
            .is_some_and(|q| q.omegas.len() == q.modes)
    };
    let first = records.first()?;
    records.iter().all(kept).then(|| {
        count_estimate_of(
            records,
            ModeSource::Quartic,
            fraction,
            f64::INFINITY,
            2.0 * std::f64::consts::PI * cs / first.box_side,
        )
    })
}

/// `summaries` (of the deduplicated `records`, per T_p) with their quartic count redone for the
/// window `fraction` ω_g, everything else as it was: what [`summarize_with`] gives with that
/// `quartic_count_fraction`, without recomputing the rest (for a scan over windows). A T_p whose
/// count fails has none.
pub fn with_quartic_fraction(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    fraction: f64,
) -> Vec<TemperatureSummary> {
    summaries
        .iter()
        .map(|s| {
            let group: Vec<&SampleRecord> = records.iter().filter(|r| r.tp == s.tp).collect();
            let stable = stable_samples(&group);
            let mut out = s.clone();
            out.quartic_count =
                quartic_count(&stable, fraction, s.shear_wave_speed.value).and_then(Result::ok);
            out
        })
        .collect()
}

/// Checks a merged set of records: no sample twice (same T_p and index) unless identical.
pub fn deduplicate(mut records: Vec<SampleRecord>) -> Result<Vec<SampleRecord>, String> {
    records.sort_by(|a, b| a.tp.total_cmp(&b.tp).then(a.index.cmp(&b.index)));
    let mut out: Vec<SampleRecord> = Vec::with_capacity(records.len());
    for r in records {
        if let Some(last) = out.last() {
            if last.tp == r.tp && last.index == r.index {
                if !last.same_result(&r) {
                    return Err(format!(
                        "sample T_p = {} #{} appears twice with different results (mixed runs?)",
                        r.tp, r.index
                    ));
                }
                continue;
            }
        }
        out.push(r);
    }
    Ok(out)
}
