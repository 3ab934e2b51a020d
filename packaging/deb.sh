#!/usr/bin/env bash
# Package the built one-folder app (dist/panel-desk/) as a Debian package with dpkg-deb:
#   /usr/lib/panel-desk/            the PyInstaller folder (read-only; nothing is written beside it)
#   /usr/bin/panel-desk             a link to it, so the command is on PATH
#   /usr/share/applications/        panel-desk.desktop (checked by desktop-file-install)
#   /usr/share/icons/hicolor/       the icon, SVG and PNG 16…512
#   /usr/share/metainfo/, /usr/share/mime/packages/   AppStream metadata and the .pdbundle type
# dpkg's triggers (desktop-file-utils, shared-mime-info, hicolor-icon-theme) refresh the menus, the
# MIME database and the icon cache, so the package needs no maintainer scripts.
# Usage: bash packaging/deb.sh   (after packaging/build.sh); writes dist/panel-desk_VERSION_ARCH.deb
#   PANEL_DESK_DEB_COMPRESS=gzip  faster (about 1 minute instead of 4 on two busy cores), 35% larger
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
app=dist/panel-desk
[ -x "$app/panel-desk" ] || { echo "No $app/panel-desk: run 'bash packaging/build.sh' first." >&2; exit 1; }
command -v dpkg-deb >/dev/null || { echo "dpkg-deb is missing (Debian package 'dpkg')." >&2; exit 1; }

version=$("$app/panel-desk" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
icon=io.github.paneldesk.PanelDesk
# The newest glibc symbol version anything in the folder needs: the package's libc6 dependency.
glibc=$(find "$app" -type f \( -name '*.so*' -o -name panel-desk \) -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_2\.[0-9]*' | sort -t. -k2 -n -u | tail -1 | sed 's/GLIBC_//')
# What Qt needs from the system for a window (X11 through xcb, or Wayland), as in bootstrap.sh.
depends="libc6 (>= $glibc), libegl1, libgl1, libxkbcommon0, libfontconfig1, libfreetype6, libdbus-1-3,
 libxcb-cursor0, libxkbcommon-x11-0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0,
 libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1, libwayland-client0, libwayland-cursor0,
 libwayland-egl1, fonts-dejavu-core"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/panel-desk_${version}_$arch"
mkdir -p "$root/DEBIAN" "$root/usr/lib" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/doc/panel-desk" "$root/usr/share/icons/hicolor/scalable/apps"
cp -a "$app" "$root/usr/lib/panel-desk"
ln -s ../lib/panel-desk/panel-desk "$root/usr/bin/panel-desk"
if command -v desktop-file-install >/dev/null; then
  desktop-file-install --dir="$root/usr/share/applications" packaging/panel-desk.desktop
else
  echo "  (desktop-file-install not found: desktop file copied unchecked; apt-get install desktop-file-utils)"
  install -m644 packaging/panel-desk.desktop "$root/usr/share/applications/"
fi
install -m644 "resources/icons/$icon.svg" "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg"
for png in resources/icons/"$icon"-*.png; do
  size=${png##*-}; size=${size%.png}
  install -Dm644 "$png" "$root/usr/share/icons/hicolor/${size}x$size/apps/$icon.png"
done
install -Dm644 "packaging/$icon.metainfo.xml" "$root/usr/share/metainfo/$icon.metainfo.xml"
install -Dm644 packaging/panel-desk-mime.xml "$root/usr/share/mime/packages/panel-desk.xml"
cat >"$root/usr/share/doc/panel-desk/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: panel-desk
Comment: A PyInstaller build: /usr/lib/panel-desk holds Python, Qt (LGPL-3), SQLCipher, pyHanko,
 reportlab, cryptography and the other libraries listed in pyproject.toml, each under its own licence.

Files: *
Copyright: Panel Desk developers
License: MIT
COPYRIGHT
chmod -R u=rwX,go=rX "$root/usr"

cat >"$root/DEBIAN/control" <<CONTROL
Package: panel-desk
Version: $version
Architecture: $arch
Maintainer: Panel Desk developers <panel-desk@invalid>
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: Offline workbench of the expert advisory panel
 Read, assess and advise on local authorities' applications to test different
 ways of working in children's social care. One program is both the window and
 the command line (panel-desk). Everything stays on this computer, encrypted.
CONTROL

deb="dist/panel-desk_${version}_$arch.deb"
dpkg-deb --root-owner-group "-Z${PANEL_DESK_DEB_COMPRESS:-xz}" --build "$root" "$deb" >/dev/null
echo "Built $deb ($(du -h "$deb" | cut -f1); installs $(du -sh "$root/usr" | cut -f1); needs glibc $glibc or newer)"
