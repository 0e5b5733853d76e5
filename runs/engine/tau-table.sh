#!/usr/bin/env bash
# tau_alpha table of issue 10: 3D N = 1000 at T_p = 0.6, 0.5, 0.45, 0.4, 0.35 and 2D N = 300 at
# T_p = 2, 1.5, 1.25, 1.0 (self-overlap, a = 0.3), default swap window (any partner) unless
# WINDOW=K is set. Each colder T_p starts from the saved end state of the previous one (a ladder).
# Outputs tau-<d>d-<T_p>.txt (the summary), .csv (Q(t)), .xyz (end state). Usage:
#   runs/engine/tau-table.sh BINARY [2d|3d]
set -euo pipefail
BIN=$1; WHICH=${2:-both}
cd "$(dirname "$0")"
W=(); [ -n "${WINDOW:-}" ] && W=(--swap-window "$WINDOW")
run() { # dim n tp equilibrate sweeps [start]
  local d=$1 n=$2 tp=$3 eq=$4 sw=$5 start=${6:-}
  local out="tau-${d}d-$tp"
  [ -s "$out.txt" ] && { echo "$out done"; return; }
  local S=(); [ -n "$start" ] && S=(--start "$start")
  nice -n 10 "$BIN" tau --dim "$d" --n "$n" --tp "$tp" --seed 1 --equilibrate "$eq" --sweeps "$sw" \
    "${W[@]}" "${S[@]}" --overlap "$out.csv" --save "$out.xyz" > "$out.tmp" && mv "$out.tmp" "$out.txt"
}
if [ "$WHICH" != 3d ]; then
  run 2 300 2    10000  40000
  run 2 300 1.5  20000  80000  tau-2d-2.xyz
  run 2 300 1.25 40000 200000  tau-2d-1.5.xyz
  run 2 300 1.0  80000 400000  tau-2d-1.25.xyz
fi
if [ "$WHICH" != 2d ]; then
  run 3 1000 0.6   20000   40000
  run 3 1000 0.5   40000  100000  tau-3d-0.6.xyz
  run 3 1000 0.45  60000  200000  tau-3d-0.5.xyz
  run 3 1000 0.4  120000  400000  tau-3d-0.45.xyz
  run 3 1000 0.35 300000  900000  tau-3d-0.4.xyz
fi
