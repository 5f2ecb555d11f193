"""The daily campaign batch from Python, in one run:

  (a) `arichat.assign_table` with examples/campaigns/bank.toml on 1,000,000 rows (the
      41,188 customers of ../shared/datasets/bank-additional-full.csv repeated, ids
      `c0000000`...), from a pandas DataFrame and from a pyarrow Table;
  (b) the same rules hand-written in pandas/NumPy: the scorecard grade, segments, the
      date window, the FNV-1a split hash of every split campaign, exclusion groups,
      `max_per_customer`, the capped campaign and the fallback;
  (c) `CampaignCache.write_table` into a local redis-server: entries per second through
      pipelined `SET ... PX` (batch sizes 1 and 1,000), on 100,000 customers.

With `--bundle 50`, (a) and (b) use the 50-campaign bundle of the Rust and Kotlin
benches instead (crates/arichat-core/examples/support/bank_campaigns.rs: five rule shapes
with parameters per campaign, a scorecard grade, 17 campaigns in 10 exclusion groups, 13
with a 10 % holdout, max_per_customer = 5), printed by Rust (`cargo run -p
arichat-mobile --example bench_bundle`), with its own pandas twin.

(a) and (b) run in interleaved rounds; before timing, (b)'s (customer, campaign, reason)
triples are checked equal to (a)'s. Run through campaigns_table.sh (release wheel).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import time
import uuid
from datetime import datetime, timezone
from typing import Callable, Dict, List, Tuple

import numpy as np
import pandas as pd
import pyarrow as pa

import arichat

ROOT = pathlib.Path(__file__).resolve().parents[2]
BANK = ROOT / "examples/campaigns/bank.toml"
DATA = ROOT.parent / "shared/datasets/bank-additional-full.csv"
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=timezone.utc)

FNV_OFFSET = np.uint64(0xCBF29CE484222325)
FNV_PRIME = np.uint64(0x100000001B3)


def load(rows: int) -> pd.DataFrame:
    base = pd.read_csv(DATA, sep=";")
    reps = -(-rows // len(base))
    df = pd.concat([base] * reps, ignore_index=True).iloc[:rows].copy()
    df.insert(0, "customer_id", [f"c{i:07d}" for i in range(rows)])
    return df


def buckets(ids: np.ndarray, seed: str) -> np.ndarray:
    """FNV-1a-64(seed ':' id) mod 10000 over fixed-width ASCII ids, vectorized."""
    with np.errstate(over="ignore"):  # FNV multiplies modulo 2^64 on purpose
        h = FNV_OFFSET
        for b in (seed + ":").encode():
            h = (h ^ np.uint64(b)) * FNV_PRIME
        state = np.full(len(ids), h, dtype=np.uint64)
        for col in range(ids.shape[1]):
            state = (state ^ ids[:, col].astype(np.uint64)) * FNV_PRIME
    return (state % np.uint64(10000)).astype(np.int64)


def by_hand(df: pd.DataFrame) -> List[Tuple[np.ndarray, str, np.ndarray]]:
    """bank.toml's campaigns as pandas: per campaign, the rows assigned and their reasons
    (arrays, as a vectorized job keeps them)."""
    n = len(df)
    ids = np.frombuffer("".join(df["customer_id"]).encode(), dtype=np.uint8).reshape(n, -1)
    total = (
        50 * (df["poutcome"] == "success")
        + 15 * (df["previous"] >= 1)
        + 10 * (df["contact"] == "cellular")
        + 25 * df["job"].isin(["student", "retired"])
        - 60 * (df["default"] == "yes")
    ).to_numpy()
    grade = np.where(total >= 75, "a", np.where(total >= 50, "b", np.where(total >= 25, "c", "d")))
    contacted = (df["pdays"] < 7).to_numpy()
    debt_free = ((df["default"] == "no") & (df["loan"] == "no")).to_numpy()
    job = df["job"].to_numpy()
    age = df["age"].to_numpy()
    # (id, eligible, group, holdout %, rollout % or None, variants?, cap), by priority.
    campaigns = [
        ("term_deposit_premium", (grade == "a") & ~contacted, "savings", 10, None, False, None),
        ("term_deposit", np.isin(grade, ["b", "c"]) & debt_free & ~contacted, "savings", 0, None, True, None),
        ("pension_advance", (job == "retired") & (age >= 60), "lending", 0, None, False, None),
        ("student_account", (job == "student") | (age < 25), None, 0, None, False, None),
        ("business_credit", np.isin(job, ["entrepreneur", "self-employed"]) & (df["default"] != "yes").to_numpy(),
         "lending", 0, None, False, None),
        ("mortgage_refinance", (df["housing"] == "yes").to_numpy() & debt_free & (age >= 30) & (age < 56),
         "lending", 0, None, False, 10),
        ("app_onboarding", (df["contact"] == "telephone").to_numpy(), None, 0, 50, False, None),
    ]
    held: Dict[str, np.ndarray] = {}
    count = np.zeros(n, dtype=np.int64)
    out: List[Tuple[np.ndarray, str, str]] = []
    for cid, eligible, group, holdout, rollout, variants, cap in campaigns:
        take = eligible & (count < 3)
        if group is not None and group in held:
            take &= ~held[group]
        reason = np.full(n, "targeting_match", dtype=object)
        if holdout or rollout is not None or variants:
            b = buckets(ids, cid)
            end = holdout * 100 + (rollout if rollout is not None else 100 - holdout) * 100
            take &= b < end
            reason[:] = "split"
            reason[b < holdout * 100] = "holdout"
        if cap is not None:
            take &= np.cumsum(take) <= cap
        if group is not None:
            held[group] = held.get(group, np.zeros(n, dtype=bool)) | take
        count += take
        rows = np.flatnonzero(take)
        out.append((rows, cid, reason[rows] if rows.size else np.array([], dtype=object)))
    fallback = np.flatnonzero(count == 0)
    out.append((fallback, "financial_checkup", np.full(len(fallback), "default", dtype=object)))
    return out


JOBS = ["admin.", "blue-collar", "technician", "services", "management", "retired",
        "entrepreneur", "self-employed", "housemaid", "unemployed", "student"]
MONTHS = ["may", "jun", "jul", "aug", "nov", "apr", "oct", "sep", "mar", "dec"]


def params(i: int) -> Dict[str, object]:
    """Campaign i's parameters, as bank_campaigns.rs's Params::of gives them: the pandas
    twin is hand-written from them (check() holds it to the bundle Rust prints)."""
    shape = i % 5
    number = {0: 20 + (i * 3) % 40, 1: 30 + (i * 7) % 35, 2: 1 + i % 3}.get(shape, 100 + (i * 13) % 400)
    return {
        "shape": shape, "job_a": JOBS[i % 11], "job_b": JOBS[(i + 3) % 11], "number": number,
        "good_grades": i % 2 == 0, "marital": "married" if i % 2 == 0 else "single",
        "month_a": MONTHS[i % 10], "month_b": MONTHS[(i + 1) % 10],
        "group": i % 10 if i % 3 == 0 else None, "holdout": i % 4 == 0,
    }


def bundle_50() -> arichat.CampaignBundle:
    """The 50-campaign bundle of the Rust and Kotlin benches, as Rust prints it
    (bindings/mobile/examples/bench_bundle.rs over bank_campaigns.rs): the same campaigns
    everywhere, written once."""
    out = subprocess.run(
        ["cargo", "run", "--release", "--quiet", "-p", "arichat-mobile", "--example", "bench_bundle"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    return arichat.CampaignBundle.from_json(out)


def by_hand_50(df: pd.DataFrame) -> List[Tuple[np.ndarray, str, np.ndarray]]:
    """bundle_50's campaigns as pandas: per campaign, the rows assigned and their reasons."""
    n = len(df)
    ids = np.frombuffer("".join(df["customer_id"]).encode(), dtype=np.uint8).reshape(n, -1)
    col = {c: df[c].to_numpy() for c in ["job", "marital", "default", "housing", "loan", "contact",
                                         "month", "poutcome", "age", "duration", "pdays", "previous"]}
    total = (50 * (col["poutcome"] == "success") + 15 * (col["previous"] >= 1)
             + 10 * (col["contact"] == "cellular") + 25 * np.isin(col["job"], ["student", "retired"])
             - 60 * (col["default"] == "yes"))
    good, grade_c = total >= 50, (total >= 25) & (total < 50)
    debt_free = (col["default"] == "no") & (col["loan"] == "no")
    not_recent = ~(col["pdays"] < 7)
    cellular = col["contact"] == "cellular"
    held: Dict[int, np.ndarray] = {}
    count = np.zeros(n, dtype=np.int64)
    out: List[Tuple[np.ndarray, str, np.ndarray]] = []
    for i in range(50):
        p = params(i)
        shape, number = p["shape"], p["number"]
        if shape == 0:
            eligible = np.isin(col["job"], [p["job_a"], p["job_b"]]) & (col["age"] >= number)
        elif shape == 1:
            eligible = debt_free & (col["housing"] == "yes") & (col["age"] < number)
        elif shape == 2:
            eligible = ((col["poutcome"] == "success") | (col["previous"] >= number)) & not_recent
        elif shape == 3:
            eligible = (good if p["good_grades"] else grade_c) & (col["marital"] == p["marital"])
        else:
            eligible = cellular & np.isin(col["month"], [p["month_a"], p["month_b"]]) & (col["duration"] >= number)
        take = eligible & (count < 5)
        group = p["group"]
        if group is not None and group in held:
            take &= ~held[group]  # type: ignore[index]
        cid = f"c{i:02d}"
        if p["holdout"]:
            reason = np.where(buckets(ids, cid) < 1000, "holdout", "split").astype(object)
        else:
            reason = np.full(n, "targeting_match", dtype=object)
        if group is not None:
            held[group] = held.get(group, np.zeros(n, dtype=bool)) | take  # type: ignore[index, call-overload]
        count += take
        rows = np.flatnonzero(take)
        out.append((rows, cid, reason[rows]))
    return out


