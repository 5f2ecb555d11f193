"""The bank's daily campaign job: customers from a CSV, today's campaigns for each, into
Redis for 24 hours (plus the bundle's 6-hour stale grace), then a reader's view.

    eval "$(scripts/redis-server.sh start)"          # or point ARICHAT_REDIS_URL at yours
    python examples/python/daily_campaigns.py [--csv ../shared/datasets/bank-additional-full.csv]

The CSV is `;`-separated like the UCI Bank Marketing data; without a `customer_id`
column, ids are made from the row number (`bk-00001`, ...). Marketing, sales staff and
the app's backend then read `arichat:campaigns:<customer_id>` (or `CampaignCache.get`,
which recomputes a missing entry from the customer's attributes).
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import time
from datetime import datetime, timezone

import pandas as pd

import arichat

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bundle", default=str(ROOT / "examples/campaigns/bank.toml"))
    ap.add_argument("--csv", default=str(ROOT.parent / "shared/datasets/bank-additional-full.csv"))
    ap.add_argument("--redis", default=os.environ.get("ARICHAT_REDIS_URL", "redis://127.0.0.1:6379/0"))
    ap.add_argument("--prefix", default="arichat")
    ap.add_argument("--now", help="RFC 3339 instant to assign at (default: now)")
    args = ap.parse_args()

    now = datetime.fromisoformat(args.now) if args.now else datetime.now(timezone.utc)
    bundle = arichat.CampaignBundle.load(args.bundle)
    customers = pd.read_csv(args.csv, sep=";")
    if "customer_id" not in customers.columns:
        customers.insert(0, "customer_id", [f"bk-{i + 1:05d}" for i in range(len(customers))])

    t = time.perf_counter()
    assignments = arichat.assign_table(bundle, customers, now=now)
    print(f"{len(customers):,} customers, {assignments.num_rows:,} assignments "
          f"in {time.perf_counter() - t:.2f} s (bundle {bundle.version})")
    print(assignments.group_by(["campaign_id", "reason"]).aggregate([("customer_id", "count")])
          .sort_by("campaign_id").to_pandas().to_string(index=False))

    # One entry per customer (also those without campaigns), SET ... PX pipelined.
    cache = arichat.CampaignCache(args.redis, bundle, prefix=args.prefix)
    t = time.perf_counter()
    written = cache.write_table(customers, now=now)
    print(f"wrote {written:,} entries to Redis in {time.perf_counter() - t:.2f} s "
          f"(key {cache.key('bk-00001')!r})")

    # What a reader sees: cached, and recomputed from the row when missing.
    row = customers.iloc[0].to_dict()
    cid = row.pop("customer_id")
    entry = cache.get(cid, lambda _id: row, now)
    print(json.dumps(entry, indent=2, default=str))


if __name__ == "__main__":
    main()
