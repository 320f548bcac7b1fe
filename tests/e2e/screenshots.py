#!/usr/bin/python3
# screenshots.py PROVISIONER OUT_DIR — every screen of `provisioner --demo`
# at 360 and 1280 px wide, light and dark
#
# Run by tests/e2e/screenshots.sh inside its own X server, D-Bus session
# and keyring (not a test: CI does not run it). Drives the app with real
# key presses like the end-to-end tests, waits for each screen to be ready,
# and writes OUT_DIR/<screen>-<width>-<light|dark>.png with ImageMagick's
# `import`: main (the demo target), editor, users, plan, summary, history,
# source and shortcuts.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import subprocess
import sys
import tempfile
import time

from test_modules import load_e2e  # noqa: E402

e2e = load_e2e()

from e2e import App, button, button_showing, find, log, name, role, wait_for  # noqa: E402
from e2e_checks import Screens  # noqa: E402

MAIN = 'Provisioner'
DEMO = 'SAP Jam (Demo)'
WIDTHS = (360, 1280)
HEIGHT = 700
# Time for the last frame to reach the X server once a screen is ready.
SETTLE = 0.7


def main():
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner OUT_DIR', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    out = os.path.abspath(sys.argv[2])
    os.makedirs(out, exist_ok=True)

    for style in ('light', 'dark'):
        home = tempfile.mkdtemp(prefix='provisioner-screenshots-')
        if style == 'dark':
            os.environ['ADW_DEBUG_COLOR_SCHEME'] = 'prefer-dark'
        else:
            os.environ.pop('ADW_DEBUG_COLOR_SCHEME', None)
        app = App(binary, home, os.path.join(home, 'app.log'), args=['--demo'])
        try:
            app.start()
            shoot_all(app, out, style)
        finally:
            app.kill()
            shutil.rmtree(home, ignore_errors=True)
    return 0


def shoot_all(app, out, style):
    screens = Screens(app)
    keys = screens.keys

    def window():
        return wait_for(lambda: screens.toplevel(MAIN), 'the "Provisioner" window')

    def x_id(title):
        ids = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', f'^{title}$'],
                             capture_output=True, text=True).stdout.split()
        return ids[0] if ids else None

    def resize(window_id, width):
        subprocess.run(['xdotool', 'windowsize', '--sync', window_id, str(width), str(HEIGHT)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def shoot(window_id, screen, width):
        time.sleep(SETTLE)
        path = os.path.join(out, f'{screen}-{width}-{style}.png')
        subprocess.run(['import', '-window', window_id, path], check=True)
        log(path)

    def open_window(key, ready, what):
        """Presses @key in the main window; returns the X id of the window
        it opens once @ready(its accessible) is true."""
        before = screens.x_windows()
        keys(MAIN, key)
        new = wait_for(lambda: screens.x_windows() - before, what)
        window_id = sorted(new)[0]
        node = wait_for(lambda: screens.find_toplevel(lambda n: name(n) not in (MAIN,)), what)
        wait_for(lambda: ready(node), f'{what} to be ready')
        return window_id, node

    def close(window_id, key='Escape'):
        before = screens.x_windows()
        subprocess.run(['xdotool', 'windowfocus', '--sync', window_id],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(['xdotool', 'key', '--clearmodifiers', key], check=True)
        wait_for(lambda: not before <= screens.x_windows(), 'the window to close')

    def shoot_widths(window_id, screen):
        for width in WIDTHS:
            resize(window_id, width)
            shoot(window_id, screen, width)

    main_id = wait_for(lambda: x_id(MAIN), 'the main window on the X server')
    resize(main_id, WIDTHS[-1])
    row = wait_for(lambda: find(window(), lambda n: role(n) == 'list item' and name(n) == DEMO),
                   f'the "{DEMO}" row')
    screens.click_on(MAIN, row)
    wait_for(lambda: button(window(), 'Edit'), 'the demo target in view mode')
    shoot_widths(main_id, 'main')

    keys(MAIN, 'ctrl+e')
    wait_for(lambda: button(window(), 'Save'), 'edit mode')
    shoot_widths(main_id, 'editor')
    keys(MAIN, 'Escape')
    wait_for(lambda: button(window(), 'Edit'), 'view mode again')
    resize(main_id, WIDTHS[-1])

    users_id, _ = open_window('ctrl+u', lambda n: find(n, lambda c: role(c) == 'check box'),
                              'the Users window')
    shoot_widths(users_id, 'users')
    close(users_id)

    # The first run has something to do: its plan, then its summary.
    plan_id, plan = open_window('ctrl+p', lambda n: button_showing(n, 'Provision'), 'the plan')
    shoot_widths(plan_id, 'plan')
    subprocess.run(['xdotool', 'windowfocus', '--sync', plan_id],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['xdotool', 'key', '--clearmodifiers', 'ctrl+Return'], check=True)
    wait_for(lambda: button_showing(screens.find_toplevel(lambda n: name(n) not in (MAIN,)),
                                    'Show History'), 'the run\'s summary', timeout=300)
    shoot_widths(plan_id, 'summary')
    close(plan_id)

    history_id, _ = open_window('ctrl+h', lambda n: find(n, lambda c: role(c) == 'list item'),
                                'History')
    shoot_widths(history_id, 'history')
    close(history_id)

    source_id, _ = open_window('ctrl+comma', lambda n: find(n, lambda c: role(c) == 'combo box'),
                               'the Source dialog')
    shoot_widths(source_id, 'source')
    close(source_id)

    shortcuts_id, _ = open_window('ctrl+question', lambda n: True, 'the shortcuts window')
    shoot_widths(shortcuts_id, 'shortcuts')
    close(shortcuts_id)


if __name__ == '__main__':
    sys.exit(main())
