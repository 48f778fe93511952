# Type stubs for the private extension module hooksig._native (src/lib.rs, src/errors.rs).
# Checked against the built module by `python -m mypy.stubtest hooksig._native` in test.sh.

from collections.abc import Iterable, Mapping
from typing import ClassVar, Final, Optional, Union

__version__: Final[str]
CORE_VERSION: Final[str]
DETACH_THRESHOLD: Final[int]

# What `verify` and `sign` accept as a body: bytes-like objects are read without copying where
# the object allows it; str is encoded as UTF-8.
Body = Union[bytes, bytearray, memoryview, str]
# Any mapping (dict, Werkzeug EnvironHeaders, Starlette Headers) or an iterable of pairs.
# A value of None counts as an absent header.
HeaderValue = Union[str, bytes, None]
Headers = Union[
    Mapping[str, HeaderValue],
    Mapping[bytes, HeaderValue],
    Iterable[tuple[Union[str, bytes], HeaderValue]],
    Iterable[list[Union[str, bytes]]],
]
Secret = Union[str, bytes]

class HooksigError(ValueError):
    """Base class of every hooksig error."""

    code: ClassVar[str]
    http_status: ClassVar[int]
    header: Optional[str]

class VerificationError(HooksigError):
    """A received webhook failed verification (bare: code "internal")."""

class ConfigError(HooksigError):
    """A verifier or signing call was configured wrongly."""

class MissingSignature(VerificationError):
    description: ClassVar[str]

class MissingTimestamp(VerificationError):
    description: ClassVar[str]

class MissingId(VerificationError):
    description: ClassVar[str]

class MalformedSignature(VerificationError):
    description: ClassVar[str]

class MalformedTimestamp(VerificationError):
    description: ClassVar[str]

class TimestampExpired(VerificationError):
    description: ClassVar[str]

class TimestampInFuture(VerificationError):
    description: ClassVar[str]

class SignatureMismatch(VerificationError):
    description: ClassVar[str]

class InvalidSecret(ConfigError):
    description: ClassVar[str]

class UnknownScheme(ConfigError):
    description: ClassVar[str]

class InvalidConfig(ConfigError):
    description: ClassVar[str]

class Scheme:
    """A webhook signature scheme: built-in (``scheme(id)``) or ``custom_scheme(...)``."""

    @property
    def id(self) -> str: ...
    @property
    def signature_header(self) -> str: ...
    @property
    def timestamp_header(self) -> Optional[str]: ...
    @property
    def id_header(self) -> Optional[str]: ...
    @property
    def event_header(self) -> Optional[str]: ...
    @property
    def json_fallback(self) -> bool: ...

class Verified:
    """A successfully verified webhook."""

    @property
    def scheme(self) -> str: ...
    @property
    def timestamp(self) -> Optional[int]: ...
    @property
    def id(self) -> Optional[str]: ...
    @property
    def event_type(self) -> Optional[str]: ...
    @property
    def key_index(self) -> int: ...
    @property
    def payload(self) -> bytes: ...

class Verifier:
    """Verifies webhooks of one scheme against one or more secrets, in constant time."""

    def __new__(
        cls,
        scheme: Union[str, Scheme],
        secret: Optional[Secret] = None,
        secrets: Optional[Iterable[Secret]] = None,
        tolerance: int = 300,
        secret_format: str = "auto",
        json_fallback: Optional[bool] = None,
    ) -> Verifier: ...
    @property
    def scheme(self) -> str: ...
    def verify(self, headers: Headers, body: Body, now: Optional[int] = None) -> Verified: ...
    def sign(
        self,
        body: Body,
        timestamp: Optional[int] = None,
        id: Optional[str] = None,
        event_type: Optional[str] = None,
    ) -> dict[str, str]: ...

def sign(
    scheme: Union[str, Scheme],
    secret: Secret,
    body: Body,
    timestamp: Optional[int] = None,
    id: Optional[str] = None,
    event_type: Optional[str] = None,
) -> dict[str, str]: ...
def schemes() -> list[str]: ...
def scheme(id: str) -> Scheme: ...
def custom_scheme(
    id: str,
    signature_header: str,
    template: str = "{body}",
    encoding: str = "hex",
    prefix: Optional[str] = None,
    algorithm: str = "sha256",
    timestamp_header: Optional[str] = None,
    id_header: Optional[str] = None,
    event_header: Optional[str] = None,
    json_fallback: bool = False,
) -> Scheme: ...
def _panic_through_boundary() -> None: ...
