"""A CSV file to scores, end to end, in one run (issue 18 point 1):

  (a) `arichat score --scorecard CARD FILE > /dev/null`, the streaming CLI (a
      subprocess: its wall time includes process start and writing every row back);
  (b) `pandas.read_csv(FILE, sep=";")` then `Scorecard.score_table(frame)`, the
      Python columnar path a data team would write (scores only, nothing written);
  (c) `pyarrow.csv.read_csv(FILE)` then `Scorecard.score_table(table)`.

Interleaved over rounds; medians and ratios to (a). Both sides use the same 25-rule
card (benches/cli/bank25.toml) and the same file (benches/cli/score_stream.sh makes
target/bench/bank_1m.csv). Run from the repository root with a release build of the
binding and of the CLI:

    bash -c '. benches/python/release_venv.sh && python benches/python/score_csv.py \\
        --cli "$CARGO_TARGET_DIR/release/arichat" --file target/bench/bank_1m.csv'
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

import pandas as pd
import pyarrow.csv as pacsv  # type: ignore[import-untyped]

import arichat


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--file", default="target/bench/bank_1m.csv")
    ap.add_argument("--card", default="benches/cli/bank25.toml")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    card = arichat.Scorecard.from_file(args.card)
    rows = sum(1 for _ in open(args.file, "rb")) - 1

    def cli() -> None:
        with open("/dev/null", "wb") as null:
            subprocess.run([args.cli, "score", "--scorecard", args.card, args.file], stdout=null, check=True)

    def pandas_path() -> None:
        frame = pd.read_csv(args.file, sep=";")
        out = card.score_table(frame, allow_missing=True)
        assert len(out) == rows

    def arrow_path() -> None:
        table = pacsv.read_csv(args.file, parse_options=pacsv.ParseOptions(delimiter=";"))
        out = card.score_table(table, allow_missing=True)
        assert out.num_rows == rows

    paths = {"arichat score (CLI, streaming)": cli, "pandas.read_csv + score_table": pandas_path,
             "pyarrow.csv.read_csv + score_table": arrow_path}
    times: dict[str, list[float]] = {k: [] for k in paths}
    for _ in range(args.rounds):
        for name, f in paths.items():
            t = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t)
    base = statistics.median(times["arichat score (CLI, streaming)"])
    print(f"{rows:,} rows of {Path(args.file).name}, {args.rounds} interleaved rounds, medians")
    print("| path | wall (median) | rows/s | ÷ CLI |\n|---|---|---|---|")
    for name, ts in times.items():
        m = statistics.median(ts)
        print(f"| {name} | {m:.2f} s | {rows / m / 1e6:.2f} M | {m / base:.2f} |")


if __name__ == "__main__":
    main()
