"""Type stubs of the native module ``arichat._native`` (built from src/*.rs)."""

from datetime import datetime
from os import PathLike
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, TypedDict, Union, final

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

class InvalidScorecardError(ArichatError): ...
class InvalidScoringDataError(ArichatError): ...
class InvalidConfigError(ArichatError): ...

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

# --- intents ---------------------------------------------------------------------

_Intent = Literal[
    "greeting",
    "price_inquiry",
    "purchase_intent",
    "negotiation",
    "objection",
    "opt_out",
    "scheduling",
    "support",
    "other",
]

# A pyarrow Array or ChunkedArray, a polars or pandas Series, anything with
# __arrow_c_stream__ / __arrow_c_array__ holding one text column, or a sequence of str.
_Column = Any

class _IntentMatch(TypedDict):
    intent: _Intent
    confidence: float
    start: int  # string indices: text[start:end] == evidence
    end: int
    evidence: str

class _Classification(TypedDict):
    intents: List[_IntentMatch]
    primary: _Intent

def classify(text: str) -> _Classification: ...
def classify_many(texts: Sequence[str]) -> List[_Classification]: ...
def classify_column(texts: _Column) -> Any:
    """The primary intent of each message as a pyarrow DictionaryArray (int8 codes into every intent name; null for null)."""

# --- scoring ---------------------------------------------------------------------

_Attr = Union[None, bool, int, float, str]
_Grade = Literal["a", "b", "c", "d"]

class _EngagementEventRequired(TypedDict):
    kind: str
    at: datetime

class _EngagementEvent(_EngagementEventRequired, total=False):
    intent: str
    payload: str

class _ContributionRequired(TypedDict):
    rule: str
    kind: Literal["base", "fit", "engagement", "group_cap"]
    points: float

class _Contribution(_ContributionRequired, total=False):
    name: str
    events: int

class _ScoreResultRequired(TypedDict):
    total: float
    fit: float
    engagement: float
    grade: _Grade
    stage: _Stage
    contributions: List[_Contribution]

class _ScoreResult(_ScoreResultRequired, total=False):
    probability: float

# Anything with __arrow_c_stream__ / __arrow_c_array__ (pyarrow Table or RecordBatch,
# polars DataFrame, ...), a pandas DataFrame, or a dict of columns.
_Table = Any

@final
class Scorecard:
    @classmethod
    def from_toml(cls, text: str) -> Scorecard: ...
    @classmethod
    def from_json(cls, text: str) -> Scorecard: ...
    @classmethod
    def from_file(cls, path: Union[str, PathLike[str]]) -> Scorecard: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    @property
    def name(self) -> Optional[str]: ...
    def score(
        self,
        record: Dict[str, _Attr],
        events: Optional[List[_EngagementEvent]] = None,
        now: Optional[datetime] = None,
    ) -> _ScoreResult: ...
    def score_table(self, table: _Table, engagement: Optional[Sequence[float]] = None) -> Any:
        """Columns total, fit (float64), grade, stage (str)[, probability]: a pyarrow Table for Arrow input (pyarrow, polars, any Arrow PyCapsule producer), a dict of NumPy arrays for pandas and dict input."""
    def __eq__(self, other: object, /) -> bool: ...

def fit(
    table: _Table,
    label: str,
    positive: Any = None,
    seed: int = 42,
    drop: Optional[List[str]] = None,
    folds: Optional[int] = 5,
) -> Tuple[Scorecard, Dict[str, Any]]: ...
