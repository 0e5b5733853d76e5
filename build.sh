#!/usr/bin/env bash
# pinchglass build / test / serve entry point.
#
#   ./build.sh test    Rust tests (release), release CLI, independent numpy/scipy check,
#                      both wasm builds, wasm API tests (wasm-bindgen-test) and end-to-end
#                      tests of the page in headless Chromium
#   ./build.sh wasm    build the two wasm modules of the browser explorer into www/pkg-*/
#   ./build.sh serve   build if needed, serve www/ on http://127.0.0.1:8000 with COOP/COEP headers
#   ./build.sh bench   run the CLI's benchmark (cargo run --release -- bench)
#   ./build.sh bench-web   the page's stages threaded vs single-threaded vs native (tests/e2e/bench.mjs)
#   ./build.sh bench-engine-wasm   the page's swap Monte Carlo engine (wasm in Node.js), as `bench --part mc`
#   ./build.sh fuzz    fuzz the extended-XYZ reader with 10^6 generated and mutated files
#                      (tests/fuzz_xyz.rs; PINCHGLASS_FUZZ_INPUTS, PINCHGLASS_FUZZ_SEED)
#
# Idempotent and non-interactive (safe with CI=true, no stdin). Layout: small ensure_* functions
# install or check one toolchain each, build_* functions build one artefact, cmd_* functions are
# the subcommands and only call those. Later build steps get their own ensure_*/build_* functions.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

MIN_RUST="1.95.0"          # Cargo.toml rust-version
PINNED_RUST="1.95.0"       # installed through rustup if the default cargo is older
MIN_PYTHON="3.11"          # numpy 2.4 / scipy 1.17 need it
VENV="$ROOT/.venv"
REQUIREMENTS="$ROOT/tests/requirements.txt"
# Browser explorer (shared/docs/wasm-threads.md: versions measured to work together).
WASM_NIGHTLY="nightly-2026-05-20"   # threaded build: atomics + -Z build-std
WASM_TARGET="wasm32-unknown-unknown"
WASM_BINDGEN_VERSION="0.2.130"     # must equal the `=0.2.130` pin in Cargo.toml
CHROMIUM="/usr/bin/chromium"
CHROMEDRIVER="/usr/bin/chromedriver"   # Debian's chromium-driver (tests/wasm_api.rs)
FIREFOX="/usr/bin/firefox-esr"          # Debian's firefox-esr (tests/e2e/firefox.mjs, over WebDriver BiDi)
FIREFOX_STARTS="${FIREFOX_STARTS:-10}"  # fresh-profile starts of the header-less route in the Firefox tests
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

export CARGO_TERM_PROGRESS_WHEN=never
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_NO_INPUT=1
export DEBIAN_FRONTEND=noninteractive

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# version_ge A B: true if dotted version A >= B
version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# ----------------------------------------------------------------------------- toolchains

CARGO=(cargo)

ensure_rust() {
    log "checking the Rust toolchain (cargo >= $MIN_RUST)"
    local have=""
    if command -v cargo >/dev/null 2>&1; then
        have="$(cargo --version | awk '{print $2}')"
        have="${have%%-*}"
    fi
    if [ -n "$have" ] && version_ge "$have" "$MIN_RUST"; then
        log "using cargo $have"
        CARGO=(cargo)
        return
    fi
    command -v rustup >/dev/null 2>&1 \
        || die "cargo ${have:-not found} is older than $MIN_RUST and rustup is not installed; install Rust >= $MIN_RUST"
    if ! rustup toolchain list | grep -q "^${PINNED_RUST}-"; then
        log "installing Rust $PINNED_RUST with rustup (default cargo is ${have:-missing})"
        rustup toolchain install "$PINNED_RUST" --profile minimal
    fi
    CARGO=(cargo "+$PINNED_RUST")
    log "using $("${CARGO[@]}" --version)"
}

PYTHON=""

find_python() {
    local cand v
    for cand in python3 python; do
        command -v "$cand" >/dev/null 2>&1 || continue
        v="$("$cand" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || continue
        if version_ge "$v" "$MIN_PYTHON"; then
            PYTHON="$(command -v "$cand")"
            return 0
        fi
    done
    return 1
}

