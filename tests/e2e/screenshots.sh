#!/bin/bash
# screenshots.sh [BUILD_DIR] [OUT_DIR] — every screen of `provisioner --demo`
# (main, editor, users, plan, summary, history, source, shortcuts) at 360
# and 1280 px wide, light and dark, under its own Xvfb, D-Bus session and
# keyring. Writes OUT_DIR/<screen>-<width>-<light|dark>.png (default
# data/screenshots, which the metainfo's <screenshots> point at).
#
# Not a test and not run in CI. Needs what the e2e tests need (xvfb-run,
# gnome-keyring, xdotool, python3-pyatspi) and ImageMagick's `import`.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
out=${2:-$src/data/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)

export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" GSK_RENDERER=cairo GDK_DEBUG=gl-disable
exec dbus-run-session -- xvfb-run -a -s '-screen 0 1400x1000x24' \
    bash "$src/tests/with-keyring.sh" \
    /usr/bin/python3 "$src/tests/e2e/screenshots.py" "$build/app/provisioner" "$out"
