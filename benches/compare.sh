#!/usr/bin/env bash
# docket beside git, fzf, tig (and gitui where installed) on the same
# generated workspace, one size after another, as a markdown table with
# ratios, then the growth between sizes. The rows are those of issue 9
# ("scale"); BENCHMARKS.md holds a run and the machine it ran on.
#
#   benches/compare.sh [--sizes 10000,100000,1000000] [--quick]
#
#   --quick      10000 and 100000 only
#   BENCH_DIR    where workspaces are generated and kept (default
#                /tmp/docket-bench; <N>/ws is regenerated when missing)
#   BENCH_RUNS   hyperfine runs at sizes up to 100k (default 10; 3 at 1M)
#
# Each row measures a whole process (or, for the UI, the screen as tmux sees
# it), warm unless it says cold. Nothing here asserts: it reports figures.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

SIZES=10000,100000,1000000
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --sizes=*) SIZES=${1#--sizes=}; shift ;;
    --quick) SIZES=10000,100000; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# --- what the run needs -------------------------------------------------------
missing=()
for tool in hyperfine fzf tig tmux jq script; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=("${missing[@]/script/bsdutils}")
  echo "installing: ${pkgs[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi
GITUI=$(command -v gitui || true)

cargo build --release --locked --bin docket --example generate 2>&1 | tail -1 >&2
cargo bench --locked --bench matcher --no-run 2>&1 | tail -1 >&2
D=$REPO/target/release/docket
GEN=$REPO/target/release/examples/generate
B=${BENCH_DIR:-/tmp/docket-bench}
mkdir -p "$B/home"
# cargo and rustup are found through the real home (the matcher bench runs
# under the sandboxed one).
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
# A sandboxed git: no user or system configuration changes what is measured.
export HOME=$B/home XDG_CONFIG_HOME=$B/home/.config GIT_CONFIG_NOSYSTEM=1
git config --global user.name Bench
git config --global user.email bench@example.com
unset DOCKET_TIMING

if (sync && echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; then COLD=1; else COLD=0; fi

ms() { awk '{ printf "%.0f", $1 * 1000 }'; }
now_ms() { date +%s%3N; }
# hyperfine mean (ms) of the command with index $2 in the JSON export $1.
hmean() { jq -r ".results[$2].mean" "$1" | ms; }
# The pane's text, for the UI rows.
pane() { tmux capture-pane -p -t "$1" 2>/dev/null || true; }
# Waits until the pane shows $2 (a grep -E pattern); prints ms since $3, or
# "timeout" after $4 seconds.
wait_for() {
  local deadline=$(($(now_ms) + $4 * 1000))
  while [ "$(now_ms)" -lt $deadline ]; do
    if pane "$1" | grep -Eq "$2"; then echo $(($(now_ms) - $3)); return; fi
    sleep 0.01
  done
  echo timeout
}
# The median of numbers on stdin.
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "n/a" }'; }
# VmHWM (peak RSS, MB) of the program in a tmux pane.
pane_hwm() {
  local pid
  pid=$(tmux display -p -t "$1" '#{pane_pid}' 2>/dev/null || true)
  [ -n "$pid" ] && awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo n/a
}
bytes() { stat -c %s "$1" 2>/dev/null || echo 0; }

