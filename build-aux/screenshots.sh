#!/bin/sh
# screenshots.sh [BUILD_DIR] [OUT_DIR] — the main window of `provisioner --demo`
# at 360 and 1280 px wide, light and dark, under its own Xvfb and D-Bus
# session. Writes OUT_DIR/main-<width>-<style>.png (default: build/screenshots);
# the metainfo's data/screenshots/main.png is main-1280-light.png.
#
# Needs xvfb-run, gnome-keyring, xdotool and ImageMagick's `import`.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
out=${2:-$build/screenshots}
mkdir -p "$out"
build=$(cd "$build" && pwd)
out=$(cd "$out" && pwd)

shoot () {
  width=$1 style=$2
  # The demo keeps its secrets in a keyring: a scratch one, unlocked.
  xvfb-run -a -s '-screen 0 1400x1000x24' bash "$src/tests/with-keyring.sh" sh -c '
    set -eu
    export DISPLAY=${DISPLAY:-$PROV_TEST_DISPLAY}
    export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$1/data" GSK_RENDERER=cairo
    [ "$3" = dark ] && export ADW_DEBUG_COLOR_SCHEME=prefer-dark
    "$1/app/provisioner" --demo >/dev/null 2>&1 & app=$!
    win=$(xdotool search --sync --onlyvisible --name "^Provisioner\$" | head -n1)
    xdotool windowsize "$win" "$2" 700
    sleep 2
    # Open the demo target: the first row of the sidebar.
    xdotool mousemove --window "$win" 70 125 click 1
    sleep 2
    import -window "$win" "$4"
    kill $app; wait $app 2>/dev/null || true' sh "$build" "$width" "$style" "$out/main-$width-$style.png"
  echo "$out/main-$width-$style.png"
}

for width in 360 1280; do
  for style in light dark; do
    shoot $width $style
  done
done

