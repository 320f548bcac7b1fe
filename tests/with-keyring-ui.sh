#!/bin/bash
# with-keyring-ui.sh TEST [ARGS...] — with-keyring.sh for the UI and
# end-to-end tests, keeping their TAP stream clean.
#
# Services that the session bus starts on demand inherit the bus's stdout.
# The AT-SPI registry, which every GTK window starts, prints "SpiRegistry
# daemon is running with well-known name …" there, and for a TAP test that
# is the TAP stream: meson then fails the test for an unknown TAP line. So
# the bus (and everything it starts) gets stderr as its stdout, and only
# TEST gets the real stdout back (through fd 3).
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 TEST [ARGS...]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)

exec 3>&1 1>&2
exec bash "$here/with-keyring.sh" \
    bash -c 'exec 1>&3 3>&-; exec "$@"' with-keyring-ui "$@"
