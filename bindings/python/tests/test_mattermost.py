"""Mattermost hooks from Python: parse (form and JSON), verify with rotated tokens, reply.
Mirrors crates/arichat-channels/src/mattermost/ and verify/mattermost.rs."""

import json

import pytest

import arichat
from arichat import UnknownVariantError, VerificationError

FORM = (
    b"token=tok-new&team_id=team1&team_domain=ventas&channel_id=chan1&channel_name=ventas"
    b"&timestamp=1700000000&user_id=user1&user_name=ana&post_id=post1"
    b"&text=%40monto+1500+%40cliente+Juan&trigger_word=%40monto&file_ids=f1%2Cf2"
)
JSON = json.dumps(
    {"token": "tok-old", "team_id": "team1", "post_id": "post1", "timestamp": 1700000000000, "text": "@monto 1500"}
).encode()


def test_form_and_json_read_alike_with_their_timestamp_units():
    form = arichat.parse_mattermost_hook(FORM, "application/x-www-form-urlencoded")
    assert form["kind"] == "outgoing_webhook"
    assert form["text"] == "@monto 1500 @cliente Juan"
    assert form["file_ids"] == ["f1", "f2"]
    assert "token" not in form
    sniffed = arichat.parse_mattermost_hook(JSON)
    assert sniffed["occurred_at"] == form["occurred_at"]


def test_rotated_tokens_and_slash_command_header():
    tokens = arichat.MattermostTokens(["tok-old", "tok-new"])
    assert tokens.verify(FORM)["post_id"] == "post1"
    assert tokens.verify(JSON)["team_id"] == "team1"
    slash = b"token=tok-new&team_id=team1&command=%2Fventa&text=monto%3D1500&trigger_id=tr1"
    assert tokens.verify(slash, "Token tok-new")["kind"] == "slash_command"
    with pytest.raises(VerificationError) as info:
        tokens.verify(slash, "Token tok-guess")
    assert "tok-" not in str(info.value) + repr(info.value)
    assert "tok-" not in repr(tokens)
    with pytest.raises(arichat.InvalidConfigError):
        arichat.MattermostTokens([""])


def test_reply_defaults_to_the_thread():
    assert json.loads(arichat.mattermost_reply("Venta registrada ✓")) == {
        "text": "Venta registrada ✓",
        "response_type": "comment",
    }
    assert json.loads(arichat.mattermost_reply("x", "ephemeral"))["response_type"] == "ephemeral"
    with pytest.raises(UnknownVariantError):
        arichat.mattermost_reply("x", "thread")


def test_normalize_keys_a_post_once_in_either_encoding():
    form = arichat.normalize("mattermost", FORM)
    keys = [e["idempotency_key"] for e in form]
    assert keys == ["mattermost:team1:post:post1", "mattermost:team1:post:post1:2"]
    assert form[0]["contact"]["identity"] == {"channel": "mattermost", "user_id": "user1"}
    assert arichat.normalize("mattermost", JSON)[0]["idempotency_key"] == keys[0]
