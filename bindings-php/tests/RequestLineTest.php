<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\ConfigException;
use Hooksig\Laravel\VerifyWebhook;
use Hooksig\Psr\WebhookMiddleware;
use Hooksig\Receiver;
use Hooksig\Symfony\WebhookHandler;
use Hooksig\VerificationException;
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
 * The schemes that sign the request line (twilio, square, hubspot) through the backend in use:
 * the `url:`/`method:` arguments and the integrations' `publicUrl` option (the vectors and the
 * receiver table cover the core's behaviour). Each integration gets a Twilio form POST that
 * reached the application on an internal address behind a proxy: it verifies with the public
 * base URL configured and is 401 without it.
 */
final class RequestLineTest extends TestCase
{
    private const TOKEN = '12345678901234567890123456789012';
    private const FORM = 'AccountSid=AC0123456789abcdef0123456789abcdef&Body=Hello+%2B+bye&From=%2B14155550100&To=%2B14155550199';
    private const PUBLIC_BASE = 'https://hooks.example.com/';
    private const PUBLIC_URL = 'https://hooks.example.com/webhooks/twilio?tenant=acme';
    /** Where the proxy forwards it: what the application sees without the option. */
    private const INTERNAL_URL = 'http://10.0.0.7:8080/webhooks/twilio?tenant=acme';

    /** The Twilio headers for the form, signed for `$url`, plus its Content-Type. */
    private static function twilio(string $url = self::PUBLIC_URL): array
    {
        return sign('twilio', self::TOKEN, self::FORM, url: $url) + ['Content-Type' => 'application/x-www-form-urlencoded'];
    }

    public function testVerifyAndSignTakeTheUrlAndMethod(): void
    {
        $square = new Verifier('square', 'sq-key');
        $this->assertTrue($square->signsRequestLine());
        $this->assertFalse((new Verifier('github', 's'))->signsRequestLine());
        $this->assertTrue(Verifier::anyOf([new Verifier('github', 's'), $square])->signsRequestLine());
        $headers = $square->sign('{}', url: 'https://e.com/hooks?a=1');
        $this->assertSame($headers, sign('square', 'sq-key', '{}', null, null, null, 'https://e.com/hooks?a=1'));
        $this->assertSame('square', $square->verify($headers, '{}', url: 'https://e.com/hooks?a=1', method: 'POST')->scheme);
        $this->assertSame('square', $square->verify($headers, '{}', null, 'https://e.com/hooks?a=1')->scheme);
        try {
            $square->verify($headers, '{}', url: 'https://e.com/hooks?a=2');
            $this->fail('another URL verified');
        } catch (VerificationException $e) {
            $this->assertSame(['signature_mismatch', 401], [$e->errorCode, $e->getHttpStatus()]);
        }
        // HubSpot signs the method too; other schemes ignore the request line.
        $hubspot = new Verifier('hubspot', 'hs-secret');
        $put = $hubspot->sign('[]', url: 'https://e.com/h', method: 'PUT');
        $this->assertSame('hubspot', $hubspot->verify($put, '[]', url: 'https://e.com/h', method: 'PUT')->scheme);
        $this->expectException(VerificationException::class);
        $hubspot->verify($put, '[]', url: 'https://e.com/h');
    }

    public function testWithoutAUrlTheseSchemesRefuseWithInvalidArgument(): void
    {
        $github = new Verifier('github', 's');
        $this->assertSame('github', $github->verify($github->sign('{}'), '{}', url: 'https://ignored.example')->scheme);
        foreach ([static fn () => sign('twilio', self::TOKEN, self::FORM), static fn () => (new Verifier('twilio', self::TOKEN))->verify(self::twilio(), self::FORM)] as $call) {
            try {
                $call();
                $this->fail('no URL was accepted');
            } catch (ConfigException $e) {
                $this->assertSame('invalid_argument', $e->errorCode);
                $this->assertStringContainsString('`url`', $e->getMessage());
            }
        }
    }

    public function testTheReadmeExamplePrintsWhatItSays(): void
    {
        $file = __DIR__ . '/../examples/request_line/index.php';
        preg_match_all('~^\s*echo .*// (.*)$~m', (string) file_get_contents($file), $promised);
        ob_start();
        (static function () use ($file): void {
            require $file;
        })();
        $this->assertSame(implode("\n", $promised[1]) . "\n", ob_get_clean());
    }

    public function testPublicUrlJoinsWithExactlyOneSlash(): void
    {
        $this->assertSame('https://e.com/a?b=1', Receiver::publicUrl('https://e.com', '/a?b=1'));
        $this->assertSame('https://e.com/a?b=1', Receiver::publicUrl('https://e.com/', 'a?b=1'));
        $this->assertSame('https://e.com/p/a', Receiver::publicUrl('https://e.com/p//', '//a'));
    }

