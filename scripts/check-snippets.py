#!/usr/bin/env python3
"""Check that README code blocks marked `<!-- snippet: PATH -->` are exactly the file at PATH
(relative to the README), so every quick start a user copies is code the tests ran."""
import re
import sys
from pathlib import Path

PATTERN = re.compile(r"<!-- snippet: (\S+) -->\s*\n```[a-z#]*\n(.*?)```", re.S)

failed = False
for readme in map(Path, sys.argv[1:]):
    text = readme.read_text(encoding="utf-8")
    found = PATTERN.findall(text)
    if not found:
        print(f"{readme}: no snippet markers", file=sys.stderr)
        failed = True
    for rel, block in found:
        source = (readme.parent / rel).read_text(encoding="utf-8")
        if block != source:
            print(f"{readme}: the snippet of {rel} differs from the file", file=sys.stderr)
            failed = True
        else:
            print(f"{readme.name}: {rel} matches")
sys.exit(1 if failed else 0)
