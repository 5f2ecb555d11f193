"""arichat.CampaignBundle, arichat.assign_table and arichat.CampaignCache (src/campaign.rs).

The shared vectors (tests/vectors/campaigns.json) hold Python to Rust's answers; the cache
tests need the redis-server test.sh starts (ARICHAT_REDIS_URL, ARICHAT_REDIS_SERVER) and
skip without it, except under CI=true; the Spark test runs in local mode like test_spark.py.
"""

import json
import os
import socket
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from arichat import (
    CampaignBundle,
    CampaignCache,
    InvalidCampaignError,
    InvalidConfigError,
    StoreUnavailableError,
    UnknownVariantError,
    assign_table,
)

ROOT = Path(__file__).resolve().parents[3]
VECTORS = json.loads((ROOT / "tests/vectors/campaigns.json").read_text())
NOW = datetime.fromisoformat(VECTORS["now"].replace("Z", "+00:00"))
BANK = ROOT / "examples/campaigns/bank.toml"
CUSTOMERS = ROOT / "examples/campaigns/customers.csv"
BANK_NOW = datetime(2026, 12, 3, 6, 0, tzinfo=timezone.utc)


def vector_bundle() -> CampaignBundle:
    return CampaignBundle.from_json(json.dumps(VECTORS["bundle"]))


def customers() -> pd.DataFrame:
    return pd.read_csv(CUSTOMERS, sep=";")


def row_by_row(bundle: CampaignBundle, df: pd.DataFrame, now: datetime) -> List[Dict[str, Any]]:
    """assign_table's rows, computed with assign one customer at a time."""
    out = []
    for row in df.to_dict("records"):
        record = {str(k): v for k, v in row.items()}
        cid = record.pop("customer_id")
        for a in bundle.assign(cid, record, now):
            out.append({
                "customer_id": cid,
                "campaign_id": a["campaign_id"],
                "variant": a.get("variant"),
                "reason": a["reason"],
                "rule_path": a["rule_path"],
                "bucket": a["bucket"],
                "offer": None if a["offer"] is None else json.loads(json.dumps(a["offer"])),
            })
    return out


def table_rows(table: Any) -> List[Dict[str, Any]]:
    rows = table.to_pylist()
    for r in rows:
        r["offer"] = None if r["offer"] is None else json.loads(r["offer"])
    return rows


# ---- the shared vectors ------------------------------------------------------------


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["customer_id"])
def test_vectors_assign_and_explain(case: Dict[str, Any]) -> None:
    bundle = vector_bundle()
    got = bundle.assign(case["customer_id"], case["attributes"], NOW)
    assert got == case["expected"]["assignments"], case["note"]
    assert bundle.explain(case["customer_id"], case["attributes"], NOW) == case["expected"]["explain"]


def test_vectors_expiry_and_buckets() -> None:
    entry = vector_bundle().assign_set("anyone", {}, NOW)
    assert entry["expires_at"].replace("Z", "+00:00") == VECTORS["expiry"]["expires_at"].replace("Z", "+00:00")
    assert entry["stale_until"].replace("Z", "+00:00") == VECTORS["expiry"]["stale_until"].replace("Z", "+00:00")
    # The split hash, through a one-campaign bundle seeded as the probe (a bundle's seed
    # cannot be empty, so the empty-seed probe is Rust's alone).
    for probe in [p for p in VECTORS["buckets"] if p["seed"]]:
        b = CampaignBundle.from_json(json.dumps({"version": "1", "seed": probe["seed"], "campaigns": [{"id": "x"}]}))
        assert b.assign(probe["customer_id"], {}, NOW)[0]["bucket"] == probe["bucket"]


@pytest.mark.parametrize("case", VECTORS["errors"], ids=lambda c: c["note"])
def test_vectors_refused_bundles(case: Dict[str, Any]) -> None:
    with pytest.raises(InvalidCampaignError) as e:
        CampaignBundle.from_json(json.dumps(case["bundle"]))
    assert e.value.code == case["expected"]["code"]  # type: ignore[attr-defined]
    if case["expected"]["path"]:
        assert case["expected"]["path"] in str(e.value)


# ---- the bank example --------------------------------------------------------------


