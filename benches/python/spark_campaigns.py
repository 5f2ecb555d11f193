"""The daily campaign batch in Spark (local mode) beside one process and pandas.

One run, the 50-campaign bundle of the Rust and Kotlin benches (campaigns_table.py's
`bundle_50`) over the bank customers repeated to `--rows` rows, written once to Parquet.
Timed in the same process, best of `--rounds`:

- arichat `assign_table` on the whole pyarrow Table, one process;
- Spark `local[2]`: read the Parquet, `mapInArrow` with the bundle (its JSON text, parsed
  once per task), count the assignments: the same count as one process is asserted (the
  bundle has no per-campaign cap, which Spark would count per partition);
- the pandas twin (`by_hand_50`) on the same rows, arrays out.

    benches/python/release_venv.sh-built venv with pyspark:
    target/bench-venv/bin/python benches/python/spark_campaigns.py --rows 1000000
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "spark"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import arichat  # noqa: E402
import campaigns_table  # noqa: E402
import score_leads  # noqa: E402

NOW = campaigns_table.NOW


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    bundle = campaigns_table.bundle_50()
    text = bundle.to_json()
    df = campaigns_table.load(args.rows)
    table = pa.Table.from_pandas(df, preserve_index=False)
    # Spark reads a dot in a column name as a struct field (`emp.var.rate`); the bundle
    # reads none of those columns.
    table = table.rename_columns([c.replace(".", "_") for c in table.column_names])

    def best(fn: Any) -> tuple[float, Any]:
        times, out = [], None
        for _ in range(args.rounds):
            t = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - t)
        return min(times), out

    single, out = best(lambda: arichat.assign_table(bundle, table, now=NOW))
    expected = out.num_rows
    pandas_time, twin = best(lambda: campaigns_table.by_hand_50(df))
    assert sum(len(rows) for rows, _, _ in twin) == expected, "pandas twin and arichat differ"

    spark = score_leads.session("local[2]")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "customers.parquet")
            pq.write_table(table, path, row_group_size=125_000)
            sdf = spark.read.parquet(path)
            sdf.count()  # warm the JVM and the file listing

            def assign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
                b = arichat.CampaignBundle.from_json(text)
                for batch in batches:
                    assigned = arichat.assign_table(b, pa.Table.from_batches([batch]), now=NOW)
                    yield pa.record_batch([pa.array([assigned.num_rows], pa.int64())], names=["n"])

            spark_time, n = best(lambda: sdf.mapInArrow(assign, "n long").agg({"n": "sum"}).collect()[0][0])
    finally:
        spark.stop()
    assert n == expected, (n, expected)

    print(f"rows: {args.rows:,}; 50 campaigns; {expected:,} assignments; pyspark local[2] on {os.cpu_count()} cores")
    print(f"{'path':62} {'time':>8} {'customers/s':>12}")
    for name, secs in [
        ("arichat assign_table, one process (pyarrow Table)", single),
        ("Spark local[2]: read Parquet, mapInArrow + arichat, count", spark_time),
        ("hand-written pandas/NumPy (by_hand_50), one process", pandas_time),
    ]:
        print(f"{name:62} {secs:7.2f}s {args.rows / secs:12,.0f}")


if __name__ == "__main__":
    main()
