#!/usr/bin/python3
# test-cli.py PROVISIONER PEER DEMO_CSV — the command line, as scripts use it
#
# Runs the REAL binary with no DISPLAY, against a real gnome-keyring (run it
# under tests/with-keyring.sh) and prov-scim-peer in a process of its own on
# 127.0.0.1: every command's happy path and errors, with exit codes; the
# JSON outputs parsed; an export/import round trip holding no secret; the
# secret never in any process's argv; listings that never touch the session
# bus. Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import csv
import datetime
import json
import re
import os
import pty
import signal
import socket
import ssl
import subprocess
import sys
import termios
import threading
import time
import traceback

from cli_harness import (CLIENT_ID, DEMO_CSV, ENV, N_SOURCE, PEER, PROVISIONER, ROOT,
                         SECRET, SOURCE_SECRET, Peer, add_jam, closed_port_url,
                         diag, expect, files_under, run, secrets_nowhere, set_source)


# --- the cases ---------------------------------------------------------------

peer = None


def test_help_version_without_display():
    r = expect(run('--help'), 0, '--help')
    for word in ['targets list', 'targets show', 'targets add', 'targets edit',
                 'targets delete', 'targets export', 'targets import', 'source show',
                 'source set', 'test NAME', 'provision', 'history', '--demo',
                 '--secret-stdin', '--json', '--yes', '--dry-run', '--threshold-users',
                 '--rate-per-minute', '--deprovision', '--client-key', '--scim-url',
                 '130']:
        assert word in r.out, f'--help does not mention {word}'
    for code in range(0, 6):
        assert f'\n  {code} ' in r.out, f'--help does not list exit code {code}'
    r = expect(run('--version'), 0, '--version')
    assert r.out.startswith('provisioner '), r.out
    assert 'display' not in r.err


def test_window_without_display():
    # Over ssh the window cannot open: one sentence that points to the
    # commands, not GTK's warning.
    r = expect(run(), 1, 'the window without a display')
    assert 'no display to open the window on' in r.err and 'provisioner --help' in r.err, r.err
    assert 'Gtk-WARNING' not in r.err, r.err
    # A display that is named but cannot be opened (ssh -X without
    # forwarding) is named in the sentence.
    r = expect(run(env=dict(ENV, DISPLAY=':31999')), 1, 'a display that cannot be opened')
    assert 'The display “:31999” cannot be opened' in r.err and 'provisioner --help' in r.err, r.err
    assert 'Gtk-WARNING' not in r.err, r.err


def test_commands_never_load_gtk():
    # A command must work where no display and no GTK can start (ssh,
    # timers), and start fast: the dynamic loader names every library it
    # loads; GTK and libadwaita belong to provisioner-window alone.
    env = dict(ENV, LD_DEBUG='libs')
    for args in (['--version'], ['targets', 'list']):
        r = run(*args, env=env)
        assert r.code == 0, r.err[-2000:]
        loaded = [line for line in r.err.splitlines() if 'calling init:' in line]
        assert loaded, 'LD_DEBUG printed nothing: cannot tell what was loaded'
        for library in ('libgtk-4', 'libadwaita-1'):
            assert not any(library in line for line in loaded), \
                f'provisioner {" ".join(args)} loaded {library}'


def test_usage_errors():
    expect(run('frobnicate'), 2, 'unknown command')
    expect(run('targets'), 2, 'targets alone')
    expect(run('targets', 'list', '--bogus'), 2, 'unknown option')
    expect(run('provision'), 2, 'provision without targets')
    expect(run('provision', 'X', '--all'), 2, 'names and --all')
    expect(run('test'), 2, 'test without targets')
    expect(run('test', 'X', '--all'), 2, 'test: names and --all')
    r = expect(run('source', 'test', 'X'), 2, 'source test with an argument')
    assert 'Unexpected argument “X”' in r.err, r.err
    expect(run('targets', 'add', '--name', 'X', '--type', 'nope'), 2, 'bad type')
    expect(run('source', 'set'), 2, 'source set alone')
    expect(run('targets', 'show'), 2, 'show without a name')
    r = expect(run('targets', 'show', 'A', 'B'), 2, 'show with two names')
    assert 'Unexpected argument “B”' in r.err, r.err


def test_empty_list():
    r = expect(run('targets', 'list', '--json'), 0, 'list')
    assert r.json() == []
    # People are told why nothing is listed; scripts read an empty stdout.
    r = expect(run('targets', 'list'), 0, 'list')
    assert r.out == '' and 'No target systems yet' in r.err, (r.out, r.err)
    r = expect(run('history'), 0, 'history')
    assert r.out == '' and 'No runs yet' in r.err, (r.out, r.err)
    assert run('history', '--json').json() == []


def test_in_german():
    # The translation as a German-speaking admin gets it: the build tree's
    # .mo (PROVISIONER_LOCALEDIR, set by meson), chosen by LANGUAGE as on a
    # desktop. The core's sentences and field titles are translated too.
    german = dict(ENV, LANGUAGE='de')
    assert os.environ.get('PROVISIONER_LOCALEDIR'), 'meson sets PROVISIONER_LOCALEDIR'
    r = expect(run('--help', env=german), 0, '--help')
    assert r.out.startswith('Aufruf:\n') and 'Rückgabewert:' in r.out, r.out[:300]
    r = expect(run('frobnicate', env=german), 2, 'unknown command')
    assert 'Unbekannter Befehl „frobnicate“.' in r.err, r.err
    r = expect(run('targets', 'list', env=german), 0, 'empty list')
    assert 'Noch keine Zielsysteme: Fügen Sie eines mit targets add hinzu.' in r.err, r.err
    r = expect(run('targets', 'add', '--name', 'Ohne', '--type', 'jam', '--url', 'https://jam.example.com',
                   '--client-key', 'k', stdin='', env=german), 3, 'no secret')
    assert 'Client-Secret: Erforderlich' in r.err, r.err
    assert run('targets', 'list', '--json').json() == [], 'an invalid target was saved'
    # Without LANGUAGE, the same build speaks English.
    r = expect(run('frobnicate'), 2, 'unknown command')
    assert 'Unknown command “frobnicate”.' in r.err, r.err


