# scim_peer.py — prov-scim-peer in a process of its own, for the Python
# tests and benchmarks (test-cli, test-sync, bench-cli): start it, learn its
# address (and CA file with --tls) from what it prints, read its counters,
# stop it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import signal
import subprocess


class PeerProcess:
    def __init__(self, binary, args):
        self.proc = subprocess.Popen([binary, *args], stdout=subprocess.PIPE, text=True)
        self.url = None
        self.ca_file = None
        for line in self.proc.stdout:
            line = line.strip()
            if line.startswith('url='):
                self.url = line[4:]
            elif line.startswith('ca-file='):
                self.ca_file = line[8:]
            elif line == 'ready':
                break
        if self.url is None:
            self.proc.wait()
            raise RuntimeError(f'{binary} did not start (exit {self.proc.returncode})')

    def counters(self):
        """Counters since the last call (the peer clears them)."""
        self.proc.send_signal(signal.SIGUSR1)
        return json.loads(self.proc.stdout.readline())

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
