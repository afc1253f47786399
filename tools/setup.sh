#!/usr/bin/env bash
# Installs the Debian packages winiswin builds and tests with. Idempotent and quiet when
# everything is already there; uses sudo only when not root. The package list is the
# checked set in TOOLCHAIN facts (Debian 12): see README "Dependencies".
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libboost1.81-dev libssl-dev
  libsimdjson-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev
  libsqlite3-dev libxgboost-dev
  zlib1g-dev libzip-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium  # headless: the test that opens the HTML report
)
# Node.js and npm (the report's charting library comes from npm): Debian's, unless present.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned by their lockfiles.
report_dir="$(dirname "$0")/../web/report"
if [ ! -f "$report_dir/node_modules/lightweight-charts/package.json" ]; then
  echo "setup: npm ci in web/report" >&2
  (cd "$report_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The third-party Binance clients the loopback venue is tested with (again when the lockfile
# is newer than the install).
thirdparty_dir="$(dirname "$0")/../tests/thirdparty"
if [ ! -f "$thirdparty_dir/node_modules/ccxt/package.json" ] \
   || [ ! -f "$thirdparty_dir/node_modules/@binance/derivatives-trading-usds-futures/package.json" ] \
   || [ "$thirdparty_dir/package-lock.json" -nt "$thirdparty_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in tests/thirdparty" >&2
  (cd "$thirdparty_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
