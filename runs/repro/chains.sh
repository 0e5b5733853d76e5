#!/usr/bin/env bash
# Reproduction ensembles of issue 11 (the Boltzmann law of soft spots) with the chain protocol of
# issue 10: every chain walks down an annealing ladder, equilibrates ≥ 5 τ_α at each T_p (τ_α
# measured as it runs), then harvests 8 (2D) or 6 (3D) samples, 3 τ_α apart (--every-taus 3),
# each quenched and analysed with quartic modes (K spread soft-pinch starts + the SI S-4 strain
# starts). Chains are independent and resumable: rerunning the same command continues every
# chain from its checkpoint in DIR/state/ and gives the records an uninterrupted run gives.
#
#   runs/repro/chains.sh BINARY 2d|3d A..B      # chains A..B (end exclusive), one after another
#
# 2D: N = 500, T_p = 7 … 1.0 (2.3 … 0.33 T_onset with the shipped T_onset = 3.0), 8 chains.
# 3D: N = 1000, T_p = 2 … 0.35 (2.5 … 0.44 T_onset with T_onset = 0.8), 8 chains.
# Threads: RAYON_NUM_THREADS (default 1: the chains of a shard run one after another). The
# records do not depend on it, nor on how the chains are sharded.
set -euo pipefail
BIN=$1; WHICH=$2; SHARD=$3
cd "$(dirname "$0")"
COMMON=(--every 1000 --every-taus 3 --block 1000 --equilibrate-taus 5 --min-equilibrate 5000
        --max-equilibrate 2000000 --chains 8 --shard "$SHARD" --seed 1)
case $WHICH in
  2d) ARGS=(--dim 2 --n 500 --tp 7,5,4,3.5,3,2.5,2,1.7,1.5,1.3,1.15,1.0 --harvests 8 --quartic 40 -o 2d-n500) ;;
  3d) ARGS=(--dim 3 --n 1000 --tp 2,1.4,1.1,0.9,0.8,0.7,0.6,0.5,0.45,0.4,0.35 --harvests 6 --quartic 50 -o 3d-n1000) ;;
  *) echo "usage: $0 BINARY 2d|3d A..B" >&2; exit 2 ;;
esac
mkdir -p "${ARGS[-1]}"
RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-1} nice -n 10 "$BIN" chains "${ARGS[@]}" "${COMMON[@]}" \
  2>> "${ARGS[-1]}/chains-$SHARD.log"
