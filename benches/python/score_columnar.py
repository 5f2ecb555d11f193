"""Columnar scoring on 1,000,000 rows with a 25-rule scorecard, in one run:

  (a) pure Rust: `Scorecard::score_batch` in the `score_columns` example of arichat-core,
      on the same rows (written to a temp directory; only scoring is timed), with the
      text columns as plain strings and dictionary-encoded;
  (b) arichat's columnar Python path, `Scorecard.score_table`, from a pyarrow Table, a
      pandas DataFrame and a polars DataFrame (Arrow C data interface, GIL released),
      each with the four text columns as plain strings and as categoricals (pyarrow
      dictionary, pandas `category`, polars `Categorical`) — the encoded form that
      scikit-learn's pre-encoded matrix corresponds to;
  (c) scikit-learn `LogisticRegression.predict_proba`: on the pre-encoded matrix, and
      as the encode + predict pipeline a data team runs on the DataFrame;
  (d) the same scorecard hand-vectorized in pandas/NumPy (total, grade, stage).

Also: messages classified per second, `classify_many` (list in, dicts out) beside
`classify_column` (Arrow column in, an Arrow table of primary, confidence, language, uncertain, opt_out out).

Run from the repository root after `bindings/python/test.sh` has made target/py-venv,
with a release build of the binding:

    (cd bindings/python && VIRTUAL_ENV=$PWD/../../target/py-venv \\
        PATH=$PWD/../../target/py-venv/bin:$PATH maturin develop --release)
    target/py-venv/bin/pip install scikit-learn
    target/py-venv/bin/python benches/python/score_columnar.py [--rows 1000000]

Every path's totals are checked equal to arichat's before anything is printed, and a
sample of rows against row-by-row `Scorecard.score`.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import arichat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from score_vs_sklearn import CARD, make_rows  # noqa: E402  (same card, same rows)

ROOT = pathlib.Path(__file__).resolve().parents[2]


def best_of(fn: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def pandas_scorecard(df: pd.DataFrame) -> Dict[str, np.ndarray]:
    """CARD's 25 rules written by hand with pandas/NumPy, as a data team would."""
    age, inc, visits, emp = df["age"], df["income"], df["visits"], df["employees"]
    tenure, bal = df["tenure"], df["balance"]
    ch, country, seg, prod = df["channel"], df["country"], df["segment"], df["product"]
    w = np.where
    total = (
        10.0
        + w((age >= 25) & (age < 35), 5, 0)
        + w((age >= 35) & (age < 50), 10, 0)
        + w((age >= 50) & (age < 65), 15, 0)
        + w((inc >= 1000) & (inc < 5000), 4, 0)
        + w(inc >= 5000, 8, 0)
        + w(inc.isna(), -5, 0)
        + w(visits > 5, 10, 0)
        + w(visits == 0, -5, 0)
        + w((emp >= 50) & (emp < 500), 15, 0)
        + w(emp >= 500, 20, 0)
        + w(tenure >= 24, 6, 0)
        + w(bal < 0, -10, 0)
        + w(bal >= 10000, 12, 0)
        + w(ch == "whatsapp", 8, 0)
        + w(ch == "instagram", 4, 0)
        + w(ch == "telegram", 2, 0)
        + w(country.isin(["CO", "MX", "AR"]), 10, 0)
        + w(country == "BR", 6, 0)
        + w(country.notna() & ~country.isin(["CO", "MX", "AR", "BR"]), -3, 0)
        + w(seg == "sme", 12, 0)
        + w(seg == "corporate", 18, 0)
        + w(prod.isin(["credit", "mortgage"]), 9, 0)
        + w(prod.isna(), -4, 0)
    ).astype(np.float64)
    grade = np.select([total >= 75, total >= 50, total >= 25], ["a", "b", "c"], "d")
    stage = np.select([total >= 75, total >= 50], ["sql", "mql"], "iql")
    return {"total": total, "grade": grade, "stage": stage}


