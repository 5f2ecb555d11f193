"""Tests of the inbound webhook pipeline: normalize and the verification functions."""

import hashlib
import hmac
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

import arichat
from arichat import (
    ArichatError,
    InvalidBodyError,
    InvalidConfigError,
    UnknownVariantError,
    VerificationError,
)

ROOT = Path(__file__).resolve().parents[3]
# The shared fixture corpus sits beside the repo clone (../shared/fixtures).
FIXTURES = ROOT.parent / "shared" / "fixtures"
WA_TEXT = FIXTURES / "whatsapp" / "pywa" / "_split" / "message__text.json"

T0 = datetime(2026, 1, 5, 14, 0, tzinfo=timezone.utc)
SECRET = "app-secret-Zk93xQ"
OLD_SECRET = "old-secret-Pw71vN"

TELEGRAM_UPDATE = json.dumps(
    {
        "update_id": 900001,
        "message": {
            "message_id": 77,
            "date": 1767621600,
            "chat": {"id": 4242, "type": "private", "first_name": "Ana"},
            "from": {"id": 4242, "is_bot": False, "first_name": "Ana", "last_name": "Gómez"},
            "text": "hola, ¿precio?",
        },
    }
).encode()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- normalize -----------------------------------------------------------------


@pytest.mark.skipif(not WA_TEXT.exists(), reason="shared fixtures not present")
def test_whatsapp_text_fixture_is_one_inbound_message():
    body = WA_TEXT.read_bytes()
    events = arichat.normalize("whatsapp", body, received_at=T0)
    assert isinstance(events, list) and len(events) == 1
    event = events[0]
    assert event["kind"] == "message"
    assert event["channel"] == "whatsapp"
    assert event["channel_account_id"] == "1122334455667"
    assert event["message_id"] == "wamid.xyzxyz"
    assert event["content"] == {"type": "text", "body": "Body Text"}
    assert event["direction"] == "inbound"
    assert event["author"] == "client"
    assert event["occurred_at"] == "2023-10-11T16:53:43Z"
    # The BSUIDs the payload carries beside the wa_id each keep their own field.
    assert event["contact"]["identity"] == {
        "channel": "whatsapp",
        "wa_id": "972987654321",
        "user_id": "US.13491208655302741918",
        "parent_user_id": "US.ENT.11815799212886844830",
    }
    assert event["contact"]["display_name"] == "Test Name"
    # pywa's test number is not a valid Israeli number: the wa_id stays, no phone.
    assert "phone" not in event["contact"]
    assert "wamid.xyzxyz" in event["idempotency_key"]


@pytest.mark.skipif(not WA_TEXT.exists(), reason="shared fixtures not present")
def test_body_may_be_bytearray_or_memoryview():
    body = WA_TEXT.read_bytes()
    expected = arichat.normalize("whatsapp", body, received_at=T0)
    assert arichat.normalize("whatsapp", bytearray(body), received_at=T0) == expected
    assert arichat.normalize("whatsapp", memoryview(body), received_at=T0) == expected
    assert arichat.normalize("whatsapp", memoryview(b"xx" + body)[2:], received_at=T0) == expected


def test_telegram_update_with_account_hint():
    events = arichat.normalize("telegram", TELEGRAM_UPDATE, received_at=T0, account="bot-123")
    assert len(events) == 1
    event = events[0]
    assert event["kind"] == "message"
    assert event["channel"] == "telegram"
    assert event["channel_account_id"] == "bot-123"
    assert event["content"] == {"type": "text", "body": "hola, ¿precio?"}
    assert event["contact"]["identity"] == {"channel": "telegram", "user_id": "4242"}
    assert event["occurred_at"] == "2026-01-05T14:00:00Z"
    assert "900001" in event["idempotency_key"]


def test_telegram_update_without_its_bot_is_refused():
    # Two bots' update 1 must not share an idempotency key: the bot id is required.
    with pytest.raises(InvalidConfigError) as info:
        arichat.normalize("telegram", TELEGRAM_UPDATE, received_at=T0)
    assert info.value.code == "account_required"


def test_unknown_telegram_update_is_kept_as_unsupported_with_raw_json():
    body = b'{"update_id": 5, "poll": {"id": "p1", "question": "q?", "big": 12345678901234567890}}'
    events = arichat.normalize("telegram", body, received_at=T0, account="bot-1")
    assert [e["kind"] for e in events] == ["unsupported"]
    raw = events[0]["raw"]
    # Big integers survive as Python ints, digit for digit.
    assert _contains(raw, "q?")
    assert _contains(raw, 12345678901234567890)


