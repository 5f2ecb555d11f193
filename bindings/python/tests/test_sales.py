"""Sales from chat: amounts, deals, receipts and commissions, held to tests/vectors/deals.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import arichat

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "deals.json").read_text()
)


def _without_span(amount: Any) -> dict[str, Any]:
    return {k: v for k, v in amount.items() if k not in ("start", "end")}


@pytest.mark.parametrize("case", VECTORS["amounts"], ids=lambda c: f'{c["region"]}:{c["text"]}')
def test_amounts(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(arichat.UnknownRegionError) as err:
            arichat.parse_amount(case["text"], case["region"])
        assert err.value.code == case["error"]  # type: ignore[attr-defined]
        return
    found = arichat.parse_amount(case["text"], case["region"], slang=case.get("slang", False))
    assert [_without_span(a) for a in found] == case["expect"]
    for a in found:
        # Spans are UTF-8 byte offsets; `text` is the slice.
        assert case["text"].encode()[a["start"] : a["end"]].decode() == a["text"]


@pytest.mark.parametrize("case", VECTORS["deals"], ids=lambda c: c["text"])
def test_deals(case: dict[str, Any]) -> None:
    grammar = case.get("grammar")
    # The vectors give the grammar as JSON; TOML inline tables say the same.
    toml = None if grammar is None else _toml(grammar)
    if "error" in case:
        with pytest.raises(arichat.InvalidConfigError) as err:
            arichat.parse_deal(case["text"], case["region"], grammar=toml)
        assert err.value.code == case["error"]  # type: ignore[attr-defined]
        return
    parsed = arichat.parse_deal(case["text"], case["region"], grammar=toml)
    expect = case["expect"]
    assert [p["code"] for p in parsed["problems"]] == expect["problems"]
    if "messages" in expect:
        assert [p["message"] for p in parsed["problems"]] == expect["messages"]
    deal = parsed["deal"]
    if "amount_minor" in expect:
        assert deal is not None
        assert deal["amount"]["minor"] == expect["amount_minor"]
        assert deal["amount"]["currency"] == expect["currency"]
        assert deal["customer"] == expect["customer"]
        assert deal["units"] == expect["units"]
    else:
        assert deal is None


def _toml(value: Any) -> str:
    """A JSON object as TOML, with inline tables (enough for grammar configs)."""

    def inline(v: Any) -> str:
        if isinstance(v, dict):
            return "{ " + ", ".join(f"{k} = {inline(x)}" for k, x in v.items()) + " }"
        if isinstance(v, bool):
            return "true" if v else "false"
        return json.dumps(v, ensure_ascii=False)

    return "\n".join(f"{k} = {inline(v)}" for k, v in value.items())


@pytest.mark.parametrize("case", VECTORS["receipts"]["checks"])
def test_receipt_checks(case: dict[str, Any]) -> None:
    assert arichat.check_receipt(case["declared"], case["read"], case["tolerance_bps"]) == case["expect"]


def test_receipt_default_tolerance_is_the_core_s() -> None:
    assert arichat.check_receipt(100_00, 105_00) == {"status": "match", "difference": 500}
    assert arichat.check_receipt(100_00, 105_01)["status"] == "mismatch"


@pytest.mark.parametrize("case", VECTORS["receipts"]["totals"], ids=lambda c: c["ocr_text"][:20])
def test_receipt_totals(case: dict[str, Any]) -> None:
    total = arichat.pick_receipt_total(case["ocr_text"], case["region"])
    assert (None if total is None else total["minor"]) == case["expect_minor"]


RULES = arichat.CommissionRules.from_toml(VECTORS["commissions"]["rules"])


@pytest.mark.parametrize("case", VECTORS["commissions"]["cases"], ids=lambda c: f'{c["seller"]}:{c["units"]}')
def test_commissions(case: dict[str, Any]) -> None:
    args = dict(seller=case["seller"], amount_minor=case["amount_minor"], units=case["units"], currency=case["currency"])
    if "error" in case:
        with pytest.raises(arichat.InvalidConfigError):
            RULES.compute(**args)
        return
    c = RULES.compute(**args)
    assert c["total_minor"] == case["expect"]["total_minor"]
    assert [line["minor"] for line in c["lines"]] == case["expect"]["lines"]
    assert c["capped_at"] == case["expect"]["capped_at"]


@pytest.mark.parametrize("case", VECTORS["commissions"]["bad_rules"])
def test_bad_rules(case: dict[str, Any]) -> None:
    with pytest.raises(arichat.InvalidConfigError) as err:
        arichat.CommissionRules.from_toml(case["rules"])
    assert err.value.code == case["error"]  # type: ignore[attr-defined]


def test_monthly_progress_and_the_seed_rule() -> None:
    sales = [
        {"seller": "ana", "amount_minor": 1_500_00, "currency": "USD", "units": 5, "date": "2026-12-01"},
        {"seller": "pedro", "amount_minor": 1_000_00, "currency": "USD", "units": 4, "date": "2026-12-02"},
        {"seller": "pedro", "amount_minor": 9_000_00, "currency": "USD", "units": 9, "date": "2026-11-30"},
    ]
    months = RULES.monthly_progress(sales, 2026, 12)
    assert [(m["seller"], m["sales"], m["sold_minor"]) for m in months] == [("ana", 1, 150_000), ("pedro", 1, 100_000)]
    # pedro: 10 × (4 − 3) + 2.5 % of 1000 = 35; goal 3000 → 1000 is 33.33 %.
    assert months[1]["commission_minor"] == 3_500
    assert months[1]["progress_bps"] == 3_333
    assert months[0]["goal_minor"] == 5_000_00
    with pytest.raises(arichat.InvalidJsonError):
        RULES.monthly_progress([{"seller": "x"}], 2026, 12)


def test_example_rules_load() -> None:
    text = (Path(__file__).resolve().parents[3] / "examples" / "sales" / "commissions.toml").read_text()
    rules = arichat.CommissionRules.from_toml(text)
    assert rules.currency == "USD"
    assert rules.compute(seller="juan", amount_minor=150_000, units=5)["total_minor"] == 2_000