def rust_figure(cols: Dict[str, np.ndarray], card: str, dictionary: bool = False) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        d = pathlib.Path(tmp)
        (d / "card.toml").write_text(card)
        for name, v in cols.items():
            if v.dtype == object:
                (d / f"{name}.txt").write_text("\n".join("" if x is None else x for x in v) + "\n")
            else:
                v.astype("<f8").tofile(d / f"{name}.f64")
        out = subprocess.run(
            ["cargo", "run", "--release", "--quiet", "-p", "arichat-core", "--example", "score_columns",
             "--", str(d / "card.toml"), str(d), "--repeat", "5"] + (["--dictionary"] if dictionary else []),
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.rows

    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    import sklearn

    cols = make_rows(n)
    table = pa.table({k: pa.array(v) for k, v in cols.items()})
    df = table.to_pandas()
    pdf = pl.from_arrow(table)
    assert isinstance(pdf, pl.DataFrame)
    text_cols = [k for k, v in cols.items() if v.dtype == object]
    table_cat = pa.table({k: (pa.array(v).dictionary_encode() if k in text_cols else pa.array(v)) for k, v in cols.items()})
    df_cat = df.astype({k: "category" for k in text_cols})
    pdf_cat = pdf.with_columns([pl.col(k).cast(pl.Categorical) for k in text_cols])
    card = arichat.Scorecard.from_toml(CARD)

    # scikit-learn: a logistic regression fitted on 50,000 of the rows, the usual encoding.
    numeric = ["age", "income", "visits", "employees", "tenure", "balance"]
    text = ["channel", "country", "segment", "product"]
    enc = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(), StandardScaler()), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), text),
        ]
    )
    df_filled = df.astype({c: object for c in text}).fillna({"product": "none"})
    train = df_filled.sample(50_000, random_state=0)
    y = card.score_table(pa.Table.from_pandas(train, preserve_index=False)).column("total").to_numpy() > 60
    model = make_pipeline(enc, LogisticRegression(max_iter=1000)).fit(train, y)
    x_encoded = model[0].transform(df_filled)
    clf = model[-1]

    # Same answers everywhere before timing anything.
    ref = card.score_table(table)
    totals = ref.column("total").to_numpy()
    assert np.array_equal(np.asarray(card.score_table(df)["total"]), totals)
    assert np.array_equal(np.asarray(card.score_table(pdf)["total"]), totals)
    assert np.array_equal(card.score_table(table_cat).column("total").to_numpy(), totals)
    assert np.array_equal(np.asarray(card.score_table(df_cat)["total"]), totals)
    assert np.array_equal(np.asarray(card.score_table(pdf_cat)["total"]), totals)
    hand = pandas_scorecard(df)
    assert np.array_equal(hand["total"], totals)
    assert np.array_equal(pandas_scorecard(df_cat)["total"], totals)
    assert hand["grade"].tolist() == ref.column("grade").to_pylist()
    assert hand["stage"].tolist() == ref.column("stage").to_pylist()
    for i in range(0, n, max(1, n // 50)):
        row = {k: (None if isinstance(v[i], float) and np.isnan(v[i]) else v[i]) for k, v in cols.items()}
        assert card.score(row)["total"] == totals[i], i
    rust = rust_figure(cols, CARD)
    rust_dict = rust_figure(cols, CARD, dictionary=True)
    for r in (rust, rust_dict):
        assert r["rows"] == n and abs(r["total_sum"] - float(totals.sum())) < 1e-6 * n

    t = {
        "rust": rust["best_seconds"],
        "rust_dict": rust_dict["best_seconds"],
        "pyarrow": best_of(lambda: card.score_table(table)),
        "pandas": best_of(lambda: card.score_table(df)),
        "polars": best_of(lambda: card.score_table(pdf)),
        "pyarrow_cat": best_of(lambda: card.score_table(table_cat)),
        "pandas_cat": best_of(lambda: card.score_table(df_cat)),
        "polars_cat": best_of(lambda: card.score_table(pdf_cat)),
        "sk_proba": best_of(lambda: clf.predict_proba(x_encoded)),
        "sk_pipeline": best_of(lambda: model.predict_proba(df_filled)),
        "pandas_hand": best_of(lambda: pandas_scorecard(df)),
        "pandas_hand_cat": best_of(lambda: pandas_scorecard(df_cat)),
    }

    data = ROOT / "crates/arichat-core/tests/data/intents.tsv"
    msgs = [line.split("\t", 2)[2] for line in data.read_text().splitlines()[1:] if line.count("\t") >= 2]
    many = (msgs * (100_000 // max(1, len(msgs)) + 1))[:100_000]
    many_arrow = pa.array(many)
    assert arichat.classify_column(many_arrow)["primary"].to_pylist() == [c["primary"] for c in arichat.classify_many(many)]
    t_many = best_of(lambda: arichat.classify_many(many), repeat=2)
    t_col = best_of(lambda: arichat.classify_column(many_arrow), repeat=2)

    base = t["pyarrow_cat"]
    print(f"rows: {n:,}  arichat {arichat.version()}  scikit-learn {sklearn.__version__}  "
          f"pandas {pd.__version__}  polars {pl.__version__}  pyarrow {pa.__version__}")
    print(f"{'path':62} {'time':>8} {'rows/s':>9}  time / arichat(pyarrow, categorical)")
    rowsfmt = [
        ("(a) Rust Scorecard::score_batch, text as strings", "rust"),
        ("(a) Rust Scorecard::score_batch, text dictionary-encoded", "rust_dict"),
        ("(b) arichat score_table(pyarrow.Table), text as strings", "pyarrow"),
        ("(b) arichat score_table(pandas.DataFrame), object strings", "pandas"),
        ("(b) arichat score_table(polars.DataFrame), pl.String", "polars"),
        ("(b) arichat score_table(pyarrow.Table), text dictionaries", "pyarrow_cat"),
        ("(b) arichat score_table(pandas.DataFrame), category dtype", "pandas_cat"),
        ("(b) arichat score_table(polars.DataFrame), pl.Categorical", "polars_cat"),
        ("(c) sklearn predict_proba, pre-encoded matrix", "sk_proba"),
        ("(c) sklearn pipeline predict_proba (encode + predict)", "sk_pipeline"),
        ("(d) same scorecard hand-vectorized in pandas/NumPy", "pandas_hand"),
        ("(d) the same on the category-dtype frame", "pandas_hand_cat"),
    ]
    for label, key in rowsfmt:
        print(f"{label:62} {t[key]:7.3f}s {n / t[key] / 1e6:7.2f} M  {t[key] / base:6.2f}")
    print(f"classify_many   {len(many):,} messages: {t_many:.3f} s -> {len(many) / t_many:,.0f} messages/s")
    print(f"classify_column {len(many):,} messages: {t_col:.3f} s -> {len(many) / t_col:,.0f} messages/s")


if __name__ == "__main__":
    main()
