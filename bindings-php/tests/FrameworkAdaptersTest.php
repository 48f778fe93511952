<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Closure;
use Hooksig\Answer;
use Hooksig\ConfigException;
use Hooksig\Laravel\VerifyWebhook;
use Hooksig\Psr\WebhookMiddleware;
use Hooksig\Receiver;
use Hooksig\ReplayGuard;
use Hooksig\Symfony\WebhookHandler;
use Hooksig\Verified;
use Hooksig\Verifier;
use Nyholm\Psr7\Factory\Psr17Factory;
use Nyholm\Psr7\ServerRequest;
use PHPUnit\Framework\TestCase;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\RequestHandlerInterface;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

use function Hooksig\sign;

/**
 * The framework adapters on real framework objects without HTTP (the receiver table runs them
 * over HTTP: SymfonyCasesTest, LaravelCasesTest, SlimCasesTest): Symfony's Request/Response,
 * the Laravel middleware with a stand-in for its $next closure, the PSR-15 middleware on
 * nyholm's PSR-7 messages. They convert; the answers are the core's (Receiver's).
 */
final class FrameworkAdaptersTest extends TestCase
{
    private const SECRET = 'whsec_hooksig_adapters';
    private const BODY = '{"id":"evt_9","event":"license.created"}';

    /** @return array<string, string> */
    private static function signed(string $body = self::BODY, string $secret = self::SECRET): array
    {
        return sign('algoguard', $secret, $body, time()) + ['Content-Type' => 'application/json'];
    }

    /** A Symfony request as createFromGlobals() makes it: headers in CGI form. */
    private static function symfonyRequest(string $method, array $headers, string $body): Request
    {
        $server = [];
        foreach ($headers as $name => $value) {
            $key = strtoupper(str_replace('-', '_', $name));
            $server[in_array($key, ['CONTENT_TYPE', 'CONTENT_LENGTH'], true) ? $key : "HTTP_$key"] = $value;
        }
        return Request::create('/webhooks/algoguard', $method, [], [], [], $server, $body);
    }

    public function testSymfonyPassesTheVerifiedRequestOnAndAnswersTheCanonicalBody(): void
    {
        $webhooks = new WebhookHandler(new Verifier('algoguard', self::SECRET));
        $seen = [];
        $response = $webhooks->handle(self::symfonyRequest('POST', self::signed(), self::BODY), function (Request $request, Verified $event) use (&$seen): ?Response {
            $seen[] = [$request->attributes->get(WebhookHandler::ATTRIBUTE), $event];
            return null;
        });
        $this->assertCount(1, $seen);
        $this->assertSame($seen[0][0], $seen[0][1]);
        $this->assertSame('evt_9', $seen[0][1]->id);
        $this->assertSame(200, $response->getStatusCode());
        $this->assertSame('{"status":"received","scheme":"algoguard","id":"evt_9","event_type":"license.created"}', $response->getContent());
        $this->assertSame('application/json', $response->headers->get('Content-Type'));
    }

    public function testSymfonyAnswersWhatTheCoreDecides(): void
    {
        $receiver = new Receiver(64);
        $webhooks = new WebhookHandler(new Verifier('algoguard', self::SECRET), null, $receiver);
        $never = fn () => $this->fail('the handler ran');
        $get = $webhooks->handle(self::symfonyRequest('GET', [], ''), $never);
        $this->assertSame([405, 'POST'], [$get->getStatusCode(), $get->headers->get('Allow')]);
        $this->assertSame($receiver->start('GET', null)->body, $get->getContent());
        $forged = $webhooks->handle(self::symfonyRequest('POST', self::signed(self::BODY, 'other'), self::BODY), $never);
        $this->assertSame(401, $forged->getStatusCode());
        $this->assertStringStartsWith('{"error":"signature_mismatch"', (string) $forged->getContent());
        // Over the limit, declared or not: the request's own Content-Length is not trusted alone.
        $big = str_repeat('x', 65);
        $this->assertSame(413, $webhooks->handle(self::symfonyRequest('POST', self::signed($big), $big), $never)->getStatusCode());
        $undeclared = self::symfonyRequest('POST', self::signed($big), $big);
        $undeclared->headers->remove('Content-Length');
        $this->assertSame(413, $webhooks->handle($undeclared, $never)->getStatusCode());
    }

