#!/usr/bin/env bash
# Installs the Debian packages winiswin builds and tests with. Idempotent and quiet when
# everything is already there; uses sudo only when not root (without root or sudo: lists the
# missing packages and the command to install them, and fails). The package list is the
# checked set in TOOLCHAIN facts (Debian 12): see README "Dependencies".
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libboost1.81-dev libssl-dev
  libsimdjson-dev libtomlplusplus-dev libcli11-dev
  libspdlog-dev libfmt-dev
  libsqlite3-dev libxgboost-dev
  libtorch-dev  # the sequence models (src/ml/sequence): CPU libtorch 1.13
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

# What to do when the packages cannot be installed from here: the list, and the command for
# whoever is root.
tell_missing() {
  cat >&2 <<EOF
setup: $1; install these Debian packages as root, then run make again:
  ${missing[*]}
for example:
  su -c 'apt-get update && apt-get install -y --no-install-recommends ${missing[*]}'
EOF
  exit 1
}

if [ ${#missing[@]} -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || tell_missing "not root and no sudo here"
    as_root=(sudo)
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq >/dev/null || tell_missing "apt-get update failed"
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || tell_missing "apt-get install failed"
fi

# npm packages, pinned by their lockfiles.
report_dir="$(dirname "$0")/../web/report"
if [ ! -f "$report_dir/node_modules/lightweight-charts/package.json" ]; then
  echo "setup: npm ci in web/report" >&2
  (cd "$report_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The third-party Binance clients the loopback venue is tested with, and the Prometheus
# text-format parser of the ops tests (again when the lockfile is newer than the install).
thirdparty_dir="$(dirname "$0")/../tests/thirdparty"
if [ ! -f "$thirdparty_dir/node_modules/ccxt/package.json" ] \
   || [ ! -f "$thirdparty_dir/node_modules/@binance/derivatives-trading-usds-futures/package.json" ] \
   || [ ! -f "$thirdparty_dir/node_modules/parse-prometheus-text-format/package.json" ] \
   || [ "$thirdparty_dir/package-lock.json" -nt "$thirdparty_dir/node_modules/.package-lock.json" ]; then
  echo "setup: npm ci in tests/thirdparty" >&2
  (cd "$thirdparty_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