Twin = Callable[[pd.DataFrame], List[Tuple[np.ndarray, str, np.ndarray]]]


def check(df: pd.DataFrame, bundle: arichat.CampaignBundle, twin: Twin = by_hand) -> int:
    table = arichat.assign_table(bundle, df, now=NOW)
    row_of = {cid: i for i, cid in enumerate(df["customer_id"])}
    got = sorted(zip((row_of[c] for c in table.column("customer_id").to_pylist()),
                     table.column("campaign_id").to_pylist(), table.column("reason").to_pylist()))
    want = sorted(t for rows, cid, reasons in twin(df)
                  for t in zip(rows.tolist(), [cid] * len(rows), reasons.tolist()))
    if got != want:
        diff = sorted(set(got) ^ set(want))[:10]
        raise SystemExit(f"pandas and arichat disagree ({len(got)} vs {len(want)}): {diff}")
    return len(got)


def redis_write(bundle: arichat.CampaignBundle, df: pd.DataFrame) -> Dict[str, float]:
    url = os.environ.get("ARICHAT_REDIS_URL")
    if not url:
        return {}
    table = pa.Table.from_pandas(df, preserve_index=False)
    out = {}
    for batch in (1, 1000):
        cache = arichat.CampaignCache(url, bundle, prefix=f"bench:{uuid.uuid4().hex}", batch_size=batch)
        t = time.perf_counter()
        written = cache.write_table(table, now=NOW)
        out[f"write_table, batch_size={batch}"] = written / (time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--redis-rows", type=int, default=100_000)
    ap.add_argument("--bundle", choices=["bank", "50"], default="bank",
                    help="examples/campaigns/bank.toml (9 campaigns) or the 50-campaign bench bundle")
    args = ap.parse_args()
    bundle = arichat.CampaignBundle.load(BANK) if args.bundle == "bank" else bundle_50()
    twin = by_hand if args.bundle == "bank" else by_hand_50
    df = load(args.rows)
    table = pa.Table.from_pandas(df, preserve_index=False)
    n_assign = check(df.iloc[:50_000].reset_index(drop=True), bundle, twin)
    print(f"check: pandas == arichat on 50,000 rows ({n_assign} assignments)")
    paths = {
        "arichat.assign_table (pandas DataFrame)": lambda: arichat.assign_table(bundle, df, now=NOW),
        "arichat.assign_table (pyarrow Table)": lambda: arichat.assign_table(bundle, table, now=NOW),
        "hand-written pandas/NumPy": lambda: twin(df),
    }
    times: Dict[str, List[float]] = {k: [] for k in paths}
    for _ in range(args.rounds):
        for name, fn in paths.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    print(f"{args.rows:,} rows, {args.rounds} interleaved rounds (customers/s, best and worst):")
    for name, ts in times.items():
        print(f"  {name:42s} {args.rows / min(ts) / 1e3:8.0f} k  {args.rows / max(ts) / 1e3:8.0f} k")
    for name, rate in redis_write(bundle, df.iloc[: args.redis_rows]).items():
        print(f"  Redis {name:36s} {rate / 1e3:8.1f} k entries/s ({args.redis_rows:,} customers)")


if __name__ == "__main__":
    main()
