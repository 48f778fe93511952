"""hooksig: constant-time webhook signature verification (and signing) for every common scheme.

>>> import hooksig
>>> headers = hooksig.sign("github", "It's a Secret to Everybody", b"Hello, World!")
>>> v = hooksig.Verifier("github", secret="It's a Secret to Everybody")
>>> v.verify(headers, b"Hello, World!").scheme
'github'

Verification and signing run in the Rust core (`hooksig._native`, private); this module is
the public surface. Errors: every exception is a ``hooksig.HooksigError`` (a ``ValueError``)
with ``.code``, ``.header`` and ``.http_status``; request failures are ``VerificationError``
subclasses, configuration mistakes ``ConfigError`` subclasses. Framework integrations:
``hooksig.flask`` and ``hooksig.fastapi``.
"""

from hooksig._native import (
    ConfigError,
    HooksigError,
    InvalidConfig,
    InvalidSecret,
    MalformedSignature,
    MalformedTimestamp,
    MissingId,
    MissingSignature,
    MissingTimestamp,
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
    scheme,
    schemes,
    sign,
)

__all__ = [
    "ConfigError",
    "HooksigError",
    "InvalidConfig",
    "InvalidSecret",
    "MalformedSignature",
    "MalformedTimestamp",
    "MissingId",
    "MissingSignature",
    "MissingTimestamp",
    "Scheme",
    "SignatureMismatch",
    "TimestampExpired",
    "TimestampInFuture",
    "UnknownScheme",
    "VerificationError",
    "Verified",
    "Verifier",
    "__version__",
    "custom_scheme",
    "scheme",
    "schemes",
    "sign",
]
