"""The exception classes of bindings/python/src/error.rs: hierarchy, codes, pickling."""

import pickle

import pytest

import arichat
from arichat import (
    ArichatError,
    IllegalTransitionError,
    InvalidJsonError,
    InvalidPhoneError,
    UnknownRegionError,
    UnknownVariantError,
)


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
