"""The shared cross-runtime vectors in tests/vectors hold for Python too."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any, Mapping

import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
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


@pytest.mark.parametrize("wa_id", VECTORS["invalid_wa_id"])
def test_wa_id_invalid(wa_id: str) -> None:
    with pytest.raises(arichat.InvalidPhoneError):
        arichat.phone_from_wa_id(wa_id)


@pytest.mark.parametrize("case", VECTORS["invalid_phone"], ids=lambda c: str(c["input"]))
def test_phone_invalid(case: dict[str, Any]) -> None:
    with pytest.raises(arichat.InvalidPhoneError):
        arichat.normalize_phone(case["input"], case["region"])


@pytest.mark.parametrize("region", VECTORS["unknown_region"])
def test_unknown_region(region: str) -> None:
    with pytest.raises(arichat.UnknownRegionError):
        arichat.normalize_phone("300 123 4567", region)


SCORING: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "scoring.json").read_text(encoding="utf-8")
)


def _scorecard(name: str) -> arichat.Scorecard:
    source = SCORING["scorecards"][name]
    if "file" in source:
        return arichat.Scorecard.from_file(
            str(Path(__file__).resolve().parents[3] / "tests" / "vectors" / source["file"])
        )
    return arichat.Scorecard.from_toml("\n".join(source["toml"]))


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _close(x: float) -> Any:
    return pytest.approx(x, rel=0, abs=SCORING["tolerance"])


def _line(c: Mapping[str, object]) -> tuple[object, ...]:
    return (c["rule"], c.get("name"), c["kind"], c.get("events", 0))


@pytest.mark.parametrize("case", SCORING["cases"], ids=lambda c: str(c["name"]))
def test_scoring_vectors(case: dict[str, Any]) -> None:
    # The scores Rust wrote (crates/arichat-core/tests/conformance_scoring.rs); Node and
    # Kotlin check the same file.
    card = _scorecard(case["scorecard"])
    events: list[Any] = [{**e, "at": _utc(e["at"])} for e in case["events"]]
    r = card.score(case["record"], events, _utc(case["now"]))
    want = case["expected"]
    assert (r["total"], r["fit"], r["engagement"]) == (
        _close(want["total"]),
        _close(want["fit"]),
        _close(want["engagement"]),
    ), case["note"]
    assert (r["grade"], r["stage"]) == (want["grade"], want["stage"])
    if "probability" in want:
        assert r["probability"] == _close(want["probability"])
    else:
        assert r.get("probability") is None
    assert [_line(c) for c in r["contributions"]] == [_line(c) for c in want["contributions"]]
    assert [c["points"] for c in r["contributions"]] == [_close(c["points"]) for c in want["contributions"]]


ROOT = Path(__file__).resolve().parents[3]
FIT_CSV = ROOT / "tests" / "vectors" / "fit_labels.csv"
FIT_TOML = ROOT / "tests" / "vectors" / "fit_labels.toml"


def test_fit_gives_the_shared_vector_byte_for_byte() -> None:
    # pandas reads the same cells the CLI infers (numbers, true/false, text; empty is
    # null), so the card must be the CLI's, byte for byte (crates/arichat-cli/tests/fit_score.rs).
    result = arichat.fit(pd.read_csv(FIT_CSV), "bought", seed=7, folds=3)
    card = result.scorecard
    assert (result.rows, result.positives, result.unlabelled) == (289, 138, 11)
    assert len(result.folds) == 3
    assert card.to_toml() == FIT_TOML.read_text(encoding="utf-8")
    assert card.name == 'bought in ["SIM", "Sí", "sí", "yes"]'


def test_fit_matches_the_cli_binary() -> None:
    # `cargo test --workspace` (run before test.sh in CI) builds target/debug/arichat.
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    cli = target / "debug" / "arichat"
    if not cli.exists():
        pytest.skip(f"{cli} not built; test_fit_gives_the_shared_vector_byte_for_byte still holds")
    args = ["--seed", "7", "--cv", "3"]
    out = subprocess.run(
        [str(cli), "fit", "--label", "bought", *args, str(FIT_CSV)], capture_output=True, check=True
    )
    card = arichat.fit(pd.read_csv(FIT_CSV), "bought", seed=7, folds=3).scorecard
    # The CLI ends every output with a line break of its own.
    assert out.stdout == (card.to_toml() + "\n").encode("utf-8")
    # The defaults are the core's in both: the same folds give the same AUC.
    out = subprocess.run([str(cli), "fit", "--label", "bought", str(FIT_CSV)], capture_output=True, check=True)
    result = arichat.fit(pd.read_csv(FIT_CSV), "bought")
    assert out.stdout == (result.scorecard.to_toml() + "\n").encode("utf-8")
    assert f"5-fold CV (seed 0): AUC {result.auc:.4f}" in out.stderr.decode("utf-8")
    # The fitting options pass through unchanged on both sides.
    flags = ["--cv", "0", "--no-monotone", "--min-support", "0.05", "--min-iv", "0.1", "--max-rules", "4"]
    out = subprocess.run([str(cli), "fit", "--label", "bought", *flags, str(FIT_CSV)], capture_output=True, check=True)
    card = arichat.fit(
        pd.read_csv(FIT_CSV), "bought", folds=0, monotone=False, min_support=0.05, min_iv=0.1, max_rules=4
    ).scorecard
    assert out.stdout == (card.to_toml() + "\n").encode("utf-8")
    assert len(card.to_toml().split("[[fit]]")) - 1 <= 4


# --- intents: tests/vectors/intents.json, written by the Rust core -----------------

INTENTS: dict[str, Any] = json.loads((ROOT / "tests" / "vectors" / "intents.json").read_text(encoding="utf-8"))
INTENT_FIELDS = ("primary", "language", "uncertain", "opt_out")


def same_answer(got: Mapping[str, Any], want: Mapping[str, Any]) -> bool:
    return all(got[k] == want[k] for k in INTENT_FIELDS) and abs(
        got["confidence"] - want["confidence"]
    ) <= INTENTS["tolerance"]


@pytest.mark.parametrize("case", INTENTS["cases"], ids=lambda c: repr(c["text"]))
def test_intent_vector_classify(case: dict[str, Any]) -> None:
    got = arichat.classify(case["text"])
    assert same_answer(got, case["expected"]), (got, case["expected"])


def test_intent_vectors_classify_many_and_column() -> None:
    texts = [c["text"] for c in INTENTS["cases"]]
    wants = [c["expected"] for c in INTENTS["cases"]]
    many = arichat.classify_many(texts)
    assert [same_answer(g, w) for g, w in zip(many, wants)] == [True] * len(texts)
    rows = arichat.classify_column(pa.array(texts)).to_pylist()
    assert [same_answer(g, w) for g, w in zip(rows, wants)] == [True] * len(texts)
    # The column carries classify's very floats, not float32 neighbours.
    assert [r["confidence"] for r in rows] == [c["confidence"] for c in many]


NORMALIZE: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "normalize.json").read_text()
)


def _normalize_case(case: dict[str, Any]) -> Any:
    root = Path(__file__).resolve().parents[3]
    body = (
        (root / case["body_file"]).read_bytes()
        if "body_file" in case
        else case["body"].encode("utf-8")
    )
    received_at = datetime.fromisoformat(case["received_at"].replace("Z", "+00:00"))
    try:
        events = arichat.normalize(
            case["channel"], body, received_at=received_at, account=case.get("account")
        )
    except arichat.ArichatError as e:
        # The class as Rust decides it: a body that is not JSON is an InvalidBodyError.
        return {"error": e.code, "class": type(e).__name__}
    # The events as JSON, as the Rust test writes them.
    return json.loads(json.dumps(events))


@pytest.mark.parametrize("case", NORMALIZE["cases"], ids=lambda c: str(c["name"]))
def test_normalize_vectors(case: dict[str, Any]) -> None:
    assert _normalize_case(case) == case["expected"]


IDENTITY: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "identity.json").read_text()
)


@pytest.mark.parametrize("case", IDENTITY["cases"], ids=lambda c: str(c["name"]))
def test_identity_vectors(case: dict[str, Any]) -> None:
    received = datetime.fromisoformat(IDENTITY["received_at"].replace("Z", "+00:00"))
    events = arichat.normalize("whatsapp", case["body"].encode(), received_at=received)
    assert len(events) == 1
    event: Mapping[str, Any] = events[0]
    assert event["kind"] == case["kind"]
    contact: Mapping[str, Any] = event.get("contact") or {}
    assert contact.get("identity") == case["identity"]
    assert contact.get("phone") == case["phone"]
    if "changes" in case:
        assert event["changes"] == case["changes"]
