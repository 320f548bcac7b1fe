#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every translation in po/LINGUAS is complete and sound.

Usage: check-translations.py SOURCE_ROOT

Extracts the strings of POTFILES.in afresh (xgettext, with the keywords
and flags of meson's glib preset, as the provisioner-pot target does) and,
for each language in LINGUAS, merges its .po with them and fails when a
string is untranslated or fuzzy — a window that is half German and half
English is worse than either — or when msgfmt --check finds a format,
plural or accelerator (_) that does not match the English.

Update a translation after changing strings:
    ninja -C build provisioner-pot provisioner-update-po
then translate what msgfmt --statistics po/LL.po counts as untranslated
or fuzzy.
"""

import os
import subprocess
import sys
import tempfile

# meson's i18n glib preset (mesonbuild/modules/i18n.py), which the
# provisioner-pot target uses: the same strings as the shipped .pot.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


def languages(po_dir):
    with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
        for line in f:
            for word in line.split('#', 1)[0].split():
                yield word


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = argv[1]
    po_dir = os.path.join(root, 'po')
    problems = []

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'provisioner.pot')
        done = run(['xgettext', *XGETTEXT_ARGS, '--package-name=provisioner',
                    '--directory', root,
                    '--files-from', os.path.join(po_dir, 'POTFILES.in'),
                    '--output', pot])
        if done.returncode != 0:
            print(f'xgettext failed: {done.stderr.strip()}', file=sys.stderr)
            return 1

        checked = 0
        for lang in languages(po_dir):
            checked += 1
            po = os.path.join(po_dir, f'{lang}.po')
            if not os.path.isfile(po):
                problems.append(f'{lang}: LINGUAS names it, but {po} does not exist')
                continue
            merged = os.path.join(tmp, f'{lang}.po')
            done = run(['msgmerge', '--quiet', '--no-fuzzy-matching',
                        '--output-file', merged, po, pot])
            if done.returncode != 0:
                problems.append(f'{lang}: msgmerge failed: {done.stderr.strip()}')
                continue
            done = run(['msgfmt', '--check', '--check-accelerators=_',
                        '--statistics', '--output-file', os.devnull, merged],
                       env=dict(os.environ, LC_ALL='C'))
            statistics = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''
            if done.returncode != 0:
                problems.append(f'{lang}: msgfmt --check: {done.stderr.strip()}')
            elif 'untranslated' in statistics or 'fuzzy' in statistics:
                problems.append(f'{lang}: not complete ({statistics}); see '
                                f'msgmerge {lang}.po provisioner.pot')
            else:
                print(f'{lang}: {statistics}')

    if checked == 0:
        problems.append('LINGUAS names no language')
    for problem in problems:
        print(f'error: {problem}', file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
