"""hooksig: constant-time webhook signature verification (and signing) for every common scheme.

>>> import hooksig
>>> headers = hooksig.sign("github", "It's a Secret to Everybody", b"Hello, World!")
>>> v = hooksig.Verifier("github", secret="It's a Secret to Everybody")
>>> v.verify(headers, b"Hello, World!").scheme
'github'

Verification and signing run in the Rust core (``hooksig._native``, private). Every exception is
a ``HooksigError`` (a ``ValueError``) with ``.code``, ``.header`` and ``.http_status``: request
failures are ``VerificationError`` subclasses, configuration mistakes ``ConfigError`` ones, a
wrong argument type ``InvalidArgument`` (also a ``TypeError``). Replay guards: ``ReplayGuard``
(in memory), ``RedisReplayGuard``, ``SqlReplayGuard`` and their asyncio twins (several
processes). Integrations over the core's receiver policy (``Receiver``, the same ``Answer``
bytes in every hooksig integration): ``hooksig.flask``, ``.fastapi``, ``.django``, ``.asgi``.
"""

from hooksig._native import (
    DEFAULT_BODY_LIMIT,
    RETRY_AFTER,
    Answer,
    BodyReadFailed,
    BodyTooLarge,
    ConfigError,
    HooksigError,
    InvalidArgument,
    InvalidConfig,
    InvalidSecret,
    MalformedSignature,
    MalformedTimestamp,
    MethodNotAllowed,
    MissingId,
    MissingSignature,
    MissingTimestamp,
    Receiver,
    ReplayGuard,
    Scheme,
    SignatureMismatch,
    TimestampExpired,
    TimestampInFuture,
    UnknownScheme,
    VerificationError,
    Verified,
    Verifier,
    __version__,
    custom_scheme,
    public_url,
    scheme,
    schemes,
    sign,
)
from hooksig._replay import (
    AsyncReplayGuardLike,
    DeliveryInProgress,
    ReplayGuardLike,
    ReplayStoreError,
    ReplayStoreUnavailable,
)
from hooksig.redis import AsyncRedisReplayGuard, RedisReplayGuard
from hooksig.sql import AsyncSqlReplayGuard, SqlReplayGuard

__all__ = [
    "DEFAULT_BODY_LIMIT",
    "RETRY_AFTER",
    "Answer",
    "AsyncRedisReplayGuard",
    "AsyncReplayGuardLike",
    "AsyncSqlReplayGuard",
    "BodyReadFailed",
    "BodyTooLarge",
    "ConfigError",
    "DeliveryInProgress",
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
    "RedisReplayGuard",
    "ReplayGuard",
    "ReplayGuardLike",
    "ReplayStoreError",
    "ReplayStoreUnavailable",
    "Scheme",
    "SignatureMismatch",
    "SqlReplayGuard",
    "TimestampExpired",
    "TimestampInFuture",
    "UnknownScheme",
    "VerificationError",
    "Verified",
    "Verifier",
    "__version__",
    "custom_scheme",
    "public_url",
    "scheme",
    "schemes",
    "sign",
]
