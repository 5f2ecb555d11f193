"""Type stubs of the native module ``arichat._native`` (built from src/*.rs)."""

from datetime import datetime
from os import PathLike
from typing import Any, Awaitable, Callable, Dict, Iterable, Iterator, List, Literal, Mapping, Optional, Sequence, Tuple, TypedDict, Union, final, overload

__all__ = [
    "ArichatError",
    "AsyncConversionsClient",
    "AsyncIntentCascade",
    "AsyncMessengerClient",
    "AsyncTelegramClient",
    "AsyncWhatsAppClient",
    "CampaignBundle",
    "CampaignCache",
    "CommissionRules",
    "ConversionsClient",
    "EmptyIdError",
    "FitResult",
    "IllegalTransitionError",
    "IntentCascade",
    "InvalidBodyError",
    "InvalidCampaignError",
    "InvalidConfigError",
    "InvalidEmailError",
    "InvalidJsonError",
    "InvalidPhoneError",
    "InvalidScorecardError",
    "InvalidScoringDataError",
    "Lead",
    "MessengerClient",
    "ProfileSet",
    "Receipt",
    "RedisIdempotencyStore",
    "Scorecard",
    "SendConnectionError",
    "SendError",
    "SendTimeoutError",
    "StoreHistoryLostError",
    "StoreUnavailableError",
    "TelegramClient",
    "UnknownRegionError",
    "UnknownVariantError",
    "VerificationError",
    "MattermostTokens",
    "WebhookVerifier",
    "WhatsAppClient",
    "assign_table",
    "auth_header",
    "check_receipt",
    "classify",
    "cloudevent_from_http",
    "cloudevent_from_pubsub_push",
    "cloudevent_to_http",
    "cloudevents_to_pubsub",
    "derived_cloudevent",
    "classify_column",
    "classify_many",
    "fit",
    "fit_rfm",
    "meta_handshake",
    "normalize",
    "normalize_phone",
    "parse_numbers",
    "parse_amount",
    "parse_deal",
    "mattermost_reply",
    "parse_mattermost_hook",
    "phone_from_wa_id",
    "pick_receipt_total",
    "preflight",
    "profile_keys",
    "profiles_from_events",
    "rfm_score",
    "verify_signature",
    "verify_telegram_secret",
    "version",
    "warm",
]

_Channel = Literal["whatsapp", "messenger", "instagram", "telegram", "mattermost"]
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

class ArichatError(Exception):
    """Base of every arichat error; ``code`` is the core's stable snake_case code.

    Invalid input also derives from ``ValueError``; a store or network failure from
    ``ConnectionError`` or ``TimeoutError``."""

    code: str

class InvalidPhoneError(ArichatError, ValueError): ...
class UnknownRegionError(ArichatError, ValueError): ...
class InvalidEmailError(ArichatError, ValueError): ...
class IllegalTransitionError(ArichatError, ValueError):
    """code is illegal_status_transition, illegal_stage_transition or agent_required."""

class UnknownVariantError(ArichatError, ValueError): ...
class InvalidJsonError(ArichatError, ValueError):
    """code is invalid_json: a document that is not the expected JSON. A webhook body
    that is not JSON raises InvalidBodyError (same code) instead."""

class EmptyIdError(ArichatError, ValueError): ...
class VerificationError(ArichatError, ValueError):
    """code is verification_failed; the message never contains a secret."""

class InvalidBodyError(ArichatError, ValueError):
    """code is invalid_json, body_too_large, body_too_deep, too_many_items,
    unexpected_shape, or for a CloudEvent invalid_cloudevent, unsupported_specversion or
    invalid_extension_name; the message never quotes the body."""

class InvalidScorecardError(ArichatError, ValueError): ...
class InvalidScoringDataError(ArichatError, ValueError): ...
class InvalidCampaignError(ArichatError, ValueError): ...
class InvalidConfigError(ArichatError, ValueError): ...
class StoreUnavailableError(ArichatError, ConnectionError): ...
class StoreHistoryLostError(ArichatError): ...

