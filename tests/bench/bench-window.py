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
#   preparing  the window: from the Provision dialog's opening on Ctrl+P
#              to the frame that draws the plan, by the app's own debug
#              line "Plan on screen N ms after the dialog opened"; the
#              command line: its whole run less its pushes (start-up,
#              keyring, source read, plan, and writing the push state at
#              the end).
# Nothing asks the window anything over AT-SPI from Ctrl+P to the run's
# end: the plan is read from the app's log and the end from the journal,
# so the measurement adds no work to the app. (Timed from xdotool's Ctrl+P
# to the plan's "Provision" polled over AT-SPI every 10 ms, as this bench
# once did, 500 users took ~140 ms to prepare where the app itself took
# ~70 ms: every poll is D-Bus calls that the app's main loop answers while
# it reads the source.)
#
# Not a test: it asserts no wall-clock time. Needs a display, a session bus
# and a keyring:
#     meson test -C build --benchmark --setup=xvfb --suite bench bench-window --verbose
#
# SPDX-License-Identifier: GPL-3.0-or-later
import argparse
import glob
import os
import re
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

TARGET = 'Bench'
POLL = 0.01
PLAN_ON_SCREEN = re.compile(r'Plan on screen (\d+) ms after the dialog opened')


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


def plan_on_screen(window_app):
    """Seconds from the Provision dialog's opening to the frame that drew
    its plan, by the app's debug line, or None before that frame."""
    with open(window_app.stderr_path, errors='replace') as f:
        match = PLAN_ON_SCREEN.search(f.read())
    return int(match.group(1)) / 1000 if match else None


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
        # The window's debug lines, not its HTTP headers: "Plan on screen".
        os.environ['G_MESSAGES_DEBUG'] = 'provisioner'
        try:
            window_app.start()
        finally:
            del os.environ['G_MESSAGES_DEBUG']
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
        e2e.press_keys('Provisioner', 'shift')   # the window focused before Ctrl+P
        subprocess.run(['xdotool', 'key', '--clearmodifiers', 'ctrl+p'], check=True)
        poll(lambda: plan_on_screen(window_app) is not None, 'the plan on screen')
        preparing = plan_on_screen(window_app)

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
