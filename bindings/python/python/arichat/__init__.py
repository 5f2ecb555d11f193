"""arichat: phone normalization, audited sales leads, inbound webhooks, intents and lead scoring, backed by the Rust core.

Every function and class here comes from the native module ``arichat._native``;
errors are :class:`ArichatError` subclasses carrying the core's stable ``code``.
"""

from ._native import (
    ArichatError,
    EmptyIdError,
    IllegalTransitionError,
    InvalidBodyError,
    InvalidConfigError,
    InvalidEmailError,
    InvalidJsonError,
    InvalidPhoneError,
    InvalidScorecardError,
    InvalidScoringDataError,
    Lead,
    Scorecard,
    UnknownRegionError,
    UnknownVariantError,
    VerificationError,
    classify,
    classify_column,
    classify_many,
    fit,
    meta_handshake,
    normalize,
    normalize_phone,
    phone_from_wa_id,
    verify_signature,
    verify_telegram_secret,
    version,
)

__version__: str = version()

__all__ = [
    "ArichatError",
    "EmptyIdError",
    "IllegalTransitionError",
    "InvalidBodyError",
    "InvalidConfigError",
    "InvalidEmailError",
    "InvalidJsonError",
    "InvalidPhoneError",
    "InvalidScorecardError",
    "InvalidScoringDataError",
    "Lead",
    "Scorecard",
    "UnknownRegionError",
    "UnknownVariantError",
    "VerificationError",
    "__version__",
    "classify",
    "classify_column",
    "classify_many",
    "fit",
    "meta_handshake",
    "normalize",
    "normalize_phone",
    "phone_from_wa_id",
    "verify_signature",
    "verify_telegram_secret",
    "version",
]