class SendError(ArichatError):
    """A send through a channel client failed or was refused before any request.

    ``code`` is the Rust SendError code (outside_window, consent_refused,
    unsupported_message, blocked_by_user, rate_limited, invalid_token, timeout,
    connection_failed, outcome_unknown, malformed_response, invalid_request, ...);
    ``attempts`` the requests made (0 when refused before sending); ``vendor_code`` and
    ``http_status`` are set when the vendor answered. With ``outcome_unknown`` (a
    timeout, a dropped connection or an ambiguous 5xx after the request left) the
    message may have been delivered and was not sent again: ``request_id`` names the
    send, and for WhatsApp ``callback_data`` is the ``biz_opaque_callback_data`` its
    status webhooks echo. The message never contains a token.
    """

    attempts: int
    vendor_code: Optional[int]
    http_status: Optional[int]
    request_id: Optional[str]
    callback_data: Optional[str]

class SendTimeoutError(SendError, TimeoutError):
    """code is timeout: no answer within the timeout on every attempt."""

class SendConnectionError(SendError, ConnectionError):
    """code is connection_failed: the connection failed or dropped on every attempt."""

# The serde JSON shape of arichat_core::Event: common keys, plus the keys of its kind.
class _Identity(TypedDict, total=False):
    """How a channel knows a contact: `channel` and that channel's ids."""

    channel: _Channel
    wa_id: str
    user_id: str
    parent_user_id: str
    username: str
    psid: str
    igsid: str

class _ContactRef(TypedDict, total=False):
    identity: _Identity
    display_name: str
    phone: str

class _Referral(TypedDict, total=False):
    source_url: str
    source_id: str
    source_type: str
    headline: str
    ctwa_clid: str
    ref: str

class _ContentCommon(TypedDict):
    type: Literal[
        "text",
        "formatted_text",
        "image",
        "audio",
        "video",
        "document",
        "sticker",
        "location",
        "contacts",
        "interactive_reply",
        "reaction",
        "order",
        "unsupported",
    ]

class _Content(_ContentCommon, total=False):
    """What a message carries: `type`, plus the keys of that type."""

    body: str
    entities: List[Any]
    id: str
    url: str
    mime_type: str
    caption: str
    filename: str
    sha256: str
    latitude: float
    longitude: float
    name: str
    address: str
    contacts: List[Any]
    title: str
    flow_name: str
    message_id: str
    emoji: str
    catalog_id: str
    items: List[Any]
    text: str
    kind: str
    raw: Any

class _IdentityChange(TypedDict, total=False):
    id: Literal["user_id", "parent_user_id", "wa_id"]
    old: str
    new: str

class _EventCommon(TypedDict):
    idempotency_key: str
    channel: _Channel
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
        "identity_changed",
        "unsupported",
        "invalid_item",
    ]

class _Event(_EventCommon, total=False):
    tenant_id: str
    contact: _ContactRef
    message_id: str
    direction: Literal["inbound", "outbound"]
    author: Literal["client", "agent", "bot", "system"]
    content: _Content
    reply_to: str
    forwarded: bool
    referral: _Referral
    status: Literal["sent", "delivered", "read", "failed"]
    errors: List[Any]
    billing: Any
    watermark: str
    message_ids: List[str]
    payload: str
    title: str
    signal: Literal["opt_in", "opt_out", "blocked"]
    detail: str
    changes: List[_IdentityChange]
    vendor_kind: str
    reason: str
    raw: Any
    business_connection_id: str

_Body = Union[bytes, bytearray, memoryview]

def version() -> str: ...
def warm() -> None: ...
def normalize_phone(raw: str, region: Optional[str] = None) -> str: ...
def phone_from_wa_id(wa_id: str) -> str: ...
def parse_numbers(
    values: Sequence[Optional[str]],
    locale: Optional[str] = None,
    decimal: Optional[str] = None,
    missing: Optional[Sequence[str]] = None,
    strict: bool = False,
    name: str = "values",
) -> List[Optional[float]]: ...
# A structured-mode CloudEvent 1.0 as a dict: id, source, specversion, type, time,
# subject, datacontenttype, data and the extensions (channel, tenant, lead, partitionkey).
_CloudEvent = Dict[str, Any]

@overload
def normalize(
    channel: _Channel | str,
    body: _Body,
    *,
    received_at: Optional[datetime] = None,
    account: Optional[str] = None,
    max_items: Optional[int] = None,
    app_id: Optional[str] = None,
    cloudevents: Literal[False] = False,
) -> List[_Event]: ...
@overload
def normalize(
    channel: _Channel | str,
    body: _Body,
    *,
    received_at: Optional[datetime] = None,
    account: Optional[str] = None,
    max_items: Optional[int] = None,
    app_id: Optional[str] = None,
    cloudevents: Literal[True],
) -> List[_CloudEvent]: ...

