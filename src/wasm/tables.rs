//! The CSV downloads of a [`super::GlassRun`]: the per-pair table and the scalar results.

use crate::analysis::Analysis;
use serde_json::{json, Value};

pub(crate) fn pairs_csv(a: &Analysis) -> String {
    let mut out = String::from("i,j,force,scaled_force,omega\n");
    for p in &a.pairs {
        out.push_str(&format!(
            "{},{},{:?},{:?},{:?}\n",
            p.i, p.j, p.force, p.scaled_force, p.omega
        ));
    }
    out
}

/// Units of the summary's quantities (model units: ε = m = k_B = 1, lengths in the unit of the
/// particle sizes λ).
const SUMMARY: [(&str, &str); 20] = [
    ("dim", ""),
    ("n", ""),
    ("tp", "epsilon/k_B"),
    ("seed", ""),
    ("sweeps", ""),
    ("density", "1/length^d"),
    ("a0", "length"),
    ("energy", "epsilon"),
    ("energy_per_particle", "epsilon"),
    ("pressure", "epsilon/length^d"),
    ("max_force", "epsilon/length"),
    ("shear_modulus", "epsilon/length^d"),
    ("shear_wave_speed", "sqrt(epsilon/m)"),
    ("omega_g", "sqrt(epsilon/m)/length"),
    ("omega_g_all", "sqrt(epsilon/m)/length"),
    ("force_filter", ""),
    ("n_pairs", ""),
    ("n_pairs_filtered", ""),
    ("n_zero_modes", ""),
    ("n_rattlers", ""),
];

fn csv_number(v: &Value) -> String {
    match v {
        Value::Number(x) => x
            .as_f64()
            .filter(|_| !x.is_u64() && !x.is_i64())
            .map(|f| format!("{f:?}"))
            .unwrap_or_else(|| x.to_string()),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub(crate) fn summary_csv(r: &Value) -> String {
    let mut out = String::from("quantity,value,unit\n");
    for (key, unit) in SUMMARY {
        let v = if key == "n_rattlers" {
            json!(r["rattlers"].as_array().map_or(0, |a| a.len()))
        } else {
            r[key].clone()
        };
        out.push_str(&format!("{key},{},{unit}\n", csv_number(&v)));
    }
    if let Some(planes) = r["shear_modulus_planes"].as_object() {
        for (plane, g) in planes {
            out.push_str(&format!(
                "shear_modulus_{plane},{},epsilon/length^d\n",
                csv_number(g)
            ));
        }
    }
    for (key, v) in [
        (
            "displacement_acceptance",
            &r["swap_mc"]["displacement_acceptance"],
        ),
        ("swap_acceptance", &r["swap_mc"]["swap_acceptance"]),
    ] {
        out.push_str(&format!("{key},{},\n", csv_number(v)));
    }
    if let Some(t) = r["timings_seconds"].as_object() {
        for (stage, secs) in t {
            out.push_str(&format!(
                "time {},{},s\n",
                stage.replace(',', " "),
                csv_number(secs)
            ));
        }
    }
    out
}
