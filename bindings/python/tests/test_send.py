"""The send clients against a real local HTTP server (http.server in a thread), both
the blocking classes and the asyncio ones: requests (path, auth, JSON body), retries,
typed vendor errors, the preflight refusing before any request, and no token in errors."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import arichat
from arichat import (
    ArichatError,
    AsyncConversionsClient,
    AsyncMessengerClient,
    AsyncTelegramClient,
    AsyncWhatsAppClient,
    ConversionsClient,
    MessengerClient,
    SendError,
    TelegramClient,
    WhatsAppClient,
)

WA_TOKEN = "EAAG-py-test-token-5521"
TG_TOKEN = "654321:AAF-py-secret-bot-token-8812"
PNID = "106540352242922"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


class Server:
    """Answers each request with the next of `replies` (the last one repeated) and
    records every request as (method, path, authorization, json body). A reply is
    (status, body) or (status, body, extras): a `str` body goes out as text, other
    bodies as JSON; extras may hold `headers` and `hang` (answer only at close)."""

    def __init__(self, replies: List[Tuple[Any, ...]]) -> None:
        self.replies = replies
        self.requests: List[Dict[str, Any]] = []
        self.closing = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                outer.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("authorization"),
                        "body": json.loads(raw) if raw else None,
                    }
                )
                status, body, *rest = outer.reply(self.path)
                extras: Dict[str, Any] = rest[0] if rest else {}
                if extras.get("hang"):
                    outer.closing.wait()
                text = isinstance(body, str)
                data = body.encode() if text else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "text/html" if text else "application/json")
                for name, value in extras.get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def reply(self, path: str) -> Tuple[Any, ...]:
        return self.replies[min(len(self.requests), len(self.replies)) - 1]

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve(replies: List[Tuple[Any, ...]]) -> Iterator[Server]:
    server = Server(replies)
    try:
        yield server
    finally:
        server.close()


def wa_accepted(wamid: str) -> Tuple[int, Any]:
    return (
        200,
        {"messaging_product": "whatsapp", "contacts": [{"wa_id": "5215512345678"}], "messages": [{"id": wamid}]},
    )


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture(params=["blocking", "asyncio"])
def mode(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


def call(mode: str, make: Any) -> Any:
    """Runs `make()`: its result directly (blocking), or awaited under asyncio.run."""
    if mode == "blocking":
        return make()

    async def main() -> Any:
        return await make()

    return asyncio.run(main())


def wa(mode: str, base: str, **kw: Any) -> Any:
    cls = WhatsAppClient if mode == "blocking" else AsyncWhatsAppClient
    return cls(WA_TOKEN, PNID, api_base=base, **kw)


def tg(mode: str, base: str, **kw: Any) -> Any:
    cls = TelegramClient if mode == "blocking" else AsyncTelegramClient
    return cls(TG_TOKEN, api_base=base, **kw)


def raises_send_error(mode: str, make: Any) -> SendError:
    with pytest.raises(SendError) as info:
        call(mode, make)
    return info.value


def test_send_posts_the_documented_body_with_the_bearer_token(mode: str) -> None:
    for srv in serve([wa_accepted("wamid.OUT1")]):
        client = wa(mode, srv.base, max_attempts=1)
        receipt = call(mode, lambda: client.send("5215512345678", {"type": "text", "body": "¡Hola!", "preview_url": True}))
        assert isinstance(receipt, arichat.Receipt)
        assert receipt.message_ids == ["wamid.OUT1"]
        assert receipt.channel == "whatsapp"
        assert receipt.delivery is None
        [req] = srv.requests
        assert req["path"] == f"/v23.0/{PNID}/messages"
        assert req["authorization"] == f"Bearer {WA_TOKEN}"
        assert req["body"]["to"] == "5215512345678"
        assert req["body"]["type"] == "text"
        assert req["body"]["text"] == {"body": "¡Hola!", "preview_url": True}


def test_a_500_is_not_sent_again_by_default(mode: str) -> None:
    for srv in serve([(500, {"error": {"message": "boom", "code": 2}}), wa_accepted("wamid.AFTER")]):
        client = wa(mode, srv.base, max_attempts=3, retry_base_delay=0.001)
        err = raises_send_error(mode, lambda: client.send_text("5215512345678", "hola"))
        assert err.code == "outcome_unknown"
        assert (err.http_status, err.vendor_code, err.attempts) == (500, 2, 1)
        assert len(srv.requests) == 1


def test_a_500_is_retried_at_least_once_and_the_200_after_it_succeeds(mode: str) -> None:
    for srv in serve([(500, {"error": {"message": "boom", "code": 2}}), wa_accepted("wamid.AFTER")]):
        client = wa(
            mode, srv.base, graph_version="v21.0", max_attempts=3, retry_base_delay=0.001, guarantee="at_least_once"
        )
        receipt = call(mode, lambda: client.send_text("5215512345678", "hola"))
        assert receipt.message_ids == ["wamid.AFTER"]
        assert len(srv.requests) == 2
        assert all(r["path"] == f"/v21.0/{PNID}/messages" for r in srv.requests)
        # One send, one id, on both attempts.
        first, second = (r["body"]["biz_opaque_callback_data"] for r in srv.requests)
        assert first == second


def test_a_send_that_times_out_is_posted_once_and_raises_outcome_unknown(mode: str) -> None:
    for srv in serve([(200, {}, {"hang": True})]):
        client = wa(mode, srv.base, timeout=0.3, retry_base_delay=0.001)
        err = raises_send_error(mode, lambda: client.send_text("5215512345678", "hola"))
        assert err.code == "outcome_unknown"
        assert err.attempts == 1
        [req] = srv.requests
        assert err.request_id is not None and len(err.request_id) == 32
        assert err.callback_data == err.request_id == req["body"]["biz_opaque_callback_data"]
        assert err.request_id in str(err)


def test_at_least_once_posts_a_timed_out_send_again(mode: str) -> None:
    for srv in serve([(200, {}, {"hang": True})]):
        client = wa(mode, srv.base, timeout=0.3, max_attempts=2, retry_base_delay=0.001, guarantee="at_least_once")
        err = raises_send_error(mode, lambda: client.send_text("5215512345678", "hola"))
        assert err.code == "outcome_unknown"
        assert len(srv.requests) == 2


def test_a_429_with_retry_after_is_retried_under_the_default(mode: str) -> None:
    limited = (429, {"error": {"message": "slow down", "code": 130429}}, {"headers": {"Retry-After": "0"}})
    for srv in serve([limited, wa_accepted("wamid.LATER")]):
        client = wa(mode, srv.base, retry_base_delay=0.001)
        receipt = call(mode, lambda: client.send_text("5215512345678", "hola"))
        assert receipt.message_ids == ["wamid.LATER"]
        assert len(srv.requests) == 2


def test_an_unknown_guarantee_is_refused_by_the_core() -> None:
    with pytest.raises(SendError) as info:
        WhatsAppClient(WA_TOKEN, PNID, guarantee="twice")  # type: ignore[arg-type]
    assert info.value.code == "invalid_request"
    assert "at_most_once" in str(info.value)


def test_a_token_straddling_the_error_excerpt_cut_never_leaks(mode: str) -> None:
    # A non-JSON error page is cut to 200 bytes: the token starts 10 bytes before it.
    page = "." * 190 + TG_TOKEN + "." * 40
    for srv in serve([(400, page)]):
        client = tg(mode, srv.base, max_attempts=1)
        err = raises_send_error(mode, lambda: client.send_text("42", "hola"))
        assert "[REDACTED]" in str(err)
        pieces = {TG_TOKEN[i : i + 6] for i in range(len(TG_TOKEN) - 5)}
        for text in (str(err), repr(err)):
            assert not [p for p in pieces if p in text], text


def test_a_permanent_4xx_is_not_retried_and_raises_the_typed_error(mode: str) -> None:
    body = {"error": {"message": "Re-engagement message", "code": 131047, "fbtrace_id": "X"}}
    for srv in serve([(400, body)]):
        client = wa(mode, srv.base, max_attempts=4, retry_base_delay=0.001)
        err = raises_send_error(mode, lambda: client.send_text("5215512345678", "hola"))
        assert isinstance(err, ArichatError)
        assert err.code == "outside_window"
        assert err.attempts == 1
        assert err.vendor_code == 131047
        assert err.http_status == 400
        assert len(srv.requests) == 1
        assert WA_TOKEN not in str(err)


def test_telegram_blocked_by_the_user(mode: str) -> None:
    body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    for srv in serve([(403, body)]):
        client = tg(mode, srv.base, max_attempts=3, retry_base_delay=0.001)
        err = raises_send_error(mode, lambda: client.send("42", {"type": "text", "body": "hola"}))
        assert err.code == "blocked_by_user"
        assert err.attempts == 1
        assert err.vendor_code == 403
        [req] = srv.requests
        assert req["path"] == f"/bot{TG_TOKEN}/sendMessage"
        assert req["body"]["chat_id"] == 42
        assert req["body"]["text"] == "hola"
        assert TG_TOKEN not in str(err)


def test_reply_outside_the_window_is_refused_before_any_request(mode: str) -> None:
    for srv in serve([wa_accepted("wamid.R")]):
        client = wa(mode, srv.base)
        stale = {"channel": "whatsapp", "last_inbound_at": datetime(2026, 3, 9, 10, tzinfo=timezone.utc)}
        text = {"type": "text", "body": "hola"}
        err = raises_send_error(mode, lambda: client.reply(stale, "5215512345678", text, now=NOW))
        assert err.code == "outside_window"
        assert err.attempts == 0
        assert err.vendor_code is None
        assert "template" in str(err)
        promo = {"type": "template", "name": "promo", "language": "es_MX", "category": "marketing"}
        err = raises_send_error(mode, lambda: client.reply(stale, "5215512345678", promo, now=NOW, consent="{}"))
        assert err.code == "consent_refused"
        assert srv.requests == []

        fresh = {"channel": "whatsapp", "last_inbound_at": datetime(2026, 3, 10, 11, tzinfo=timezone.utc)}
        receipt = call(mode, lambda: client.reply(fresh, "5215512345678", text, now=NOW))
        assert receipt.delivery == "response"
        assert len(srv.requests) == 1


def test_messenger_human_agent_tag_outside_the_window(mode: str) -> None:
    for srv in serve([(200, {"recipient_id": "654", "message_id": "m_1"})]):
        cls = MessengerClient if mode == "blocking" else AsyncMessengerClient
        client = cls(WA_TOKEN, "1067", api_base=srv.base, max_attempts=1)
        assert client.channel == "messenger"
        conv: Dict[str, Optional[object]] = {
            "channel": "messenger",
            "last_inbound_at": datetime(2026, 3, 8, 12, tzinfo=timezone.utc),
        }
        err = raises_send_error(mode, lambda: client.reply(conv, "654", {"type": "text", "body": "hola"}, now=NOW))
        assert err.code == "outside_window"
        assert srv.requests == []
        receipt = call(
            mode, lambda: client.reply(conv, "654", {"type": "text", "body": "hola"}, now=NOW, tag="HUMAN_AGENT")
        )
        assert (receipt.delivery, receipt.tag, receipt.message_ids) == ("tagged", "HUMAN_AGENT", ["m_1"])
        [req] = srv.requests
        assert req["path"] == "/v23.0/1067/messages"
        assert req["authorization"] == f"Bearer {WA_TOKEN}"
        assert req["body"]["messaging_type"] == "MESSAGE_TAG"
        assert req["body"]["tag"] == "HUMAN_AGENT"
        ig = cls(WA_TOKEN, "1784", channel="instagram", api_base=srv.base)
        assert ig.channel == "instagram"
        assert call(mode, lambda: ig.sender_action("999", "mark_seen")) is None
        assert srv.requests[1]["body"]["sender_action"] == "mark_seen"


def test_telegram_updates_and_webhooks(mode: str) -> None:
    update = {"update_id": 7, "message": {"message_id": 1, "chat": {"id": 42, "type": "private"}, "date": 1, "text": "hi"}}
    for srv in serve([(200, {"ok": True, "result": [update]}), (200, {"ok": True, "result": True})]):
        client = tg(mode, srv.base, max_attempts=1)
        assert call(mode, lambda: client.get_updates(offset=7, timeout=0)) == [update]
        assert srv.requests[0]["path"] == f"/bot{TG_TOKEN}/getUpdates"
        assert srv.requests[0]["body"]["offset"] == 7
        assert call(mode, lambda: client.set_webhook("https://bot.example/tg", secret_token="s3cr3t")) is None
        assert srv.requests[1]["body"]["secret_token"] == "s3cr3t"
        call(mode, lambda: client.answer_callback_query("cbq-1", text="ok"))
        assert srv.requests[2]["body"]["callback_query_id"] == "cbq-1"
        call(mode, lambda: client.delete_webhook(drop_pending_updates=True))
        assert srv.requests[3]["path"] == f"/bot{TG_TOKEN}/deleteWebhook"


def test_a_failing_telegram_request_never_shows_the_token(mode: str) -> None:
    client = tg(mode, f"http://127.0.0.1:{closed_port()}", max_attempts=2, retry_base_delay=0.001)
    err = raises_send_error(mode, lambda: client.send_text("42", "hola"))
    assert err.code == "connection_failed"
    assert err.attempts == 2
    secret = TG_TOKEN.split(":")[1]
    for text in (str(err), repr(err), repr(err.args)):
        assert secret not in text


def test_a_closed_port_is_a_connection_error(mode: str) -> None:
    client = wa(mode, f"http://127.0.0.1:{closed_port()}", max_attempts=1)
    with pytest.raises(ConnectionError) as info:
        call(mode, lambda: client.send_text("5215512345678", "hola"))
    err = info.value
    assert isinstance(err, arichat.SendConnectionError) and isinstance(err, SendError)
    assert isinstance(err, arichat.ArichatError) and not isinstance(err, ValueError)
    assert err.code == "connection_failed" and err.attempts == 1


def test_a_read_that_gets_no_answer_is_a_timeout_error(mode: str) -> None:
    for srv in serve([(200, {}, {"hang": True})]):
        client = tg(mode, srv.base, timeout=0.3, max_attempts=1)
        with pytest.raises(TimeoutError) as info:
            call(mode, lambda: client.get_updates(offset=1, timeout=0))
        err = info.value
        assert isinstance(err, arichat.SendTimeoutError) and isinstance(err, SendError)
        assert err.code == "timeout" and err.attempts == 1


def test_bad_messages_raise_invalid_request(mode: str) -> None:
    client = wa(mode, "http://127.0.0.1:9")
    with pytest.raises(SendError) as info:
        client.send("1", {"type": "carrier_pigeon"})
    assert info.value.code == "invalid_request"
    assert info.value.attempts == 0


def test_async_sends_run_concurrently_on_one_loop() -> None:
    replies = [wa_accepted("wamid.C")]
    for srv in serve(replies):
        client = AsyncWhatsAppClient(WA_TOKEN, PNID, api_base=srv.base, max_attempts=1)

        async def main() -> List[Any]:
            return list(await asyncio.gather(*(client.send_text(str(5215500000000 + i), "hola") for i in range(5))))

        receipts = asyncio.run(main())
        assert [r.message_ids for r in receipts] == [["wamid.C"]] * 5
        assert sorted(r["body"]["to"] for r in srv.requests) == [str(5215500000000 + i) for i in range(5)]


class TelegramServer(Server):
    """A Bot API stand-in: one update from getUpdates, then none; sendMessage accepted."""

    def __init__(self, update: Dict[str, Any]) -> None:
        self.update = update
        self.served = False
        super().__init__([])

    def reply(self, path: str) -> Tuple[int, Any]:
        if path.endswith("/getUpdates"):
            result = [] if self.served else [self.update]
            self.served = True
            return 200, {"ok": True, "result": result}
        return 200, {"ok": True, "result": {"message_id": 77, "date": 1}}


def test_the_python_telegram_reply_bot_example_answers_through_a_local_server() -> None:
    script = Path(__file__).resolve().parents[3] / "examples" / "python" / "telegram_reply_bot.py"
    update = {
        "update_id": 500,
        "message": {
            "message_id": 5,
            "date": 1700000000,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
            "text": "hola, ¿cuánto cuesta?",
        },
    }
    srv = TelegramServer(update)
    try:
        env = dict(
            os.environ,
            ARICHAT_TOKEN=TG_TOKEN,
            ARICHAT_API_BASE=srv.base,
            ARICHAT_POLL_TIMEOUT="0",
            ARICHAT_MAX_UPDATES="1",
        )
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        paths = [r["path"] for r in srv.requests]
        assert paths == [f"/bot{TG_TOKEN}/getUpdates", f"/bot{TG_TOKEN}/sendMessage"]
        sent = srv.requests[1]["body"]
        assert sent["chat_id"] == 42
        assert sent["text"] in done.stdout
        assert sent["text"].strip()
    finally:
        srv.close()


def test_conversions_are_hashed_and_carry_the_click_id(mode: str) -> None:
    import hashlib

    for server in serve([(200, {"events_received": 1, "fbtrace_id": "T9"})]):
        kwargs: Dict[str, Any] = {"test_event_code": "TEST7", "api_base": server.base, "max_attempts": 1}
        event: Any = {
            "event_name": "LeadSubmitted",
            "channel": "whatsapp",
            "at": "2026-05-01T12:00:00Z",
            "email": " Ana@Example.com ",
            "phone": "5215512345678",
            "ctwa_clid": "ARAkLk",
        }
        if mode == "blocking":
            answer = arichat.ConversionsClient("EAAC-py", "998877", **kwargs).send([event])
        else:

            async def go() -> Any:
                return await arichat.AsyncConversionsClient("EAAC-py", "998877", **kwargs).send([event])

            answer = asyncio.run(go())
        assert answer == {"events_received": 1, "fbtrace_id": "T9"}
        (request,) = server.requests
        assert request["path"] == "/v23.0/998877/events"
        assert request["authorization"] == "Bearer EAAC-py"
        sent = request["body"]["data"][0]
        sha = lambda s: hashlib.sha256(s.encode()).hexdigest()  # noqa: E731
        assert sent["user_data"]["em"] == [sha("ana@example.com")]
        # The wa_id "5215512345678" is hashed as the number it stands for (Mexico
        # dropped the mobile 1): the E.164 digits Meta matches its users' phones on.
        assert sent["user_data"]["ph"] == [sha("525512345678")]
        assert sent["user_data"]["ctwa_clid"] == "ARAkLk"
        assert sent["action_source"] == "business_messaging"
        assert request["body"]["test_event_code"] == "TEST7"
        # A malformed event is refused before any request.
        with pytest.raises(SendError) as info:
            arichat.ConversionsClient("EAAC-py", "998877", **kwargs).send([{**event, "email": "nope"}])
        assert info.value.code == "invalid_request"
        assert len(server.requests) == 1


# tests/vectors/send_spec.json: the same spec gives the same client in every runtime.
SPECS: Dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "send_spec.json").read_text()
)
CLASSES: Dict[str, Tuple[Any, Any, Tuple[str, ...]]] = {
    "whatsapp": (WhatsAppClient, AsyncWhatsAppClient, ("access_token", "phone_number_id")),
    "messenger": (MessengerClient, AsyncMessengerClient, ("access_token", "page_id")),
    "telegram": (TelegramClient, AsyncTelegramClient, ("token",)),
    "conversions": (ConversionsClient, AsyncConversionsClient, ("access_token", "dataset_id")),
}


def client_of(spec: Dict[str, Any], asynchronous: bool) -> Any:
    """The vector's spec as constructor arguments: the required ones by position."""
    kw = dict(spec)
    sync_cls, async_cls, positional = CLASSES[kw.pop("client")]
    args = [kw.pop(name) for name in positional]
    return (async_cls if asynchronous else sync_cls)(*args, **kw)