def cloudevents_to_pubsub(cloudevents: Iterable[_CloudEvent | str]) -> Dict[str, Any]: ...
def cloudevent_from_pubsub_push(body: bytes | str) -> _CloudEvent: ...
def cloudevent_to_http(cloudevent: _CloudEvent | str) -> Tuple[Dict[str, str], bytes]: ...
def cloudevent_from_http(headers: Mapping[str, str], body: bytes | str) -> _CloudEvent: ...
def derived_cloudevent(
    kind: Literal["lead.status_changed", "lead.scored", "consent.changed", "conversation.flagged"],
    cause: Mapping[str, Any] | str,
    data: Any,
    *,
    lead: Optional[str] = None,
) -> _CloudEvent: ...
def verify_signature(body: _Body, header: Optional[str], secrets: List[str]) -> int: ...
def meta_handshake(query: str, verify_token: str) -> str: ...
def verify_telegram_secret(header: Optional[str], secret: str) -> None: ...

class _MattermostHook(TypedDict):
    kind: Literal["outgoing_webhook", "slash_command"]
    team_id: str
    team_domain: str
    channel_id: str
    channel_name: str
    occurred_at: Optional[str]
    user_id: str
    user_name: str
    post_id: str
    text: str
    trigger_word: str
    file_ids: List[str]
    command: str
    trigger_id: str
    response_url: str

def parse_mattermost_hook(body: _Body, content_type: Optional[str] = None) -> _MattermostHook: ...
def mattermost_reply(
    text: str, response_type: Optional[Literal["comment", "in_channel", "ephemeral"]] = None
) -> str: ...
@final
class MattermostTokens:
    def __new__(cls, tokens: List[str]) -> MattermostTokens: ...
    def verify(
        self, body: _Body, authorization: Optional[str] = None, content_type: Optional[str] = None
    ) -> _MattermostHook: ...
def auth_header(channel: _Channel | str) -> str: ...

class _WebhookAccount(TypedDict):
    channel: _Channel | str
    account: str
    tenant: str
    secrets: List[str]

@final
class WebhookVerifier:
    def __new__(cls, accounts: Iterable[_WebhookAccount]) -> WebhookVerifier: ...
    @overload
    def normalize(
        self,
        channel: _Channel | str,
        body: _Body,
        header: Optional[str],
        *,
        received_at: Optional[datetime] = None,
        account: Optional[str] = None,
        max_items: Optional[int] = None,
        app_id: Optional[str] = None,
        cloudevents: Literal[False] = False,
    ) -> List[_Event]: ...
    @overload
    def normalize(
        self,
        channel: _Channel | str,
        body: _Body,
        header: Optional[str],
        *,
        received_at: Optional[datetime] = None,
        account: Optional[str] = None,
        max_items: Optional[int] = None,
        app_id: Optional[str] = None,
        cloudevents: Literal[True],
    ) -> List[_CloudEvent]: ...

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

# --- shared dedup ----------------------------------------------------------------

@final
class RedisIdempotencyStore:
    def __new__(
        cls,
        url: str,
        *,
        # Defaults: Rust's RedisConfig::DEFAULT_* and HistoryLostPolicy's default, passed
        # through (read the effective ones back from .prefix and .ttl_seconds).
        ttl_seconds: float = ...,
        prefix: str = ...,
        connect_timeout: float = ...,
        io_timeout: float = ...,
        on_history_lost: Literal["error", "reset"] = ...,
    ) -> RedisIdempotencyStore: ...
    def check_and_insert(self, key: str) -> bool: ...
    def check_and_insert_event(self, event: Mapping[str, Any]) -> bool: ...
    def forget(self, key: str) -> bool: ...
    @property
    def prefix(self) -> str: ...
    @property
    def ttl_seconds(self) -> float: ...
    @property
    def history_losses(self) -> int: ...

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

_Language = Literal["es", "pt", "en", "unknown"]
_OptOutSignal = Literal["explicit", "implicit"]

class _Classification(TypedDict):
    intents: List[_IntentMatch]
    primary: _Intent
    confidence: float  # calibrated probability that primary is right
    language: _Language
    uncertain: bool  # confidence below the threshold: primary is a guess
    opt_out: Optional[_OptOutSignal]  # explicit: a stop request; implicit: may be one, ask an agent

