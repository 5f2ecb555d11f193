"""`normalize_phone` and `phone_from_wa_id` (bindings/python/src/lib.rs)."""

import pytest

import arichat
from arichat import ArichatError, InvalidPhoneError, Lead, UnknownRegionError


def test_normalize_colombian_national_number():
    assert arichat.normalize_phone("300 123 4567", "CO") == "+573001234567"
    assert arichat.normalize_phone("300 123 4567", region="co") == "+573001234567"
    assert arichat.normalize_phone("+57 300 123 4567") == "+573001234567"


def test_wa_id_gives_the_validated_number():
    # Mexico's historic mobile 1 is dropped; a placeholder id is no phone.
    assert arichat.phone_from_wa_id("5215512345678") == "+525512345678"
    with pytest.raises(InvalidPhoneError):
        arichat.phone_from_wa_id("15551234567")


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


@pytest.mark.parametrize(
    "raw",
    ["", " ", "+", "00", "+999999999999999999", "x" * 10_000, "\u0000", "٣٠٠١٢٣٤٥٦٧", "😀" * 50],
)
def test_bad_phones_never_crash(raw):
    with pytest.raises(InvalidPhoneError):
        arichat.normalize_phone(raw, "CO")
    with pytest.raises(InvalidPhoneError):
        arichat.phone_from_wa_id(raw)


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
