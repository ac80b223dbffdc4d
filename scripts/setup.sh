#!/usr/bin/env bash
# Set up everything Candor needs on Debian: apt tools, then one pip resolve into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES="libsmali-java aapt android-framework-res apksigner zipalign dexdump chromium fonts-noto-cjk zip unzip poppler-utils"
missing=""
for pkg in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if ! command -v apt-get >/dev/null; then
    echo "candor setup: missing Debian packages ($missing) and no apt-get to install them" >&2; exit 1
  fi
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "candor setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
python=$(bash scripts/find_python.sh)
stamp=.venv/.candor-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade "pip>=24" >/dev/null
  .venv/bin/python -m pip install -q -c constraints.txt -e ".[dev]"
  .venv/bin/python -m pip check
  touch "$stamp"
fi
