"""The columnar path: score_table and classify_column through the Arrow C data interface,
checked against row-by-row Scorecard.score and classify on pyarrow, pandas and polars."""

import random
from datetime import datetime, timezone
from typing import Any, Dict, List, Mapping

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pytest

import arichat
from arichat import InvalidScoringDataError, Scorecard

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

# Every predicate kind, a cap group and fields of each type.
CARD = Scorecard.from_toml(
    """
name = "columnar"
base = 3

[[fit]]
id = "adult"
field = "age"
range = { gte = 18, lt = 65 }
points = 7
[[fit]]
id = "senior"
field = "age"
range = { gt = 64.5 }
points = -2
[[fit]]
id = "no_age"
field = "age"
exists = false
points = -4
[[fit]]
id = "visits_3"
field = "visits"
equals = 3
points = 5
[[fit]]
id = "visits_many"
field = "visits"
one_of = [5, 6, 7]
points = 6
group = "engaged"
[[fit]]
id = "vip"
field = "vip"
equals = true
points = 9
group = "engaged"
[[fit]]
id = "vip_known"
field = "vip"
exists = true
points = 1
[[fit]]
id = "core_market"
field = "country"
one_of = ["CO", "MX", "AR"]
points = 10
[[fit]]
id = "elsewhere"
field = "country"
none_of = ["CO", "MX", "AR", "BR"]
points = -3
[[fit]]
id = "boss"
field = "title"
word = "ceo"
points = 12
[[fit]]
id = "gerente"
field = "title"
starts_with = "gerente"
points = 8
[[fit]]
id = "bank"
field = "company"
contains = "banco"
points = 4
[[fit]]
id = "zip_05"
field = "zip"
equals = 5
points = 2

[groups.engaged]
max = 10

[grades]
a = 35
b = 20
c = 10

[stages]
mql = 15
sql = 30
"""
)

TITLES = ["CEO", "ceo & founder", "Gerente General", "subgerente", "", None, "Dueña — CEO", "analista"]
COMPANIES = ["Banco de Bogotá", "BANCOLOMBIA", "acme", "", None, "Bancó"]


