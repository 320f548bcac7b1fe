#!/bin/bash
# with-keyring.sh TEST [ARGS...]
#
# Runs TEST against a real gnome-keyring that is fresh, unlocked and private:
# its own D-Bus session and its own HOME (so its own login keyring).
#
# - Always a new session (dbus-run-session), even when one exists: a test run
#   from a desktop terminal must never touch that desktop's keyring.
# - The bus and the keyring start without DISPLAY. The bus starts
#   gnome-keyring's prompter (gcr-prompter) with its own environment; with a
#   display, a locked keyring would wait on a prompt nobody answers. Without
#   one the prompt fails at once and the caller gets an error. The test
#   itself gets DISPLAY back (UI tests under the xvfb setup need it).
# - The test learns the keyring password from PROV_TEST_KEYRING_PASSWORD (a
#   throwaway, never a real secret), to unlock the keyring again after
#   locking it on purpose.
#
# - Only TEST writes to the real stdout, where it speaks TAP: it travels on
#   fd 9 to TEST alone. The bus, and every service it starts on demand
#   (they inherit its stdout and stderr), write to the log below.
# - Only TEST writes to the real stderr (fd 8 on its way). The session's
#   daemons (the keyring, AT-SPI's bus and registry) can outlive the
#   session for a moment, or longer: holding meson's pipe, they made a
#   finished test look hung until its timeout. They write to a log in the
#   scratch HOME, shown when the test fails.
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 TEST [ARGS...]" >&2
    exit 2
fi

if [ -z "${PROV_TEST_KEYRING_HOME:-}" ]; then
    home=$(mktemp -d "${TMPDIR:-/tmp}/provisioner-keyring-XXXXXX")
    mkdir -p -m 0700 "$home/.run"
    status=0
    exec 9>&1 1>&2 8>&2
    # HOME and the XDG folders are set before the bus starts, so anything
    # the bus starts on demand lives in the scratch HOME too.
    env -u DISPLAY -u WAYLAND_DISPLAY \
        HOME="$home" \
        XDG_CONFIG_HOME="$home/.config" \
        XDG_DATA_HOME="$home/.local/share" \
        XDG_CACHE_HOME="$home/.cache" \
        XDG_RUNTIME_DIR="$home/.run" \
        PROV_TEST_KEYRING_HOME="$home" \
        PROV_TEST_DISPLAY="${DISPLAY:-}" \
        dbus-run-session -- bash "$0" "$@" >>"$home/services.log" 2>&1 || status=$?
    if [ "$status" -ne 0 ] && [ -s "$home/services.log" ]; then
        echo "--- $0: what the test's session and its services said ---" >&2
        cat "$home/services.log" >&2
    fi
    rm -rf "$home"
    exit "$status"
fi

# Inside the new session.
export PROV_TEST_KEYRING_PASSWORD=test-pw

# The daemon outlives this script: it must not hold the test's stdout open.
eval "$(printf %s "$PROV_TEST_KEYRING_PASSWORD" |
        gnome-keyring-daemon --unlock --components=secrets 9>&- 8>&- 3>&-)"

# The daemon returns before it owns its bus name. A test that asked too
# early would make the bus start a second keyring, empty and without a
# login collection; so wait for the name.
owned=false
for _ in $(seq 200); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus \
           /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
           string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        owned=true
        break
    fi
    sleep 0.05
done
if [ "$owned" != true ]; then
    echo "$0: gnome-keyring-daemon did not appear on the session bus" >&2
    exit 1
fi

# Owning the name is not yet having the unlocked login collection behind
# the "default" alias, where secrets are saved; a save before that fails
# (there is no display to prompt for a new keyring). Wait for it, so that a
# test never meets a keyring that refuses to save.
ready=false
for _ in $(seq 200); do
    if dbus-send --session --print-reply --dest=org.freedesktop.secrets \
           /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias \
           string:default 2>/dev/null | grep -q 'object path "/org/freedesktop/secrets/collection/'; then
        ready=true
        break
    fi
    sleep 0.05
done
if [ "$ready" != true ]; then
    echo "$0: the keyring has no default collection to save secrets in" >&2
    exit 1
fi

if [ -n "${PROV_TEST_DISPLAY:-}" ]; then
    export DISPLAY=$PROV_TEST_DISPLAY
fi
unset PROV_TEST_DISPLAY

# The test's own stderr back; the session's daemons keep the log.
if { true >&8; } 2>/dev/null; then
    exec 2>&8 8>&-
fi
if { true >&9; } 2>/dev/null; then
    exec "$@" 1>&9 9>&-
fi
exec "$@"
