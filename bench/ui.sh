#!/usr/bin/env bash
# Measures the terminal UI at scale: the first frame, the frame after the
# workspace loaded, and each filter keystroke to its frame and to the frame
# with the worker's matches. Runs the release binary in tmux (120x40) on the
# workspace bench/commit.sh generates (generating it when missing), with
# DOCKET_TIMING logging frame times.
#
#   bench/ui.sh [CASES]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
command -v tmux >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq tmux; }
cargo build --release --locked --bin docket --example generate
D=$PWD/target/release/docket
B=${BENCH_DIR:-/tmp/docket-bench}
W=$B/ws
if [ ! -f "$W/docket.toml" ]; then
  rm -rf "$B" && mkdir -p "$B/home"
  ./target/release/examples/generate "$W" "$N"
  (cd "$W" && git init -q && git add -A && git -c user.name=Bench -c user.email=bench@example.com commit -qm generated)
fi
mkdir -p "$B/home"
LOG=$B/timing.log
rm -f "$LOG"
tmux kill-session -t docket-bench 2>/dev/null || true
tmux new-session -d -s docket-bench -x 120 -y 40 \
  "cd '$W' && HOME='$B/home' DOCKET_TIMING='$LOG' '$D'"
for _ in $(seq 1 100); do grep -q '^loaded' "$LOG" 2>/dev/null && break; sleep 0.2; done
sleep 0.5
tmux send-keys -t docket-bench /
for c in r e f u n d; do tmux send-keys -t docket-bench "$c"; sleep 0.3; done
sleep 1
tmux send-keys -t docket-bench Escape
sleep 0.3
tmux send-keys -t docket-bench q
sleep 0.5
tmux kill-session -t docket-bench 2>/dev/null || true
echo "== raw log ($LOG)"
cat "$LOG"
echo "== summary"
awk '
  /^first frame/ { print "first frame:            " $3 " ms after start" }
  /^loaded/      { split($0, a, "at "); sub(/ ms\)/, "", a[2]); print "workspace on screen:    " a[2] " ms after start (frame " $4 " ms)" }
  /^key -> frame/ { n++; sum += $4; if ($4 > max) max = $4 }
  /^matched -> frame/ { m++ }
  END { if (n) printf "key to frame:           mean %.2f ms, max %.2f ms over %d keys\n", sum / n, max, n; print "worker match frames:    " m }
' "$LOG"
