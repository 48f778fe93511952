# Type stubs for the private extension module hooksig._native (src/*.rs).
# Checked against the built module by `python -m mypy.stubtest hooksig._native` in test.sh.

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final, Literal, final

__all__ = [
    "CORE_VERSION",
    "DEFAULT_BODY_LIMIT",
    "DEFAULT_REPLAY_CAPACITY",
    "DEFAULT_SQL_TABLE",
    "DETACH_THRESHOLD",
    "PROCESSING_TTL",
    "RETRY_AFTER",
    "STORE_PREFIX",
    "STORE_TIMEOUT_MS",
    "Answer",
    "BodyReadFailed",
    "BodyTooLarge",
    "ConfigError",
    "HooksigError",
    "InvalidArgument",
    "InvalidConfig",
    "InvalidSecret",
    "MalformedSignature",
    "MalformedTimestamp",
    "MethodNotAllowed",
    "MissingId",
    "MissingSignature",
    "MissingTimestamp",
    "Receiver",
    "ReplayGuard",
    "Scheme",
    "SharedStore",
    "SignatureMismatch",
    "SqlStatement",
    "SqlStore",
    "StoreCommand",
    "TimestampExpired",
    "TimestampInFuture",
    "UnknownScheme",
    "VerificationError",
    "Verified",
    "Verifier",
    "__version__",
    "_error_info",
    "_panic_through_boundary",
    "custom_scheme",
    "public_url",
    "scheme",
    "schemes",
    "sign",
]

__version__: Final[str]
CORE_VERSION: Final[str]
DETACH_THRESHOLD: Final[int]
DEFAULT_REPLAY_CAPACITY: Final[int]
DEFAULT_BODY_LIMIT: Final[int]
RETRY_AFTER: Final[int]
STORE_PREFIX: Final[str]
PROCESSING_TTL: Final[int]
STORE_TIMEOUT_MS: Final[int]
DEFAULT_SQL_TABLE: Final[str]

# What `verify` and `sign` accept as a body: bytes-like objects are read without copying where
# the object allows it; str is encoded as UTF-8.
_Body = bytes | bytearray | memoryview | str
# Any mapping (dict, Werkzeug EnvironHeaders, Starlette Headers) or an iterable of pairs.
# A value of None counts as an absent header.
_HeaderValue = str | bytes | None
_Headers = (
    Mapping[str, _HeaderValue]
    | Mapping[bytes, _HeaderValue]
    | Iterable[tuple[str | bytes, _HeaderValue]]
    | Iterable[list[str | bytes]]
)
_Secret = str | bytes

class HooksigError(ValueError):
    """Base class of every hooksig error."""

    code: ClassVar[str]
    http_status: ClassVar[int]
    description: ClassVar[str]
    header: str | None

class VerificationError(HooksigError):
    """A received webhook failed verification (bare: code "internal")."""

class ConfigError(HooksigError):
    """A verifier or signing call was configured wrongly."""

class MissingSignature(VerificationError): ...
class MissingTimestamp(VerificationError): ...
class MissingId(VerificationError): ...
class MalformedSignature(VerificationError): ...
class MalformedTimestamp(VerificationError): ...
class TimestampExpired(VerificationError): ...
class TimestampInFuture(VerificationError): ...
class SignatureMismatch(VerificationError): ...
class InvalidSecret(ConfigError): ...
class UnknownScheme(ConfigError): ...
class InvalidConfig(ConfigError): ...
class MethodNotAllowed(VerificationError): ...
class BodyTooLarge(VerificationError): ...
class BodyReadFailed(VerificationError): ...

class InvalidArgument(InvalidConfig, TypeError):
    """A wrong argument type or an out-of-range number (code invalid_argument; a TypeError)."""

@final
class Scheme:
    """A webhook signature scheme: built-in (``scheme(id)``) or ``custom_scheme(...)``."""

    @property
    def id(self) -> str: ...
    @property
    def signature_header(self) -> str: ...
    @property
    def timestamp_header(self) -> str | None: ...
    @property
    def id_header(self) -> str | None: ...
    @property
    def event_header(self) -> str | None: ...
    @property
    def json_fallback(self) -> bool: ...

@final
class Verified:
    """A successfully verified webhook."""

    @property
    def scheme(self) -> str: ...
    @property
    def timestamp(self) -> int | None: ...
    @property
    def id(self) -> str | None: ...
    @property
    def event_type(self) -> str | None: ...
    @property
    def key_index(self) -> int: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def dedupe_key(self) -> str: ...
    def json(self) -> Any:
        """The payload decoded as JSON; raises json.JSONDecodeError (a ValueError) if it is not."""

@final
class Verifier:
    """Verifies webhooks of one scheme against one or more secrets, in constant time."""

    def __new__(
        cls,
        scheme: str | Scheme,
        secret: _Secret | None = None,
        secrets: Iterable[_Secret] | None = None,
        tolerance: int | None = None,
        secret_format: str = "auto",
        json_fallback: bool | None = None,
    ) -> Verifier: ...
    @staticmethod
    def any_of(verifiers: Iterable[Verifier]) -> Verifier:
        """Several vendors at one endpoint; `Verified.scheme` names the one that matched."""
    @property
    def scheme(self) -> str: ...
    @property
    def tolerance(self) -> int: ...
    @property
    def replay_ttl(self) -> int: ...
    @property
    def signs_request_line(self) -> bool:
        """Whether the scheme signs the request URL/method: then pass url= (and method=)."""
    def verify(
        self,
        headers: _Headers,
        body: _Body,
        now: int | None = None,
        *,
        url: str | None = None,
        method: str | None = None,
    ) -> Verified: ...
    def sign(
        self,
        body: _Body,
        timestamp: int | None = None,
        id: str | None = None,
        event_type: str | None = None,
        *,
        url: str | None = None,
        method: str | None = None,
    ) -> dict[str, str]: ...

