// The compute worker (worker.js) and its rayon threads, for Explore (main.js) and the Temperature
// sweep (sweep.js).
//
// In the threaded build the page, not the compute worker, creates the rayon thread workers: the
// compute worker's wasm-bindgen-rayon snippet (wasm/rayon-worker-helpers.js, put in place by
// build.sh) posts {type: 'wasm_bindgen_spawn', k, script, init} for each thread; the page starts a
// module worker from `script`, hands it `init` (the module and the shared memory) and, once the
// thread has posted 'wasm_bindgen_worker_ready', answers {type: 'wasm_bindgen_spawned', k}. Firefox
// 153 ESR sometimes never returns from `new Worker()` called inside a worker (issue 15), which left
// the compute worker blocked at "thread pool"; workers created by the page do not go through that
// path. The page keeps the threads (Firefox collects unrooted workers that share a wasm memory,
// bugzilla 1702191) and terminate() ends them with the compute worker.

// A new compute worker. Its `terminate()` also terminates its threads; its `threadWorkers` are
// the threads started so far. The spawn messages never reach the caller's listeners.
export function spawnComputeWorker() {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const threads = [];
  let ended = false;
  w.threadWorkers = threads;
  w.addEventListener('message', (e) => {
    const data = e.data;
    if (data?.type !== 'wasm_bindgen_spawn') return;
    e.stopImmediatePropagation();
    if (ended) return; // a request still queued when the page terminated this worker
    const t = new Worker(data.script, { type: 'module' });
    threads.push(t);
    // A trap in a thread (the module aborts on panic) is the compute worker's crash, as it was when
    // the threads were its nested workers and their errors reached it: the page's handler restarts it.
    t.addEventListener('error', (err) => {
      err.preventDefault?.();
      w.dispatchEvent(new ErrorEvent('error', { message: `a rayon thread failed: ${err.message || 'unknown error'}` }));
    });
    t.addEventListener('message', function ready({ data: d }) {
      if (d?.type !== 'wasm_bindgen_worker_ready') return;
      t.removeEventListener('message', ready);
      w.postMessage({ type: 'wasm_bindgen_spawned', k: data.k });
    });
    t.postMessage(data.init);
  });
  const terminate = w.terminate.bind(w);
  w.terminate = () => {
    ended = true;
    for (const t of threads.splice(0)) t.terminate();
    terminate();
  };
  return w;
}
