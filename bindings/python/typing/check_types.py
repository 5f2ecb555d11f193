"""A type test, never run: test.sh checks it with ``mypy --strict --warn-unused-ignores``.

Every line must type-check except those marked ``# type: ignore[<code>]``, and each of
those must still fail (an ignore that stops being needed is an error): the stubs'
TypedDicts catch a misspelled key, a Literal a misspelled name.
"""

from datetime import datetime, timezone

import arichat

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)

events = arichat.normalize("whatsapp", b"{}", received_at=NOW)
for event in events:
    key: str = event["idempotency_key"]
    channel: arichat._native._Channel = event["channel"]
    if event["kind"] == "message":
        content = event["content"]
        kind: str = content["type"]
        body: str = content["body"]
        contact = event["contact"]
        name: str = contact["display_name"]
        wa_id: str = contact["identity"]["wa_id"]
    misspelled = event["idempotency_kye"]  # type: ignore[typeddict-item]
    wrong_content = event["content"]["bodyy"]  # type: ignore[typeddict-item]
    not_a_channel: int = event["channel"]  # type: ignore[assignment]

result = arichat.classify("¿cuánto cuesta?")
confidence: float = result["confidence"]
primary: str = result["primary"]
wrong_classification = result["confidense"]  # type: ignore[typeddict-item]

bundle = arichat.CampaignBundle.from_json('{"campaigns": []}')
for assignment in bundle.assign("c1", {"plan": "pro"}, NOW):
    campaign_id: str = assignment["campaign_id"]
    bucket: int = assignment["bucket"]
    wrong_assignment = assignment["campaign"]  # type: ignore[typeddict-item]
entry = bundle.assign_set("c1", {}, NOW)
expires_at: str = entry["expires_at"]
wrong_entry = entry["expires"]  # type: ignore[typeddict-item]

for explanation in bundle.explain("c1", {}, NOW):
    status: str = explanation["status"]
    wrong_explanation = explanation["state"]  # type: ignore[typeddict-item]

profiles = arichat.ProfileSet()
profile = profiles.apply(events[0]) if events else None
if profile is not None:
    messages_in: int = profile["messages_in"]
    wrong_profile = profile["messages"]  # type: ignore[typeddict-item]
    cuts = arichat.fit_rfm([profile], NOW)
    recency: list[float] = cuts["recency_days"]

# The error hierarchy: network and store errors are the standard classes too.
try:
    store = arichat.RedisIdempotencyStore("redis://127.0.0.1:1/0")
except ConnectionError as err:
    conn_code: str = getattr(err, "code")
except arichat.ArichatError as err:
    code: str = err.code
unavailable: ConnectionError = arichat.StoreUnavailableError("x")
timed_out: TimeoutError = arichat.SendTimeoutError("x")
refused: ConnectionError = arichat.SendConnectionError("x")
invalid: ValueError = arichat.InvalidPhoneError("x")
not_a_value_error: ValueError = arichat.StoreUnavailableError("x")  # type: ignore[assignment]