ensure_python_env() {
    log "checking Python >= $MIN_PYTHON"
    find_python || die "need Python >= $MIN_PYTHON (python3) for the independent check"
    log "using $("$PYTHON" --version) at $PYTHON"

    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        log "creating the virtual environment $VENV"
        rm -rf "$VENV"
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
                log "python venv module missing: installing python3-venv with apt-get"
                apt-get update -qq
                apt-get install -y -qq python3-venv
                rm -rf "$VENV"
                "$PYTHON" -m venv "$VENV"
            else
                die "'$PYTHON -m venv' failed; install the venv module (Debian: python3-venv)"
            fi
        fi
    fi

    local stamp="$VENV/.requirements.sha256" want
    want="$(sha256sum "$REQUIREMENTS" | awk '{print $1}')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && "$VENV/bin/python" -c 'import numpy, scipy, ase' >/dev/null 2>&1; then
        log "Python requirements already installed (tests/requirements.txt unchanged)"
    else
        log "installing Python requirements from tests/requirements.txt"
        "$VENV/bin/python" -m pip install --quiet --no-input -r "$REQUIREMENTS"
        printf '%s\n' "$want" >"$stamp"
    fi
}

# Rust toolchains of the two wasm builds: the dated nightly (with rust-src for build-std) and the
# pinned stable, each with the wasm32 target. Installed explicitly (RUSTUP_AUTO_INSTALL=0 here).
ensure_wasm_toolchains() {
    command -v rustup >/dev/null 2>&1 || die "rustup is needed for the wasm builds (dated nightly + wasm32 target)"
    if ! rustup toolchain list | grep -q "^${WASM_NIGHTLY}-" \
        || ! rustup component list --toolchain "$WASM_NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' \
        || ! rustup target list --toolchain "$WASM_NIGHTLY" --installed 2>/dev/null | grep -q "^$WASM_TARGET\$"; then
        log "installing $WASM_NIGHTLY (rust-src, $WASM_TARGET) with rustup"
        rustup toolchain install "$WASM_NIGHTLY" --profile minimal -c rust-src -t "$WASM_TARGET"
    fi
    if ! rustup toolchain list | grep -q "^${PINNED_RUST}-"; then
        log "installing Rust $PINNED_RUST with rustup (single-threaded wasm build)"
        rustup toolchain install "$PINNED_RUST" --profile minimal
    fi
    if ! rustup target list --toolchain "$PINNED_RUST" --installed | grep -q "^$WASM_TARGET\$"; then
        log "adding the $WASM_TARGET target to Rust $PINNED_RUST"
        rustup target add "$WASM_TARGET" --toolchain "$PINNED_RUST"
    fi
}

# The wasm-bindgen CLI, exactly the version of the wasm-bindgen crate (otherwise it refuses).
ensure_wasm_bindgen_cli() {
    local have=""
    if command -v wasm-bindgen >/dev/null 2>&1; then
        have="$(wasm-bindgen --version | awk '{print $2}')"
    fi
    if [ "$have" != "$WASM_BINDGEN_VERSION" ]; then
        log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (have: ${have:-none}; takes a few minutes)"
        "${CARGO[@]}" install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
        have="$(wasm-bindgen --version | awk '{print $2}')"
        [ "$have" = "$WASM_BINDGEN_VERSION" ] || die "wasm-bindgen --version says $have, need $WASM_BINDGEN_VERSION"
    fi
    log "using wasm-bindgen $have"
}

# npm packages from the committed lockfile: binaryen (wasm-opt), coi-serviceworker, playwright-core,
# puppeteer-core (Firefox over WebDriver BiDi).
ensure_npm_packages() {
    command -v npm >/dev/null 2>&1 || die "npm is needed (Debian: apt-get install nodejs npm)"
    local stamp="$ROOT/node_modules/.package-lock.sha256" want
    want="$(sha256sum "$ROOT/package-lock.json" | awk '{print $1}')"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
        log "npm packages already installed (package-lock.json unchanged)"
        return
    fi
    log "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
    printf '%s\n' "$want" >"$stamp"
}

# apt_install BINARY MISSING PACKAGE...: installs Debian PACKAGEs with apt-get (as root) so that
# BINARY exists; without apt-get or root, stops with MISSING (what to install by hand).
apt_install() {
    local binary="$1" missing="$2"
    shift 2
    command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ] || die "$missing"
    log "installing $* with apt-get"
    apt-get update -qq
    apt-get install -y -qq "$@" >/dev/null
    [ -x "$binary" ] || die "apt-get did not install $binary"
}