def rows(n: int = 400, seed: int = 3) -> List[Dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        age: Any = rng.choice([None, float("nan"), 17, 18, 30.5, 64.9, 65, 80])
        out.append(
            {
                "age": age,
                "visits": rng.choice([None, 0, 3, 5, 7, 9]),
                "vip": rng.choice([None, True, False]),
                "country": rng.choice(["CO", "MX", "BR", "PE", "", None]),
                "title": rng.choice(TITLES),
                "company": rng.choice(COMPANIES),
                "zip": rng.choice(["05", "5", "050", None, "x"]),
            }
        )
    return out


def expected(records: List[Dict[str, Any]], engagement: Any = None) -> Dict[str, List[Any]]:
    results = [CARD.score(r, None, NOW) for r in records]
    extra = engagement if engagement is not None else [0.0] * len(records)
    totals = [r["total"] + e for r, e in zip(results, extra)]
    out: Dict[str, List[Any]] = {"total": totals, "fit": [r["fit"] for r in results]}
    if engagement is None:
        out["grade"] = [r["grade"] for r in results]
        out["stage"] = [r["stage"] for r in results]
    return out


def columns(records: List[Dict[str, Any]]) -> Dict[str, List[Any]]:
    return {k: [r[k] for r in records] for k in records[0]}


def arrow_table(records: List[Dict[str, Any]]) -> Any:
    # float64 for age (NaN stays a value, None a null), int64 visits, bool, strings.
    return pa.table(columns(records))


def as_lists(out: Any) -> Dict[str, List[Any]]:
    if isinstance(out, pa.Table):
        return {k: v for k, v in out.to_pydict().items()}
    if isinstance(out, pd.DataFrame):
        return {str(k): v for k, v in out.to_dict("list").items()}
    if isinstance(out, pl.DataFrame):
        return out.to_dict(as_series=False)
    assert isinstance(out, dict)
    return {k: np.asarray(v).tolist() for k, v in out.items()}


def check(out: Any, records: List[Dict[str, Any]]) -> None:
    got = as_lists(out)
    want = expected(records)
    assert got["total"] == want["total"]
    assert got["fit"] == want["fit"]
    assert got["grade"] == want["grade"]
    assert got["stage"] == want["stage"]


def test_pyarrow_table_and_batch_equal_row_by_row() -> None:
    records = rows()
    table = arrow_table(records)
    out = CARD.score_table(table)
    assert isinstance(out, pa.Table)
    assert out.column_names == ["total", "fit", "grade", "stage"]
    assert out.schema.field("total").type == pa.float64()
    check(out, records)
    check(CARD.score_table(table.to_batches()[0]), records)


def test_chunked_table_with_engagement_across_chunks() -> None:
    records = rows(301)
    table = pa.Table.from_batches(arrow_table(records).to_batches(max_chunksize=64))
    assert table.column("age").num_chunks == 5
    check(CARD.score_table(table), records)
    engagement = [float(i % 7) for i in range(len(records))]
    got = as_lists(CARD.score_table(table, engagement=engagement))
    want = expected(records, engagement)
    assert got["total"] == want["total"] and got["fit"] == want["fit"]
    with pytest.raises(InvalidScoringDataError, match="301"):
        CARD.score_table(table, engagement=[1.0])


def test_batches_longer_than_one_scoring_chunk() -> None:
    # score_table hands the core at most 65,536 rows at a time: a 150,000-row batch (with
    # engagement) scores as the same rows cut into small batches, and as row by row
    # around the cuts.
    records = rows(150_000, seed=5)
    table = arrow_table(records)
    assert table.column("age").num_chunks == 1
    engagement = [float(i % 11) for i in range(len(records))]
    whole = as_lists(CARD.score_table(table, engagement=engagement))
    small = pa.Table.from_batches(table.to_batches(max_chunksize=1000))
    assert whole == as_lists(CARD.score_table(small, engagement=engagement))
    for i in [0, 65_535, 65_536, 65_537, 131_071, 131_072, 149_999]:
        one = CARD.score(records[i], None, NOW)
        assert whole["fit"][i] == one["fit"], i
        assert whole["total"][i] == one["total"] + engagement[i], i


def test_pandas_frames_equal_row_by_row() -> None:
    records = rows()
    df = pd.DataFrame(columns(records), index=[f"lead-{i}" for i in range(len(records))])
    out = CARD.score_table(df)
    # A pandas frame back, on the input's index: `df.join(out)` lines up row for row.
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["total", "fit", "grade", "stage"]
    assert out.index.equals(df.index) and out["total"].dtype == np.float64
    check(out, records)
    joined = df.join(out)
    assert joined.loc["lead-7", "total"] == CARD.score(records[7], None, NOW)["total"]
    # Nullable and categorical dtypes go through Arrow (categoricals as dictionaries).
    typed = df.astype({"visits": "Int64", "vip": "boolean", "country": "category", "title": "string"})
    check(CARD.score_table(typed), records)


def test_polars_frames_equal_row_by_row() -> None:
    records = rows()
    df = pl.DataFrame(columns(records), strict=False)
    out = CARD.score_table(df)
    assert isinstance(out, pl.DataFrame) and out.columns == ["total", "fit", "grade", "stage"]
    check(out, records)
    cat = df.with_columns(pl.col("country").cast(pl.Categorical), pl.col("visits").cast(pl.Int8))
    check(CARD.score_table(cat), records)


def test_numeric_and_dictionary_types() -> None:
    records = rows(120)
    table = arrow_table(records)
    for t in [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64(), pa.float32(), pa.float64()]:
        cast = table.set_column(1, "visits", table.column("visits").cast(t))
        check(CARD.score_table(cast), records)
    for name in ["country", "title"]:
        i = table.schema.get_field_index(name)
        enc = table.set_column(i, name, table.column(name).dictionary_encode())
        check(CARD.score_table(enc), records)
        large = table.set_column(i, name, table.column(name).cast(pa.large_string()))
        check(CARD.score_table(large), records)
    # A sliced batch (non-zero Arrow offsets) reads the right rows.
    batch = table.to_batches()[0].slice(17, 50)
    check(CARD.score_table(batch), records[17:67])


def test_dictionary_keys_of_every_width_nulls_and_slices() -> None:
    # Text dictionaries stay encoded in the core (each distinct value tested once): keys of
    # every integer width, null keys or null values, sliced keys; same rows as row by row.
    records = rows(150)
    table = arrow_table(records)
    i = table.schema.get_field_index("country")
    masked = table.column("country").combine_chunks().dictionary_encode()
    as_value = table.column("country").combine_chunks().dictionary_encode(null_encoding="encode")
    assert masked.indices.null_count > 0 and as_value.indices.null_count == 0
    for enc in [masked, as_value]:
        for t in [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]:
            keyed = pa.DictionaryArray.from_arrays(enc.indices.cast(t), enc.dictionary)
            check(CARD.score_table(table.set_column(i, "country", keyed)), records)
        sliced = table.set_column(i, "country", enc).to_batches()[0].slice(33, 70)
        check(CARD.score_table(sliced), records[33:103])
    # A key outside the dictionary (or a negative one) is bad data, not a crash.
    for bad in [[0, 7], [0, -1]]:
        keys = pa.array(bad, pa.int32())
        arr = pa.DictionaryArray.from_arrays(keys, pa.array(["CO", "MX"]), safe=False)
        with pytest.raises(InvalidScoringDataError, match="key outside"):
            CARD.score_table(pa.table({"country": arr}), allow_missing=True)


def test_nulls_missing_and_extra_columns() -> None:
    records = [{k: None for k in rows(1)[0]} for _ in range(4)]
    table = pa.table({k: pa.nulls(4) for k in records[0]})
    check(CARD.score_table(table), records)
    # A table without a field the card reads is refused, naming the field (and a column
    # that differs only in case); allow_missing=True scores it as null in every row,
    # with a warning. Columns no rule reads are ignored, whatever their type.
    only = pa.table({"age": [30.0, None], "Country": ["CO", "MX"], "when": pa.array([1, 2], pa.timestamp("s"))})
    with pytest.raises(InvalidScoringDataError, match=r'"country" \(did you mean "Country"\?\)'):
        CARD.score_table(only)
    with pytest.warns(UserWarning, match=r"rules read them; scoring anyway"):
        check(CARD.score_table(only, allow_missing=True), [{"age": 30.0}, {"age": None}])
    # No scorecard field at all: every row still gets the base and null-matching rules.
    with pytest.warns(UserWarning):
        check(CARD.score_table(pa.table({"other": [1, 2, 3]}), allow_missing=True), [{}, {}, {}])
    empty = CARD.score_table(arrow_table(rows(3)).slice(0, 0))
    assert empty.num_rows == 0


def test_any_pycapsule_producer() -> None:
    records = rows(50)
    table = arrow_table(records)

    class StreamOnly:
        def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
            return table.__arrow_c_stream__(requested_schema)

    class ArrayOnly:
        def __arrow_c_array__(self, requested_schema: Any = None) -> Any:
            return table.to_batches()[0].__arrow_c_array__(requested_schema)

    check(CARD.score_table(StreamOnly()), records)
    check(CARD.score_table(ArrayOnly()), records)


def test_wrong_types_raise_typed_errors() -> None:
    when = pa.table({"age": pa.array([1, 2], pa.timestamp("s"))})
    with pytest.raises(InvalidScoringDataError, match=r"column \"age\" has Arrow type Timestamp") as info:
        CARD.score_table(when, allow_missing=True)
    assert info.value.code == "invalid_scoring_data"
    with pytest.raises(InvalidScoringDataError, match="List"):
        CARD.score_table(pa.table({"title": [["a"], ["b"]]}), allow_missing=True)
    with pytest.raises(InvalidScoringDataError, match="one type per column"):
        CARD.score_table({"country": ["CO", 3]})
    with pytest.raises(InvalidScoringDataError, match="equal lengths"):
        CARD.score_table({"age": [1, 2], "country": ["CO"]})
    with pytest.raises(TypeError, match="table"):
        CARD.score_table(pa.array([1.0, 2.0]))
    with pytest.raises(TypeError, match="__arrow_c_stream__"):
        CARD.score_table([1, 2, 3])


# --- classify_column -------------------------------------------------------------

MESSAGES = [
    "no me interesa",
    "hola, cuánto cuesta?",
    "oi, vcs parcelam em 10x?",
    "quiero comprar 2 😀",
    "",
    None,
    "my card was charged twice!!",
    "can we do a call tomorrow at 3?",
    "muy caro, lo voy a pensar",
    "STOP",
]


COLUMNS = ["primary", "confidence", "language", "uncertain", "opt_out"]


def answers(texts: List[Any]) -> List[Dict[str, Any]]:
    """classify's answer for each message, without spans; a row of nulls for None."""

    def row(c: Mapping[str, Any]) -> Dict[str, Any]:
        return {k: c[k] for k in COLUMNS}

    return [{k: None for k in COLUMNS} if t is None else row(arichat.classify(t)) for t in texts]


def test_classify_column_equals_classify() -> None:
    texts = MESSAGES * 7
    want = answers(texts)
    out = arichat.classify_column(pa.array(texts))
    assert isinstance(out, pa.Table)
    assert out.column_names == COLUMNS
    for name in ("primary", "language", "opt_out"):
        assert out.schema.field(name).type == pa.dictionary(pa.int8(), pa.string())
    assert out.schema.field("confidence").type == pa.float64()
    assert out.schema.field("uncertain").type == pa.bool_()
    assert out.to_pylist() == want
    primaries = [w["primary"] for w in want]
    assert primaries.count(None) == 7 and "opt_out" in primaries and "price_inquiry" in primaries
    primary = out["primary"].combine_chunks()
    names = primary.dictionary.to_pylist()
    assert len(names) == 9 and len(set(names)) == 9  # every intent, once
    codes = primary.indices.to_numpy(zero_copy_only=False)
    assert [None if np.isnan(c) else names[int(c)] for c in codes] == primaries
    assert out["opt_out"].combine_chunks().dictionary.to_pylist() == ["explicit", "implicit"]
    chunked = pa.chunked_array([texts[:9], texts[9:40], texts[40:]])
    assert arichat.classify_column(chunked).to_pylist() == want
    assert arichat.classify_column(pa.array(texts).dictionary_encode()).to_pylist() == want
    assert arichat.classify_column(pa.array(texts, pa.large_string())).to_pylist() == want
    assert arichat.classify_column(pl.Series("m", texts)).to_pylist() == want
    assert arichat.classify_column(pd.Series(texts)).to_pylist() == want
    assert arichat.classify_column(texts).to_pylist() == want
    assert arichat.classify_column(pa.table({"m": texts})).to_pylist() == want
    assert arichat.classify_column([]).to_pylist() == []
    # Straight into a DataFrame.
    frame = pl.from_arrow(arichat.classify_column(texts))
    assert isinstance(frame, pl.DataFrame)
    assert frame["primary"].to_list() == primaries


def test_classify_column_wrong_types() -> None:
    with pytest.raises(InvalidScoringDataError, match="reads text"):
        arichat.classify_column(pa.array([1, 2]))
    with pytest.raises(TypeError, match="one text column"):
        arichat.classify_column(pa.table({"a": ["x"], "b": ["y"]}))
    with pytest.raises(TypeError):
        arichat.classify_column("not a column")