@pytest.mark.parametrize("case", SPECS["clients"], ids=lambda c: str(c["name"]))
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
def test_a_spec_gives_the_vector_settings(case: Dict[str, Any], asynchronous: bool) -> None:
    assert client_of(case["spec"], asynchronous).settings == case["settings"]


@pytest.mark.parametrize("case", SPECS["refused"], ids=lambda c: str(c["name"]))
def test_a_refused_spec_raises_its_code(case: Dict[str, Any]) -> None:
    with pytest.raises(SendError) as info:
        client_of(case["spec"], False)
    assert info.value.code == case["code"]
    assert case["mentions"] in str(info.value)
    assert "EAAtoken" not in str(info.value)


@pytest.mark.parametrize("name", SPECS["message_tags"]["refused"])
def test_an_unknown_message_tag_is_refused_before_any_request(name: str) -> None:
    # Any: the names are wrong on purpose, the stubs' Literal types would refuse them.
    fb: Any = MessengerClient("t", "1067", api_base=f"http://127.0.0.1:{closed_port()}")
    conv = {"channel": "messenger", "last_inbound_at": NOW}
    for attempt in (
        lambda: fb.send("psid", {"type": "text", "body": "hola"}, tag=name),
        lambda: fb.reply(conv, "psid", {"type": "text", "body": "hola"}, now=NOW, tag=name),
    ):
        with pytest.raises(SendError) as info:
            attempt()
        assert info.value.code == SPECS["message_tags"]["code"]
        assert repr(name).replace("'", '"') in str(info.value)