def test_bundle_load_repr_and_ids() -> None:
    bundle = CampaignBundle.load(BANK)
    assert bundle.version == "bank-2026-12-03"
    assert "term_deposit_premium" in bundle.campaign_ids
    assert "CampaignBundle(version=" in repr(bundle)
    assert CampaignBundle.from_json(bundle.to_json()).campaign_ids == bundle.campaign_ids


def test_bundle_load_reads_the_format_from_the_name(tmp_path: Path) -> None:
    as_json = tmp_path / "bank.JSON"
    as_json.write_text(CampaignBundle.load(BANK).to_json(), encoding="utf-8")
    assert CampaignBundle.load(as_json).version == "bank-2026-12-03"
    # Was read as TOML whatever its name; now the core's rule, as in the CLI.
    other = tmp_path / "bank.cfg"
    other.write_text(BANK.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InvalidConfigError, match=r"bank.cfg must end in \.toml or \.json"):
        CampaignBundle.load(other)


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow", "dict"])
def test_assign_table_equals_assign_row_by_row(kind: str) -> None:
    # Uncapped: row by row cannot count max_assignments (see the next test).
    bundle = CampaignBundle.from_toml(BANK.read_text().replace("max_assignments = 10", ""))
    df = customers()
    table: Any = {
        "pandas": df,
        "polars": pl.from_pandas(df),
        "pyarrow": pa.Table.from_pandas(df, preserve_index=False),
        "dict": {k: list(v) for k, v in df.to_dict("list").items()},
    }[kind]
    out = assign_table(bundle, table, now=BANK_NOW)
    assert isinstance(out, pa.Table)
    assert out.schema.names == ["customer_id", "campaign_id", "variant", "reason", "rule_path", "bucket", "offer"]
    assert out.schema.field("bucket").type == pa.uint16()
    assert table_rows(out) == row_by_row(bundle, df, BANK_NOW)
    reasons = set(out.column("reason").to_pylist())
    assert {"targeting_match", "split"} <= reasons


def test_assign_table_counts_caps_in_row_order() -> None:
    capped = assign_table(CampaignBundle.load(BANK), customers(), now=BANK_NOW)
    mortgage = [r for r in capped.to_pylist() if r["campaign_id"] == "mortgage_refinance"]
    assert len(mortgage) == 10


def test_assign_table_counts_caps_across_record_batches() -> None:
    bundle = CampaignBundle.from_toml('version = "1"\n[[campaigns]]\nid = "cap"\nmax_assignments = 3\n')
    table = pa.Table.from_pydict({"customer_id": [f"c{i}" for i in range(10)]})
    batches = pa.Table.from_batches(table.to_batches(max_chunksize=2))
    assert batches.column("customer_id").num_chunks == 5
    out = assign_table(bundle, batches, now=NOW)
    assert out.column("customer_id").to_pylist() == ["c0", "c1", "c2"]


def test_assign_table_finds_the_id_column_as_the_cli_does() -> None:
    # No id_column: customer_id, else id, else each row's number from 1 (IdColumn in
    # the core; `arichat assign` resolves the same way), counted across record batches.
    bundle = CampaignBundle.from_toml('version = "1"\n[[campaigns]]\nid = "all"\n')
    by_id = assign_table(bundle, pa.table({"id": ["x", "y"], "age": [1, 2]}), now=NOW)
    assert by_id.column("customer_id").to_pylist() == ["x", "y"]
    both = pa.table({"id": ["x", "y"], "customer_id": ["c1", "c2"]})
    assert assign_table(bundle, both, now=NOW).column("customer_id").to_pylist() == ["c1", "c2"]
    assert assign_table(bundle, both, id_column="id", now=NOW).column("customer_id").to_pylist() == ["x", "y"]
    anonymous = pa.Table.from_batches(pa.table({"age": [30, 40, 50]}).to_batches(max_chunksize=2))
    assert assign_table(bundle, anonymous, now=NOW).column("customer_id").to_pylist() == ["1", "2", "3"]