def classify(text: str) -> _Classification: ...
def classify_many(texts: Sequence[str]) -> List[_Classification]: ...
def classify_column(texts: _Column) -> Any:
    """A pyarrow Table, one row per message: primary, confidence, language, uncertain, opt_out (as classify gives them; dictionary<int8, string> for the names; a row of nulls for null)."""

# --- LLM cascade -----------------------------------------------------------------

class _Fallback(TypedDict):
    code: str  # "budget_exhausted", "timeout", "rate_limited", "invalid_label", ...
    message: str

class _CascadeResult(TypedDict):
    classification: _Classification
    source: Literal["local", "llm", "cache"]
    fallback: Optional[_Fallback]

@final
class IntentCascade:
    """The built-in classifier first, an OpenAI-compatible LLM for what it is unsure of; ``classify`` blocks with the GIL released."""

    def __new__(
        cls,
        base_url: str,
        model: str,
        api_key: str,
        *,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        budget_requests: Optional[int] = None,
        budget_window: Optional[float] = None,
        cache_size: Optional[int] = None,
        escalate_below: Optional[float] = None,
    ) -> IntentCascade: ...
    def classify(self, tenant: str, text: str) -> _CascadeResult: ...

@final
class AsyncIntentCascade:
    """The built-in classifier first, an OpenAI-compatible LLM for what it is unsure of; ``classify`` returns an awaitable."""

    def __new__(
        cls,
        base_url: str,
        model: str,
        api_key: str,
        *,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        budget_requests: Optional[int] = None,
        budget_window: Optional[float] = None,
        cache_size: Optional[int] = None,
        escalate_below: Optional[float] = None,
    ) -> AsyncIntentCascade: ...
    def classify(self, tenant: str, text: str) -> Awaitable[_CascadeResult]: ...

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
    def score_table(
        self,
        table: _Table,
        engagement: Optional[Sequence[float]] = None,
        *,
        explain: int = 0,
        allow_missing: bool = False,
        progress: Optional[Callable[[int, int], object]] = None,
        threads: int = 1,
    ) -> Any:
        """Columns total, fit (float64), grade, stage (str)[, probability][, reasons, reasons_json with explain=N], in the input's kind: a pandas DataFrame on the input's index, a polars DataFrame, a pyarrow Table for other Arrow input, a dict of NumPy arrays for a dict. A column the card reads and the table lacks raises InvalidScoringDataError unless allow_missing=True (then a UserWarning). threads splits the rows across threads (0: one per core) with the same output as one. Text columns given dictionary-encoded (pandas category, polars Categorical) are scored about 1.3 times as fast as plain strings."""
    def __eq__(self, other: object, /) -> bool: ...

@final
class FitResult:
    """What arichat.fit learned: the scorecard, the solver, the cross-validation."""
    @property
    def scorecard(self) -> Scorecard: ...
    @property
    def auc(self) -> Optional[float]: ...
    @property
    def auc_std(self) -> Optional[float]: ...
    @property
    def auc_pooled(self) -> Optional[float]: ...
    @property
    def brier(self) -> Optional[float]: ...
    @property
    def log_loss(self) -> Optional[float]: ...
    @property
    def calibration(self) -> Any:
        """lower, upper, count, mean_predicted, observed_rate per bin: a frame of fit's input kind (pandas, polars, else pyarrow), None without folds."""
    @property
    def folds(self) -> Any:
        """fold, rows, positives, auc, brier per fold: a frame of fit's input kind, None without folds."""
    @property
    def dropped(self) -> Any:
        """field, reason, information_value of each column the fit left out: a frame of fit's input kind."""
    @property
    def rows(self) -> int: ...
    @property
    def positives(self) -> int: ...
    @property
    def unlabelled(self) -> int: ...
    @property
    def rules(self) -> int: ...
    @property
    def iterations(self) -> int: ...
    @property
    def converged(self) -> bool: ...
    def to_html(self) -> str:
        """The fit report as one self-contained HTML page (what `arichat fit --report` writes)."""
    @property
    def report(self) -> Dict[str, Any]:
        """The report's figures: roc, gains, calibration (deciles), grades, fields (bins), dropped, ..."""
    def to_dict(self) -> Dict[str, Any]: ...
    def __iter__(self) -> Iterator[Any]:
        """Deprecated: `card, report = arichat.fit(...)`."""

