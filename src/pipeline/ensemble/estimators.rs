//! The per-T_p estimators of 𝒩: the count below `x ω_g` (primary), its free log-slope, the
//! plateau, and the Boltzmann fits (Poisson likelihood of the counts; weighted least squares).

use super::*;

/// Default `x` of the count window `x ω̄_g`. Eq. 2's scale invariance makes the count below
/// `x ω_g` proportional to 𝒩 for any fixed `x`; 0.35 keeps the window below the lowest
/// transverse phonon `2π c_s/L` in the committed 3D N = 500 ensembles, where that band sits at
/// 0.7–0.86 ω_g (a summary warns at every T_p where it does not).
pub const COUNT_FRACTION: f64 = 0.35;
/// Default `x` of the quartic-mode count window. Quartic modes do not hybridise with phonons
/// (SI S-4, Fig. S3), so this window may lie above the lowest phonon band; 0.5 counts
/// (0.5/0.35)⁵ ≈ 6 times as many modes as 0.35 and stays far below the band of stiff,
/// extended quartic modes (3D N = 1000, T_p = 0.45: the modes found below 0.5 ω_g from 30 and
/// from 100 spread starts are the same nine).
pub const QUARTIC_COUNT_FRACTION: f64 = 0.5;
/// The free log-slope is flagged as inconsistent with 5 beyond this many of its errors.
pub const SLOPE_SIGMAS: f64 = 2.0;
/// A T_p joins the high-T_p plateau of 𝒩 while within this many combined errors of it.
pub const PLATEAU_SIGMAS: f64 = 2.0;

/// Settings of the summary's estimators.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EstimatorOptions {
    /// `x` of the count window `x ω̄_g` (dimensionless, positive and finite).
    pub count_fraction: f64,
    /// `x` of the quartic-mode count window (same rule, counting quartic modes).
    pub quartic_count_fraction: f64,
}

impl Default for EstimatorOptions {
    fn default() -> Self {
        Self {
            count_fraction: COUNT_FRACTION,
            quartic_count_fraction: QUARTIC_COUNT_FRACTION,
        }
    }
}

impl EstimatorOptions {
    /// The count fraction for modes of `source`.
    pub fn fraction(&self, source: ModeSource) -> f64 {
        match source {
            ModeSource::Harmonic => self.count_fraction,
            ModeSource::Quartic => self.quartic_count_fraction,
        }
    }

    /// Refuses a count fraction that is not positive and finite.
    pub fn check(&self) -> Result<(), String> {
        for (x, what) in [
            (self.count_fraction, "count fraction x"),
            (self.quartic_count_fraction, "quartic count fraction x"),
        ] {
            if !(x.is_finite() && x > 0.0) {
                return Err(format!(
                    "the {what} (window x omega_g) must be positive, got {x}"
                ));
            }
        }
        Ok(())
    }
}

/// What the bootstrap resamples: whole chains (harvests of one chain are correlated) when any
/// record carries chain information, single samples otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resampling {
    Chain,
    Sample,
}

impl Resampling {
    pub fn name(self) -> &'static str {
        match self {
            Resampling::Chain => "chain",
            Resampling::Sample => "sample",
        }
    }
}

/// Resampling units of `records`: the records of one chain (same `chain.chain`, at any T_p)
/// form one cluster; a record without chain information is a cluster of its own. Returns the
/// clusters as indices into `records`, in order of first appearance (deterministic for the
/// sorted records of [`deduplicate`]), and the kind.
pub fn clusters(records: &[&SampleRecord]) -> (Vec<Vec<usize>>, Resampling) {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut chain_of: Vec<(usize, usize)> = Vec::new(); // (chain id, cluster)
    let mut any_chain = false;
    for (k, r) in records.iter().enumerate() {
        match &r.chain {
            Some(c) => {
                any_chain = true;
                match chain_of.iter().find(|(id, _)| *id == c.chain) {
                    Some(&(_, at)) => out[at].push(k),
                    None => {
                        chain_of.push((c.chain, out.len()));
                        out.push(vec![k]);
                    }
                }
            }
            None => out.push(vec![k]),
        }
    }
    let kind = if any_chain {
        Resampling::Chain
    } else {
        Resampling::Sample
    };
    (out, kind)
}

