<?php

declare(strict_types=1);

namespace Hooksig\Psr;

use Hooksig\Answer;
use Hooksig\Receiver;
use Hooksig\ReplayGuardInterface;
use Hooksig\Verified;
use Hooksig\Verifier;
use Psr\Http\Message\ResponseFactoryInterface;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

/**
 * PSR-15 middleware over the core's receiver policy ({@see Receiver::exchange()}): converts the
 * PSR-7 request (method as sent, body read within the limit, headers with their repeats) and the
 * core's {@see Answer} into a response made with your PSR-17 factories (e.g. nyholm's
 * `Psr17Factory`). Every answer is the core's.
 *
 * A verified request goes on to `$handler` at most once per delivery, the {@see Verified} webhook
 * as the request attribute {@see ATTRIBUTE}; its response is passed back (a status outside
 * 200-299 releases the delivery's key, as a throw does). The canonical success response:
 * `$middleware->answer(Receiver::received($event))`. The request line's URL: the request's URI,
 * or behind a proxy `$publicUrl` joined with the request target.
 */
final class WebhookMiddleware implements MiddlewareInterface
{
    /** The request attribute that holds the {@see Verified} webhook. */
    public const ATTRIBUTE = 'hooksig.webhook';

    /**
     * @param ReplayGuardInterface|\Closure|null $guard as for {@see Receiver::exchange()}
     * @param string|null $publicUrl the public base URL the sender posts to (behind a proxy);
     *        null: the request's own URI
     */
    public function __construct(
        private Verifier $verifier,
        private ResponseFactoryInterface $responses,
        private StreamFactoryInterface $streams,
        private ReplayGuardInterface|\Closure|null $guard = null,
        private ?Receiver $receiver = null,
        private ?string $publicUrl = null,
    ) {
    }

    public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface
    {
        $result = ($this->receiver ??= new Receiver())->exchange(
            $this->verifier,
            self::method($request),
            Receiver::contentLength($request->getHeaderLine('Content-Length')),
            static fn (int $max): string => self::read($request, $max),
            self::headers($request),
            static fn (Verified $event): ResponseInterface => $handler->handle($request->withAttribute(self::ATTRIBUTE, $event)),
            $this->guard,
            static fn (ResponseInterface $response): int => $response->getStatusCode(),
            fn (): string => self::url($request, $this->publicUrl),
        );
        return $result instanceof Answer ? $this->answer($result) : $result;
    }

    /** The core's answer as a PSR-7 response: its status, Content-Type, headers, body bytes. */
    public function answer(Answer $answer): ResponseInterface
    {
        $response = $this->responses->createResponse($answer->status)
            ->withHeader('Content-Type', $answer->contentType)
            ->withBody($this->streams->createStream($answer->body));
        foreach ($answer->headers as [$name, $value]) {
            $response = $response->withAddedHeader($name, $value);
        }
        return $response;
    }

    /** The method as sent: REQUEST_METHOD if set (getMethod() may apply an override header). */
    private static function method(ServerRequestInterface $request): string
    {
        $method = $request->getServerParams()['REQUEST_METHOD'] ?? null;
        return is_string($method) && $method !== '' ? $method : $request->getMethod();
    }

    /** The request's URI (without a fragment), or `$publicUrl` joined with the path and query. */
    private static function url(ServerRequestInterface $request, ?string $publicUrl): string
    {
        if ($publicUrl === null) {
            return (string) $request->getUri()->withFragment('');
        }
        $target = $request->getRequestTarget();
        if (!str_starts_with($target, '/')) { // absolute or asterisk form: the URI's own
            $uri = $request->getUri();
            $target = '/' . ltrim($uri->getPath(), '/') . ($uri->getQuery() === '' ? '' : '?' . $uri->getQuery());
        }
        return Receiver::publicUrl($publicUrl, $target);
    }

    /** At most `$max` bytes of the body stream, from its start. */
    private static function read(ServerRequestInterface $request, int $max): string
    {
        $stream = $request->getBody();
        if ($stream->isSeekable()) {
            $stream->rewind();
        }
        $body = '';
        while (strlen($body) < $max && !$stream->eof()) {
            $chunk = $stream->read(min(65536, $max - strlen($body)));
            if ($chunk === '') {
                break;
            }
            $body .= $chunk;
        }
        return $body;
    }

    /**
     * The request's headers as [name, value] pairs, repeats kept; a name in CGI form
     * (`HTTP_X_SIGNATURE`: Slim 3's getHeaders()) as the header it stands for (`X-SIGNATURE`).
     *
     * @return list<array{0: string, 1: string}>
     */
    private static function headers(ServerRequestInterface $request): array
    {
        $headers = [];
        foreach ($request->getHeaders() as $name => $values) {
            $name = (string) $name;
            if (preg_match('/^(?:HTTP_([A-Z0-9_]+)|(CONTENT_[A-Z0-9]+))$/', $name, $cgi) === 1) {
                $name = str_replace('_', '-', $cgi[1] !== '' ? $cgi[1] : $cgi[2]);
            }
            foreach ($values as $value) {
                $headers[] = [$name, (string) $value];
            }
        }
        return $headers;
    }
}
