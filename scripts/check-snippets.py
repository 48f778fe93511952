#!/usr/bin/env python3
"""Check that README code blocks marked `<!-- snippet: PATH -->` are exactly the file at PATH
(relative to the README), so every quick start a user copies is code the tests ran.

`--fix` rewrites the blocks from the files instead of checking them.
"""
import re
import sys
from pathlib import Path

PATTERN = re.compile(r"(<!-- snippet: (\S+) -->\s*\n```[a-z#]*\n)(.*?)(```)", re.S)

args = sys.argv[1:]
fix = "--fix" in args
failed = False
for readme in (Path(a) for a in args if a != "--fix"):
    text = readme.read_text(encoding="utf-8")
    found = PATTERN.findall(text)
    if not found:
        print(f"{readme}: no snippet markers", file=sys.stderr)
        failed = True
    if fix:
        text = PATTERN.sub(
            lambda m: m.group(1) + (readme.parent / m.group(2)).read_text(encoding="utf-8") + m.group(4),
            text,
        )
        readme.write_text(text, encoding="utf-8")
        print(f"{readme}: {len(found)} snippets rewritten from their files")
        continue
    for _, rel, block, _ in found:
        source = (readme.parent / rel).read_text(encoding="utf-8")
        if block != source:
            print(f"{readme}: the snippet of {rel} differs from the file "
                  f"(python3 scripts/check-snippets.py --fix {readme})", file=sys.stderr)
            failed = True
        else:
            print(f"{readme.name}: {rel} matches")
sys.exit(1 if failed else 0)
