"""The LLM intent cascade against a local OpenAI-compatible server (http.server in a
thread), blocking and asyncio: the LLM's answer when it gives one, the local answer
when it fails, the API key never in a result, contact data masked in the request."""

import asyncio
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Tuple

import pytest

import arichat
from arichat import AsyncIntentCascade, IntentCascade

if TYPE_CHECKING:
    from arichat._native import _CascadeResult

KEY = "sk-py-test-key-7731"
# A message the built-in rules read with some confidence below 1, escalated with
# `escalate_below=1.0` (the rules never report `uncertain` by themselves).
TEXT = "precio del plan? mi cel es +52 55 1234 5678"


class CompletionsServer:
    """Answers POST /v1/chat/completions with `status` and `body` (JSON unless str) and
    records each request's authorization header and JSON body."""

    def __init__(self, status: int, body: Any) -> None:
        self.requests: List[Dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                outer.requests.append(
                    {"path": self.path, "authorization": self.headers.get("authorization"), "body": json.loads(raw)}
                )
                data = body if isinstance(body, str) else json.dumps(body)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(data.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def answering(intent: str, confidence: float) -> Tuple[int, Any]:
    content = json.dumps({"intent": intent, "confidence": confidence})
    return 200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[CompletionsServer]:
    status, body = request.param
    server = CompletionsServer(status, body)
    yield server
    server.close()


def test_the_message_needs_the_bar() -> None:
    # Guards the premise of the tests below: the rules are sure of this text, but not fully.
    local = arichat.classify(TEXT)
    assert local["primary"] == "price_inquiry"
    assert not local["uncertain"] and local["confidence"] < 1.0


@pytest.mark.parametrize("served", [answering("purchase_intent", 0.91)], indirect=True)
def test_the_llm_answers_with_masked_text(served: CompletionsServer) -> None:
    cascade = IntentCascade(served.base_url, "intent-mini", KEY, max_attempts=1, escalate_below=1.0)
    result = cascade.classify("tenant-1", TEXT)
    assert result["source"] == "llm"
    assert result["fallback"] is None
    c = result["classification"]
    assert c["primary"] == "purchase_intent"
    assert c["uncertain"] is False
    assert abs(c["confidence"] - 0.91) < 1e-6
    assert c["intents"][0]["evidence"] == TEXT[c["intents"][0]["start"] : c["intents"][0]["end"]]
    (req,) = served.requests
    assert req["path"] == "/v1/chat/completions"
    assert req["authorization"] == f"Bearer {KEY}"
    assert req["body"]["messages"][1]["content"] == "precio del plan? mi cel es [phone]"
    # The same text again comes from the cache: no second request.
    assert cascade.classify("tenant-2", TEXT)["source"] == "cache"
    assert len(served.requests) == 1
    assert KEY not in repr(cascade)


@pytest.mark.parametrize(
    "served",
    [(200, {"choices": [{"message": {"content": '{"intent": "refund", "confidence": 1}'}}]})],
    indirect=True,
)
def test_an_invented_label_leaves_the_local_answer(served: CompletionsServer) -> None:
    cascade = AsyncIntentCascade(served.base_url, "intent-mini", KEY, max_attempts=1, escalate_below=1.0)

    async def classify() -> "_CascadeResult":
        return await cascade.classify("tenant-1", TEXT)

    result = asyncio.run(classify())
    assert result["source"] == "local"
    assert result["classification"] == arichat.classify(TEXT)
    assert result["fallback"] is not None
    assert result["fallback"]["code"] == "invalid_label"
    assert len(served.requests) == 1


@pytest.mark.parametrize("served", [(500, f"upstream down, key {KEY}")], indirect=True)
def test_a_failing_server_leaves_the_local_answer_and_no_key(served: CompletionsServer) -> None:
    cascade = IntentCascade(
        served.base_url, "intent-mini", KEY, max_attempts=2, retry_base_delay=0.01, escalate_below=1.0
    )
    result = cascade.classify("tenant-1", TEXT)
    assert result["source"] == "local"
    assert result["classification"]["primary"] == "price_inquiry"
    assert result["fallback"] is not None
    assert result["fallback"]["code"] == "temporary_failure"
    assert KEY not in json.dumps(result)
    assert len(served.requests) == 2


@pytest.mark.parametrize("served", [answering("support", 0.9)], indirect=True)
def test_a_spent_budget_makes_no_request(served: CompletionsServer) -> None:
    cascade = IntentCascade(served.base_url, "intent-mini", KEY, budget_requests=0, escalate_below=1.0)
    result = cascade.classify("tenant-1", TEXT)
    assert result["source"] == "local"
    assert result["fallback"] is not None and result["fallback"]["code"] == "budget_exhausted"
    assert served.requests == []
