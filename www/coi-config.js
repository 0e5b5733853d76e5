// Configuration of coi-serviceworker (window.coi, read by coi-serviceworker.js, loaded next).
//
// coi-serviceworker reloads the page so that its service worker, which adds COOP/COEP, controls
// it. Out of the box it reloads on "updatefound", i.e. as soon as the worker *starts* installing.
// On a loaded machine the reloaded page can then arrive before the worker is active: it is not
// controlled, still not isolated, and (the worker now active) reloads a second time, after main.js
// has already started the single-threaded build on it. (This was the e2e flake "service worker:
// reloads once" counting three document loads.) Here the reload waits until the worker is active
// (a navigation then goes through it) or controls the page, with a 5 s fallback, and happens once.
window.coi = {
  doReload: () => {
    let done = false;
    const reload = () => {
      if (!done) {
        done = true;
        window.location.reload();
      }
    };
    if (window.pinchglassCoiReload) return;
    window.pinchglassCoiReload = true;
    const sw = navigator.serviceWorker;
    sw.getRegistration().then((r) => {
      if (!r || r.active) return reload();
      sw.addEventListener('controllerchange', reload, { once: true });
      const w = r.installing || r.waiting;
      w?.addEventListener('statechange', () => { if (w.state === 'activated') reload(); });
      setTimeout(reload, 5000);
    }, reload);
  },
};
