"""arichat.RedisIdempotencyStore against a real redis-server.

test.sh (through scripts/redis-server.sh) starts one on loopback and exports
ARICHAT_REDIS_URL and ARICHAT_REDIS_SERVER. Without them these tests skip, except
under CI=true, where they fail.
"""

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

import arichat
from arichat import (
    ArichatError,
    InvalidConfigError,
    RedisIdempotencyStore,
    StoreHistoryLostError,
    StoreUnavailableError,
    UnknownVariantError,
)

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "examples" / "data" / "demo"


def _required_env(name: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is not set under CI=true: run bindings/python/test.sh, which starts redis-server")
    pytest.skip(f"{name} is not set (see scripts/redis-server.sh)")


@pytest.fixture
def redis_url() -> str:
    return _required_env("ARICHAT_REDIS_URL")


@pytest.fixture
def prefix() -> str:
    return f"arichat-pytest:{uuid.uuid4().hex}:"


def _password(url: str) -> str:
    auth = url.removeprefix("redis://").split("@")[0]
    return auth.rsplit(":", 1)[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _demo_deliveries() -> Tuple[List[Tuple[str, str]], str, str]:
    manifest = json.loads((DEMO / "manifest.json").read_text())
    hooks = [(h["channel"], str(DEMO / h["file"])) for h in manifest["webhooks"]]
    return hooks, manifest["now"], manifest["accounts"]["telegram"]


WORKER = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime
    import arichat

    url, prefix, now, bot, redeliveries, reverse = sys.argv[1:7]
    hooks = json.loads(sys.stdin.readline())
    received_at = datetime.fromisoformat(now.replace("Z", "+00:00"))
    store = arichat.RedisIdempotencyStore(url, prefix=prefix)
    order = [hooks[i % len(hooks)] for i in range(len(hooks) * int(redeliveries))]
    if reverse == "1":
        order.reverse()
    bodies = {path: open(path, "rb").read() for _, path in hooks}
    print("ready", flush=True)
    sys.stdin.readline()  # go
    applied, duplicates = [], 0
    for channel, path in order:
        for event in arichat.normalize(channel, bodies[path], received_at=received_at, account=bot):
            if store.check_and_insert_event(event):
                applied.append(event["idempotency_key"])
            else:
                duplicates += 1
    print(json.dumps({"applied": applied, "duplicates": duplicates}), flush=True)
    """
)


def test_two_worker_processes_apply_each_redelivered_event_once(redis_url: str, prefix: str) -> None:
    hooks, now, bot = _demo_deliveries()
    events = [
        e
        for channel, path in hooks
        for e in arichat.normalize(channel, Path(path).read_bytes(), account=bot)
    ]
    expected = {e["idempotency_key"] for e in events}
    assert len(events) > len(expected), "the samples include a redelivery"

    redeliveries = 10
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, redis_url, prefix, now, bot, str(redeliveries), str(i)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in (0, 1)
    ]
    try:
        for w in workers:
            assert w.stdin is not None and w.stdout is not None
            w.stdin.write(json.dumps(hooks) + "\n")
            w.stdin.flush()
        for w in workers:
            assert w.stdout is not None
            assert w.stdout.readline().strip() == "ready"
        for w in workers:  # both race from here
            assert w.stdin is not None
            w.stdin.write("go\n")
            w.stdin.flush()
        results = []
        for w in workers:
            out, _ = w.communicate(timeout=120)
            assert w.returncode == 0
            results.append(json.loads(out))
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()

    applied = Counter(k for r in results for k in r["applied"])
    assert set(applied) == expected, "every event is applied"
    assert [k for k, n in applied.items() if n != 1] == [], "no event is applied twice"
    duplicates = sum(r["duplicates"] for r in results)
    assert duplicates + len(applied) == 2 * redeliveries * len(events)


def test_check_and_insert_and_forget(redis_url: str, prefix: str) -> None:
    store = RedisIdempotencyStore(redis_url, prefix=prefix)
    assert store.prefix == prefix
    assert store.ttl_seconds == 604800.0
    assert store.check_and_insert("telegram:bot:1") is True
    assert store.check_and_insert("telegram:bot:1") is False
    other = RedisIdempotencyStore(redis_url, prefix=prefix)
    assert other.check_and_insert("telegram:bot:1") is False, "shared through Redis"
    assert RedisIdempotencyStore(redis_url, prefix=prefix + "tenant2:").check_and_insert("telegram:bot:1")
    assert store.forget("telegram:bot:1") is True
    assert store.forget("telegram:bot:1") is False
    assert other.check_and_insert("telegram:bot:1") is True

    event = {"idempotency_key": "whatsapp:PN:msg:wamid.X", "kind": "message"}
    assert store.check_and_insert_event(event) is True
    assert other.check_and_insert_event(event) is False
    with pytest.raises(TypeError, match="idempotency_key"):
        store.check_and_insert_event({"kind": "message"})


def test_keys_expire_after_the_ttl(redis_url: str, prefix: str) -> None:
    store = RedisIdempotencyStore(redis_url, prefix=prefix, ttl_seconds=0.3)
    assert store.check_and_insert("k") is True
    assert store.check_and_insert("k") is False
    # A pending key is not refreshed by SET NX, so polling ends once Redis expires it.
    for _ in range(200):
        if store.check_and_insert("k"):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the key never expired")
    assert store.check_and_insert("k") is False


def test_repr_and_errors_never_show_the_password(redis_url: str, prefix: str) -> None:
    password = _password(redis_url)
    store = RedisIdempotencyStore(redis_url, prefix=prefix)
    assert password not in repr(store)
    assert "127.0.0.1:" in repr(store)

    wrong = redis_url.replace(password, "not-the-password-77")
    with pytest.raises(StoreUnavailableError) as info:
        RedisIdempotencyStore(wrong)
    assert info.value.code == "store_unavailable"
    assert "not-the-password-77" not in str(info.value)

    port = _free_port()
    with pytest.raises(ConnectionError) as refused:
        RedisIdempotencyStore(f"redis://:hunter2secret@127.0.0.1:{port}/0")
    assert isinstance(refused.value, StoreUnavailableError) and not isinstance(refused.value, ValueError)
    assert f"127.0.0.1:{port}" in str(refused.value)
    assert "hunter2secret" not in str(refused.value)
    assert isinstance(refused.value, ArichatError)


def test_bad_configuration_is_invalid_config(redis_url: str) -> None:
    with pytest.raises(InvalidConfigError):
        RedisIdempotencyStore("http://:pw@host/")
    with pytest.raises(InvalidConfigError):
        RedisIdempotencyStore(redis_url, ttl_seconds=0)
    with pytest.raises(InvalidConfigError):
        RedisIdempotencyStore(redis_url, io_timeout=-1)


_PRIVATE_PASSWORD = "private-pw-4242"


def _start_private(binary: str, port: int) -> subprocess.Popen[bytes]:
    """A redis-server without persistence on `port`, answering before this returns."""
    password = _PRIVATE_PASSWORD
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass", password]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://:{password}@127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            RedisIdempotencyStore(url, prefix="probe:")
            return proc
        except StoreUnavailableError:
            time.sleep(0.025)
    proc.kill()
    proc.wait()
    pytest.fail("private redis-server never answered")


@pytest.fixture
def private_server() -> Iterator[Tuple[subprocess.Popen[bytes], str, int]]:
    binary = _required_env("ARICHAT_REDIS_SERVER")
    port = _free_port()
    proc = _start_private(binary, port)
    url = f"redis://:{_PRIVATE_PASSWORD}@127.0.0.1:{port}/0"
    try:
        yield proc, url, port
    finally:
        proc.kill()
        proc.wait()


def test_redis_going_away_raises_not_a_duplicate(
    private_server: Tuple[subprocess.Popen[bytes], str, int],
) -> None:
    proc, url, _ = private_server
    store = RedisIdempotencyStore(url, prefix="going-away:", connect_timeout=0.5, io_timeout=0.5)
    assert store.check_and_insert("a") is True
    proc.kill()
    proc.wait()
    for key in ("a", "b"):
        with pytest.raises(StoreUnavailableError) as info:
            store.check_and_insert(key)
        assert info.value.code == "store_unavailable"
        assert "private-pw-4242" not in str(info.value)
    with pytest.raises(StoreUnavailableError):
        store.check_and_insert_event({"idempotency_key": "b"})


def test_a_restarted_redis_without_persistence_is_history_lost(
    private_server: Tuple[subprocess.Popen[bytes], str, int],
) -> None:
    proc, url, port = private_server
    strict = RedisIdempotencyStore(url, prefix="restart:", connect_timeout=0.5, io_timeout=0.5)
    lenient = RedisIdempotencyStore(
        url, prefix="restart:", connect_timeout=0.5, io_timeout=0.5, on_history_lost="reset"
    )
    assert "on_history_lost: \"reset\"" in repr(lenient)
    assert strict.check_and_insert("a") is True
    assert lenient.check_and_insert("a") is False
    proc.kill()
    proc.wait()
    restarted = _start_private(_required_env("ARICHAT_REDIS_SERVER"), port)
    try:
        # The first call may find the old connection dead; the next one reconnects.
        for _ in range(2):
            with pytest.raises((StoreHistoryLostError, StoreUnavailableError)) as info:
                strict.check_and_insert("a")
        assert isinstance(info.value, StoreHistoryLostError)
        assert info.value.code == "store_history_lost"
        assert _PRIVATE_PASSWORD not in str(info.value)

        try:
            again = lenient.check_and_insert("a")
        except StoreUnavailableError:
            again = lenient.check_and_insert("a")
        assert again is True  # applied a second time, as on_history_lost="reset" says
        assert lenient.history_losses == 1
        assert strict.history_losses == 0
    finally:
        restarted.kill()
        restarted.wait()


def test_on_history_lost_is_parsed_in_rust(redis_url: str) -> None:
    with pytest.raises(UnknownVariantError) as info:
        RedisIdempotencyStore(redis_url, on_history_lost="ignore")  # type: ignore[arg-type]
    assert "error, reset" in str(info.value)
