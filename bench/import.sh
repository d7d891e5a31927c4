#!/usr/bin/env bash
# Imports a generated JSON Lines file of SIZE_MB megabytes (records of about
# 1 KB) into a fresh example workspace and reports time and peak memory.
# Usage: bench/import.sh [SIZE_MB] [--commit]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-100}
shift || true
cargo build --release --quiet
bin=$PWD/target/release/docket
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export GIT_CONFIG_GLOBAL=$dir/gitconfig GIT_CONFIG_NOSYSTEM=1
git config --global user.name Bench && git config --global user.email bench@example.com
"$bin" init --example "$dir/ws" --commit >/dev/null
python3 - "$dir/log.jsonl" "$size" <<'PY'
import json, sys
path, mb = sys.argv[1], int(sys.argv[2])
pad = "lorem ipsum dolor sit amet " * 30
with open(path, "w") as f:
    i, written = 0, 0
    while written < mb * 1024 * 1024:
        rec = {"id": f"prod-{i:08d}", "agent": "support-triage", "occurred_at": "2026-11-20T10:00:00Z",
               "input": [{"role": "user", "content": f"question {i} {pad}"}], "output": f"answer {i} {pad[:200]}",
               "severity": "sev3", "summary": f"production failure {i}", "metadata": {"trace": f"t-{i}"}}
        line = json.dumps(rec) + "\n"
        f.write(line)
        written += len(line)
        i += 1
print(f"{i} records, {written / 1048576:.0f} MiB", file=sys.stderr)
PY
/usr/bin/time -f "import: %e s wall, %M KiB peak RSS" "$bin" -C "$dir/ws" import jsonl "$dir/log.jsonl" "$@" | tail -2
echo "files: $(find "$dir/ws/evals/failures" -type f | wc -l)"
