#!/usr/bin/env bash
# Runs the real eval runners that docket reads and writes for: promptfoo (npm) and Inspect AI
# (PyPI). No model is ever called: every agent and grader is a local deterministic script.
#
#   scripts/runners.sh fixtures   regenerate tests/fixtures/promptfoo/ and tests/fixtures/inspect/
#   scripts/runners.sh loop       docket export -> runner -> docket run import, on a scratch
#                                 copy of the example workspace (needs a docket binary)
#   scripts/runners.sh all        both
#
# Installs what it needs into $RUNNERS_DIR (default target/runners), once:
#   node      promptfoo needs node >= 22.22; when the system node is older, node comes
#             from the npm registry package node-linux-<arch> (a binary shipped in the package)
#   promptfoo npm install --omit=optional (about 300 MB instead of 2 GB), plus the two
#             platform binaries it needs at run time (libsql, esbuild)
#   inspect   a python venv with inspect-ai; a second venv with an older inspect-ai writes
#             the deflate-compressed .eval fixture (newer ones write zstd)
# apt-get is used only for what is missing (nodejs/npm, python3/python3-venv).
#
# Environment:
#   RUNNERS_DIR                         cache folder (default: <repo>/target/runners)
#   DOCKET                              docket command for `loop`
#                                       (default: cargo run --manifest-path <repo>/Cargo.toml --release --quiet --)
#   LOOP_SET                            set to export in `loop` (default: billing-refunds)
#   LOOP_INSPECT_FORMAT                 eval | json: Inspect log format in `loop` (default: eval)
#   PROMPTFOO_VERSION, INSPECT_VERSION, INSPECT_LEGACY_VERSION, NODE_VERSION  pins
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$repo/scripts/runners"
RUNNERS_DIR=${RUNNERS_DIR:-$repo/target/runners}
PROMPTFOO_VERSION=${PROMPTFOO_VERSION:-0.123.1}
INSPECT_VERSION=${INSPECT_VERSION:-0.3.285}
INSPECT_LEGACY_VERSION=${INSPECT_LEGACY_VERSION:-0.3.170}
NODE_VERSION=${NODE_VERSION:-22.23.5}
NODE_MIN=22.22.0

