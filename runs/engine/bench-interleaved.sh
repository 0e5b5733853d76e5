#!/usr/bin/env bash
# The engine's speed, two builds compared fairly on a shared machine (issue 10): `pinchglass bench
# --part mc --repeats 3` of OLD and NEW alternately, twice (old, new, old, new), with the time and
# load average before each run; quote the mean of the two runs' medians. Session 9's comparison:
#   runs/engine/bench-interleaved.sh /work/runbin/pinchglass-9935cd1 /work/runbin/pinchglass-cb0646e \
#     > runs/engine/bench-mc-2026-11-30-session9.txt
# (the binaries: `cargo build --release` at those commits, copied out of target/ so that rebuilds
# do not change them). Then the portable kernel of the new build alone:
#   NEW bench --part mc --mc-n 2000 --repeats 3 --mc-kernel portable
# Extra arguments go to both benches (e.g. --mc-dim 3 --mc-n 2000).
set -euo pipefail
OLD=$1
NEW=$2
shift 2
for run in 1 2; do
  for bin in "$OLD" "$NEW"; do
    echo "=== $(basename "$bin") run $run $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    "$bin" bench --part mc --repeats 3 "$@"
  done
done
