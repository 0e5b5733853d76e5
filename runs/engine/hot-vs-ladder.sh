#!/usr/bin/env bash
# Issue 10: at 3D T_p = 0.45 (N = 500), the mean inherent-state energy of samples harvested from
# chains started hot (random start at 0.45) and from the annealing ladder 0.6 → 0.5 → 0.45.
# 4 chains each, 6 harvests per T_p, 30 000 sweeps apart (≥ 2 τ_α measured at 0.45).
# Usage: runs/engine/hot-vs-ladder.sh BINARY
set -euo pipefail
BIN=$1
cd "$(dirname "$0")"
COMMON=(--dim 3 --n 500 --chains 4 --harvests 6 --every 30000 --equilibrate-taus 5
        --min-equilibrate 20000 --block 1000 --route dense --seed 1)
RAYON_NUM_THREADS=${THREADS:-1} nice -n 10 "$BIN" chains "${COMMON[@]}" --tp 0.45 -o hot-045 2> hot-045.log
RAYON_NUM_THREADS=${THREADS:-1} nice -n 10 "$BIN" chains "${COMMON[@]}" --tp 0.6,0.5,0.45 -o ladder-045 2> ladder-045.log
