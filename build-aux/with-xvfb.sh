#!/bin/bash
# with-xvfb.sh COMMAND [ARG...] — COMMAND with an X server of its own
#
# The `xvfb` test setup (meson.build) runs every test under this, so UI and
# end-to-end tests run headless and in parallel.
#
# - -noreset: by default an X server resets when its last client leaves,
#   and an app that connects meanwhile is refused. AT-SPI's bus launcher
#   connects to put its address on the root window and leaves again just
#   as an end-to-end test starts its app: the likeliest cause of two CI
#   runs in which such an app found no display.
# - -displayfd: the server picks a free display number and says which once
#   it accepts connections; xvfb-run -a picks by lock files and waits on a
#   signal instead.
#
#   XVFB_SCREEN (default 1280x1024x24) sets the screen's size and depth.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/with-xvfb.XXXXXX")
xvfb_pid=
cleanup() {
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A cookie, so that only this test's programs use this server. The server
# reads every cookie in the file at start, whatever its display; clients
# look it up under the number it chose, added once it is known.
export XAUTHORITY="$scratch/Xauthority"
cookie=$(mcookie)
touch "$XAUTHORITY"
xauth -q add ":0" . "$cookie"

mkfifo "$scratch/display"
Xvfb -displayfd 3 -noreset -nolisten tcp -screen 0 "${XVFB_SCREEN:-1280x1024x24}" \
    -auth "$XAUTHORITY" 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb_pid=$!

# The number arrives once the server accepts connections; if the server
# dies first, the fifo reaches its end empty.
number=
read -r -t 30 number < "$scratch/display" || true
if [ -z "$number" ]; then
    echo "$0: Xvfb did not start:" >&2
    cat "$scratch/xvfb.log" >&2
    exit 1
fi

xauth -q add ":$number" . "$cookie"
export DISPLAY=":$number"
status=0
"$@" || status=$?
exit "$status"
