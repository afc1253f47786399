#!/usr/bin/env bash
# backtest --data streamed from files: whole-process wall time and peak memory (/usr/bin/time
# -v), for a large synthetic market in the binary store (SYMBOLS × DAYS of 1m bars, one .wkl
# per symbol as `winiswin synth` writes it) on each of THREADS, then the same smaller market
# (SMALL_SYMBOLS × SMALL_DAYS) as CSV and as .wkl, streamed and --preload, and the time
# headless Chromium takes to render the large run's report.html. Every line says the load
# average when it was measured (the machine may be shared). The data is written under WORK
# (default: a new folder in $TMPDIR) and deleted at the end. Not a test: figures for the README.
#   bench/data_stream_bench.sh [build/winiswin]
# Disk: SYMBOLS × DAYS × 1440 × 88 B (200 × 365: 9.3 GB), checked before writing.
set -euo pipefail
binary="$(realpath "${1:-build/winiswin}")"
symbols="${SYMBOLS:-200}" days="${DAYS:-365}" threads="${THREADS:-1 2}"
small_symbols="${SMALL_SYMBOLS:-20}" small_days="${SMALL_DAYS:-60}"
work="$(mktemp -d -p "${WORK:-${TMPDIR:-/tmp}}" winiswin_stream_bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

need=$(( symbols * days * 1440 * 88 / 1000000 ))
free_mb=$(( $(df --output=avail -k "$work" | tail -1) / 1000 ))
if (( need * 12 / 10 > free_mb )); then
  echo "not enough disk under $work: ${need} MB of bars, ${free_mb} MB free; lower SYMBOLS or DAYS" >&2
  exit 1
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
# label, command...: one line with wall time, peak RSS, the load average, and the backtest's own line.
measure() {
  local label="$1"; shift
  local before; before="$(load)"
  /usr/bin/time -v "$@" >"$work/stdout" 2>"$work/time"
  local wall rss
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$work/time")"
  rss="$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2 / 1024}' "$work/time")"
  printf '%-44s wall %8s  peak %6s MB  load %s → %s\n' "$label" "$wall" "$rss" "$before" "$(load)"
  grep -h '^backtest:' "$work/stdout" | sed 's/^/    /' || true
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(lscpu | awk -F': +' '/Model name/{print $2}')), $(free -g | awk '/Mem:/{print $2}') GB RAM"

# CSV against the binary store, streamed and loaded whole, on the smaller market.
"$binary" --log-level warn synth --symbols "$small_symbols" --days "$small_days" --threads 2 --out "$work/small-wkl" >/dev/null
"$binary" --log-level warn data convert "$work/small-wkl" "$work/small-csv" >/dev/null
cp "$work/small-wkl/exchangeInfo.json" "$work/small-csv/"
for format in csv wkl; do
  measure "$small_symbols × $small_days d, $format, streamed, 2 threads" \
    "$binary" --log-level warn backtest --data "$work/small-$format" --threads 2 --out "$work/out"
  measure "$small_symbols × $small_days d, $format, --preload, 2 threads" \
    "$binary" --log-level warn backtest --data "$work/small-$format" --preload --threads 2 --out "$work/out"
done
rm -rf "$work/small-wkl" "$work/small-csv"

# The large market from the binary store, on each thread count.
"$binary" --log-level warn synth --symbols "$symbols" --days "$days" --threads 2 --out "$work/large" >/dev/null
echo "large market: $(du -sh "$work/large" | cut -f1) of .wkl"
for count in $threads; do
  measure "$symbols × $days d, wkl, streamed, $count thread(s)" \
    "$binary" --log-level warn backtest --data "$work/large" --threads "$count" --out "$work/large-out-$count"
done

# The large run's report in headless Chromium (as tests/report renders it).
last_out="$work/large-out-${threads##* }"
profile="$work/chromium-profile"
start=$(date +%s.%N)
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --user-data-dir="$profile" --dump-dom "file://$last_out/report.html" >/dev/null 2>&1
end=$(date +%s.%N)
printf 'report.html %s: rendered (chromium --headless --dump-dom, its start included) in %.1f s, load %s\n' \
  "$(du -h "$last_out/report.html" | cut -f1)" "$(echo "$end - $start" | bc)" "$(load)"
