"""Scorecards, table scoring and fitting (bindings/python/src/scoring.rs)."""

import json
import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import arichat
from arichat import (
    ArichatError,
    InvalidScorecardError,
    InvalidScoringDataError,
    Scorecard,
    UnknownVariantError,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

CARD_TOML = """
name = "demo"
base = 5

[fields]
employees = "number"

[[fit]]
id = "mid_size"
field = "employees"
range = { gte = 50, lt = 500 }
points = 40

[[fit]]
id = "company_email"
field = "email_domain"
none_of = ["gmail.com", "hotmail.com"]
points = 20

[[fit]]
id = "gold"
field = "plan"
one_of = ["gold", "platinum"]
points = 15
group = "plan"

[[fit]]
id = "vip"
field = "vip"
equals = true
points = 10

[[engagement]]
id = "asked_price"
event = "intent"
intent = "price_inquiry"
points = 30
half_life_hours = 24

[[engagement]]
id = "opted_out"
event = "opt_out"
points = -100

[groups.plan]
max = 10

[grades]
a = 70
b = 45
c = 20
"""

ROWS: List[Dict[str, Any]] = [
    {"employees": 120, "email_domain": "acme.com.co", "plan": "gold", "vip": True},
    {"employees": 10, "email_domain": "gmail.com", "plan": "free", "vip": False},
    {"employees": None, "email_domain": None, "plan": "platinum", "vip": None},
    {"employees": 499.5, "email_domain": "hotmail.com", "plan": None, "vip": True},
    {"employees": 50, "email_domain": "bank.co", "plan": "free", "vip": False},
]


def card() -> Scorecard:
    return Scorecard.from_toml(CARD_TOML)


# --- scorecards ----------------------------------------------------------------


def test_scorecard_from_toml_and_round_trips() -> None:
    c = card()
    assert c.name == "demo"
    assert Scorecard.from_toml(c.to_toml()) == c
    assert Scorecard.from_json(c.to_json()) == c
    assert json.loads(c.to_json())["name"] == "demo"


def test_scorecard_from_file(tmp_path: Path) -> None:
    toml_path = tmp_path / "card.toml"
    toml_path.write_text(CARD_TOML, encoding="utf-8")
    json_path = tmp_path / "card.json"
    json_path.write_text(card().to_json(), encoding="utf-8")
    assert Scorecard.from_file(toml_path) == card()
    assert Scorecard.from_file(str(json_path)) == card()
    with pytest.raises(FileNotFoundError):
        Scorecard.from_file(tmp_path / "missing.toml")
    # The format by the file's name is the core's rule (ConfigFormat), as in the CLI.
    with pytest.raises(arichat.InvalidConfigError, match=r"card.yaml must end in \.toml or \.json"):
        Scorecard.from_file(tmp_path / "card.yaml")
    upper = tmp_path / "CARD.TOML"
    upper.write_text(CARD_TOML, encoding="utf-8")
    assert Scorecard.from_file(upper) == card()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidScorecardError):
        Scorecard.from_file(bad)


def test_invalid_scorecard_raises_typed_error() -> None:
    with pytest.raises(InvalidScorecardError) as info:
        Scorecard.from_toml("[[fit]]\nid = \"x\"\nfield = \"age\"\nrange = { gte = 'a' }\n")
    assert info.value.code == "invalid_scorecard"
    assert str(info.value).startswith("invalid scorecard: ")
    assert isinstance(info.value, ArichatError)
    with pytest.raises(InvalidScorecardError) as info:
        Scorecard.from_toml("this is = = not toml")
    assert info.value.code == "invalid_scorecard"
    with pytest.raises(InvalidScorecardError):
        Scorecard.from_json("{not json")


def test_score_explanation_sums_to_total() -> None:
    c = card()
    events: List[Any] = [
        {"kind": "intent", "intent": "price_inquiry", "at": NOW - timedelta(hours=24)},
        {"kind": "inbound_message", "at": NOW},
    ]
    r = c.score(ROWS[0], events, now=NOW)
    # base 5 + mid_size 40 + company_email 20 + vip 10 + gold 15 capped to 10.
    assert r["fit"] == 85
    assert r["engagement"] == 15  # 30 points, one half-life old
    assert r["total"] == 100
    assert r["grade"] == "a"
    assert r["stage"] in {"iql", "mql", "sql"}
    rules = [x["rule"] for x in r["contributions"]]
    assert "base" in rules and "asked_price" in rules and "opted_out" not in rules
    assert math.isclose(sum(x["points"] for x in r["contributions"]), r["total"])
    assert "probability" not in r


