#!/usr/bin/env bash
# Build the standalone one-folder app (dist/panel-desk/) with PyInstaller, then smoke-test it:
#   1. `panel-desk --version`;
#   2. the window starting offscreen (quits by itself after PANEL_DESK_SMOKE_QUIT_MS, if the app
#      supports it; otherwise the window must still be running when `timeout` stops it);
#   3. the demo workspace, built by the frozen app;
#   4. verifying and importing the demo bundles through the frozen CLI;
#   5. signing and verifying a published advice (pyHanko, reportlab, fonts) through the frozen CLI;
#   6. what the folder must not hold (GTK, aiohttp) and the newest glibc it needs;
#   7. the Debian package (packaging/deb.sh): built, installed with dpkg -i, run from PATH, removed.
# Usage: bash packaging/build.sh            (from anywhere; uses .venv/ at the repository root)
#   PANEL_DESK_NO_DEB=1     skip the Debian package (7)
#   PANEL_DESK_NO_INSTALL=1 build the package but do not install it on this machine
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
py=.venv/bin/python
[ -x "$py" ] || { echo "No .venv: run 'bash packaging/bootstrap.sh test' first." >&2; exit 1; }

start=$(date +%s)
mkdir -p build
"$py" -m pip install -q --disable-pip-version-check -e ".[package]" >"$here/build/pip.log" 2>&1 \
  || { cat "$here/build/pip.log" >&2; exit 1; }
"$py" -m PyInstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist \
  packaging/panel-desk.spec
built=$(date +%s)
app=dist/panel-desk/panel-desk
echo "Built $app in $((built - start)) s; folder size $(du -sh dist/panel-desk | cut -f1)"

smoke=$(mktemp -d)
trap 'rm -rf "$smoke"' EXIT

echo "Smoke 1: --version"
"$app" --version | grep -q '^panel-desk ' || { echo "FAIL: --version" >&2; exit 1; }

echo "Smoke 2: the window, offscreen"
set +e
QT_QPA_PLATFORM=offscreen PANEL_DESK_SMOKE_QUIT_MS=1500 PANEL_DESK_HOME="$smoke/profile" \
  timeout 10 "$app" >"$smoke/window.log" 2>&1
rc=$?
set -e
case $rc in
  0) echo "  window started and quit by itself" ;;
  124) echo "  window started and was still running after 10 s (PANEL_DESK_SMOKE_QUIT_MS is not honoured yet)" ;;
  *) echo "FAIL: the window exited with $rc" >&2; cat "$smoke/window.log" >&2; exit 1 ;;
esac

echo "Smoke 3: the demo workspace, built by the frozen app (reportlab, scrypt, sealing), offscreen"
set +e
QT_QPA_PLATFORM=offscreen PANEL_DESK_SMOKE_QUIT_MS=500 timeout 20 "$app" demo --dir "$smoke/demo" >"$smoke/demo.log" 2>&1
rc=$?
set -e
if [ ! -f "$smoke/demo/demo.json" ] && [ $rc = 124 ]; then
  echo "  SKIPPED: 'panel-desk demo' does not reach panel_desk.ui.demo.run_demo yet (a window opened instead)"
elif [ -f "$smoke/demo/demo.json" ] && [ "$(ls "$smoke/demo/bundles" | wc -l)" = 3 ] && [ $rc = 0 ]; then
  echo "  demo built ($(du -sh "$smoke/demo" | cut -f1)) and the window quit by itself"
else
  echo "FAIL: the demo exited with $rc" >&2; cat "$smoke/demo.log" >&2; exit 1
fi

