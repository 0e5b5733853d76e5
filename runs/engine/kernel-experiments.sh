#!/usr/bin/env bash
# Session 15: is the engine's pair kernel arithmetic-bound? Times the AVX-512 kernel against a
# single-precision 16-lane copy and a fused new+old pass (runs/engine/kernel-experiments/src/main.rs).
# Output: runs/engine/kernel-experiments-2026-12-01.txt
set -euo pipefail
cd "$(dirname "$0")/kernel-experiments"
cargo build --release --target-dir "${TMPDIR:-/tmp}/kernel-experiments" >&2
bin="${TMPDIR:-/tmp}/kernel-experiments/release/kernel-experiments"
for n in 500 2000 8000; do echo "# N = $n, skin 0.6"; "$bin" "$n" 0.6; done
echo "# N = 2000, skin 0.6, rows of consecutive indices"; "$bin" 2000 0.6 contig