/// Which modes a count estimate counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeSource {
    /// The kept harmonic (Hessian) modes: complete below `complete_below`, but hybridised with
    /// phonons near and above the lowest phonon band.
    Harmonic,
    /// The distinct quartic modes found from the sample's starts (Eq. S6): indifferent to
    /// phonons (SI S-4, Fig. S3), so the window may lie above the phonon band; complete as far
    /// as the starts reach every soft spot below the window.
    Quartic,
}

impl ModeSource {
    pub fn name(self) -> &'static str {
        match self {
            ModeSource::Harmonic => "harmonic",
            ModeSource::Quartic => "quartic",
        }
    }

    /// The positive, finite frequencies of a record's modes of this kind, ascending (empty
    /// for `Quartic` when the record has no quartic modes).
    pub fn frequencies(self, r: &SampleRecord) -> Vec<f64> {
        let raw: &[f64] = match self {
            ModeSource::Harmonic => &r.frequencies,
            ModeSource::Quartic => r.quartic.as_ref().map_or(&[], |q| &q.omegas),
        };
        let mut v: Vec<f64> = raw
            .iter()
            .cloned()
            .filter(|w| w.is_finite() && *w > 0.0)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }
}

/// Free log-slope `α` of the pooled cumulative count `CDF(ω) ∝ ω^α` in the window `(0, W)`
/// (the ω⁴ law of Eq. 1 gives α = 5): the unbiased maximum-likelihood estimate
/// `α = (K − 1) / Σ_k ln(W/ω_k)` over the `K` values of `frequencies` in `(0, W)` (any order),
/// with its error `α/√(K − 2)` (for K modes drawn from `∝ ω^(α−1)`, `Σ ln(W/ω)` is Gamma(K, α)
/// distributed). `None` with fewer than 3 modes in the window.
pub fn free_slope<'a>(
    frequencies: impl IntoIterator<Item = &'a f64>,
    window: f64,
) -> Option<Estimate> {
    let (mut k, mut sum) = (0usize, 0.0f64);
    for w in frequencies {
        if *w > 0.0 && *w < window {
            k += 1;
            sum += (window / w).ln();
        }
    }
    if k < 3 || sum <= 0.0 {
        return None;
    }
    let alpha = (k - 1) as f64 / sum;
    Some(Estimate {
        value: alpha,
        error: alpha / ((k - 2) as f64).sqrt(),
    })
}

/// 𝒩 and A_g of one T_p by counting modes (Eq. 2), and the free log-slope in the same window.
///
/// Rule: the window is `W = x ω̄_g` (ω̄_g the sample-mean filtered ω_g, `x` =
/// [`EstimatorOptions::count_fraction`]); `K` = pooled non-zero modes below `W` over the `M`
/// samples of `N` particles. With `D(ω) = A_g ω⁴` per particle below `W`,
/// `K/(M N) = A_g W⁵/5`, so `A_g = 5K/(M N W⁵)` (frequency⁻⁵) and
/// `𝒩 = A_g ω̄_g⁵ = 5K/(M N x⁵)` (per particle, dimensionless; `K` is Poisson with mean
/// `exposure · 𝒩`, `exposure = M N x⁵/5`). The estimate of 𝒩 is unbiased whatever the number
/// of modes (zero counts included), unlike the rank fit of [`fit_prefactor`].
#[derive(Clone, Debug, PartialEq)]
pub struct CountEstimate {
    /// The modes counted.
    pub source: ModeSource,
    /// `x`.
    pub fraction: f64,
    /// `W = x ω̄_g` (frequency).
    pub window: f64,
    /// Lowest transverse phonon band `2π c_s / L` (frequency; c_s from the sample-mean G).
    pub phonon_band: f64,
    /// `K`: pooled modes below `W`.
    pub modes: usize,
    /// `M N x⁵ / 5`: the expected `K` is `exposure · 𝒩`.
    pub exposure: f64,
    /// `K/(M N)`: modes per particle below `W`.
    pub per_particle: Estimate,
    /// 𝒩 = 5K/(M N x⁵); error the larger of `poisson_error` and `resample_error`.
    pub soft_spots: Estimate,
    /// A_g = 5K/(M N W⁵) (frequency⁻⁵); error the larger of its Poisson error (`A_g/√K`) and
    /// its bootstrap spread (which includes the scatter of ω̄_g).
    pub a_g: Estimate,
    /// Poisson error of 𝒩: `√K / exposure` (`1 / exposure`, one count, when K = 0).
    pub poisson_error: f64,
    /// Bootstrap standard deviation of 𝒩 over `clusters` (`BOOTSTRAP` resamples; NaN with
    /// one cluster).
    pub resample_error: f64,
    pub resampling: Resampling,
    pub clusters: usize,
    /// [`free_slope`] of the pooled modes below `W`, its error the larger of the
    /// maximum-likelihood one and the bootstrap spread; `None` with fewer than 3 modes.
    pub slope: Option<Estimate>,
}