# --- one size -------------------------------------------------------------------
# Results go to $B/results/<N>.tsv: key, docket, anchor, ratio, unit, note.
measure() {
  local n=$1 w=$B/$1/ws out=$B/results/$1.tsv runs=${BENCH_RUNS:-10} t0 gen_commit
  [ "$n" -ge 1000000 ] && runs=3
  mkdir -p "$B/results" "$B/$n"
  if [ ! -f "$B/$n/generated" ]; then
    echo "== generating $n cases in $w" >&2
    rm -rf "$w"
    t0=$(now_ms)
    "$GEN" "$w" "$n" --git >&2
    echo "generated in $(( ($(now_ms) - t0) / 1000 )) s, $(du -sh "$w" | cut -f1) on disk" >&2
    git -C "$w" rev-parse HEAD >"$B/$n/generated"
  fi
  gen_commit=$(cat "$B/$n/generated")
  # Back to the generated state (the tag rows commit), docket's state kept.
  if [ "$(git -C "$w" rev-parse HEAD)" != "$gen_commit" ] || [ -n "$(git -C "$w" status --porcelain | head -1)" ]; then
    git -C "$w" reset -q --hard "$gen_commit"
  fi
  cd "$w"
  : >"$out"
  row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$out"; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
  local started
  started=$(now_ms)
  echo "== $n cases: list" >&2

  # list: warm, then cold (page cache dropped before each run).
  hyperfine -N -w 1 -r "$runs" --export-json "$B/$n/list.json" \
    "$D list failures --json" "git status --porcelain" >/dev/null
  local lw gs
  lw=$(hmean "$B/$n/list.json" 0); gs=$(hmean "$B/$n/list.json" 1)
  row list_warm "$lw" "$gs" "$(ratio "$lw" "$gs")" ms "anchor: git status"
  if [ $COLD = 1 ]; then
    hyperfine -N -r 3 --prepare "sh -c 'sync; echo 3 > /proc/sys/vm/drop_caches'" \
      --export-json "$B/$n/cold.json" "$D list failures --json" "git status --porcelain" >/dev/null
    local lc gc
    lc=$(hmean "$B/$n/cold.json" 0); gc=$(hmean "$B/$n/cold.json" 1)
    row list_cold "$lc" "$gc" "$(ratio "$lc" "$gc")" ms "anchor: git status, cold"
  else
    row list_cold n/a n/a n/a ms "cold not measurable here (drop_caches not permitted)"
  fi

  # Peak RSS of list, beside git reading the whole index.
  local rss grss
  rss=$( { /usr/bin/time -f %M "$D" list failures --json >/dev/null; } 2>&1 | tail -1)
  grss=$( { /usr/bin/time -f %M git ls-files >/dev/null; } 2>&1 | tail -1)
  row list_rss "$((rss / 1024))" "$((grss / 1024))" "$(ratio "$rss" "$grss")" MB "anchor: git ls-files"

  # search vs fzf over the same haystacks (id, summary, agent, tags).
  echo "== $n cases: search" >&2
  "$D" list failures --json | jq -r '.[] | "\(.id) \(.summary) \(.agent) \(.tags | join(" "))"' >"$B/$n/hay.txt"
  local q='refund escalation'
  hyperfine -w 1 -r "$runs" --export-json "$B/$n/search.json" \
    "$D search '$q' --limit 20 >/dev/null" \
    "fzf --filter '$q' <'$B/$n/hay.txt' | head -20 >/dev/null" >/dev/null
  local sd sf
  sd=$(hmean "$B/$n/search.json" 0); sf=$(hmean "$B/$n/search.json" 1)
  row search "$sd" "$sf" "$(ratio "$sd" "$sf")" ms "anchor: fzf --filter over $(wc -l <"$B/$n/hay.txt") lines"

  # tag + commit vs git add + git commit of the same change. The prepare
  # step puts the case back (docket: --remove --commit; git: the other copy).
  echo "== $n cases: tag --commit" >&2
  local case1 case2 tag f2
  case1=case-0000000
  case2=case-0000001
  tag=$(for t in tone pii-leak wrong-tool; do grep -q "\"$t\"" evals/failures/*/"$case1.toml" || { echo $t; break; }; done)
  f2=$(ls evals/failures/*/"$case2.toml")
  cp "$f2" "$B/$n/case2.a"
  sed 's/^tags = \["\(.*\)"\]$/tags = ["\1", "bench"]/' "$f2" >"$B/$n/case2.b"
  hyperfine -w 1 -r "$runs" --export-json "$B/$n/tag.json" \
    --prepare "$D tag $case1 $tag --remove --commit >/dev/null 2>&1 || true" \
    "$D tag $case1 $tag --commit >/dev/null" \
    --prepare "cmp -s '$f2' '$B/$n/case2.a' && cp '$B/$n/case2.b' '$f2' || cp '$B/$n/case2.a' '$f2'" \
    "git add '$f2' && git commit -q -m bench" >/dev/null
  local td tg
  td=$(hmean "$B/$n/tag.json" 0); tg=$(hmean "$B/$n/tag.json" 1)
  row tag_commit "$td" "$tg" "$(ratio "$td" "$tg")" ms "anchor: git add + git commit"

  measure_ui "$n" "$w" "$out"

  # nucleo-matcher (docket::search::rank) vs fuzzy-matcher, same haystack.
  echo "== $n cases: matcher bench" >&2
  (cd "$REPO" && DOCKET_BENCH_HAYSTACK=$B/$n/hay.txt CARGO_TARGET_DIR=$REPO/target \
    cargo bench --locked --bench matcher -- --noplot >"$B/$n/matcher.log" 2>&1) || true
  local nu fm
  nu=$(jq -r '.mean.point_estimate / 1e6 | . * 100 | round / 100' "$REPO/target/criterion/matcher/nucleo-matcher/new/estimates.json" 2>/dev/null || echo n/a)
  fm=$(jq -r '.mean.point_estimate / 1e6 | . * 100 | round / 100' "$REPO/target/criterion/matcher/fuzzy-matcher/new/estimates.json" 2>/dev/null || echo n/a)
  row matcher "$nu" "$fm" "$(ratio "$nu" "$fm")" ms "anchor: fuzzy-matcher (skim v2), top 20 of $(wc -l <"$B/$n/hay.txt")"

  git -C "$w" reset -q --hard "$gen_commit"
  echo "$(( ($(now_ms) - started) / 1000 ))" >"$B/$n/seconds"
  cd "$REPO"
}

