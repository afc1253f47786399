#!/usr/bin/env bash
# Drives the loopback venue with two clients we did not write: Binance's official Node connector
# and ccxt (tests/thirdparty/*_run.js). For each script: starts a fresh
#   winiswin venue --port 0 --synthetic --speed 60
# with the test keys in its environment, reads "listening on http://127.0.0.1:PORT" from the
# first line of its stdout, runs the script against it, and always stops the venue.
#
#   tests/thirdparty/run_against_venue.sh [path/to/winiswin] [script.js ...]
#
# Exit 0: every script passed. 1: a script failed, or the venue did not start. 77 (CTest's
# SKIP_RETURN_CODE): Node.js or the npm install (tools/setup.sh: npm ci here) is missing — a
# skip only outside CI: with WINISWIN_REQUIRE_SHARED=1 (.ci/run) that is a failure too.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
binary="${1:-$here/../../build/winiswin}"
shift $(( $# > 0 ? 1 : 0 ))
scripts=("$@")
[ ${#scripts[@]} -eq 0 ] && scripts=(official_connector_run.js ccxt_run.js)

# Binance's official HMAC test vector (shared/spec/signing.md).
export BINANCE_API_KEY="${BINANCE_API_KEY:-dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83}"
export BINANCE_API_SECRET="${BINANCE_API_SECRET:-2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9}"
# Loopback only: no proxy in between.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost

start_timeout="${VENUE_START_TIMEOUT:-30}"   # seconds until the first stdout line
script_timeout="${SCRIPT_TIMEOUT:-240}"      # seconds per client run
speed="${VENUE_SPEED:-60}"

missing_install() {
  if [ "${WINISWIN_REQUIRE_SHARED:-}" = "1" ]; then
    echo "thirdparty: FAIL: $1 (WINISWIN_REQUIRE_SHARED=1: tools/setup.sh must have installed it)" >&2
    exit 1
  fi
  echo "thirdparty: SKIP: $1 — run tools/setup.sh (npm ci in tests/thirdparty)" >&2
  exit 77
}

command -v node >/dev/null 2>&1 || missing_install "node is not on PATH"
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 18 ] || missing_install "node $(node --version 2>/dev/null) is older than 18"
for package in ccxt @binance/derivatives-trading-usds-futures; do
  [ -f "$here/node_modules/$package/package.json" ] || missing_install "tests/thirdparty/node_modules/$package is not installed"
done
if [ ! -x "$binary" ]; then
  echo "thirdparty: FAIL: no venue binary at $binary (build the winiswin target)" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/winiswin-thirdparty.XXXXXX")"
venue_pid=""

stop_venue() {
  [ -n "$venue_pid" ] || return 0
  if kill -0 "$venue_pid" 2>/dev/null; then
    kill -TERM "$venue_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$venue_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$venue_pid" 2>/dev/null; then
      echo "thirdparty: the venue ignored SIGTERM for 5 s; killing it" >&2
      kill -KILL "$venue_pid" 2>/dev/null
    fi
  fi
  wait "$venue_pid" 2>/dev/null
  venue_pid=""
}
cleanup() {
  stop_venue
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the venue; sets venue_url or fails.
start_venue() {
  local log_prefix="$1"
  : >"$work/$log_prefix.out"
  "$binary" venue --port 0 --synthetic --speed "$speed" >"$work/$log_prefix.out" 2>"$work/$log_prefix.err" &
  venue_pid=$!
  local deadline=$(( SECONDS + start_timeout )) first=""
  while [ $SECONDS -lt $deadline ]; do
    if [ "$(wc -l <"$work/$log_prefix.out")" -ge 1 ]; then   # a whole first line
      IFS= read -r first <"$work/$log_prefix.out"
      break
    fi
    if ! kill -0 "$venue_pid" 2>/dev/null; then
      echo "thirdparty: FAIL: the venue exited before listening; its stderr:" >&2
      tail -n 30 "$work/$log_prefix.err" >&2
      return 1
    fi
    sleep 0.1
  done
  if [[ ! "$first" =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]]; then
    echo "thirdparty: FAIL: the venue's first stdout line within ${start_timeout} s was '${first}', not 'listening on http://127.0.0.1:PORT'" >&2
    tail -n 30 "$work/$log_prefix.err" >&2
    return 1
  fi
  venue_url="${BASH_REMATCH[1]}"
}

passed=0
failed=0
for script in "${scripts[@]}"; do
  name="${script%.js}"
  venue_url=""
  if ! start_venue "$name"; then
    stop_venue
    failed=$((failed + 1))
    continue
  fi
  echo "thirdparty: $script against winiswin venue at $venue_url (pid $venue_pid, --synthetic --speed $speed)"
  (cd "$here" && timeout --kill-after=5 "$script_timeout" node "$script" "$venue_url")
  status=$?
  if [ $status -eq 0 ]; then
    passed=$((passed + 1))
  else
    [ $status -eq 124 ] && echo "thirdparty: FAIL: $script did not finish within ${script_timeout} s" >&2
    echo "thirdparty: $script failed (exit $status); the venue's last stderr lines:" >&2
    tail -n 20 "$work/$name.err" >&2
    failed=$((failed + 1))
  fi
  if ! kill -0 "$venue_pid" 2>/dev/null; then
    echo "thirdparty: FAIL: the venue died during $script" >&2
    [ $status -eq 0 ] && { passed=$((passed - 1)); failed=$((failed + 1)); }
  fi
  stop_venue
done

echo "thirdparty: $passed passed, $failed failed"
[ $failed -eq 0 ]
