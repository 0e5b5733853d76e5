//! Wall-clock seconds for stage timings (`std::time::Instant` panics on wasm32, so the browser
//! build reads the JavaScript clock instead).

/// Seconds since an arbitrary fixed origin.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_seconds() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    ORIGIN.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Seconds since an arbitrary fixed origin: `performance.now()` of the window or worker
/// (sub-millisecond), `Date.now()` where there is none.
#[cfg(target_arch = "wasm32")]
pub fn now_seconds() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let performance = js_sys::Reflect::get(&global, &"performance".into()).ok();
    if let Some(perf) = performance.filter(|p| !p.is_undefined()) {
        let now = js_sys::Reflect::get(&perf, &"now".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(ms) = now
            .and_then(|f| f.call0(&perf).ok())
            .and_then(|v| v.as_f64())
        {
            return ms / 1000.0;
        }
    }
    js_sys::Date::now() / 1000.0
}
