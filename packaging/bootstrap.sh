#!/usr/bin/env bash
# Set up Panel Desk on a fresh Debian machine and either run it or test it.
#   bash packaging/bootstrap.sh run    # install, then open the demo workspace
#   bash packaging/bootstrap.sh test   # install with test extras, then lint and run the whole suite
set -euo pipefail
mode=${1:-test}
shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Debian packages: age (interop tests and emergencies), poppler-utils (pdfsig, pdftoppm), qpdf (checks),
# Pango (WeasyPrint typesets the tagged PDF), libnss3-tools (certutil), desktop-file-utils (the desktop
# file tests), what Qt needs even offscreen, a font, and for a real window the xcb bits.
debs=(age poppler-utils qpdf libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libnss3-tools desktop-file-utils libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
if [ "$mode" = run ]; then
  debs+=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
         libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
fi
# The post-quantum interop tests run a second age implementation (npm age-encryption) on Node.
if [ "$mode" = test ] && ! command -v npm >/dev/null 2>&1; then debs+=(nodejs npm); fi
missing=()
for p in "${debs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$mode" = test ]; then
  # optional: the axe-core check of the web version (skipped, and counted, where these cannot be installed)
  optional=()
  dpkg -s chromium >/dev/null 2>&1 || optional+=(chromium)
  command -v node >/dev/null || optional+=(nodejs)
  command -v npm >/dev/null || optional+=(npm)
  if [ ${#optional[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null \
      || echo "Could not install ${optional[*]}: the axe-core check will be skipped"
  fi
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
    if command -v npm >/dev/null && [ ! -d .tools/axe/node_modules/axe-core ]; then
      mkdir -p .tools/axe
      npm install --prefix .tools/axe --no-audit --no-fund --silent axe-core@4 puppeteer-core@25 \
        || echo "npm could not install axe-core and puppeteer-core: the axe-core check will be skipped"
    fi
    # npm age-encryption (pinned in its package-lock.json) for the hybrid interop tests; they skip
    # with the reason if npm cannot reach its registry.
    (cd tests/core/age/node_age && npm ci --no-audit --no-fund --loglevel=error) \
      || echo "npm could not install age-encryption: the post-quantum interop tests will be skipped" >&2
    .venv/bin/ruff check .
    QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash packaging/bootstrap.sh run|test" >&2
    exit 2
    ;;
esac