def test_raw_json_comes_as_it_was_sent() -> None:
    # Kept as text in Rust, handed to Python parsed: a dict in the update's key order,
    # 2.50 a float, and a number no float holds kept as the item's text.
    body = b'{"update_id": 6, "zz_kind": {"b": 1, "a": 2.50}, "aa_kind": [1]}'
    events = arichat.normalize("telegram", body, received_at=T0, account="bot-1")
    assert events[0]["vendor_kind"] == "aa_kind"
    raw = events[0]["raw"]
    assert list(raw) == ["update_id", "zz_kind", "aa_kind"]
    assert raw["zz_kind"] == {"b": 1, "a": 2.5}
    huge = b'{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"value":{"n":1e400},"field":"x_new"}]}]}'
    events = arichat.normalize("whatsapp", huge, received_at=T0)
    assert events[0]["raw"] == '{"value":{"n":1e400},"field":"x_new"}'


def _contains(value: object, needle: object) -> bool:
    if value == needle:
        return True
    if isinstance(value, dict):
        return any(_contains(v, needle) for v in value.values())
    if isinstance(value, list):
        return any(_contains(v, needle) for v in value)
    return False


def test_received_at_must_be_aware_and_body_must_be_bytes():
    with pytest.raises(ValueError, match="timezone-aware"):
        arichat.normalize("telegram", TELEGRAM_UPDATE, received_at=datetime(2026, 1, 5))
    with pytest.raises(TypeError, match="bytes"):
        arichat.normalize("telegram", TELEGRAM_UPDATE.decode())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        arichat.normalize("telegram", [1, 2, 3])  # type: ignore[arg-type]


def test_unknown_channel_is_unknown_variant():
    with pytest.raises(UnknownVariantError) as info:
        arichat.normalize("sms", b"{}")
    assert info.value.code == "unknown_variant"


def test_body_that_is_not_json_is_invalid_body():
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("whatsapp", b"{not json", received_at=T0)
    assert info.value.code == "invalid_json"
    assert isinstance(info.value, ArichatError)
    assert str(info.value).startswith("body is not valid JSON: ")


def test_body_nested_too_deep_is_rejected():
    body = b"[" * 10_000 + b"]" * 10_000
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("telegram", body, received_at=T0, account="bot-1")
    assert info.value.code == "body_too_deep"
    assert str(info.value) == "body nests deeper than 128 levels"


def test_body_too_large_is_rejected():
    body = b'{"update_id": 1, "pad": "' + b"x" * (1 << 20) + b'"}'
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("telegram", body, received_at=T0)
    assert info.value.code == "body_too_large"


def test_json_of_another_shape_is_unexpected_shape():
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("whatsapp", b"[1, 2]", received_at=T0)
    assert info.value.code == "unexpected_shape"


# --- one bad item, the item cap, no body values in errors -----------------------

EMAIL = "ana.perez@example.com"
PHONE = "573001234567"


def wa_body(messages: list[str]) -> bytes:
    value = (
        '{"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},'
        f'"contacts":[{{"profile":{{"name":"Ana"}},"wa_id":"{PHONE}"}}],'
        f'"messages":[{",".join(messages)}]}}'
    )
    return (
        '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398",'
        f'"changes":[{{"value":{value},"field":"messages"}}]}}]}}'
    ).encode()


def wa_message(i: int, text: str) -> str:
    return (
        f'{{"from":"{PHONE}","id":"wamid.{i}","timestamp":"1767621600",'
        f'"type":"text","text":{{"body":"{text}"}}}}'
    )


def test_a_lone_surrogate_does_not_lose_the_batch():
    # json.loads accepts the lone surrogate; arichat replaces it with U+FFFD.
    messages = [wa_message(i, "hola") for i in range(1000)]
    messages[500] = wa_message(500, r"antes \ud83d despu\u00e9s")
    body = wa_body(messages)
    assert len(json.loads(body)["entry"][0]["changes"][0]["value"]["messages"]) == 1000
    events = arichat.normalize("whatsapp", body, received_at=T0)
    assert len(events) == 1000
    assert {e["kind"] for e in events} == {"message"}
    assert events[500]["content"] == {"type": "text", "body": "antes \ufffd después"}


def test_a_malformed_item_is_an_invalid_item_and_the_rest_is_delivered():
    bad = f'{{"from":"{PHONE}","id":"wamid.X","type":"text","text":{{"body":["{EMAIL}"]}}}}'
    body = wa_body([wa_message(0, "hola"), bad, wa_message(2, "hola")])
    events = arichat.normalize("whatsapp", body, received_at=T0)
    assert [e["kind"] for e in events] == ["message", "invalid_item", "message"]
    invalid = events[1]
    assert invalid["vendor_kind"] == "message"
    assert invalid["raw"] == bad
    assert invalid["reason"] == (
        "invalid type: sequence, expected a string at text.body (line 1, column 67)"
    )
    assert invalid["idempotency_key"].startswith("whatsapp:106540352242922:invalid:")


