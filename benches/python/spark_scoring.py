"""Batch scoring in Spark (local mode) beside the same rows scored in one process.

One run, the same 1,000,000 generated leads (the demo scorecard's fields), written once
to Parquet. Timed in the same process:

- arichat `Scorecard.score_table` on the whole pyarrow Table, single process (baseline);
- Spark `local[2]`: read the Parquet, `mapInArrow` with the scorecard
  (examples/spark/score_leads.py), aggregate the totals — the same checksum as the
  baseline is asserted;
- Spark `local[2]` with an identity `mapInArrow` (the same trip to Python and back, no
  scoring): Spark's own floor;
- Spark `local[2]` with a row-at-a-time Python UDF calling `Scorecard.score` (what a data
  team writes without Arrow), on a 10% sample, scaled.

    target/py-venv/bin/python benches/python/spark_scoring.py --rows 1000000
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "spark"))

import arichat  # noqa: E402
import score_leads  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    card_path = score_leads.DEMO_CARD
    card = arichat.Scorecard.from_file(card_path)
    table = pa.Table.from_pylist(score_leads.demo_rows(args.rows))

    t = time.perf_counter()
    baseline = card.score_table(table)
    single = time.perf_counter() - t
    checksum = round(sum(baseline.column("total").to_pylist()), 6)

    spark = score_leads.session()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "leads.parquet")
        pq.write_table(table, path, row_group_size=125_000)
        df = spark.read.parquet(path)
        df.count()  # warm the JVM and the file listing
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            scored = score_leads.score_dataframe(df, card_path)
            total = scored.agg({"total": "sum"}).collect()[0][0]
            best = min(best, time.perf_counter() - t)
        assert round(total, 6) == checksum, (total, checksum)

        # Spark's own floor: the same batches to Python and back with no scoring.
        def identity(batches):  # type: ignore[no-untyped-def]
            yield from batches

        floor = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            df.mapInArrow(identity, df.schema).agg({"lead_id": "sum"}).collect()
            floor = min(floor, time.perf_counter() - t)

        from pyspark.sql.functions import udf

        card_text = card.to_toml()

        @udf("double")
        def row_udf(channel, from_ad, has_phone, country):  # type: ignore[no-untyped-def]
            global _CARD
            try:
                c = _CARD
            except NameError:
                c = _CARD = arichat.Scorecard.from_toml(card_text)
            lead = {"channel": channel, "from_ad": from_ad, "has_phone": has_phone, "country": country}
            return c.score({k: v for k, v in lead.items() if v is not None})["total"]

        sample = df.sample(fraction=0.1, seed=7)
        n_sample = sample.count()
        t = time.perf_counter()
        sample.select(row_udf("channel", "from_ad", "has_phone", "country").alias("t")).agg({"t": "sum"}).collect()
        udf_time = (time.perf_counter() - t) * args.rows / max(n_sample, 1)
    spark.stop()

    print(f"rows: {args.rows:,}; pyspark local[2] on {__import__('os').cpu_count()} cores")
    print(f"{'path':58} {'time':>9} {'rows/s':>11} {'÷ single':>9}")
    for name, secs in [
        ("arichat score_table, one process (baseline)", single),
        ("Spark local[2] mapInArrow + arichat (read parquet, score, sum)", best),
        ("Spark local[2] mapInArrow identity (Spark's floor, no scoring)", floor),
        ("Spark local[2] row-at-a-time Python UDF (10% sample, scaled)", udf_time),
    ]:
        print(f"{name:58} {secs:8.3f}s {args.rows / secs:11,.0f} {secs / single:9.2f}")


if __name__ == "__main__":
    main()
