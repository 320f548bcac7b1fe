#!/usr/bin/python3
# check-references.py SOURCE_ROOT METAINFO — the pictures and files that the
# README, the other Markdown pages and the AppStream metainfo point at exist
#
# A screenshot renamed or a page moved leaves a broken picture on the
# project's page and in software centres, and no build notices it:
#   - every local link and image in README.md, HACKING.md and docs/*.md
#     names a file or folder of the tree;
#   - every metainfo <image> under the project's raw URL names a PNG of
#     the tree, of the width and height its attributes give.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import glob
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

RAW_PREFIX = 'https://raw.githubusercontent.com/provisioner/provisioner/main/'
# [text](target) and ![alt](target); a title after the target is allowed.
MARKDOWN_LINK = re.compile(r'!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)')


def png_size(path):
    with open(path, 'rb') as f:
        head = f.read(24)
    if head[:8] != b'\x89PNG\r\n\x1a\n' or head[12:16] != b'IHDR':
        return None
    return struct.unpack('>II', head[16:24])


def check_markdown(root, page, problems):
    with open(page, encoding='utf-8') as f:
        text = f.read()
    # Code spans and blocks show commands, not links.
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    text = re.sub(r'`[^`\n]*`', '', text)
    for target in MARKDOWN_LINK.findall(text):
        if re.match(r'^[a-z][a-z0-9+.-]*:', target) or target.startswith('#'):
            continue
        path = os.path.normpath(os.path.join(os.path.dirname(page), target.split('#')[0]))
        if not os.path.exists(path):
            problems.append(f'{os.path.relpath(page, root)}: "{target}" is not in the tree')


def check_metainfo(root, metainfo, problems):
    images = ET.parse(metainfo).getroot().findall('./screenshots/screenshot/image')
    if not images:
        problems.append(f'{metainfo}: no screenshot')
    for image in images:
        url = (image.text or '').strip()
        if not url.startswith(RAW_PREFIX):
            problems.append(f'{metainfo}: {url} is not a file of the project')
            continue
        path = os.path.join(root, url[len(RAW_PREFIX):])
        if not os.path.isfile(path):
            problems.append(f'{metainfo}: {url} is not in the tree')
            continue
        size = png_size(path)
        if size is None:
            problems.append(f'{metainfo}: {url} is not a PNG')
            continue
        declared = (image.get('width'), image.get('height'))
        if None in declared or tuple(map(int, declared)) != size:
            problems.append(f'{metainfo}: {url} is {size[0]}×{size[1]}, '
                            f'the metainfo says {declared[0]}×{declared[1]}')


def main():
    if len(sys.argv) != 3:
        print(f'usage: {sys.argv[0]} SOURCE_ROOT METAINFO', file=sys.stderr)
        return 2
    root, metainfo = sys.argv[1], sys.argv[2]
    problems = []
    pages = [os.path.join(root, 'README.md'), os.path.join(root, 'HACKING.md')]
    pages += sorted(glob.glob(os.path.join(root, 'docs', '*.md')))
    for page in pages:
        check_markdown(root, page, problems)
    check_metainfo(root, metainfo, problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f'{len(pages)} pages and the metainfo checked: {len(problems)} broken references')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
