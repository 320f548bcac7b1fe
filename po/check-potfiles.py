#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that po/POTFILES.in is complete and contains no stale entries.

Usage: check-potfiles.py [SOURCE_ROOT]

Scans app/ (C sources and headers, GtkBuilder .ui files) and data/
(*.in files and *.gschema.xml) for translatable strings and fails,
listing each problem, when a file with translatable strings is missing
from POTFILES.in or when POTFILES.in lists a file that does not exist.
Files listed in po/POTFILES.skip (optional) are exempt from the
"missing" check.
"""

import os
import re
import sys

# C: _("..."), N_("..."), C_("ctx", "..."), NC_(...), Q_(...), and the
# gettext function family (ngettext, g_dngettext, g_dpgettext2, ...).
C_PATTERNS = [
    re.compile(r'\b(?:_|N_|C_|NC_|Q_)\s*\(\s*"'),
    re.compile(r'\b(?:g_)?d?n?p?gettext2?\s*\('),
]

# GtkBuilder: translatable="yes" (also "true"/"1"/"y").
UI_PATTERN = re.compile(r'translatable\s*=\s*"(?:yes|true|1|y)"', re.IGNORECASE)

# data files: the elements and keys gettext's ITS rules and desktop
# support extract.
DESKTOP_PATTERN = re.compile(
    r'^(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)\s*=', re.MULTILINE)
METAINFO_PATTERN = re.compile(r'<(?:name|summary|p|li|caption|keyword)\b[^>]*>')
GSCHEMA_PATTERN = re.compile(r'<(?:summary|description)\b[^>]*>')

SCANNED_DIRS = ('app', 'data')
SKIP_DIR_NAMES = {'.git', '__pycache__'}


def read_text(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def strip_c_comments(text):
    # Good enough for our purposes: drop /* */ and // comments so that an
    # example in a comment does not count; string literals containing "/*"
    # are rare in this code base and would only make the check stricter.
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.DOTALL)
    return re.sub(r'//[^\n]*', '', text)


def has_translatable_strings(relpath, text):
    name = os.path.basename(relpath)
    if name.endswith(('.c', '.h')):
        body = strip_c_comments(text)
        return any(p.search(body) for p in C_PATTERNS)
    if name.endswith('.ui'):
        return bool(UI_PATTERN.search(text))
    if name.endswith('.desktop.in'):
        return bool(DESKTOP_PATTERN.search(text))
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in')):
        return bool(METAINFO_PATTERN.search(text))
    if name.endswith('.gschema.xml'):
        return bool(GSCHEMA_PATTERN.search(text))
    if name.endswith('.in'):
        # Any other template: only explicit gettext markers count.
        return bool(UI_PATTERN.search(text)) or any(
            p.search(text) for p in C_PATTERNS)
    return False


def is_candidate(relpath):
    top = relpath.split('/', 1)[0]
    name = os.path.basename(relpath)
    if top == 'app':
        return name.endswith(('.c', '.h', '.ui'))
    if top == 'data':
        return name.endswith(('.in', '.gschema.xml', '.ui'))
    return False


def read_list(path):
    entries = []
    if not os.path.exists(path):
        return entries
    for lineno, raw in enumerate(read_text(path).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('[') and ']' in line:
            # e.g. "[encoding: UTF-8]" or "[type: gettext/glade]file.ui"
            line = line.split(']', 1)[1].strip()
            if not line:
                continue
        entries.append((lineno, line))
    return entries


def main(argv):
    root = os.path.abspath(argv[1] if len(argv) > 1 else
                           os.path.join(os.path.dirname(__file__), '..'))
    potfiles_path = os.path.join(root, 'po', 'POTFILES.in')
    skip_path = os.path.join(root, 'po', 'POTFILES.skip')

    if not os.path.exists(potfiles_path):
        print(f'error: {potfiles_path} does not exist', file=sys.stderr)
        return 1

    listed = read_list(potfiles_path)
    listed_set = {entry for _, entry in listed}
    skipped = {entry for _, entry in read_list(skip_path)}

    problems = []

    seen = set()
    for lineno, entry in listed:
        if entry in seen:
            problems.append(f'POTFILES.in:{lineno}: {entry} is listed twice')
        seen.add(entry)
        if not os.path.isfile(os.path.join(root, entry)):
            problems.append(f'POTFILES.in:{lineno}: {entry} does not exist')

    found = []
    for top in SCANNED_DIRS:
        topdir = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(topdir):
            dirnames[:] = sorted(d for d in dirnames
                                 if d not in SKIP_DIR_NAMES)
            for filename in sorted(filenames):
                path = os.path.join(dirpath, filename)
                relpath = os.path.relpath(path, root).replace(os.sep, '/')
                if not is_candidate(relpath):
                    continue
                if has_translatable_strings(relpath, read_text(path)):
                    found.append(relpath)

    for relpath in found:
        if relpath not in listed_set and relpath not in skipped:
            problems.append(
                f'{relpath} has translatable strings but is not in po/POTFILES.in')

    print(f'# {len(found)} files with translatable strings, '
          f'{len(listed)} entries in POTFILES.in')
    if problems:
        for problem in problems:
            print(f'error: {problem}', file=sys.stderr)
        print(f'{len(problems)} problem(s) with po/POTFILES.in', file=sys.stderr)
        return 1
    print('po/POTFILES.in is complete')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
