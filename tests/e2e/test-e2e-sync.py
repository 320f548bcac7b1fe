#!/usr/bin/python3
# test-e2e-sync.py PROVISIONER PEER — real-time provisioning in the real app
#
# Two prov-scim-peer processes (the tenant, and SAP Jam behind a forwarder
# the test can take down), configured with the command line; then the
# real binary under Xvfb, read through AT-SPI and driven with real key
# presses, beside a tiny notification server on the test's session bus
# (fake-notifications.py):
#   while `provisioner sync` runs, the sidebar row says another process
#   syncs, and once it stopped the app takes over;
#   the sidebar row says "In sync", then "Failing: …" while the target is
#   unreachable, and a notification comes when the failure lasts
#   (PROVISIONER_FAILURE_NOTIFY_SECONDS=3 here; 5 minutes in real use);
#   removals over the threshold pause the target with a notification,
#   whose default action opens the window on the target; Resume asks,
#   then deactivates the users; Ctrl+P plans from the tenant, whose secret
#   is only in the keyring (not "set up the source first"), and Ctrl+U
#   lists its users; closing the window (Ctrl+W) leaves the app
#   syncing; app.quit stops it and the app exits 0.
#
# TAP on stdout; everything else on stderr.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


from test_modules import load_e2e, load_test_sync  # noqa: E402

e2e = load_e2e()
ts = load_test_sync()
from e2e_checks import Screens  # noqa: E402

import pyatspi  # noqa: E402

from e2e import (App, Failure, Steps, button, button_showing, click,  # noqa: E402
                 field, find, log, name, press_keys, problems_in, role, text_of,
                 wait_for)

APP_ID = 'io.github.provisioner.Provisioner'
PLAN = 15
INTERVAL = 5


class Notifications:
    """fake-notifications.py in a process of its own, its lines collected."""

    def __init__(self, env):
        self.proc = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'fake-notifications.py')],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        self.calls = []
        assert self.proc.stdout.readline().strip() == 'ready', 'the notification server did not start'
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.calls.append(json.loads(line))

    def shown(self, words):
        for call in self.calls:
            if call['call'] == 'Notify' and words in call['summary']:
                return call
        return None

    def closed(self, nid):
        return any(c['call'] == 'CloseNotification' and c['id'] == nid for c in self.calls)

    def invoke(self, nid, action):
        self.proc.stdin.write(f'invoke {nid} {action}\n')
        self.proc.stdin.flush()

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def label_starting(root, prefix):
    def match(node):
        if role(node) != 'label':
            return False
        try:
            return text_of(node).startswith(prefix)
        except Exception:
            return name(node).startswith(prefix)
    return find(root, match)


def tenant_user_id(tenant, user_name):
    found = tenant.tenant('GET', '?filter=' + urllib.parse.quote(f'userName eq "{user_name}"'))
    return found['Resources'][0]['id']


