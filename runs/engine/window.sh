#!/usr/bin/env bash
# Swap window K chosen by tau_alpha per CPU second (issue 10): 3D N = 500 at T_p = 0.5, seeds 1
# and 2, K = all, 128, 64, 32, 16 (in size ranks). tau_alpha in sweeps comes from these runs; the
# CPU cost per sweep of each K from `pinchglass bench --part mc --swap-window K` on a quiet
# machine. Usage: runs/engine/window.sh BINARY
set -euo pipefail
BIN=$1
cd "$(dirname "$0")"
for seed in 1 2; do
  for K in all 64 128 32 16; do
    out="window-K$K-s$seed"
    [ -s "$out.txt" ] && continue
    W=(--swap-window "$K")
    nice -n 10 "$BIN" tau --dim 3 --n 500 --tp 0.5 --seed "$seed" --equilibrate 20000 --sweeps 80000 "${W[@]}" \
      --overlap "$out.csv" > "$out.tmp" && mv "$out.tmp" "$out.txt"
  done
done