echo "Smoke 4: demo bundles through the frozen CLI"
# The demo workspace is made with the development install (demo identities: low scrypt work factor).
"$py" -c 'import sys; from pathlib import Path; from panel_desk.core.demo.builder import build_demo_workspace as b; b(Path(sys.argv[1]))' "$smoke/ws"
member="$smoke/ws/people/tom-okafor"
secretariat_card="$smoke/ws/people/priya-natarajan/card.json"
export PANEL_DESK_PASSPHRASE=demo-tom
for bundle in "$smoke"/ws/bundles/*.pdbundle; do
  "$app" bundle open "$bundle" --identity "$member/identity.age" --trust "$secretariat_card" >"$smoke/open.txt" \
    || { echo "FAIL: bundle open $bundle" >&2; exit 1; }
  echo "  verified: $(head -1 "$smoke/open.txt")"
done
if "$app" init --help >/dev/null 2>&1 && "$app" import --help >/dev/null 2>&1; then
  "$app" --profile "$smoke/fresh" init --identity "$member/identity.age" --trust "$secretariat_card" >/dev/null
  "$app" --profile "$smoke/fresh" import "$smoke"/ws/bundles/*.pdbundle | sed 's/^/  /'
  [ "$("$app" --profile "$smoke/fresh" list | grep -c -- '-demo')" = 3 ] || { echo "FAIL: import" >&2; exit 1; }
  echo "  imported into a fresh profile"
  # the question form is read from the frozen app's data (forms/ beside the code)
  first=$("$app" --profile "$smoke/fresh" list | head -1 | cut -d' ' -f1)
  "$app" --profile "$smoke/fresh" response template "$first" | grep -q '^application_revision = 1' \
    || { echo "FAIL: the question form could not be read" >&2; exit 1; }
  echo "  the question form reads from the frozen app"
else
  echo "  (init/import are not in this build yet: verified with 'bundle open' only)"
fi
echo "Smoke 5: sign and verify a published advice with the frozen CLI"
read -r sam app_id < <("$py" packaging/smoke_panel.py "$smoke/panel")
export PANEL_DESK_PASSPHRASE=smoke-test-not-secret
"$app" --profile "$sam" ca init >/dev/null
"$app" --profile "$sam" ca export-root --out "$smoke/root.pem" >/dev/null
"$app" --profile "$sam" advice export "$app_id" --pdf "$smoke/advice.pdf" --html "$smoke/advice.html" \
  | grep -q '^Signed by ' || { echo "FAIL: advice export" >&2; exit 1; }
"$app" verify "$smoke/advice.pdf" --trust "$smoke/root.pem" >"$smoke/verify.txt" \
  || { cat "$smoke/verify.txt" >&2; echo "FAIL: verify" >&2; exit 1; }
grep -q '^Chain reaches a trusted root: yes' "$smoke/verify.txt" || { echo "FAIL: verify" >&2; exit 1; }
echo "  signed ($(du -h "$smoke/advice.pdf" | cut -f1) PDF) and verified: $(tail -1 "$smoke/verify.txt")"

echo "Smoke 6: what the folder holds"
internal=dist/panel-desk/_internal
unwanted=$(cd "$internal" && ls -d aiohttp yarl multidict frozenlist libgtk-3.so* libgdk-3.so* libcairo.so* libatk-1.0.so* \
  PySide6/Qt/plugins/platformthemes/libqgtk3.so 2>/dev/null || true)
[ -z "$unwanted" ] || { echo "FAIL: the folder holds $unwanted" >&2; exit 1; }
[ "$(ls "$internal"/resources/icons/io.github.paneldesk.PanelDesk-*.png | wc -l)" = 8 ] \
  || { echo "FAIL: the window's icons are not in the folder" >&2; exit 1; }
glibc=$(find dist/panel-desk -type f \( -name '*.so*' -o -name panel-desk \) -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -1)
echo "  no GTK (Pango only for WeasyPrint) and no aiohttp; the icons; $(du -sh dist/panel-desk | cut -f1) in all; needs $glibc or newer (this machine: $(ldd --version | head -1 | awk '{print $NF}'))"

if [ "${PANEL_DESK_NO_DEB:-0}" = 1 ] || ! command -v dpkg-deb >/dev/null; then
  echo "Smoke 7: SKIPPED (no dpkg-deb, or PANEL_DESK_NO_DEB=1)"
else
  echo "Smoke 7: the Debian package"
  bash packaging/deb.sh | sed 's/^/  /'
  deb=$(ls -t dist/panel-desk_*.deb | head -1)
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if [ "${PANEL_DESK_NO_INSTALL:-0}" = 1 ] || ! $sudo true 2>/dev/null; then
    echo "  not installed (PANEL_DESK_NO_INSTALL=1, or no root): check with 'sudo dpkg -i $deb'"
  elif dpkg -s panel-desk >/dev/null 2>&1; then
    echo "  not installed: panel-desk is already installed on this machine, and the test would replace it"
  else
    # what the package needs from the system, installed first so that dpkg -i can configure it
    needs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk '{print $1}' | grep -v '^$')
    missing=$(for p in $needs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
    if [ -n "$missing" ]; then
      echo "  installing what it depends on: $(echo $missing)"
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >"$smoke/apt.log" 2>&1 \
        || { cat "$smoke/apt.log" >&2; echo "FAIL: apt-get install $missing" >&2; exit 1; }
    fi
    $sudo dpkg -i "$deb" >"$smoke/dpkg.log" 2>&1 || { cat "$smoke/dpkg.log" >&2; echo "FAIL: dpkg -i" >&2; exit 1; }
    trap '$sudo dpkg --purge panel-desk >/dev/null 2>&1 || true; rm -rf "$smoke"' EXIT
    [ "$(command -v panel-desk)" = /usr/bin/panel-desk ] || { echo "FAIL: panel-desk is not on PATH" >&2; exit 1; }
    (cd / && panel-desk --version) | grep -q '^panel-desk ' || { echo "FAIL: installed panel-desk --version" >&2; exit 1; }
    (cd / && panel-desk verify "$smoke/advice.pdf" --trust "$smoke/root.pem" >/dev/null) \
      || { echo "FAIL: installed panel-desk verify" >&2; exit 1; }
    if command -v desktop-file-validate >/dev/null; then
      desktop-file-validate /usr/share/applications/panel-desk.desktop || { echo "FAIL: desktop file" >&2; exit 1; }
    fi
    [ -f /usr/share/icons/hicolor/48x48/apps/io.github.paneldesk.PanelDesk.png ] || { echo "FAIL: icon" >&2; exit 1; }
    set +e
    QT_QPA_PLATFORM=offscreen PANEL_DESK_SMOKE_QUIT_MS=1500 PANEL_DESK_HOME="$smoke/installed" \
      timeout 10 panel-desk >"$smoke/installed.log" 2>&1
    rc=$?
    set -e
    [ $rc = 0 ] || { cat "$smoke/installed.log" >&2; echo "FAIL: the installed window exited with $rc" >&2; exit 1; }
    $sudo dpkg --purge panel-desk >/dev/null
    [ ! -e /usr/bin/panel-desk ] || { echo "FAIL: dpkg --purge left /usr/bin/panel-desk" >&2; exit 1; }
    echo "  installed with dpkg -i: /usr/bin/panel-desk runs (--version, verify, the window), the desktop file"
    echo "  validates, the icon is in hicolor; removed again with dpkg --purge"
  fi
fi
echo "OK: $app passed the smoke tests ($(($(date +%s) - start)) s in all)"
