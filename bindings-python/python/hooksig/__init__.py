"""hooksig: constant-time webhook signature verification (and signing) for every common scheme.

>>> import hooksig
>>> headers = hooksig.sign("github", "It's a Secret to Everybody", b"Hello, World!")
>>> v = hooksig.Verifier("github", secret="It's a Secret to Everybody")
>>> v.verify(headers, b"Hello, World!").scheme
'github'

Verification and signing run in the Rust core (`hooksig._native`, private); this module is
the public surface. Errors: every exception is a ``hooksig.HooksigError`` (a ``ValueError``)
with ``.code``, ``.header`` and ``.http_status``; request failures are ``VerificationError``
subclasses, configuration mistakes ``ConfigError`` subclasses; a wrong argument type is an
``InvalidArgument`` (an ``InvalidConfig`` and a ``TypeError``). Replay protection:
``ReplayGuard`` (in memory) and ``RedisReplayGuard`` / ``AsyncRedisReplayGuard`` (several
processes; redis-py or redis.asyncio), ``SqlReplayGuard`` / ``AsyncSqlReplayGuard``
(the application's own PostgreSQL or SQLite; ``hooksig.sql``). Framework
integrations: ``hooksig.flask``, ``hooksig.fastapi``, ``hooksig.django`` and ``hooksig.asgi``
(Starlette, any ASGI app), adapters over the core's receiver
policy ``Receiver`` (which answers every refused request with the same ``Answer`` bytes in
every hooksig integration).
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
