"""The shared cross-runtime vectors in tests/vectors hold for Python too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import arichat

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "phones.json").read_text()
)


@pytest.mark.parametrize("case", VECTORS["ok"], ids=lambda c: str(c["input"]))
def test_phone_ok(case: dict[str, Any]) -> None:
    assert arichat.normalize_phone(case["input"], case["region"]) == case["e164"]


@pytest.mark.parametrize("case", VECTORS["wa_id"], ids=lambda c: str(c["input"]))
def test_wa_id(case: dict[str, Any]) -> None:
    assert arichat.phone_from_wa_id(case["input"]) == case["e164"]


@pytest.mark.parametrize("case", VECTORS["invalid_phone"], ids=lambda c: str(c["input"]))
def test_phone_invalid(case: dict[str, Any]) -> None:
    with pytest.raises(arichat.InvalidPhoneError):
        arichat.normalize_phone(case["input"], case["region"])


@pytest.mark.parametrize("region", VECTORS["unknown_region"])
def test_unknown_region(region: str) -> None:
    with pytest.raises(arichat.UnknownRegionError):
        arichat.normalize_phone("300 123 4567", region)


def test_shared_scorecard_gives_the_numbers_node_and_kotlin_give() -> None:
    from datetime import datetime, timedelta, timezone

    card = arichat.Scorecard.from_file(
        str(Path(__file__).resolve().parents[3] / "tests" / "vectors" / "scorecard.toml")
    )
    now = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    record: dict[str, Any] = {"employees": 120, "email_domain": "gmail.com", "vip": True, "phone": None}
    events: list[Any] = [
        {"kind": "intent", "intent": "price_inquiry", "at": now - timedelta(hours=24)},
        {"kind": "inbound_message", "at": now - timedelta(hours=1)},
        {"kind": "inbound_message", "at": now - timedelta(hours=2)},
        {"kind": "inbound_message", "at": now + timedelta(minutes=1)},  # after now: ignored
    ]
    r = card.score(record, events, now)
    assert (r["fit"], r["engagement"], r["total"], r["grade"], r["stage"]) == (45, 30, 75, "a", "mql")
    assert [(c["rule"], c["points"]) for c in r["contributions"]] == [
        ("base", 10),
        ("mid_size", 40),
        ("gmail", -5),
        ("asked_price", 15),
        ("wrote", 15),
    ]
