#!/bin/sh
# Install everything needed to build, run and test Provisioner on Debian 12.
# Runs as root; re-runs itself with sudo when started as another user.
set -eu

if [ "$(id -u)" -ne 0 ]; then
    exec sudo -- "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive

apt-get update
apt-get install -y --no-install-recommends \
    build-essential meson ninja-build pkg-config gettext \
    libgtk-4-dev libgtk-4-bin libadwaita-1-dev \
    libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libgnutls28-dev \
    glib-networking libglib2.0-dev-bin \
    appstream desktop-file-utils \
    xvfb xauth dbus dbus-x11 gnome-keyring at-spi2-core \
    python3 python3-pyatspi \
    libgl1-mesa-dri libegl1 adwaita-icon-theme fonts-dejavu-core \
    imagemagick xdotool curl locales bash-completion \
    clang libclang-rt-14-dev

# The UI tests read dates as a German user would (test-provision-ui).
localedef -i de_DE -f UTF-8 de_DE.UTF-8
