#!/usr/bin/python3
# test-sync.py PROVISIONER PEER — `provisioner sync`, real-time provisioning
#
# The REAL binary with no DISPLAY, a real gnome-keyring (run it under
# tests/with-keyring.sh) and two prov-scim-peer processes on 127.0.0.1: one
# as the tenant (its users changed over SCIM while the sync runs), one as
# the SAP Jam target, reached through a forwarder the test can take down.
# Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request

from scim_peer import PeerProcess

PROVISIONER, PEER = sys.argv[1:3]
CLIENT_ID = 'sync-client'
SECRET = 'sync-S3cret-throwaway'          # a throwaway for a loopback peer
SOURCE_ID = 'sync-source'
SOURCE_SECRET = 'source-S3cret-throwaway'
INTERVAL = 5
# Generous: a change must arrive within the interval; the rest is slack
# for a loaded machine, not a speed claim.
DEADLINE = INTERVAL + 15

ENV = None


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line)


def fresh_env():
    root = tempfile.mkdtemp(prefix='test-sync-')
    env = dict(os.environ,
               XDG_CONFIG_HOME=os.path.join(root, 'config'),
               XDG_STATE_HOME=os.path.join(root, 'state'),
               no_proxy='*', LC_ALL='C.UTF-8', LANGUAGE='',
               PROVISIONER_TIME_SCALE='0.02')
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    return env


def run(*args, stdin=None, timeout=60):
    proc = subprocess.run([PROVISIONER, *args], input=stdin, capture_output=True,
                          text=True, env=ENV, timeout=timeout)
    return proc


def expect(proc, code, what=''):
    if proc.returncode != code:
        raise AssertionError(f'{what}: exit {proc.returncode}, wanted {code}\n'
                             f'stdout: {proc.stdout}\nstderr: {proc.stderr}')
    return proc


