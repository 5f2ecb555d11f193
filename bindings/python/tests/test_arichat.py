"""Tests of the arichat Python binding. They exercise the native module end to end."""

import copy
import json
import pickle
import re
from datetime import datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path

import pytest

import arichat
from arichat import (
    ArichatError,
    IllegalTransitionError,
    InvalidJsonError,
    InvalidPhoneError,
    Lead,
    UnknownRegionError,
    UnknownVariantError,
)

ROOT = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 1, 5, 14, 0, tzinfo=timezone.utc)


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match, "workspace.package.version not found in Cargo.toml"
    return match.group(1)


def new_lead() -> Lead:
    return Lead("lead-1", "acme", "c-1", "whatsapp", T0)


# --- version -------------------------------------------------------------------


def test_version_is_the_crate_version():
    assert arichat.version() == workspace_version()
    assert arichat.__version__ == arichat.version()
    assert metadata.version("arichat") == arichat.version()


# --- phones --------------------------------------------------------------------


def test_normalize_colombian_national_number():
    assert arichat.normalize_phone("300 123 4567", "CO") == "+573001234567"
    assert arichat.normalize_phone("300 123 4567", region="co") == "+573001234567"
    assert arichat.normalize_phone("+57 300 123 4567") == "+573001234567"


def test_wa_id_is_kept_digit_for_digit():
    assert arichat.phone_from_wa_id("5215512345678") == "+5215512345678"


def test_invalid_phone_is_typed():
    with pytest.raises(InvalidPhoneError) as info:
        arichat.normalize_phone("12", "CO")
    err = info.value
    assert err.code == "invalid_phone"
    assert isinstance(err, ArichatError) and isinstance(err, ValueError)
    assert str(err).startswith("invalid phone number: ")
    assert "12" not in str(err).split(": ", 1)[0]


def test_national_number_without_region():
    with pytest.raises(InvalidPhoneError, match="default region"):
        arichat.normalize_phone("3001234567")


def test_unknown_region_is_typed():
    with pytest.raises(UnknownRegionError) as info:
        arichat.normalize_phone("300 123 4567", "ZZ")
    assert info.value.code == "unknown_region"
    assert str(info.value) == (
        'unknown region "ZZ": expected an ISO 3166-1 alpha-2 code such as "CO"'
    )


def test_bad_wa_id_is_typed():
    with pytest.raises(InvalidPhoneError):
        arichat.phone_from_wa_id("52155abc")


# --- leads ---------------------------------------------------------------------


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


# --- datetimes -----------------------------------------------------------------


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


# --- robustness ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["", " ", "+", "00", "+999999999999999999", "x" * 10_000, "\u0000", "٣٠٠١٢٣٤٥٦٧", "😀" * 50],
)
def test_bad_phones_never_crash(raw):
    with pytest.raises(InvalidPhoneError):
        arichat.normalize_phone(raw, "CO")
    with pytest.raises(InvalidPhoneError):
        arichat.phone_from_wa_id(raw)


@pytest.mark.parametrize(
    "doc", ["", "{", "[]", "null", '{"id":"x"}', "\u0000\u00ff", "{" * 10_000, '"\\ud800"']
)
def test_bad_json_never_crashes(doc):
    with pytest.raises(InvalidJsonError):
        Lead.from_json(doc)


def test_wrong_argument_types_are_type_errors():
    with pytest.raises(TypeError):
        arichat.normalize_phone(3001234567, "CO")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        arichat.normalize_phone("300 123 4567", 57)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Lead.from_json(None)  # type: ignore[arg-type]


def test_lone_surrogate_is_an_error_not_a_crash():
    with pytest.raises(UnicodeEncodeError):
        arichat.normalize_phone("\ud800", "CO")


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


def test_exceptions_pickle_with_their_code():
    with pytest.raises(InvalidPhoneError) as info:
        arichat.normalize_phone("12", "CO")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is InvalidPhoneError
    assert back.code == "invalid_phone" and str(back) == str(info.value)


def test_exception_hierarchy():
    for cls in (
        InvalidPhoneError,
        UnknownRegionError,
        IllegalTransitionError,
        InvalidJsonError,
        UnknownVariantError,
        arichat.InvalidEmailError,
        arichat.EmptyIdError,
    ):
        assert issubclass(cls, ArichatError)
        assert cls.__module__ == "arichat"
    assert issubclass(ArichatError, ValueError)
