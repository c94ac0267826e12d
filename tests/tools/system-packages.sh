#!/usr/bin/env bash
# Installs the Debian libraries that make the agenda packs' PDFs (WeasyPrint): Pango to lay out text, HarfBuzz's
# subsetter to embed only the glyphs used, and DejaVu fonts (they have £, –, ’ and the ☒ ☐ of ticked boxes).
# Run by `make site` and `make test`. Quiet when everything is there; as root it installs only what is missing,
# otherwise it says what to run. Nothing is downloaded outside Debian's package archive.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "not a Debian system: make sure Pango, HarfBuzz (with its subset library) and a font are installed" >&2
  exit 0
fi
need=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]; then
    need+=("$package")
  fi
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing ${need[*]} (to make the agenda packs' PDFs): run 'sudo apt-get install ${need[*]}' (or run make as root)" >&2
  exit 1
fi
echo "installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
