#!/usr/bin/env bash
# The ladder half of hot-vs-ladder.sh alone (to run it beside the hot half).
set -euo pipefail
BIN=$1
cd "$(dirname "$0")"
COMMON=(--dim 3 --n 500 --chains 4 --harvests 6 --every 30000 --equilibrate-taus 5
        --min-equilibrate 20000 --block 1000 --route dense --seed 1)
RAYON_NUM_THREADS=${THREADS:-1} nice -n 10 "$BIN" chains "${COMMON[@]}" --tp 0.6,0.5,0.45 -o ladder-045 2>> ladder-045.log
