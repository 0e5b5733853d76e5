#!/usr/bin/env bash
# The background measurements of issue 10 in order (one core): the swap-window study (any-partner
# and explicit windows, so the default does not matter), then the tau_alpha table with the default
# window N/8. Usage: runs/engine/run-all.sh BINARY
set -euo pipefail
BIN=$1
cd "$(dirname "$0")"
./window.sh "$BIN"
./tau-table.sh "$BIN" 2d
./tau-table.sh "$BIN" 3d
