"""Type stubs of the native module ``arichat._native`` (built from src/*.rs)."""

from datetime import datetime
from typing import List, Literal, Optional, TypedDict, final

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
    "normalize_phone",
    "phone_from_wa_id",
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

def version() -> str: ...
def normalize_phone(raw: str, region: Optional[str] = None) -> str: ...
def phone_from_wa_id(wa_id: str) -> str: ...

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
