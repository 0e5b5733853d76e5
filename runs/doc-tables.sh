#!/usr/bin/env bash
# Refreshes the per-T_p tables of docs/reproduction.md (between its `<!-- tables.py DIR -->` and
# `<!-- /tables.py -->` markers) from runs/repro/DIR/summary.json, with runs/tables.py.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import re, subprocess
path = "docs/reproduction.md"
doc = open(path).read()
def table(m):
    d = m.group(1)
    out = subprocess.run(["python3", "runs/tables.py", f"runs/repro/{d}/summary.json"],
                         capture_output=True, text=True, check=True).stdout
    keep = "\n".join(l for l in out.splitlines() if not l.startswith("warning"))
    return f"<!-- tables.py {d} -->\n{keep.strip()}\n<!-- /tables.py -->"
doc = re.sub(r"<!-- tables\.py (\S+) -->.*?<!-- /tables\.py -->", table, doc, flags=re.S)
open(path, "w").write(doc)
PY