impl CountEstimate {
    /// Whether the free slope is within `SLOPE_SIGMAS` errors of 5 (`None` without a slope).
    pub fn slope_consistent(&self) -> Option<bool> {
        self.slope
            .map(|s| (s.value - 5.0).abs() <= SLOPE_SIGMAS * s.error)
    }

    /// The window reaches the lowest phonon band and phonons enter the count (harmonic modes
    /// only: quartic modes do not hybridise with phonons).
    pub fn reaches_phonons(&self) -> bool {
        self.source == ModeSource::Harmonic && self.window >= self.phonon_band
    }

    /// What limits this estimate (`n`: the ensemble's N), for a summary's `warnings`.
    pub fn warnings(&self, n: usize) -> Vec<String> {
        let mut w = Vec::new();
        if self.reaches_phonons() {
            w.push(format!(
                "the count window x omega_g = {:.4} (x = {}) reaches the lowest phonon band 2 pi c_s / L = {:.4} at N = {n}: phonons enter the count of N; use a count fraction below {:.3} (or larger N)",
                self.window,
                self.fraction,
                self.phonon_band,
                self.phonon_band / (self.window / self.fraction)
            ));
        }
        if let (Some(false), Some(s)) = (self.slope_consistent(), self.slope) {
            w.push(format!(
                "the free log-slope of the pooled cumulative count below x omega_g is {:.2} ± {:.2}, inconsistent with 5 (the omega^4 law that the count of N assumes)",
                s.value, s.error
            ));
        }
        w
    }
}

/// The counting estimate of one T_p (rule of [`CountEstimate`]), with bootstrap errors over
/// [`clusters`] (fixed seed per T_p). `complete_below`: the pooled modes are complete below
/// this frequency; `phonon_band`: `2π c_s/L`. `Err` (a warning for the summary) when the
/// window is undefined or not covered by the kept modes.
pub fn count_estimate(
    records: &[&SampleRecord],
    fraction: f64,
    complete_below: f64,
    phonon_band: f64,
) -> Result<CountEstimate, String> {
    count_estimate_of(
        records,
        ModeSource::Harmonic,
        fraction,
        complete_below,
        phonon_band,
    )
}

