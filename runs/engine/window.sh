#!/usr/bin/env bash
# Swap window K chosen by tau_alpha per CPU second (issue 10): 3D N = 500 at T_p = 0.5, the same
# seed, K = all, 64, 16, 4. Usage: runs/engine/window.sh [pinchglass binary]
set -euo pipefail
BIN=${1:-target/release/pinchglass}
cd "$(dirname "$0")"
for K in all 64 16 4; do
  W=(); [ "$K" = all ] || W=(--swap-window "$K")
  nice -n 10 "$BIN" tau --dim 3 --n 500 --tp 0.5 --seed 1 --equilibrate 20000 --sweeps 80000 "${W[@]}" \
    --overlap "window-K$K.csv" > "window-K$K.txt"
done
