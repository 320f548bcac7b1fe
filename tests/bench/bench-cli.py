#!/usr/bin/python3
# bench-cli.py PROVISIONER PEER [--sizes 500,5000] [--rss-users 50000]
#                              [--skip-loop] [--rate-users 500]
#
# `provisioner provision` timed end to end (start-up, source read, plan,
# pushes, journal) the way users run it: the SCIM peer (prov-scim-peer) is
# a SEPARATE PROCESS on 127.0.0.1, serving the Identity Authentication
# tenant the users come from and SAP Jam they go to. On the same peer, in
# the same run, the same number of creates by:
#
#   shell loop   one curl process a user (a new connection each), over at
#                most --loop-users (500) users, its time scaled to the size;
#   curl -K      one curl process, a url/data pair a user: one connection;
#   curl -Z      `curl --parallel --parallel-max 16 --parallel-immediate -K`:
#                16 in flight, as close to the server's ceiling as a client
#                gets (without --parallel-immediate curl first waits about
#                a second to see whether it may multiplex).
#
# Each size runs --repeat times (3), each time on a new peer with every
# method, and the best time of each is kept: the machine may be shared. It
# prints users/s and the ratio provisioner/each (goal: >= 1.0 against
# curl --parallel), end to end and for the app's pushes alone (from the
# run's start to its last user in the journal: curl reads no source and
# makes no plan). Then:
#   - rate-limited: the peer refuses more than 200 requests in a scaled
#     minute (1 s) and the app keeps SAP Jam's 200 a minute with its minute
#     scaled the same (PROVISIONER_TIME_SCALE): the time taken, the time the
#     limit allows, their ratio and the 429 count (goal: 0);
#   - idle re-run: the same provision again, nothing changed: writes (goal 0);
#   - memory: peak RSS of a run of 10,000 and of --rss-users users (50,000),
#     printed per 10,000 users; a run still going after --rss-timeout
#     seconds (300) is stopped and said so, with the users it had done.
#
# Not a test: it asserts no wall-clock time. Needs curl and a keyring: run
# it as `meson test -C build --benchmark --suite bench --verbose`, or
#     tests/with-keyring.sh tests/bench/bench-cli.py build/app/provisioner \
#         build/tests/server/prov-scim-peer
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import datetime
import glob
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# scim_peer is in tests/, above this folder.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from scim_peer import PeerProcess  # noqa: E402

CLIENT_ID = 'bench-client'
CLIENT_SECRET = 'bench-secret'   # a throwaway for a loopback peer
USERS_PATH = '/api/v1/scim/Users'


class Peer(PeerProcess):
    def __init__(self, binary, source_users, extra=()):
        super().__init__(binary, ['--client', f'{CLIENT_ID}:{CLIENT_SECRET}',
                                  '--source-users', str(source_users), *extra])


class App:
    def __init__(self, binary, root):
        self.binary = binary
        self.env = dict(os.environ,
                        XDG_CONFIG_HOME=os.path.join(root, 'config'),
                        XDG_STATE_HOME=os.path.join(root, 'state'),
                        no_proxy='*')
        self.env.pop('DISPLAY', None)

    def run(self, *args, secret=None, check=True, env=None):
        full_env = dict(self.env, **(env or {}))
        proc = subprocess.Popen([self.binary, *args], env=full_env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(secret + '\n' if secret else None)
        if check and proc.returncode != 0:
            sys.exit(f'bench-cli: provisioner {" ".join(args)} failed '
                     f'({proc.returncode}): {err.strip()}')
        return out

    def timed(self, *args, env=None):
        """Seconds and peak RSS (KiB) of one run."""
        full_env = dict(self.env, **(env or {}))
        started = time.monotonic()
        proc = subprocess.Popen([self.binary, *args], env=full_env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        out = proc.stdout.read()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f'bench-cli: provisioner {" ".join(args)} failed '
                     f'({proc.returncode}): {err.decode().strip()}')
        return seconds, usage.ru_maxrss, out.decode()

    def configure(self, url, rate_per_minute):
        self.run('source', 'set', '--tenant', url, '--version', '2',
                 '--auth', 'basic', '--client-id', CLIENT_ID,
                 '--secret-stdin', secret=CLIENT_SECRET)
        self.run('targets', 'add', '--name', 'Bench', '--type', 'jam',
                 '--url', url, '--client-key', CLIENT_ID,
                 '--rate-per-minute', str(rate_per_minute),
                 '--rate-per-hour', str(max(rate_per_minute, 13000)),
                 '--secret-stdin', secret=CLIENT_SECRET)


def token(url):
    out = subprocess.run(
        ['curl', '-sS', '-f', '--noproxy', '*', '-u', f'{CLIENT_ID}:{CLIENT_SECRET}',
         '-d', 'grant_type=client_credentials', url + '/api/v1/auth/token'],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)['access_token']


def write_bodies(directory, prefix, n):
    """SCIM users shaped like what the app sends to SAP Jam."""
    os.makedirs(directory, exist_ok=True)
    for i in range(1, n + 1):
        body = {
            'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User',
                        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
            'userName': f'{prefix}{i:05d}',
            'externalId': f'00000000-0000-4000-8000-{i:012d}',
            'name': {'givenName': f'Given{i}', 'familyName': f'Family{i}'},
            'displayName': f'Given{i} Family{i}',
            'title': 'Engineer',
            'emails': [{'value': f'{prefix}{i:05d}@example.com', 'type': 'work', 'primary': True}],
            'active': True,
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
                'employeeNumber': f'E{i:05d}', 'department': 'Bench'},
        }
        with open(os.path.join(directory, f'{i:05d}.json'), 'w') as f:
            json.dump(body, f)