def test_source_not_set_up():
    # Each reason is named by the field of the Source of Users form, not by
    # the target field that stores it ("SCIM URL", "Username").
    expect(add_jam('Early', peer.url), 0, 'add')
    r = expect(run('provision', 'Early', '--dry-run'), 3, 'provision without a source')
    assert 'The source of users is not set up' in r.err, r.err
    assert 'Tenant URL: Required' in r.err and 'Client ID: Required' in r.err, r.err
    assert 'SCIM URL' not in r.err and 'Username' not in r.err, r.err
    expect(run('targets', 'delete', 'Early', '--yes'), 0, 'delete')
    r = expect(run('test', '--all'), 3, 'test --all without targets')
    assert 'No target systems yet' in r.err, r.err
    r = expect(run('source', 'test'), 3, 'source test without a source')
    assert 'The source of users is not set up' in r.err and r.out == '', (r.out, r.err)

    r = expect(run('source', 'set', '--tenant', 'http://tenant.example.com', '--version', '2',
                   '--auth', 'basic', '--client-id', '', '--secret-stdin', stdin='s\n'), 3, 'invalid source')
    assert 'Tenant URL: Use https://' in r.err and 'Client ID: Required' in r.err, r.err
    r = expect(run('source', 'show'), 0, 'source show')
    assert 'Tenant URL: \n' in r.out and 'SCIM API Version: 2' in r.out, r.out   # nothing saved
    # Empty fields do not pass for settings that work.
    assert 'The source of users is not set up' in r.err and 'Client ID: Required' in r.err, r.err


def test_source_set_and_show():
    expect(set_source(peer.url), 0, 'source set')
    r = expect(run('source', 'show', '--json'), 0, 'source show')
    s = r.json()
    assert s['kind'] == 'tenant' and s['tenant'] == peer.url and s['version'] == 2, s
    assert s['client-id'] == CLIENT_ID + '-source' and s['auth'] == 'basic', s
    secrets_nowhere(r.out, r.err)
    # The window's sentence, after a page read with the saved secret.
    r = expect(run('source', 'test'), 0, 'source test')
    assert r.out == 'Connection to the source of users was established successfully.\n', r.out
    assert r.err == '', r.err
    # A refused secret and a tenant that is down: the reason, exit 1.
    other = dict(ENV, XDG_CONFIG_HOME=os.path.join(ROOT, 'source-test-config'))
    expect(run('source', 'set', '--tenant', peer.url, '--version', '2', '--auth', 'basic',
               '--client-id', CLIENT_ID + '-source', '--secret-stdin', stdin='wrong\n', env=other),
           0, 'source set, wrong secret')
    r = expect(run('source', 'test', env=other), 1, 'source test, refused')
    assert r.out == '' and r.err.startswith('provisioner: ') and '401' in r.err, (r.out, r.err)
    expect(run('source', 'set', '--tenant', closed_port_url(), '--version', '2', '--auth', 'basic',
               '--client-id', 'x', '--secret-stdin', stdin='s\n', env=other), 0, 'source set, down')
    r = expect(run('source', 'test', env=other), 1, 'source test, down')
    assert 'refused the connection' in r.err, r.err
    # Version 1, which SAP retired, is said when saved and when shown.
    r = expect(run('source', 'set', '--tenant', peer.url, '--version', '1', '--auth', 'basic',
                   '--client-id', CLIENT_ID + '-source', '--secret-stdin', stdin=SOURCE_SECRET + '\n',
                   env=other), 0, 'source set --version 1')
    assert 'SAP retired version 1' in r.err and 'source set --version 2' in r.err, r.err
    for args in (['source', 'show'], ['source', 'show', '--json']):
        r = expect(run(*args, env=other), 0, ' '.join(args) + ' of version 1')
        assert 'SAP retired version 1' in r.err, r.err
    expect(run('source', 'test', env=other), 0, 'the peer still answers version 1')
    # A CSV file is read as a run would read it.
    csv = os.path.join(ROOT, 'source-test.csv')
    with open(csv, 'w') as f:
        f.write('userName,email\nx,x@example.com\n')
    r = expect(run('source', 'set', '--csv', csv, env=other), 0, 'source set --csv')
    # Saved, and said at once that it is no user export.
    assert r.out == 'Source of users saved.\n', r.out
    assert r.err.startswith('provisioner: The file has no columns'), r.err
    r = expect(run('source', 'test', env=other), 3, 'source test, CSV without columns')
    assert 'The file has no columns' in r.err, r.err
    # Rows that cannot be read: the test works, and says what they cost.
    with open(csv, 'w') as f:
        f.write('userName,emails[0].value,name.familyName\nx,x@example.com,X\nx,y@example.com,Y\n')
    r = expect(run('source', 'test', env=other), 0, 'source test, CSV with a row left out')
    assert r.out == ('Connection to the source of users was established successfully. 1 row of the file '
                     'cannot be read: until it is fixed, provisioning leaves it out and removes nobody. '
                     'Line 3: The login name “x” is already used on line 2.\n'), r.out


def test_source_over_tls_with_its_ca():
    # A tenant whose certificate only a CA of its own vouches for: trusted
    # through the source's Trusted CA Certificate, which show names.
    tls = Peer('--tls')
    try:
        env = dict(ENV, XDG_CONFIG_HOME=os.path.join(ROOT, 'tls-config'))
        expect(run('source', 'set', '--tenant', tls.url, '--version', '2', '--auth', 'basic',
                   '--client-id', CLIENT_ID + '-source', '--ca-file', tls.ca_file, '--secret-stdin',
                   stdin=SOURCE_SECRET + '\n', env=env), 0, 'source set with a CA')
        r = expect(run('source', 'show', env=env), 0, 'source show')
        assert f'Trusted CA Certificate: {tls.ca_file}' in r.out, r.out
        expect(run('source', 'test', env=env), 0, 'source test, verified against its CA')
        assert r.err == '', 'a source that is set up was called incomplete: ' + r.err
        assert run('source', 'show', '--json', env=env).json()['ca-file'] == tls.ca_file
        # The source is read over TLS, verified against that CA.
        expect(add_jam('TlsJam', peer.url, env=env), 0, 'add')
        r = expect(run('provision', 'TlsJam', '--dry-run', '--json', env=env), 0, 'a dry run reads the source')
        assert r.json()[0]['create'] == N_SOURCE, r.out
    finally:
        tls.stop()


