"""Type stubs of the native module ``arichat._native`` (built from src/*.rs)."""

from datetime import datetime
from typing import Any, Dict, List, Literal, Optional, TypedDict, Union, final

__all__ = [
    "ArichatError",
    "EmptyIdError",
    "IllegalTransitionError",
    "InvalidBodyError",
    "InvalidEmailError",
    "InvalidJsonError",
    "InvalidPhoneError",
    "Lead",
    "UnknownRegionError",
    "UnknownVariantError",
    "VerificationError",
    "meta_handshake",
    "normalize",
    "normalize_phone",
    "phone_from_wa_id",
    "verify_signature",
    "verify_telegram_secret",
    "version",
]

_Channel = Literal["whatsapp", "messenger", "instagram", "telegram"]
_Status = Literal["unattended", "interested", "negotiating", "won", "lost"]
_Stage = Literal["iql", "mql", "sql", "customer"]
_Cause = Literal["rule", "intent", "agent", "import"]

# "from" is a keyword, hence the functional syntax.
_LeadChange = TypedDict(
    "_LeadChange",
    {
        "field": Literal["status", "stage"],
        "from": str,
        "to": str,
        "at": datetime,
        "cause": str,
        "reason": str,
    },
)

class ArichatError(ValueError):
    """Base of every arichat error; ``code`` is the core's stable snake_case code."""

    code: str

class InvalidPhoneError(ArichatError): ...
class UnknownRegionError(ArichatError): ...
class InvalidEmailError(ArichatError): ...
class IllegalTransitionError(ArichatError):
    """code is illegal_status_transition, illegal_stage_transition or agent_required."""

class UnknownVariantError(ArichatError): ...
class InvalidJsonError(ArichatError): ...
class EmptyIdError(ArichatError): ...
class VerificationError(ArichatError):
    """code is verification_failed; the message never contains a secret."""

class InvalidBodyError(ArichatError):
    """code is invalid_json, body_too_large, body_too_deep or unexpected_shape."""

# The serde JSON shape of arichat_core::Event: common keys, plus the keys of its kind.
class _ContactRef(TypedDict, total=False):
    identity: Dict[str, str]
    display_name: str
    phone: str

class _EventCommon(TypedDict):
    idempotency_key: str
    channel: str
    channel_account_id: str
    occurred_at: str
    kind: Literal[
        "message",
        "message_edited",
        "message_deleted",
        "status",
        "read",
        "delivered",
        "postback",
        "referral",
        "consent",
        "unsupported",
    ]

class _Event(_EventCommon, total=False):
    tenant_id: str
    contact: _ContactRef
    message_id: str
    direction: Literal["inbound", "outbound"]
    author: Literal["client", "agent", "bot", "system"]
    content: Dict[str, Any]
    reply_to: str
    forwarded: bool
    referral: Dict[str, str]
    status: Literal["sent", "delivered", "read", "failed"]
    errors: List[Any]
    billing: Any
    watermark: str
    message_ids: List[str]
    payload: str
    title: str
    signal: Literal["opt_in", "opt_out", "blocked"]
    detail: str
    vendor_kind: str
    raw: Any

_Body = Union[bytes, bytearray, memoryview]

def version() -> str: ...
def normalize_phone(raw: str, region: Optional[str] = None) -> str: ...
def phone_from_wa_id(wa_id: str) -> str: ...
def normalize(
    channel: _Channel | str,
    body: _Body,
    *,
    received_at: Optional[datetime] = None,
    account: Optional[str] = None,
) -> List[_Event]: ...
def verify_signature(body: _Body, header: Optional[str], secrets: List[str]) -> int: ...
def meta_handshake(query: str, verify_token: str) -> str: ...
def verify_telegram_secret(header: Optional[str], secret: str) -> None: ...

@final
class Lead:
    def __new__(
        cls, id: str, tenant_id: str, contact_id: str, channel: _Channel | str, now: datetime
    ) -> Lead: ...
    @property
    def id(self) -> str: ...
    @property
    def tenant_id(self) -> str: ...
    @property
    def contact_id(self) -> str: ...
    @property
    def channel(self) -> Optional[str]: ...
    @property
    def status(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def history(self) -> List[_LeadChange]: ...
    def set_status(self, to: _Status | str, cause: _Cause | str, reason: str, at: datetime) -> _LeadChange: ...
    def set_stage(self, to: _Stage | str, cause: _Cause | str, reason: str, at: datetime) -> _LeadChange: ...
    def to_json(self) -> str: ...
    @classmethod
    def from_json(cls, json: str) -> Lead: ...
    def __eq__(self, other: object, /) -> bool: ...
