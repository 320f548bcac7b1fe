#!/usr/bin/python3
# test-e2e-provision.py PROVISIONER PEER — a person provisions from the window
#
# Two prov-scim-peer processes, an Identity Authentication tenant and SAP
# Jam, configured with the command line as an administrator would (the
# secrets go to the keyring, never to a file), and then the real binary
# under Xvfb, read through AT-SPI and driven with real clicks and key
# presses:
#   a click on the target in the sidebar, Ctrl+T: it connects; Source of
#   Users (Ctrl+,) and at once Ctrl+T: the saved tenant connects; Ctrl+P
#   reads the tenant (its secret only in the keyring) and shows the plan:
#   25 to create; Ctrl+Return
#   provisions and the summary says SAP's "25 users provisioned", and SAP
#   Jam has them; a user removed from the tenant: the next plan deactivates
#   one, and after a plain Enter SAP Jam has that user inactive; History
#   (Ctrl+H) lists both runs.
# Real-time provisioning turns on after the first run: its interval is an
# hour here, so only the person's runs change SAP Jam.
#
# TAP on stdout; everything else on stderr.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

from test_modules import load_e2e, load_test_sync  # noqa: E402

e2e = load_e2e()
ts = load_test_sync()

import pyatspi  # noqa: E402

from e2e import (App, Steps, button_showing, children, find, name, press_keys,  # noqa: E402
                 problems_in, role, wait_for)
from e2e_checks import Screens  # noqa: E402

USERS = 25
PLAN = 9


def toplevel(app, title):
    return next((w for w in children(app.root) if name(w) == title), None)


def count_row(dialog, title):
    """The number a plan's or summary's row titled @title shows."""
    row = find(dialog, lambda n: role(n) == 'list item' and name(n) == title)
    if row is None:
        return None
    for node in e2e.walk(row):
        if role(node) == 'label' and e2e._safe_text(node) not in (None, title):
            return e2e._safe_text(node)
    return None