def test_add_list_show():
    r = expect(add_jam('Jam', peer.url, ['--threshold-users', '10']), 0, 'add')
    assert 'Jam' in r.out
    r = expect(run('targets', 'list', '--json'), 0, 'list')
    targets = r.json()
    assert len(targets) == 1
    t = targets[0]
    assert t['name'] == 'Jam' and t['type'] == 'jam' and len(t['uuid']) == 36, t
    assert t['url'] == peer.url and t['client-key'] == CLIENT_ID, t
    assert t['threshold-users'] == 10 and t['deprovision'] == 'deactivate', t
    r2 = expect(run('targets', 'show', 'Jam', '--json'), 0, 'show')
    assert r2.json() == t
    r3 = expect(run('targets', 'show', t['uuid']), 0, 'show by uuid')
    assert 'Jam' in r3.out and CLIENT_ID in r3.out
    r4 = expect(run('targets', 'list'), 0, 'plain list')
    assert r4.out.startswith('Jam\tjam\t')
    secrets_nowhere(r.out, r2.out, r3.out, r4.out)
    # Names are unique ignoring case and the spaces around them, as in the
    # editor; so they are found, and spaces around a name are not kept.
    r5 = expect(run('targets', 'show', ' jAM ', '--json'), 0, 'show, other case and spaces')
    assert r5.json() == t
    expect(add_jam('  Spaced Out  ', peer.url), 0, 'add with spaces around')
    assert [x['name'] for x in run('targets', 'list', '--json').json()] == ['Jam', 'Spaced Out']
    expect(run('targets', 'delete', 'spaced out', '--yes'), 0, 'delete, other case')
    assert [x['name'] for x in run('targets', 'list', '--json').json()] == ['Jam']


def test_invalid_fields():
    r = expect(run('targets', 'add', '--name', 'Bad', '--type', 'jam', '--url', 'ftp://jam.example.com/x',
                   '--client-key', 'k', '--secret-stdin', stdin='s\n'), 3, 'bad url')
    assert 'URL: ' in r.err, r.err
    r = expect(add_jam('jam', peer.url), 3, 'duplicate name')
    assert 'Display Name: Another target system already has this name' in r.err, r.err
    r = expect(run('targets', 'add', '--name', 'NoSecret', '--type', 'jam', '--url', peer.url,
                   '--client-key', 'k', stdin=''), 3, 'no secret')
    assert 'Client Secret: Required' in r.err, r.err
    expect(run('targets', 'add', '--name', 'X', '--type', 'jam', '--username', 'u'), 2,
           'a field Jam does not have')
    # A usage error says what the option takes.
    r = expect(run('targets', 'edit', 'Jam', '--rate-per-minute', 'many'), 2, 'not a number')
    assert '--rate-per-minute takes a whole number from 0 to 1000000, not “many”.' in r.err, r.err
    r = expect(run('targets', 'edit', 'Jam', '--threshold-percent', '101'), 2, 'over 100 percent')
    assert '--threshold-percent takes a whole number from 0 to 100, not “101”.' in r.err, r.err
    r = expect(run('targets', 'edit', 'Jam', '--deprovision', 'vanish'), 2, 'not a choice')
    assert '--deprovision takes deactivate|delete, not “vanish”.' in r.err, r.err
    r = expect(run('targets', 'edit', 'Jam', '--auth', 'basic'), 2, 'SAP Jam without OAuth')
    assert '--auth takes oauth, not “basic”.' in r.err, r.err
    r = expect(run('targets', 'edit', 'Jam', '--version', '1'), 2, 'SAP Jam has one version')
    assert '--version does not apply to this type of target system and authentication.' in r.err, r.err
    r = expect(run('source', 'set', '--tenant', peer.url, '--version', '3', '--auth', 'basic',
                   '--client-id', 'c', stdin=''), 2, 'source version')
    assert '--version takes 1|2, not “3”.' in r.err, r.err
    # The window takes up to 100,000,000 requests an hour; so does the command line.
    expect(run('targets', 'edit', 'Jam', '--rate-per-hour', '5000000'), 0, 'a large hourly rate')
    assert run('targets', 'list', '--json').json()[0]['rate-per-hour'] == 5000000
    expect(run('targets', 'edit', 'Jam', '--rate-per-hour', '0'), 0, 'SAP’s hourly limit again')
    r = expect(run('targets', 'edit', 'Jam', '--rate-per-hour', '100000001'), 2, 'over the hourly range')
    assert 'from 0 to 100000000' in r.err, r.err
    r = expect(run('targets', 'list', '--json'), 0, 'list')
    assert [t['name'] for t in r.json()] == ['Jam']