# Debian's chromium for the end-to-end tests (playwright's own browser download does not work here).
ensure_chromium() {
    [ -x "$CHROMIUM" ] && return
    apt_install "$CHROMIUM" "$CHROMIUM is missing; install Debian's chromium and chromium-driver" \
        chromium chromium-driver
}

# Debian's firefox-esr for the Firefox end-to-end tests (puppeteer-core drives it over WebDriver
# BiDi; no browser download).
ensure_firefox() {
    [ -x "$FIREFOX" ] && return
    apt_install "$FIREFOX" "$FIREFOX is missing; install Debian's firefox-esr" firefox-esr
}

# Debian's chromedriver for the wasm-bindgen-test runner (tests/wasm_api.rs). It must be the
# same Chromium release as /usr/bin/chromium; apt-get installs or upgrades the two together.
ensure_chromedriver() {
    local driver="" browser=""
    [ -x "$CHROMEDRIVER" ] && driver="$("$CHROMEDRIVER" --version 2>/dev/null | awk '{print $2}')"
    [ -x "$CHROMIUM" ] && browser="$("$CHROMIUM" --version 2>/dev/null | awk '{print $2}')"
    if [ -n "$driver" ] && [ "$driver" = "$browser" ]; then
        log "using chromedriver $driver"
        return
    fi
    log "chromedriver and chromium differ (driver ${driver:-none}, browser ${browser:-none})"
    apt_install "$CHROMEDRIVER" "$CHROMEDRIVER is missing or does not match $CHROMIUM (${driver:-none} vs ${browser:-none}); install Debian's chromium and chromium-driver" \
        chromium chromium-driver
    log "using $("$CHROMEDRIVER" --version | awk '{print $1, $2}')"
}

# ----------------------------------------------------------------------------- builds

build_cli() {
    log "building the release CLI (cargo build --release)"
    "${CARGO[@]}" build --release
    [ -x "$ROOT/target/release/pinchglass" ] || die "target/release/pinchglass was not built"
}

