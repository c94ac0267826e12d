#!/usr/bin/env bash
# Installs what the browser and HTML checks need: Debian's Chromium, a Java runtime, and the npm packages
# (axe-core, vnu-jar) pinned in package-lock.json. Safe to run repeatedly; installs only what is missing.
# Nothing is downloaded outside the package registries: Playwright's own browsers are never installed (the
# tests drive /usr/bin/chromium) and npm install scripts are skipped (vnu-jar's would fetch a Java runtime).
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing ${need[*]}: run 'sudo apt-get install ${need[*]}' (or run make test as root)" >&2
    exit 1
  fi
  echo "installing ${need[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# npm ci again whenever package-lock.json changed since the last install (or node_modules is incomplete).
stamp=node_modules/.minutebook-package-lock.json
if ! cmp -s package-lock.json "$stamp" || [ ! -f node_modules/axe-core/axe.min.js ] \
   || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "installing the npm packages pinned in package-lock.json" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