def curl_config(directory, url, bearer, n):
    path = os.path.join(directory, 'curl.config')
    with open(path, 'w') as f:
        for i in range(1, n + 1):
            if i > 1:
                f.write('next\n')
            f.write(f'url = "{url}{USERS_PATH}"\n'
                    'request = "POST"\n'
                    f'header = "Authorization: Bearer {bearer}"\n'
                    'header = "Content-Type: application/scim+json"\n'
                    f'data-binary = "@{directory}/{i:05d}.json"\n'
                    'output = "/dev/null"\n')
    return path


def time_command(argv, env=None):
    started = time.monotonic()
    subprocess.run(argv, check=True, env=env)
    return time.monotonic() - started


def push_seconds(app):
    """From the run's start to its last user, by the newest journal."""
    state = app.env['XDG_STATE_HOME']
    paths = glob.glob(os.path.join(state, '*', 'journal', '*.jsonl'))
    with open(max(paths, key=os.path.getmtime)) as f:
        lines = [json.loads(line) for line in f]
    times = [datetime.datetime.fromisoformat(x['time'].replace('Z', '+00:00'))
             for x in lines if x['type'] in ('run', 'entry')]
    return (max(times) - min(times)).total_seconds()


def measure_once(args, n, root, repeat, loop):
    """One peer, every way of creating n users on it; seconds each."""
    peer = Peer(args.peer, n)
    seconds = {}
    try:
        app = App(args.provisioner, os.path.join(root, f'app-{n}-{repeat}'))
        app.configure(peer.url, 1000000)
        peer.counters()
        seconds['provisioner'], rss, out = app.timed('provision', 'Bench', '--yes')
        seconds['its pushes'] = push_seconds(app)
        c = peer.counters()
        assert c['jam-writes'] == n and c['responses-429'] == 0, c
        note = f'{out.strip().splitlines()[-1]}, {c["connections"]} connections, peak RSS {rss / 1024:.0f} MiB'

        bearer = token(peer.url)
        runs = [('curl -K', ['curl', '-sS', '-f', '--noproxy', '*', '-K']),
                ('curl --parallel 16', ['curl', '-sS', '-f', '--no-progress-meter', '--noproxy', '*',
                                        '--parallel', '--parallel-max', '16', '--parallel-immediate', '-K'])]
        for i, (label, argv) in enumerate(runs):
            directory = os.path.join(root, f'bodies-{n}-{repeat}-{i}')
            write_bodies(directory, f'c{i}u', n)
            config = curl_config(directory, peer.url, bearer, n)
            seconds[label] = time_command(argv + [config])
        if loop:
            # One process a user is slow: at most --loop-users of them, as a rate.
            m = min(n, args.loop_users)
            directory = os.path.join(root, f'bodies-{n}-loop')
            write_bodies(directory, 'loop', m)
            script = ('for f in "$D"/*.json; do curl -sS -f -o /dev/null --noproxy "*" '
                      '-X POST -H "Authorization: Bearer $T" '
                      '-H "Content-Type: application/scim+json" --data-binary @"$f" "$U"; done')
            seconds['shell loop'] = time_command(
                ['sh', '-c', script], env=dict(os.environ, D=directory, T=bearer, U=peer.url + USERS_PATH)) * n / m

        peer.counters()
        seconds['idle re-run'], _, _ = app.timed('provision', 'Bench', '--yes')
        c = peer.counters()
        note += f'; idle re-run: {c["jam-writes"]} writes (goal 0), {c["requests"]} requests'
    finally:
        peer.stop()
    return seconds, note


def bench_size(args, n, root):
    print(f'\n{n} users, best of {args.repeat} (each on a new peer)')
    best = {}
    for repeat in range(args.repeat):
        seconds, note = measure_once(args, n, root, repeat, loop=not args.skip_loop and repeat == 0)
        print(f'  run {repeat + 1}: ' + ', '.join(f'{k} {v:.3f} s' for k, v in seconds.items()))
        print(f'         {note}')
        for label, value in seconds.items():
            best[label] = min(best.get(label, value), value)
    for label, value in best.items():
        rate = f'{n / value:8.0f} users/s' if label != 'idle re-run' else ''
        print(f'  {label:22} {value:8.3f} s  {rate}')
    for label in ('shell loop', 'curl -K', 'curl --parallel 16'):
        if label in best:
            print(f'  provisioner / {label:18} {best[label] / best["provisioner"]:6.2f}x end to end'
                  f'   {best[label] / best["its pushes"]:6.2f}x its pushes alone')


