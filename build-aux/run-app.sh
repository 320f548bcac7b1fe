#!/bin/sh
# Build Provisioner in ./build (set it up on first use) and start it from the
# build tree, with the GSettings schema compiled there.
set -eu

cd "$(dirname "$0")/.."
srcdir=$(pwd)
builddir="$srcdir/build"

if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
    rm -rf "$builddir"
    meson setup "$builddir"
fi
meson compile -C "$builddir"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "Built $builddir/app/provisioner, but there is no display to show it on." >&2
    echo "Run this from a graphical session (X11 or Wayland)." >&2
    exit 1
fi

GSETTINGS_SCHEMA_DIR="$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
# The app icon, straight from the source tree.
XDG_DATA_DIRS="$srcdir/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export GSETTINGS_SCHEMA_DIR XDG_DATA_DIRS

# Nothing configured yet: start with the demo (an in-process SAP Jam on
# 127.0.0.1, 500 demo users, one demo target) so there is something to try.
config="${XDG_CONFIG_HOME:-$HOME/.config}/io.github.provisioner.Provisioner/targets.json"
if [ $# -eq 0 ] && [ ! -e "$config" ]; then
    set -- --demo
fi

# Without a session bus (e.g. root on a console-started X server) give the
# app one of its own rather than letting GLib autolaunch a stray dbus-launch.
uid=$(id -u)
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ ! -S "/run/user/$uid/bus" ]; then
    exec dbus-run-session -- "$builddir/app/provisioner" "$@"
fi
exec "$builddir/app/provisioner" "$@"
