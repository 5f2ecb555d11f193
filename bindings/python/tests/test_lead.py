"""`Lead` (bindings/python/src/lead.rs) and the datetimes it takes (time.rs)."""

import copy
import json
import pickle
from datetime import datetime, timedelta, timezone

import pytest

import arichat
from arichat import (
    ArichatError,
    IllegalTransitionError,
    InvalidJsonError,
    Lead,
    UnknownVariantError,
)

T0 = datetime(2026, 1, 5, 14, 0, tzinfo=timezone.utc)


def new_lead() -> Lead:
    return Lead("lead-1", "acme", "c-1", "whatsapp", T0)


def test_new_lead():
    lead = new_lead()
    assert (lead.id, lead.tenant_id, lead.contact_id) == ("lead-1", "acme", "c-1")
    assert lead.status == "unattended"
    assert lead.stage == "iql"
    assert lead.channel == "whatsapp"
    assert lead.created_at == T0 and lead.updated_at == T0
    assert lead.created_at.tzinfo is not None
    assert lead.history == []
    assert repr(lead) == (
        "Lead(id='lead-1', tenant_id='acme', contact_id='c-1', "
        "status='unattended', stage='iql', changes=0)"
    )


def test_lead_round_trip():
    lead = new_lead()
    at = T0 + timedelta(minutes=5)
    change = lead.set_status("interested", "agent", "asked for a quote", at)
    assert lead.status == "interested"
    expected = {
        "field": "status",
        "from": "unattended",
        "to": "interested",
        "at": at,
        "cause": "agent",
        "reason": "asked for a quote",
    }
    assert change == expected
    assert lead.history == [expected]
    assert lead.updated_at == at

    before_json = lead.to_json()
    with pytest.raises(IllegalTransitionError) as info:
        lead.set_status("unattended", "agent", "oops", at + timedelta(minutes=1))
    assert str(info.value) == "illegal lead status transition from interested to unattended"
    assert info.value.code == "illegal_status_transition"
    # The failed move changed nothing.
    assert lead.status == "interested"
    assert len(lead.history) == 1
    assert lead.to_json() == before_json

    lead.set_stage("mql", "rule", "score 55 >= 50", at)
    back = Lead.from_json(lead.to_json())
    assert back == lead
    assert back is not lead
    assert back.to_json() == lead.to_json()
    assert back.history == lead.history
    assert back.stage == "mql"


def test_json_is_the_core_format():
    lead = new_lead()
    lead.set_stage("sql", "rule", "score 80", T0)
    doc = json.loads(lead.to_json())
    assert doc["status"] == "unattended"
    assert doc["stage"] == "sql"
    assert doc["created_at"] == "2026-01-05T14:00:00Z"
    assert doc["history"][0]["field"] == "stage"


def test_agent_required_and_stage_errors_share_the_class():
    lead = new_lead()
    lead.set_status("lost", "intent", "opt_out", T0)
    with pytest.raises(IllegalTransitionError) as info:
        lead.set_status("negotiating", "rule", "score", T0)
    assert info.value.code == "agent_required"
    assert str(info.value) == "lead is lost: only an agent can move it to negotiating"
    lead.set_stage("customer", "agent", "", T0)
    with pytest.raises(IllegalTransitionError) as info:
        lead.set_stage("sql", "agent", "", T0)
    assert info.value.code == "illegal_stage_transition"
    assert str(info.value) == "illegal lifecycle stage transition from customer to sql"
    assert lead.status == "lost" and lead.stage == "customer"
    assert len(lead.history) == 2


def test_unknown_names_are_typed():
    lead = new_lead()
    with pytest.raises(UnknownVariantError) as info:
        lead.set_status("open", "agent", "", T0)
    assert info.value.code == "unknown_variant"
    assert 'unknown lead status "open"' in str(info.value)
    with pytest.raises(UnknownVariantError, match="change cause"):
        lead.set_status("interested", "robot", "", T0)
    with pytest.raises(UnknownVariantError, match="channel"):
        Lead("l", "t", "c", "sms", T0)
    assert lead.history == []


def test_malformed_json_is_typed():
    with pytest.raises(InvalidJsonError) as info:
        Lead.from_json("{not json")
    assert info.value.code == "invalid_json"
    assert str(info.value).startswith("invalid lead JSON: ")


def test_tampered_history_is_rejected():
    lead = new_lead()
    lead.set_status("interested", "agent", "", T0)
    doc = json.loads(lead.to_json())
    doc["status"] = "won"
    with pytest.raises(InvalidJsonError):
        Lead.from_json(json.dumps(doc))


def test_aware_datetimes_in_any_zone_become_utc():
    bogota = timezone(timedelta(hours=-5))
    lead = Lead("l", "t", "c", "telegram", datetime(2026, 1, 5, 9, 0, tzinfo=bogota))
    assert lead.created_at == T0
    assert lead.created_at.utcoffset() == timedelta(0)


def test_zoneinfo_datetimes_are_accepted():
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        tz = zoneinfo.ZoneInfo("America/Bogota")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database on this machine")
    lead = Lead("l", "t", "c", "instagram", datetime(2026, 1, 5, 9, 0, tzinfo=tz))
    assert lead.created_at == T0


def test_naive_datetime_is_refused_clearly():
    with pytest.raises(ValueError, match="timezone-aware") as info:
        Lead("l", "t", "c", "whatsapp", datetime(2026, 1, 5, 14, 0))
    assert not isinstance(info.value, ArichatError)
    lead = new_lead()
    with pytest.raises(ValueError, match="at must be a timezone-aware"):
        lead.set_status("interested", "agent", "", datetime(2026, 1, 5))
    assert lead.status == "unattended"


def test_non_datetime_is_a_type_error():
    with pytest.raises(TypeError, match="now must be a datetime"):
        Lead("l", "t", "c", "whatsapp", "2026-01-05T14:00:00Z")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "doc", ["", "{", "[]", "null", '{"id":"x"}', "\u0000\u00ff", "{" * 10_000, '"\\ud800"']
)
def test_bad_json_never_crashes(doc):
    with pytest.raises(InvalidJsonError):
        Lead.from_json(doc)


def test_leads_are_unhashable_but_comparable():
    assert new_lead() == new_lead()
    assert new_lead() != Lead("other", "acme", "c-1", "whatsapp", T0)
    assert new_lead() != "lead-1"
    with pytest.raises(TypeError):
        hash(new_lead())


def test_leads_pickle_and_copy_through_json():
    lead = new_lead()
    lead.set_status("interested", "intent", "price_inquiry", T0)
    for back in (pickle.loads(pickle.dumps(lead)), copy.deepcopy(lead), copy.copy(lead)):
        assert back == lead and back is not lead
