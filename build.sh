#!/usr/bin/env bash
# pinchglass build / test / serve entry point.
#
#   ./build.sh test    Rust tests (release), release CLI, independent numpy/scipy check
#   ./build.sh serve   serve www/ on http://127.0.0.1:8000 with COOP/COEP headers
#   ./build.sh bench   run the CLI's benchmark (cargo run --release -- bench)
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

# ----------------------------------------------------------------------------- builds

build_cli() {
    log "building the release CLI (cargo build --release)"
    "${CARGO[@]}" build --release
    [ -x "$ROOT/target/release/pinchglass" ] || die "target/release/pinchglass was not built"
}

# ----------------------------------------------------------------------------- tests

run_rust_tests() {
    log "running the Rust tests (cargo test --release)"
    "${CARGO[@]}" test --release
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
    log "all tests passed"
}

cmd_serve() {
    if [ ! -f "$ROOT/www/index.html" ]; then
        echo "www/index.html does not exist: the browser explorer is not built yet (it comes with the next milestone)." >&2
        echo "Meanwhile use the CLI: cargo run --release -- --help" >&2
        exit 1
    fi
    find_python || die "need Python >= $MIN_PYTHON (python3) to serve www/"
    log "serving www/ on http://$HOST:$PORT/ (COOP/COEP headers; Ctrl-C to stop)"
    exec "$PYTHON" "$ROOT/scripts/serve.py" --dir "$ROOT/www" --host "$HOST" --port "$PORT"
}

cmd_bench() {
    ensure_rust
    log "running the benchmark (cargo run --release -- bench)"
    "${CARGO[@]}" run --release -- bench "$@"
}

usage() {
    cat <<EOF
usage: ./build.sh COMMAND
  test    Rust tests (release), release CLI, independent numpy/scipy check (venv in .venv)
  serve   serve www/ on http://$HOST:$PORT/ with COOP/COEP headers (HOST, PORT override)
  bench   run the CLI benchmark (extra arguments are passed to 'pinchglass bench')
EOF
}

main() {
    local cmd="${1:-}"
    [ $# -gt 0 ] && shift
    case "$cmd" in
        test) cmd_test "$@" ;;
        serve) cmd_serve "$@" ;;
        bench) cmd_bench "$@" ;;
        -h | --help | help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

main "$@"