class Peer(PeerProcess):
    def __init__(self, *extra):
        super().__init__(PEER, ['--client', f'{CLIENT_ID}:{SECRET}',
                                '--client', f'{SOURCE_ID}:{SOURCE_SECRET}', *extra])

    def request(self, method, path, body=None, auth=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header('Content-Type', 'application/scim+json')
        if auth:
            req.add_header('Authorization', auth)
        with urllib.request.urlopen(req, timeout=10) as resp:
            text = resp.read()
            return json.loads(text) if text else None

    # The tenant, changed as an administrator would.
    def tenant(self, method, path, body=None):
        basic = base64.b64encode(f'{SOURCE_ID}:{SOURCE_SECRET}'.encode()).decode()
        return self.request(method, '/scim/Users' + path, body, 'Basic ' + basic)

    # SAP Jam, read back.
    def jam_user(self, user_name):
        form = urllib.parse.urlencode({'grant_type': 'client_credentials', 'client_id': CLIENT_ID,
                                       'client_secret': SECRET}).encode()
        req = urllib.request.Request(self.url + '/api/v1/auth/token', data=form, method='POST')
        req.add_header('Content-Type', 'application/x-www-form-urlencoded')
        with urllib.request.urlopen(req, timeout=10) as resp:
            token = json.loads(resp.read())['access_token']
        query = urllib.parse.quote(f'userName eq "{user_name}"')
        found = self.request('GET', f'/api/v1/scim/Users?filter={query}', auth='Bearer ' + token)
        return found['Resources'][0] if found['Resources'] else None


class Forwarder:
    """TCP on a fixed loopback port to the target peer: down() refuses
    connections and cuts those open, up() serves again on the same port."""

    def __init__(self, upstream_url):
        parsed = urllib.parse.urlparse(upstream_url)
        self.upstream = (parsed.hostname, parsed.port)
        probe = socket.socket()
        probe.bind(('127.0.0.1', 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f'http://127.0.0.1:{self.port}'
        self.listener = None
        self.conns = []
        self.up()

    def up(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(('127.0.0.1', self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        # A thread blocked in accept() keeps a closed socket listening:
        # shutdown() wakes it first.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for c in self.conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
                c.close()
            except OSError:
                pass
        self.conns = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def setup(tenant, target_url, *target_extra):
    expect(run('source', 'set', '--tenant', tenant.url, '--version', '2', '--auth', 'basic',
               '--client-id', SOURCE_ID, '--secret-stdin', stdin=SOURCE_SECRET + '\n'), 0, 'source set')
    expect(run('targets', 'add', '--name', 'Jam', '--type', 'jam', '--url', target_url,
               '--client-key', CLIENT_ID, '--real-time', 'on', '--yes', *target_extra,
               '--secret-stdin', stdin=SECRET + '\n'), 0, 'targets add')


class Sync:
    def __init__(self, *extra):
        self.proc = subprocess.Popen([PROVISIONER, 'sync', '--interval', str(INTERVAL), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=ENV)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip('\n'))

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=DEADLINE)

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def wait_for(what, check, deadline=DEADLINE):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        value = check()
        if value:
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError(f'{what} did not happen within {deadline} s')


def stop_all(*things):
    """A test's end, however it ended: syncs killed, peers and forwarders stopped."""
    for thing in things:
        if isinstance(thing, Sync):
            if thing.proc.poll() is None:
                thing.kill()
        elif isinstance(thing, Forwarder):
            thing.down()
        elif thing is not None:
            thing.stop()


def wait_for_requests(peer, n, what):
    """Until @peer answered @n more requests (a few intervals at most)."""
    peer.counters()
    seen = [0]

    def answered():
        seen[0] += peer.counters()['requests']
        return seen[0] >= n
    wait_for(what, answered, deadline=4 * DEADLINE)


def new_user(name, title='Engineer'):
    return {'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User'], 'userName': name,
            'name': {'givenName': 'Given', 'familyName': 'Family'},
            'emails': [{'value': f'{name}@example.com', 'primary': True, 'type': 'work'}],
            'active': True, 'title': title}


# --- the cases ---------------------------------------------------------------

def test_setting_needs_yes_for_a_new_target():
    tenant = Peer('--source-users', '7')
    target = Peer()
    try:
        expect(run('source', 'set', '--tenant', tenant.url, '--version', '2', '--auth', 'basic',
                   '--client-id', SOURCE_ID, '--secret-stdin', stdin=SOURCE_SECRET + '\n'), 0, 'source')
        r = expect(run('targets', 'add', '--name', 'Plain', '--type', 'jam', '--url', target.url,
                       '--client-key', CLIENT_ID, '--secret-stdin', stdin=SECRET + '\n'), 0, 'add')
        assert 'Real-time provisioning is off for “Plain”' in r.stdout, r.stdout
        shown = json.loads(expect(run('targets', 'show', 'Plain', '--json'), 0, 'show').stdout)
        assert shown['real-time'] is False, shown
        assert 'Real-Time Provisioning: Off\n' in run('targets', 'show', 'Plain').stdout

        r = expect(run('targets', 'edit', 'Plain', '--real-time', 'on'), 5, 'on without --yes')
        assert 'Create: 7' in r.stdout, r.stdout
        # In one log of both streams (a timer's journal, 2>&1), the plan
        # comes before what it explains.
        both = subprocess.run([PROVISIONER, 'targets', 'edit', 'Plain', '--real-time', 'on'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV,
                              timeout=60).stdout
        assert both.index('Create: 7') < both.index('Nothing saved'), both
        shown = json.loads(run('targets', 'show', 'Plain', '--json').stdout)
        assert shown['real-time'] is False, 'saved without --yes'

        expect(run('targets', 'edit', 'Plain', '--real-time', 'on', '--yes'), 0, 'on with --yes')
        shown = json.loads(run('targets', 'show', 'Plain', '--json').stdout)
        assert shown['real-time'] is True, shown
        # The plain form says it too, as the editor's switch does.
        assert 'Real-Time Provisioning: On\n' in run('targets', 'show', 'Plain').stdout
        expect(run('targets', 'edit', 'Plain', '--real-time', 'maybe'), 2, 'bad value')
        assert target.counters()['jam-writes'] == 0, 'turning it on wrote something'

        # Once provisioned, turning it on pushes nothing at once: no --yes.
        expect(run('targets', 'add', '--name', 'Done', '--type', 'jam', '--url', target.url,
                   '--client-key', CLIENT_ID, '--secret-stdin', stdin=SECRET + '\n'), 0, 'add Done')
        expect(run('provision', 'Done'), 0, 'provision Done')
        expect(run('targets', 'edit', 'Done', '--real-time', 'on'), 0, 'on once provisioned')
        assert json.loads(run('targets', 'show', 'Done', '--json').stdout)['real-time'] is True
    finally:
        tenant.stop()
        target.stop()


def test_changes_reach_the_target_in_order():
    tenant = Peer('--source-users', '3', '--source-writable')
    target = Peer()
    setup(tenant, target.url)
    sync = Sync()
    try:
        wait_for('the first push', lambda: target.jam_user('user00003'))

        created = tenant.tenant('POST', '', new_user('newbie'))
        took = wait_for('a create', lambda: target.jam_user('newbie'))
        diag(f'create arrived after {took:.1f} s')

        tenant.tenant('PUT', '/' + created['id'], new_user('newbie', 'Manager'))
        took = wait_for('an update', lambda: (target.jam_user('newbie') or {}).get('jobFunction') == 'Manager'
                        or (target.jam_user('newbie') or {}).get('title') == 'Manager')
        diag(f'update arrived after {took:.1f} s')

        gone = dict(new_user('newbie', 'Manager'), active=False)
        tenant.tenant('PUT', '/' + created['id'], gone)
        took = wait_for('a deactivation', lambda: target.jam_user('newbie')['active'] is False)
        diag(f'deactivation arrived after {took:.1f} s')

        first = tenant.tenant('GET', '?filter=' + urllib.parse.quote('userName eq "user00001"'))
        tenant.tenant('DELETE', '/' + first['Resources'][0]['id'])
        took = wait_for('a deletion', lambda: target.jam_user('user00001')['active'] is False)
        diag(f'deletion arrived (deactivated) after {took:.1f} s')

        assert sync.stop() == 0, 'sync did not exit 0 on SIGTERM'
        log = '\n'.join(sync.lines)
        diag(log)
        order = [log.find(word) for word in ['Create newbie', 'Update newbie', 'Deactivate newbie',
                                             'Deactivate user00001']]
        assert -1 not in order and order == sorted(order), f'out of order: {order}'
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        tenant.stop()
        target.stop()


def test_target_down_and_sync_killed():
    tenant = Peer('--source-users', '2', '--source-writable')
    target = Peer()
    forwarder = Forwarder(target.url)
    setup(tenant, forwarder.url)
    sync = Sync()
    try:
        wait_for('the first push', lambda: target.jam_user('user00002'))
        target.counters()          # clears them

        forwarder.down()
        tenant.tenant('POST', '', new_user('late1'))
        tenant.tenant('POST', '', new_user('late2'))
        second = tenant.tenant('GET', '?filter=' + urllib.parse.quote('userName eq "user00002"'))
        tenant.tenant('PUT', '/' + second['Resources'][0]['id'],
                      dict(new_user('user00002', 'Changed')))
        wait_for('a failure logged', lambda: any('failed' in line for line in sync.lines))
        sync.kill()

        forwarder.up()
        sync = Sync()
        wait_for('late1', lambda: target.jam_user('late1'))
        wait_for('late2', lambda: target.jam_user('late2'))
        wait_for('the update', lambda: target.jam_user('user00002').get('jobFunction') == 'Changed'
                 or target.jam_user('user00002').get('title') == 'Changed')
        time.sleep(INTERVAL + 1)   # one more check: nothing sent again
        writes = target.counters()['jam-writes']
        assert writes == 3, f'{writes} writes for 3 changes'
        assert sync.stop() == 0
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        forwarder.down()
        tenant.stop()
        target.stop()


def test_failure_said_once():
    # A target that cannot be reached fails again at every check: the log
    # says its failure once, not at every retry, and says when it ends.
    tenant = Peer('--source-users', '3')
    target = Peer()
    forwarder = Forwarder(target.url)
    forwarder.down()
    setup(tenant, forwarder.url)
    sync = Sync()
    try:
        wait_for('the target said to be failing', lambda: any('Jam: failing: ' in line for line in sync.lines))
        # At least two more checks of the tenant (two or three requests each:
        # a count, a delta query, at times a full read), each followed by a
        # retry that fails alike: the one before the last is over.
        wait_for_requests(tenant, 6, 'two more checks')
        failed = [line for line in sync.lines if 'failed, kept for the next try' in line]
        assert len(failed) == 1, '\n'.join(sync.lines)
        assert sum('Jam: failing: ' in line for line in sync.lines) == 1, '\n'.join(sync.lines)

        forwarder.up()
        wait_for('the end of the failure said', lambda: any('Jam: syncing again' in line for line in sync.lines))
        wait_for('the users pushed', lambda: target.jam_user('user00003'))
        assert sync.stop() == 0
    finally:
        stop_all(sync, forwarder, tenant, target)


def test_one_sync_at_a_time():
    # The window's application and provisioner sync share the queues and
    # records: one process syncs; another waits (with --once it says so,
    # pushes nothing and exits 1) and takes over when the first stops.
    tenant = Peer('--source-users', '2', '--source-writable')
    target = Peer()
    setup(tenant, target.url)
    first = Sync()
    second = None
    try:
        wait_for('the first push', lambda: target.jam_user('user00002'))
        target.counters()
        r = expect(run('sync', '--once'), 1, 'sync --once beside a running sync')
        assert r.stdout.endswith(' Real-time provisioning runs in another process (the Provisioner window, '
                                 'or another provisioner sync): nothing was pushed.\n'), r.stdout
        second = Sync()
        wait_for('the second one waiting',
                 lambda: any(line.endswith('this one waits until it stops.') for line in second.lines))
        assert first.stop() == 0
        wait_for('the second one taking over',
                 lambda: any(line.endswith('The other process stopped: this one syncs now.') for line in second.lines))
        tenant.tenant('POST', '', new_user('later'))
        wait_for('a change pushed by the second one', lambda: target.jam_user('later'))
        assert any(line.endswith('Jam: Create later') for line in second.lines), '\n'.join(second.lines)
        # Nothing the first one pushed went again.
        assert target.counters()['jam-writes'] == 1
        assert second.stop() == 0
    finally:
        stop_all(first, second, tenant, target)


def set_source_secret(tenant, secret):
    expect(run('source', 'set', '--tenant', tenant.url, '--version', '2', '--auth', 'basic',
               '--client-id', SOURCE_ID, '--secret-stdin', stdin=secret + '\n'), 0, 'source set')


def test_source_failure_said_once():
    # A source that refuses the secret fails at every check: said once,
    # and when a right secret is saved, its end is said and the users go.
    tenant = Peer('--source-users', '2')
    target = Peer()
    setup(tenant, target.url)
    set_source_secret(tenant, 'wrong-secret')
    sync = Sync()
    try:
        wait_for('the source said to fail', lambda: any('Source: ' in line for line in sync.lines))
        # Two more checks, one refused request each.
        wait_for_requests(tenant, 2, 'two more checks')
        said = [line for line in sync.lines if 'Source: ' in line]
        assert len(said) == 1 and '401' in said[0], '\n'.join(sync.lines)

        set_source_secret(tenant, SOURCE_SECRET)
        wait_for('the end of the failure said', lambda: any('Source: read again' in line for line in sync.lines))
        wait_for('the users pushed', lambda: target.jam_user('user00002'))
        assert sync.stop() == 0
    finally:
        stop_all(sync, tenant, target)


def test_refused_delta_falls_back():
    tenant = Peer('--source-users', '2', '--source-writable', '--refuse-delta')
    target = Peer()
    setup(tenant, target.url)
    sync = Sync()
    try:
        wait_for('the first push', lambda: target.jam_user('user00002'))
        created = tenant.tenant('POST', '', new_user('fallback'))
        wait_for('a create', lambda: target.jam_user('fallback'))
        tenant.tenant('PUT', '/' + created['id'], new_user('fallback', 'Lead'))
        wait_for('an update', lambda: target.jam_user('fallback').get('jobFunction') == 'Lead'
                 or target.jam_user('fallback').get('title') == 'Lead')
        assert sync.stop() == 0
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        tenant.stop()
        target.stop()


def test_threshold_pauses():
    tenant = Peer('--source-users', '6', '--source-writable')
    target = Peer()
    setup(tenant, target.url, '--threshold-users', '1', '--threshold-percent', '1')
    sync = Sync()
    try:
        wait_for('the first push', lambda: target.jam_user('user00006'))
        for name in ['user00001', 'user00002', 'user00003']:
            found = tenant.tenant('GET', '?filter=' + urllib.parse.quote(f'userName eq "{name}"'))
            tenant.tenant('DELETE', '/' + found['Resources'][0]['id'])
        wait_for('a pause logged', lambda: any('paused' in line for line in sync.lines))
        time.sleep(INTERVAL + 1)
        for name in ['user00001', 'user00002', 'user00003']:
            assert target.jam_user(name)['active'] is True, f'{name} was deprovisioned'
        assert sync.stop() == 0

        # The pause outlives the process.
        r = expect(run('sync', '--once'), 1, 'sync --once while paused')
        assert 'paused' in r.stdout, r.stdout
        assert target.jam_user('user00001')['active'] is True, 'deprovisioned after a restart'

        expect(run('sync', '--resume', 'Nobody'), 2, '--resume of an unknown target')
        r = expect(run('sync', '--resume', 'Jam'), 0, 'sync --resume')
        assert 'resumed' in r.stdout, r.stdout
        assert target.jam_user('user00001')['active'] is True, '--resume alone pushed something'
        r = expect(run('sync', '--once'), 0, 'sync --once after --resume')
        for name in ['user00001', 'user00002', 'user00003']:
            assert target.jam_user(name)['active'] is False, f'{name} still active after --resume'
        r = expect(run('sync', '--resume', 'Jam'), 1, '--resume when not paused')
        assert 'not paused' in r.stderr, r.stderr
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        tenant.stop()
        target.stop()


def write_csv(path, rows):
    # Written beside and renamed, as editors and exports do.
    with open(path + '.tmp', 'w') as f:
        f.write('userName,name.givenName,name.familyName,emails[0].value,active,title\n')
        for name, title in rows:
            f.write(f'{name},Given,Family,{name}@example.com,TRUE,{title}\n')
    os.replace(path + '.tmp', path)


def test_csv_source_watched():
    target = Peer()
    path = os.path.join(ENV['XDG_CONFIG_HOME'], 'users.csv')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_csv(path, [('csv1', 'One'), ('csv2', 'Two')])
    expect(run('source', 'set', '--csv', path), 0, 'source set --csv')
    expect(run('targets', 'add', '--name', 'Jam', '--type', 'jam', '--url', target.url,
               '--client-key', CLIENT_ID, '--real-time', 'on', '--yes',
               '--secret-stdin', stdin=SECRET + '\n'), 0, 'targets add')
    sync = Sync()
    try:
        wait_for('the first push', lambda: target.jam_user('csv2'))
        write_csv(path, [('csv1', 'Changed'), ('csv2', 'Two'), ('csv3', 'Three')])
        wait_for('a new row', lambda: target.jam_user('csv3'))
        wait_for('a changed row', lambda: target.jam_user('csv1').get('jobFunction') == 'Changed'
                 or target.jam_user('csv1').get('title') == 'Changed')
        assert sync.stop() == 0
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        target.stop()


def test_turned_on_while_running():
    tenant = Peer('--source-users', '2')
    target = Peer()
    setup(tenant, target.url)
    expect(run('targets', 'edit', 'Jam', '--real-time', 'off'), 0, 'off')
    sync = Sync()
    try:
        time.sleep(INTERVAL + 1)
        assert target.jam_user('user00001') is None, 'pushed with real time off'
        expect(run('targets', 'edit', 'Jam', '--real-time', 'on', '--yes'), 0, 'on while running')
        wait_for('the push after turning it on', lambda: target.jam_user('user00002'))
        assert sync.stop() == 0
    finally:
        if sync.proc.poll() is None:
            sync.kill()
        tenant.stop()
        target.stop()


def test_once():
    tenant = Peer('--source-users', '4')
    target = Peer()
    setup(tenant, target.url)
    r = expect(run('sync', '--once'), 0, 'sync --once')
    assert r.stdout.count('Create user0000') == 4, r.stdout
    assert target.jam_user('user00004')
    r = expect(run('sync', '--once'), 0, 'idle sync --once')
    assert 'Create' not in r.stdout and 'Update' not in r.stdout, r.stdout
    for bad in ('2', '86401', 'abc', '-5'):
        r = expect(run('sync', '--once', '--interval', bad), 2, f'interval {bad}')
        assert r.stderr.strip() == f'provisioner: --interval takes a whole number of seconds from 5 to 86400, not “{bad}”.', r.stderr
    r = expect(run('sync', '--once', 'extra'), 2, 'an argument')
    assert r.stderr.strip() == 'provisioner: Unexpected argument “extra”.', r.stderr
    expect(run('sync', '--once', '--interval', '86400'), 0, 'the longest interval')

    # A target that cannot be reached: one failure said with its reason,
    # the others counted in one line, the target said to be failing; the
    # changes stay for the next try, and exit 1.
    target.stop()
    expect(run('targets', 'add', '--name', 'Down', '--type', 'jam', '--url', target.url,
               '--client-key', CLIENT_ID, '--real-time', 'on', '--yes',
               '--secret-stdin', stdin=SECRET + '\n'), 0, 'add a target that is down')
    r = expect(run('sync', '--once'), 1, 'sync --once, a new target down')
    lines = r.stdout.splitlines()
    failed = [line for line in lines if 'Down: Create' in line and 'failed, kept for the next try:' in line]
    assert len(failed) == 1 and 'refused the connection' in failed[0], r.stdout
    assert any('Down: 3 more users failed for the same reason, kept for the next try' in line
               for line in lines), r.stdout
    assert any('Down: failing: ' in line for line in lines), r.stdout
    tenant.stop()


CASES = [test_setting_needs_yes_for_a_new_target, test_changes_reach_the_target_in_order,
         test_target_down_and_sync_killed, test_failure_said_once,
         test_source_failure_said_once, test_one_sync_at_a_time, test_refused_delta_falls_back, test_threshold_pauses,
         test_csv_source_watched, test_turned_on_while_running, test_once]

if __name__ == '__main__':
    print(f'1..{len(CASES)}')
    failed = 0
    for i, case in enumerate(CASES, 1):
        ENV = fresh_env()
        try:
            case()
            print(f'ok {i} {case.__name__}')
        except Exception:
            failed += 1
            diag(traceback.format_exc())
            print(f'not ok {i} {case.__name__}')
        finally:
            shutil.rmtree(os.path.dirname(ENV['XDG_CONFIG_HOME']), ignore_errors=True)
        sys.stdout.flush()
    sys.exit(1 if failed else 0)
