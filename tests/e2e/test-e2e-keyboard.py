#!/usr/bin/python3
# test-e2e-keyboard.py PROVISIONER — the real app, used from the keyboard
#
# Real key presses (xdotool into the test's X server) in each state of the
# editor: Escape with a change always asks "Save Changes?" and Cancel keeps
# the change — in edit mode, after a refused save, and with a drop-down just
# used. The window's shortcuts are pressed for real in the state they belong
# to, and an AT-SPI walk checks that every control of the main window has a
# role and a name equal to its visible label.
#
# The helpers (App, find, press_keys, TAP) are those of test-e2e.py. Nothing
# here touches the network: the target's URL is a closed port on 127.0.0.1.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys
import tempfile

from test_modules import load_e2e  # noqa: E402

e2e = load_e2e()

from e2e import (App, Failure, Steps, button, button_showing, click,  # noqa: E402
                 field, find, label_shown, name, press_keys, role,
                 text_of, type_into, wait_for)
from e2e_checks import Screens, check, name_problems  # noqa: E402

NAME = 'Jam Keyboard'
URL = 'https://127.0.0.1:9'
CLIENT_KEY = 'keyboard-client-key'
CLIENT_SECRET = 'keyboard-Cl1ent-S3cret'

PLAN = 13


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])

    home = tempfile.mkdtemp(prefix='provisioner-e2e-keys-')
    stderr_path = os.path.join(home, 'app-stderr.log')
    app = App(binary, home, stderr_path)
    step = Steps(PLAN)
    # A window that closes is waited for through the X server (Screens).
    screens = Screens(app)
    root, closes = screens.root, screens.closes

    def window():
        return wait_for(lambda: find(root(), lambda n: role(n) == 'frame' and name(n) == 'Provisioner'),
                        'the "Provisioner" window')

    def keys(sequence):
        press_keys('Provisioner', sequence)

    def question():
        return find(root(), lambda n: role(n) in ('dialog', 'alert') and
                    name(n) in ('Save Changes?', 'Save New Target System?'))

    def answer_cancel_keeps(title, value):
        """Escape asks; Cancel closes the question and keeps @value."""
        keys('Escape')
        dialog = wait_for(question, 'the unsaved-changes question after Escape')
        cancel = wait_for(lambda: button_showing(dialog, 'Cancel'), 'its "Cancel" button')
        closes(lambda: click(cancel), 'the question')
        node = wait_for(lambda: field(window(), title), f'the "{title}" field')
        wait_for(lambda: text_of(node) == value, f'"{title}" to still read {value!r}')
        if button(window(), 'Save') is None:
            raise Failure('the editor left edit mode after Cancel')

    @step('the app starts; Ctrl+N opens a new target with the focus in Display Name')
    def _():
        app.start()
        wait_for(lambda: label_shown(window(), 'No Target Systems'), 'the empty state')
        keys('ctrl+n')
        wait_for(lambda: button(window(), 'Save'), 'the "Save" button after Ctrl+N')

    @step('Escape on a new target with a change asks; Cancel keeps the change')
    def _():
        type_into(window(), 'Display Name', NAME)
        answer_cancel_keeps('Display Name', NAME)

    @step('Enter in a field saves the new target')
    def _():
        # Typed through AT-SPI, which leaves the focus in Display Name.
        type_into(window(), 'URL', URL)
        type_into(window(), 'Client Key', CLIENT_KEY)
        type_into(window(), 'Client Secret', CLIENT_SECRET)
        keys('Return')
        # Real-time provisioning is on for a new target: Save asks first.
        dialog = wait_for(lambda: find(root(), lambda n: role(n) in ('dialog', 'alert') and
                                       name(n) == 'Turn On Real-Time Provisioning?'),
                          'the real-time provisioning question after Enter')
        off = wait_for(lambda: button_showing(dialog, 'Save With Real-Time Off'),
                       'its "Save With Real-Time Off" button')
        closes(lambda: click(off), 'the question')
        wait_for(lambda: button(window(), 'Edit'), 'the "Edit" button after Enter saved')

    @step('in view mode the target\'s actions are in sight; Ctrl+E edits')
    def _():
        for label in ('Test Connection', 'Provision', 'History', 'Delete'):
            wait_for(lambda: button_showing(window(), label), f'the "{label}" button')
        keys('ctrl+e')
        wait_for(lambda: button(window(), 'Cancel'), 'the "Cancel" button after Ctrl+E')

    @step('Escape in edit mode with a change asks; Cancel keeps the change')
    def _():
        type_into(window(), 'Display Name', NAME + ' changed')
        answer_cancel_keeps('Display Name', NAME + ' changed')

    @step('after a refused save, Escape still asks; Cancel keeps the change')
    def _():
        type_into(window(), 'URL', 'not a url')
        keys('ctrl+s')
        wait_for(lambda: find(window(), lambda n: 'URL' in name(n) and role(n) == 'label'
                              and 'not a url' not in name(n) and ':' in name(n)),
                 'the reason the URL was refused')
        answer_cancel_keeps('URL', 'not a url')

    @step('with the Type drop-down just used, Escape asks; Cancel keeps the choice')
    def _():
        # The focus is back in URL, the field the refused save marked; the
        # drop-down is the row above it.
        # The list opens in a window of its own; the keys that choose go to
        # it once the X server shows it (to the focus: it has no title).
        keys('shift+Tab')
        before = screens.x_windows()
        keys('Return')
        wait_for(lambda: not screens.x_windows() <= before, 'the Type drop-down\'s list to open')
        screens.keys_to_focus('Down', 'Return')
        wait_for(lambda: find(window(), lambda n: role(n) == 'label' and
                              e2e._safe_text(n) == 'Identity Provisioning'),
                 '"Identity Provisioning" chosen')
        answer_cancel_keeps('Display Name', NAME + ' changed')
        if not find(window(), lambda n: role(n) == 'label' and
                    e2e._safe_text(n) == 'Identity Provisioning'):
            raise Failure('the Type drop-down lost its choice after Cancel')

    @step('Escape, then Discard, goes back to the saved values')
    def _():
        keys('Escape')
        dialog = wait_for(question, 'the question')
        discard = wait_for(lambda: button_showing(dialog, 'Discard'), 'its "Discard" button')
        closes(lambda: click(discard), 'the question')
        wait_for(lambda: button(window(), 'Edit'), 'the "Edit" button after Discard')
        node = wait_for(lambda: field(window(), 'Display Name'), 'the "Display Name" field')
        wait_for(lambda: text_of(node) == NAME, f'"Display Name" to read {NAME!r} again')

    @step('Ctrl+T tests the connection and says what happened')
    def _():
        keys('ctrl+t')
        wait_for(lambda: find(window(), lambda n: role(n) == 'label' and
                              'refused' in (e2e._safe_text(n) or '')),
                 'the connection refused message')

    @step('Ctrl+H opens History and Ctrl+W closes it; Delete asks and Cancel keeps')
    def _():
        keys('ctrl+h')
        history = wait_for(lambda: find(root(), lambda n: role(n) in ('frame', 'dialog') and
                                        name(n) != 'Provisioner'), 'the History window')
        closes(lambda: press_keys(name(history), 'ctrl+w'), 'History (Ctrl+W)')
        keys('Delete')
        dialog = wait_for(lambda: find(root(), lambda n: role(n) in ('dialog', 'alert') and
                                       name(n) == 'Delete Target System?'), 'the delete question')
        cancel = wait_for(lambda: button_showing(dialog, 'Cancel'), 'its "Cancel" button')
        closes(lambda: click(cancel), 'the delete question')
        wait_for(lambda: button(window(), 'Edit'), 'the target still there')

    @step('Ctrl+D duplicates: the copy opens under a free name; Ctrl+S saves it, and the toast is named')
    def _():
        keys('ctrl+d')
        wait_for(lambda: button(window(), 'Save'), 'the "Save" button after Ctrl+D')
        node = wait_for(lambda: field(window(), 'Display Name'), 'the "Display Name" field')
        wait_for(lambda: text_of(node) == NAME + ' (copy)', f'"Display Name" to read {NAME!r} (copy)')
        node = wait_for(lambda: field(window(), 'Client Key'), 'the "Client Key" field')
        if text_of(node) != CLIENT_KEY:
            raise Failure(f'the copy\'s Client Key reads {text_of(node)!r}')
        keys('ctrl+s')
        wait_for(lambda: button(window(), 'Edit'), 'the "Edit" button after Ctrl+S')
        sidebar = find(window(), lambda n: role(n) == 'list' and name(n) == 'Target Systems')
        wait_for(lambda: label_shown(sidebar, NAME + ' (copy)') and label_shown(sidebar, NAME),
                 'the original and its copy listed')
        # The toast that says so: its close button has a name too.
        wait_for(lambda: find(window(), lambda n: role(n) == 'push button' and name(n) == 'Dismiss'),
                 'the toast\'s "Dismiss" button')
        check(name_problems(window()))

    @step('Ctrl+F goes to the search entry: typing then searches')
    def _():
        keys('ctrl+f')
        for key in ('z', 'q', 'z'):
            keys(key)
        wait_for(lambda: label_shown(window(), 'No Results Found'), '"No Results Found" after typing')
        for _ in range(3):
            keys('BackSpace')
        wait_for(lambda: label_shown(find(window(), lambda n: role(n) == 'list' and
                                          name(n) == 'Target Systems'), NAME),
                 f'"{NAME}" listed again after erasing')

    @step('every control of the main window has a role and its visible label as name')
    def _():
        # Only what is on screen (non-empty extents: GTK 4.8 says SHOWING of
        # windows only), in view mode and in edit mode.
        check(name_problems(window()))
        keys('ctrl+e')
        wait_for(lambda: button(window(), 'Save'), 'the "Save" button after Ctrl+E')
        check(name_problems(window()))
        keys('Escape')
        wait_for(lambda: button(window(), 'Edit'), 'the "Edit" button after Escape')

    return step.run(app, home, stderr_path)


if __name__ == '__main__':
    sys.exit(main())
