#!/usr/bin/env bash
# Does Discord — up, or down — move the decision cycle? Two paper runs at once, each on its
# own loopback venue replaying the same synthetic market (6 symbols, market time 3000× wall
# time: ten 5m closes a second, min_confidence 0.05 so that they trade and post): one with
# DISCORD_WEBHOOK_URL at a local fake (a Node HTTP server answering 204), one without. In
# windows of WINDOW seconds the fake is up, then killed (connections refused: the notifier
# retries with back-off while messages queue), then up again on the same port. Both runs are
# sampled in the same windows, so the machine's load weighs on both alike. Each window's mean
# cycle time comes from each run's /metrics (winiswin_decision_cycle_seconds _sum, _count).
# Not a test: figures for the README.   bench/discord_outage.sh [build/winiswin]
set -euo pipefail
binary="${1:-build/winiswin}"
window="${WINDOW:-10}"
work="$(mktemp -d)"
export BINANCE_API_KEY=BenchKey0123456789abcdef BINANCE_API_SECRET=bench-secret-0123456789
printf '[strategy]\nmin_confidence = 0.05\n' >"$work/config.toml"
pids=()
trap 'kill "${pids[@]}" ${fake:-} 2>/dev/null; rm -rf "$work"' EXIT
fake_port="$((20000 + RANDOM % 10000))"
start_fake() {
  node -e "require('http').createServer((q,r)=>{q.resume();q.on('end',()=>{r.statusCode=204;r.end()})}).listen($fake_port,'127.0.0.1')" &
  fake=$!; sleep 0.5
}
sample() {
  curl -s "127.0.0.1:$1/metrics" | awk '/^winiswin_decision_cycle_seconds_sum/{s=$2} /^winiswin_decision_cycle_seconds_count/{c=$2} END{print s, c}'
}
report() {  # label, before, after
  read -r s0 c0 <<<"$2"; read -r s1 c1 <<<"$3"
  awk -v l="$1" -v s0="$s0" -v c0="$c0" -v s1="$s1" -v c1="$c1" \
    'BEGIN{ n=c1-c0; printf "%-22s decisions %4d  mean cycle %.3f ms\n", l, n, n ? 1000*(s1-s0)/n : 0 }'
}
pair_of() {  # label: the run with Discord and the one without, over the same window
  local d0 q0 d1 q1; d0="$(sample "$discord_port")"; q0="$(sample "$quiet_port")"; sleep "$window"; sleep 1.5
  d1="$(sample "$discord_port")"; q1="$(sample "$quiet_port")"
  report "$1" "$d0" "$d1"; report "  no discord, same time" "$q0" "$q1"
}
run_engine() {  # name, extra environment…
  local name="$1"; shift
  "$binary" --log-level warn venue --port 0 --synthetic-count 6 --days 12 --history-days 4 --speed 3000 >"$work/$name.venue" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/$name.venue" ] && break; sleep 0.2; done
  local url; url="$(head -1 "$work/$name.venue" | sed 's/listening on //')"
  env "$@" "$binary" --log-level warn --config "$work/config.toml" run --mode paper --venue-url "$url" --symbols 6 \
    --journal "$work/$name.sqlite" --http 127.0.0.1:0 >"$work/$name.run" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/$name.run" ] && break; sleep 0.2; done
  port="$(head -1 "$work/$name.run" | sed 's/.*://')"
}
start_fake
run_engine discord "DISCORD_WEBHOOK_URL=http://127.0.0.1:$fake_port/api/webhooks/1/bench"; discord_port="$port"
run_engine quiet "DISCORD_WEBHOOK_URL="; quiet_port="$port"
sleep 10  # warm: history and the first decisions
for round in 1 2 3; do
  pair_of "discord up"
  kill "$fake"; wait "$fake" 2>/dev/null || true
  pair_of "discord down (killed)"
  start_fake
done
