"""Ratio records for benches/run: each bench script calls `record(...)` once per
contender and round; nothing happens unless ARICHAT_BENCH_RECORD names a file (the runner
sets it), so the scripts print and behave as before when run alone.

A record is one JSON line: which benchmark and case, the contender, the baseline it is
compared with, both times (seconds for the same work) and the versions involved.
`speedup` is baseline time ÷ arichat time, > 1 when arichat is faster. benches/report.py
turns the file into the table of BENCHMARKS.md.
"""
from __future__ import annotations

import json
import os


def record(bench: str, case: str, arichat_secs: float, contender: str, contender_secs: float,
           versions: dict[str, str] | None = None) -> None:
    path = os.environ.get("ARICHAT_BENCH_RECORD")
    if not path:
        return
    line = {
        "bench": bench,
        "case": case,
        "contender": contender,
        "arichat_secs": arichat_secs,
        "contender_secs": contender_secs,
        "speedup": contender_secs / arichat_secs,
        "round": int(os.environ.get("ARICHAT_BENCH_ROUND", "0")),
        "versions": versions or {},
    }
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
