#!/usr/bin/env bash
# The parent states the page's Fig. 1 compare view ships (issue 14): one equilibrated chain,
# 2D, N = 2000, density 0.86, down an annealing ladder from T_p = 4 to 1.0 (1.33 … 0.33 T_onset
# with the shipped T_onset = 3.0), ≥ 5 τ_α at every rung, one harvest 3 τ_α later; every harvested
# parent state written as extended XYZ (state=parent, with τ_α and the equilibration verdict) to
# runs/fig1/2d-n2000/parents/. Resumable like every chain (rerun the same command).
#
#   runs/fig1/run.sh BINARY
set -euo pipefail
BIN=$1
cd "$(dirname "$0")"
RAYON_NUM_THREADS=1 "$BIN" chains --dim 2 --n 2000 --tp 4,3,2.4,2,1.7,1.5,1.3,1.15,1.0 \
  --chains 1 --harvests 1 --every 1000 --every-taus 3 --block 1000 --equilibrate-taus 5 \
  --min-equilibrate 5000 --max-equilibrate 2000000 --seed 7 --parents -o 2d-n2000 \
  2>> 2d-n2000.log