def prompt_on_terminal(*args):
    """Runs provisioner with a terminal as stdin; returns once it asks for
    the Client Secret with the terminal's echo off."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([PROVISIONER, *args], env=ENV, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = b''
    while b'Client Secret: ' not in err:
        chunk = os.read(proc.stderr.fileno(), 256)
        assert chunk, f'no prompt: {err!r}'
        err += chunk
    deadline = time.monotonic() + 30
    while termios.tcgetattr(slave)[3] & termios.ECHO:
        assert time.monotonic() < deadline, 'the prompt left the echo on'
        time.sleep(0.01)
    return proc, master, slave


def test_secret_prompt_on_terminal():
    add = ('targets', 'add', '--name', 'Typed', '--type', 'jam', '--url', peer.url, '--client-key', CLIENT_ID)

    # Ctrl+C at the prompt ends the command as Ctrl+C does, gives the
    # terminal its echo back (or the shell after it types blind) and saves
    # nothing.
    proc, master, slave = prompt_on_terminal(*add)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGINT, proc.returncode
    assert termios.tcgetattr(slave)[3] & termios.ECHO, 'Ctrl+C at the prompt left the terminal without echo'
    os.close(slave)
    os.close(master)
    assert 'Typed' not in [t['name'] for t in run('targets', 'list', '--json').json()]

    # Typed, the secret is not shown, and it is the one saved.
    proc, master, slave = prompt_on_terminal(*add)
    os.write(master, (SECRET + '\n').encode())
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert termios.tcgetattr(slave)[3] & termios.ECHO, 'the echo stayed off'
    os.set_blocking(master, False)
    try:
        shown = os.read(master, 4096)
    except BlockingIOError:
        shown = b''
    os.close(slave)
    os.close(master)
    assert SECRET.encode() not in shown, 'the secret was shown as it was typed'
    r = expect(run('test', 'Typed'), 0, 'the typed secret connects')
    secrets_nowhere(r.out, r.err)
    expect(run('targets', 'delete', 'Typed', '--yes'), 0, 'delete')


def test_unknown_target():
    for args in (['targets', 'show', 'Nope'], ['targets', 'edit', 'Nope', '--threshold-users', '3'],
                 ['targets', 'delete', 'Nope', '--yes'], ['test', 'Nope'],
                 ['provision', 'Nope'], ['history', 'Nope']):
        r = expect(run(*args), 2, ' '.join(args))
        assert '“Nope”' in r.err, r.err


def test_connection():
    r = expect(run('test', 'Jam'), 0, 'test')
    assert r.out.strip(), 'no sentence'
    expect(add_jam('Down', closed_port_url()), 0, 'add Down')
    r = expect(run('test', 'Down'), 1, 'server down')
    assert r.out == '' and r.err.strip(), r.err
    diag('server down: ' + r.err.strip())
    # Each outcome is kept: shown by the next command (and the window).
    last = expect(run('targets', 'show', 'Jam', '--json'), 0, 'show').json()['last-test']
    assert last['ok'] is True and last['message'].startswith('Connection to the selected'), last
    last = expect(run('targets', 'show', 'Down', '--json'), 0, 'show').json()['last-test']
    assert last['ok'] is False and last['message'] == r.err.strip()[len('provisioner: '):], last
    assert 'T' in last['time'], last
    shown = expect(run('targets', 'show', 'Down'), 0, 'show').out
    assert re.search(r'Last Test Connection: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, failed: ', shown), shown
    # Several at once: each named, in the order asked, successes on stdout
    # and failures on stderr; one that failed fails the command.
    r = expect(run('test', 'Down', 'Jam'), 1, 'test two, one down')
    assert r.out == 'Jam: Connection to the selected target system was established successfully.\n', r.out
    assert r.err.startswith('provisioner: Down: ') and 'refused the connection' in r.err, r.err
    assert r.err.count('\n') == 1, r.err
    r = expect(run('test', '--all'), 1, 'test --all, one down')
    assert r.out.startswith('Jam: ') and 'Down: ' in r.err, (r.out, r.err)
    expect(run('test', 'Jam', 'Jam'), 0, 'the same target twice is tested once')


def test_identity_provisioning():
    scim = peer.url + '/ipsproxy/service/api/v1/systems/SYS1/entities/user'
    r = expect(run('targets', 'add', '--name', 'IPS', '--type', 'ips', '--scim-url', scim,
                   '--auth', 'basic', '--username', CLIENT_ID, '--secret-stdin',
                   stdin=SECRET + '\n'), 0, 'add ips')
    t = expect(run('targets', 'show', 'IPS', '--json'), 0, 'show ips').json()
    assert t['type'] == 'ips' and t['scim-url'] == scim and t['auth'] == 'basic', t
    assert t['username'] == CLIENT_ID and 'url' not in t and 'client-key' not in t, t
    # Identity Provisioning publishes no hourly limit: 0 in JSON, words for a person.
    assert t['rate-per-hour'] == 0 and t['rate-per-minute'] == 150, t
    assert '  Requests an Hour: No limit\n' in expect(run('targets', 'show', 'IPS'), 0, 'show ips').out
    expect(run('test', 'IPS'), 0, 'test ips')
    r = expect(run('targets', 'edit', 'IPS', '--secret-stdin', stdin='wrong\n'), 0, 'wrong password')
    r = expect(run('test', 'IPS'), 1, 'test ips, refused')
    assert r.err.strip() and r.out == '', r.err
    diag('refused: ' + r.err.strip())
    expect(run('targets', 'delete', 'IPS', '--yes'), 0, 'delete ips')


def test_generated_certificate():
    scim = 'https://ias.example.com/ipsproxy/service/api/v1/systems/SYS1/entities/user'
    add = ('targets', 'add', '--name', 'Cert', '--type', 'ips', '--scim-url', scim, '--auth', 'certificate',
           '--common-name', 'provisioner', '--secret-stdin')
    # The editor's rules: an administrator's user ID, one way to get a
    # certificate, and only where the mechanism takes one.
    r = expect(run(*add, '--generate-certificate', ' ', stdin='cert-pw\n'), 3, 'no administrator')
    assert 'enter the user ID of the administrator' in r.err, r.err
    expect(run(*add, '--generate-certificate', 'P000123', '--certificate', '/nonexistent.pem',
               stdin='cert-pw\n'), 2, 'both ways at once')
    expect(run('targets', 'edit', 'Jam', '--generate-certificate', 'P000123'), 2, 'SAP Jam has no certificate')
    r = expect(run('targets', 'certificate', 'Jam'), 3, 'SAP Jam has no certificate to write')
    assert '“Jam” has no client certificate' in r.err, r.err

    r = expect(run(*add, '--generate-certificate', 'P000123', stdin='cert-pw\n'), 0, 'generate')
    assert 'Client certificate generated' in r.out and 'targets certificate “Cert”' in r.out, r.out
    assert json.loads(run('targets', 'show', 'Cert', '--json').out)['client-certificate'] is True
    # As the editor shows it: the subject, and the day it expires (730 days on).
    shown = expect(run('targets', 'show', 'Cert'), 0, 'show').out
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=730)).date()
    assert 'CN=provisioner(P000123)' in shown, shown
    assert any(f'valid until {day}' in shown
               for day in (expires - datetime.timedelta(days=1), expires, expires + datetime.timedelta(days=1))), shown

    # What is written is the certificate alone, whose subject Identity
    # Provisioning expects: CN=<common name>(<administrator>).
    path = os.path.join(ROOT, 'cert.pem')
    expect(run('targets', 'certificate', 'Cert', path), 0, 'write the certificate')
    with open(path) as f:
        pem = f.read()
    assert pem.startswith('-----BEGIN CERTIFICATE-----') and 'PRIVATE KEY' not in pem, pem
    assert run('targets', 'certificate', 'Cert').out == pem
    nowhere = os.path.join(ROOT, 'no-such-folder', 'cert.pem')
    r = expect(run('targets', 'certificate', 'Cert', nowhere), 1, 'write to a missing folder')
    assert r.err.strip() == f'provisioner: The certificate could not be saved to “{nowhere}”: No such file or directory', r.err
    subject = dict(pair[0] for pair in ssl._ssl._test_decode_cert(path)['subject'])
    assert subject['commonName'] == 'provisioner(P000123)', subject

    # A wrong file is refused before it is read: a device would never end,
    # a folder or a huge file is no certificate. One sentence, exit 3, and
    # the certificate the target has stays.
    huge = os.path.join(ROOT, 'huge.pem')
    with open(huge, 'w') as f:
        f.truncate(8 * 1024 * 1024)
    for wrong, words in (('/dev/zero', 'is not a regular file'), (ROOT, 'is a folder'),
                         (huge, 'is too large'), ('/nonexistent.pem', 'cannot be opened')):
        r = expect(run('targets', 'edit', 'Cert', '--certificate', wrong, '--secret-stdin',
                       stdin='cert-pw\n', timeout=20), 3, 'certificate ' + wrong)
        assert words in r.err and r.err.count('\n') == 1, r.err
    assert run('targets', 'certificate', 'Cert').out == pem
    nowhere = os.path.join(ROOT, 'no-such-folder', 'cert.pem')
    r = expect(run('targets', 'certificate', 'Cert', nowhere), 1, 'write to a missing folder')
    assert r.err.strip() == f'provisioner: The certificate could not be saved to “{nowhere}”: No such file or directory', r.err
    expect(run('targets', 'delete', 'Cert', '--yes'), 0, 'delete')


def test_edit():
    expect(run('targets', 'edit', 'Jam', '--threshold-users', '12', '--rate-per-minute', '600'), 0, 'edit')
    t = expect(run('targets', 'show', 'Jam', '--json'), 0, 'show').json()
    assert t['threshold-users'] == 12 and t['rate-per-minute'] == 600, t
    # The last test was of other values: not shown as this one's.
    assert t['last-test'] is None, t
    # The secret stayed: the connection still works.
    expect(run('test', 'Jam'), 0, 'test after edit')
    assert run('targets', 'show', 'Jam', '--json').json()['last-test']['ok'] is True
    expect(run('targets', 'edit', 'Down', '--name', 'Gone'), 0, 'rename')
    expect(run('targets', 'show', 'Gone'), 0, 'renamed')


def test_add_from():
    # A copy: the original's type, fields and secret, changed by the options.
    original = expect(run('targets', 'show', 'Jam', '--json'), 0, 'show').json()
    r = expect(run('targets', 'add', '--name', 'Jam Copy', '--from', 'Jam', '--threshold-users', '3'),
               0, 'add --from')
    assert 'Target system “Jam Copy” added.' in r.out, r.out
    copy = expect(run('targets', 'show', 'Jam Copy', '--json'), 0, 'show the copy').json()
    assert copy['uuid'] != original['uuid'] and copy['threshold-users'] == 3, copy
    for key in original:
        if key not in ('name', 'uuid', 'threshold-users', 'real-time', 'last-test'):
            assert copy[key] == original[key], (key, copy[key], original[key])
    expect(run('test', 'Jam Copy'), 0, 'the copy connects with the secret it took')
    # A secret given replaces the copied one, for the copy alone.
    expect(run('targets', 'add', '--name', 'Wrong Copy', '--from', 'Jam', '--secret-stdin',
               stdin='wrong\n'), 0, 'add --from with its own secret')
    expect(run('test', 'Wrong Copy'), 1, 'the copy with the wrong secret')
    expect(run('test', 'Jam'), 0, 'the original keeps its secret')

    r = expect(run('targets', 'add', '--name', 'X', '--from', 'Jam', '--type', 'jam'), 2, '--from and --type')
    assert '--from' in r.err, r.err
    r = expect(run('targets', 'add', '--name', 'X', '--from', 'Nope'), 2, '--from an unknown target')
    assert '“Nope”' in r.err, r.err
    r = expect(run('targets', 'add', '--name', 'jam copy', '--from', 'Jam'), 3, 'a name taken')
    assert 'Another target system already has this name' in r.err, r.err
    expect(run('targets', 'delete', 'Jam Copy', 'Wrong Copy', '--yes'), 0, 'delete the copies')


def test_provision():
    r = expect(run('provision', 'Jam', '--dry-run', '--json'), 0, 'dry run')
    plan = r.json()
    assert len(plan) == 1 and plan[0]['target'] == 'Jam', plan
    assert plan[0]['create'] == N_SOURCE and plan[0]['update'] == 0, plan
    assert plan[0]['deactivate'] == 0 and plan[0]['delete'] == 0 and plan[0]['unchanged'] == 0, plan
    assert peer.counters()['jam-writes'] == 0, 'a dry run wrote'

    # Debugging a script must not break what it reads: GLib's debug lines
    # (on stdout by default) go to stderr.
    r = expect(run('provision', 'Jam', '--dry-run', '--json',
                   env=dict(ENV, G_MESSAGES_DEBUG='provisioner provisioner-http')), 0, 'dry run, debugging')
    assert r.json() == plan, r.out
    assert 'Source read:' in r.err, r.err[-2000:]
    assert 'Authorization: [redacted]' in r.err, 'no request headers in the debug log'
    assert SECRET not in r.err and SOURCE_SECRET not in r.err, 'a secret reached the debug log'

    r = expect(run('provision', 'Jam'), 0, 'provision')
    assert f'{N_SOURCE} users provisioned' in r.out, r.out
    assert f'Create: {N_SOURCE}' in r.out, r.out
    assert ' of ' not in r.err, 'progress on a stderr that is not a terminal'
    c = peer.counters()
    assert c['jam-users'] == N_SOURCE and c['jam-writes'] == N_SOURCE, c

    r = expect(run('provision', '--all', '--json'), 1, 'again, with the target that is down')
    runs = {o['target']: o for o in r.json()}
    assert runs['Jam']['unchanged'] == N_SOURCE and runs['Jam']['succeeded'] == 0, runs
    assert runs['Jam']['failed'] == 0 and runs['Jam']['error'] is None
    assert runs['Gone']['failed'] == N_SOURCE and runs['Gone']['succeeded'] == 0, runs
    assert all('refused' in f['message'] for f in runs['Gone']['failures']), runs
    assert runs['Gone']['shared-failure'] == runs['Gone']['failures'][0]['message'], runs
    assert runs['Jam']['shared-failure'] is None, runs
    assert peer.counters()['jam-writes'] == 0, 'an idle re-run wrote'
    # Without --json, one reason for every user is said once, not per user.
    r = expect(run('provision', 'Gone'), 1, 'the target that is down')
    assert r.err.count('refused') == 1, r.err
    assert f'Gone: all {N_SOURCE} users: ' in r.err, r.err


def test_provision_selected_user_and_progress_on_terminal():
    # The peer's user 00001 gets a new title: one update, for that user only.
    master, slave = pty.openpty()
    proc = subprocess.Popen([PROVISIONER, 'provision', 'Jam', '--user', 'user00002', '--user', 'USER00003',
                             '--dry-run', '--json'], env=ENV, stdout=subprocess.PIPE,
                            stderr=slave, text=True)
    out, _ = proc.communicate(timeout=60)
    os.close(slave)
    os.close(master)
    assert proc.returncode == 0, out
    plan = json.loads(out)
    assert plan[0]['unchanged'] == 2 and plan[0]['create'] == 0, plan

    # The plan says what was asked: the two users picked, not the whole source.
    r = expect(run('provision', 'Jam', '--user', 'user00002', '--user', 'USER00003', '--dry-run'), 0,
               'a dry run of two users')
    assert '2 selected users' in r.out, r.out
    assert 'in the source' not in r.out, r.out

    # A name the source lacks (a typo) is refused, not planned as nothing to
    # do: before any write, with every unknown name said, for real runs too.
    peer.counters()
    for extra in (['--dry-run'], [], ['--json']):
        r = expect(run('provision', 'Jam', '--user', 'user00002', '--user', 'usr00003',
                       '--user', 'nobody', *extra), 3, 'an unknown user name')
        assert '“usr00003”' in r.err and '“nobody”' in r.err, r.err
        assert 'user00002' not in r.err and r.out == '', (r.out, r.err)
    assert peer.counters()['jam-writes'] == 0, 'a run with an unknown user wrote'

    # Progress goes to stderr only when it is a terminal.
    expect(add_jam('Jam2', peer.url), 0, 'add Jam2')
    master, slave = pty.openpty()
    proc = subprocess.Popen([PROVISIONER, 'provision', 'Jam2'], env=ENV, stdout=subprocess.PIPE,
                            stderr=slave, text=True)
    out, _ = proc.communicate(timeout=60)
    os.close(slave)
    err = b''
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            err += chunk
    except OSError:
        pass
    os.close(master)
    assert proc.returncode == 0, out
    assert f'{N_SOURCE} of {N_SOURCE}' in err.decode(), err


def write_csv(path, n):
    with open(DEMO_CSV, newline='') as f:
        rows = list(csv.reader(f))
    with open(path, 'w', newline='') as f:
        csv.writer(f).writerows(rows[:n + 1])


def test_threshold():
    path = os.path.join(ROOT, 'users.csv')
    write_csv(path, 30)
    r = expect(run('source', 'set', '--csv', path), 0, 'csv source')
    assert r.err == '', 'a good file was called unusable: ' + r.err
    assert run('source', 'show', '--json').json() == {'kind': 'csv', 'csv': path}
    expect(add_jam('Csv', peer.url, ['--threshold-users', '10', '--threshold-percent', '5']), 0, 'add Csv')
    plan = expect(run('provision', 'Csv', '--dry-run', '--json'), 0, 'csv plan').json()[0]
    # Users inactive in the source are not created: unchanged, and said why.
    assert plan['create'] > 20 and plan['create'] + plan['unchanged'] == 30, plan
    assert plan['inactive-not-created'] == plan['unchanged'], plan
    r = expect(run('provision', 'Csv'), 0, 'csv provision')
    assert f'{plan["create"]} users provisioned' in r.out, r.out
    assert (f'  Unchanged: {plan["unchanged"]}\n  {plan["unchanged"]} users are inactive in the source '
            'and not on the target: not created.\n') in r.out, r.out
    write_csv(path, 5)
    peer.counters()
    # A dry run says where the run would stop; the run says it as its error.
    sentence = ('More than the target’s safety threshold would be deactivated or deleted: '
                'the run needs --yes.')
    r = expect(run('provision', 'Csv', '--dry-run'), 0, 'over the threshold, dry run')
    assert f'\n  {sentence}\n' in r.out, r.out
    r = expect(run('provision', 'Csv'), 5, 'over the threshold')
    assert '--yes' in r.err and 'safety threshold' in r.err, r.err
    assert sentence not in r.out, r.out
    r = expect(run('provision', 'Csv', '--json'), 5, 'over the threshold, json')
    leaving = r.json()[0]['deactivate']
    assert r.json()[0]['needs-confirmation'] is True and leaving > 10, r.out
    assert peer.counters()['jam-writes'] == 0, 'a refused run wrote'
    r = expect(run('provision', 'Csv', '--yes', '--json'), 0, 'confirmed')
    assert r.json()[0]['succeeded'] == leaving and r.json()[0]['failures'] == [], r.out
    expect(set_source(peer.url), 0, 'back to the tenant')


def test_history():
    # A run asked for that cannot read its source is kept, with the reason;
    # a dry run is not a run.
    expect(set_source(closed_port_url()), 0, 'a source that is down')
    before = len(run('history', '--json').json())
    expect(run('provision', 'Jam', '--dry-run'), 1, 'dry run, source down')
    assert len(run('history', '--json').json()) == before, 'a dry run was recorded'
    expect(run('provision', 'Jam'), 1, 'provision, source down')
    expect(set_source(peer.url), 0, 'back to the tenant')
    newest = run('history', 'Jam', '--json').json()[0]
    assert 'refused the connection' in newest['error'], newest
    assert newest['succeeded'] == 0 and newest['failed'] == 0 and newest['finished'], newest
    r = expect(run('history', 'Jam'), 0, 'plain, with a run that did not start')
    assert '\tJam\tdid not start: 127.0.0.1 refused the connection.' in r.out.splitlines()[0], r.out

    r = expect(run('history', '--json'), 0, 'history')
    runs = r.json()
    assert len(runs) >= 5, runs
    assert sum(x['error'] is not None for x in runs) == 1, runs
    starts = [x['started'] for x in runs]
    assert starts == sorted(starts, reverse=True), 'not newest first'
    assert all(x['finished'] for x in runs), runs
    jam = expect(run('history', 'Jam', '--json'), 0, 'history Jam').json()
    assert jam and all(x['target'] == 'Jam' for x in jam), jam
    assert run('history', 'jam', '--json').json() == jam
    assert any(x['succeeded'] == N_SOURCE for x in jam), jam
    # The newest run that started: the one that did not has no users.
    out = os.path.join(ROOT, 'run.csv')
    expect(run('history', 'Jam', '--export', out), 0, 'export csv')
    with open(out) as f:
        lines = f.read().splitlines()
    assert lines[0] == 'time,user,action,outcome,message' and len(lines) > 1, lines[:3]
    # “-” is standard output (as for targets export), not a file called “-”.
    r = expect(run('history', 'Jam', '--export', '-', cwd=ROOT), 0, 'export csv to stdout')
    assert r.out.splitlines() == lines, r.out[:300]
    assert not os.path.exists(os.path.join(ROOT, '-')), 'history --export - wrote a file called “-”'
    nowhere = os.path.join(ROOT, 'no-such-folder', 'run.csv')
    r = expect(run('history', 'Jam', '--export', nowhere), 1, 'export to a missing folder')
    assert r.err.strip() == f'provisioner: The journal could not be exported to “{nowhere}”: No such file or directory', r.err
    r = expect(run('history'), 0, 'plain')
    assert 'users provisioned' in r.out


def test_export_import_round_trip():
    path = os.path.join(ROOT, 'targets.json')
    # Where and why, one sentence; not the temporary file GLib writes first.
    nowhere = os.path.join(ROOT, 'no-such-folder', 'targets.json')
    r = expect(run('targets', 'export', nowhere), 1, 'export to a missing folder')
    assert r.err.strip() == f'provisioner: The target systems could not be exported to “{nowhere}”: No such file or directory', r.err
    expect(run('targets', 'export', path), 0, 'export')
    with open(path) as f:
        text = f.read()
    secrets_nowhere(text)
    # A text file: it ends with a line break; standard output gets the same.
    assert text.endswith('}\n') and not text.endswith('\n\n'), repr(text[-20:])
    assert expect(run('targets', 'export'), 0, 'export to stdout').out == text
    assert expect(run('targets', 'export', '-'), 0, 'export to -').out == text
    exported = json.loads(text)
    assert exported['format'] == 'provisioner-targets' and len(exported['targets']) == 4

    other = dict(ENV, XDG_CONFIG_HOME=os.path.join(ROOT, 'other-config'))
    r = run('targets', 'import', path, env=other)
    expect(r, 0, 'import')
    assert 'targets edit' in r.out, r.out
    before = {t['name']: t for t in run('targets', 'list', '--json').json()}
    after = {t['name']: t for t in run('targets', 'list', '--json', env=other).json()}
    assert before.keys() == after.keys()
    for name in before:
        a, b = dict(before[name]), dict(after[name])
        assert a.pop('uuid') != b.pop('uuid'), 'an import must not reuse identifiers'
        # A test of the original is not one of the copy.
        a.pop('last-test')
        assert b.pop('last-test') is None, b
        assert a == b, (a, b)
    # Its secret is empty: Test Connection and a run say so, and ask no
    # server with credentials that were never given.
    peer.counters()
    r = expect(run('test', 'Jam', env=other), 3, 'test without the secret')
    assert '“Jam” has no Client Secret saved' in r.err, r.err
    assert peer.counters()['requests'] == 0, 'Test Connection sent an empty secret'
    expect(run('source', 'set', '--tenant', peer.url, '--version', '2', '--auth', 'basic',
               '--client-id', CLIENT_ID + '-source', '--secret-stdin', stdin=SOURCE_SECRET + '\n', env=other),
           0, 'source set')
    peer.counters()
    # As any target that cannot be planned: said on stderr with its name,
    # stdout keeps only plans, exit 1.
    r = expect(run('provision', 'Jam', '--yes', env=other), 1, 'provision without the secret')
    assert 'provisioner: Jam: ' in r.err and '“Jam” has no Client Secret saved' in r.err, r.err
    assert 'Client Secret' not in r.out, r.out
    assert peer.counters()['jam-writes'] == 0, 'users were sent with an empty secret'
    expect(run('targets', 'edit', 'Jam', '--secret-stdin', stdin=SECRET + '\n', env=other), 0, 'set secret')
    expect(run('test', 'Jam', env=other), 0, 'test with the secret')
    # A second import collides with the names.
    r = expect(run('targets', 'import', path, env=other), 3, 'import twice')
    # Which target stopped it, and that nothing came in.
    assert 'Nothing was imported. “Jam”: Display Name: Another target system already has this name' in r.err, r.err
    assert len(run('targets', 'list', '--json', env=other).json()) == len(exported['targets'])

    # Hostile files: nested too deep for json-glib (it would crash), too
    # large, empty, missing: one sentence each, exit 3, nothing imported.
    deep = os.path.join(ROOT, 'deep.json')
    with open(deep, 'w') as f:
        f.write('[' * 200000 + ']' * 200000)
    large = os.path.join(ROOT, 'large.json')
    with open(large, 'w') as f:
        f.truncate(40 * 1024 * 1024)
    empty = os.path.join(ROOT, 'empty.json')
    open(empty, 'w').close()
    for hostile, words in ((deep, 'is not a target systems export'), (large, 'is too large'),
                           (empty, 'is not a target systems export'),
                           (os.path.join(ROOT, 'missing.json'), 'No such file')):
        r = expect(run('targets', 'import', hostile, env=other), 3, 'import ' + hostile)
        assert f'“{hostile}”' in r.err and words in r.err and r.err.count('\n') == 1, r.err
    assert len(run('targets', 'list', '--json', env=other).json()) == len(exported['targets'])


def test_secret_never_in_argv():
    env = dict(ENV, XDG_CONFIG_HOME=os.path.join(ROOT, 'argv-config'))
    proc = subprocess.Popen([PROVISIONER, 'targets', 'add', '--name', 'Argv', '--type', 'jam',
                             '--url', peer.url, '--client-key', CLIENT_ID, '--secret-stdin'],
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    seen = []

    def look():
        try:
            with open(f'/proc/{proc.pid}/cmdline', 'rb') as f:
                seen.append(f.read())
            with open(f'/proc/{proc.pid}/environ', 'rb') as f:
                seen.append(f.read())
        except OSError:
            pass

    time.sleep(0.2)
    look()
    proc.stdin.write(SECRET.encode() + b'\n')
    proc.stdin.flush()
    while proc.poll() is None:
        look()
        time.sleep(0.005)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert len(seen) >= 2 and b'--secret-stdin' in seen[0], seen[:1]
    for blob in seen:
        assert SECRET.encode() not in blob, 'the secret is in the argv or environment'
    # Nor in any file the app wrote, nor in what it printed.
    secrets_nowhere(out.decode(), err.decode(), *files_under(ROOT))


def test_interrupt():
    # 10 a minute: the run of the 40 users takes long enough to interrupt.
    slow = Peer()
    try:
        env = dict(ENV, XDG_CONFIG_HOME=os.path.join(ROOT, 'slow-config'),
                   XDG_STATE_HOME=os.path.join(ROOT, 'slow-state'))
        expect(run('source', 'set', '--tenant', slow.url, '--version', '2', '--auth', 'basic',
                   '--client-id', CLIENT_ID + '-source', '--secret-stdin',
                   stdin=SOURCE_SECRET + '\n', env=env), 0, 'source')
        expect(add_jam('Slow', slow.url, ['--rate-per-minute', '10'], env=env), 0, 'add')
        proc = subprocess.Popen([PROVISIONER, 'provision', 'Slow'], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        # At 10 a minute the rest of the run takes minutes: ending within
        # the minute waited here, it was Ctrl+C that ended it.
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, (proc.returncode, out, err)
        assert 'cancelled' in err, err
        runs = json.loads(run('history', '--json', env=env).out)
        assert runs[0]['cancelled'] is True and runs[0]['finished'] is True, runs
    finally:
        slow.stop()


def test_delete():
    r = expect(run('targets', 'delete', 'Gone', stdin=''), 5, 'delete without --yes')
    assert '--yes' in r.err
    r = expect(run('targets', 'delete', 'Gone', 'Jam2', '--yes'), 0, 'delete')
    assert '2 target systems deleted' in r.out, r.out
    names = [t['name'] for t in run('targets', 'list', '--json').json()]
    assert names == ['Jam', 'Csv'], names


def test_listings_leave_the_keyring_alone():
    """Listing the configuration asks no keyring: no connection to the
    session bus at all (none started, no unlock prompt over ssh). A command
    that needs a secret does connect, so the listener can tell."""
    path = os.path.join(ROOT, 'counting-bus')
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    env = dict(ENV, DBUS_SESSION_BUS_ADDRESS='unix:path=' + path)
    seen = []

    def hang_up():
        # Every connection is counted and closed at once: a bus that
        # answers nothing, so a client fails fast instead of waiting.
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            seen.append(1)
            connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    try:
        for args in (['targets', 'list'], ['targets', 'list', '--json'], ['targets', 'export'],
                     ['targets', 'show', 'Jam'], ['targets', 'show', 'Jam', '--json'],
                     ['source', 'show'], ['history'], ['history', 'Jam', '--json']):
            expect(run(*args, env=env), 0, ' '.join(args))
            assert not seen, f'{" ".join(args)} connected to the session bus'
        expect(run('test', 'Jam', env=env), 4, 'test, with a bus that answers nothing')
        assert seen, 'test did not ask the keyring: the listener saw nothing'
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        os.unlink(path)


def test_keyring_absent():
    env = dict(ENV, DBUS_SESSION_BUS_ADDRESS='unix:path=' + os.path.join(ROOT, 'no-bus'))
    r = expect(run('targets', 'add', '--name', 'NoKeyring', '--type', 'jam', '--url', peer.url,
                   '--client-key', 'k', '--secret-stdin', stdin='s\n', env=env), 4, 'no keyring')
    diag('no keyring: ' + r.err.strip())
    # Nothing said about a target that was not saved; that it was not, said.
    assert r.out == '', 'a failed add spoke of the target: ' + r.out
    assert 'nothing was saved' in r.err, r.err
    # A read saves nothing, so it does not say it saved nothing.
    r = expect(run('test', 'Jam', env=env), 4, 'test without a keyring')
    assert 'No keyring is available' in r.err and 'saved' not in r.err, r.err
    r = expect(run('provision', 'Jam', env=env), 4, 'provision without a keyring')
    assert r.out == '', 'a plan was printed without a keyring: ' + r.out
    assert 'saved' not in r.err, r.err
    # Reading needs no keyring.
    expect(run('targets', 'list', env=env), 0, 'list without a keyring')


def test_keyring_locked():
    subprocess.run(['dbus-send', '--session', '--print-reply', '--dest=org.freedesktop.secrets',
                    '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock',
                    'array:objpath:/org/freedesktop/secrets/collection/login'],
                   check=True, capture_output=True)
    r = expect(run('targets', 'edit', 'Jam', '--threshold-users', '20'), 4, 'locked keyring')
    diag('locked: ' + r.err.strip())
    r = expect(run('test', 'Jam'), 4, 'test, locked')
    assert 'saved' not in r.err, r.err
    r = expect(run('provision', '--all', '--dry-run'), 4, 'provision, locked')
    assert r.out == '' and 'locked' in r.err.lower(), (r.out, r.err)
    r = expect(add_jam('Locked', peer.url), 4, 'add, locked')
    assert 'nothing was saved' in r.err, r.err
    names = [t['name'] for t in run('targets', 'list', '--json').json()]
    assert 'Locked' not in names, 'a failed save left the target in the file'


TESTS = [
    test_help_version_without_display,
    test_window_without_display,
    test_commands_never_load_gtk,
    test_usage_errors,
    test_empty_list,
    test_in_german,
    test_source_not_set_up,
    test_source_set_and_show,
    test_source_over_tls_with_its_ca,
    test_add_list_show,
    test_invalid_fields,
    test_secret_prompt_on_terminal,
    test_unknown_target,
    test_connection,
    test_identity_provisioning,
    test_generated_certificate,
    test_edit,
    test_add_from,
    test_provision,
    test_provision_selected_user_and_progress_on_terminal,
    test_threshold,
    test_history,
    test_export_import_round_trip,
    test_secret_never_in_argv,
    test_interrupt,
    test_delete,
    test_listings_leave_the_keyring_alone,
    test_keyring_absent,
    test_keyring_locked,   # last: the keyring stays locked
]


def main():
    global peer
    # meson's timeout sends SIGTERM: still stop the peer and clean up.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    print(f'1..{len(TESTS)}')
    failed = 0
    peer = Peer()
    try:
        for i, test in enumerate(TESTS, 1):
            try:
                test()
                print(f'ok {i} - {test.__name__}')
            except Exception:
                failed += 1
                print(f'not ok {i} - {test.__name__}')
                diag(traceback.format_exc())
            sys.stdout.flush()
    finally:
        peer.stop()
        subprocess.run(['rm', '-rf', ROOT])
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