def fit(
    table: _Table,
    label: str,
    positive: Any = None,
    seed: Optional[int] = None,
    drop: Optional[List[str]] = None,
    folds: Optional[int] = None,
    *,
    monotone: Optional[bool] = None,
    min_support: Optional[float] = None,
    min_iv: Optional[float] = None,
    max_rules: Optional[int] = None,
    progress: Optional[Callable[[int, int], object]] = None,
) -> FitResult: ...

# ---- Profiles --------------------------------------------------------------------
class _ProfileCommon(TypedDict):
    identities: List[str]
    messages_in: int
    messages_out: int
    channels: Dict[str, Any]
    hours: List[int]
    languages: Dict[str, int]
    recent_intents: List[Any]
    interests: Dict[str, Any]
    money: Dict[str, Any]
    response: Dict[str, Any]

class _Profile(_ProfileCommon, total=False):
    """The core's profile JSON; times are RFC 3339 text."""

    first_seen: str
    last_seen: str
    last_inbound: str
    waiting_since: str
    consent: Any

class _RfmCutsCommon(TypedDict):
    recency_days: List[float]
    frequency: List[float]

class _RfmCuts(_RfmCutsCommon, total=False):
    """Quintile cut points: four each."""

    monetary_minor: List[int]
    currency: str

class _Rfm(TypedDict):
    recency: int
    frequency: int
    monetary: int

@final
class ProfileSet:
    def __new__(
        cls,
        *,
        interests: Optional[Iterable[str]] = None,
        half_life_days: Optional[float] = None,
        utc_offset_minutes: Optional[int] = None,
        max_interests: Optional[int] = None,
    ) -> ProfileSet: ...
    def apply(self, event: _Event | Mapping[str, Any] | str) -> Optional[_Profile]: ...
    def get(self, key: str) -> Optional[_Profile]: ...
    def link(self, a: str, b: str) -> bool: ...
    def profiles(self) -> List[_Profile]: ...
    def __len__(self) -> int: ...

def profile_keys(event: _Event | Mapping[str, Any] | str) -> List[str]: ...
def profiles_from_events(
    events: Any,
    *,
    column: str = "event",
    now: Optional[datetime] = None,
    rfm_cuts: Optional[_RfmCuts] = None,
    interests: Optional[Iterable[str]] = None,
    half_life_days: Optional[float] = None,
    utc_offset_minutes: Optional[int] = None,
    max_interests: Optional[int] = None,
) -> Any: ...
def fit_rfm(
    profiles: Iterable[_Profile | str],
    now: datetime,
    *,
    currency: Optional[str] = None,
    half_life_days: Optional[float] = None,
) -> _RfmCuts: ...
def rfm_score(
    profile: _Profile | str,
    cuts: _RfmCuts,
    now: datetime,
    *,
    half_life_days: Optional[float] = None,
) -> _Rfm: ...

# ---- Campaigns -------------------------------------------------------------------
_Reason = Literal["targeting_match", "split", "holdout", "default", "cached", "stale"]
class _AssignmentCommon(TypedDict):
    campaign_id: str
    reason: _Reason
    rule_path: str
    bucket: int
    priority: int
    offer: Any

class _Assignment(_AssignmentCommon, total=False):
    """One campaign of a customer (`offer` is None for a holdout)."""

    variant: str
    channels: List[str]

class _AssignmentSet(TypedDict):
    """A customer's cache entry; times are RFC 3339 text."""

    customer_id: str
    computed_at: str
    expires_at: str
    stale_until: str
    bundle_version: str
    assignments: List[_Assignment]
_Attributes = Mapping[str, _Attr]

class _ExplanationCommon(TypedDict):
    campaign_id: str
    status: Literal[
        "assigned",
        "not_started",
        "ended",
        "not_eligible",
        "outside_rollout",
        "excluded",
        "customer_cap",
        "campaign_cap",
        "fallback_unused",
    ]

class _Explanation(_ExplanationCommon, total=False):
    """What happened to one campaign for a customer."""

    reason: _Reason
    rule_path: str
    excluded_by: str

@final
class CampaignBundle:
    @classmethod
    def from_toml(cls, text: str) -> CampaignBundle: ...
    @classmethod
    def from_json(cls, text: str) -> CampaignBundle: ...
    @classmethod
    def load(cls, path: Union[str, PathLike[str]]) -> CampaignBundle: ...
    @property
    def version(self) -> str: ...
    @property
    def campaign_ids(self) -> List[str]: ...
    def to_json(self) -> str: ...
    def assign(self, customer_id: str, attributes: _Attributes, now: Optional[datetime] = None) -> List[_Assignment]: ...
    def explain(self, customer_id: str, attributes: _Attributes, now: Optional[datetime] = None) -> List[_Explanation]: ...
    def assign_set(self, customer_id: str, attributes: _Attributes, now: Optional[datetime] = None) -> _AssignmentSet: ...

