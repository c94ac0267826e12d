#!/usr/bin/env bash
# Installs what the browser and HTML checks need: Debian's Chromium, a Java runtime, and the npm packages
# (axe-core, vnu-jar) pinned in package-lock.json. Safe to run repeatedly; installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing ${need[*]}: run 'sudo apt-get install ${need[*]}' (or run make test as root)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ -f package-lock.json ] && [ ! -d node_modules/axe-core ] || [ -f package-lock.json ] && [ ! -d node_modules/vnu-jar ]; then
  npm ci --silent --no-audit --no-fund
fi