def test_score_default_now_and_bad_events() -> None:
    c = card()
    r = c.score({"employees": 10})
    # Only the base: none_of needs a present value, and "vip" is absent.
    assert r["total"] == r["fit"] == 5
    with pytest.raises(UnknownVariantError):
        c.score({}, [{"kind": "teleport", "at": NOW}], NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        c.score({}, [{"kind": "read", "at": datetime(2026, 1, 1)}], NOW)
    with pytest.raises(TypeError):
        c.score({"when": NOW}, None, NOW)  # type: ignore[dict-item]


# --- tables --------------------------------------------------------------------


def row_by_row(c: Scorecard) -> Dict[str, List[Any]]:
    results = [c.score(r, None, NOW) for r in ROWS]
    return {
        "total": [r["total"] for r in results],
        "fit": [r["fit"] for r in results],
        "grade": [r["grade"] for r in results],
        "stage": [r["stage"] for r in results],
    }


def columns() -> Dict[str, List[Any]]:
    return {k: [r[k] for r in ROWS] for k in ROWS[0]}


def as_lists(out: Any) -> Dict[str, List[Any]]:
    if isinstance(out, pa.Table):
        return {k: v for k, v in out.to_pydict().items()}
    if isinstance(out, pd.DataFrame):
        return {str(k): v.tolist() for k, v in out.items()}
    if isinstance(out, pl.DataFrame):
        return out.to_dict(as_series=False)
    assert isinstance(out, dict)
    for v in out.values():
        assert isinstance(v, np.ndarray)
    return {k: v.tolist() for k, v in out.items()}


def test_score_table_pandas_equals_row_by_row() -> None:
    c = card()
    out = c.score_table(pd.DataFrame(columns()))
    assert isinstance(out, pd.DataFrame)
    assert as_lists(out) == row_by_row(c)
    assert out["total"].dtype == np.float64


def test_score_table_pyarrow_equals_row_by_row() -> None:
    c = card()
    table = pa.table(columns())
    out = c.score_table(table)
    assert isinstance(out, pa.Table)
    assert out.column_names == ["total", "fit", "grade", "stage"]
    assert as_lists(out) == row_by_row(c)
    assert as_lists(c.score_table(table.to_batches()[0])) == row_by_row(c)


def test_score_table_reads_every_string_layout_alike() -> None:
    # Plain `string` columns are read in place (offsets and bytes, no str per row);
    # large_string, string_view, dictionaries, slices (offsets not starting at 0),
    # several chunks and non-ASCII text must give the same scores.
    c = Scorecard.from_toml(
        CARD_TOML.replace(
            '["gold", "platinum"]',
            '["gold", "platinum", "oro ñandú", "a plan name longer than sixteen bytes"]',
        )
    )
    rng = random.Random(5)
    domains = ["gmail.com", "hotmail.com", "acme.com.co", "bancolombia.com.co", "", None]
    plans = ["gold", "platinum", "oro ñandú", "Gold", "a plan name longer than sixteen bytes", "free", "", None]
    n = 3000
    data: Dict[str, List[Any]] = {
        "employees": [rng.choice([None, 10, 120, 499.5]) for _ in range(n)],
        "email_domain": [rng.choice(domains) for _ in range(n)],
        "plan": [rng.choice(plans) for _ in range(n)],
    }
    rows = [{k: v[i] for k, v in data.items()} for i in range(n)]
    want = [c.score(r, [], now=NOW)["total"] for r in rows]
    plain = pa.table(data)
    assert plain.schema.field("plan").type == pa.string()
    variants = {
        "string": plain,
        "large_string": plain.cast(
            pa.schema([("employees", pa.float64()), ("email_domain", pa.large_string()), ("plan", pa.large_string())])
        ),
        "string_view": plain.cast(
            pa.schema([("employees", pa.float64()), ("email_domain", pa.string_view()), ("plan", pa.string_view())])
        ),
        "dictionary": pa.table({"employees": plain["employees"], "email_domain": plain["email_domain"].dictionary_encode(), "plan": plain["plan"].dictionary_encode()}),
        "chunks": pa.concat_tables([plain.slice(0, 1001), plain.slice(1001, 999), plain.slice(2000)]),
    }
    for name, table in variants.items():
        got = c.score_table(table, allow_missing=True).column("total").to_pylist()
        assert got == want, name
    # A slice whose offsets start mid-buffer.
    sliced = c.score_table(plain.slice(1234, 500), allow_missing=True)
    assert sliced.column("total").to_pylist() == want[1234:1734]
    parts = c.score_table(plain.slice(7, 2000), allow_missing=True, threads=3)
    assert parts.column("total").to_pylist() == want[7:2007]


def test_score_table_polars_equals_row_by_row() -> None:
    c = card()
    out = c.score_table(pl.DataFrame(columns(), strict=False))
    assert isinstance(out, pl.DataFrame)
    assert as_lists(out) == row_by_row(c)


def test_score_table_dict_engagement_and_errors() -> None:
    c = card()
    out = as_lists(c.score_table(columns(), engagement=[1, 2, 3, 4, 5]))
    base = row_by_row(c)
    assert out["total"] == [t + e for t, e in zip(base["total"], [1, 2, 3, 4, 5])]
    with pytest.raises(InvalidScoringDataError) as info:
        c.score_table({"employees": [1, 2], "plan": ["gold"]})
    assert info.value.code == "invalid_scoring_data"
    with pytest.raises(InvalidScoringDataError, match="one type per column"):
        c.score_table({"plan": ["gold", 3]})
    with pytest.raises(TypeError):
        c.score_table([1, 2, 3])


# --- fitting -------------------------------------------------------------------


def synthetic(n: int = 600) -> pd.DataFrame:
    rng = random.Random(7)
    plans, visits, noise, bought = [], [], [], []
    for _ in range(n):
        plan = rng.choice(["pro", "free", "trial"])
        v = rng.randint(0, 20)
        p = 0.05 + (0.5 if plan == "pro" else 0.0) + 0.02 * v
        plans.append(plan)
        visits.append(v)
        noise.append(rng.random())
        bought.append("yes" if rng.random() < p else "no")
    return pd.DataFrame({"plan": plans, "visits": visits, "noise": noise, "bought": bought})


def test_fit_ranks_positives_higher() -> None:
    df = synthetic()
    result = arichat.fit(df, "bought", positive="yes", seed=42, drop=["noise"])
    assert isinstance(result, arichat.FitResult)
    c = result.scorecard
    assert isinstance(c, Scorecard)
    assert result.rows == len(df)
    assert result.positives == int((df["bought"] == "yes").sum())
    assert result.auc is not None and result.auc > 0.7
    assert result.auc_pooled is not None and result.brier is not None
    assert 0.0 < result.brier < 0.25 and result.converged
    assert result.rules == len(json.loads(c.to_json())["fit"])
    # Frames come back in the kind fit was given: pandas here.
    folds = result.folds
    assert isinstance(folds, pd.DataFrame) and len(folds) == 5
    assert folds["rows"].sum() == len(df)
    cal = result.calibration
    assert isinstance(cal, pd.DataFrame)
    assert list(cal.columns) == ["lower", "upper", "count", "mean_predicted", "observed_rate"]
    assert cal["count"].sum() == len(df)
    report = result.to_dict()
    assert report["auc_mean"] == result.auc and report["rows"] == len(df)
    assert len(report["reliability"]) == len(cal)
    assert repr(result).startswith(f"FitResult(rules={result.rules}, rows={len(df)}")
    fields = {r["field"] for r in json.loads(c.to_json())["fit"]}
    assert "plan" in fields and "noise" not in fields and "bought" not in fields
    assert Scorecard.from_toml(c.to_toml()) == c

    scores = np.asarray(c.score_table(df.drop(columns=["bought"]))["total"])
    pos = scores[(df["bought"] == "yes").to_numpy()]
    neg = scores[(df["bought"] == "no").to_numpy()]
    assert pos.mean() > neg.mean() + 5
    # The fitted card has an odds scale: probabilities come with the score.
    r = c.score({"plan": "pro", "visits": 20}, None, NOW)
    assert 0.0 < r["probability"] < 1.0
    assert r["probability"] > c.score({"plan": "free", "visits": 0}, None, NOW)["probability"]


def test_fit_same_on_pyarrow_and_polars() -> None:
    df = synthetic(300)
    r1 = arichat.fit(df, "bought", positive="yes", folds=0)
    c1 = r1.scorecard
    c2 = arichat.fit(pa.Table.from_pandas(df), "bought", positive="yes", folds=0).scorecard
    c3 = arichat.fit(pl.from_pandas(df), "bought", positive="yes", folds=0).scorecard
    assert c1 == c2 == c3
    assert "auc_mean" not in r1.to_dict()
    assert r1.auc is None and r1.calibration is None and r1.folds is None
    # Booleans, 1/0 and Spanish/Portuguese words read as the same classes; only the
    # card's name (the positive values) differs.
    def rules(c: Scorecard) -> Any:
        return {k: v for k, v in json.loads(c.to_json()).items() if k != "name"}

    yes = df["bought"] == "yes"
    for labels in (yes, yes.astype(int), yes.map({True: "Sí", False: "não"})):
        c4 = arichat.fit(df.assign(bought=labels), "bought", folds=0).scorecard
        assert rules(c4) == rules(c1)
    assert c1.name == 'bought = "yes"'


def test_fit_names_the_columns_it_dropped() -> None:
    df = synthetic(600).assign(country="CO", rare=["x" if i == 0 else "y" for i in range(600)])
    result = arichat.fit(df, "bought", positive="yes", drop=["noise"])
    dropped = result.dropped
    assert isinstance(dropped, pd.DataFrame)
    assert list(dropped.columns) == ["field", "reason", "information_value"]
    reasons = dict(zip(dropped["field"], dropped["reason"]))
    assert reasons["country"] == "constant" and reasons["rare"] in {"constant", "nearly_constant"}
    assert "plan" not in reasons
    assert [d["field"] for d in result.report["dropped"]] == list(dropped["field"])


def test_fit_frames_follow_the_input_and_unpacking_still_works() -> None:
    df = synthetic(300)
    assert isinstance(arichat.fit(pl.from_pandas(df), "bought", positive="yes").calibration, pl.DataFrame)
    assert isinstance(arichat.fit(pa.Table.from_pandas(df), "bought", positive="yes").folds, pa.Table)
    # `card, report = arichat.fit(...)` from earlier releases: the same card and dict,
    # with a DeprecationWarning.
    result = arichat.fit(df, "bought", positive="yes", seed=3)
    with pytest.warns(DeprecationWarning, match="result.scorecard"):
        card, report = result
    assert card == result.scorecard and report == result.to_dict()


def test_score_table_stops_on_a_signal() -> None:
    # A signal handler that raises (Ctrl-C's KeyboardInterrupt is one) stops scoring
    # between chunks, although the rows are scored without the GIL.
    import signal
    import threading

    class Stopped(Exception):
        pass

    def handler(signum: int, frame: Any) -> None:
        raise Stopped()

    c = card()
    table = pa.table({"employees": pa.array(np.full(30_000_000, 30.0))})
    previous = signal.signal(signal.SIGUSR1, handler)
    main = threading.get_ident()
    timer = threading.Timer(0.05, lambda: signal.pthread_kill(main, signal.SIGUSR1))
    try:
        timer.start()
        with pytest.raises(Stopped), pytest.warns(UserWarning, match="no column"):
            c.score_table(table, allow_missing=True)
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)


