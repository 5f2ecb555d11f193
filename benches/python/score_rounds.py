"""Interleaved rounds of the one-thread scoring ratios of score_vs_sklearn.py (same rows,
card and model): arichat ``score_table`` on plain Arrow strings and on dictionaries, and
scikit-learn ``predict_proba`` on the pre-encoded matrix, best of 5 each per round, the
three taking turns, then min / median speedups. For A/B work on a shared machine, where
one run of each drifts with the load:

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 target/bench-venv/bin/python \
        benches/python/score_rounds.py 7       # rounds
"""
import os
import pathlib
import statistics
import sys
import time

import pyarrow as pa
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import arichat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from score_vs_sklearn import CARD, make_rows  # noqa: E402
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
cols = make_rows(1_000_000)
table = pa.table({k: pa.array(list(v) if v.dtype == object else v) for k, v in cols.items()})
df = table.to_pandas()
card = arichat.Scorecard.from_toml(CARD)
numeric = ["age", "income", "visits", "employees", "tenure", "balance"]
text = ["channel", "country", "segment", "product"]
enc = ColumnTransformer([("num", make_pipeline(SimpleImputer(), StandardScaler()), numeric), ("cat", OneHotEncoder(handle_unknown="ignore"), text)])
train = df.sample(50_000, random_state=0).fillna({"product": "none"})
y = card.score_table(pa.Table.from_pandas(train, preserve_index=False)).column("total").to_numpy() > 60
model = make_pipeline(enc, LogisticRegression(max_iter=1000)).fit(train, y)
x = model[0].transform(df.fillna({"product": "none"}))
clf = model[-1]
dtable = pa.table({k: table.column(k).dictionary_encode() if k in text else table.column(k) for k in table.column_names})
assert card.score_table(dtable).column("total").equals(card.score_table(table).column("total"))
def best(fn, k=5):
    ts = []
    for _ in range(k):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return min(ts)
rp, rd = [], []
for r in range(rounds):
    a = best(lambda: card.score_table(table))
    d = best(lambda: card.score_table(dtable))
    s = best(lambda: clf.predict_proba(x))
    rp.append(s / a); rd.append(s / d)
    print(f"round {r}: plain {a*1e3:.1f} ms dict {d*1e3:.1f} ms sklearn {s*1e3:.1f} ms  speedup plain {s/a:.2f} dict {s/d:.2f}  load {os.getloadavg()[0]:.2f}", flush=True)
print(f"plain min/median {min(rp):.2f}/{statistics.median(rp):.2f}  dict {min(rd):.2f}/{statistics.median(rd):.2f}")