/// [`count_estimate`] of the modes of `source` (for [`ModeSource::Quartic`], pass
/// `complete_below = ∞`: the count assumes the starts found every quartic mode below the
/// window, which the records cannot check; the summary states the number of starts).
pub fn count_estimate_of(
    records: &[&SampleRecord],
    source: ModeSource,
    fraction: f64,
    complete_below: f64,
    phonon_band: f64,
) -> Result<CountEstimate, String> {
    let first = records.first().ok_or("no samples")?;
    let (m, n) = (records.len(), first.n);
    let low: Vec<Vec<f64>> = records.iter().map(|r| source.frequencies(r)).collect();
    let mean_wg = |idx: &mut dyn Iterator<Item = usize>| {
        let (mut s, mut c) = (0.0, 0usize);
        for k in idx {
            s += records[k].omega_g;
            c += 1;
        }
        s / c as f64
    };
    let wg = mean_wg(&mut (0..m));
    let window = fraction * wg;
    if !(window.is_finite() && window > 0.0) {
        return Err(format!(
            "N by counting not computed: the count window x omega_g = {window} is undefined (omega_g = {wg})"
        ));
    }
    if window > complete_below {
        return Err(format!(
            "N by counting not computed: the kept modes stop at {complete_below:.4}, below the count window x omega_g = {window:.4} (keep more modes or lower the count fraction)"
        ));
    }
    let count = |idx: &[usize], w: f64| -> usize {
        idx.iter()
            .map(|&k| low[k].partition_point(|x| *x < w))
            .sum()
    };
    let all: Vec<usize> = (0..m).collect();
    let k = count(&all, window);
    let x5 = fraction.powi(5);
    let exposure = (m * n) as f64 * x5 / 5.0;
    let soft = k as f64 / exposure;
    let poisson = (k.max(1) as f64).sqrt() / exposure;
    let a_g = soft / wg.powi(5);
    let slope = free_slope(low.iter().flatten(), window);
    let (groups, resampling) = clusters(records);
    let (mut boot_n, mut boot_a, mut boot_s) = (Vec::new(), Vec::new(), Vec::new());
    if groups.len() > 1 {
        let mut rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(0xC0_0A7, first.tp.to_bits()));
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let w = mean_wg(&mut pick.iter().cloned());
            let win = fraction * w;
            let nn = 5.0 * count(&pick, win) as f64 / ((pick.len() * n) as f64 * x5);
            boot_n.push(nn);
            boot_a.push(nn / w.powi(5));
            if let Some(s) = free_slope(pick.iter().flat_map(|&k| low[k].iter()), win) {
                boot_s.push(s.value);
            }
        }
    }
    let spread = |v: &[f64]| bootstrap_spread(v, 0.0).error;
    let larger = |a: f64, b: f64| if b.is_finite() { a.max(b) } else { a };
    let resample = spread(&boot_n);
    Ok(CountEstimate {
        source,
        fraction,
        window,
        phonon_band,
        modes: k,
        exposure,
        per_particle: Estimate {
            value: k as f64 / (m * n) as f64,
            error: (k.max(1) as f64).sqrt() / (m * n) as f64,
        },
        soft_spots: Estimate {
            value: soft,
            error: larger(poisson, resample),
        },
        a_g: Estimate {
            value: a_g,
            error: larger(poisson / wg.powi(5), spread(&boot_a)),
        },
        poisson_error: poisson,
        resample_error: resample,
        resampling,
        clusters: groups.len(),
        slope: slope.map(|s| Estimate {
            value: s.value,
            error: larger(s.error, spread(&boot_s)),
        }),
    })
}

/// The high-T_p plateau of 𝒩(T_p).
#[derive(Clone, Debug, PartialEq)]
pub struct Plateau {
    /// Its T_p, descending.
    pub tps: Vec<f64>,
    /// The lowest T_p on the plateau.
    pub lowest_tp: f64,
    /// Inverse-variance weighted mean of 𝒩 over the plateau, with its error.
    pub value: Estimate,
}

/// Detects the high-T_p plateau of `points` = `(T_p, 𝒩 ± σ)`. Rule: start from the highest
/// T_p; walking down, the next T_p joins while `|𝒩 − P| ≤ PLATEAU_SIGMAS · √(σ² + σ_P²)`,
/// `P ± σ_P` the inverse-variance weighted mean of the plateau so far (a point without a
/// positive finite error never joins); stop at the first that does not. `None` without points.
pub fn detect_plateau(points: &[(f64, Estimate)]) -> Option<Plateau> {
    let mut pts: Vec<(f64, Estimate)> = points
        .iter()
        .filter(|(t, e)| t.is_finite() && e.value.is_finite())
        .cloned()
        .collect();
    pts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (top_t, top) = *pts.first()?;
    let weight = |e: &Estimate| {
        if e.error.is_finite() && e.error > 0.0 {
            1.0 / (e.error * e.error)
        } else {
            0.0
        }
    };
    let mut tps = vec![top_t];
    let (mut sw, mut swv) = (weight(&top), weight(&top) * top.value);
    let mean = |sw: f64, swv: f64| {
        if sw > 0.0 {
            Estimate {
                value: swv / sw,
                error: 1.0 / sw.sqrt(),
            }
        } else {
            top
        }
    };
    for (t, e) in &pts[1..] {
        let p = mean(sw, swv);
        let w = weight(e);
        let tol = PLATEAU_SIGMAS * (e.error.powi(2) + p.error.powi(2)).sqrt();
        if w > 0.0 && (e.value - p.value).abs() <= tol {
            tps.push(*t);
            sw += w;
            swv += w * e.value;
        } else {
            break;
        }
    }
    Some(Plateau {
        lowest_tp: *tps.last().expect("one T_p at least"),
        tps,
        value: mean(sw, swv),
    })
}

