#!/usr/bin/env bash
# Set up Panel Desk on a fresh Debian machine and either run it or test it.
#   bash packaging/bootstrap.sh run    # install, then open the demo workspace
#   bash packaging/bootstrap.sh test   # install with test extras, then lint and run the whole suite
set -euo pipefail
mode=${1:-test}
shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Debian packages: age (interop tests and emergencies), poppler-utils (pdfsig, pdftoppm),
# libnss3-tools (certutil), desktop-file-utils (the desktop file tests), what Qt needs even offscreen, a
# font, and for a real window the xcb bits.
debs=(age poppler-utils libnss3-tools desktop-file-utils libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
if [ "$mode" = run ]; then
  debs+=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
         libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
fi
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
case "$mode" in
  run)
    .venv/bin/python -m pip install -q --disable-pip-version-check -e . 2>&1 | grep -v '^WARNING: Location' || true
    exec .venv/bin/panel-desk demo "$@"
    ;;
  test)
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" 2>&1 | grep -v '^WARNING: Location' || true
    .venv/bin/ruff check .
    QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash packaging/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac
