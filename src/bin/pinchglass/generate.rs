//! `pinchglass generate` (swap Monte Carlo → optional quench → extended XYZ) and the quench
//! settings and printing shared with `analyze --quench`.

use super::*;

// the flags of `pinchglass generate`
#[derive(clap::Args)]
pub(crate) struct GenerateArgs {
    /// Spatial dimension (2 or 3).
    #[arg(long, value_parser = crate::values::count)]
    pub(crate) dim: usize,
    /// Number of particles.
    #[arg(long, value_parser = crate::values::count)]
    pub(crate) n: usize,
    /// Parent temperature T_p (units of ε/k_B, or T_onset with --tp-unit onset).
    #[arg(long)]
    pub(crate) tp: f64,
    #[command(flatten)]
    pub(crate) tp_unit: crate::units::TpUnitArg,
    /// Seed of every random stream of the run.
    #[arg(long, value_parser = crate::values::seed)]
    pub(crate) seed: u64,
    /// Swap Monte Carlo sweeps (N attempted moves each), burn-in included.
    #[arg(long, default_value_t = 2000, value_parser = crate::values::count)]
    pub(crate) sweeps: usize,
    /// Number density N/V (default 0.86 in 2D, 0.58 in 3D).
    #[arg(long)]
    pub(crate) density: Option<f64>,
    /// Probability that a Monte Carlo move is a size swap.
    #[arg(long, default_value_t = 0.2)]
    pub(crate) swap_probability: f64,
    /// Quench to the inherent state before writing (default: write the T_p state).
    #[arg(long)]
    pub(crate) quench: bool,
    /// Also write the energy trace (sweep, U/N) as CSV to this file.
    #[arg(long)]
    pub(crate) trace: Option<String>,
    /// Output file (extended XYZ).
    #[arg(short = 'o', long = "output")]
    pub(crate) output: String,
}

pub(crate) fn generate<const D: usize>(a: &GenerateArgs) -> Result<(), String> {
    // every parameter by the one rule set (pinchglass::validate), before anything is allocated
    let density = check_run(
        D as f64,
        a.n as f64,
        a.tp,
        None,
        a.sweeps as f64,
        a.density.unwrap_or(f64::NAN),
        &CLI_LIMITS,
    )
    .map_err(|v| join(&v))?
    .density;
    pinchglass::validate::check_swap_probability(a.swap_probability).map_err(|r| r.message)?;
    let mut settings = SwapMcSettings::new(a.tp, a.sweeps, a.seed);
    settings.swap_probability = a.swap_probability;
    let t0 = now_seconds();
    let mc: SwapMc<D> = equilibrate(
        a.n,
        density,
        Poly::default(),
        settings,
        &mut progress::progress_bar("swap Monte Carlo sweeps"),
    )?;
    let mc_seconds = now_seconds() - t0;
    let mut glass = mc.glass.clone();
    let mut quenched = None;
    if a.quench {
        let r = quench_with_progress(&mut glass, &cli_quench_settings(), &mut quench_printer());
        report_quench(&r);
        if !r.converged {
            // never written as an inherent state
            return Err(format!(
                "{}; nothing written to {}",
                quench_failure(&glass, &r),
                a.output
            ));
        }
        quenched = Some(r);
    }
    let state = if quenched.is_some() {
        "inherent"
    } else {
        "parent"
    };
    let energy = glass.energy();
    let meta = generation_metadata(&mc, &glass, quenched.as_ref())?;
    let text = write_xyz(&glass, &meta)?;
    std::fs::write(&a.output, text).map_err(|e| format!("cannot write {}: {e}", a.output))?;
    let (tau, _, verdict) = mc.relaxation_verdict();
    if let Some(path) = &a.trace {
        // energy trace, then τ_α and the verdict as comment lines, then Q(t)
        let mut csv = String::from("sweep,energy_per_particle\n");
        for (s, e) in mc.trace.sweeps.iter().zip(&mc.trace.energy_per_particle) {
            csv.push_str(&format!("{s},{e}\n"));
        }
        csv.push_str(&format!(
            "# tau_alpha_sweeps = {} (self-overlap a = 0.3, recorded from sweep {})\n# {verdict}\n# lag_sweeps,self_overlap\n",
            tau.describe(),
            mc.settings.tune_sweeps
        ));
        if let Some(o) = &mc.overlap {
            for (t, q) in o.curve() {
                csv.push_str(&format!("# {t},{q}\n"));
            }
        }
        std::fs::write(path, csv).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    eprintln!("tau_alpha = {} sweeps: {verdict}", tau.describe());
    let moves = (a.sweeps * a.n) as f64;
    eprintln!(
        "wrote {} ({state} state, N = {}, d = {D}, T_p = {}, seed = {}): U/N = {:.6}, acceptance {}, {:.2e} moves/s",
        a.output,
        a.n,
        pinchglass::validate::show(a.tp),
        a.seed,
        energy / a.n as f64,
        acceptance_words(
            mc.production.displacement_acceptance(),
            mc.production.swap_acceptance(),
            mc.settings.tune_sweeps
        ),
        moves / mc_seconds
    );
    Ok(())
}

/// The production acceptances as the summary line states them: "displacement 0.412 swap 0.105",
/// or, when every sweep tuned the step (no production moves counted), that it did.
fn acceptance_words(displacement: f64, swap: f64, tune_sweeps: usize) -> String {
    let one = |x: f64| crate::or_dash(x, |x| format!("{x:.3}"));
    if displacement.is_finite() || swap.is_finite() {
        format!("displacement {} swap {}", one(displacement), one(swap))
    } else {
        format!(
            "not counted (all {tune_sweeps} sweeps of this short run tuned the displacement step)"
        )
    }
}

/// The CLI's quench settings: the library's, with the FIRE budget overridden by the environment
/// variable `PINCHGLASS_FIRE_BUDGET` (a number of steps) when it is set.
pub(crate) fn cli_quench_settings() -> QuenchSettings {
    let mut s = QuenchSettings::default();
    if let Some(b) = std::env::var("PINCHGLASS_FIRE_BUDGET")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        s.min_fire_steps = b;
        s.max_fire_steps = b;
    }
    s
}

/// Progress of a long quench on standard error, one line every 5 s (short quenches print
/// nothing).
pub(crate) fn quench_printer() -> impl FnMut(&QuenchProgress) {
    let t0 = now_seconds();
    let mut last = t0;
    move |p: &QuenchProgress| {
        let now = now_seconds();
        if now - last >= 5.0 {
            last = now;
            eprintln!(
                "quench: {} of at most {} FIRE steps, max|F| = {:.2e} ({:.0} s)",
                p.fire_steps,
                p.fire_budget,
                p.max_force,
                now - t0
            );
        }
    }
}

pub(crate) fn report_quench(r: &QuenchReport) {
    eprintln!(
        "quench: max|F| = {:.2e} after {} FIRE and {} Newton steps{}",
        r.max_force,
        r.fire_steps,
        r.newton_steps,
        if r.converged { "" } else { " (NOT converged)" }
    );
}
