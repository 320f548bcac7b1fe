#!/usr/bin/python3
# test-e2e-dialogs.py PROVISIONER — every shortcut of the shortcuts window,
# pressed for real, in every state and every dialog
#
# Starts `provisioner --demo` (its embedded SAP Jam on 127.0.0.1, 500 demo
# users, a demo target) and presses real keys (xdotool into the test's X
# server): in the list, in view mode, in edit mode, after a refused save,
# with a drop-down just used, and in the Source dialog, the Users window,
# History, the Provision dialog, Generate Certificate, the main menu's
# Export and Import (through GTK's file choosers), About and the shortcuts
# window. Escape with a change always asks (Save / Discard /
# Cancel) and Cancel keeps the change; Escape and Ctrl+W close secondary
# windows; Enter in a field saves; Enter in Generate Certificate generates.
#
# Every wait is for a condition; no sleep is an assertion. Where a key must
# do nothing, a second key whose effect shows is pressed after it: once that
# effect is on screen the first key has been handled too.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from test_modules import load_e2e  # noqa: E402

e2e = load_e2e()

from e2e import (App, Failure, Steps, _safe_text, button, button_showing,  # noqa: E402
                 click, field, find, has_editable_text, label_shown, name,
                 problems_in, role, text_of, type_into, wait_for)
from e2e_checks import Screens, extents, shows  # noqa: E402
import pyatspi  # noqa: E402

DEMO = 'SAP Jam (Demo)'
MAIN = 'Provisioner'
SOURCE = 'Source of Users'
QUESTIONS = ('Save Changes?', 'Save New Target System?')
# The shortcuts window, as AT-SPI names it: GTK 4.8 says its class until
# the app names it.
SHORTCUTS = ('GtkShortcutsWindow', 'Shortcuts', 'Keyboard Shortcuts')

