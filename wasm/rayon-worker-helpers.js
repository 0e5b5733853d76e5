/*
 * Copyright 2022 Google Inc. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *     http://www.apache.org/licenses/LICENSE-2.0
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

// pinchglass: wasm-bindgen-rayon 1.3.0's src/workerHelpers.no-bundler.js with two changes, put in
// place of the generated snippet by build.sh (which checks that the generated file is still the
// upstream one it was written against).
//
// Upstream, startWorkers() creates the thread workers itself, i.e. inside our compute worker
// (nested workers). In Firefox 153 ESR that `new Worker()` call sometimes never returns: the
// compute worker then blocks for good at "thread pool" (issue 15; measured with a step log, 3 of
// 40 and 3 of 24 fresh starts, whether the thread script is a blob: URL as upstream or the
// snippet's own URL, so the blob is not the cause). Here the compute worker asks the page to
// create each thread worker instead (message `wasm_bindgen_spawn`, served by
// www/compute-worker.js) and waits for `wasm_bindgen_spawned`; the page owns the threads and
// terminates them with the compute worker. The thread side (the init handler) is upstream's but
// for the form of the init call (one object, which the generated module asks for instead of
// warning on every thread start): the thread instantiates the module on the shared memory and
// enters rayon's loop.

function waitForMsgType(target, type, test = () => true) {
  return new Promise(resolve => {
    target.addEventListener('message', function onMsg({ data }) {
      if (data == null || data.type !== type || !test(data)) return;
      target.removeEventListener('message', onMsg);
      resolve(data);
    });
  });
}

// We need to wait for a specific message because this file is used both
// as a Worker and as a regular script, so it might receive unrelated
// messages on the page.
waitForMsgType(self, 'wasm_bindgen_worker_init').then(async data => {
  const pkg = await import(data.mainJS);
  await pkg.default({ module_or_path: data.module, memory: data.memory });
  postMessage({ type: 'wasm_bindgen_worker_ready' });
  pkg.wbg_rayon_start_worker(data.receiver);
});

export async function startWorkers(module, memory, builder) {
  if (builder.numThreads() === 0) {
    throw new Error(`num_threads must be > 0.`);
  }

  const workerInit = {
    type: 'wasm_bindgen_worker_init',
    module,
    memory,
    receiver: builder.receiver(),
    mainJS: builder.mainJS()
  };

  // The page creates thread k from this script, hands it workerInit, and answers once the thread
  // has posted wasm_bindgen_worker_ready (www/compute-worker.js).
  await Promise.all(
    Array.from({ length: builder.numThreads() }, (_, k) => {
      const spawned = waitForMsgType(self, 'wasm_bindgen_spawned', (d) => d.k === k);
      postMessage({ type: 'wasm_bindgen_spawn', k, script: import.meta.url, init: workerInit });
      return spawned;
    })
  );
  builder.build();
}
