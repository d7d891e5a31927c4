#!/usr/bin/env bash
# Measures docket at scale beside git on the same generated workspace:
# loading (check, list), searching (docket search vs fzf --filter) and
# committing one changed case (docket commit vs git add + git commit).
#
#   bench/commit.sh [CASES]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2"; }; }
need hyperfine hyperfine
need fzf fzf

cargo build --release --locked --bin docket --example generate
D=$PWD/target/release/docket
W=${BENCH_DIR:-/tmp/docket-bench}/ws
rm -rf "$(dirname "$W")"
mkdir -p "$(dirname "$W")"
export HOME=$(dirname "$W")/home XDG_CONFIG_HOME=$(dirname "$W")/home/.config GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name "Bench" && git config --global user.email bench@example.com

./target/release/examples/generate "$W" "$N"
cd "$W"
git init -q && git add -A && git commit -qm "generated workspace"
echo "workspace: $N cases, $(git ls-files | wc -l) files"

first() { for f in "$1"/*.toml; do basename "$f"; return; done; }
CASE=$(first evals/failures/2026-01); CASE=${CASE%.toml}
CASE2=$(first evals/failures/2026-02)
export CASE CASE2 D

hyperfine -w 1 -r 5 --export-markdown /tmp/docket-bench-load.md \
  "$D check >/dev/null; true" \
  "$D list failures >/dev/null" \
  "git status --porcelain >/dev/null"

hyperfine -w 1 -r 5 --export-markdown /tmp/docket-bench-search.md \
  "$D search 'refund escalation' --limit 20 >/dev/null" \
  "cat evals/failures/*/*.toml | grep '^summary' | fzf --filter 'refund escalation' | head -20 >/dev/null"

hyperfine -w 2 -r 10 --export-markdown /tmp/docket-bench-commit.md \
  --prepare "$D note $CASE 'bench note' >/dev/null" -n "docket commit (one case, 100k-file repo)" "$D commit >/dev/null" \
  --prepare "echo '# bench' >> evals/failures/2026-02/$CASE2" -n "git add + git commit (same change)" "git add evals/failures/2026-02/$CASE2 && git commit -qm bench"

git status --porcelain | head -5
git fsck --strict --no-dangling && echo "git fsck --strict: clean"
cat /tmp/docket-bench-load.md /tmp/docket-bench-search.md /tmp/docket-bench-commit.md
