#!/usr/bin/env python3
"""Helpers for tests/mutation/run.sh.

  mutate.py list TABLE                      id, file, tests of each mutation
  mutate.py apply TABLE ID SRCDIR           applies mutation ID in SRCDIR
  mutate.py targets BUILDDIR TEST...        meson compile targets the tests run
  mutate.py sync SRCDIR COPY                copies SRCDIR's tracked files
"""
import json
import os
import re
import subprocess
import sys


def read_table(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#') or line.startswith('id\t'):
                continue
            fields = line.split('\t')
            if len(fields) != 5 or not all(fields):
                sys.exit(f'{path}:{number}: want 5 TAB-separated fields, got {len(fields)}')
            rows.append(dict(zip(('id', 'file', 'pattern', 'replacement', 'tests'), fields)))
    ids = [r['id'] for r in rows]
    if len(ids) != len(set(ids)):
        sys.exit(f'{path}: duplicate mutation ids')
    return rows


def apply(table, mutation_id, srcdir):
    row = next((r for r in read_table(table) if r['id'] == mutation_id), None)
    if row is None:
        sys.exit(f'no mutation {mutation_id}')
    path = os.path.join(srcdir, row['file'])
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        print(f'{mutation_id}: cannot read {row["file"]}: {e.strerror}')
        return 2
    pattern = row['pattern']
    if pattern.startswith('re:'):
        regex = re.compile(pattern[3:])
    else:
        regex = re.compile(re.escape(pattern))
    matches = list(regex.finditer(text))
    if len(matches) != 1:
        where = 'not found' if not matches else f'found {len(matches)} times'
        print(f'{mutation_id}: pattern {where} in {row["file"]} '
              f'(the code moved or changed: update tests/mutation/mutations.tsv): {pattern}')
        return 2
    m = matches[0]
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text[:m.start()] + row['replacement'] + text[m.end():])
    line = text.count('\n', 0, m.start()) + 1
    print(f'{mutation_id}: {row["file"]}:{line}: {m.group(0)} -> {row["replacement"]}')
    return 0


def targets(builddir, tests):
    def introspect(what):
        out = subprocess.run(['meson', 'introspect', what, builddir],
                             check=True, capture_output=True, text=True).stdout
        return json.loads(out)

    with open(os.path.join(builddir, 'meson-info', 'meson-info.json')) as f:
        srcroot = json.load(f)['directories']['source']
    by_id = {}
    for t in introspect('--targets'):
        rel = os.path.relpath(os.path.dirname(t['defined_in']), srcroot)
        by_id[t['id']] = t['name'] if rel == '.' else f'{rel}/{t["name"]}'
    wanted = set(tests)
    found = set()
    specs = []
    for test in introspect('--tests'):
        if test['name'] not in wanted:
            continue
        found.add(test['name'])
        for target_id in test.get('depends', []):
            spec = by_id.get(target_id)
            if spec and spec not in specs:
                specs.append(spec)
    missing = wanted - found
    if missing:
        print('no such meson test: ' + ' '.join(sorted(missing)), file=sys.stderr)
        return 2
    print(' '.join(specs))
    return 0


def sync(srcdir, copy):
    """Writes only the files whose contents differ, so that a build of an
    earlier copy rebuilds exactly what changed (a copy with the original
    times would look older than objects built from a mutated file)."""
    files = subprocess.run(['git', '-C', srcdir, 'ls-files', '-z'], check=True,
                           capture_output=True).stdout.decode().split('\0')
    written = 0
    for name in filter(None, files):
        source = os.path.join(srcdir, name)
        target = os.path.join(copy, name)
        if not os.path.isfile(source):
            continue
        with open(source, 'rb') as f:
            data = f.read()
        try:
            with open(target, 'rb') as f:
                if f.read() == data:
                    continue
        except OSError:
            pass
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, 'wb') as f:
            f.write(data)
        os.chmod(target, os.stat(source).st_mode & 0o777)
        written += 1
    print(f'{written} files copied')
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == 'list':
        for r in read_table(argv[1]):
            print(f'{r["id"]}\t{r["file"]}\t{r["tests"]}')
        return 0
    if len(argv) == 4 and argv[0] == 'apply':
        return apply(argv[1], argv[2], argv[3])
    if len(argv) == 3 and argv[0] == 'sync':
        return sync(argv[1], argv[2])
    if len(argv) >= 3 and argv[0] == 'targets':
        return targets(argv[1], argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