@pytest.mark.parametrize("name", SPECS["sender_actions"]["refused"])
def test_an_unknown_sender_action_is_refused_before_any_request(name: str) -> None:
    # Any: the names are wrong on purpose, the stubs' Literal types would refuse them.
    fb: Any = MessengerClient("t", "1067", api_base=f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(SendError) as info:
        fb.sender_action("psid", name)
    assert info.value.code == SPECS["sender_actions"]["code"]


# tests/vectors/preflight.json: what a reply would do, decided before any request.
PREFLIGHT: Dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "tests" / "vectors" / "preflight.json").read_text()
)


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("case", PREFLIGHT["cases"], ids=lambda c: str(c["name"]))
def test_preflight_vectors(case: Dict[str, Any]) -> None:
    conversation = dict(case["conversation"])
    if "last_inbound_at" in conversation:
        conversation["last_inbound_at"] = _utc(conversation["last_inbound_at"])
    options = dict(case["options"])
    options["now"] = _utc(options["now"])
    expect = case["expect"]
    if "delivery" in expect:
        got = arichat.preflight(conversation, case["to"], case["message"], **options)
        assert got == expect["delivery"]
    else:
        with pytest.raises(SendError) as info:
            arichat.preflight(conversation, case["to"], case["message"], **options)
        assert info.value.code == expect["error"]
