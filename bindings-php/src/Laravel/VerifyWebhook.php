<?php

declare(strict_types=1);

namespace Hooksig\Laravel;

use Closure;
use Hooksig\ConfigException;
use Hooksig\ErrorMapper;
use Hooksig\Native;
use Hooksig\Receiver;
use Hooksig\ReplayGuardInterface;
use Hooksig\Symfony\WebhookHandler;
use Hooksig\Verifier;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * Laravel route middleware over {@see WebhookHandler} (Laravel's `Illuminate\Http\Request` is a
 * Symfony `Request`): `->middleware(VerifyWebhook::class . ':algoguard,ALGOGUARD_WEBHOOK_SECRET')`
 * verifies the request with that scheme and the secret named by the second parameter (a config
 * key, else an environment variable), answers what the core decides, and passes a verified
 * request on to the route once per delivery, the {@see \Hooksig\Verified} webhook in
 * `$request->attributes->get('hooksig.webhook')`. A replay guard, another body limit, or behind a
 * proxy `publicUrl:` (the public base URL, for the schemes that sign the URL): bind this class in
 * the container, made with them.
 */
final class VerifyWebhook
{
    /** @var array<string, WebhookHandler> one per scheme and secret key, per worker */
    private array $handlers = [];

    public function __construct(
        private ReplayGuardInterface|Closure|null $guard = null,
        private ?Receiver $receiver = null,
        private ?string $publicUrl = null,
    ) {
    }

    /** @param Closure(Request): Response $next */
    public function handle(Request $request, Closure $next, string $scheme, string $secretKey): Response
    {
        $handler = $this->handlers["$scheme\0$secretKey"] ??= new WebhookHandler(
            new Verifier($scheme, self::secret($secretKey)),
            $this->guard,
            $this->receiver,
            $this->publicUrl,
        );
        return $handler->handle($request, $next);
    }

    /** Laravel's config($key), else the environment variable `$key` (neither: ConfigException). */
    private static function secret(string $key): string
    {
        $secret = function_exists('config') ? config($key) : null;
        $secret ??= getenv($key) === false ? null : getenv($key);
        if (!is_string($secret) || $secret === '') {
            throw ErrorMapper::exception(Native::INVALID_ARGUMENT, "no webhook secret: set the config key or environment variable $key", null);
        }
        return $secret;
    }
}