# --- the terminal UI at 120x40 in tmux --------------------------------------------
# First frame showing cases, bytes per selection move and when idle, and
# Bytes the pane writes per selection move (20 alternating j/k, 150 ms
# apart, through tmux pipe-pane into FILE), then over 2 s idle: "PER IDLE".
move_bytes() {
  local s=$1 pipe=$2 moves=20 b0 b1 b2 i
  rm -f "$pipe"
  tmux pipe-pane -o -t "$s" "cat >>'$pipe'"
  sleep 0.5
  b0=$(bytes "$pipe")
  for ((i = 0; i < moves; i++)); do
    if ((i % 2)); then tmux send-keys -t "$s" k; else tmux send-keys -t "$s" j; fi
    sleep 0.15
  done
  sleep 0.5
  b1=$(bytes "$pipe")
  sleep 2
  b2=$(bytes "$pipe")
  tmux pipe-pane -t "$s"
  echo "$(((b1 - b0) / moves)) $((b2 - b1))"
}

# filter keystroke -> frame, read from the screen (tmux capture-pane) and
# from docket's DOCKET_TIMING log; tig (and gitui) beside it.
measure_ui() {
  local n=$1 w=$2 out=$3 s=docket-bench-$$ log=$B/$1/timing.log t0 i
  local first=() tigs=() floor=() gitui=() internal=() hwm=n/a tig_hwm=n/a
  local tries=3
  [ "$n" -ge 1000000 ] && tries=1
  echo "== $n cases: UI" >&2
  ui_start() { # session, command; prints the start time
    tmux kill-session -t "$1" 2>/dev/null || true
    local t
    t=$(now_ms)
    tmux new-session -d -s "$1" -x 120 -y 40 -c "$w" "$2"
    echo "$t"
  }
  # The floor: tmux starting a program that prints at once.
  for i in 1 2 3; do
    t0=$(ui_start "$s" "printf 'bench-ready\\n'; exec sleep 30")
    floor+=("$(wait_for "$s" bench-ready "$t0" 10)")
  done
  for i in $(seq 1 $tries); do
    rm -f "$log"
    t0=$(ui_start "$s" "exec env DOCKET_TIMING='$log' '$D'")
    first+=("$(wait_for "$s" 'case-0|[1-9][0-9,]* new' "$t0" 600)")
    internal+=("$(awk '/loaded/ && /-> frame/ { sub(/.*\(at /, ""); sub(/ ms\)/, ""); print; exit }' "$log" 2>/dev/null)")
    [ "$i" -lt "$tries" ] && tmux kill-session -t "$s"
  done
  hwm=$(pane_hwm "$s")

  # Filter keystroke -> frame: each query typed letter by letter, waiting
  # for the frame with the worker's matches before the next letter.
  local queries=("refund" "case-00042" "billing timeout") qk=0
  for q in "${queries[@]}"; do
    tmux send-keys -t "$s" /
    sleep 0.3
    for ((i = 0; i < ${#q}; i++)); do
      local before
      before=$(grep -c '^matched' "$log" 2>/dev/null || true)
      tmux send-keys -t "$s" -l "${q:$i:1}"
      qk=$((qk + 1))
      local deadline=$(($(now_ms) + 60000))
      while [ "$(grep -c '^matched' "$log" 2>/dev/null || true)" -le "$before" ] && [ "$(now_ms)" -lt $deadline ]; do sleep 0.01; done
      sleep 0.05
    done
    tmux send-keys -t "$s" Escape
    sleep 0.3
  done
  # key -> frame (the query echoed) and key -> frame with the matches: the
  # first matched frame after each key, from the key's arrival.
  local keystats
  keystats=$(awk '
    /-> frame/ {
      took = $0; sub(/.*-> frame /, "", took); sub(/ ms.*/, "", took)
      at = $0; sub(/.*\(at /, "", at); sub(/ ms\)/, "", at)
      if ($1 ~ /key/) { k[++nk] = took + 0; pending = at - took }
      if ($1 ~ /matched/ && pending != "") { m[++nm] = at - pending; pending = "" }
    }
    function pct(a, n, p,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      i = int(p * n + 0.999999); if (i < 1) i = 1; return a[i]
    }
    END { if (nk) printf "%.1f %.1f %.1f %.1f %d", pct(k, nk, 0.5), pct(k, nk, 0.99), pct(m, nm, 0.5), pct(m, nm, 0.99), nk; else print "n/a n/a n/a n/a 0" }
  ' "$log")
  read -r kp50 kp99 mp50 mp99 nk <<<"$keystats"

  # Bytes per selection move in the Inbox (the preview changes with it),
  # then idle bytes over 2 s.
  local pipe=$B/$n/pty.bin per idle
  tmux send-keys -t "$s" 1
  sleep 1
  read -r per idle <<<"$(move_bytes "$s" "$pipe")"
  tmux send-keys -t "$s" q
  sleep 0.5
  tmux kill-session -t "$s" 2>/dev/null || true

  # tig: first frame showing commits, bytes per move, idle bytes.
  local tper=n/a tidle=n/a
  for i in $(seq 1 $tries); do
    t0=$(ui_start "$s" "exec tig")
    tigs+=("$(wait_for "$s" 'Failure cases|Workspace configuration' "$t0" 120)")
    [ "$i" -lt "$tries" ] && tmux kill-session -t "$s"
  done
  tig_hwm=$(pane_hwm "$s")
  sleep 0.5
  read -r tper tidle <<<"$(move_bytes "$s" "$pipe")"
  tmux kill-session -t "$s" 2>/dev/null || true

  if [ -n "$GITUI" ]; then
    for i in $(seq 1 $tries); do
      t0=$(ui_start "$s" "exec '$GITUI'")
      gitui+=("$(wait_for "$s" 'Failure cases|Workspace configuration|evals' "$t0" 120)")
      tmux kill-session -t "$s" 2>/dev/null || true
    done
  fi

  local fd ft ff fg fi_
  fd=$(printf '%s\n' "${first[@]}" | median)
  ft=$(printf '%s\n' "${tigs[@]}" | median)
  ff=$(printf '%s\n' "${floor[@]}" | median)
  fi_=$(printf '%s\n' "${internal[@]}" | median)
  fg=n/a; [ ${#gitui[@]} -gt 0 ] && fg=$(printf '%s\n' "${gitui[@]}" | median)
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
    ui_first "$fd" "$ft" "$(ratio "$fd" "$ft")" ms "anchor: tig's first frame showing commits; gitui: $fg ms; tmux floor $ff ms; DOCKET_TIMING loaded frame at $fi_ ms after its timer (median of $tries)" \
    ui_rss "$hwm" "$tig_hwm" "$(ratio "$hwm" "$tig_hwm")" MB "peak RSS of the UI after the filter and moves; anchor: tig" \
    ui_move_bytes "$per" "$tper" "$(ratio "$per" "$tper")" B "per j/k in the Inbox at 120x40, mean of 20; anchor: tig's main view" \
    ui_idle_bytes "$idle" "$tidle" n/a B "written over 2 s idle; anchor: tig" \
    filter_key_frame "$kp50 / $kp99" n/a n/a ms "key -> frame (query echoed), p50 / p99 over $nk keys" \
    filter_key_matches "$mp50 / $mp99" n/a n/a ms "key -> frame with the matches, p50 / p99" \
    >>"$out"
}

# --- the tables -------------------------------------------------------------------
declare -A LABEL=(
  [list_warm]='`docket list failures --json`, warm'
  [list_cold]='`docket list failures --json`, cold'
  [list_rss]='peak RSS of `list`'
  [search]='`docket search Q --limit 20`, whole process'
  [tag_commit]='`docket tag ID T --commit`, whole process'
  [ui_first]='UI start → first frame showing cases'
  [ui_rss]='peak RSS of the UI'
  [ui_move_bytes]='bytes written per selection move, 120×40'
  [ui_idle_bytes]='bytes written idle, 2 s'
  [filter_key_frame]='filter keystroke → frame p50 / p99'
  [filter_key_matches]='filter keystroke → frame with matches p50 / p99'
  [matcher]='nucleo-matcher vs fuzzy-matcher, same haystack'
)
declare -A TARGET=(
  [list_warm]='≤ 200 ms' [list_cold]='—' [list_rss]='≤ 64 MB' [search]='≤ 0.5 × fzf'
  [tag_commit]='≤ 0.1 × git' [ui_first]='≤ 150 ms' [ui_rss]='—' [ui_move_bytes]='≤ 3 KB'
  [ui_idle_bytes]='0' [filter_key_frame]='p99 ≤ 16 ms (≤ 50 ms at 1M)'
  [filter_key_matches]='p99 ≤ 16 ms (≤ 50 ms at 1M)' [matcher]='—'
)
KEYS=(list_warm list_cold list_rss search tag_commit ui_first ui_rss ui_move_bytes ui_idle_bytes filter_key_frame filter_key_matches matcher)

IFS=, read -r -a NS <<<"$SIZES"
for n in "${NS[@]}"; do measure "$n"; done

for n in "${NS[@]}"; do
  echo
  echo "### $n cases ($(cat "$B/$n/seconds") s for this size)"
  echo
  echo "| what | docket | anchor | docket ÷ anchor | target | anchor and notes |"
  echo "|---|---|---|---|---|---|"
  for k in "${KEYS[@]}"; do
    IFS=$'\t' read -r _ d a r u note < <(grep -P "^$k\t" "$B/results/$n.tsv" || printf '%s\tn/a\tn/a\tn/a\t\t\n' "$k")
    echo "| ${LABEL[$k]} | $d $u | $a $u | $r | ${TARGET[$k]} | $note |"
  done
done

if [ ${#NS[@]} -gt 1 ]; then
  echo
  echo "### Growth (docket's figure; p99 for the p50 / p99 rows)"
  echo
  head="| what |"; sep="|---|"
  for n in "${NS[@]}"; do head="$head $n |"; sep="$sep---|"; done
  for ((i = 1; i < ${#NS[@]}; i++)); do head="$head × ${NS[i-1]} → ${NS[i]} |"; sep="$sep---|"; done
  echo "$head"; echo "$sep"
  for k in "${KEYS[@]}"; do
    line="| ${LABEL[$k]} |"; vals=()
    for n in "${NS[@]}"; do
      v=$(awk -F'\t' -v k="$k" '$1 == k { print $2 " " $5 }' "$B/results/$n.tsv")
      line="$line ${v:-n/a} |"; vals+=("$(awk '{ print (NF >= 2 ? $(NF - 1) : $1) }' <<<"${v:-n/a}")")
    done
    for ((i = 1; i < ${#NS[@]}; i++)); do
      line="$line $(awk -v a="${vals[i]}" -v b="${vals[i-1]}" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "×%.1f", a / b; else print "n/a" }') |"
    done
    echo "$line"
  done
fi
