"""The table of benches/run: min and median speedup per benchmark, case and contender over
the rounds in a records file (benches/record.py), with every version the records name.

    python3 benches/report.py target/bench/records.jsonl
"""
from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict


def main() -> None:
    rows: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    versions: dict[str, set[str]] = defaultdict(set)
    rounds: set[int] = set()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows[(r["bench"], r["case"], r["contender"])].append(r["speedup"])
            rounds.add(r["round"])
            for k, v in r["versions"].items():
                versions[k].add(str(v))
    if not rows:
        sys.exit(f"{sys.argv[1]}: no records")
    print(f"Speedup = the contender's time ÷ arichat's time for the same work (> 1: arichat is faster), "
          f"over {len(rounds)} interleaved rounds.\n")
    print("| benchmark | case | contender | min | median | rounds |")
    print("|---|---|---|---|---|---|")
    for (bench, case, contender), xs in rows.items():
        print(f"| {bench} | {case} | {contender} | {min(xs):.2f} | {statistics.median(xs):.2f} | {len(xs)} |")
    print("\nVersions: " + ", ".join(f"{k} {'/'.join(sorted(v))}" for k, v in sorted(versions.items())))


if __name__ == "__main__":
    main()
