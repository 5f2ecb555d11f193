"""PySpark local mode: examples/spark/score_leads.py scores a DataFrame with mapInArrow
and the scorecard files, with exactly the single-process results."""

import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pyarrow as pa  # type: ignore[import-untyped]
import pytest

from arichat import Scorecard

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "examples" / "spark"))

import score_leads  # type: ignore[import-not-found]  # noqa: E402

CARDS = [ROOT / "examples/data/demo/scorecard.toml", ROOT / "tests/vectors/scorecard.toml"]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    s = score_leads.session("local[2]")
    # Small Arrow batches, so that every task sees several.
    s.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "128")
    yield s
    s.stop()


def rows(n: int) -> List[Dict[str, Any]]:
    out = score_leads.demo_rows(n, seed=5)
    for i, r in enumerate(out):
        # The shared test scorecard's fields, with nulls.
        r["employees"] = None if i % 9 == 0 else float((i * 37) % 700)
        r["email_domain"] = [None, "gmail.com", "acme.co", ""][i % 4]
    return out


SCHEMA = score_leads.DEMO_SCHEMA + ", employees double, email_domain string"


@pytest.mark.parametrize("card_path", CARDS, ids=lambda p: p.parent.name)
def test_map_in_arrow_equals_single_process(spark: Any, card_path: Path) -> None:
    data = rows(1500)
    df = spark.createDataFrame(data, SCHEMA).repartition(3)
    scored = score_leads.score_dataframe(df, card_path)
    assert scored.rdd.getNumPartitions() == 3
    got = {r["lead_id"]: r.asDict() for r in scored.collect()}
    assert len(got) == len(data)

    card = Scorecard.from_file(card_path)
    # Single process, columnar and row by row.
    table = pa.Table.from_pylist(data)
    local = card.score_table(table).to_pylist()
    for r, want in zip(data, local):
        row = got[r["lead_id"]]
        one = card.score({k: v for k, v in r.items() if k != "lead_id"})
        assert (row["total"], row["fit"], row["grade"], row["stage"]) == (
            want["total"], want["fit"], want["grade"], want["stage"],
        )
        assert (row["total"], row["grade"], row["stage"]) == (one["total"], one["grade"], one["stage"])
        # Input columns come back unchanged.
        assert {k: row[k] for k in r} == r
    # The data exercises more than one grade.
    assert len({g["grade"] for g in local}) >= 2
