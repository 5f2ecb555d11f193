"""arichat.parse_numbers: the core's number parser for string columns, held to
tests/vectors/numbers.json like `cargo test`."""

import json
import pathlib
import warnings

import pytest

import arichat

VECTORS = json.loads(
    (pathlib.Path(__file__).parents[3] / "tests" / "vectors" / "numbers.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", VECTORS["numbers"], ids=lambda c: f"{c.get('locale', c.get('decimal', 'plain'))}:{c['text']}")
def test_numbers_read_as_the_vectors_say(case: dict) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = arichat.parse_numbers(
            [case["text"]], locale=case.get("locale"), decimal=case.get("decimal"), missing=case.get("markers")
        )
    if "number" in case:
        assert got == [case["number"]]
        assert not caught
    elif case.get("missing"):
        assert got == [None]
        assert not caught
    else:
        assert case["invalid"] is True
        assert got == [None]
        assert len(caught) == 1 and "neither a number nor missing" in str(caught[0].message)


def test_problems_are_counted_with_the_first_row_never_the_value() -> None:
    with pytest.warns(UserWarning, match=r'column "balance": 2 values are neither numbers nor missing \(first at row 2\); some read as 1.234.567,5') as w:
        got = arichat.parse_numbers(["10", "4,5", "secret-42", None], name="balance")
    assert got == [10.0, None, None, None]
    assert "secret" not in str(w[0].message)
    with pytest.raises(ValueError, match="neither"):
        arichat.parse_numbers(["x"], strict=True)


def test_unknown_locale_is_invalid_config() -> None:
    with pytest.raises(arichat.InvalidConfigError, match="unknown locale"):
        arichat.parse_numbers(["1"], locale="xx-ZZ")
    with pytest.raises(arichat.InvalidConfigError, match="not both"):
        arichat.parse_numbers(["1"], locale="es-CO", decimal=",")


@pytest.mark.parametrize("group", VECTORS["explain"], ids=lambda g: str(len(g["rows"])))
def test_score_table_explains_rows_as_the_vectors_say(group: dict) -> None:
    import pyarrow as pa  # type: ignore[import-untyped]

    card = arichat.Scorecard.from_toml(group["card"])
    for row in group["rows"]:
        table = pa.Table.from_pylist([row["record"]])
        out = card.score_table(table, explain=row["explain"], allow_missing=True).to_pylist()[0]
        assert out["reasons"] == row["reasons"]
        got = [[c["rule"], c["points"]] for c in json.loads(out["reasons_json"])]
        assert got == row["contributions"]
        # Without explain, no reasons columns.
        assert "reasons" not in card.score_table(table, allow_missing=True).column_names
    # pandas in: the same reasons, as a column of the frame that comes back.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([group["rows"][0]["record"]])
    out = card.score_table(frame, explain=group["rows"][0]["explain"], allow_missing=True)
    assert out["reasons"].tolist() == [group["rows"][0]["reasons"]]
