<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\Answer;
use Hooksig\ConfigException;
use Hooksig\Receiver;
use Hooksig\ReplayGuard;
use Hooksig\VerificationException;
use Hooksig\Verified;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * Verifier::anyOf through the backend in use (FFI or the extension): the conversions (the
 * selection rules are the core's, tested there), and one receiver answering Stripe, GitHub and
 * Slack (its dedupe key and handshake from the scheme that matched).
 */
final class AnyOfTest extends TestCase
{
    private const STRIPE = 'whsec_stripe_any_of_test';
    private const GITHUB = 'github_any_of_test';
    private const SLACK = 'slack_any_of_test';

    private static function endpoint(): Verifier
    {
        return Verifier::anyOf([
            new Verifier('stripe', self::STRIPE),
            new Verifier('github', self::GITHUB),
            new Verifier('slack', self::SLACK),
        ]);
    }

    public function testVerifiedNamesTheMatchedScheme(): void
    {
        $v = self::endpoint();
        $body = '{"id":"evt_1","type":"charge.succeeded"}';
        $event = $v->verify(sign('stripe', self::STRIPE, $body, 1_767_225_600), $body, 1_767_225_600);
        $this->assertSame(['stripe', 'evt_1', 'stripe:id:evt_1'], [$event->scheme, $event->id, $event->dedupeKey]);
        $event = $v->verify(sign('github', self::GITHUB, '{}', null, 'd-1', 'push'), '{}');
        $this->assertSame(['github', 'push'], [$event->scheme, $event->eventType]);
        $this->assertStringStartsWith('github:sig:', $event->dedupeKey);
        $this->assertSame(86_400, $v->replayTtl());
        $this->assertSame(300, $v->tolerance());
    }

    public function testTheMembersMayGoFirst(): void
    {
        $github = new Verifier('github', self::GITHUB);
        $v = Verifier::anyOf(['a' => $github]); // any keys: the values in order
        unset($github);
        gc_collect_cycles();
        $this->assertSame('github', $v->verify(sign('github', self::GITHUB, '{}'), '{}')->scheme);
    }

    public function testErrors(): void
    {
        try {
            self::endpoint()->verify(['Content-Type' => 'application/json'], '{}');
            $this->fail('verified without a signature');
        } catch (VerificationException $e) {
            $this->assertSame('missing_signature', $e->errorCode);
            $this->assertSame('Stripe-Signature', $e->header);
            $this->assertStringContainsString('X-Hub-Signature-256', $e->getMessage());
        }
        foreach ([
            [[], 'no verifier'],
            [[self::endpoint()], 'composite'],
            [[new Verifier('slack', 'a1'), new Verifier('slack', 'b1')], 'same scheme id'],
        ] as [$list, $message]) {
            try {
                Verifier::anyOf($list);
                $this->fail("accepted: $message");
            } catch (ConfigException $e) {
                $this->assertSame('invalid_config', $e->errorCode);
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
        try {
            self::endpoint()->sign('{}');
            $this->fail('a composite signed');
        } catch (ConfigException $e) {
            $this->assertStringContainsString('sign with one of its verifiers', $e->getMessage());
        }
        $this->expectException(\TypeError::class);
        $this->expectExceptionMessage('verifiers[1] must be a Hooksig\Verifier, string given');
        Verifier::anyOf([new Verifier('github', 'x1'), 'stripe']);
    }

    public function testTheReadmeExamplePrintsWhatItSays(): void
    {
        $file = __DIR__ . '/../examples/any_of/index.php';
        preg_match_all('~^\s*echo .*// (.*)$~m', (string) file_get_contents($file), $promised);
        ob_start();
        (static function () use ($file): void {
            require $file;
        })();
        $this->assertSame(implode("\n", $promised[1]) . "\n", ob_get_clean());
    }

    public function testOneReceiverForStripeGithubAndSlack(): void
    {
        $v = self::endpoint();
        $guard = ReplayGuard::forVerifier($v);
        $receiver = new Receiver();
        $seen = [];
        $post = function (array $headers, string $body) use ($receiver, $v, $guard, &$seen): Answer {
            $answer = $receiver->exchange(
                $v,
                'POST',
                strlen($body),
                static fn (int $n) => $body,
                $headers,
                static function (Verified $event) use (&$seen): ?Answer {
                    $seen[] = [$event->scheme, $event->id];
                    return null;
                },
                $guard,
                static fn (mixed $r): int => 200,
            );
            $this->assertInstanceOf(Answer::class, $answer);
            return $answer;
        };
        $stripeBody = '{"id":"evt_9","type":"charge.succeeded"}';
        $stripe = sign('stripe', self::STRIPE, $stripeBody);
        $this->assertSame(200, $post($stripe, $stripeBody)->status);
        $this->assertSame(200, $post(sign('github', self::GITHUB, '{"zen":"z"}', null, 'd-9'), '{"zen":"z"}')->status);
        $again = $post($stripe, $stripeBody);
        $this->assertSame([200, '{"status":"duplicate"}'], [$again->status, $again->body]);
        $slackBody = '{"type":"url_verification","challenge":"ch4ll"}';
        $handshake = $post(sign('slack', self::SLACK, $slackBody), $slackBody);
        $this->assertSame([200, '{"challenge":"ch4ll"}'], [$handshake->status, $handshake->body]);
        $this->assertSame(400, $post(['Content-Type' => 'application/json'], '{}')->status);
        $this->assertSame([['stripe', 'evt_9'], ['github', 'd-9']], $seen);
    }
}