def assign_table(bundle: CampaignBundle, table: _Table, id_column: Optional[str] = None, now: Optional[datetime] = None) -> Any:
    """A pyarrow Table, one row per assignment: customer_id, campaign_id, variant, reason, rule_path, bucket (uint16), offer (JSON text)."""

@final
class CampaignCache:
    def __new__(
        cls,
        url: str,
        bundle: CampaignBundle,
        *,
        # Defaults: Rust's CampaignCacheConfig::DEFAULT_*, UnavailablePolicy's default and
        # RedisConfig's timeouts, passed through.
        prefix: str = ...,
        on_unavailable: Literal["error", "stale"] = ...,
        batch_size: int = ...,
        connect_timeout: float = ...,
        io_timeout: float = ...,
    ) -> CampaignCache: ...
    def key(self, customer_id: str) -> str: ...
    def write(self, entries: Iterable[Mapping[str, Any]], now: Optional[datetime] = None) -> int: ...
    def write_table(self, table: _Table, id_column: Optional[str] = None, now: Optional[datetime] = None) -> int: ...
    def read(self, customer_id: str) -> Optional[_AssignmentSet]: ...
    def get(
        self,
        customer_id: str,
        attributes: Union[None, _Attributes, Callable[[str], Optional[_Attributes]]] = None,
        now: Optional[datetime] = None,
    ) -> Optional[_AssignmentSet]: ...

# ---- Send clients ------------------------------------------------------------------
# A message is the serde JSON of arichat_channels::outbound::Outbound, tagged by "type":
# {"type": "text", "body": ..., "preview_url"?}, {"type": "media", "kind", "source":
# {"id"|"link": ...}, "caption"?}, {"type": "buttons", "body", "buttons": [{"id",
# "title"}]}, {"type": "list", ...}, {"type": "template", "name", "language",
# "category", "components"?}, {"type": "reaction", "message_id", "emoji"}.
_Outbound = Mapping[str, Any]
# {"channel": ..., "last_inbound_at"?: datetime, "contact_id"?: str}
_Conversation = Mapping[str, Any]
# A consent ledger: its JSON text or the parsed dict.
_Consent = Union[str, Mapping[str, Any]]
_Tag = Literal["HUMAN_AGENT", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE"]

def preflight(
    conversation: _Conversation,
    to: str,
    message: _Outbound,
    *,
    now: Optional[datetime] = None,
    consent: Optional[_Consent] = None,
    marketing: bool = False,
    tag: Optional[_Tag] = None,
    proactive: bool = False,
) -> dict[str, str]: ...

@final
class Receipt:
    """What a send answered."""

    @property
    def channel(self) -> _Channel: ...
    @property
    def message_ids(self) -> List[str]: ...
    @property
    def delivery(self) -> Optional[Literal["response", "update", "tagged", "template", "unrestricted"]]: ...
    @property
    def tag(self) -> Optional[_Tag]: ...

# arichat_channels::client::SendGuarantee: whether a send whose outcome is unknown
# (timeout, dropped connection, ambiguous 5xx) is sent again. Default at_most_once.
_SendGuarantee = Literal["at_most_once", "at_least_once"]

# arichat_channels::client::ClientSettings: what a client will do, without its token
# (seconds as floats). Checked against tests/vectors/send_spec.json.
class _ClientSettings(TypedDict):
    client: Literal["whatsapp", "messenger", "instagram", "telegram", "conversions"]
    account_id: Optional[str]
    api_base: str
    graph_version: Optional[str]
    timeout: float
    connect_timeout: float
    max_attempts: int
    retry_base_delay: float
    guarantee: _SendGuarantee

@final
class WhatsAppClient:
    """WhatsApp Cloud API client; methods block with the GIL released."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        phone_number_id: str,
        *,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> WhatsAppClient: ...
    def send(self, to: str, message: _Outbound, *, reply_to: Optional[str] = None) -> Receipt: ...
    def send_text(self, to: str, text: str, *, preview_url: bool = False) -> Receipt: ...
    def mark_read(self, message_id: str, *, typing_indicator: bool = False) -> None: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Receipt: ...

@final
class AsyncWhatsAppClient:
    """WhatsApp Cloud API client; methods return awaitables (call them in a running loop)."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        phone_number_id: str,
        *,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> AsyncWhatsAppClient: ...
    def send(self, to: str, message: _Outbound, *, reply_to: Optional[str] = None) -> Awaitable[Receipt]: ...
    def send_text(self, to: str, text: str, *, preview_url: bool = False) -> Awaitable[Receipt]: ...
    def mark_read(self, message_id: str, *, typing_indicator: bool = False) -> Awaitable[None]: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Awaitable[Receipt]: ...

class _ConversionEvent(TypedDict, total=False):
    event_name: Literal["LeadSubmitted", "QualifiedLead", "Purchase"]
    channel: _Channel
    at: str
    event_id: str
    email: str
    phone: str
    ctwa_clid: str
    whatsapp_business_account_id: str
    page_id: str
    page_scoped_user_id: str
    value: float
    currency: str

class _ConversionsAnswer(TypedDict):
    events_received: int
    fbtrace_id: Optional[str]

@final
class ConversionsClient:
    """Meta Conversions API client; ``send`` blocks with the GIL released."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        dataset_id: str,
        *,
        test_event_code: Optional[str] = None,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
    ) -> ConversionsClient: ...
    def send(self, events: Sequence[_ConversionEvent]) -> _ConversionsAnswer: ...

@final
class AsyncConversionsClient:
    """Meta Conversions API client; ``send`` returns an awaitable."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        dataset_id: str,
        *,
        test_event_code: Optional[str] = None,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
    ) -> AsyncConversionsClient: ...
    def send(self, events: Sequence[_ConversionEvent]) -> Awaitable[_ConversionsAnswer]: ...

