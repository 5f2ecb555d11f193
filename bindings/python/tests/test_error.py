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
    # Invalid input is a ValueError; a store or network failure is not, but is the
    # standard class a caller already catches.
    assert not issubclass(ArichatError, ValueError)
    for cls in (InvalidPhoneError, UnknownVariantError, InvalidJsonError, arichat.InvalidConfigError, arichat.VerificationError):
        assert issubclass(cls, ValueError), cls
    for cls, std in (
        (arichat.StoreUnavailableError, ConnectionError),
        (arichat.SendConnectionError, ConnectionError),
        (arichat.SendTimeoutError, TimeoutError),
    ):
        assert issubclass(cls, std) and issubclass(cls, ArichatError), cls
        assert not issubclass(cls, ValueError), cls
        assert cls.__module__ == "arichat"
    assert issubclass(arichat.SendTimeoutError, arichat.SendError)
    assert not issubclass(arichat.SendError, (ValueError, ConnectionError, TimeoutError))


def test_network_and_store_errors_pickle_with_their_code():
    err = arichat.SendConnectionError("connection failed")
    err.code = "connection_failed"
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is arichat.SendConnectionError and isinstance(back, ConnectionError)
    assert back.code == "connection_failed"