def bench_rate_limited(args, root):
    n, limit, window_ms = args.rate_users, 200, 1000
    print(f'\nRate-limited: {n} users, {limit} a minute, the minute scaled to {window_ms} ms')
    peer = Peer(args.peer, n, ['--rate-limit', f'{USERS_PATH}:{limit}:{window_ms}'])
    try:
        app = App(args.provisioner, os.path.join(root, 'app-rate'))
        app.configure(peer.url, limit)
        peer.counters()
        scale = window_ms / 60000
        seconds, _, out = app.timed('provision', 'Bench', '--yes',
                                    env={'PROVISIONER_TIME_SCALE': str(scale)})
        c = peer.counters()
        pushes = push_seconds(app)
        # The last request may go once every earlier full window has passed.
        allowed = (math.ceil(n / limit) - 1) * window_ms / 1000
        # Users that fit in one window have no wait to compare with.
        ratio = f'ratio {pushes / allowed:.3f} (goal <= 1.05)' if allowed > 0 else 'all in the first window'
        print(f'  allowed {allowed:.3f} s; the pushes took {pushes:.3f} s: {ratio}; '
              f'end to end {seconds:.3f} s; {c["responses-429"]} answers 429 (goal 0)')
    finally:
        peer.stop()


def journal_entries(app):
    state = app.env['XDG_STATE_HOME']
    paths = glob.glob(os.path.join(state, '*', 'journal', '*.jsonl'))
    if not paths:
        return 0
    done = 0
    with open(max(paths, key=os.path.getmtime)) as f:
        for line in f:
            try:
                done += json.loads(line).get('type') == 'entry'
            except ValueError:
                pass   # the line a stopped run was writing
    return done


def bench_memory(args, root):
    print(f'\nMemory: peak RSS of a whole run (read, plan, push), stopped after {args.rss_timeout} s')
    results = []
    # Each size once (a repeated size would reuse its folder and add its
    # target a second time).
    for n in sorted({10000, args.rss_users}):
        peer = Peer(args.peer, n)
        try:
            app = App(args.provisioner, os.path.join(root, f'app-rss-{n}'))
            app.configure(peer.url, 1000000)
            started = time.monotonic()
            proc = subprocess.Popen([app.binary, 'provision', 'Bench', '--yes'], env=app.env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            peak = 0
            while proc.poll() is None and time.monotonic() - started < args.rss_timeout:
                try:
                    with open(f'/proc/{proc.pid}/status') as f:
                        peak = max([peak] + [int(line.split()[1]) for line in f if line.startswith('VmHWM:')])
                except OSError:
                    pass
                time.sleep(0.2)
            seconds = time.monotonic() - started
            done = journal_entries(app)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
                note = f'STOPPED after {seconds:.0f} s with {done} users done'
            else:
                note = f'{seconds:7.2f} s, {done} users done'
            results.append((n, peak))
            print(f'  {n:6} users  {note}: peak RSS {peak / 1024:7.1f} MiB '
                  f'= {peak / 1024 / (n / 10000):6.1f} MiB per 10,000 users')
        finally:
            peer.stop()
    if len(results) == 2:
        (n1, r1), (n2, r2) = results
        print(f'  growth: {(r2 - r1) / 1024 / ((n2 - n1) / 10000):.1f} MiB per 10,000 more users')


def main():
    # A benchmark stopped from outside still stops its peers (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser()
    parser.add_argument('provisioner')
    parser.add_argument('peer')
    parser.add_argument('--sizes', default='500,5000')
    parser.add_argument('--rate-users', type=int, default=500)
    parser.add_argument('--rss-users', type=int, default=50000,
                        help='0 to leave the memory measurement out')
    parser.add_argument('--rss-timeout', type=int, default=300,
                        help='seconds a memory run may take before it is stopped')
    parser.add_argument('--skip-loop', action='store_true')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--loop-users', type=int, default=500,
                        help='users the shell loop creates (its time is scaled to the size)')
    args = parser.parse_args()
    if shutil.which('curl') is None:
        sys.exit('bench-cli: curl is not installed: apt-get install -y curl')

    with tempfile.TemporaryDirectory(prefix='bench-cli-') as root:
        for n in (int(s) for s in args.sizes.split(',') if s):
            bench_size(args, n, root)
        if args.rate_users:
            bench_rate_limited(args, root)
        if args.rss_users:
            bench_memory(args, root)


if __name__ == '__main__':
    main()
