"""CloudEvents from Python (bindings/python/src/cloudevents.rs, normalize(cloudevents=True)):
every envelope validates against the CloudEvents 1.0 JSON Schema, and each transport
shape (Pub/Sub publish and push bodies, HTTP binary mode) reads back to the same event."""

import base64
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List

import jsonschema  # type: ignore[import-untyped]
import pytest

import arichat
from arichat import InvalidBodyError

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = json.loads((ROOT / "tests" / "vectors" / "cloudevents.schema.json").read_text())
VECTORS = json.loads((ROOT / "tests" / "vectors" / "normalize.json").read_text())
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def _cloudevents() -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for case in VECTORS["cases"]:
        if "body_file" in case:
            body = (ROOT / case["body_file"]).read_bytes()
        else:
            body = case["body"].encode()
        try:
            out += arichat.normalize(
                case["channel"], body, received_at=T0, account=case.get("account"), cloudevents=True
            )
        except arichat.ArichatError:
            continue
    return out


CLOUDEVENTS = _cloudevents()


def test_every_envelope_meets_the_schema_and_names_its_event() -> None:
    assert len(CLOUDEVENTS) >= 20
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    for ce in CLOUDEVENTS:
        validator.validate(ce)
        assert ce["specversion"] == "1.0"
        # id = the idempotency key, so a consumer's deduplication equals arichat's.
        assert ce["id"] == ce["data"]["idempotency_key"]
        assert ce["type"] == f"com.arichat.{ce['data']['kind']}.v1"
        assert ce["source"] == f"/{ce['data']['channel']}/{ce['data']['channel_account_id']}"
        assert ce["channel"] == ce["data"]["channel"]
        assert all(k.isalnum() and k.islower() for k in ce if k not in SCHEMA["properties"])


def test_the_same_envelopes_as_rust_gives() -> None:
    # The first WhatsApp sample as the CLI prints it (`arichat normalize --cloudevents`).
    body = (ROOT / "examples/data/demo/wa-01-ad-click.json").read_bytes()
    (ce,) = arichat.normalize("whatsapp", body, received_at=T0, cloudevents=True)[:1]
    assert ce["id"] == "whatsapp:106540352242922:msg:wamid.demo.01"
    assert ce["partitionkey"] == "whatsapp:106540352242922:573001234567"
    assert ce["subject"] == "573001234567"


def test_derived_events_meet_the_schema_and_keep_their_cause() -> None:
    # A message scored and flagged: the derived CloudEvents carry the cause's source,
    # subject, time, tenant and partition, an id derived from its idempotency key (a
    # redelivery derives the same id) and the lead.
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    body = (ROOT / "examples/data/demo/wa-01-ad-click.json").read_bytes()
    cause = arichat.normalize("whatsapp", body, received_at=T0)[0]
    message = arichat.normalize("whatsapp", body, received_at=T0, cloudevents=True)[0]
    score = {"total": 61.5, "grade": "B"}
    kinds = ["lead.status_changed", "lead.scored", "consent.changed", "conversation.flagged"]
    for kind in kinds:
        ce = arichat.derived_cloudevent(kind, cause, score, lead="lead-7")  # type: ignore[arg-type]
        validator.validate(ce)
        assert ce["type"] == f"com.arichat.{kind}.v1"
        assert ce["id"] == f"{cause['idempotency_key']}:{kind}"
        for same in ["source", "subject", "time", "partitionkey", "channel"]:
            assert ce[same] == message[same], same
        assert ce["lead"] == "lead-7" and ce["data"] == score
    # The cause as JSON text works the same; no lead, no extension.
    again = arichat.derived_cloudevent("lead.scored", json.dumps(cause), score)
    assert again["id"] == f"{cause['idempotency_key']}:lead.scored" and "lead" not in again
    with pytest.raises(arichat.UnknownVariantError, match="lead.deleted"):
        arichat.derived_cloudevent("lead.deleted", cause, score)  # type: ignore[arg-type]
    with pytest.raises(arichat.InvalidJsonError):
        arichat.derived_cloudevent("lead.scored", {"kind": "message"}, score)


def test_pubsub_publish_and_push_bodies_read_back() -> None:
    publish = arichat.cloudevents_to_pubsub(CLOUDEVENTS)
    assert len(publish["messages"]) == len(CLOUDEVENTS)
    for ce, message in zip(CLOUDEVENTS, publish["messages"]):
        assert message["attributes"]["ce-id"] == ce["id"]
        assert message["orderingKey"] == ce["partitionkey"]
        assert json.loads(base64.b64decode(message["data"])) == ce["data"]
        push = {"message": {**message, "messageId": "1", "publishTime": "2026-03-10T12:00:01Z"},
                "subscription": "projects/acme/subscriptions/inbox"}
        assert arichat.cloudevent_from_pubsub_push(json.dumps(push).encode()) == ce


def test_http_binary_mode_reads_back() -> None:
    for ce in CLOUDEVENTS:
        headers, body = arichat.cloudevent_to_http(ce)
        assert headers["ce-id"] == ce["id"]
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == ce["data"]
        upper = {k.upper(): v for k, v in headers.items()}
        assert arichat.cloudevent_from_http(upper, body) == ce


def test_bad_envelopes_are_typed_errors() -> None:
    with pytest.raises(InvalidBodyError) as info:
        arichat.cloudevent_from_pubsub_push(b'{"message": {"data": "%%%"}}')
    assert info.value.code == "invalid_cloudevent"
    with pytest.raises(InvalidBodyError) as info:
        arichat.cloudevent_to_http({"id": "1", "source": "/x", "specversion": "0.3", "type": "t"})
    assert info.value.code == "unsupported_specversion"
    with pytest.raises(InvalidBodyError) as info:
        arichat.cloudevent_from_http({"ce-id": "1"}, b"")
    assert info.value.code == "invalid_cloudevent"
