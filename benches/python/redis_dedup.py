"""Shared dedup through Redis: arichat.RedisIdempotencyStore beside redis-py doing the
same `SET key 1 NX PX ttl`, on the same keys, against the same local redis-server.

    eval "$(scripts/redis-server.sh start)"
    target/py-venv/bin/pip install redis
    target/py-venv/bin/python benches/python/redis_dedup.py
    scripts/redis-server.sh stop

Each check is one round trip; both clients are synchronous. Reports checks/s for one
worker and for two concurrent workers (threads, each with its own connection).
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from typing import Callable, Dict, Tuple

import redis

import arichat

URL = os.environ["ARICHAT_REDIS_URL"]
N = 50_000
TTL_MS = 7 * 24 * 3600 * 1000


def keys(run: str) -> list[str]:
    return [f"whatsapp:106540352242922:message:wamid.{run}.{k}" for k in range(N)]


def with_arichat(run: str) -> Tuple[float, int]:
    store = arichat.RedisIdempotencyStore(URL, prefix=f"bench:{run}:")
    ks = keys(run)
    t = time.perf_counter()
    new = sum(store.check_and_insert(k) for k in ks)
    return time.perf_counter() - t, new


def with_redis_py(run: str) -> Tuple[float, int]:
    client = redis.Redis.from_url(URL)
    prefix = f"bench:{run}:"
    ks = keys(run)
    t = time.perf_counter()
    new = sum(1 for k in ks if client.set(prefix + k, 1, nx=True, px=TTL_MS))
    return time.perf_counter() - t, new


def concurrent(fn: Callable[[str], Tuple[float, int]], workers: int) -> float:
    run = uuid.uuid4().hex
    results: Dict[int, Tuple[float, int]] = {}

    def go(i: int) -> None:
        results[i] = fn(run)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(workers)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    assert sum(new for _, new in results.values()) == N, "every key new exactly once"
    return workers * N / elapsed


def main() -> None:
    rows = []
    for name, fn in [("arichat RedisIdempotencyStore", with_arichat), ("redis-py SET NX PX", with_redis_py)]:
        one = max(N / fn(uuid.uuid4().hex)[0] for _ in range(3))
        two = max(concurrent(fn, 2) for _ in range(3))
        rows.append((name, one, two))
    base_one, base_two = rows[1][1], rows[1][2]
    print(f"{N:,} keys per worker, redis-py {redis.__version__}")
    print(f"{'client':32} {'1 worker/s':>12} {'÷ redis-py':>10} {'2 workers/s':>12} {'÷ redis-py':>10}")
    for name, one, two in rows:
        print(f"{name:32} {one:12,.0f} {base_one / one:10.2f} {two:12,.0f} {base_two / two:10.2f}")


if __name__ == "__main__":
    main()