def test_fit_report_and_progress() -> None:
    df = synthetic()
    calls: List[Any] = []
    result = arichat.fit(
        df, "bought", positive="yes", drop=["noise"], folds=4,
        progress=lambda done, total: calls.append((done, total)),
    )
    # One fit per fold plus the final one, counted from 0 up to the total.
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and all(t == 5 for _, t in calls)

    figures = result.report
    # The report's AUC is the pooled out-of-fold AUC of the cross-validation.
    assert figures["auc"] == result.auc_pooled
    assert figures["evaluation"] == {"kind": "cross_validated", "folds": 4, "seed": 0}
    assert [d["decile"] for d in figures["calibration"]] == list(range(1, 11))
    assert sum(g["rows"] for g in figures["grades"]) == len(df)
    assert figures["dropped"] == []
    plan = next(f for f in figures["fields"] if f["field"] == "plan")
    assert sum(b["rows"] for b in plan["bins"]) == len(df)
    html = result.to_html()
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 5
    assert "<script" not in html
    # Without cross-validation the page says its figures are in-sample.
    r0 = arichat.fit(df, "bought", positive="yes", folds=0)
    assert r0.report["evaluation"] == {"kind": "in_sample"}
    assert "in-sample" in r0.to_html()


def test_progress_callbacks_are_checked_and_may_raise() -> None:
    df = synthetic(200)
    with pytest.raises(TypeError, match="callable"):
        arichat.fit(df, "bought", positive="yes", progress=3)  # type: ignore[arg-type]

    def boom(done: int, total: int) -> None:
        raise RuntimeError(f"stop at {done}/{total}")

    with pytest.raises(RuntimeError, match="stop at 0/6"):
        arichat.fit(df, "bought", positive="yes", progress=boom)
    # The fit stops when the callback raises (Ctrl-C's KeyboardInterrupt likewise): no
    # fold after it is fitted, so the callback is not called again.
    calls: List[Any] = []

    def stop_at_two(done: int, total: int) -> None:
        calls.append(done)
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        arichat.fit(df, "bought", positive="yes", progress=stop_at_two)
    assert calls == [0, 1, 2]
    card = arichat.fit(df, "bought", positive="yes", folds=0).scorecard
    with pytest.raises(RuntimeError, match="stop at 0/200"):
        card.score_table(df.drop(columns=["bought"]), progress=boom)


