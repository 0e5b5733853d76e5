#!/bin/bash
# The runs behind docs/reproduction.md, exactly as they were made (from the repository root, with
# `pinchglass` on the PATH: a build of the commit named in each part below, since each part's
# records carry the engine tag of the binary that made them). Each sweep appends its records to
# runs/<dir>/samples-<tag>-0-<M>.jsonl and its parameters, command and wall time to
# runs/<dir>/sweep-<tag>-0-<M>.json; `summarize` merges them into runs/<dir>/summary.json.
set -euo pipefail
# These records were made by the first Monte Carlo engine (swap-mc-1, commit 6ca431a, 2026-11-26).
# Later engines (swap-mc-2 … swap-mc-4, docs/engine.md) sample the same distribution with other
# random streams: to get these exact records, build that commit (git checkout 6ca431a); with the
# current engine the commands give statistically equivalent, not identical, records, and
# `summarize` refuses to pool the two engines' records in one directory.

# 2D, N = 300, dense route (every mode), quartic modes from the 10 softest pinches per sample
pinchglass sweep --dim 2 --n 300 --tp 3,4,6,10 --samples 20 --sweeps 2000 --seed 1 --quartic 10 --tag hot -o runs/2d-n300
pinchglass sweep --dim 2 --n 300 --tp 1.5,2 --samples 20 --sweeps 8000 --seed 1 --quartic 10 --tag deep -o runs/2d-n300
pinchglass summarize runs/2d-n300 --calibration calibration/poly-2d/calibration.json

# 3D, N = 500, sparse route (sparse Cholesky + the lowest modes by shift-invert Lanczos)
pinchglass sweep --dim 3 --n 500 --tp 0.7,0.8,1.0,1.3 --samples 12 --sweeps 2500 --seed 1 --route sparse --tag hot -o runs/3d-n500
pinchglass sweep --dim 3 --n 500 --tp 0.55,0.6 --samples 10 --sweeps 5000 --seed 1 --route sparse --tag deep -o runs/3d-n500
pinchglass summarize runs/3d-n500 --calibration calibration/poly-3d/calibration.json

# ---------------------------------------------------------------------------------------------
# The reproduction ensembles of issue 11 (engine swap-mc-2, chains down an annealing ladder; see
# runs/repro/README.md). They need a binary of engine swap-mc-2 (build commit 56090c5; the current
# engine, swap-mc-4, refuses their checkpoints; calibrate, summarize and figures take any binary). Each command resumes its chains from runs/repro/<dir>/state/ when rerun;
# the shards may run on different machines (records do not depend on sharding or threads).
runs/repro/chains.sh "$(command -v pinchglass)" 2d 0..4
runs/repro/chains.sh "$(command -v pinchglass)" 2d 4..8
runs/repro/chains.sh "$(command -v pinchglass)" 3d 0..2
runs/repro/chains.sh "$(command -v pinchglass)" 3d 2..4
runs/repro/chains.sh "$(command -v pinchglass)" 3d 4..6
runs/repro/chains.sh "$(command -v pinchglass)" 3d 6..8
# units from the same records (the plateau of the median G over the whole ladder; --samples is the
# least number of samples every T_p must have), copied to calibration/poly-{2d,3d}/ as the shipped
# units; then the summaries
pinchglass calibrate --dim 2 --n 500 --tp 7,5,4,3.5,3,2.5,2,1.7,1.5,1.3,1.15,1.0 --samples 64 --reuse -o runs/repro/2d-n500
pinchglass calibrate --dim 3 --n 1000 --tp 2,1.4,1.1,0.9,0.8,0.7,0.6,0.5,0.45,0.4,0.35 --samples 48 --reuse -o runs/repro/3d-n1000
cp runs/repro/2d-n500/calibration.json calibration/poly-2d/calibration.json
cp runs/repro/3d-n1000/calibration.json calibration/poly-3d/calibration.json
pinchglass summarize runs/repro/2d-n500 --calibration runs/repro/2d-n500/calibration.json
pinchglass summarize runs/repro/3d-n1000 --calibration runs/repro/3d-n1000/calibration.json

# the figures of docs/reproduction.md
pinchglass figures runs/repro/2d-n500 --calibration runs/repro/2d-n500/calibration.json -o docs/figures/2d-n500
pinchglass figures runs/repro/3d-n1000 --calibration runs/repro/3d-n1000/calibration.json -o docs/figures/3d-n1000
