#!/bin/bash
# with-xvfb.sh COMMAND [ARG...] — COMMAND with an X server of its own
#
# The `xvfb` test setup (meson.build) runs every test under this, so UI and
# end-to-end tests run headless and in parallel. xvfb-run -a picks a display
# number by looking for lock files, and two tests starting at the same
# moment can pick the same one: the loser's X server exits, and its test
# finds no display (seen in CI). Xvfb -displayfd picks a free number itself
# and says which, once it accepts connections: no race.
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
# reads it at start, under a display number of its own choosing; clients
# look it up under the number it chose, added once it is known.
export XAUTHORITY="$scratch/Xauthority"
cookie=$(mcookie)
touch "$XAUTHORITY"
xauth -q add ":0" . "$cookie"

mkfifo "$scratch/display"
Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x1024x24}" -nolisten tcp \
    -auth "$XAUTHORITY" 3>"$scratch/display" 2>"$scratch/xvfb.log" &
xvfb_pid=$!

# The display number arrives once the server accepts connections; if the
# server dies first, the fifo reaches its end empty.
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
