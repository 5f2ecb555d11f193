"""Every ```python block of README.md and bindings/python/README.md runs as written.

Each block is executed on its own, in a fresh namespace, from a temporary folder in which
`examples/` is the repository's (the snippets name the bundled sample files by their
path from the repository root), so files a snippet writes stay out of the tree. The
reply snippet talks to a local stand-in of the Telegram Bot API (`ARICHAT_API_BASE`);
the Redis snippet to the test redis-server (`ARICHAT_REDIS_URL`, as test_dedup.py).
"""
from __future__ import annotations

import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[3]
READMES = [ROOT / "README.md", ROOT / "bindings" / "python" / "README.md"]
FENCE = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def snippets() -> List[Tuple[str, str]]:
    found = []
    for readme in READMES:
        text = readme.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{readme.relative_to(ROOT)}:{line}", match.group(1)))
    return found


SNIPPETS = snippets()


def test_the_readmes_have_python_snippets() -> None:
    assert len(SNIPPETS) >= 8, [name for name, _ in SNIPPETS]


class _Telegram(BaseHTTPRequestHandler):
    """sendMessage as the Bot API answers it; every request is recorded."""

    requests: List[Tuple[str, dict]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        _Telegram.requests.append((self.path, body))
        answer = {"ok": True, "result": {"message_id": 7, "date": 1773150000,
                                         "chat": {"id": int(body.get("chat_id", 0)), "type": "private"},
                                         "text": body.get("text", "")}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def telegram_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Telegram)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Telegram.requests.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("where,code", SNIPPETS, ids=[name for name, _ in SNIPPETS])
def test_snippet_runs(where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      telegram_api: str) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARICHAT_TOKEN", "123456:readme-token")
    monkeypatch.setenv("ARICHAT_API_BASE", telegram_api)
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # Spark's workers: this venv's Python
    if "REDIS_URL" in code:
        url = os.environ.get("ARICHAT_REDIS_URL")
        if not url:
            pytest.skip("no redis-server (ARICHAT_REDIS_URL); test.sh starts one")
        monkeypatch.setenv("REDIS_URL", url)
    exec(compile(code, where, "exec"), {"__name__": "readme_snippet"})
    if "AsyncTelegramClient" in code:
        assert [path for path, _ in _Telegram.requests] == ["/bot123456:readme-token/sendMessage"]
        assert _Telegram.requests[0][1]["text"] == "¡Hola!"
