"""arichat: phone normalization and audited sales leads, backed by the Rust core.

Every function and class here comes from the native module ``arichat._native``;
errors are :class:`ArichatError` subclasses carrying the core's stable ``code``.
"""

from ._native import (
    ArichatError,
    EmptyIdError,
    IllegalTransitionError,
    InvalidEmailError,
    InvalidJsonError,
    InvalidPhoneError,
    Lead,
    UnknownRegionError,
    UnknownVariantError,
    normalize_phone,
    phone_from_wa_id,
    version,
)

__version__: str = version()

__all__ = [
    "ArichatError",
    "EmptyIdError",
    "IllegalTransitionError",
    "InvalidEmailError",
    "InvalidJsonError",
    "InvalidPhoneError",
    "Lead",
    "UnknownRegionError",
    "UnknownVariantError",
    "__version__",
    "normalize_phone",
    "phone_from_wa_id",
    "version",
]