def test_score_table_reports_rows_done() -> None:
    df = synthetic(300)
    c = arichat.fit(df, "bought", positive="yes", folds=0).scorecard
    big = pd.concat([df.drop(columns=["bought"])] * 500, ignore_index=True)
    calls: List[Any] = []
    out = c.score_table(big, progress=lambda done, total: calls.append((done, total)))
    assert len(out) == len(big)
    # From 0 to every row, chunk by chunk (65,536 rows), never backwards.
    assert calls[0] == (0, len(big)) and calls[-1] == (len(big), len(big))
    assert len(calls) >= 3
    dones = [d for d, _ in calls]
    assert dones == sorted(dones)


def test_score_table_threads_give_the_single_threaded_output() -> None:
    df = synthetic(300)
    c = arichat.fit(df, "bought", positive="yes", folds=0).scorecard
    # 700 x 300 rows: several chunks of 65,536 rows across two pyarrow batches, so
    # every thread gets a part and parts meet inside a batch.
    big = pa.Table.from_pandas(pd.concat([df.drop(columns=["bought"])] * 700, ignore_index=True))
    big = pa.concat_tables([big.slice(0, 100_000), big.slice(100_000)])
    one = c.score_table(big, explain=2)
    for threads in (2, 3, 0):
        calls: List[Any] = []
        many = c.score_table(
            big, explain=2, threads=threads, progress=lambda done, total: calls.append(done)
        )
        assert many.equals(one), threads
        assert calls[0] == 0 and calls[-1] == big.num_rows and calls == sorted(calls)
    # More threads than chunks, and an empty table.
    small = pa.Table.from_pandas(df.drop(columns=["bought"]))
    assert c.score_table(small, threads=8).equals(c.score_table(small))
    assert c.score_table(small.slice(0, 0), threads=4).num_rows == 0


def test_score_table_threads_stop_on_a_progress_error() -> None:
    df = synthetic(300)
    c = arichat.fit(df, "bought", positive="yes", folds=0).scorecard
    big = pd.concat([df.drop(columns=["bought"])] * 700, ignore_index=True)

    def boom(done: int, total: int) -> None:
        if done > 0:
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError, match="stop"):
        c.score_table(big, threads=2, progress=boom)


def test_fit_errors() -> None:
    df = synthetic(100)
    with pytest.raises(KeyError):
        arichat.fit(df, "missing")
    with pytest.raises(KeyError):
        arichat.fit(df, "bought", positive="yes", drop=["nope"])
    with pytest.raises(InvalidScoringDataError, match="name the positive value"):
        arichat.fit(df.assign(bought="maybe"), "bought")
    with pytest.raises(InvalidScoringDataError):
        arichat.fit(df, "bought", positive="never")
