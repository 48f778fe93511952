<?php

declare(strict_types=1);

namespace Hooksig\Symfony;

use Hooksig\Answer;
use Hooksig\Receiver;
use Hooksig\ReplayGuardInterface;
use Hooksig\Verified;
use Hooksig\Verifier;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * The core's receiver policy ({@see Receiver::exchange()}) on Symfony HttpFoundation: converts
 * the `Request` (method as sent, body read within the limit, headers with their repeats) and the
 * core's {@see Answer} into a `Response`. Every answer is the core's.
 *
 * ```php
 * $webhooks = new Hooksig\Symfony\WebhookHandler(new Hooksig\Verifier('algoguard', $secret));
 * $response = $webhooks->handle($request, fn (Request $request, Verified $event): ?Response => null);
 * ```
 *
 * `$handler(Request $request, Verified $event)` runs at most once per delivery, the webhook also
 * on `$request->attributes` ({@see ATTRIBUTE}); it returns null (the canonical 200 received
 * answer), an {@see Answer}, or its own `Response` (a status outside 200-299 releases the
 * delivery's key, as a throw does). The request line's URL: what Symfony reports (its trusted
 * proxies apply), or behind a proxy `$publicUrl` joined with `getRequestUri()`.
 */
final class WebhookHandler
{
    /** The request attribute that holds the {@see Verified} webhook. */
    public const ATTRIBUTE = 'hooksig.webhook';

    /**
     * @param ReplayGuardInterface|\Closure|null $guard as for {@see Receiver::exchange()}
     * @param string|null $publicUrl the public base URL the sender posts to (behind a proxy);
     *        null: the URL of the request itself
     */
    public function __construct(
        private Verifier $verifier,
        private ReplayGuardInterface|\Closure|null $guard = null,
        private ?Receiver $receiver = null,
        private ?string $publicUrl = null,
    ) {
    }

    /** @param callable(Request, Verified): (Response|Answer|null) $handler */
    public function handle(Request $request, callable $handler): Response
    {
        $result = ($this->receiver ??= new Receiver())->exchange(
            $this->verifier,
            $request->getRealMethod(),
            Receiver::contentLength($request->headers->get('Content-Length')),
            Receiver::streamReader(static fn () => $request->getContent(true)),
            $request->headers->all(), // name => values: repeats kept
            static function (Verified $event) use ($request, $handler): mixed {
                $request->attributes->set(self::ATTRIBUTE, $event);
                return $handler($request, $event);
            },
            $this->guard,
            static fn (Response $response): int => $response->getStatusCode(),
            fn (): string => $this->publicUrl === null
                ? $request->getSchemeAndHttpHost() . $request->getRequestUri()
                : Receiver::publicUrl($this->publicUrl, $request->getRequestUri()),
        );
        return $result instanceof Answer ? self::response($result) : $result;
    }

    /** The core's answer as a Symfony `Response`: its status, Content-Type, headers, body bytes. */
    public static function response(Answer $answer): Response
    {
        $response = new Response($answer->body, $answer->status, ['Content-Type' => $answer->contentType]);
        foreach ($answer->headers as [$name, $value]) {
            $response->headers->set($name, $value, false);
        }
        return $response;
    }
}
