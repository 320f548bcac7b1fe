#!/usr/bin/python3
# bench-history.py PROVISIONER [--days 365] [--targets 3] [--repeat 3]
#
# `provisioner history` over the journals a year of real-time provisioning
# leaves: per target, one first run of --first-users (10,000) users, then
# one real-time run an hour (a sync session lasts at most an hour) with a
# few changes each. The window's History lists runs with the same code.
#
# Baseline, in the same run: `cat` of every journal file to /dev/null, the
# cost of reading them at all. It prints both times (best of --repeat) and
# their ratio: the history's own work is what the ratio shows above 1.
#
# Not a test: it asserts no wall-clock time. No keyring, no network:
#     tests/bench/bench-history.py build/app/provisioner
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import datetime
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

APP_ID = 'io.github.provisioner.Provisioner'


def line(obj):
    """A journal line as the app writes it: compact JSON."""
    return json.dumps(obj, separators=(',', ':')) + '\n'


def write_run(directory, when, target, users, scenario, serial):
    stamp = when.strftime('%Y-%m-%dT%H:%M:%S.000000Z')
    path = os.path.join(directory, when.strftime('%Y%m%dT%H%M%S') + f'-{serial:08x}.jsonl')
    with open(path, 'w') as f:
        f.write(line({'type': 'run', 'time': stamp, 'target-uuid': target[0],
                      'target-name': target[1], 'scenario': scenario}))
        for i in range(users):
            f.write(line({'type': 'entry', 'time': stamp, 'user': f'user{i:06d}',
                          'action': 'update', 'ok': True}))
        f.write(line({'type': 'end', 'time': stamp, 'succeeded': users, 'failed': 0}))


def generate(root, args):
    directory = os.path.join(root, 'state', APP_ID, 'journal')
    os.makedirs(directory)
    rng = random.Random(4)
    start = datetime.datetime(2025, 12, 1, tzinfo=datetime.timezone.utc)
    serial = 0
    for t in range(args.targets):
        target = (str(uuid.UUID(int=rng.getrandbits(128), version=4)), f'Target {t + 1}')
        serial += 1
        write_run(directory, start, target, args.first_users, 'all-users', serial)
        for hour in range(1, args.days * 24 + 1):
            serial += 1
            write_run(directory, start + datetime.timedelta(hours=hour), target,
                      rng.randint(1, 20), 'real-time', serial)
    return directory, serial


def best_of(repeat, argv, env=None):
    best = None
    for _ in range(repeat):
        started = time.monotonic()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        seconds = time.monotonic() - started
        best = seconds if best is None else min(best, seconds)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('provisioner')
    parser.add_argument('--days', type=int, default=365)
    parser.add_argument('--targets', type=int, default=3)
    parser.add_argument('--first-users', type=int, default=10000)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()

    root = tempfile.mkdtemp(prefix='bench-history-')
    try:
        directory, runs = generate(root, args)
        files = sorted(glob.glob(os.path.join(directory, '*.jsonl')))
        size = sum(os.path.getsize(f) for f in files)
        env = dict(os.environ, XDG_STATE_HOME=os.path.join(root, 'state'),
                   XDG_CONFIG_HOME=os.path.join(root, 'config'))
        env.pop('DISPLAY', None)
        print(f'{runs} runs of {args.targets} targets over {args.days} days, '
              f'{size / 1024 / 1024:.1f} MiB of journals, best of {args.repeat}')

        # xargs keeps cat's argument lists within the system's limit.
        cat = best_of(args.repeat, ['sh', '-c', f'cd "{directory}" && ls | xargs cat > /dev/null'])
        history = best_of(args.repeat, [args.provisioner, 'history'], env=env)
        listed = subprocess.run([args.provisioner, 'history'], env=env, check=True,
                                capture_output=True, text=True).stdout.count('\n')
        assert listed == runs, f'history listed {listed} of {runs} runs'
        print(f'  cat of every journal     {cat:7.3f} s')
        print(f'  provisioner history      {history:7.3f} s   ratio to cat {history / cat:5.2f}')
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