@final
class ReplayGuard:
    """In-memory replay guard (one process): atomic, expiring, bounded."""

    def __new__(
        cls, ttl: int | None = None, capacity: int = 100_000, verifier: Verifier | None = None
    ) -> ReplayGuard: ...
    def check_and_remember(self, key: str, now: int | None = None) -> bool: ...
    def forget(self, key: str) -> None: ...
    @property
    def ttl(self) -> int: ...
    @property
    def capacity(self) -> int: ...
    def __len__(self) -> int: ...

@final
class Answer:
    """One HTTP answer decided by the core: write status, headers, Content-Type and body."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> list[tuple[str, str]]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...

_GuardAnswer = Literal["new", "duplicate", "in_progress", "unavailable"]

@final
class Receiver:
    """The core's receiver policy, which the Flask and FastAPI integrations drive."""

    def __new__(cls, limit: int = 10485760) -> Receiver: ...
    @property
    def limit(self) -> int: ...
    def start(self, method: str, content_length: int | None = None) -> Answer | None: ...
    def body_too_large(self) -> Answer: ...
    def body_read_failed(self) -> Answer: ...
    def verify(
        self,
        verifier: Verifier,
        headers: _Headers,
        body: _Body,
        now: int | None = None,
        *,
        url: str | None = None,
        method: str | None = None,
    ) -> Verified | Answer: ...
    def rejected(self, error: HooksigError) -> Answer: ...
    def guarded(self, answer: _GuardAnswer) -> Answer | None: ...
    def finished(self, status: int | None) -> Literal["keep", "release"]: ...
    @staticmethod
    def received(verified: Verified) -> Answer: ...

@final
class StoreCommand:
    """One command of the core's replay-store contract (SET, GET or DEL)."""

    @property
    def name(self) -> Literal["SET", "GET", "DEL"]: ...
    @property
    def key(self) -> str: ...
    @property
    def value(self) -> str | None: ...
    @property
    def ttl(self) -> int | None: ...
    @property
    def only_if_absent(self) -> bool: ...
    def argv(self) -> list[str]: ...

@final
class SharedStore:
    """The core's replay-store contract, which RedisReplayGuard executes."""

    def __new__(
        cls, ttl: int, *, prefix: str = "hooksig:replay:", processing_ttl: int = 60
    ) -> SharedStore: ...
    @property
    def prefix(self) -> str: ...
    @property
    def ttl(self) -> int: ...
    @property
    def processing_ttl(self) -> int: ...
    def claim(self, key: str) -> StoreCommand: ...
    def claimed(self, was_set: bool) -> Literal["new"] | None: ...
    def lookup(self, key: str) -> StoreCommand: ...
    def looked_up(self, value: bytes | str | None) -> Literal["duplicate", "in_progress"]: ...
    def settle(self, key: str, action: Literal["keep", "release"]) -> StoreCommand: ...

@final
class SqlStatement:
    """One statement of the core's SQL replay-store contract."""

    @property
    def name(self) -> Literal["claim", "lookup", "keep", "release", "purge", "create"]: ...
    @property
    def params(self) -> list[str | int]: ...
    @property
    def reply(self) -> Literal["rowcount", "value", "nothing"]: ...
    def sql(self, placeholder: Literal["?", "$", "%s"] = "?") -> str: ...

@final
class SqlStore:
    """The core's replay-store contract over one SQL table, which SqlReplayGuard executes."""

    def __new__(
        cls,
        store: SharedStore,
        *,
        table: str = "hooksig_replay",
        dialect: Literal["postgres", "sqlite"] = "postgres",
    ) -> SqlStore: ...
    @property
    def table(self) -> str: ...
    @property
    def dialect(self) -> Literal["postgres", "sqlite"]: ...
    @property
    def prefix(self) -> str: ...
    @property
    def ttl(self) -> int: ...
    @property
    def processing_ttl(self) -> int: ...
    def create_table(self) -> SqlStatement: ...
    def claim(self, key: str, now: int) -> SqlStatement: ...
    def claimed(self, rows: int) -> Literal["new"] | None: ...
    def lookup(self, key: str, now: int) -> SqlStatement: ...
    def looked_up(self, state: object) -> Literal["duplicate", "in_progress"]: ...
    def settle(self, key: str, action: Literal["keep", "release"], now: int) -> SqlStatement: ...
    def purge(self, now: int) -> SqlStatement: ...

def sign(
    scheme: str | Scheme,
    secret: _Secret,
    body: _Body,
    timestamp: int | None = None,
    id: str | None = None,
    event_type: str | None = None,
    *,
    url: str | None = None,
    method: str | None = None,
) -> dict[str, str]: ...
def public_url(base: str, path_and_query: str) -> str:
    """base (trailing / trimmed) + exactly one / + path_and_query: the URL behind a proxy."""

def schemes() -> list[str]: ...
def scheme(id: str) -> Scheme: ...
def custom_scheme(
    id: str,
    signature_header: str,
    template: str = "{body}",
    encoding: str = "hex",
    prefix: str | None = None,
    algorithm: str = "sha256",
    timestamp_header: str | None = None,
    id_header: str | None = None,
    event_header: str | None = None,
    json_fallback: bool = False,
) -> Scheme: ...
def _error_info(code: str) -> tuple[int, str]: ...
def _panic_through_boundary(detached: bool = False) -> None: ...
