#!/usr/bin/env bash
# How long the UI takes to exit once its terminal goes away (tmux
# kill-session: the pty closes and the process gets SIGHUP). Target: 1 s.
# "Exited" means the process is gone or a zombie: a zombie has finished, it
# only waits for tmux to reap it.
#
#   bench/hangup.sh [TRIALS]      (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-8}
command -v tmux >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq tmux; }
cargo build --release --locked --bin docket
D=$PWD/target/release/docket
T=$(mktemp -d)
export HOME=$T/home XDG_CONFIG_HOME=$T/home/.config GIT_CONFIG_NOSYSTEM=1
mkdir -p "$HOME"
git config --global user.name Bench && git config --global user.email bench@example.com
"$D" init "$T/ws" --example --commit >/dev/null
for i in $(seq "$N"); do
  tmux new-session -d -s "docket-hup-$i" -x 120 -y 40 "cd $T/ws && exec $D"
  pid=""
  for _ in $(seq 200); do pid=$(pgrep -x docket | head -1 || true); [ -n "$pid" ] && break; sleep 0.01; done
  sleep 1
  t0=$(date +%s%N)
  tmux kill-session -t "docket-hup-$i"
  while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.002; done
  t1=$(date +%s%N)
  echo "trial $i: exited $(( (t1 - t0) / 1000000 )) ms after the terminal went away"
done
rm -rf "$T"
