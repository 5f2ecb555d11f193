#!/usr/bin/env python3
"""Fitted arichat scorecard vs scikit-learn LogisticRegression on UCI bank marketing.

Runs both on exactly the same 5 stratified folds and prints both held-out ROC-AUCs:

    python3 -m venv target/py-bench && target/py-bench/bin/pip install scikit-learn pandas
    target/py-bench/bin/python benches/python/fit_vs_sklearn.py [--data PATH] [--seed 42]

arichat: `cargo run --release -p arichat-core --example fit_bank`, which draws the
folds (seeded, stratified), writes them to target/bank_folds.csv and reports the CV
AUC of the integer-points scorecard it fits on each training part.
scikit-learn: LogisticRegression (L2, C=1.0, lbfgs) on one-hot categoricals plus
standardized numeric columns, fitted and scored on the same folds.
`duration` is dropped by both (it leaks the label). Exits 1 if arichat's mean AUC
is below scikit-learn's minus 0.005.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "datasets", "bank-additional-full.csv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--seed", default="42")
    args = ap.parse_args()
    folds_path = os.path.join(ROOT, "target", "bank_folds.csv")

    t = time.time()
    out = subprocess.run(
        ["cargo", "run", "--quiet", "--release", "-p", "arichat-core", "--example", "fit_bank", "--",
         "--data", args.data, "--seed", args.seed, "--folds-out", folds_path],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    ari = json.loads(out)
    ari_wall = time.time() - t

    df = pd.read_csv(args.data, sep=";")
    y = (df.pop("y") == "yes").to_numpy()
    df = df.drop(columns=["duration"])
    folds = pd.read_csv(folds_path)["fold"].to_numpy()
    assert len(folds) == len(df), "fold file does not match the data"
    cat = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    num = [c for c in df.columns if c not in cat]

    t = time.time()
    aucs = []
    for k in sorted(set(folds)):
        train, test = folds != k, folds == k
        model = make_pipeline(
            ColumnTransformer([
                ("cat", OneHotEncoder(handle_unknown="ignore"), cat),
                ("num", StandardScaler(), num),
            ]),
            LogisticRegression(C=1.0, max_iter=5000),
        )
        model.fit(df[train], y[train])
        aucs.append(roc_auc_score(y[test], model.predict_proba(df[test])[:, 1]))
    sk_wall = time.time() - t
    sk_mean = float(np.mean(aucs))

    result = {
        "rows": len(df),
        "seed": int(args.seed),
        "arichat_auc_mean": ari["auc_mean"],
        "arichat_auc_folds": [f["auc"] for f in ari["folds"]],
        "arichat_brier": ari["brier"],
        "arichat_cv_seconds": ari["cv_seconds"],
        "arichat_wall_seconds_incl_build": ari_wall,
        "sklearn_version": sklearn.__version__,
        "sklearn_auc_mean": sk_mean,
        "sklearn_auc_folds": aucs,
        "sklearn_cv_seconds": sk_wall,
        "difference": ari["auc_mean"] - sk_mean,
    }
    print(json.dumps(result, indent=2))
    if ari["auc_mean"] < sk_mean - 0.005:
        print("FAIL: arichat AUC below scikit-learn - 0.005", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