def test_assign_table_bad_input() -> None:
    bundle = CampaignBundle.load(BANK)
    with pytest.raises(InvalidCampaignError, match="no id column"):
        assign_table(bundle, customers(), id_column="nope", now=BANK_NOW)
    with pytest.raises(InvalidCampaignError, match="null"):
        assign_table(bundle, pa.table({"customer_id": ["a", None]}), now=BANK_NOW)
    # Whole-number ids are read as text.
    out = assign_table(CampaignBundle.from_toml('version = "1"\n[[campaigns]]\nid = "all"\n'),
                       pd.DataFrame({"customer_id": [7, 8]}), now=BANK_NOW)
    assert out.column("customer_id").to_pylist() == ["7", "8"]


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CampaignBundle.load(BANK).assign("x", {}, datetime(2026, 12, 3))


# ---- the Redis cache ----------------------------------------------------------------


def _required_env(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not set under CI=true: run bindings/python/test.sh, which starts redis-server")
    pytest.skip(f"{name} is not set (see scripts/redis-server.sh)")


@pytest.fixture
def redis_url() -> str:
    return _required_env("ARICHAT_REDIS_URL")


@pytest.fixture
def prefix() -> str:
    return f"arichat-pytest:{uuid.uuid4().hex}"


def _pttl(url: str, key: str) -> int:
    """PTTL through redis-cli-less RESP over a socket (no Python Redis client needed)."""
    rest = url.removeprefix("redis://")
    auth, hostport = rest.split("@")
    host, port = hostport.split("/")[0].split(":")
    password = auth.rsplit(":", 1)[-1]
    with socket.create_connection((host, int(port)), timeout=2) as s:
        def cmd(*args: str) -> bytes:
            s.sendall(f"*{len(args)}\r\n".encode() + b"".join(f"${len(a)}\r\n{a}\r\n".encode() for a in args))
            return s.recv(4096)
        assert cmd("AUTH", password).startswith(b"+OK")
        reply = cmd("PTTL", key)
    assert reply.startswith(b":"), reply
    return int(reply[1:].strip())


def test_write_table_sets_json_with_pttl_and_get_serves_cached(redis_url: str, prefix: str) -> None:
    bundle = CampaignBundle.load(BANK)
    cache = CampaignCache(redis_url, bundle, prefix=prefix, batch_size=10)
    df = customers()
    now = datetime.now(timezone.utc)
    assert cache.write_table(df, now=now) == len(df)  # one entry per customer, even without campaigns
    key = cache.key("bk-00001")
    assert key == f"{prefix}:campaigns:bk-00001"
    pttl = _pttl(redis_url, key)
    assert 30 * 3600 * 1000 - 60_000 < pttl <= 30 * 3600 * 1000, pttl
    stored = cache.read("bk-00001")
    assert stored is not None and stored["bundle_version"] == bundle.version
    record = {str(k): v for k, v in df.iloc[0].to_dict().items()}
    cid = record.pop("customer_id")
    assert stored["assignments"] == bundle.assign(cid, record, now)
    # Fresh: served as cached, the lookup is not called.
    served = cache.get("bk-00001", lambda _id: pytest.fail("no lookup for a fresh entry"), now)
    assert served is not None
    assert [a["reason"] for a in served["assignments"]] == [
        "holdout" if a["reason"] == "holdout" else "cached" for a in stored["assignments"]]
    assert "password" not in repr(cache) and redis_url not in repr(cache)


def test_get_recomputes_missing_and_serves_stale_while_revalidating(redis_url: str, prefix: str) -> None:
    bundle = CampaignBundle.from_toml('version = "v1"\n[[campaigns]]\nid = "seniors"\neligibility = { field = "age", gte = 60 }\n')
    cache = CampaignCache(redis_url, bundle, prefix=prefix)
    calls: List[str] = []

    def lookup(customer_id: str) -> Dict[str, Any]:
        calls.append(customer_id)
        return {"age": 70}

    first = cache.get("c-1", lookup, NOW)
    assert first is not None and [a["reason"] for a in first["assignments"]] == ["targeting_match"]
    assert calls == ["c-1"]
    stale = cache.get("c-1", lookup, NOW + timedelta(hours=25))
    assert stale is not None and [a["reason"] for a in stale["assignments"]] == ["stale"]
    assert calls == ["c-1", "c-1"]
    again = cache.get("c-1", {"age": 70}, NOW + timedelta(hours=25))
    assert again is not None and [a["reason"] for a in again["assignments"]] == ["cached"]
    assert cache.get("nobody", None, NOW) is None
    assert cache.get("nobody", lambda _id: None, NOW) is None

    def broken(_id: str) -> Dict[str, Any]:
        raise KeyError("core banking API down")

    with pytest.raises(KeyError, match="core banking"):
        cache.get("c-2", broken, NOW)
    # write() takes the entries assign_set gives.
    entry = bundle.assign_set("c-3", {"age": 61}, NOW)
    assert cache.write([entry], NOW) == 1
    assert cache.read("c-3") == entry


def test_bad_configuration(redis_url: str) -> None:
    bundle = CampaignBundle.load(BANK)
    with pytest.raises(UnknownVariantError):
        CampaignCache(redis_url, bundle, on_unavailable="ignore")  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_closed_port_is_store_unavailable(redis_url: str) -> None:
    port = _free_port()
    with pytest.raises(StoreUnavailableError) as e:
        CampaignCache(f"redis://:hunter2secret@127.0.0.1:{port}/0", CampaignBundle.load(BANK))
    assert e.value.code == "store_unavailable"  # type: ignore[attr-defined]
    assert "hunter2secret" not in str(e.value)


@pytest.fixture
def private_server() -> Iterator[str]:
    binary = _required_env("ARICHAT_REDIS_SERVER")
    port = _free_port()
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.025)
    yield url
    proc.kill()
    proc.wait()