/// One T_p of the Poisson Boltzmann fit: `modes` counted, with mean `exposure · 𝒩(T_p)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountPoint {
    pub tp: f64,
    pub modes: f64,
    pub exposure: f64,
}

/// A Poisson maximum-likelihood fit of Eq. 3, `𝒩 = exp(ln_n0 − E/T_p)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PoissonFit {
    /// E (model energy units, k_B = 1) and its error from the inverse Fisher information.
    pub e: f64,
    pub e_error: f64,
    pub ln_n0: f64,
    /// Poisson deviance `2 Σ [K ln(K/μ) − (K − μ)]` and its degrees of freedom (points − 2):
    /// deviance/dof ≫ 1 means more scatter than Poisson (e.g. correlated harvests).
    pub deviance: f64,
    pub dof: usize,
}

/// Poisson maximum-likelihood fit of mode counts to the Boltzmann law (Eq. 3): `K_i` is
/// Poisson with mean `exposure_i · exp(ln_n0 − E/T_i)`; zero counts are data (they pull 𝒩
/// down, no logarithm of zero is taken). Newton's method on the concave log-likelihood (in
/// `1/T` centred on its exposure-weighted mean), with step halving. `None` with fewer than two
/// distinct T_p, no mode at all, or when the likelihood has no finite maximum (e.g. all modes
/// at one T_p).
pub fn poisson_boltzmann_fit(points: &[CountPoint]) -> Option<PoissonFit> {
    let pts: Vec<&CountPoint> = points
        .iter()
        .filter(|p| p.tp > 0.0 && p.tp.is_finite() && p.exposure > 0.0 && p.modes >= 0.0)
        .collect();
    let mut inv: Vec<f64> = pts.iter().map(|p| 1.0 / p.tp).collect();
    let total_k: f64 = pts.iter().map(|p| p.modes).sum();
    let total_e: f64 = pts.iter().map(|p| p.exposure).sum();
    inv.sort_by(f64::total_cmp);
    inv.dedup();
    if inv.len() < 2 || total_k <= 0.0 {
        return None;
    }
    let centre = pts.iter().map(|p| p.exposure / p.tp).sum::<f64>() / total_e;
    // η_i = b + E z_i, z_i = −(1/T_i − centre)
    let z: Vec<f64> = pts.iter().map(|p| centre - 1.0 / p.tp).collect();
    let loglik = |b: f64, e: f64| -> f64 {
        pts.iter()
            .zip(&z)
            .map(|(p, zi)| {
                let eta = b + e * zi;
                p.modes * eta - p.exposure * eta.exp()
            })
            .sum()
    };
    let (mut b, mut e) = ((total_k / total_e).ln(), 0.0);
    let mut converged = false;
    for _ in 0..200 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (p, zi) in pts.iter().zip(&z) {
            let mu = p.exposure * (b + e * zi).exp();
            g0 += p.modes - mu;
            g1 += (p.modes - mu) * zi;
            h00 += mu;
            h01 += mu * zi;
            h11 += mu * zi * zi;
        }
        let det = h00 * h11 - h01 * h01;
        if det.is_nan() || det <= 0.0 {
            return None;
        }
        let (db, de) = ((h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det);
        let base = loglik(b, e);
        let mut t = 1.0;
        // halve the step until the likelihood does not fall (a NaN counts as a fall)
        while t > 1e-12
            && loglik(b + t * db, e + t * de)
                .partial_cmp(&base)
                .is_none_or(|o| o.is_lt())
        {
            t *= 0.5;
        }
        b += t * db;
        e += t * de;
        if !(e.is_finite() && b.is_finite()) || e.abs() > 1e8 {
            return None;
        }
        if (t * de).abs() <= 1e-12 * (1.0 + e.abs()) && (t * db).abs() <= 1e-12 * (1.0 + b.abs()) {
            converged = true;
            break;
        }
    }
    if !converged {
        return None;
    }
    let (mut h00, mut h01, mut h11, mut dev) = (0.0, 0.0, 0.0, 0.0);
    for (p, zi) in pts.iter().zip(&z) {
        let mu = p.exposure * (b + e * zi).exp();
        h00 += mu;
        h01 += mu * zi;
        h11 += mu * zi * zi;
        let k = p.modes;
        dev += 2.0 * (if k > 0.0 { k * (k / mu).ln() } else { 0.0 } - (k - mu));
    }
    let det = h00 * h11 - h01 * h01;
    Some(PoissonFit {
        e,
        e_error: (h00 / det).sqrt(),
        ln_n0: b + e * centre,
        deviance: dev,
        dof: pts.len().saturating_sub(2),
    })
}

