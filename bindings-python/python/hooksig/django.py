"""Django integration: ``@verify_webhook(verifier)`` guards a function view, ``WebhookView`` a
class-based view, with a hooksig ``Verifier``.

An adapter over the core's receiver policy (``hooksig.Receiver``), like ``hooksig.flask``: the
core's answers (405 for other methods: Django routes every method to the view, 413 over
``limit``, 400, the failed verification's), else the view runs with the ``Verified`` result as
the keyword argument ``webhook``; ``request.body`` still returns the raw body. Both forms are
``csrf_exempt`` (a sender has no CSRF token: the signature authenticates the request).

Body limit: the view reads at most ``limit + 1`` bytes itself, so ``limit`` applies, not
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (``request.body`` of a verified request returns the bytes
already read). Under ASGI Django has buffered the whole body before any view runs; ``limit``
bounds what is read into memory. Schemes that sign the URL get ``request.scheme://get_host()``
or ``public_url`` (``WebhookView``: ``webhook_public_url``), followed by the path and query.

Replay protection (``guard=``) as in ``hooksig.flask``. Synchronous views and guards only
(``InvalidConfig`` otherwise): Django runs them in a thread under ASGI too. Django is not a
dependency of hooksig: install ``hooksig[django]``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, ClassVar

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from hooksig import Answer, InvalidConfig, Receiver, ReplayGuardLike, Verifier
from hooksig._adapter import (
    DEFAULT_LIMIT,
    METHODS,
    check_public_url,
    declared_length,
    raw_uri,
    read_and_verify,
    request_url,
    run_once,
)
from hooksig._replay import is_async

__all__ = ["DEFAULT_LIMIT", "METHODS", "WebhookView", "respond", "verify_webhook"]

View = Callable[..., HttpResponseBase]


def respond(answer: Answer) -> HttpResponse:
    """The core's answer as a Django response: its status, headers and exact body bytes."""
    return HttpResponse(
        answer.body,
        status=answer.status,
        content_type=answer.content_type,
        headers=dict(answer.headers),
    )


class _Config:
    """One decorated view's settings: its receiver policy, and how its URL is built."""

    def __init__(self, guard: object, limit: int, verifier: Verifier, public_url: str | None):
        self.receiver = Receiver(limit)
        self.public_url = check_public_url(public_url)
        if is_async(guard):
            raise InvalidConfig(
                "hooksig.django needs a synchronous guard (RedisReplayGuard over redis.Redis); "
                "Django views do not await AsyncRedisReplayGuard"
            )
        # Only the schemes that sign the request line get a URL built.
        self.signs_request_line = verifier.signs_request_line

    def url(self, request: HttpRequest) -> str:
        """The URL the sender requested (without ``public_url``, ``get_host`` checks
        ``ALLOWED_HOSTS`` as usual)."""
        path = raw_uri(request.META) or request.get_full_path()
        return request_url(
            self.public_url, path, lambda: f"{request.scheme}://{request.get_host()}"
        )


def _verified_call(
    config: _Config,
    verifier: Verifier,
    guard: ReplayGuardLike | None,
    request: HttpRequest,
    view: View,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponseBase:
    """The core's answer, or ``view(*args, webhook=..., **kwargs)`` (at most once per delivery
    with a guard)."""

    def read(size: int) -> bytes:
        data = request.read(size)
        request._body = data  # request.body returns it to the view, unchecked
        return data

    receiver = config.receiver
    length = declared_length(request.META.get("CONTENT_LENGTH"))
    method = request.method or ""
    url = functools.partial(config.url, request) if config.signs_request_line else None
    webhook = read_and_verify(receiver, verifier, method, length, read, request.headers, url)
    if isinstance(webhook, Answer):
        return respond(webhook)
    result = run_once(
        receiver,
        guard,
        webhook,
        lambda: view(*args, webhook=webhook, **kwargs),
        lambda response: response.status_code,
    )
    return respond(result) if isinstance(result, Answer) else result


def _check_sync(view: object) -> None:
    if inspect.iscoroutinefunction(view):
        raise InvalidConfig("hooksig.django guards synchronous views (def, not async def)")


def verify_webhook(
    verifier: Verifier,
    guard: ReplayGuardLike | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    public_url: str | None = None,
) -> Callable[[View], View]:
    """Decorator of a function view ``def hook(request, webhook): ...``: verify the request
    with ``verifier`` (and, with ``guard``, run the view at most once per delivery) before the
    view runs; the view is ``csrf_exempt``. ``limit``: the largest body accepted, in bytes
    (``InvalidArgument`` unless a non-negative int). ``public_url``: the public base URL the
    sender is configured with, for the schemes that sign the URL, when Django runs behind a
    proxy (default: the URL Django sees)."""
    config = _Config(guard, limit, verifier, public_url)

    def decorate(view: View) -> View:
        _check_sync(view)

        @functools.wraps(view)
        def endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return _verified_call(config, verifier, guard, request, view, (request, *args), kwargs)

        return csrf_exempt(endpoint)

    return decorate


class WebhookView:
    """Mixin for a class-based view, first in the bases: ``class Hook(WebhookView, View)``
    with ``webhook_verifier`` (and optionally ``webhook_guard``, ``webhook_limit``) set on the
    class; ``def post(self, request, webhook): ...`` runs for a verified delivery. Every other
    method gets the core's 405 (``dispatch`` asks the core before the handler). ``as_view()``
    is ``csrf_exempt``. ``webhook_public_url``: as ``verify_webhook``'s ``public_url``."""

    webhook_verifier: ClassVar[Verifier]
    webhook_guard: ClassVar[ReplayGuardLike | None] = None
    webhook_limit: ClassVar[int] = DEFAULT_LIMIT
    webhook_public_url: ClassVar[str | None] = None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        """The parent's ``as_view`` (``View``'s), checked and made ``csrf_exempt``."""
        if not isinstance(getattr(cls, "webhook_verifier", None), Verifier):
            raise InvalidConfig(f"{cls.__qualname__} needs webhook_verifier = hooksig.Verifier")
        _check_sync(getattr(cls, "post", None))
        cls._hooksig_config = _Config(
            cls.webhook_guard, cls.webhook_limit, cls.webhook_verifier, cls.webhook_public_url
        )
        view: Callable[..., HttpResponseBase] = super().as_view(**initkwargs)  # type: ignore[misc]
        return csrf_exempt(view)

    _hooksig_config: ClassVar[_Config]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        parent: View = super().dispatch  # type: ignore[misc]
        return _verified_call(
            self._hooksig_config,
            self.webhook_verifier,
            self.webhook_guard,
            request,
            parent,
            (request, *args),
            kwargs,
        )
