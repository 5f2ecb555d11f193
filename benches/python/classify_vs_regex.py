"""Intent classification through Python on 1,000,000 short messages, in one run:

  (a) arichat `classify_column` (Arrow column in, an Arrow table out; the hybrid
      classifier: scoped lexicon + hashed n-gram model, GIL released);
  (b) arichat `classify_many` (list in, dicts out);
  (c) a plain-Python baseline: one compiled regular expression per intent over the
      same built-in lexicon (crates/arichat-core/src/intent/defaults.txt), accents
      folded with unicodedata, the highest-precedence match wins — what a team writes
      before adopting a library.

Rounds are interleaved; the figure to read is the ratio to the regex baseline in the
same round. Also p50/p99 of one `classify` call from Python.

    benches/python/classify_vs_regex.sh [--messages 1000000 --rounds 3]
"""
from __future__ import annotations

import argparse
import glob
import itertools
import pathlib
import re
import statistics
import sys
import time
import unicodedata

import pyarrow as pa

import arichat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from record import record  # noqa: E402  (benches/record.py: ratio lines for benches/run)

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRECEDENCE = ["opt_out", "support", "purchase_intent", "negotiation", "objection",
              "price_inquiry", "scheduling", "greeting"]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def phrase_regex(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        if word == "...":
            parts.append(r"(?:\w+\W+){0,3}?")
            continue
        if word in ("#", "#x", "#h"):
            parts.append(r"\d+\w*\W*")
            continue
        stem = word.rstrip("*")
        body = re.escape(fold(stem)) + (r"\w*" if word.endswith("*") else r"\b")
        parts.append(body + r"\W*")
    return r"\b" + "".join(parts)


def regex_classifier():
    by_intent: dict[str, list[str]] = {}
    intent = None
    for line in (ROOT / "crates/arichat-core/src/intent/defaults.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("["):
            intent = line[1:-1].split()[0]
            continue
        phrase = re.sub(r"\s*@[0-9.]+$", "", line).lstrip("!+-")
        if intent and phrase:
            by_intent.setdefault(intent, []).append(phrase_regex(phrase))
    compiled = [(i, re.compile("|".join(by_intent[i]))) for i in PRECEDENCE if i in by_intent]

    def classify(text: str) -> str:
        folded = fold(text)
        for intent, rx in compiled:
            if rx.search(folded):
                return intent
        return "other"

    return classify


def messages(n: int) -> list[str]:
    texts = []
    for path in sorted(glob.glob(str(ROOT / "data/intents/*.tsv"))):
        for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) == 4 and len(cols[3].encode()) <= 80:
                texts.append(cols[3])
    return list(itertools.islice(itertools.cycle(texts), n))


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    msgs = messages(args.messages)
    column = pa.array(msgs, type=pa.string())
    baseline = regex_classifier()
    # Same answers where both are sure: not compared (different classifiers); only the
    # shapes are checked.
    table = arichat.classify_column(column[:1000])
    assert table.num_rows == 1000 and "primary" in table.column_names
    print(f"{len(msgs):,} messages, mean {sum(map(len, msgs)) / len(msgs):.0f} chars")
    print("round  arichat classify_column  arichat classify_many  regex baseline  column÷regex")
    for r in range(1, args.rounds + 1):
        t_col, _ = timed(lambda: arichat.classify_column(column))
        t_many, _ = timed(lambda: arichat.classify_many(msgs[: len(msgs) // 10]))
        t_many *= 10
        t_rx, _ = timed(lambda: [baseline(m) for m in msgs])
        print(f"{r:>5}  {len(msgs) / t_col:>15,.0f} msg/s  {len(msgs) / t_many:>13,.0f} msg/s"
              f"  {len(msgs) / t_rx:>9,.0f} msg/s  {t_rx / t_col:>9.1f}×")
        record("Python classify", f"{len(msgs):,} messages, classify_column", t_col,
               "plain-Python regex over the lexicon", t_rx, {"arichat": arichat.version()})
    lat = []
    for m in msgs[:100_000]:
        t = time.perf_counter_ns()
        arichat.classify(m)
        lat.append(time.perf_counter_ns() - t)
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] / 1000
    print(f"one arichat.classify call from Python: p50 {q(0.5):.1f} µs, p99 {q(0.99):.1f} µs,"
          f" mean {statistics.fmean(lat) / 1000:.1f} µs")


if __name__ == "__main__":
    main()