/// The Boltzmann fit of the counted 𝒩 over a stated T_p range (see [`boltzmann_count_fit`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BoltzmannCount {
    /// The detected high-T_p plateau of the counted 𝒩 (`None` without counts).
    pub plateau: Option<Plateau>,
    /// The range was given: `T_p ≤ tp_max` (model units).
    pub tp_max: Option<f64>,
    /// The range rule applied, in words.
    pub range: String,
    /// T_p in the fit range with a count (ascending).
    pub tps: Vec<f64>,
    pub fit: Option<PoissonFit>,
    /// Error of E: the larger of the Fisher error and `resample_error` (NaN without a fit).
    pub error: f64,
    /// Bootstrap standard deviation of E over clusters (chains jointly at every T_p, or
    /// samples at each T_p), range fixed; NaN with fewer than 2 successful resamples.
    pub resample_error: f64,
    pub resampling: Resampling,
    pub clusters: usize,
    /// Why there is no fit.
    pub note: Option<String>,
}

/// Boltzmann law of the counted 𝒩 (Eq. 3) from `records` (all T_p, deduplicated) and their
/// `summaries` (made with the same `options`): a [`poisson_boltzmann_fit`] of the counts `K`
/// with their exposures over the T_p range `T_p ≤ fit_tp_max` if given, else the T_p strictly
/// below the plateau of [`detect_plateau`] (with the paper's magnitudes the law holds only
/// below ≈ 0.6 T_onset; above it 𝒩 sits on its plateau). The error of E is bootstrapped over
/// [`clusters`] of the records in the range: a chain's harvests at every T_p of the range are
/// resampled together.
pub fn boltzmann_count_fit(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    fit_tp_max: Option<f64>,
    options: &EstimatorOptions,
) -> BoltzmannCount {
    boltzmann_count_fit_of(
        records,
        summaries,
        fit_tp_max,
        ModeSource::Harmonic,
        options,
    )
}

