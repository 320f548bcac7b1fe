# test_modules.py — the test scripts other tests build on, loaded by path
#
# test-e2e.py (the AT-SPI helpers, App and Steps), test-sync.py (the
# prov-scim-peer and command-line helpers) and bench-cli.py (Peer, App and
# the journal's timings) are programs with dashes in their names, so they
# cannot be imported; this loads one and registers it under @name, so that
# `from e2e import …` works after it. The e2e scripts find this module
# beside them; the benchmarks put tests/e2e on sys.path first.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import importlib.util
import os
import sys

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The scripts import their helpers from tests/ (scim_peer, cli_harness).
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)


def load(name, relative_path):
    """The script at tests/@relative_path as the module @name."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(TESTS, relative_path))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_e2e():
    return load('e2e', os.path.join('e2e', 'test-e2e.py'))


def load_test_sync():
    """test-sync.py reads PROVISIONER and PEER from sys.argv[1:3] as it
    loads: the caller's first two arguments must be those."""
    argv = sys.argv
    sys.argv = argv[:3]
    try:
        return load('test_sync', 'test-sync.py')
    finally:
        sys.argv = argv
