#!/usr/bin/env bash
# The page's engine (single-threaded wasm package, in Node.js's V8), two builds compared fairly:
# `node tests/e2e/bench-engine.mjs` of OLD and NEW package directories alternately, twice (old,
# new, old, new), with the time and load average before each run; quote the mean of the two runs'
# medians. Session 11's comparison (daae183's engine with the bench export against the 2-lane
# SIMD kernel):
#   git worktree add /work/wt-old daae183   # + src/pipeline/engine_bench.rs, src/wasm/bench.rs and
#                                           # their three `mod`/`use` lines copied in
#   (cd /work/wt-old && env -u RUSTFLAGS cargo +1.95.0 build --lib --release --no-default-features \
#      --target wasm32-unknown-unknown --config wasm/single.toml --target-dir /work/target-old)
#   wasm-bindgen --target web --out-dir /work/pkg-old /work/target-old/wasm32-unknown-unknown/release/pinchglass.wasm
#   node_modules/.bin/wasm-opt -O3 --enable-simd … (the flags of build.sh's build_wasm_variant)
#   runs/engine/bench-wasm-interleaved.sh /work/pkg-old www/pkg-single --n 2000 --moves 2e6 \
#     > runs/engine/bench-wasm-2026-12-01-session11.txt
# Extra arguments go to both runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
OLD=$1
NEW=$2
shift 2
for run in 1 2; do
  for pkg in "$OLD" "$NEW"; do
    echo "=== $pkg run $run $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    node tests/e2e/bench-engine.mjs --pkg "$pkg" --repeats 3 "$@"
  done
done
