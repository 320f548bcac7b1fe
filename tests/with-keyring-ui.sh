#!/bin/bash
# with-keyring-ui.sh TEST [ARGS...] — with-keyring.sh for the UI and
# end-to-end tests, keeping their TAP stream clean.
#
# Services that the session bus starts on demand inherit the bus's stdout.
# The AT-SPI registry, which every GTK window starts, prints "SpiRegistry
# daemon is running with well-known name …" there, and for a TAP test that
# is the TAP stream: meson then fails the test for an unknown TAP line.
# with-keyring.sh now sends the bus's stdout to the session's log itself;
# this wrapper, which hands TEST the real stdout on fd 3, is a second guard
# and can give way to with-keyring.sh in tests/meson.build.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 TEST [ARGS...]" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)

exec 3>&1 1>&2
exec bash "$here/with-keyring.sh" \
    bash -c 'exec 1>&3 3>&-; exec "$@"' with-keyring-ui "$@"