    public function testSymfonyReadsTheMethodAsSentAndEveryRepeatedHeader(): void
    {
        $webhooks = new WebhookHandler(new Verifier('algoguard', self::SECRET));
        $request = self::symfonyRequest('POST', self::signed() + ['X-HTTP-Method-Override' => 'GET'], self::BODY);
        $this->assertSame('GET', $request->getMethod(), 'Symfony applies the override header');
        $this->assertSame(200, $webhooks->handle($request, fn () => null)->getStatusCode());
        // A junk copy of the signature header after the valid one: the core tries each.
        $request = self::symfonyRequest('POST', self::signed(), self::BODY);
        $request->headers->set('X-AlgoGuard-Signature', 'sha256=' . str_repeat('0', 64), false);
        $this->assertCount(2, $request->headers->all('x-algoguard-signature'));
        $this->assertSame(200, $webhooks->handle($request, fn () => null)->getStatusCode());
    }

    public function testSymfonyHandlerResponsesAndFailuresSettleTheGuard(): void
    {
        $verifier = new Verifier('algoguard', self::SECRET);
        $guard = ReplayGuard::forVerifier($verifier);
        $webhooks = new WebhookHandler($verifier, $guard);
        $headers = self::signed();
        $request = fn () => self::symfonyRequest('POST', $headers, self::BODY);
        $failed = $webhooks->handle($request(), fn () => new Response('{"status":"later"}', 422));
        $this->assertSame([422, '{"status":"later"}'], [$failed->getStatusCode(), $failed->getContent()]);
        $this->assertCount(0, $guard, 'a 422 released the key');
        try {
            $webhooks->handle($request(), fn () => throw new \DomainException('down'));
            $this->fail('the exception was not rethrown');
        } catch (\DomainException $e) {
            $this->assertSame('down', $e->getMessage());
        }
        $this->assertCount(0, $guard, 'a throw released the key');
        $answer = new Answer(202, '{"status":"queued"}', [['X-Queue', 'a'], ['X-Queue', 'b']]);
        $ok = $webhooks->handle($request(), fn () => $answer);
        $this->assertSame([202, '{"status":"queued"}', ['a', 'b']], [$ok->getStatusCode(), $ok->getContent(), $ok->headers->all('x-queue')]);
        $this->assertCount(1, $guard);
        $dup = $webhooks->handle($request(), fn () => $this->fail('a duplicate ran the handler'));
        $this->assertSame([200, '{"status":"duplicate"}'], [$dup->getStatusCode(), $dup->getContent()]);
    }

    public function testLaravelMiddlewareWithAStandInForNext(): void
    {
        putenv('HOOKSIG_ADAPTERS_SECRET=' . self::SECRET);
        try {
            $middleware = new VerifyWebhook(null, new Receiver());
            $calls = 0;
            $next = function (Request $request) use (&$calls): Response {
                $calls++;
                $event = $request->attributes->get(WebhookHandler::ATTRIBUTE);
                return new Response('ok ' . $event->id, 201);
            };
            $this->assertInstanceOf(Closure::class, $next);
            $ok = $middleware->handle(self::symfonyRequest('POST', self::signed(), self::BODY), $next, 'algoguard', 'HOOKSIG_ADAPTERS_SECRET');
            $this->assertSame([201, 'ok evt_9', 1], [$ok->getStatusCode(), $ok->getContent(), $calls]);
            $forged = $middleware->handle(self::symfonyRequest('POST', self::signed(self::BODY, 'other'), self::BODY), $next, 'algoguard', 'HOOKSIG_ADAPTERS_SECRET');
            $this->assertSame([401, 1], [$forged->getStatusCode(), $calls]);
        } finally {
            putenv('HOOKSIG_ADAPTERS_SECRET');
        }
        $this->expectException(ConfigException::class);
        $this->expectExceptionMessage('HOOKSIG_ADAPTERS_SECRET');
        $middleware->handle(self::symfonyRequest('POST', self::signed(), self::BODY), $next, 'github', 'HOOKSIG_ADAPTERS_SECRET');
    }