_SenderAction = Literal["typing_on", "typing_off", "mark_seen"]

@final
class MessengerClient:
    """Messenger / Instagram Send API client; methods block with the GIL released."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        page_id: str,
        *,
        channel: Optional[Literal["messenger", "instagram"]] = None,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> MessengerClient: ...
    @property
    def channel(self) -> Literal["messenger", "instagram"]: ...
    def send(
        self, recipient: str, message: _Outbound, *, tag: Optional[_Tag] = None, update: bool = False
    ) -> Receipt: ...
    def send_text(self, recipient: str, text: str) -> Receipt: ...
    def sender_action(self, recipient: str, action: _SenderAction) -> None: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Receipt: ...

@final
class AsyncMessengerClient:
    """Messenger / Instagram Send API client; methods return awaitables."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        access_token: str,
        page_id: str,
        *,
        channel: Optional[Literal["messenger", "instagram"]] = None,
        api_base: Optional[str] = None,
        graph_version: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> AsyncMessengerClient: ...
    @property
    def channel(self) -> Literal["messenger", "instagram"]: ...
    def send(
        self, recipient: str, message: _Outbound, *, tag: Optional[_Tag] = None, update: bool = False
    ) -> Awaitable[Receipt]: ...
    def send_text(self, recipient: str, text: str) -> Awaitable[Receipt]: ...
    def sender_action(self, recipient: str, action: _SenderAction) -> Awaitable[None]: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Awaitable[Receipt]: ...