# Hash of everything a wasm build depends on (sources, manifests, cargo configs, pinned versions).
wasm_inputs_hash() {
    # the sources and what they include_str!/include_bytes! (shipped calibrations, the font)
    { find "$ROOT/src" -type f -name '*.rs' -print0 | sort -z | xargs -0 sha256sum
      find "$ROOT/calibration" "$ROOT/assets" -type f -print0 | sort -z | xargs -0 sha256sum
      sha256sum "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$ROOT/build.rs" "$ROOT"/wasm/*.toml "$ROOT/wasm/rayon-worker-helpers.js" "$ROOT/package-lock.json"
      # the engine version written into files and records names the commit (build.rs)
      git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo "no git"
      echo "$WASM_NIGHTLY $PINNED_RUST $WASM_BINDGEN_VERSION"; } | sha256sum | awk '{print $1}'
}

# build_wasm_variant NAME: `threads` (nightly, atomics, build-std, feature threads) or `single`
# (stable). Output: www/pkg-NAME/ (wasm-bindgen --target web, then wasm-opt -O3 from npm binaryen).
build_wasm_variant() {
    local name="$1" hash="$2"
    local out="$ROOT/www/pkg-$name" target_dir="$ROOT/target/wasm-$name"
    local stamp="$out/.inputs.sha256"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -f "$out/pinchglass_bg.wasm" ]; then
        log "wasm ($name): up to date"
        return
    fi
    local cargo_args=(build --lib --release --no-default-features --target "$WASM_TARGET"
        --target-dir "$target_dir")
    local opt_features=(--enable-simd --enable-bulk-memory --enable-mutable-globals
        --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue)
    local toolchain
    if [ "$name" = threads ]; then
        toolchain="$WASM_NIGHTLY"
        cargo_args+=(--config "$ROOT/wasm/threaded.toml" -Z build-std=panic_abort,std --features threads)
        opt_features+=(--enable-threads)
    else
        toolchain="$PINNED_RUST"
        cargo_args+=(--config "$ROOT/wasm/single.toml")
    fi
    log "wasm ($name): cargo +$toolchain ${cargo_args[*]}"
    if [ ! -d "$target_dir/$WASM_TARGET" ]; then
        log "wasm ($name): the first build compiles its dependencies too (minutes; later builds only pinchglass)"
    fi
    if [ "$name" = threads ]; then
        log "wasm (threads): the nightly warns 'unstable feature specified for -Ctarget-feature: atomics': expected, shared-memory threads need it"
    fi
    # RUSTFLAGS would override the rustflags of the --config file
    env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS cargo "+$toolchain" "${cargo_args[@]}"
    rm -rf "$out"
    wasm-bindgen --target web --out-dir "$out" \
        "$target_dir/$WASM_TARGET/release/pinchglass.wasm"
    log "wasm ($name): wasm-opt -O3 (binaryen from npm)"
    "$ROOT/node_modules/.bin/wasm-opt" -O3 "${opt_features[@]}" \
        "$out/pinchglass_bg.wasm" -o "$out/pinchglass_bg.opt.wasm"
    mv "$out/pinchglass_bg.opt.wasm" "$out/pinchglass_bg.wasm"
    if [ "$name" = threads ]; then
        grep -q 'shared:true' "$out/pinchglass.js" \
            || die "the threaded build is NOT threaded: www/pkg-threads/pinchglass.js has no shared memory (shared:true)"
        [ -d "$out/snippets" ] || die "the threaded build has no wasm-bindgen-rayon worker snippet"
        install_rayon_worker_helpers "$out"
    fi
    printf '%s\n' "$hash" >"$stamp"
    log "wasm ($name): $(wc -c <"$out/pinchglass_bg.wasm") bytes in www/pkg-$name/"
}

# wasm-bindgen-rayon's worker snippet (generated by wasm-bindgen) is replaced by
# wasm/rayon-worker-helpers.js, in which the page, not the compute worker, starts the thread workers
# (Firefox sometimes never returns from `new Worker()` inside a worker: issue 15). Refuses a snippet
# other than the upstream one that file was written against (wasm-bindgen-rayon 1.3.0).
RAYON_SNIPPET_SHA256=9801503f464f848c6c7405462fca9a5c721556904c5fee5ee0afcb0887ea1b7f
install_rayon_worker_helpers() {
    local out="$1" f
    f=("$out"/snippets/wasm-bindgen-rayon-*/src/workerHelpers.no-bundler.js)
    [ "${#f[@]}" -eq 1 ] && [ -f "${f[0]}" ] \
        || die "expected one wasm-bindgen-rayon worker snippet in $out/snippets, found: ${f[*]}"
    [ "$(sha256sum "${f[0]}" | awk '{print $1}')" = "$RAYON_SNIPPET_SHA256" ] \
        || die "wasm-bindgen-rayon's worker snippet ${f[0]} is not the one wasm/rayon-worker-helpers.js was written against (sha256 $RAYON_SNIPPET_SHA256): port that file's change to the new snippet, then update RAYON_SNIPPET_SHA256 in build.sh"
    cp "$ROOT/wasm/rayon-worker-helpers.js" "${f[0]}"
    log "wasm (threads): wasm-bindgen-rayon's worker snippet replaced by wasm/rayon-worker-helpers.js (the page starts the threads)"
}

# Both wasm builds of the explorer, plus coi-serviceworker.js copied next to index.html (gitignored).
build_wasm() {
    ensure_wasm_toolchains
    ensure_wasm_bindgen_cli
    ensure_npm_packages
    local hash
    hash="$(wasm_inputs_hash)"
    build_wasm_variant single "$hash"
    build_wasm_variant threads "$hash"
    cp "$ROOT/node_modules/coi-serviceworker/coi-serviceworker.js" "$ROOT/www/coi-serviceworker.js"
    build_lecture_data
}

# The single-threaded module alone (what the engine benchmark in Node.js needs).
build_wasm_single() {
    ensure_wasm_toolchains
    ensure_wasm_bindgen_cli
    ensure_npm_packages
    build_wasm_variant single "$(wasm_inputs_hash)"
}

