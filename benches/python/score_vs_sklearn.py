"""Scoring speed through Python on 1,000,000 rows: arichat's batch scorecard path
against scikit-learn ``LogisticRegression.predict_proba`` on the same rows, in one run.
Also: messages classified per second through ``arichat.classify_many``.

Run (after ``bindings/python/test.sh`` has built the binding into target/py-venv):

    target/py-venv/bin/pip install scikit-learn
    target/py-venv/bin/python benches/python/score_vs_sklearn.py [--rows N]

Both sides get the same columns: 6 numeric and 4 text fields. The scorecard has 25 fit
rules (ranges, equals, one_of, exists over those fields). scikit-learn's model is a
logistic regression fitted beforehand on 50,000 of the rows with the usual encoding
(one-hot text, standardized numbers); its timings are reported with and without the
encoding step, since a data team pays for both. arichat is timed twice: on plain text
columns, and on the same columns dictionary-encoded (pandas ``category``), the Arrow
counterpart of the pre-encoded matrix ``predict_proba`` gets.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

import numpy as np
import pyarrow as pa

import arichat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from record import record  # noqa: E402  (benches/record.py: ratio lines for benches/run)

CARD = "\n".join(
    [
        'name = "bench 25 rules"',
        "base = 10",
        "[fields]",
        'age = "number"', 'income = "number"', 'visits = "number"', 'employees = "number"',
        'tenure = "number"', 'balance = "number"',
        'channel = "text"', 'country = "text"', 'segment = "text"', 'product = "text"',
    ]
    + [
        f'[[fit]]\nid = "{i}"\nfield = "{f}"\n{p}\npoints = {pts}'
        for i, f, p, pts in [
            ("age0", "age", "range = { gte = 18, lt = 25 }", 0),
            ("age1", "age", "range = { gte = 25, lt = 35 }", 5),
            ("age2", "age", "range = { gte = 35, lt = 50 }", 10),
            ("age3", "age", "range = { gte = 50, lt = 65 }", 15),
            ("inc0", "income", "range = { gte = 0, lt = 1000 }", 0),
            ("inc1", "income", "range = { gte = 1000, lt = 5000 }", 4),
            ("inc2", "income", "range = { gte = 5000 }", 8),
            ("inc_missing", "income", "exists = false", -5),
            ("visits_many", "visits", "range = { gt = 5 }", 10),
            ("visits_none", "visits", "equals = 0", -5),
            ("emp_mid", "employees", "range = { gte = 50, lt = 500 }", 15),
            ("emp_big", "employees", "range = { gte = 500 }", 20),
            ("tenure_long", "tenure", "range = { gte = 24 }", 6),
            ("balance_neg", "balance", "range = { lt = 0 }", -10),
            ("balance_high", "balance", "range = { gte = 10000 }", 12),
            ("ch_wa", "channel", 'equals = "whatsapp"', 8),
            ("ch_ig", "channel", 'equals = "instagram"', 4),
            ("ch_tg", "channel", 'equals = "telegram"', 2),
            ("core_mkt", "country", 'one_of = ["CO", "MX", "AR"]', 10),
            ("br", "country", 'equals = "BR"', 6),
            ("other_mkt", "country", 'none_of = ["CO", "MX", "AR", "BR"]', -3),
            ("seg_sme", "segment", 'equals = "sme"', 12),
            ("seg_corp", "segment", 'equals = "corporate"', 18),
            ("prod_credit", "product", 'one_of = ["credit", "mortgage"]', 9),
            ("prod_missing", "product", "exists = false", -4),
        ]
    ]
)


def make_rows(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(8, 1, n)
    income[rng.random(n) < 0.05] = np.nan
    product = rng.choice(np.array(["credit", "mortgage", "savings", "card", ""], dtype=object), n)
    return {
        "age": rng.integers(18, 80, n).astype(float),
        "income": income,
        "visits": rng.poisson(3, n).astype(float),
        "employees": rng.integers(1, 2000, n).astype(float),
        "tenure": rng.integers(0, 120, n).astype(float),
        "balance": rng.normal(3000, 6000, n),
        "channel": rng.choice(np.array(["whatsapp", "messenger", "instagram", "telegram"], dtype=object), n),
        "country": rng.choice(np.array(["CO", "MX", "AR", "BR", "PE", "CL"], dtype=object), n),
        "segment": rng.choice(np.array(["retail", "sme", "corporate"], dtype=object), n),
        "product": np.where(product == "", None, product),
    }


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    n = args.rows

    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from sklearn.impute import SimpleImputer
    import pandas as pd

    cols = make_rows(n)
    table = pa.table({k: pa.array(list(v) if v.dtype == object else v) for k, v in cols.items()})
    df = table.to_pandas()
    card = arichat.Scorecard.from_toml(CARD)

    numeric = ["age", "income", "visits", "employees", "tenure", "balance"]
    text = ["channel", "country", "segment", "product"]
    enc = ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(), StandardScaler()), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore"), text),
        ]
    )
    train = df.sample(50_000, random_state=0).fillna({"product": "none"})
    y = (card.score_table(pa.Table.from_pandas(train, preserve_index=False)).column("total").to_numpy() > 60)
    model = make_pipeline(enc, LogisticRegression(max_iter=1000)).fit(train, y)
    df_filled = df.fillna({"product": "none"})
    x_encoded = model[0].transform(df_filled)
    clf = model[-1]

    # The text columns dictionary-encoded (pandas `category`, polars `Categorical`, Arrow
    # `dictionary`): the columnar counterpart of sklearn's pre-encoded matrix, where the
    # text was turned into numbers before the timer starts.
    dtable = pa.table(
        {k: table.column(k).dictionary_encode() if k in text else table.column(k) for k in table.column_names}
    )
    assert card.score_table(dtable).column("total").equals(card.score_table(table).column("total"))

    t_arichat = best_of(lambda: card.score_table(table))
    t_arichat_dict = best_of(lambda: card.score_table(dtable))
    threads = os.cpu_count() or 1
    t_arichat_mt = best_of(lambda: card.score_table(table, threads=0))
    t_sklearn_proba = best_of(lambda: clf.predict_proba(x_encoded))
    t_sklearn_full = best_of(lambda: model.predict_proba(df_filled))

    # Same answers as row by row (a spot check; the test suite checks it fully).
    scores = card.score_table(table).column("total").to_numpy()
    for i in range(0, n, max(1, n // 50)):
        row = {k: (None if (isinstance(v[i], float) and np.isnan(v[i])) else v[i]) for k, v in cols.items()}
        assert abs(card.score(row)["total"] - scores[i]) < 1e-9, i

    data = pathlib.Path(__file__).resolve().parents[2] / "crates/arichat-core/tests/data/intents.tsv"
    texts = [line.split("\t", 2)[2] for line in data.read_text().splitlines()[1:] if line.count("\t") >= 2]
    many = (texts * (100_000 // max(1, len(texts)) + 1))[:100_000]
    t_classify = best_of(lambda: arichat.classify_many(many), repeat=2)

    print(f"rows: {n:,}  (arichat {arichat.version()})")
    print(f"arichat Scorecard.score_table (pyarrow, 25 rules): {t_arichat:.3f} s  -> {n / t_arichat / 1e6:.2f} M rows/s")
    print(f"arichat score_table(threads=0), {threads} threads:     {t_arichat_mt:.3f} s  -> {n / t_arichat_mt / 1e6:.2f} M rows/s")
    print(f"arichat score_table, text as Arrow dictionaries:    {t_arichat_dict:.3f} s  -> {n / t_arichat_dict / 1e6:.2f} M rows/s")
    print(f"sklearn predict_proba (pre-encoded matrix):         {t_sklearn_proba:.3f} s  -> {n / t_sklearn_proba / 1e6:.2f} M rows/s"
          f"  ratio arichat/sklearn time = {t_arichat / t_sklearn_proba:.2f}")
    print(f"sklearn pipeline predict_proba (encode + predict):  {t_sklearn_full:.3f} s  -> {n / t_sklearn_full / 1e6:.2f} M rows/s"
          f"  ratio arichat/sklearn time = {t_arichat / t_sklearn_full:.2f}")
    import sklearn

    versions = {"arichat": arichat.version(), "scikit-learn": sklearn.__version__, "numpy": np.__version__}
    case = f"{n:,} rows, 25 rules, one thread"
    record("Python scoring", case, t_arichat, "sklearn predict_proba (pre-encoded)", t_sklearn_proba, versions)
    record("Python scoring", case, t_arichat, "sklearn pipeline (encode + predict)", t_sklearn_full, versions)
    case_dict = f"{n:,} rows, 25 rules, one thread, text as Arrow dictionaries (pandas category)"
    record("Python scoring", case_dict, t_arichat_dict, "sklearn predict_proba (pre-encoded)", t_sklearn_proba, versions)
    case_mt = f"{n:,} rows, 25 rules, arichat on {threads} threads"
    record("Python scoring", case_mt, t_arichat_mt, "sklearn predict_proba (pre-encoded)", t_sklearn_proba, versions)
    print(f"arichat.classify_many: {len(many):,} messages in {t_classify:.3f} s -> {len(many) / t_classify:,.0f} messages/s")


if __name__ == "__main__":
    main()