def main():
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} PATH/TO/provisioner PATH/TO/prov-scim-peer', file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])

    home, stderr_path = e2e.scratch_home('provisioner-e2e-sync-',
                                         PROVISIONER_SYNC_INTERVAL=str(INTERVAL),
                                         PROVISIONER_FAILURE_NOTIFY_SECONDS='3',
                                         PROVISIONER_TIME_SCALE='0.02')
    ts.ENV = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
    app = App(binary, home, stderr_path)
    peers = {}
    step = Steps(PLAN)
    window = None

    @step('two peers, the tenant and SAP Jam; the target added with real time on')
    def _():
        peers['tenant'] = ts.Peer('--source-users', '6', '--source-writable')
        peers['target'] = ts.Peer()
        peers['forwarder'] = ts.Forwarder(peers['target'].url)
        ts.setup(peers['tenant'], peers['forwarder'].url, '--threshold-users', '1',
                 '--threshold-percent', '1')
        peers['notifications'] = Notifications(os.environ)

    @step('provisioner sync runs: the app starts and its sidebar says another process syncs')
    def _():
        nonlocal window
        peers['sync'] = ts.Sync()
        wait_for(lambda: peers['target'].jam_user('user00006'), 'the first push, by provisioner sync')
        app.start()
        window = app.window()
        wait_for(lambda: label_starting(window, 'Synced by another process (provisioner sync)'),
                 'the row to say another process syncs')

    @step('provisioner sync stops: the app takes over and the sidebar says the target is in sync')
    def _():
        assert peers['sync'].stop() == 0, 'provisioner sync did not stop cleanly'
        wait_for(lambda: label_starting(window, 'In sync, checked at '), 'the row to say "In sync"')

    @step('a screen reader hears the state with the target', fatal=False)
    def _():
        def described():
            for node in e2e.walk(window):
                if role(node) == 'list item' and name(node) == 'Jam':
                    return 'In sync' in (node.description or '')
            return False
        wait_for(described, 'the list item "Jam" described with "In sync"')

    @step('the target unreachable: the row says "Failing" and why')
    def _():
        peers['forwarder'].down()
        peers['tenant'].tenant('POST', '', ts.new_user('late1'))
        wait_for(lambda: label_starting(window, 'Failing: '), 'the row to say "Failing: …"')

    @step('a failure that lasts sends a notification that names the target')
    def _():
        shown = wait_for(lambda: peers['notifications'].shown('is failing'), 'the "is failing" notification')
        log(f'notification: {shown}')
        assert 'Jam' in shown['summary'], shown
        assert shown['body'], shown
        assert 'default' in shown['actions'], shown

    @step('the target back: in sync again, the change arrives, the notification goes')
    def _():
        peers['forwarder'].up()
        wait_for(lambda: peers['target'].jam_user('late1'), 'late1 on the target')
        wait_for(lambda: label_starting(window, 'In sync, checked at '), 'the row to say "In sync" again')
        failing = peers['notifications'].shown('is failing')
        wait_for(lambda: peers['notifications'].closed(failing['id']), 'the failure notification withdrawn')

    @step('removals over the threshold pause the target, with a notification; nobody is removed')
    def _():
        for user in ['user00001', 'user00002', 'user00003']:
            peers['tenant'].tenant('DELETE', '/' + tenant_user_id(peers['tenant'], user))
        wait_for(lambda: label_starting(window, 'Paused: '), 'the row to say "Paused: …"')
        shown = wait_for(lambda: peers['notifications'].shown('is paused'), 'the "is paused" notification')
        log(f'notification: {shown}')
        for user in ['user00001', 'user00002', 'user00003']:
            assert peers['target'].jam_user(user)['active'] is True, f'{user} was deprovisioned'

    @step('the notification opens the window on the target')
    def _():
        shown = peers['notifications'].shown('is paused')
        peers['notifications'].invoke(shown['id'], 'default')
        wait_for(lambda: (field(window, 'Display Name') is not None and
                          text_of(field(window, 'Display Name')) == 'Jam'),
                 'the target "Jam" on screen')

    @step('Resume asks first, then the removals go and the row is in sync')
    def _():
        resume = wait_for(lambda: button(window, 'Resume Real-Time Provisioning…'), 'the Resume button')
        click(resume)
        dialog = wait_for(lambda: find(app.root, lambda n: role(n) in ('dialog', 'alert') and
                                       name(n).startswith('Resume Real-Time Provisioning')),
                          'the question before resuming')
        assert peers['target'].jam_user('user00001')['active'] is True, 'removed before the answer'
        click(wait_for(lambda: button_showing(dialog, 'Resume'), 'the Resume answer'))
        for user in ['user00001', 'user00002', 'user00003']:
            wait_for(lambda: peers['target'].jam_user(user)['active'] is False, f'{user} deactivated')
        wait_for(lambda: label_starting(window, 'In sync, checked at '), 'the row to say "In sync"')

    @step('Ctrl+P on the target plans from the tenant (its secret only in the keyring); Escape closes it')
    def _():
        press_keys('Provisioner', 'ctrl+p')
        dialog = wait_for(lambda: next((w for w in e2e.children(app.root) if name(w) == 'Provision Users'), None),
                          'the Provision dialog, not "Source of Users"')
        def planned():
            start = button_showing(dialog, 'Provision')
            return ((start is not None and start.getState().contains(pyatspi.STATE_SENSITIVE)) or
                    find(dialog, lambda n: name(n).startswith('Nothing to do')))
        wait_for(planned, 'the plan')
        press_keys('Provision Users', 'Escape')
        Screens(app).wait_closed('Provision Users')

    @step('Ctrl+U lists the tenant\'s users, read with the secret from the keyring; Escape closes it')
    def _():
        press_keys('Provisioner', 'ctrl+u')
        users = wait_for(lambda: next((w for w in e2e.children(app.root) if name(w) == 'Users'), None),
                         'the Users window')
        wait_for(lambda: find(users, lambda n: role(n) == 'check box' and name(n) == 'Given4 Family4'),
                 'user00004 (Given4 Family4) listed, not "Set up the source of users first"')
        press_keys('Users', 'Escape')
        Screens(app).wait_closed('Users')

    @step('closing the window (Ctrl+W) leaves the app syncing')
    def _():
        press_keys('Provisioner', 'ctrl+w')
        wait_for(lambda: find(app.root, lambda n: role(n) == 'frame' and name(n) == 'Provisioner') is None,
                 'the window to close')
        peers['tenant'].tenant('POST', '', ts.new_user('after-close'))
        wait_for(lambda: peers['target'].jam_user('after-close'), 'a change pushed with no window')
        assert app.process.poll() is None, 'the app exited with its window'

    @step('app.quit stops the sync and the app exits 0')
    def _():
        subprocess.run(['gdbus', 'call', '--session', '--dest', APP_ID,
                        '--object-path', '/' + APP_ID.replace('.', '/'),
                        '--method', 'org.gtk.Actions.Activate', 'quit', '[]', '{}'],
                       check=True, stdout=subprocess.DEVNULL)
        status = app.wait_exit()
        assert status == 0, f'exit status {status}'

    @step('the app printed no warning')
    def _():
        problems = problems_in(stderr_path)
        if problems:
            raise Failure('\n'.join(problems))

    try:
        return step.run(app, home, stderr_path)
    finally:
        if 'sync' in peers and peers['sync'].proc.poll() is None:
            peers['sync'].kill()
        for key in ('notifications', 'tenant', 'target'):
            if key in peers:
                peers[key].stop()
        if 'forwarder' in peers:
            peers['forwarder'].down()


if __name__ == '__main__':
    sys.exit(main())
