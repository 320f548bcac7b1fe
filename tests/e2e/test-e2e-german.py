#!/usr/bin/python3
# test-e2e-german.py PROVISIONER — the window as a German-speaking admin
# meets it
#
# Starts `provisioner --demo` with LANGUAGE=de, as a German desktop session
# would, and the build tree's translations (PROVISIONER_LOCALEDIR, set by
# meson). Real key presses (xdotool) and AT-SPI, as in the other end-to-end
# tests: the sidebar, the empty pane, the view of a target with its
# buttons named in German (mnemonic underscores gone), Test Connection's
# sentence from the core, and a field the editor refuses with its reason.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import sys

from test_modules import load_e2e  # noqa: E402

e2e = load_e2e()

from e2e import (App, Failure, Steps, button, button_showing, field, find,  # noqa: E402
                 label_shown, name, role, text_of, type_into, wait_for)
from e2e_checks import Screens, shows  # noqa: E402

DEMO = 'SAP Jam (Demo)'
MAIN = 'Provisioner'

PLAN = 5


def main():
    if len(sys.argv) != 2:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner', file=sys.stderr)
        return 2
    if not os.environ.get('PROVISIONER_LOCALEDIR'):
        print('Bail out! PROVISIONER_LOCALEDIR is not set: run this through meson test')
        return 1
    binary = os.path.abspath(sys.argv[1])
    # The App inherits this process's environment: a German session.
    home, stderr_path = e2e.scratch_home('provisioner-e2e-german-', LANGUAGE='de', LC_ALL='C.UTF-8')
    app = App(binary, home, stderr_path, args=['--demo'])
    step = Steps(PLAN)
    screens = Screens(app)
    keys = screens.keys

    def window():
        return wait_for(lambda: screens.toplevel(MAIN), 'the "Provisioner" window')

    def target_list():
        return find(window(), lambda n: role(n) == 'list' and name(n) == 'Zielsysteme')

    @step('the sidebar and the empty pane speak German')
    def _():
        app.start()
        wait_for(lambda: target_list() and label_shown(target_list(), DEMO),
                 f'"{DEMO}" in the list named "Zielsysteme"')
        wait_for(lambda: label_shown(window(), 'Kein Zielsystem ausgewählt'),
                 '"Kein Zielsystem ausgewählt" in the empty pane')
        wait_for(lambda: button(window(), 'Zielsystem hinzufügen'), 'the "Zielsystem hinzufügen" button')

    @step('a target\'s view: its buttons are named as they read, without the underscore')
    def _():
        keys(MAIN, 'ctrl+f', 'D', 'e', 'm', 'o')
        wait_for(lambda: label_shown(target_list(), DEMO), f'"{DEMO}" found')
        keys(MAIN, 'Tab', 'Return')
        node = wait_for(lambda: field(window(), 'Anzeigename'), 'the "Anzeigename" field')
        wait_for(lambda: text_of(node) == DEMO, f'"Anzeigename" to read {DEMO!r}')
        for label in ('Bearbeiten', 'Verbindung testen', 'Bereitstellen', 'Verlauf', 'Löschen'):
            found = wait_for(lambda: button_showing(window(), label), f'the "{label}" button')
            if name(found) != label:
                raise Failure(f'the button showing "{label}" is named {name(found)!r}')

    @step('Ctrl+T: Test Connection says SAP\'s sentence in German')
    def _():
        keys(MAIN, 'ctrl+t')
        wait_for(lambda: shows(window(), 'Die Verbindung zum ausgewählten Zielsystem wurde erfolgreich hergestellt.'),
                 'the German success sentence')

    @step('Ctrl+E, an invalid URL and Ctrl+S: the reason is German')
    def _():
        keys(MAIN, 'ctrl+e')
        wait_for(lambda: button(window(), 'Speichern'), 'the "Speichern" button')
        type_into(window(), 'URL', 'keine adresse')
        keys(MAIN, 'ctrl+s')
        wait_for(lambda: shows(window(), 'Entfernen Sie die Leerzeichen aus der Adresse'),
                 'the German reason the URL was refused')

    @step('Escape asks in German; Verwerfen goes back to the saved target')
    def _():
        keys(MAIN, 'Escape')
        dialog = wait_for(lambda: screens.find_toplevel(lambda n: role(n) in ('dialog', 'alert') and
                                                        name(n) == 'Änderungen speichern?'),
                          'the question "Änderungen speichern?"')
        discard = wait_for(lambda: button_showing(dialog, 'Verwerfen'), 'its "Verwerfen" button')
        screens.closes(lambda: e2e.click(discard), 'the question')
        wait_for(lambda: button(window(), 'Bearbeiten'), 'the "Bearbeiten" button after Verwerfen')

    return step.run(app, home, stderr_path)


if __name__ == '__main__':
    sys.exit(main())