PLAN = 27


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])

    home = tempfile.mkdtemp(prefix='provisioner-e2e-dialogs-')
    stderr_path = os.path.join(home, 'app-stderr.log')
    app = App(binary, home, stderr_path, args=['--demo'])
    step = Steps(PLAN)
    csv_path = None

    # What is on screen
    screens = Screens(app)
    toplevels, toplevel = screens.toplevels, screens.toplevel
    find_toplevel, wait_open, wait_closed = screens.find_toplevel, screens.wait_open, screens.wait_closed
    keys, keys_to_focus, click_on, closes = screens.keys, screens.keys_to_focus, screens.click_on, screens.closes

    def window():
        return wait_for(lambda: toplevel(MAIN), 'the "Provisioner" window')

    def question():
        return find_toplevel(lambda n: role(n) in ('dialog', 'alert') and name(n) in QUESTIONS)

    def shortcuts_window():
        return find_toplevel(lambda n: name(n) in SHORTCUTS)

    def in_edit_mode():
        return button(window(), 'Save') is not None

    def in_view_mode():
        return button(window(), 'Edit') is not None

    def barrier_then_only(expected):
        """Ctrl+? opens the shortcuts window; once it is open, every key
        pressed before it has been handled: only @expected and it are open."""
        keys(MAIN, 'ctrl+question')
        title = name(wait_for(shortcuts_window, 'the shortcuts window'))
        extra = [t for t in toplevels() if t[1] not in expected + (title,)]
        closes(lambda: keys_to_focus('Escape'), 'the shortcuts window')
        if extra:
            raise Failure(f'also open: {extra}')

    def answer_cancel_keeps(title, value, key=('Escape',), window_title=MAIN):
        """@key asks; Cancel closes the question and keeps @value in @title."""
        keys(window_title, *key)
        dialog = wait_for(question, f'the unsaved-changes question after {"+".join(key)}')
        cancel = wait_for(lambda: button_showing(dialog, 'Cancel'), 'its "Cancel" button')
        closes(lambda: click(cancel), 'the question')
        where = toplevel(window_title)
        node = wait_for(lambda: field(where, title), f'the "{title}" field')
        wait_for(lambda: text_of(node) == value, f'"{title}" to still read {value!r}')

    def open_demo_target():
        wait_for(in_view_mode, 'the demo target in view mode')
        node = wait_for(lambda: field(window(), 'Display Name'), 'the "Display Name" field')
        wait_for(lambda: text_of(node) == DEMO, f'"Display Name" to read {DEMO!r}')

    # The list

    @step('the demo starts with its target in the list and none open')
    def _():
        app.start()
        target_list = wait_for(lambda: find(window(), lambda n: role(n) == 'list' and
                                            name(n) == 'Target Systems'), 'the "Target Systems" list')
        wait_for(lambda: label_shown(target_list, DEMO), f'"{DEMO}" in the sidebar')
        wait_for(lambda: label_shown(window(), 'No Target System Selected'), 'no target open')

    @step('list: Ctrl+? opens the shortcuts window; Escape closes it')
    def _():
        keys(MAIN, 'ctrl+question')
        wait_for(shortcuts_window, 'the shortcuts window')
        closes(lambda: keys_to_focus('Escape'), 'the shortcuts window')

    @step('list: Ctrl+E, Ctrl+T, Ctrl+P, Ctrl+H and Delete with no target open open nothing')
    def _():
        keys(MAIN, 'ctrl+e', 'ctrl+t', 'ctrl+p', 'ctrl+h', 'Delete')
        barrier_then_only((MAIN,))
        if in_edit_mode():
            raise Failure('Ctrl+E opened an editor with no target')

    @step('list: Ctrl+N opens an empty editor; Escape without a change leaves it')
    def _():
        keys(MAIN, 'ctrl+n')
        wait_for(in_edit_mode, 'the "Save" button after Ctrl+N')
        keys(MAIN, 'Escape')
        wait_for(lambda: not in_edit_mode(), 'the editor to close after Escape')
        if question() is not None:
            raise Failure('Escape without a change asked a question')

    @step('list: Ctrl+, opens the Source dialog; Escape without a change closes it')
    def _():
        keys(MAIN, 'ctrl+comma')
        wait_open(SOURCE)
        keys(SOURCE, 'Escape')
        wait_closed(SOURCE)

    @step('list: Ctrl+U opens Users; Ctrl+W closes it')
    def _():
        keys(MAIN, 'ctrl+u')
        users = wait_open('Users')
        wait_for(lambda: find(users, lambda n: role(n) == 'check box'), 'the users listed')
        keys('Users', 'ctrl+w')
        wait_closed('Users')

    @step('list: Ctrl+F, then typing searches; Tab and Return open the found target')
    def _():
        keys(MAIN, 'ctrl+f', 'z', 'q')
        wait_for(lambda: label_shown(window(), 'No Results Found'), '"No Results Found" after typing')
        keys(MAIN, 'BackSpace', 'BackSpace', 'D', 'e', 'm', 'o')
        target_list = find(window(), lambda n: role(n) == 'list' and name(n) == 'Target Systems')
        wait_for(lambda: label_shown(target_list, DEMO), f'"{DEMO}" found')
        keys(MAIN, 'Tab', 'Return')
        open_demo_target()

    # View mode

    @step('view: Ctrl+T tests the connection and says it worked')
    def _():
        keys(MAIN, 'ctrl+t')
        wait_for(lambda: shows(window(), 'successfully'), 'the connection test\'s success')

    @step('view: Ctrl+H opens History; Escape closes it, and so does Ctrl+W')
    def _():
        before = {t[1] for t in toplevels()}
        keys(MAIN, 'ctrl+h')
        history = wait_for(lambda: find_toplevel(lambda n: name(n) not in before), 'the History window')
        title = name(history)
        keys(title, 'Escape')
        wait_closed(title)
        keys(MAIN, 'ctrl+h')
        wait_open(title)
        keys(title, 'ctrl+w')
        wait_closed(title)

    @step('view: Ctrl+P opens the Provision dialog; Escape closes it')
    def _():
        before = {t[1] for t in toplevels()}
        keys(MAIN, 'ctrl+p')
        dialog = wait_for(lambda: find_toplevel(lambda n: name(n) not in before), 'the Provision dialog')
        title = name(dialog)
        wait_for(lambda: button_showing(toplevel(title), 'Cancel'), 'its "Cancel" button')
        keys(title, 'Escape')
        wait_closed(title)

    @step('view: Delete asks; Escape answers Cancel and the target stays')
    def _():
        keys(MAIN, 'Delete')
        wait_for(lambda: find_toplevel(lambda n: name(n) == 'Delete Target System?'), 'the delete question')
        closes(lambda: keys_to_focus('Escape'), 'the delete question')
        open_demo_target()

    # Edit mode

    @step('view: Ctrl+E edits; Escape with a change asks and Cancel keeps it')
    def _():
        keys(MAIN, 'ctrl+e')
        wait_for(in_edit_mode, 'the "Save" button after Ctrl+E')
        type_into(window(), 'Display Name', DEMO + ' 2')
        answer_cancel_keeps('Display Name', DEMO + ' 2')
        if not in_edit_mode():
            raise Failure('the editor left edit mode after Cancel')

    @step('edit: Ctrl+W with a change asks; Cancel keeps it and the window')
    def _():
        answer_cancel_keeps('Display Name', DEMO + ' 2', key=('ctrl+w',))
        if not in_edit_mode():
            raise Failure('the editor left edit mode after Cancel')

    @step('edit: Ctrl+N with a change asks; Cancel keeps it')
    def _():
        answer_cancel_keeps('Display Name', DEMO + ' 2', key=('ctrl+n',))

    @step('edit: Enter in a field saves')
    def _():
        # The focus is in the Display Name field since Ctrl+E.
        keys(MAIN, 'End', 'BackSpace', 'BackSpace', 'Return')
        wait_for(in_view_mode, 'the "Edit" button after Enter')
        open_demo_target()

    @step('after a refused save (Ctrl+S), Escape asks; Cancel keeps the change')
    def _():
        keys(MAIN, 'ctrl+e')
        wait_for(in_edit_mode, 'the "Save" button after Ctrl+E')
        type_into(window(), 'URL', 'not a url')
        keys(MAIN, 'ctrl+s')
        wait_for(lambda: find(window(), lambda n: role(n) == 'label' and 'URL' in (_safe_text(n) or '')
                              and ':' in (_safe_text(n) or '')), 'the reason the URL was refused')
        if not in_edit_mode():
            raise Failure('the refused save left edit mode')
        answer_cancel_keeps('URL', 'not a url')

    @step('with the Type drop-down just used, Escape asks; Cancel keeps the choice; Discard goes back')
    def _():
        combo = wait_for(lambda: find(window(), lambda n: role(n) == 'combo box' and name(n) == 'Type'),
                         'the "Type" drop-down')
        click_on(MAIN, combo)
        keys_to_focus('Down', 'Return')
        wait_for(lambda: shows(combo, 'Identity Provisioning'), '"Identity Provisioning" chosen')
        answer_cancel_keeps('Display Name', DEMO)
        if not shows(combo, 'Identity Provisioning'):
            raise Failure('the Type drop-down lost its choice after Cancel')
        keys(MAIN, 'Escape')
        dialog = wait_for(question, 'the question')
        discard = wait_for(lambda: button_showing(dialog, 'Discard'), 'its "Discard" button')
        closes(lambda: click(discard), 'the question')
        open_demo_target()

    @step('Generate Certificate: Enter in its field generates')
    def _():
        keys(MAIN, 'ctrl+n')
        wait_for(in_edit_mode, 'the "Save" button after Ctrl+N')
        type_into(window(), 'Display Name', 'Identity Provisioning (Certificate)')

        def choose(title, choice):
            combo = wait_for(lambda: find(window(), lambda n: role(n) == 'combo box' and name(n) == title),
                             f'the "{title}" drop-down')
            click_on(MAIN, combo)
            keys_to_focus('Down', 'Return')
            wait_for(lambda: shows(combo, choice), f'"{choice}" chosen')

        choose('Type', 'Identity Provisioning')
        choose('Authentication Mechanism', 'Certificate')
        type_into(window(), 'Common Name', 'provisioner')
        generate = wait_for(lambda: button_showing(window(), 'Generate…'), 'the "Generate…" button')
        click(generate)
        wait_for(lambda: find_toplevel(lambda n: name(n) == 'Generate Client Certificate?'),
                 'the Generate Client Certificate question')
        # The focus is in its only field: type, then Enter.
        closes(lambda: keys_to_focus('P', '0', '0', '0', '1', '2', '3', 'Return'), 'the question')
        wait_for(lambda: shows(window(), 'Client certificate generated'), 'the certificate generated')
        keys(MAIN, 'Escape')
        dialog = wait_for(question, 'the question about the new target')
        discard = wait_for(lambda: button_showing(dialog, 'Discard'), 'its "Discard" button')
        closes(lambda: click(discard), 'the question')
        wait_for(lambda: not in_edit_mode(), 'the editor to close')

    # Secondary windows

    @step('Users: typing searches; Space ticks; Ctrl+Return opens the plan; Escape closes it')
    def _():
        keys(MAIN, 'ctrl+u')
        users = wait_open('Users')
        wait_for(lambda: find(users, lambda n: role(n) == 'check box'), 'the users listed')
        for key in 'Ivorholm':
            keys('Users', key)

        def found_by_typing():
            boxes = [name(n) for n in e2e.walk(toplevel('Users'))
                     if role(n) == 'check box' and (extents(n) or (0, 0, 0, 0))[2] > 0]
            return boxes and all('Ivorholm' in b for b in boxes) and not shows(toplevel('Users'), ' of 500 ')
        wait_for(found_by_typing, 'only users named Ivorholm, found by typing')
        keys('Users', 'Tab', 'space')
        wait_for(lambda: shows(toplevel('Users'), '1 of '), '"1 of … users selected"')
        before = {t[1] for t in toplevels()}
        keys('Users', 'ctrl+Return')
        # The plan (a message dialog asked first before issue 10, 6).
        plan = wait_for(lambda: find_toplevel(lambda n: name(n) not in before), 'the Provision dialog')
        title = name(plan)
        closes(lambda: keys(title, 'Escape'), 'the Provision dialog')

    @step('Users: F5 reads the users again; Escape clears the search, a second Escape closes it')
    def _():
        keys('Users', 'F5')
        wait_for(lambda: find(toplevel('Users'), lambda n: role(n) == 'check box' and
                              (extents(n) or (0, 0, 0, 0))[2] > 0), 'the users listed again')
        keys('Users', 'ctrl+f', 'Escape')
        search = wait_for(lambda: find(toplevel('Users'), lambda n: role(n) == 'entry'), 'the search')
        wait_for(lambda: text_of(search) == '', 'the search cleared by Escape')
        if toplevel('Users') is None:
            raise Failure('the first Escape closed the window instead of clearing the search')
        keys('Users', 'Escape')
        wait_closed('Users')

    @step('Source dialog: Escape with a change asks; Cancel keeps the change')
    def _():
        nonlocal csv_path
        keys(MAIN, 'ctrl+comma')
        dialog = wait_open(SOURCE)
        node = wait_for(lambda: field(dialog, 'CSV File'), 'the "CSV File" field')
        wait_for(lambda: text_of(node).endswith('.csv'), 'the demo\'s CSV file in "CSV File"')
        csv_path = text_of(node)
        type_into(dialog, 'CSV File', csv_path + '.changed')
        answer_cancel_keeps('CSV File', csv_path + '.changed', window_title=SOURCE)

    @step('Source dialog: Ctrl+W with a change asks; Discard closes it and keeps the saved source')
    def _():
        keys(SOURCE, 'ctrl+w')
        dialog = wait_for(question, 'the unsaved-changes question after Ctrl+W')
        discard = wait_for(lambda: button_showing(dialog, 'Discard'), 'its "Discard" button')
        closes(lambda: click(discard), 'the question')
        wait_closed(SOURCE)
        keys(MAIN, 'ctrl+comma')
        node = wait_for(lambda: field(wait_open(SOURCE), 'CSV File'), 'the "CSV File" field')
        wait_for(lambda: text_of(node) == csv_path, f'"CSV File" to read {csv_path!r} again')

    @step('Source dialog: Enter in a field saves it')
    def _():
        copy = os.path.join(home, 'users.csv')
        shutil.copyfile(csv_path, copy)
        type_into(toplevel(SOURCE), 'CSV File', copy)
        click_on(SOURCE, field(toplevel(SOURCE), 'CSV File'))
        keys(SOURCE, 'End', 'Return')
        wait_closed(SOURCE)
        keys(MAIN, 'ctrl+comma')
        node = wait_for(lambda: field(wait_open(SOURCE), 'CSV File'), 'the "CSV File" field')
        wait_for(lambda: text_of(node) == copy, f'"CSV File" to read {copy!r} once saved')
        keys(SOURCE, 'Escape')
        wait_closed(SOURCE)

    @step('main menu: Export Target Systems… writes the list; importing it back says the name is taken')
    def _():
        path = os.path.join(home, 'exported.json')

        def focused_entry(title):
            where = toplevel(title)
            return where and find(where, lambda n: role(n) == 'text' and has_editable_text(n) and
                                  n.getState().contains(pyatspi.STATE_FOCUSED))

        def through_menu(item, mnemonic, title):
            keys(MAIN, 'F10')
            wait_for(lambda: find(window(), lambda n: role(n) in ('menu item', 'push button') and
                                  item in name(n)), f'"{item}" in the main menu')
            # The item's underlined letter, as a person picks it.
            keys(MAIN, mnemonic)
            wait_open(title)
            # The location, typed into its entry (Ctrl+L opens it in either
            # chooser, once the chooser is ready for keys).
            entry = wait_for(lambda: keys(title, 'ctrl+l') or focused_entry(title), 'the location entry')
            keys(title, 'ctrl+a')
            subprocess.run(['xdotool', 'type', '--delay', '20', path], check=True)
            wait_for(lambda: text_of(entry) == path, f'the location to read {path}')
            # The chooser takes Return only once it has checked the name
            # (it loads the folder first): pressed again until it closes.
            pressed = [0.0]

            def answered():
                if not screens.x_shows(title):
                    return True
                if time.monotonic() - pressed[0] > 0.5:
                    keys(title, 'Return')
                    pressed[0] = time.monotonic()
                return False

            wait_for(answered, f'the "{title}" chooser to take {path}')
            wait_closed(title)

        through_menu('Export Target Systems', 'e', 'Export Target Systems')
        wait_for(lambda: os.path.exists(path), f'{path} written')
        with open(path) as f:
            exported = json.load(f)
        names = [t.get('display-name') for t in exported['targets']]
        if exported['format'] != 'provisioner-targets' or names != [DEMO]:
            raise Failure(f'the export holds {names!r}')
        if 'client-secret' in json.dumps(exported):
            raise Failure('a secret in the export')

        through_menu('Import Target Systems', 'i', 'Import Target Systems')
        taken = f'Nothing was imported. “{DEMO}”: Display Name: Another target system already has this name'
        wait_for(lambda: label_shown(window(), taken), 'why nothing was imported')

    @step('About: F10 opens the main menu; About opens; Escape closes it')
    def _():
        keys(MAIN, 'F10')
        wait_for(lambda: find(window(), lambda n: role(n) in ('menu item', 'push button') and
                              'About' in name(n)), 'the main menu')
        keys(MAIN, 'Up', 'Return')
        about = wait_for(lambda: find_toplevel(lambda n: name(n) not in (MAIN,)), 'the About window')
        title = name(about)
        closes(lambda: keys(title, 'Escape'), 'About')

    @step('Ctrl+W closes About and the shortcuts window', fatal=False)
    def _():
        keys(MAIN, 'F10')
        wait_for(lambda: find(window(), lambda n: role(n) in ('menu item', 'push button') and
                              'About' in name(n)), 'the main menu')
        keys(MAIN, 'Up', 'Return')
        wait_for(lambda: find_toplevel(lambda n: name(n) not in (MAIN,)), 'the About window')
        closes(lambda: keys_to_focus('ctrl+w'), 'About')
        keys(MAIN, 'ctrl+question')
        wait_for(shortcuts_window, 'the shortcuts window')
        closes(lambda: keys_to_focus('ctrl+w'), 'the shortcuts window')

    @step('the app printed no criticals or warnings')
    def _():
        problems = problems_in(stderr_path)
        if problems:
            raise Failure('\n'.join(problems[:20]))

    return step.run(app, home, stderr_path)


if __name__ == '__main__':
    sys.exit(main())
