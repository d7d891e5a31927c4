#!/usr/bin/env bash
# How the bundled example workspace got its imported failures and its recorded
# promptfoo run: the fixture eval (scripts/runners/promptfoo) and the loop
# (scripts/runners/loop/promptfoo) run by the real promptfoo with the clock set
# to the example's story week (faketime), imported with docket into the
# repository root, which is the example. Run scripts/runners.sh fixtures first
# (it installs promptfoo and node into $RUNNERS_DIR).
# Usage: scripts/runners/example.sh   (then review `git status` and commit)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
RUNNERS_DIR=${RUNNERS_DIR:-$repo/target/runners}
docket=${DOCKET:-$repo/target/release/docket}
command -v faketime >/dev/null || { apt-get update -qq && apt-get install -y -qq faketime; }
shopt -s nullglob
nodes=("$RUNNERS_DIR"/node/node_modules/node-linux-*/bin)
[ ${#nodes[@]} -gt 0 ] && export PATH="${nodes[0]}:$PATH"
pfs=("$RUNNERS_DIR"/promptfoo-*/node_modules/.bin/promptfoo)
[ ${#pfs[@]} -gt 0 ] || { echo "run scripts/runners.sh fixtures first" >&2; exit 2; }
promptfoo=${pfs[0]}
export PROMPTFOO_CONFIG_DIR="$RUNNERS_DIR/promptfoo-home" PROMPTFOO_DISABLE_TELEMETRY=1 \
  PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 PROMPTFOO_DISABLE_REMOTE_GENERATION=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pf() { # DIR DAY: promptfoo eval in DIR as if on DAY; exit 100 means some tests failed
  (cd "$1" && faketime "$2" "$promptfoo" eval -c promptfooconfig.yaml --no-cache --no-share \
    --no-progress-bar --no-table -o results.json >promptfoo.log 2>&1) || [ $? = 100 ]
}

# Failures from the offline eval run on Friday 2026-11-21.
cp -r "$repo/scripts/runners/promptfoo" "$work/offline"
pf "$work/offline" '2026-11-21 09:30:00'
cp "$work/offline/results.json" "$work/offline/promptfoo-2026-11-21.json"
"$docket" -C "$repo" import promptfoo "$work/offline/promptfoo-2026-11-21.json" --agent support-triage

# billing-refunds exported and run against the release candidate on Saturday.
cp -r "$repo/scripts/runners/loop/promptfoo" "$work/loop"
sed -i 's/label: loop-agent/label: support-triage@3.5.0-rc1/' "$work/loop/promptfooconfig.yaml"
"$docket" -C "$repo" export billing-refunds --format promptfoo -o "$work/loop/tests.jsonl"
LOOP_AGENT=good pf "$work/loop" '2026-11-22 06:00:00'
"$docket" -C "$repo" run import billing-refunds promptfoo "$work/loop/results.json"