# Meta's Instagram echo shape: `is_echo` with the `app_id` of the app that sent it.
IG_ECHO = json.dumps(
    {
        "object": "instagram",
        "entry": [
            {
                "id": "IGACC",
                "time": 1,
                "messaging": [
                    {
                        "sender": {"id": "IGACC"},
                        "recipient": {"id": "IGSID9"},
                        "timestamp": 1700000000000,
                        "message": {"mid": "m_e", "text": "hi", "is_echo": True, "app_id": 123},
                    }
                ],
            }
        ],
    }
).encode()


def test_an_echo_of_our_own_app_id_is_the_bot_s():
    def authors(events):
        return [(e["direction"], e["author"]) for e in events]

    assert authors(arichat.normalize("instagram", IG_ECHO, received_at=T0, app_id="123")) == [
        ("outbound", "bot")
    ]
    assert authors(arichat.normalize("instagram", IG_ECHO, received_at=T0)) == [("outbound", "agent")]
    assert authors(arichat.normalize("instagram", IG_ECHO, received_at=T0, app_id="456")) == [
        ("outbound", "agent")
    ]
    verifier = arichat.WebhookVerifier(
        [{"channel": "instagram", "account": "IGACC", "tenant": "acme", "secrets": [SECRET]}]
    )
    header = sign(SECRET, IG_ECHO)
    assert authors(verifier.normalize("instagram", IG_ECHO, header, app_id="123")) == [("outbound", "bot")]
    assert authors(verifier.normalize("instagram", IG_ECHO, header)) == [("outbound", "agent")]


def test_more_items_than_max_items_is_too_many_items():
    body = wa_body(["{}"] * 20)
    assert len(arichat.normalize("whatsapp", body, received_at=T0, max_items=23)) == 20
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("whatsapp", body, received_at=T0, max_items=22)
    assert info.value.code == "too_many_items"
    assert str(info.value) == "body holds more than 22 items"
    # The default (10,000) is Rust's.
    flood = wa_body(["{}"] * 10_001)
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize("whatsapp", flood, received_at=T0)
    assert info.value.code == "too_many_items"


@pytest.mark.parametrize(
    "channel, body",
    [
        ("whatsapp", f'{{"object":"{EMAIL}","entry":[]}}'),
        ("messenger", f'{{"object":"page","entry":"{EMAIL}"}}'),
        ("telegram", f'{{"update_id":"{EMAIL}"}}'),
        ("telegram", f'{{"ok":true,"result":"{PHONE}"}}'),
        ("telegram", f'{{"ok":false,"description":"{EMAIL}"}}'),
    ],
)
def test_errors_never_quote_the_body(channel: str, body: str):
    with pytest.raises(InvalidBodyError) as info:
        arichat.normalize(channel, body.encode(), received_at=T0, account="bot-1")
    assert EMAIL not in str(info.value) and PHONE not in str(info.value)


# --- X-Hub-Signature-256 -------------------------------------------------------

BODY = b'{"object":"whatsapp_business_account","entry":[]}'


def test_good_signature_returns_the_matching_secret_index():
    assert arichat.verify_signature(BODY, sign(SECRET, BODY), [SECRET]) == 0
    # Rotation: the old and the new secret both verify.
    assert arichat.verify_signature(BODY, sign(SECRET, BODY), [OLD_SECRET, SECRET]) == 1
    assert arichat.verify_signature(bytearray(BODY), sign(OLD_SECRET, BODY), [OLD_SECRET, SECRET]) == 0
    assert arichat.verify_signature(memoryview(BODY), sign(SECRET, BODY), [SECRET]) == 0


def test_missing_malformed_and_wrong_signatures_are_told_apart():
    cases = {
        None: "missing X-Hub-Signature-256 header",
        "sha1=abcd": 'malformed X-Hub-Signature-256 header: expected "sha256=" and 64 hex digits',
        "sha256=" + "z" * 64: 'malformed X-Hub-Signature-256 header: expected "sha256=" and 64 hex digits',
        sign("not-the-secret", BODY): "signature does not match the body",
        sign(SECRET, BODY + b" "): "signature does not match the body",
    }
    for header, message in cases.items():
        with pytest.raises(VerificationError) as info:
            arichat.verify_signature(BODY, header, [SECRET])
        assert info.value.code == "verification_failed"
        assert str(info.value) == message


def test_no_secret_configured_fails_closed():
    with pytest.raises(arichat.InvalidConfigError, match="no secret given") as info:
        arichat.verify_signature(BODY, sign(SECRET, BODY), [])
    assert info.value.code == "invalid_config"


# --- Meta handshake and Telegram secret ----------------------------------------