def test_redis_down_is_an_error_or_the_stale_copy(private_server: str) -> None:
    bundle = CampaignBundle.from_toml('version = "v1"\n[[campaigns]]\nid = "all"\n')
    strict = CampaignCache(private_server, bundle, io_timeout=0.5, connect_timeout=0.5)
    lenient = CampaignCache(private_server, bundle, on_unavailable="stale", io_timeout=0.5, connect_timeout=0.5)
    assert strict.get("c-1", {}, NOW) is not None
    assert lenient.get("c-1", {}, NOW) is not None
    port = int(private_server.rsplit(":", 1)[1].split("/")[0])
    # Stop the server through its own SHUTDOWN, as an outage would.
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n")
        s.recv(64)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            time.sleep(0.025)
        except OSError:
            break
    with pytest.raises(StoreUnavailableError):
        strict.get("c-1", {}, NOW)
    served = lenient.get("c-1", {}, NOW + timedelta(hours=25))
    assert served is not None and [a["reason"] for a in served["assignments"]] == ["stale"]
    with pytest.raises(StoreUnavailableError):
        lenient.get("c-2", {}, NOW)


# ---- Spark (local mode) ---------------------------------------------------------------


def test_spark_map_in_arrow_equals_single_process() -> None:
    import sys
    sys.path.insert(0, str(ROOT / "examples" / "spark"))
    import score_leads  # type: ignore[import-not-found]

    # Caps count per partition in Spark, so the capped campaign is left uncapped here.
    text = BANK.read_text().replace("max_assignments = 10", "")
    df = customers()
    spark = score_leads.session("local[2]")
    try:
        sdf = spark.createDataFrame(df).repartition(3)

        def assign(batches: Iterator[Any]) -> Iterator[Any]:
            import pyarrow as pa
            from arichat import CampaignBundle, assign_table
            bundle = CampaignBundle.from_toml(text)
            for b in batches:
                out = assign_table(bundle, pa.Table.from_batches([b]), now=BANK_NOW)
                out = out.set_column(5, "bucket", out.column("bucket").cast(pa.int32()))
                yield from out.to_batches()

        schema = ("customer_id string, campaign_id string, variant string, reason string, "
                  "rule_path string, bucket int, offer string")
        got = [r.asDict() for r in sdf.mapInArrow(assign, schema).collect()]
    finally:
        spark.stop()
    bundle = CampaignBundle.from_toml(text)
    want = table_rows(assign_table(bundle, df, now=BANK_NOW))
    for r in got:
        r["offer"] = None if r["offer"] is None else json.loads(r["offer"])
    key = lambda r: (r["customer_id"], r["campaign_id"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)
    assert len(got) > len(df) // 2