# The Lecture mode's data, www/data/{2d,3d}/: summary.json, calibration.json and provenance.json,
# listed in www/data/index.json, from the ensembles named in runs/lecture-manifest.json (per
# dataset: its directory under runs/, the calibration file, the summarize command). The provenance
# lists every part of the ensemble (each sweep-*.json or chains-*.json with its samples file): its
# command, samples, T_p, sweeps per sample, engine and date (the samples file's last git commit,
# else its modification time). summary.json files are gitignored, so www/data/ is committed and
# this refreshes it where the sources exist; a file is written only when its content changes.
build_lecture_data() {
    log "lecture data: www/data/ from the ensembles of runs/lecture-manifest.json"
    node --input-type=module - "$ROOT" <<'EOF'
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
const root = process.argv[2];
const out = path.join(root, 'www', 'data');
const rel = (p) => path.relative(root, p);
const json = (p) => { try { return JSON.parse(fs.readFileSync(p, 'utf8')); } catch { return null; } };
const write = (p, text) => {
  if (fs.existsSync(p) && fs.readFileSync(p, 'utf8') === text) return;
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  console.log(`    wrote ${rel(p)}`);
};
const gitDate = (p) => {
  try {
    const d = execFileSync('git', ['-C', root, 'log', '-1', '--format=%cs', '--', rel(p)], { encoding: 'utf8' }).trim();
    if (d) return d;
  } catch { /* not a git checkout */ }
  return new Date(fs.statSync(p).mtimeMs).toISOString().slice(0, 10);
};
const range = (v) => { const a = Math.min(...v), b = Math.max(...v); return a === b ? `${a}` : `${a}–${b}`; };
const pinchglass = (cmd) => cmd.replace(/^\S+/, 'pinchglass');
const manifest = json(path.join(root, 'runs', 'lecture-manifest.json'));
if (!manifest) { console.log('    runs/lecture-manifest.json missing: www/data/ left as it is'); process.exit(0); }
for (const entry of manifest.datasets) {
  const dir = path.join(root, entry.dir);
  const summaryPath = path.join(dir, 'summary.json');
  if (!fs.existsSync(summaryPath)) { console.log(`    ${rel(summaryPath)} missing (run: ${entry.summarize}): ${entry.id} left as it is`); continue; }
  const summaryText = fs.readFileSync(summaryPath, 'utf8');
  const summary = JSON.parse(summaryText);
  const rows = summary.temperatures ?? [];
  const dim = rows[0]?.dim;
  const calPath = entry.calibration ? path.join(root, entry.calibration) : null;
  const cal = calPath && fs.existsSync(calPath) ? json(calPath) : null;
  // the parts: each parameter file with its samples file
  const heads = fs.readdirSync(dir).filter((f) => /^(sweep|chains)-.*\.json$/.test(f)).sort();
  const parts = heads.map((f) => {
    const head = json(path.join(dir, f)) ?? {};
    const stem = f.replace(/\.json$/, '');
    const chains = stem.startsWith('chains');
    const samplesFile = path.join(dir, chains ? `samples-${stem}.jsonl` : `samples-${stem.replace(/^sweep-/, '')}.jsonl`);
    const recs = fs.existsSync(samplesFile)
      ? fs.readFileSync(samplesFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [];
    return {
      kind: chains ? 'chains' : 'sweep',
      command: head.command ? pinchglass(head.command) : null,
      samples: recs.length,
      tp: [...new Set(recs.map((r) => r.tp))].sort((a, b) => b - a),
      sweeps_per_sample: recs.length ? range(recs.map((r) => r.sweeps)) : null,
      protocol: chains
        ? `chains down the ladder T_p = ${(head.ladder ?? []).join(', ')}: each T_p equilibrated for at least ${head.equilibrate_taus} τ_α, then a harvest every ${head.every_taus ? `max(${head.every}, ${head.every_taus} τ_α)` : head.every} sweeps`
        : `independent samples, ${head.sweeps} swap-MC sweeps each from a random start`,
      engine: (recs[0]?.engine ?? head.engine ?? 'swap-mc-1').split('+')[0],
      equilibrated: recs.filter((r) => r.equilibrated === true).length,
      assessed: recs.filter((r) => typeof r.equilibrated === 'boolean').length,
      file: rel(samplesFile),
      date: fs.existsSync(samplesFile) ? gitDate(samplesFile) : null,
    };
  }).filter((p) => p.samples > 0);
  const samples = rows.map((r) => r.samples);
  const dates = parts.map((p) => p.date).filter(Boolean).sort();
  const sweeps = parts.flatMap((p) => String(p.sweeps_per_sample ?? '').split('–').map(Number).filter((x) => x > 0));
  const provenance = {
    dataset: entry.id,
    label: `${dim}D, N = ${rows[0]?.n}, ${range(samples)} samples per T_p`,
    dim, n: rows[0]?.n, density: rows[0]?.density ?? cal?.density,
    seed: json(path.join(dir, heads[0] ?? ''))?.seed ?? cal?.seed,
    sweeps: sweeps.length ? range(sweeps) : null,
    samples_per_tp: [Math.min(...samples), Math.max(...samples)], tp: rows.map((r) => r.tp),
    source: rel(summaryPath),
    parts,
    commands: parts.map((p) => p.command).filter(Boolean),
    summarize_command: entry.summarize,
    calibration: cal && cal.dim === dim ? { file: entry.calibration, command: cal.command ? pinchglass(cal.command) : null, t_onset: cal.t_onset, t_onset_error: cal.t_onset_error ?? null } : null,
    date: dates.length ? (dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`) : null,
    note: entry.note ?? null,
    copied_by: './build.sh wasm (build_lecture_data, runs/lecture-manifest.json)',
  };
  const target = path.join(out, entry.id);
  write(path.join(target, 'summary.json'), summaryText);
  if (provenance.calibration) write(path.join(target, 'calibration.json'), fs.readFileSync(calPath, 'utf8'));
  else fs.rmSync(path.join(target, 'calibration.json'), { force: true });
  write(path.join(target, 'provenance.json'), `${JSON.stringify(provenance, null, 1)}\n`);
}
const sets = manifest.datasets.map((d) => json(path.join(out, d.id, 'provenance.json'))).filter(Boolean)
  .map((p) => ({ id: p.dataset, label: p.label, calibration: Boolean(p.calibration) }));
if (sets.length) write(path.join(out, 'index.json'), `${JSON.stringify({ datasets: sets }, null, 1)}\n`);
EOF
}

# ----------------------------------------------------------------------------- tests

run_rust_tests() {
    log "running the Rust tests (cargo test --release)"
    "${CARGO[@]}" test --release
}

run_e2e_tests() {
    log "running the end-to-end tests of the page (headless $CHROMIUM, playwright-core)"
    node "$ROOT/tests/e2e/run.mjs" --chromium "$CHROMIUM" --www "$ROOT/www" \
        --cli "$ROOT/target/release/pinchglass"
}

# The page in Firefox (headless $FIREFOX, puppeteer-core over WebDriver BiDi): the default run,
# the issue-15 checks, one Lecture step, and $FIREFOX_STARTS fresh-profile starts of the
# header-less (service worker) route. By hand: node scripts/firefox-starts.mjs --runs 30.
run_firefox_tests() {
    log "running the end-to-end tests of the page in headless $FIREFOX (puppeteer-core, WebDriver BiDi)"
    node "$ROOT/tests/e2e/firefox.mjs" --firefox "$FIREFOX" --www "$ROOT/www" --starts "$FIREFOX_STARTS"
}

# tests/wasm_api.rs: the wasm API (check_parameters, run_glass, GlassRun, nearest_pair) called
# from Rust inside headless Chromium by wasm-bindgen-test (single-threaded build, pinned stable;
# the runner ships with wasm-bindgen-cli). Own target dir; the test profile keeps overflow checks.
test_wasm_api() {
    local have=""
    if command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
        have="$(wasm-bindgen-test-runner --version | awk '{print $2}')"
    fi
    if [ "$have" != "$WASM_BINDGEN_VERSION" ]; then
        log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION for wasm-bindgen-test-runner (have: ${have:-none})"
        "${CARGO[@]}" install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
    fi
    log "running the wasm API tests in headless chromium (cargo +$PINNED_RUST test --target $WASM_TARGET --test wasm_api)"
    env -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
        CHROMEDRIVER="$CHROMEDRIVER" WASM_BINDGEN_TEST_TIMEOUT=300 WASM_BINDGEN_TEST_DRIVER_TIMEOUT=60 \
        cargo "+$PINNED_RUST" test --target "$WASM_TARGET" --no-default-features --test wasm_api \
        --config "$ROOT/wasm/single.toml" --target-dir "$ROOT/target/wasm-test"
}

run_independent_check() {
    log "running the independent numpy/scipy check against target/release/pinchglass"
    "$VENV/bin/python" "$ROOT/tests/independent_check.py" --bin "$ROOT/target/release/pinchglass"
}

# ----------------------------------------------------------------------------- subcommands

cmd_test() {
    ensure_rust
    run_rust_tests
    ensure_python_env
    build_cli
    run_independent_check
    build_wasm
    ensure_chromium
    ensure_chromedriver
    test_wasm_api
    run_e2e_tests
    ensure_firefox
    run_firefox_tests
    log "all tests passed"
}

cmd_wasm() {
    ensure_rust
    build_wasm
}

cmd_serve() {
    ensure_rust
    build_wasm
    find_python || die "need Python >= $MIN_PYTHON (python3) to serve www/"
    log "serving www/ with COOP/COEP headers (Ctrl-C to stop); open the URL below"
    exec "$PYTHON" "$ROOT/scripts/serve.py" --dir "$ROOT/www" --host "$HOST" --port "$PORT"
}

cmd_bench() {
    ensure_rust
    log "running the benchmark (cargo run --release -- bench)"
    "${CARGO[@]}" run --release -- bench "$@"
}

# The browser's stages, threaded vs single-threaded wasm vs native (extra arguments go to
# tests/e2e/bench.mjs, e.g. --n 1000 --quartic 50 --repeats 3).
cmd_bench_web() {
    ensure_rust
    build_cli
    build_wasm
    ensure_chromium
    log "timing the page's stages in headless chromium (node tests/e2e/bench.mjs $*)"
    node tests/e2e/bench.mjs "$@"
}

# The page's swap Monte Carlo engine (the single-threaded wasm package in Node.js's V8), the same
# measurement as `pinchglass bench --part mc` (extra arguments go to tests/e2e/bench-engine.mjs,
# e.g. --dim 3 --n 2000 --repeats 3).
cmd_bench_engine_wasm() {
    ensure_rust
    build_wasm_single
    log "timing the wasm engine in Node.js (node tests/e2e/bench-engine.mjs $*)"
    node tests/e2e/bench-engine.mjs "$@"
}

# The extended-XYZ reader against generated and mutated files (tests/fuzz_xyz.rs, stable Rust, no
# cargo-fuzz): PINCHGLASS_FUZZ_INPUTS inputs (default 10^6) from PINCHGLASS_FUZZ_SEED (default 1);
# fails on any panic, hang (> 0.5 s per input) or allocation above 64 MB. The normal test suite runs
# 10^5 of them.
cmd_fuzz() {
    ensure_rust
    log "fuzzing the extended-XYZ reader (${PINCHGLASS_FUZZ_INPUTS:-1000000} inputs, seed ${PINCHGLASS_FUZZ_SEED:-1})"
    "${CARGO[@]}" test --release --test fuzz_xyz -- --ignored --nocapture a_million_inputs
}

usage() {
    cat <<EOF
usage: ./build.sh COMMAND
  test    Rust tests (release), release CLI, independent numpy/scipy check (venv in .venv),
          both wasm builds, the wasm API tests (wasm-bindgen-test) and the end-to-end tests
          of the page in headless Chromium
  wasm    build the threaded and single-threaded wasm modules into www/pkg-threads, www/pkg-single
  serve   build if needed, then serve www/ on http://$HOST:$PORT/ with COOP/COEP headers
          (HOST, PORT override)
  bench   run the CLI benchmark (extra arguments are passed to 'pinchglass bench')
  bench-web  time the page's stages: threaded vs single-threaded wasm vs native (tests/e2e/bench.mjs)
  bench-engine-wasm  time the page's swap Monte Carlo engine (wasm in Node.js; tests/e2e/bench-engine.mjs)
  fuzz    feed 10^6 generated and mutated extended-XYZ files to the reader (tests/fuzz_xyz.rs;
          PINCHGLASS_FUZZ_INPUTS, PINCHGLASS_FUZZ_SEED override): no panic, hang or huge allocation
EOF
}

main() {
    local cmd="${1:-}"
    [ $# -gt 0 ] && shift
    case "$cmd" in
        test) cmd_test "$@" ;;
        serve) cmd_serve "$@" ;;
        wasm) cmd_wasm "$@" ;;
        bench) cmd_bench "$@" ;;
        bench-web) cmd_bench_web "$@" ;;
        bench-engine-wasm) cmd_bench_engine_wasm "$@" ;;
        fuzz) cmd_fuzz "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