def test_meta_handshake_returns_the_challenge():
    q = "hub.mode=subscribe&hub.verify_token=tok%20en&hub.challenge=1158201444"
    assert arichat.meta_handshake(q, "tok en") == "1158201444"
    assert arichat.meta_handshake("?" + q, "tok en") == "1158201444"


def test_meta_handshake_failures():
    cases = {
        "hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1": "handshake verify token does not match",
        "hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1": 'handshake mode must be "subscribe"',
        "hub.mode=subscribe&hub.verify_token=tok": "handshake is missing the hub.challenge parameter",
    }
    for query, message in cases.items():
        with pytest.raises(VerificationError) as info:
            arichat.meta_handshake(query, "tok")
        assert info.value.code == "verification_failed"
        assert str(info.value) == message


def test_telegram_secret_token():
    assert arichat.verify_telegram_secret(SECRET, SECRET) is None
    with pytest.raises(VerificationError, match="missing X-Telegram-Bot-Api-Secret-Token header"):
        arichat.verify_telegram_secret(None, SECRET)
    with pytest.raises(VerificationError, match="signature does not match"):
        arichat.verify_telegram_secret("guess", SECRET)


def test_no_secret_ever_appears_in_an_error():
    messages = []
    calls = [
        lambda: arichat.verify_signature(BODY, sign(SECRET, b"other"), [SECRET, OLD_SECRET]),
        lambda: arichat.verify_signature(BODY, "sha256=" + SECRET, [SECRET]),
        lambda: arichat.verify_signature(BODY, None, [SECRET]),
        lambda: arichat.meta_handshake("hub.mode=subscribe&hub.verify_token=x&hub.challenge=1", SECRET),
        lambda: arichat.verify_telegram_secret(SECRET[:-1], SECRET),
        lambda: arichat.verify_telegram_secret(None, SECRET),
    ]
    for call in calls:
        with pytest.raises(VerificationError) as info:
            call()
        messages.append(str(info.value) + repr(info.value) + repr(info.value.args))
    for message in messages:
        assert SECRET not in message and OLD_SECRET not in message
        assert SECRET[:8] not in message


# --- blank secrets and per-tenant verification (tests/vectors/webhook_auth.json) ---

AUTH = json.loads((ROOT / "tests" / "vectors" / "webhook_auth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("blank", AUTH["blank_secrets"])
def test_a_blank_secret_authenticates_nobody(blank):
    body = b'{"object":"page","entry":[]}'
    calls = [
        lambda: arichat.verify_signature(body, sign(blank, body), [blank]),
        lambda: arichat.verify_signature(body, sign(SECRET, body), [SECRET, blank]),
        lambda: arichat.verify_telegram_secret(blank, blank),
        lambda: arichat.meta_handshake(f"hub.mode=subscribe&hub.verify_token={blank}&hub.challenge=1", blank),
        lambda: arichat.WebhookVerifier([{"channel": "messenger", "account": "P", "tenant": "t", "secrets": [blank]}]),
    ]
    for call in calls:
        with pytest.raises(InvalidConfigError) as info:
            call()
        assert info.value.code == "invalid_config"


@pytest.mark.parametrize("case", AUTH["cases"], ids=[c["name"] for c in AUTH["cases"]])
def test_webhook_verifier_vectors(case):
    verifier = arichat.WebhookVerifier(AUTH["accounts"])
    body = case["body"].encode()
    header = sign(case["sign_with"], body) if "sign_with" in case else case.get("header")
    expect = case["expect"]
    if "tenants" in expect:
        events = verifier.normalize(case["channel"], body, header, received_at=T0, account=case.get("account"))
        assert [e["tenant_id"] for e in events] == expect["tenants"]
    else:
        with pytest.raises(ArichatError) as info:
            verifier.normalize(case["channel"], body, header, received_at=T0, account=case.get("account"))
        assert info.value.code == expect["error"], str(info.value)


@pytest.mark.parametrize("case", AUTH["invalid_accounts"], ids=[c["name"] for c in AUTH["invalid_accounts"]])
def test_webhook_verifier_refuses_bad_accounts(case):
    with pytest.raises(InvalidConfigError):
        arichat.WebhookVerifier([case["account"]])


def test_webhook_verifier_wrong_tenant_and_repr():
    verifier = arichat.WebhookVerifier(AUTH["accounts"])
    body = AUTH["cases"][0]["body"].encode()
    with pytest.raises(VerificationError):
        verifier.normalize("whatsapp", body, sign("secret-b", body))
    assert "secret-a" not in repr(verifier) and "tenant-a" in repr(verifier)
    assert arichat.auth_header("telegram") == "X-Telegram-Bot-Api-Secret-Token"
    assert arichat.auth_header("instagram") == "X-Hub-Signature-256"
    with pytest.raises(KeyError, match="secrets"):
        arichat.WebhookVerifier([{"channel": "whatsapp", "account": "P", "tenant": "t"}])
