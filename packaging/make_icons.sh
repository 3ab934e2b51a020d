#!/usr/bin/env bash
# Re-draw the application icon's PNGs from its SVG (after changing the SVG), with rsvg-convert
# (Debian: librsvg2-bin). The PNGs are committed so that the build needs no SVG renderer.
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for size in 16 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" io.github.paneldesk.PanelDesk.svg -o "io.github.paneldesk.PanelDesk-$size.png"
done
