"""Reads `cargo bench --bench normalize` output (criterion) on stdin, echoes it, and writes
one ratio record (benches/record.py) per baseline, body set and arichat variant:
`serde_json::Value` and `tokenize only (IgnoredAny)` against `arichat normalize` and
`arichat normalize+dedup`, from criterion's middle estimate of each.
"""
from __future__ import annotations

import os
import re
import sys

from record import record

UNITS = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
TIME = re.compile(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]")
ARICHAT = ("arichat normalize", "arichat normalize+dedup")


def main() -> None:
    secs: dict[str, dict[str, float]] = {}
    name = None
    for line in sys.stdin:
        sys.stdout.write(line)
        if line and not line[0].isspace():
            name = line.split(" time:")[0].strip()
        m = TIME.search(line)
        if m and name and "/" in name:
            group, _, fn = name.rpartition("/")
            secs.setdefault(group, {})[fn] = float(m.group(1)) * UNITS[m.group(2)]
    versions = {"rustc": os.environ.get("ARICHAT_RUSTC", "?"),
                "serde_json": os.environ.get("ARICHAT_SERDE_JSON", "?")}
    for group, fns in sorted(secs.items()):
        for ours in ARICHAT:
            if ours not in fns:
                continue
            for baseline in ("serde_json::Value", "tokenize only (IgnoredAny)"):
                if baseline in fns:
                    case = f"{group}, {ours.removeprefix('arichat ')}"
                    record("Rust normalize", case, fns[ours], baseline, fns[baseline], versions)


if __name__ == "__main__":
    main()