log() { printf '[runners] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# timed LABEL CMD...: runs CMD, prints its wall time, returns its exit code (never trips set -e).
timed() {
  local label=$1 t0 rc
  shift
  t0=$(now)
  set +e
  "$@"
  rc=$?
  set -e
  log "$label: $(elapsed "$t0")s (exit $rc)"
  return "$rc"
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "missing $*, and no apt-get to install it"
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

node_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "unsupported machine $(uname -m)" ;;
  esac
}

# --- installs ---------------------------------------------------------------------------

NODE_BIN=""
ensure_node() {
  [ -n "$NODE_BIN" ] && return
  local sys
  if command -v node >/dev/null; then
    sys=$(node --version | sed 's/^v//')
    if version_ge "$sys" "$NODE_MIN"; then
      NODE_BIN=$(dirname "$(command -v node)")
      return
    fi
  fi
  local dir="$RUNNERS_DIR/node" arch
  arch=$(node_arch)
  NODE_BIN="$dir/node_modules/node-linux-$arch/bin"
  if [ ! -x "$NODE_BIN/node" ] || [ "$("$NODE_BIN/node" --version)" != "v$NODE_VERSION" ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing node $NODE_VERSION from the npm registry (system node is ${sys:-missing})"
    timed "install node" npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
      "node-linux-$arch@$NODE_VERSION" || die "node install failed"
  fi
}

PROMPTFOO=""
ensure_promptfoo() {
  ensure_node
  export PATH="$NODE_BIN:$PATH"
  local dir="$RUNNERS_DIR/promptfoo-$PROMPTFOO_VERSION" arch libsql esbuild
  PROMPTFOO="$dir/node_modules/.bin/promptfoo"
  if [ ! -f "$dir/.installed" ]; then
    arch=$(node_arch)
    log "installing promptfoo $PROMPTFOO_VERSION into $dir"
    local t0
    t0=$(now)
    npm install --prefix "$dir" --omit=optional --no-audit --no-fund --loglevel=error \
      "promptfoo@$PROMPTFOO_VERSION" || die "promptfoo install failed"
    # --omit=optional also drops the platform binaries that promptfoo loads at run time.
    libsql=$(node -p "require('$dir/node_modules/libsql/package.json').version")
    esbuild=$(node -p "require('$dir/node_modules/esbuild/package.json').version")
    npm install --prefix "$dir" --omit=optional --no-audit --no-fund --loglevel=error \
      "@libsql/linux-$arch-gnu@$libsql" "@esbuild/linux-$arch@$esbuild" ||
      die "promptfoo platform binaries install failed"
    log "install promptfoo: $(elapsed "$t0")s"
    touch "$dir/.installed"
  fi
  # Nothing leaves the machine and nothing is written to $HOME.
  export PROMPTFOO_CONFIG_DIR="$RUNNERS_DIR/promptfoo-home"
  export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1
  export PROMPTFOO_DISABLE_REMOTE_GENERATION=1
  mkdir -p "$PROMPTFOO_CONFIG_DIR"
}

ensure_python() {
  if ! command -v python3 >/dev/null; then
    apt_install python3 python3-venv
  elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3-venv
  fi
}

# ensure_venv DIR VERSION: a venv with inspect-ai==VERSION.
ensure_venv() {
  local dir=$1 version=$2
  if [ ! -f "$dir/.installed" ]; then
    ensure_python
    log "installing inspect-ai $version into $dir"
    local t0
    t0=$(now)
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "inspect-ai==$version" ||
      die "inspect-ai $version install failed"
    log "install inspect-ai $version: $(elapsed "$t0")s"
    touch "$dir/.installed"
  fi
}

INSPECT=""
ensure_inspect() {
  ensure_venv "$RUNNERS_DIR/inspect-$INSPECT_VERSION" "$INSPECT_VERSION"
  INSPECT="$RUNNERS_DIR/inspect-$INSPECT_VERSION/bin/inspect"
  # Inspect's data/cache dirs stay in the cache folder too.
  export XDG_DATA_HOME="$RUNNERS_DIR/inspect-home/data" XDG_CACHE_HOME="$RUNNERS_DIR/inspect-home/cache"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
}

# --- running the tools ------------------------------------------------------------------

# run_promptfoo DIR OUT: evaluates DIR/promptfooconfig.yaml. Exit 100 only says some tests
# failed, which these evals mean to happen.
run_promptfoo() {
  local dir=$1 out=$2 rc=0
  (cd "$dir" && "$PROMPTFOO" eval -c promptfooconfig.yaml --no-cache --no-share \
    --no-progress-bar --no-table -o "$out" >promptfoo.log 2>&1) || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 100 ]; then
    cat "$dir/promptfoo.log" >&2
    return "$rc"
  fi
  grep -E '(passed|failed|errors) \(' "$dir/promptfoo.log" | sed 's/^ */  promptfoo: /' >&2 || true
}

# run_inspect INSPECT DIR TASKFILE FORMAT: runs the task; prints the path of the log it wrote.
run_inspect() {
  local inspect=$1 dir=$2 task=$3 format=$4 logdir
  logdir="$dir/logs-$format-$(basename "$(dirname "$(dirname "$inspect")")")"
  rm -rf "$logdir"
  (cd "$dir" && "$inspect" eval "$task" --log-format "$format" --log-dir "$logdir" \
    --display none >"$logdir.out" 2>&1) || {
    cat "$logdir.out" >&2
    return 1
  }
  local logs=("$logdir"/*."$format")
  if [ "${#logs[@]}" != 1 ] || [ ! -f "${logs[0]}" ]; then
    die "expected one .$format log in $logdir"
  fi
  echo "${logs[0]}"
}

# --- stages -----------------------------------------------------------------------------

stage_fixtures() {
  local t_all work out logfile
  t_all=$(now)
  timed "setup promptfoo" ensure_promptfoo || die "promptfoo setup failed"
  timed "setup inspect" ensure_inspect || die "inspect setup failed"
  timed "setup inspect (legacy)" ensure_venv "$RUNNERS_DIR/inspect-$INSPECT_LEGACY_VERSION" \
    "$INSPECT_LEGACY_VERSION" || die "legacy inspect setup failed"
  log "promptfoo $("$PROMPTFOO" --version), inspect-ai $("$INSPECT" --version), node $("$NODE_BIN/node" --version)"

  work="$RUNNERS_DIR/work/fixtures"
  rm -rf "$work"
  mkdir -p "$work"

  # promptfoo: 6 tests x 2 prompts (text and chat) -> 12 rows: passes, assertion
  # failures (one graded by llm-rubric) and provider errors.
  cp -R "$here/promptfoo" "$work/promptfoo"
  timed "promptfoo eval (fixture)" run_promptfoo "$work/promptfoo" results.json ||
    die "promptfoo eval failed"
  out="$repo/tests/fixtures/promptfoo"
  mkdir -p "$out"
  cp "$work/promptfoo/results.json" "$out/results.json"

  # Inspect: the same task logged as json and as eval (zstd members), and as eval by an
  # older Inspect (deflate members).
  mkdir -p "$work/inspect"
  cp "$here/inspect/fixture_task.py" "$work/inspect/"
  out="$repo/tests/fixtures/inspect"
  mkdir -p "$out"
  logfile=$(timed "inspect eval --log-format json" run_inspect "$INSPECT" "$work/inspect" fixture_task.py json) ||
    die "inspect eval (json) failed"
  cp "$logfile" "$out/log.json"
  logfile=$(timed "inspect eval --log-format eval" run_inspect "$INSPECT" "$work/inspect" fixture_task.py eval) ||
    die "inspect eval (eval) failed"
  cp "$logfile" "$out/log.eval"
  logfile=$(timed "inspect $INSPECT_LEGACY_VERSION eval --log-format eval" run_inspect \
    "$RUNNERS_DIR/inspect-$INSPECT_LEGACY_VERSION/bin/inspect" "$work/inspect" fixture_task.py eval) ||
    die "inspect $INSPECT_LEGACY_VERSION eval failed"
  cp "$logfile" "$out/log-$INSPECT_LEGACY_VERSION-deflate.eval"

  ls -l "$repo/tests/fixtures/promptfoo" "$repo/tests/fixtures/inspect" >&2
  log "fixtures: $(elapsed "$t_all")s"
}

DOCKET_CMD=()
docket() { "${DOCKET_CMD[@]}" "$@"; }

# import_run LABEL ARGS...: `docket run import`; exit 1 (below the set's gate) is reported,
# not fatal.
import_run() {
  local label=$1 rc=0
  shift
  timed "$label" docket "$@" || rc=$?
  case "$rc" in
    0) log "$label: at or above the gate" ;;
    1) log "$label: exit 1, below the set's min_pass_rate (expected: the loop agent fails some cases)" ;;
    *) die "$label failed (exit $rc)" ;;
  esac
}

stage_loop() {
  local t_all set work ws logfile format
  t_all=$(now)
  set=${LOOP_SET:-billing-refunds}
  format=${LOOP_INSPECT_FORMAT:-eval}
  if [ -n "${DOCKET:-}" ]; then
    read -r -a DOCKET_CMD <<<"$DOCKET"
  else
    DOCKET_CMD=(cargo run --manifest-path "$repo/Cargo.toml" --release --quiet --)
    timed "cargo build --release" cargo build --manifest-path "$repo/Cargo.toml" --release --quiet ||
      die "cargo build failed"
  fi
  timed "setup promptfoo" ensure_promptfoo || die "promptfoo setup failed"
  timed "setup inspect" ensure_inspect || die "inspect setup failed"

  work="$RUNNERS_DIR/work/loop"
  rm -rf "$work"
  mkdir -p "$work/promptfoo" "$work/inspect"
  ws="$work/workspace"
  timed "docket init --example" docket init "$ws" --example --commit >/dev/null ||
    die "docket init failed"

  # promptfoo
  cp "$here/loop/promptfoo/"* "$work/promptfoo/"
  timed "docket export --format promptfoo" docket -C "$ws" export "$set" --format promptfoo \
    -o "$work/promptfoo/tests.jsonl" || die "docket export (promptfoo) failed"
  log "exported $(wc -l <"$work/promptfoo/tests.jsonl") promptfoo tests"
  if ! node -e '
      const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
      process.exit(lines.some((l) => (JSON.parse(l).assert || []).length > 0) ? 0 : 1);
    ' "$work/promptfoo/tests.jsonl"; then
    log "the export has no assertions: grading every test with llm-rubric against vars.expected"
    node -e '
      const fs = require("fs"); const p = process.argv[1];
      const add = "  assert:\n    - type: llm-rubric\n      value: \"{{ expected }}\"\n";
      const s = fs.readFileSync(p, "utf8").replace("tests: file://", add + "tests: file://");
      fs.writeFileSync(p, s);
    ' "$work/promptfoo/promptfooconfig.yaml"
  fi
  timed "promptfoo eval" run_promptfoo "$work/promptfoo" results.json || die "promptfoo eval failed"
  import_run "docket run import (promptfoo)" -C "$ws" run import "$set" promptfoo "$work/promptfoo/results.json"

  # Inspect
  cp "$here/loop/inspect/loop_task.py" "$work/inspect/"
  timed "docket export --format inspect" docket -C "$ws" export "$set" --format inspect \
    -o "$work/inspect/samples.jsonl" || die "docket export (inspect) failed"
  log "exported $(wc -l <"$work/inspect/samples.jsonl") inspect samples"
  logfile=$(timed "inspect eval --log-format $format" run_inspect "$INSPECT" "$work/inspect" loop_task.py "$format") ||
    die "inspect eval failed"
  import_run "docket run import (inspect)" -C "$ws" run import "$set" inspect "$logfile"

  timed "docket show $set" docket -C "$ws" show "$set" >&2 || true
  (cd "$ws" && git status --short) >&2 || true
  log "loop: $(elapsed "$t_all")s (workspace left in $ws)"
}

case "${1:-}" in
  fixtures) stage_fixtures ;;
  loop) stage_loop ;;
  all)
    stage_fixtures
    stage_loop
    ;;
  *)
    echo "usage: scripts/runners.sh fixtures|loop|all" >&2
    exit 2
    ;;
esac
