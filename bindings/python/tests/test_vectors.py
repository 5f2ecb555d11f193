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
