#!/usr/bin/env bash
# Builds TA-Lib's C library from the npm package `talib` 2.0.5 (node-talib), pinned by
# bench/talib/package-lock.json: the very build that produced ../shared/oracles/talib, used
# by `make bench` as the speed comparator. Idempotent: does nothing once built.
#
# The published tarball ships stale macOS objects whose timestamps make `make` skip the
# Linux build ("archive has no index"), so: install without scripts, clean, then rebuild
# against the system's Node headers (shared/oracles/README.md).
set -euo pipefail
cd "$(dirname "$0")/../bench/talib"
library=node_modules/talib/src/lib/lib/libta_func_csr.a
marker=node_modules/talib/.winiswin-built
[ -f "$marker" ] && [ -f "$library" ] && exit 0

if ! command -v npm >/dev/null 2>&1; then
  echo "build_talib: installing nodejs and npm" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm node-gyp >/dev/null
fi
echo "build_talib: building TA-Lib from npm talib 2.0.5 (about 30 s, once)" >&2
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
(cd node_modules/talib && node src/lib/clean.js >/dev/null)
node_headers=/usr
[ -d /usr/include/node ] || node_headers="$(dirname "$(dirname "$(command -v node)")")"
npm_config_nodedir="$node_headers" npm rebuild talib --loglevel=error >/dev/null 2>&1
[ -f "$library" ] || { echo "build_talib: $library was not built" >&2; exit 1; }
touch "$marker"
