"""Webhook normalization through Python: ``arichat.normalize`` against pywa (WhatsApp
Cloud API) and python-telegram-bot (Telegram) on the same real payloads, in one run.

Run from a fresh clone (builds the binding in release mode into target/bench-venv and
installs the peers there):

    benches/python/normalize_vs_peers.sh

or, with that venv already built:

    target/bench-venv/bin/python benches/python/normalize_vs_peers.py [--volume N] [--rounds R]

Inputs: every fixture under ``../shared/fixtures/{whatsapp,telegram}`` that is a whole
webhook body (a WhatsApp ``whatsapp_business_account`` notification; a Telegram object
with ``update_id``) and that every contender of its channel accepts. The corpus is
repeated until a pass holds at least ``--volume`` bodies. Contenders take turns over the
same list: ``--rounds`` rounds of one pass each; the median pass of each is reported.

Contenders, per body:

- ``arichat.normalize(channel, body)``: raw bytes -> list of event dicts (typed parse,
  mapping to the event shape with NFC text, E.164 phones, UTC times, idempotency keys).
- pywa: ``WhatsApp.webhook_update_handler(body)``, pywa's documented entry point for a
  custom server: raw bytes -> ``json.loads`` -> handler resolution -> one update object
  (``Message``, ``MessageStatus``, ...) handed to a registered callback that keeps it.
  pywa reads only ``entry[0].changes[0]`` of a body; arichat maps every entry and change.
- python-telegram-bot: ``Update.de_json(json.loads(body), bot)``: bytes -> ``Update``.

Both sides start from raw bytes in the headline rows. The "from dict" rows give the peers
their JSON parse for free (the dict is parsed before timing; for pywa the ``RawUpdate`` is
built before timing and ``_call_handlers`` is timed), while arichat still starts from bytes,
because it has no dict input. ``json.loads`` alone is printed as a reference. pywa's
logger is set to CRITICAL so that its per-update warnings are not written to stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import pathlib
import platform
import statistics
import sys
import time
import warnings
from typing import Any, Callable, List, Sequence

import arichat

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT.parent / "shared" / "fixtures"
sys.path.insert(0, str(ROOT / "benches"))
from record import record  # noqa: E402  (benches/record.py: ratio lines for benches/run)


def load(channel: str, whole: Callable[[Any], bool]) -> List[bytes]:
    """Whole webhook bodies of `channel` among the fixtures, in path order."""
    out = []
    for path in sorted((FIXTURES / channel).rglob("*.json")):
        raw = path.read_bytes()
        try:
            doc = json.loads(raw)
        except ValueError:
            continue
        if isinstance(doc, dict) and whole(doc):
            out.append(raw)
    return out


def accepted(bodies: Sequence[bytes], parse: Callable[[bytes], int]) -> List[bytes]:
    """The bodies `parse` accepts and produces at least one object from."""
    keep = []
    for body in bodies:
        try:
            if parse(body) > 0:
                keep.append(body)
        except Exception:  # a peer refusing a body drops it from everyone's corpus
            pass
    return keep


def time_all(passes: Sequence[Callable[[], int]], rounds: int) -> List[tuple[float, int]]:
    """One warm-up pass of each, then `rounds` rounds in which every contender makes one
    pass in turn (load from other processes falls on all alike). Per contender: median
    seconds of a pass and the objects one pass produced."""
    produced = [fn() for fn in passes]
    times: List[List[float]] = [[] for _ in passes]
    for _ in range(rounds):
        for i, fn in enumerate(passes):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(t), n) for t, n in zip(times, produced)]


# --- WhatsApp -----------------------------------------------------------------------


def make_pywa() -> tuple[Any, list]:
    from pywa import WhatsApp

    wa = WhatsApp(
        phone_id="1",
        token="x",
        server=None,
        filter_updates=False,  # the fixtures come from many accounts
        skip_duplicate_updates=False,  # the corpus is repeated on purpose
        validate_updates=False,  # no signature here: arichat's side does not verify either
    )
    sink: list = []

    def keep(_client: Any, update: Any) -> None:
        sink.append(update)

    wa.add_handlers(*(handler(keep) for handler in WhatsApp._handlers_to_updates))
    return wa, sink


def pywa_count(wa: Any, sink: list, body: bytes) -> int:
    sink.clear()
    wa.webhook_update_handler(body)
    return len(sink)


# --- report -------------------------------------------------------------------------


def row(name: str, secs: float, n_bodies: int, objects: int, base: float | None) -> str:
    ratio = "1 (baseline)" if base is None else f"{secs / base:.2f}x arichat's time"
    return (
        f"| {name} | {n_bodies / secs:,.0f} | {secs * 1e6 / n_bodies:.1f} µs "
        f"| {objects:,} | {ratio} |"
    )


def header(title: str) -> None:
    print(f"\n{title}\n")
    print("| contender | bodies/s | per body | objects per pass | time vs arichat |")
    print("|---|---|---|---|---|")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--volume", type=int, default=10_000, help="bodies per pass (at least)")
    ap.add_argument("--rounds", type=int, default=5, help="timed passes per contender")
    args = ap.parse_args()

    import pywa
    import telegram
    from telegram import Bot, Update

    warnings.simplefilter("ignore")  # PTB warns about fields its model does not know
    # pywa logs a traceback for each body it cannot build an update from (those bodies
    # are left out of the corpus) and a warning per iOS flow completion: no log I/O in
    # the timed loops. Its level checks still run.
    logging.getLogger("pywa").setLevel(logging.CRITICAL)

    # WhatsApp corpus: bodies both arichat and pywa turn into at least one object.
    wa, sink = make_pywa()
    wa_all = load("whatsapp", lambda d: d.get("object") == "whatsapp_business_account")
    wa_ok = accepted(wa_all, lambda b: len(arichat.normalize("whatsapp", b)))
    wa_both = accepted(wa_ok, lambda b: pywa_count(wa, sink, b))

    # Telegram corpus: updates both arichat and PTB accept.
    bot = Bot("123456:bench-token-not-used")
    tg_all = load("telegram", lambda d: "update_id" in d)
    tg_ok = accepted(tg_all, lambda b: len(arichat.normalize("telegram", b, account="bench")))
    tg_both = accepted(tg_ok, lambda b: 1 if Update.de_json(json.loads(b), bot) else 0)

    print("# arichat.normalize against pywa and python-telegram-bot")
    print(
        f"\nPython {platform.python_version()} ({platform.python_implementation()}), "
        f"arichat {arichat.__version__}, pywa {pywa.__version__}, "
        f"python-telegram-bot {telegram.__version__}; {platform.machine()}, "
        f"{os.cpu_count()} CPUs; load average before: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(
        f"WhatsApp: {len(wa_both)} bodies used of {len(wa_all)} whole bodies "
        f"({len(wa_ok)} accepted by arichat). Telegram: {len(tg_both)} updates used of "
        f"{len(tg_all)} ({len(tg_ok)} accepted by arichat)."
    )

    for title, channel, corpus, kw in (
        ("WhatsApp", "whatsapp", wa_both, {}),
        ("Telegram", "telegram", tg_both, {"account": "bench"}),
    ):
        reps = -(-args.volume // len(corpus))
        bodies = corpus * reps
        n = len(bodies)
        dicts = [json.loads(b) for b in bodies]

        def ari() -> int:
            return sum(len(arichat.normalize(channel, b, **kw)) for b in bodies)

        def loads() -> int:
            return sum(1 for b in bodies if json.loads(b) is not None)


        if channel == "whatsapp":
            from pywa._logging import get_update_hash
            from pywa.types.base_update import RawUpdate

            def peer_bytes() -> int:
                sink.clear()
                for b in bodies:
                    wa.webhook_update_handler(b)
                return len(sink)

            raws = [RawUpdate(b, hmac_header=None, update_hash=get_update_hash(b)) for b in bodies]

            def peer_dict() -> int:
                sink.clear()
                for r in raws:
                    wa._call_handlers(r)
                return len(sink)

            peer = "pywa"
            peer_b = "pywa `webhook_update_handler(bytes)`"
            peer_d = "pywa `_call_handlers(RawUpdate)` (JSON parsed beforehand)"
        else:

            def peer_bytes() -> int:
                return sum(1 for b in bodies if Update.de_json(json.loads(b), bot) is not None)

            def peer_dict() -> int:
                return sum(1 for d in dicts if Update.de_json(d, bot) is not None)

            peer = "python-telegram-bot"
            peer_b = "PTB `Update.de_json(json.loads(bytes), bot)`"
            peer_d = "PTB `Update.de_json(dict, bot)` (JSON parsed beforehand)"

        (t_ari, o_ari), (t_pb, o_pb), (t_pd, o_pd), (t_json, o_json) = time_all(
            [ari, peer_bytes, peer_dict, loads], args.rounds
        )

        header(f"## {title}: {len(corpus)} distinct bodies x {reps} = {n:,} per pass, median of {args.rounds}")
        print(row("arichat `normalize(bytes)` -> event dicts", t_ari, n, o_ari, None))
        print(row(peer_b, t_pb, n, o_pb, t_ari))
        print(row(peer_d, t_pd, n, o_pd, t_ari))
        print(row("reference: `json.loads(bytes)` alone", t_json, n, o_json, t_ari))
        versions = {
            "python": platform.python_version(),
            "arichat": arichat.__version__,
            peer: pywa.__version__ if channel == "whatsapp" else telegram.__version__,
        }
        bench = "Python normalize"
        record(bench, title, t_ari, peer_b, t_pb, versions)
        record(bench, title, t_ari, peer_d, t_pd, versions)
        record(bench, title, t_ari, "json.loads(bytes) alone", t_json, versions)
        print(
            f"\narichat is {t_pb / t_ari:.2f}x as fast as {peer} from bytes, "
            f"{t_pd / t_ari:.2f}x as fast as {peer} from an already-parsed dict."
        )

    print("\nload average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