@final
class TelegramClient:
    """Telegram Bot API client; methods block with the GIL released."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        token: str,
        *,
        api_base: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> TelegramClient: ...
    def send(self, chat: str, message: _Outbound, *, reply_to: Optional[int] = None) -> Receipt: ...
    def send_text(self, chat: str, text: str) -> Receipt: ...
    def answer_callback_query(
        self, callback_query_id: str, *, text: Optional[str] = None, show_alert: bool = False
    ) -> None: ...
    def get_updates(
        self,
        *,
        offset: Optional[int] = None,
        timeout: Optional[int] = None,
        limit: Optional[int] = None,
        allowed_updates: Optional[Sequence[str]] = None,
    ) -> List[Dict[str, Any]]: ...
    def set_webhook(
        self,
        url: str,
        *,
        secret_token: Optional[str] = None,
        allowed_updates: Optional[Sequence[str]] = None,
        drop_pending_updates: bool = False,
        max_connections: Optional[int] = None,
    ) -> None: ...
    def delete_webhook(self, *, drop_pending_updates: bool = False) -> None: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Receipt: ...

@final
class AsyncTelegramClient:
    """Telegram Bot API client; methods return awaitables."""

    @property
    def settings(self) -> _ClientSettings: ...

    def __new__(
        cls,
        token: str,
        *,
        api_base: Optional[str] = None,
        timeout: Optional[float] = None,
        max_attempts: Optional[int] = None,
        retry_base_delay: Optional[float] = None,
        guarantee: Optional[_SendGuarantee] = None,
    ) -> AsyncTelegramClient: ...
    def send(self, chat: str, message: _Outbound, *, reply_to: Optional[int] = None) -> Awaitable[Receipt]: ...
    def send_text(self, chat: str, text: str) -> Awaitable[Receipt]: ...
    def answer_callback_query(
        self, callback_query_id: str, *, text: Optional[str] = None, show_alert: bool = False
    ) -> Awaitable[None]: ...
    def get_updates(
        self,
        *,
        offset: Optional[int] = None,
        timeout: Optional[int] = None,
        limit: Optional[int] = None,
        allowed_updates: Optional[Sequence[str]] = None,
    ) -> Awaitable[List[Dict[str, Any]]]: ...
    def set_webhook(
        self,
        url: str,
        *,
        secret_token: Optional[str] = None,
        allowed_updates: Optional[Sequence[str]] = None,
        drop_pending_updates: bool = False,
        max_connections: Optional[int] = None,
    ) -> Awaitable[None]: ...
    def delete_webhook(self, *, drop_pending_updates: bool = False) -> Awaitable[None]: ...
    def reply(
        self,
        conversation: _Conversation,
        to: str,
        message: _Outbound,
        *,
        now: Optional[datetime] = None,
        consent: Optional[_Consent] = None,
        marketing: bool = False,
        tag: Optional[_Tag] = None,
        proactive: bool = False,
    ) -> Awaitable[Receipt]: ...

# Sales recorded from chat (src/money.rs, src/deal.rs, src/commission.rs).

class _Amount(TypedDict):
    minor: int
    currency: str
    currency_explicit: bool
    text: str
    start: int
    end: int
    written: Literal["digits", "words", "mixed"]
    ambiguous: bool
    alternative_minor: Optional[int]

class _ReceiptCheck(TypedDict, total=False):
    status: Literal["match", "mismatch", "unreadable"]
    difference: int

def parse_amount(text: str, region: str, *, slang: bool = False) -> List[_Amount]: ...
def check_receipt(declared: int, read: Optional[int], tolerance_bps: Optional[int] = None) -> _ReceiptCheck: ...
def pick_receipt_total(ocr_text: str, region: str) -> Optional[_Amount]: ...

class _DealField(TypedDict):
    kind: Literal["amount", "customer", "units", "product", "note"]
    tag: str
    form: Literal["at", "colon", "equals"]
    tag_start: int
    start: int
    end: int
    value: str

class _Deal(TypedDict):
    amount: _Amount
    customer: str
    units: Optional[int]
    product: Optional[str]
    note: Optional[str]

class _DealProblem(TypedDict):
    code: str
    message: str
    field: Literal["amount", "customer", "units", "product", "note"]
    start: Optional[int]
    end: Optional[int]

class _DealParse(TypedDict):
    fields: List[_DealField]
    deal: Optional[_Deal]
    problems: List[_DealProblem]

def parse_deal(text: str, region: Optional[str] = None, *, grammar: Optional[str] = None) -> _DealParse: ...

class _CommissionLine(TypedDict):
    rule: str
    kind: str
    inputs: str
    arithmetic: str
    minor: int
    capped: bool

class _Commission(TypedDict):
    currency: str
    total_minor: int
    lines: List[_CommissionLine]
    capped_at: Optional[int]
    seller_terms: bool
    explanation: str

class _SellerMonth(TypedDict):
    seller: str
    year: int
    month: int
    sales: int
    units: int
    sold_minor: int
    commission_minor: int
    goal_minor: Optional[int]
    progress_bps: Optional[int]

@final
class CommissionRules:
    @classmethod
    def from_toml(cls, text: str) -> CommissionRules: ...
    @classmethod
    def from_json(cls, text: str) -> CommissionRules: ...
    @property
    def currency(self) -> str: ...
    def compute(self, *, seller: str, amount_minor: int, units: int, currency: Optional[str] = None) -> _Commission: ...
    def monthly_progress(self, sales: Sequence[Mapping[str, Any]], year: int, month: int) -> List[_SellerMonth]: ...
