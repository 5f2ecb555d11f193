"""Profiles from Python (bindings/python/src/profile.rs): the streaming ProfileSet and
the scheduled profiles_from_events over an Arrow table give the same profiles for the
same events (real webhook bodies from tests/vectors/normalize.json), profiles round-trip
through JSON, identities merge, and RFM cut points fit on a tenant's own profiles."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import arichat
from arichat import InvalidJsonError, ProfileSet

ROOT = Path(__file__).resolve().parents[3]
VECTORS = json.loads((ROOT / "tests" / "vectors" / "normalize.json").read_text())
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
INTERESTS = ["tubo", "credito", "zapato", "order", "pedido"]


def _events() -> List[Any]:
    out: List[Any] = []
    for case in VECTORS["cases"]:
        if "body_file" in case:
            body = (ROOT / case["body_file"]).read_bytes()
        else:
            body = case["body"].encode()
        try:
            out += arichat.normalize(case["channel"], body, received_at=T0, account=case.get("account"))
        except arichat.ArichatError:
            continue
    return out


EVENTS = _events()


def _message(n: int, identity: Dict[str, Any], at: datetime, text: str, direction: str = "inbound",
             author: str = "client") -> Dict[str, Any]:
    return {
        "idempotency_key": f"test:acct:msg:{n}",
        "channel": identity["channel"],
        "channel_account_id": "acct",
        "contact": {"identity": identity},
        "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kind": "message",
        "message_id": f"m{n}",
        "direction": direction,
        "author": author,
        "content": {"type": "text", "body": text},
    }


def test_streaming_and_the_table_job_give_the_same_profiles() -> None:
    assert len(EVENTS) >= 20
    stream = ProfileSet(interests=INTERESTS)
    for e in EVENTS:
        stream.apply(e)
    assert len(stream) >= 5
    table = pa.table({"event": [json.dumps(e) for e in EVENTS]})
    batch = pa.table(arichat.profiles_from_events(table, interests=INTERESTS))
    assert batch.num_rows == len(stream)
    assert [json.loads(p) for p in batch.column("profile").to_pylist()] == stream.profiles()
    # The same from a list of dicts, and from polars.
    again = pa.table(arichat.profiles_from_events(EVENTS, interests=INTERESTS))
    assert again.column("profile").to_pylist() == batch.column("profile").to_pylist()
    pl = pytest.importorskip("polars")
    from_polars = pa.table(arichat.profiles_from_events(pl.from_arrow(table), interests=INTERESTS))
    assert from_polars.column("profile").to_pylist() == batch.column("profile").to_pylist()
    for key, profile in zip(batch.column("key").to_pylist(), stream.profiles()):
        assert key in profile["identities"]
        assert stream.get(key) == profile


def test_a_profile_counts_what_the_contact_did() -> None:
    wa = {"channel": "whatsapp", "wa_id": "573001234567"}
    t = datetime(2026, 11, 2, 20, tzinfo=timezone.utc)
    profiles = ProfileSet(interests=["tubo"], utc_offset_minutes=-300)
    profiles.apply(_message(1, wa, t, "cuánto cuestan los tubos?"))
    profiles.apply(_message(2, wa, t + timedelta(hours=1), "$12.000 c/u", "outbound", "agent"))
    p = profiles.get("whatsapp:wa_id:573001234567")
    assert p is not None
    assert (p["messages_in"], p["messages_out"]) == (1, 1)
    assert p["hours"][15] == 1  # 20:00 UTC is 15:00 at UTC-5
    assert list(p["interests"]) == ["tubo"]
    assert p["response"]["count"] == 1 and p["response"]["total_secs"] == 3600
    assert p["languages"] == {"es": 1}
    # Another identity of the same person: linked, one profile.
    tg = {"channel": "telegram", "user_id": "777"}
    profiles.apply(_message(3, tg, t + timedelta(days=1), "hola"))
    assert len(profiles) == 2
    assert profiles.link("whatsapp:wa_id:573001234567", "telegram:user:777")
    assert len(profiles) == 1
    merged = profiles.get("telegram:user:777")
    assert merged is not None and merged["messages_in"] == 2
    assert set(merged["identities"]) == {"whatsapp:wa_id:573001234567", "telegram:user:777"}


def test_profile_fields_and_rfm_scores_in_the_table() -> None:
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    events = []
    for i in range(40):
        ident = {"channel": "telegram", "user_id": str(1000 + i)}
        for k in range(1 + i % 6):
            at = now - timedelta(days=i % 20, minutes=k)
            events.append(_message(i * 10 + k, ident, at, "quiero un pedido"))
    stream = ProfileSet()
    for e in events:
        stream.apply(e)
    cuts = arichat.fit_rfm(stream.profiles(), now)
    assert sorted(cuts["recency_days"]) == cuts["recency_days"]
    scores = [arichat.rfm_score(p, cuts, now) for p in stream.profiles()]
    assert {s["recency"] for s in scores} == {1, 2, 3, 4, 5}
    assert {s["frequency"] for s in scores} >= {1, 5}
    table = pa.table(arichat.profiles_from_events(events, now=now, rfm_cuts=cuts))
    rows = table.to_pylist()
    assert [r["profile_rfm_recency"] for r in rows] == [float(s["recency"]) for s in scores]
    assert rows[0]["profile_preferred_channel"] == "telegram"
    assert rows[0]["profile_days_since_inbound"] == pytest.approx(0.0, abs=0.01)


def test_a_table_without_the_column_or_with_bad_json_is_refused() -> None:
    with pytest.raises(arichat.InvalidScoringDataError, match="no column"):
        arichat.profiles_from_events(pa.table({"body": ["{}"]}))
    with pytest.raises(InvalidJsonError):
        arichat.profiles_from_events(pa.table({"event": ["{not json"]}))
    with pytest.raises(InvalidJsonError):
        ProfileSet().apply("{}")


def test_spark_grouped_by_contact_gives_the_streaming_profiles() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "examples" / "spark"))
    import score_leads  # type: ignore[import-not-found]

    rows = []
    for seq, e in enumerate(EVENTS):
        keys = arichat.profile_keys(e)
        if keys:
            rows.append((keys[0], seq, json.dumps(e)))
    spark = score_leads.session("local[2]")
    try:
        df = spark.createDataFrame(rows, "contact_key string, seq long, event string").repartition(3)

        def profiles(table: Any) -> Any:
            # Shuffles keep no order: replay each contact's events in the order they came.
            ordered = table.sort_by("seq")
            out = pa.table(arichat.profiles_from_events(ordered, interests=INTERESTS))
            return out.select(["key", "profile"])

        got = df.groupBy("contact_key").applyInArrow(profiles, "key string, profile string").collect()
    finally:
        spark.stop()
    stream = ProfileSet(interests=INTERESTS)
    for e in EVENTS:
        stream.apply(e)
    want = sorted(json.dumps(p, sort_keys=True) for p in stream.profiles())
    assert sorted(json.dumps(json.loads(r["profile"]), sort_keys=True) for r in got) == want


def test_conformance_vectors() -> None:
    doc = json.loads((ROOT / "tests" / "vectors" / "profiles.json").read_text())
    options = doc["options"]
    profiles = ProfileSet(**options)
    keys = []
    for e in doc["events"]:
        keys.append(arichat.profile_keys(e))
        profiles.apply(e)
    for a, b in doc["links"]:
        assert profiles.link(a, b)
    want = doc["expected"]
    assert keys == want["keys"]
    assert profiles.profiles() == want["profiles"]
    now = datetime.fromisoformat(doc["now"].replace("Z", "+00:00"))
    cuts = arichat.fit_rfm(profiles.profiles(), now)
    assert cuts == want["rfm_cuts"]
    assert [arichat.rfm_score(p, cuts, now) for p in profiles.profiles()] == want["rfm"]