/// [`boltzmann_count_fit`] of the counts of `source` (the summaries' `count` or
/// `quartic_count`, with the matching fraction of `options`).
pub fn boltzmann_count_fit_of(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    fit_tp_max: Option<f64>,
    source: ModeSource,
    options: &EstimatorOptions,
) -> BoltzmannCount {
    let counted: Vec<(f64, &CountEstimate)> = summaries
        .iter()
        .filter_map(|s| s.count_of(source).map(|c| (s.tp, c)))
        .collect();
    let plateau = detect_plateau(
        &counted
            .iter()
            .map(|(t, c)| (*t, c.soft_spots))
            .collect::<Vec<_>>(),
    );
    let (in_range, range): (Box<dyn Fn(f64) -> bool>, String) = match (fit_tp_max, &plateau) {
        (Some(t), _) => (
            Box::new(move |tp| tp <= t),
            format!("T_p <= {} (given)", crate::validate::show(t)),
        ),
        (None, Some(p)) => {
            let low = p.lowest_tp;
            (
                Box::new(move |tp| tp < low),
                format!(
                    "T_p below the high-T_p plateau of the counted N (plateau from T_p = {} up, {} T_p within {PLATEAU_SIGMAS} sigma)",
                    crate::validate::show(low),
                    p.tps.len()
                ),
            )
        }
        (None, None) => (Box::new(|_| false), "no counted N".to_string()),
    };
    let points: Vec<CountPoint> = counted
        .iter()
        .filter(|(t, _)| in_range(*t))
        .map(|(t, c)| CountPoint {
            tp: *t,
            modes: c.modes as f64,
            exposure: c.exposure,
        })
        .collect();
    let tps: Vec<f64> = points.iter().map(|p| p.tp).collect();
    let fit = poisson_boltzmann_fit(&points);
    let note = match (&fit, tps.len()) {
        (Some(_), _) => None,
        (None, k) if k < 2 => Some(format!(
            "{k} T_p with a count in the fit range ({range}): the fit needs two or more (set the range with --fit-tp-max)"
        )),
        (None, _) => Some("the Poisson likelihood has no finite maximum on these counts".into()),
    };
    // bootstrap over clusters of the records in the range
    // the samples each T_p's count was made of (those not near an instability)
    let inside: Vec<&SampleRecord> = tps
        .iter()
        .flat_map(|&tp| {
            let at: Vec<&SampleRecord> = records.iter().filter(|r| r.tp == tp).collect();
            stable_samples(&at)
        })
        .collect();
    let (groups, resampling) = clusters(&inside);
    let mut boot = Vec::new();
    if fit.is_some() && groups.len() > 1 {
        let x = options.fraction(source);
        let low: Vec<Vec<f64>> = inside.iter().map(|r| source.frequencies(r)).collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0xB0_172);
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let pts: Vec<CountPoint> = tps
                .iter()
                .filter_map(|&tp| {
                    let at: Vec<usize> = pick
                        .iter()
                        .cloned()
                        .filter(|&k| inside[k].tp == tp)
                        .collect();
                    if at.is_empty() {
                        return None;
                    }
                    let wg = at.iter().map(|&k| inside[k].omega_g).sum::<f64>() / at.len() as f64;
                    let k: usize = at
                        .iter()
                        .map(|&k| low[k].partition_point(|w| *w < x * wg))
                        .sum();
                    Some(CountPoint {
                        tp,
                        modes: k as f64,
                        exposure: (at.len() * inside[at[0]].n) as f64 * x.powi(5) / 5.0,
                    })
                })
                .collect();
            if let Some(f) = poisson_boltzmann_fit(&pts) {
                boot.push(f.e);
            }
        }
    }
    let resample_error = bootstrap_spread(&boot, 0.0).error;
    let error = match &fit {
        Some(f) if resample_error.is_finite() => f.e_error.max(resample_error),
        Some(f) => f.e_error,
        None => f64::NAN,
    };
    BoltzmannCount {
        plateau,
        tp_max: fit_tp_max,
        range,
        tps,
        fit,
        error,
        resample_error,
        resampling,
        clusters: groups.len(),
        note,
    }
}

/// Boltzmann law `ln 𝒩 = ln 𝒩0 − E/T_p`: weighted least squares of `ln 𝒩` on `1/T_p` with
/// weights `(𝒩/σ_𝒩)²`. Returns `(E, σ_E, ln 𝒩0)`; `None` with fewer than two usable points.
pub fn boltzmann_fit(points: &[(f64, Estimate)]) -> Option<(f64, f64, f64)> {
    let pts: Vec<(f64, f64, f64)> = points
        .iter()
        .filter(|(t, e)| *t > 0.0 && e.value > 0.0 && e.value.is_finite())
        .map(|(t, e)| {
            let sigma = if e.error.is_finite() && e.error > 0.0 {
                e.error / e.value
            } else {
                1.0
            };
            (1.0 / t, e.value.ln(), 1.0 / (sigma * sigma))
        })
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let sw: f64 = pts.iter().map(|p| p.2).sum();
    let sx: f64 = pts.iter().map(|p| p.2 * p.0).sum();
    let sy: f64 = pts.iter().map(|p| p.2 * p.1).sum();
    let sxx: f64 = pts.iter().map(|p| p.2 * p.0 * p.0).sum();
    let sxy: f64 = pts.iter().map(|p| p.2 * p.0 * p.1).sum();
    let det = sw * sxx - sx * sx;
    if det <= 0.0 {
        return None;
    }
    let slope = (sw * sxy - sx * sy) / det;
    let intercept = (sxx * sy - sx * sxy) / det;
    let mut slope_var = sw / det;
    if pts.len() > 2 {
        // scale by the reduced chi² so the error reflects the actual scatter
        let chi2: f64 = pts
            .iter()
            .map(|p| p.2 * (p.1 - intercept - slope * p.0).powi(2))
            .sum();
        slope_var *= (chi2 / (pts.len() - 2) as f64).max(1.0);
    }
    Some((-slope, slope_var.sqrt(), intercept))
}
