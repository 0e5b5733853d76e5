#!/usr/bin/env python3
"""The two instrumented builds of the Firefox first-run stall experiment (issue 15), made from a
built www/ (./build.sh wasm) and wasm-bindgen-rayon 1.3.0's upstream worker snippet:

  OUT/www-nested-blob    upstream thread start (nested workers from a blob: URL), step log
  OUT/www-nested-direct  the same, the snippet's own URL instead of the blob (step log)

Each step of startWorkers() is posted to the page as {type: 'starting', step: 'rayon k: ...'},
which the page keeps per compute worker (window.pinchglass.workerStallLogs when the watchdog
replaces a stalled worker). The fixed build (the page starts the threads) is www/ itself.

  python3 runs/firefox-stall/make-variants.py [--www www] [--out /tmp]
"""
import argparse, glob, os, shutil

ap = argparse.ArgumentParser()
ap.add_argument('--www', default='www')
ap.add_argument('--out', default='/tmp')
a = ap.parse_args()
upstream = glob.glob(os.path.expanduser(
    '~/.cargo/registry/src/*/wasm-bindgen-rayon-1.3.0/src/workerHelpers.no-bundler.js'))[0]
src = open(upstream).read()
old = src[src.index('    Array.from({ length: builder.numThreads() }, async () => {'):
          src.index("      URL.revokeObjectURL(url);")]
log = """    Array.from({ length: builder.numThreads() }, async (_, k) => {
      const st = (s) => postMessage({ type: 'starting', step: `rayon ${k}: ${s}` });
"""
blob = log + """      st('fetch');
      let resp = await fetch(import.meta.url);
      st('fetched ' + resp.status);
      let scriptBlob = await resp.blob();
      st('blob');
      let url = URL.createObjectURL(scriptBlob);
      st('objurl');
"""
direct = log + """      const url = import.meta.url;
      st('objurl');
"""
tail = """      const worker = new Worker(url, {
        type: 'module'
      });
      st('new Worker');
      worker.addEventListener('error', (e) => st('error ' + e.message));
      worker.postMessage(workerInit);
      st('posted');
      await waitForMsgType(worker, 'wasm_bindgen_worker_ready');
      st('ready');
"""
for name, head in [('www-nested-blob', blob), ('www-nested-direct', direct)]:
    dst = os.path.join(a.out, name)
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(a.www, dst)
    body = src.replace(old, head + tail)
    if name == 'www-nested-direct':
        body = body.replace('      URL.revokeObjectURL(url);\n', '')
    for f in glob.glob(os.path.join(dst, 'pkg-threads/snippets/wasm-bindgen-rayon-*/src/workerHelpers.no-bundler.js')):
        open(f, 'w').write(body)
    print(dst)
