#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Offline checks of the Flatpak manifest.

Usage: check-manifest.py MANIFEST [APP_ID]

A Flatpak build cannot run without the GNOME runtime, so this checks what
can be checked without it: the manifest is valid JSON; its app id and
command are ours; it uses the GNOME runtime and SDK, in a version GNOME
still supports; its sandbox holes are
the ones we mean (network, no home or host file system access); and every
local source (type dir, file or patch) exists relative to the manifest.
"""

import json
import os
import sys

EXPECTED_APP_ID = 'io.github.provisioner.Provisioner'
EXPECTED_COMMAND = 'provisioner'
EXPECTED_RUNTIME = 'org.gnome.Platform'
EXPECTED_SDK = 'org.gnome.Sdk'
# GNOME supports a runtime for about a year (two stable releases): 50
# (March 2026) and 51 (September 2026) in December 2026. Raise this with
# each GNOME release, so that a manifest on an unsupported runtime fails.
OLDEST_SUPPORTED_RUNTIME = 50
FORBIDDEN_FILESYSTEMS = {'home', 'host', 'host-os', 'host-etc', '~'}
REQUIRED_FINISH_ARGS = {'--share=network'}


def iter_modules(modules, path='modules'):
    for index, module in enumerate(modules or []):
        where = f'{path}[{index}]'
        if isinstance(module, str):
            # A module given as the name of another manifest file.
            yield where, {'sources': [{'type': 'file', 'path': module}]}
            continue
        if not isinstance(module, dict):
            yield where, None
            continue
        yield where, module
        yield from iter_modules(module.get('modules'),
                                f'{where}.modules')


def check(manifest_path, app_id):
    problems = []
    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [f'cannot read {manifest_path} as JSON: {e}']

    if not isinstance(manifest, dict):
        return ['the manifest is not a JSON object']

    found_id = manifest.get('app-id', manifest.get('id'))
    if found_id != app_id:
        problems.append(f'app-id is {found_id!r}, expected {app_id!r}')
    if manifest.get('command') != EXPECTED_COMMAND:
        problems.append(f'command is {manifest.get("command")!r}, '
                        f'expected {EXPECTED_COMMAND!r}')
    if manifest.get('runtime') != EXPECTED_RUNTIME:
        problems.append(f'runtime is {manifest.get("runtime")!r}, '
                        f'expected {EXPECTED_RUNTIME!r}')
    if manifest.get('sdk') != EXPECTED_SDK:
        problems.append(f'sdk is {manifest.get("sdk")!r}, '
                        f'expected {EXPECTED_SDK!r}')
    version = str(manifest.get('runtime-version', '')).strip()
    if not version:
        problems.append('runtime-version is missing')
    elif not version.isdigit():
        problems.append(f'runtime-version is {version!r}, expected a stable '
                        f'GNOME release such as {OLDEST_SUPPORTED_RUNTIME + 1}')
    elif int(version) < OLDEST_SUPPORTED_RUNTIME:
        problems.append(f'runtime-version {version} is out of support; use '
                        f'{OLDEST_SUPPORTED_RUNTIME} or newer')

    finish_args = manifest.get('finish-args', [])
    if not isinstance(finish_args, list) or not all(
            isinstance(a, str) for a in finish_args):
        problems.append('finish-args is not a list of strings')
        finish_args = []
    for arg in finish_args:
        if arg.startswith('--filesystem='):
            fs = arg.split('=', 1)[1]
            base = fs.split(':', 1)[0].rstrip('/')
            if base in FORBIDDEN_FILESYSTEMS or base.startswith('~'):
                problems.append(f'finish-args must not contain {arg}')
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        problems.append(f'finish-args lacks {arg}')

    modules = manifest.get('modules')
    if not isinstance(modules, list) or not modules:
        problems.append('modules is missing or empty')
        modules = []

    base_dir = os.path.dirname(os.path.abspath(manifest_path))
    for where, module in iter_modules(modules):
        if module is None:
            problems.append(f'{where} is neither an object nor a file name')
            continue
        for sindex, source in enumerate(module.get('sources', [])):
            swhere = f'{where}.sources[{sindex}]'
            if isinstance(source, str):
                source = {'type': 'file', 'path': source}
            if not isinstance(source, dict):
                problems.append(f'{swhere} is not an object')
                continue
            stype = source.get('type')
            if stype not in ('dir', 'file', 'patch'):
                continue
            paths = source.get('paths') or [source.get('path')]
            for p in paths:
                if not p:
                    if stype == 'file' and source.get('url'):
                        continue
                    problems.append(f'{swhere} ({stype}) has no path')
                    continue
                full = os.path.normpath(os.path.join(base_dir, p))
                exists = (os.path.isdir(full) if stype == 'dir'
                          else os.path.isfile(full))
                if not exists:
                    problems.append(f'{swhere}: {stype} {p!r} does not exist '
                                    f'(looked for {full})')

    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    manifest_path = argv[1]
    app_id = argv[2] if len(argv) > 2 else EXPECTED_APP_ID
    problems = check(manifest_path, app_id)
    if problems:
        for problem in problems:
            print(f'error: {problem}', file=sys.stderr)
        return 1
    print(f'{manifest_path}: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
