#!/usr/bin/env bash
# Does flooding the ops HTTP API move the decision cycle? A paper run on the loopback venue
# (6 synthetic symbols, market time 300× wall time: a 5m close a second) with --http, and
# windows of WINDOW seconds alternately quiet and flooded (bench/ops_flood.mjs: CONCURRENCY
# keep-alive loops on one endpoint). Each window's mean decision-cycle time comes from the
# run's own /metrics (winiswin_decision_cycle_seconds _sum and _count deltas; the decision
# thread's CPU in them from winiswin_decision_cycle_cpu_seconds_total), and the engine's CPU
# from process_cpu_seconds_total. FLOOD_NICE (default 0) runs the flooding client at that
# niceness: 19 stands for a scraper on another machine. Not a test: figures for the README.
# The endpoint /api/stream floods with dashboard WebSocket clients instead (ops_flood.mjs).
#   bench/ops_flood.sh [build/winiswin] [endpoint: /metrics | /api/stream]
set -euo pipefail
binary="${1:-build/winiswin}"
endpoint="${2:-/metrics}"
window="${WINDOW:-20}"
concurrency="${CONCURRENCY:-8}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
export BINANCE_API_KEY=BenchKey0123456789abcdef BINANCE_API_SECRET=bench-secret-0123456789
"$binary" --log-level warn venue --port 0 --synthetic-count 6 --days 8 --history-days 4 --speed 300 >"$work/venue.out" &
venue=$!
trap 'kill $venue ${engine:-} 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/venue.out" ] && break; sleep 0.2; done
url="$(head -1 "$work/venue.out" | sed 's/listening on //')"
"$binary" --log-level warn run --mode paper --venue-url "$url" --symbols 6 --warmup-bars 300 --journal "$work/j.sqlite" \
  --http 127.0.0.1:0 >"$work/run.out" &
engine=$!
for _ in $(seq 100); do [ -s "$work/run.out" ] && break; sleep 0.2; done
port="$(head -1 "$work/run.out" | sed 's/.*://')"
sleep 5  # warm
sample() {
  curl -s "127.0.0.1:$port/metrics" | awk '/^winiswin_decision_cycle_seconds_sum/{s=$2} /^winiswin_decision_cycle_seconds_count/{c=$2}
    /^winiswin_decision_cycle_cpu_seconds_total/{u=$2} /^process_cpu_seconds_total/{p=$2} END{print s, c, u, p}'
}
report() {  # label, before, after
  read -r s0 c0 u0 p0 <<<"$2"; read -r s1 c1 u1 p1 <<<"$3"
  awk -v l="$1" -v s0="$s0" -v c0="$c0" -v u0="$u0" -v p0="$p0" -v s1="$s1" -v c1="$c1" -v u1="$u1" -v p1="$p1" -v w="$window" \
    'BEGIN{ n=c1-c0; printf "%-6s decisions %3d  mean cycle %.2f ms wall, %.2f ms CPU  engine process CPU %.0f %%\n", l, n,
            n ? 1000*(s1-s0)/n : 0, n ? 1000*(u1-u0)/n : 0, 100*(p1-p0)/w }'
}
for round in 1 2; do
  sleep 1.5  # let a 1 s metrics cache expire
  before="$(sample)"; sleep "$window"; sleep 1.5; after="$(sample)"; report quiet "$before" "$after"
  sleep 1.5
  scheme=http; [ "$endpoint" = /api/stream ] && scheme=ws
  before="$(sample)"; nice -n "${FLOOD_NICE:-0}" node "$here/ops_flood.mjs" "$scheme://127.0.0.1:$port$endpoint" "$window" "$concurrency"; sleep 1.5; after="$(sample)"
  report flood "$before" "$after"
done
