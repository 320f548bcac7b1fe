#!/usr/bin/python3
# cli_harness.py — what the command-line tests share: the binary and peer
# from argv, a scratch configuration without DISPLAY, running the binary,
# exit-code checks, and prov-scim-peer in a process of its own.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import socket
import subprocess
import sys
import tempfile

from scim_peer import PeerProcess

PROVISIONER, PEER, DEMO_CSV = (os.path.abspath(a) for a in sys.argv[1:4])
CLIENT_ID = 'cli-client'
SECRET = 'cli-S3cret-never-in-argv'   # a throwaway for a loopback peer
SOURCE_SECRET = 'source-S3cret-never-in-argv'
N_SOURCE = 40

ROOT = tempfile.mkdtemp(prefix='test-cli-')
ENV = dict(os.environ,
           XDG_CONFIG_HOME=os.path.join(ROOT, 'config'),
           XDG_STATE_HOME=os.path.join(ROOT, 'state'),
           no_proxy='*', LC_ALL='C.UTF-8', LANGUAGE='')
ENV.pop('DISPLAY', None)
ENV.pop('WAYLAND_DISPLAY', None)


def diag(text):
    for line in str(text).splitlines():
        print('# ' + line)


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


def run(*args, stdin=None, env=None, timeout=60, cwd=None):
    proc = subprocess.run([PROVISIONER, *args], input=stdin, capture_output=True,
                          text=True, env=env or ENV, timeout=timeout, cwd=cwd)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def expect(result, code, what=''):
    if result.code != code:
        raise AssertionError(f'{what}: exit {result.code}, wanted {code}\n'
                             f'stdout: {result.out}\nstderr: {result.err}')
    return result


class Peer(PeerProcess):
    def __init__(self, *extra):
        super().__init__(PEER, ['--client', f'{CLIENT_ID}:{SECRET}', '--ips-system', 'SYS1',
                                '--client', f'{CLIENT_ID}-source:{SOURCE_SECRET}',
                                '--source-users', str(N_SOURCE), *extra])


def closed_port_url():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return f'http://127.0.0.1:{s.getsockname()[1]}'


def add_jam(name, url, extra=(), secret=SECRET, env=None):
    return run('targets', 'add', '--name', name, '--type', 'jam', '--url', url,
               '--client-key', CLIENT_ID, *extra, '--secret-stdin',
               stdin=secret + '\n', env=env)


def set_source(url):
    return run('source', 'set', '--tenant', url, '--version', '2', '--auth', 'basic',
               '--client-id', CLIENT_ID + '-source', '--secret-stdin',
               stdin=SOURCE_SECRET + '\n')


def secrets_nowhere(*texts):
    for text in texts:
        assert SECRET not in text and SOURCE_SECRET not in text, 'a secret leaked'


def files_under(path):
    for base, _, names in os.walk(path):
        for name in names:
            with open(os.path.join(base, name), errors='replace') as f:
                yield f.read()