def main():
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner PATH/TO/prov-scim-peer', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])

    home, stderr_path = e2e.scratch_home('provisioner-e2e-provision-', PROVISIONER_SYNC_INTERVAL='3600')
    ts.ENV = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
    ts.ENV.pop('DISPLAY', None)
    # The window's own debug lines (G_MESSAGES_DEBUG is documented for
    # users): they must not disturb it, and one is checked below.
    os.environ['G_MESSAGES_DEBUG'] = 'provisioner'
    app = App(binary, home, stderr_path)
    peers = {}
    step = Steps(PLAN)
    screens = Screens(app)   # waits for a window to close without asking AT-SPI
    state = {}

    def plan_dialog():
        press_keys('Provisioner', 'ctrl+p')
        dialog = wait_for(lambda: toplevel(app, 'Provision Users'), 'the Provision dialog')
        start = wait_for(lambda: button_showing(dialog, 'Provision'), 'its "Provision" button')
        wait_for(lambda: start.getState().contains(pyatspi.STATE_SENSITIVE), 'the plan')
        return dialog

    def run_plan(dialog, heading, key='ctrl+Return'):
        press_keys('Provision Users', key)
        wait_for(lambda: find(dialog, lambda n: role(n) == 'label' and e2e._safe_text(n) == heading),
                 f'the summary "{heading}"')
        press_keys('Provision Users', 'Escape')
        screens.wait_closed('Provision Users')

    @step(f'a tenant of {USERS} users and SAP Jam, set up with the command line')
    def _():
        peers['tenant'] = ts.Peer('--source-users', str(USERS), '--source-writable')
        peers['jam'] = ts.Peer()
        ts.expect(ts.run('source', 'set', '--tenant', peers['tenant'].url, '--version', '2',
                         '--auth', 'basic', '--client-id', ts.SOURCE_ID, '--secret-stdin',
                         stdin=ts.SOURCE_SECRET + '\n'), 0, 'source set')
        ts.expect(ts.run('targets', 'add', '--name', 'Jam', '--type', 'jam', '--url', peers['jam'].url,
                         '--client-key', ts.CLIENT_ID, '--secret-stdin', stdin=ts.SECRET + '\n'),
                  0, 'targets add')
        # Tested from the command line, as a timer would: the window shows it.
        ts.expect(ts.run('test', 'Jam'), 0, 'test')

    @step('the sidebar shows the command line\'s Test Connection; a click on the target shows it')
    def _():
        app.start()
        window = app.window()
        row = wait_for(lambda: find(window, lambda n: role(n) == 'list item' and name(n) == 'Jam'),
                       'the sidebar row "Jam"')
        wait_for(lambda: find(row, lambda n: role(n) in ('image', 'icon') and
                              name(n).startswith('Connection tested successfully at ')),
                 'the row\'s icon for the test made before the window started')
        Screens.click_on('Provisioner', row)
        wait_for(lambda: button_showing(window, 'Provision'), 'the target on screen')

    @step('Ctrl+T tests the saved target, its secret from the keyring: SAP\'s sentence in the banner')
    def _():
        press_keys('Provisioner', 'ctrl+t')
        wait_for(lambda: find(app.window(), lambda n: role(n) == 'label' and e2e._safe_text(n) ==
                              'Connection to the selected target system was established successfully.'),
                 'SAP\'s sentence for a connection that works')

    @step('Source of Users (Ctrl+,), then at once Ctrl+T: the saved tenant connects, its secret from the keyring')
    def _():
        press_keys('Provisioner', 'ctrl+comma')
        dialog = wait_for(lambda: toplevel(app, 'Source of Users'), 'the Source of Users dialog')
        press_keys('Source of Users', 'ctrl+t')
        wait_for(lambda: find(dialog, lambda n: role(n) == 'label' and e2e._safe_text(n) ==
                              'Connection to the source of users was established successfully.'),
                 'SAP\'s sentence for a connection that works')
        press_keys('Source of Users', 'Escape')
        screens.wait_closed('Source of Users')   # no question: nothing was changed

    @step(f'Ctrl+P reads the tenant and plans {USERS} users to create; the debug log says when it was drawn')
    def _():
        dialog = plan_dialog()
        assert count_row(dialog, 'Create') == str(USERS), count_row(dialog, 'Create')
        assert count_row(dialog, 'Deactivate') == '0', count_row(dialog, 'Deactivate')
        # bench-window.py times the window by this line instead of polling it.
        wait_for(lambda: re.search(r'Plan on screen \d+ ms after the dialog opened',
                                   open(stderr_path, errors='replace').read()),
                 'the debug line "Plan on screen"')
        state['dialog'] = dialog

    @step(f'Ctrl+Return provisions: "{USERS} users provisioned", and SAP Jam has them')
    def _():
        run_plan(state.pop('dialog'), f'{USERS} users provisioned')
        for user in ('user00001', f'user{USERS:05d}'):
            pushed = peers['jam'].jam_user(user)
            assert pushed is not None and pushed['active'] is True, f'{user} on SAP Jam: {pushed}'

    @step('a user removed from the tenant: the next plan deactivates one, Enter runs it, and SAP Jam has it inactive')
    def _():
        found = peers['tenant'].tenant('GET', '?filter=userName%20eq%20%22user00007%22')
        peers['tenant'].tenant('DELETE', '/' + found['Resources'][0]['id'])
        dialog = plan_dialog()
        assert count_row(dialog, 'Deactivate') == '1', count_row(dialog, 'Deactivate')
        assert count_row(dialog, 'Create') == '0', count_row(dialog, 'Create')
        # Once the plan is on screen, Enter is the dialog's Provision.
        run_plan(dialog, '1 user provisioned', key='Return')
        assert peers['jam'].jam_user('user00007')['active'] is False, 'user00007 still active'
        assert peers['jam'].jam_user('user00008')['active'] is True, 'user00008 deactivated'

    @step('History (Ctrl+H) lists both runs')
    def _():
        press_keys('Provisioner', 'ctrl+h')
        history = wait_for(lambda: next((w for w in children(app.root)
                                         if name(w) not in ('Provisioner', '')), None), 'the History window')
        wait_for(lambda: len([n for n in e2e.walk(history) if role(n) == 'list item']) >= 2,
                 'two runs in History')
        title = name(history)
        press_keys(title, 'Escape')
        screens.wait_closed(title)

    @step('the app printed no warning')
    def _():
        problems = problems_in(stderr_path)
        if problems:
            raise e2e.Failure('\n'.join(problems))

    try:
        return step.run(app, home, stderr_path)
    finally:
        for peer in peers.values():
            peer.stop()


if __name__ == '__main__':
    sys.exit(main())