    public function testTheLaravelMiddlewareLints(): void
    {
        exec(escapeshellarg(PHP_BINARY) . ' -l ' . escapeshellarg(dirname(__DIR__) . '/src/Laravel/VerifyWebhook.php') . ' 2>&1', $out, $status);
        $this->assertSame(0, $status, implode("\n", $out));
    }

    private static function handler(Closure $handle): RequestHandlerInterface
    {
        return new class ($handle) implements RequestHandlerInterface {
            public function __construct(private Closure $handle)
            {
            }

            public function handle(ServerRequestInterface $request): ResponseInterface
            {
                return ($this->handle)($request);
            }
        };
    }

    public function testPsr15OnNyholmMessages(): void
    {
        $factory = new Psr17Factory();
        $verifier = new Verifier('algoguard', self::SECRET);
        $guard = ReplayGuard::forVerifier($verifier);
        $middleware = new WebhookMiddleware($verifier, $factory, $factory, $guard);
        $seen = [];
        $handler = self::handler(function (ServerRequestInterface $request) use (&$seen, $middleware): ResponseInterface {
            $seen[] = $request->getAttribute(WebhookMiddleware::ATTRIBUTE);
            return $middleware->answer(Receiver::received($seen[0]));
        });
        $request = new ServerRequest('POST', '/webhooks/algoguard', self::signed(), self::BODY, '1.1', ['REQUEST_METHOD' => 'POST']);
        $response = $middleware->process($request, $handler);
        $this->assertSame(200, $response->getStatusCode());
        $this->assertSame('{"status":"received","scheme":"algoguard","id":"evt_9","event_type":"license.created"}', (string) $response->getBody());
        $this->assertSame('application/json', $response->getHeaderLine('Content-Type'));
        $this->assertCount(1, $seen);
        $this->assertSame('evt_9', $seen[0]->id);
        $dup = $middleware->process($request, $handler);
        $this->assertSame([200, '{"status":"duplicate"}', 1], [$dup->getStatusCode(), (string) $dup->getBody(), count($seen)]);

        // The method as sent (REQUEST_METHOD), whatever getMethod() was rewritten to.
        $get = $middleware->process(new ServerRequest('PUT', '/', [], '', '1.1', ['REQUEST_METHOD' => 'GET']), $handler);
        $this->assertSame([405, 'POST'], [$get->getStatusCode(), $get->getHeaderLine('Allow')]);
        $put = $middleware->process(new ServerRequest('PUT', '/', [], ''), $handler);
        $this->assertSame(405, $put->getStatusCode(), 'no server params: getMethod()');
    }

    public function testPsr15ReadsCgiHeaderNamesTheLimitAndFailures(): void
    {
        $factory = new Psr17Factory();
        $verifier = new Verifier('algoguard', self::SECRET);
        $guard = ReplayGuard::forVerifier($verifier);
        $middleware = new WebhookMiddleware($verifier, $factory, $factory, $guard, new Receiver(64));
        $cgi = [];
        foreach (self::signed() as $name => $value) {
            $cgi['HTTP_' . strtoupper(str_replace('-', '_', $name))] = $value;
        }
        $ok = self::handler(fn () => $factory->createResponse(204));
        // Header names as Slim 3's getHeaders() gives them; the body stream read from its start.
        $request = new ServerRequest('POST', '/', $cgi, self::BODY);
        $request->getBody()->getContents();
        $this->assertSame(204, $middleware->process($request, $ok)->getStatusCode());
        $this->assertCount(1, $guard);

        $big = str_repeat('x', 65);
        $tooLarge = $middleware->process(new ServerRequest('POST', '/', self::signed($big), $big), $ok);
        $this->assertSame(413, $tooLarge->getStatusCode());
        $this->assertStringStartsWith('{"error":"body_too_large"', (string) $tooLarge->getBody());

        $body = '{"id":"evt_10"}';
        $request = new ServerRequest('POST', '/', self::signed($body), $body);
        try {
            $middleware->process($request, self::handler(fn () => throw new \DomainException('down')));
            $this->fail('the exception was not rethrown');
        } catch (\DomainException) {
        }
        $this->assertCount(1, $guard, 'the throw released evt_10');
        $failed = $middleware->process($request, self::handler(fn () => $factory->createResponse(503)));
        $this->assertSame(503, $failed->getStatusCode());
        $this->assertCount(1, $guard, 'a 503 from the handler released evt_10');
    }
}
