#!/usr/bin/python3
# bench-sync.py PROVISIONER PEER — real-time provisioning, measured
#
# `provisioner sync --interval 5` between two prov-scim-peer processes (the
# tenant and a SAP Jam target) on 127.0.0.1:
#   - latency from a change in the tenant to the target's accepting it (the
#     sync's log line, read as it is printed), with 1, 10 and 100 changes
#     made at random moments of an interval: p50 and p95, against the goal
#     p95 <= interval + 2 s;
#   - the cost of idling: requests to the tenant and to the target over a
#     quiet period, as requests per hour.
# Prints results; not a test (nothing asserted).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import random
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'e2e'))
from test_modules import load_test_sync  # noqa: E402

ts = load_test_sync()

INTERVAL = 5
IDLE_SECONDS = int(os.environ.get('BENCH_SYNC_IDLE_SECONDS', '60'))


def percentile(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100 * (len(values) - 1)))))
    return values[k]


def main():
    ts.ENV = ts.fresh_env()
    ts.ENV.pop('PROVISIONER_TIME_SCALE', None)
    tenant = ts.Peer('--source-users', '50', '--source-writable')
    target = ts.Peer()
    ts.setup(tenant, target.url)
    sync = ts.Sync()
    seen = {}

    def watch():
        done = 0
        while True:
            while done < len(sync.lines):
                line = sync.lines[done]
                done += 1
                parts = line.split()
                if len(parts) >= 4 and parts[-2] in ('Create', 'Update'):
                    seen.setdefault(parts[-1], time.monotonic())
            time.sleep(0.01)

    threading.Thread(target=watch, daemon=True).start()
    ts.wait_for('the first push', lambda: target.jam_user('user00050'), 120)
    print(f'interval {INTERVAL} s; goal: p95 <= {INTERVAL + 2} s')

    serial = 0
    for n in (1, 10, 100):
        made = {}
        # The changes fall at random moments of one interval.
        moments = sorted(random.uniform(0, INTERVAL) for _ in range(n))
        start = time.monotonic()
        for moment in moments:
            delay = start + moment - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            serial += 1
            name = f'bench{serial:05d}'
            made[name] = time.monotonic()
            tenant.tenant('POST', '', ts.new_user(name))
        deadline = time.monotonic() + 10 * INTERVAL + n
        while time.monotonic() < deadline and not all(name in seen for name in made):
            time.sleep(0.05)
        latencies = [seen[name] - made[name] for name in made if name in seen]
        lost = n - len(latencies)
        print(f'{n:3d} changes/interval: p50 {statistics.median(latencies):.2f} s, '
              f'p95 {percentile(latencies, 95):.2f} s, max {max(latencies):.2f} s'
              + (f', {lost} not seen' if lost else ''))

    # Changes are read again for the clock-skew overlap (10 s): idle after it.
    time.sleep(INTERVAL + 12)
    tenant.counters()
    target.counters()
    time.sleep(IDLE_SECONDS)
    source = tenant.counters()['requests']
    jam = target.counters()
    per_hour = 3600 / IDLE_SECONDS
    print(f'idle {IDLE_SECONDS} s: tenant {source} requests ({source * per_hour:.0f}/h, '
          f'{source / (IDLE_SECONDS / INTERVAL):.1f} per interval), target {jam["requests"]} requests '
          f'({jam["jam-writes"]} writes)')

    sync.stop()
    tenant.stop()
    target.stop()


if __name__ == '__main__':
    main()
