#!/usr/bin/env python3
"""Differential check of hooksig's JSON re-serialization against real Node.

For every file in the given corpus folders, compares hooksig's emulation (core example
`restringify`) with `node`'s JSON.stringify(JSON.parse(buf.toString('utf8'))). Prints
`N passed, N failed` and exits non-zero on any difference.
"""

import json
import os
import subprocess
import sys

NODE = r"""
const chunks = [];
process.stdin.on('data', c => chunks.push(c));
process.stdin.on('end', () => {
  const out = JSON.parse(Buffer.concat(chunks).toString()).map(h => {
    try { return Buffer.from(JSON.stringify(JSON.parse(Buffer.from(h, 'hex').toString('utf8'))), 'utf8').toString('hex'); }
    catch (e) { return null; }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def main(folders):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = sorted(
        os.path.join(d, f) for d in folders if os.path.isdir(d) for f in os.listdir(d)
    )
    if not files:
        print("no corpus files", file=sys.stderr)
        return 1
    ours = []
    for start in range(0, len(files), 500):
        batch = files[start : start + 500]
        out = subprocess.run(
            ["cargo", "run", "-q", "--release", "-p", "hooksig-core", "--example", "restringify", "--", *batch],
            cwd=root, check=True, capture_output=True, text=True,
        ).stdout.split()
        ours += [None if line == "null" else line for line in out]
    blobs = [open(f, "rb").read().hex() for f in files]
    node = json.loads(
        subprocess.run(["node", "-e", NODE], input=json.dumps(blobs), capture_output=True, text=True, check=True).stdout
    )
    failed = [f for f, a, b in zip(files, ours, node) if a != b]
    for f in failed[:20]:
        print(f"differs: {f}", file=sys.stderr)
    print(f"{len(files) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [os.path.join(os.path.dirname(__file__), "corpus", "js_json")]))
