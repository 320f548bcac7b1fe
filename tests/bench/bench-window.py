#!/usr/bin/python3
# bench-window.py PROVISIONER PEER [--sizes 500,5000] [--repeat 3] [--perf DIR]
#
# A run in the window against the same run on the command line, the way
# a person does it: the real `provisioner` under the test's X server, the
# target "Bench" chosen in the sidebar, Ctrl+P (the source read and the
# plan), then Ctrl+Return on the plan (the pushes), with real key presses
# (xdotool). The SCIM peer (prov-scim-peer) is a separate process on
# 127.0.0.1, as in bench-cli.py; each repetition gives the window and
# `provisioner provision Bench --yes` a new peer of their own.
#
# What is compared (goal: the window within 10% of the command line):
#   pushes     from the run's start to its last user, by the journal, in
#              both: what the window's progress updates, its journal and
#              push-state writes and its main loop cost while users go out;
#   preparing  the window: the key press of Ctrl+P until the plan's "Provision" can be
#              pressed (polled through AT-SPI every 10 ms); the command line:
#              its whole run less its pushes (start-up, keyring, source
#              read, plan, and writing the push state at the end).
# While the pushes run nothing asks the window anything over AT-SPI: the
# end is read from the journal, so the measurement adds no work to the app.
#
# Not a test: it asserts no wall-clock time. Needs a display, a session bus
# and a keyring:
#     meson test -C build --benchmark --setup=xvfb --suite bench bench-window --verbose
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'e2e'))

from test_modules import load, load_e2e  # noqa: E402

cli = load('bench_cli', os.path.join('bench', 'bench-cli.py'))
e2e = load_e2e()
from e2e_checks import Screens  # noqa: E402

import pyatspi  # noqa: E402

TARGET = 'Bench'
POLL = 0.01


def poll(predicate, what, timeout=300.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return
        except Exception:
            pass   # the tree changes under our feet
        time.sleep(POLL)
    sys.exit(f'bench-window: timed out waiting for {what}')


def journal_ended(app):
    """Whether the newest journal has its "end" record."""
    paths = glob.glob(os.path.join(app.env['XDG_STATE_HOME'], '*', 'journal', '*.jsonl'))
    if not paths:
        return False
    with open(max(paths, key=os.path.getmtime)) as f:
        return any('"end"' in line for line in f)


def window_run(args, n, home):
    """Seconds preparing and pushing n users from the window."""
    peer = cli.Peer(args.peer, n)
    app = cli.App(args.provisioner, home)
    app.env['XDG_CONFIG_HOME'] = os.path.join(home, '.config')
    os.environ['XDG_STATE_HOME'] = app.env['XDG_STATE_HOME']
    window_app = e2e.App(os.path.abspath(args.provisioner), home, os.path.join(home, 'window.log'))
    try:
        app.configure(peer.url, 1000000)
        peer.counters()
        window_app.start()
        window = window_app.window()
        row = e2e.wait_for(lambda: e2e.find(window, lambda n: e2e.role(n) == 'list item' and
                                            e2e.name(n) == TARGET), f'the sidebar row "{TARGET}"')
        Screens.click_on('Provisioner', row)   # a real click: rows have no click action
        e2e.wait_for(lambda: e2e.button_showing(window, 'Provision'), 'the target on screen')

        profiler = None
        if args.perf:
            # Where the window's time goes: `perf report -i FILE`.
            profiler = subprocess.Popen(['perf', 'record', '-g', '-q', '-o',
                                         os.path.join(args.perf, f'window-{n}.perf'),
                                         '-p', str(window_app.process.pid)])
            time.sleep(0.5)
        e2e.press_keys('Provisioner', 'shift')   # the window focused before the clock starts
        started = time.monotonic()
        subprocess.run(['xdotool', 'key', '--clearmodifiers', 'ctrl+p'], check=True)
        dialog = e2e.wait_for(lambda: next((w for w in e2e.children(window_app.root)
                                            if e2e.name(w) == 'Provision Users'), None),
                              'the Provision dialog', timeout=10)
        start = e2e.wait_for(lambda: e2e.button_showing(dialog, 'Provision'), 'the plan\'s "Provision"')
        poll(lambda: start.getState().contains(pyatspi.STATE_SENSITIVE), 'the plan')
        preparing = time.monotonic() - started

        e2e.press_keys('Provision Users', 'ctrl+Return')
        poll(lambda: journal_ended(app), 'the run\'s end in the journal')
        pushes = cli.push_seconds(app)
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait()
        c = peer.counters()
        assert c['jam-writes'] == n and c['responses-429'] == 0, c
    except e2e.Failure:
        print('toplevels: ' + ', '.join(f'{e2e.role(w)} {e2e.name(w)!r}' for w in e2e.children(window_app.root)),
              file=sys.stderr)
        raise
    finally:
        window_app.kill()
        peer.stop()
    problems = e2e.problems_in(window_app.stderr_path)
    if problems:
        sys.exit('bench-window: the app printed warnings:\n' + '\n'.join(problems))
    return preparing, pushes


def cli_run(args, n, home):
    """Seconds end to end and pushing n users from the command line."""
    peer = cli.Peer(args.peer, n)
    try:
        app = cli.App(args.provisioner, home)
        app.configure(peer.url, 1000000)
        peer.counters()
        seconds, _, _ = app.timed('provision', TARGET, '--yes')
        pushes = cli.push_seconds(app)
        c = peer.counters()
        assert c['jam-writes'] == n and c['responses-429'] == 0, c
    finally:
        peer.stop()
    return seconds - pushes, pushes


def bench_size(args, n, root):
    print(f'\n{n} users, best of {args.repeat} (each on a new peer)')
    best = {}
    for repeat in range(args.repeat):
        times = {}
        times['window preparing'], times['window pushes'] = \
            window_run(args, n, os.path.join(root, f'window-{n}-{repeat}'))
        times['cli preparing'], times['cli pushes'] = cli_run(args, n, os.path.join(root, f'cli-{n}-{repeat}'))
        print(f'  run {repeat + 1}: ' + ', '.join(f'{k} {v:.3f} s' for k, v in times.items()))
        for label, value in times.items():
            best[label] = min(best.get(label, value), value)
    for label, value in best.items():
        print(f'  {label:18} {value:8.3f} s')
    window_total = best['window preparing'] + best['window pushes']
    cli_total = best['cli preparing'] + best['cli pushes']
    print(f'  window / command line: pushes {best["window pushes"] / best["cli pushes"]:5.2f}x, '
          f'whole run {window_total / cli_total:5.2f}x (goal <= 1.10)')


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser()
    parser.add_argument('provisioner')
    parser.add_argument('peer')
    parser.add_argument('--sizes', default='500,5000')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--perf', metavar='DIR',
                        help='record the window with perf from Ctrl+P to the run\'s end, into DIR')
    args = parser.parse_args()
    if not os.environ.get('DISPLAY'):
        sys.exit('bench-window: needs a display: meson test --benchmark --setup=xvfb')
    os.environ['no_proxy'] = '*'
    with tempfile.TemporaryDirectory(prefix='bench-window-') as root:
        for n in (int(s) for s in args.sizes.split(',') if s):
            bench_size(args, n, root)


if __name__ == '__main__':
    main()
