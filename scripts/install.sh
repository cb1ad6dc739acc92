#!/usr/bin/env bash
# Install the project from scratch: Python packages, the dashboard's browser assets
# (Leaflet and friends from the npm registry, served locally so the page never calls a CDN)
# and, with --test, what the browser tests need (Debian's chromium and an Arabic font).
set -euo pipefail
cd "$(dirname "$0")/.."

extras="test"
if [[ "${1:-}" == "--test" ]]; then
  if command -v apt-get >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then
    sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
  fi
  extras="test,dask,fast"
fi

python3 -m pip install -q -e ".[${extras}]"

if [[ -f dashboard/package.json ]]; then
  (cd dashboard && npm install --no-audit --no-fund --silent)
  python3 -m dashboard.assets
fi
