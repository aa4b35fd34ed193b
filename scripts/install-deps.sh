#!/usr/bin/env bash
# Installs what Steward needs on Debian 12, skipping what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(build-essential cmake ninja-build lld pkg-config git ca-certificates
      libboost-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
      libtomlplusplus-dev libzip-dev zlib1g-dev libexpat1-dev libxlsxwriter-dev libvips-dev libexif-dev libgtest-dev
      libcairo2-dev libpango1.0-dev libpoppler-glib-dev
      postgresql-15 chromium fonts-noto-cjk nodejs npm wrk curl)
# `make fuzz` alone needs clang-16 and its libFuzzer runtime: scripts/install-deps.sh --fuzz
if [ "${1:-}" = "--fuzz" ]; then pkgs+=(clang-16 libclang-rt-16-dev); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine image may ship its own node/npm outside dpkg; do not replace it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done; missing=("${tmp[@]}")
fi
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Web dependencies: reinstall only when the lock file changed.
if [ -f web/package-lock.json ]; then
  stamp=web/node_modules/.steward-lock
  if [ ! -f "$stamp" ] || ! cmp -s web/package-lock.json "$stamp"; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error) && cp web/package-lock.json "$stamp"
  fi
fi