    public function testTheCurrentUrlFromServerVariables(): void
    {
        $saved = $_SERVER;
        try {
            $_SERVER = ['HTTP_HOST' => '10.0.0.7:8080', 'REQUEST_URI' => '/webhooks/twilio?tenant=acme', 'REQUEST_METHOD' => 'POST'];
            $this->assertSame(self::INTERNAL_URL, Receiver::currentUrl());
            $this->assertSame(self::PUBLIC_URL, Receiver::currentUrl(self::PUBLIC_BASE));
            $_SERVER = ['HTTPS' => 'on', 'SERVER_NAME' => 'e.com', 'SERVER_PORT' => '443', 'REQUEST_URI' => '/x'];
            $this->assertSame('https://e.com/x', Receiver::currentUrl());
            $_SERVER['SERVER_PORT'] = '8443';
            $this->assertSame('https://e.com:8443/x', Receiver::currentUrl());

            // verifyCurrentRequest() (CLI: headers from $_SERVER, an empty php://input).
            $signed = sign('twilio', self::TOKEN, '', url: self::PUBLIC_URL);
            $_SERVER = ['HTTP_HOST' => '10.0.0.7:8080', 'REQUEST_URI' => '/webhooks/twilio?tenant=acme', 'REQUEST_METHOD' => 'POST',
                'HTTP_X_TWILIO_SIGNATURE' => $signed['X-Twilio-Signature']];
            $verifier = new Verifier('twilio', self::TOKEN);
            $this->assertSame('twilio', $verifier->verifyCurrentRequest(publicUrl: self::PUBLIC_BASE)->scheme);
            $this->expectException(VerificationException::class);
            $verifier->verifyCurrentRequest();
        } finally {
            $_SERVER = $saved;
        }
    }

    public function testExchangeBuildsTheUrlOnlyForTheSchemesThatSignIt(): void
    {
        $github = new Verifier('github', 's');
        $body = '{}';
        $result = (new Receiver())->exchange(
            $github,
            'POST',
            strlen($body),
            static fn (int $max): string => $body,
            $github->sign($body),
            static fn (Verified $event): ?int => null,
            null,
            static fn (mixed $status): int => (int) $status,
            fn (): string => $this->fail('the URL was built for github'),
        );
        $this->assertSame(200, $result->status);
    }

    /** A Symfony request for the internal URL, headers in CGI form as createFromGlobals() makes them. */
    private static function symfonyRequest(array $headers): Request
    {
        $server = [];
        foreach ($headers as $name => $value) {
            $key = strtoupper(str_replace('-', '_', $name));
            $server[$key === 'CONTENT_TYPE' ? $key : "HTTP_$key"] = $value;
        }
        return Request::create(self::INTERNAL_URL, 'POST', [], [], [], $server, self::FORM);
    }

    public function testSymfonyBehindAProxy(): void
    {
        $verifier = new Verifier('twilio', self::TOKEN);
        $handled = static fn (): ?Response => null;
        $proxied = new WebhookHandler($verifier, publicUrl: self::PUBLIC_BASE);
        $this->assertSame(200, $proxied->handle(self::symfonyRequest(self::twilio()), $handled)->getStatusCode());
        $direct = (new WebhookHandler($verifier))->handle(self::symfonyRequest(self::twilio()), $handled);
        $this->assertSame(401, $direct->getStatusCode());
        $this->assertStringStartsWith('{"error":"signature_mismatch"', (string) $direct->getContent());
        // Without the option: the URL the request reports.
        $this->assertSame(200, (new WebhookHandler($verifier))->handle(self::symfonyRequest(self::twilio(self::INTERNAL_URL)), $handled)->getStatusCode());
    }

    public function testLaravelBehindAProxy(): void
    {
        putenv('HOOKSIG_TWILIO_TOKEN=' . self::TOKEN);
        try {
            $next = static fn (Request $request): Response => new Response('ok ' . $request->attributes->get(WebhookHandler::ATTRIBUTE)->scheme);
            $proxied = (new VerifyWebhook(publicUrl: self::PUBLIC_BASE))->handle(self::symfonyRequest(self::twilio()), $next, 'twilio', 'HOOKSIG_TWILIO_TOKEN');
            $this->assertSame([200, 'ok twilio'], [$proxied->getStatusCode(), $proxied->getContent()]);
            $direct = (new VerifyWebhook())->handle(self::symfonyRequest(self::twilio()), $next, 'twilio', 'HOOKSIG_TWILIO_TOKEN');
            $this->assertSame(401, $direct->getStatusCode());
        } finally {
            putenv('HOOKSIG_TWILIO_TOKEN');
        }
    }

    public function testPsr15BehindAProxy(): void
    {
        $factory = new Psr17Factory();
        $verifier = new Verifier('twilio', self::TOKEN);
        $handler = new class ($factory) implements RequestHandlerInterface {
            public function __construct(private Psr17Factory $factory)
            {
            }

            public function handle(ServerRequestInterface $request): ResponseInterface
            {
                return $this->factory->createResponse(204);
            }
        };
        $request = static fn (array $headers) => new ServerRequest('POST', self::INTERNAL_URL, $headers, self::FORM, '1.1', ['REQUEST_METHOD' => 'POST']);
        $proxied = new WebhookMiddleware($verifier, $factory, $factory, publicUrl: self::PUBLIC_BASE);
        $this->assertSame(204, $proxied->process($request(self::twilio()), $handler)->getStatusCode());
        $direct = new WebhookMiddleware($verifier, $factory, $factory);
        $this->assertSame(401, $direct->process($request(self::twilio()), $handler)->getStatusCode());
        // Without the option: the request's URI as received.
        $this->assertSame(204, $direct->process($request(self::twilio(self::INTERNAL_URL)), $handler)->getStatusCode());
    }
}
