<?php

// Prints what the composer package answers for every shared vector and for every step of the
// receiver policy, replay guard and stores, errors included (class, status number, code,
// message, header, HTTP status), one line each. bindings-php-ext/test.sh runs it once over FFI
// (HOOKSIG_BACKEND=ffi) and once over hooksig.so (HOOKSIG_BACKEND=ext) and requires the same
// bytes: the extension must give libhooksig's answers, not merely pass the same tests.
//
//   php bindings-php-ext/tests/differential.php > out.txt

declare(strict_types=1);

require dirname(__DIR__, 2) . '/bindings-php/autoload.php';

use Hooksig\HooksigException;
use Hooksig\ReplayGuard;
use Hooksig\Receiver;
use Hooksig\SharedStore;
use Hooksig\SqlStore;
use Hooksig\Verifier;

use function Hooksig\sign;

/** One line: the label and what `$f` returned or threw. */
function record(string $label, callable $f): void
{
    try {
        $out = ['ok', $f()];
    } catch (HooksigException $e) {
        $out = [get_class($e), $e->getCode(), $e->errorCode, $e->getMessage(), $e->header, $e->getHttpStatus()];
    } catch (\TypeError $e) {
        $out = ['TypeError', $e->getMessage()];
    }
    echo $label, ' ', json_encode(fix($out), JSON_THROW_ON_ERROR), "\n";
}

/** Objects as arrays of their public properties, bytes as hex (exact, JSON-safe). */
function fix(mixed $v): mixed
{
    if (is_object($v)) {
        return [get_class($v), fix(get_object_vars($v))];
    }
    if (is_array($v)) {
        return array_map('fix', $v);
    }
    return is_string($v) ? bin2hex($v) : $v;
}

function body(array $case): string
{
    if (array_key_exists('body', $case)) {
        return $case['body'];
    }
    if (array_key_exists('body_base64', $case)) {
        return (string) base64_decode($case['body_base64'], true);
    }
    $rep = $case['body_repeat']; // before + text * count + after (before/after optional)
    return ($rep['before'] ?? '') . str_repeat($rep['text'], $rep['count']) . ($rep['after'] ?? '');
}

record('version', static fn () => Verifier::version());
record('schemes', static fn () => Verifier::schemes());
foreach (glob(dirname(__DIR__, 2) . '/tests/vectors/*.json') ?: [] as $file) {
    $doc = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
    foreach ($doc['blocks'] ?? [$doc] as $b => $block) {
        $scheme = is_array($block['scheme']) ? $block['scheme']['custom'] : $block['scheme'];
        foreach ($block['cases'] as $i => $case) {
            $label = basename($file) . "#$b.$i";
            $body = body($case);
            $format = $case['secret_format'] ?? 'auto';
            // The request line (twilio, square, hubspot) as url:/method:, absent when the case has none.
            $line = array_filter(['url' => $case['request']['url'] ?? null, 'method' => $case['request']['method'] ?? null], 'is_string');
            if (($case['op'] ?? 'verify') === 'sign') {
                $args = [$case['timestamp'] ?? null, $case['id'] ?? null, $case['event_type'] ?? null, ...$line];
                record("$label sign", static fn () => (new Verifier($scheme, [$case['secrets'][0]], 300, $format))->sign($body, ...$args));
                record("$label sign()", static fn () => sign($scheme, $case['secrets'][0], $body, ...$args));
                continue;
            }
            $verifier = null;
            record("$label new", static function () use ($scheme, $case, $format, &$verifier) {
                $verifier = new Verifier($scheme, $case['secrets'], $case['tolerance'] ?? null, $format, $case['json_fallback'] ?? null);
                return [$verifier->tolerance(), $verifier->replayTtl(), $verifier->signsRequestLine()];
            });
            if ($verifier !== null) {
                record("$label verify", static fn () => $verifier->verify($case['headers'] ?? [], $body, $case['now'], ...$line));
                if ($line !== []) { // and each half of the request line alone
                    record("$label verify url", static fn () => $verifier->verify($case['headers'] ?? [], $body, $case['now'], url: $line['url'] ?? null));
                    record("$label verify method", static fn () => $verifier->verify($case['headers'] ?? [], $body, $case['now'], method: $line['method'] ?? null));
                }
            }
        }
    }
}

// Text that must be UTF-8, bytes that need not be, refused options.
record('scheme utf8', static fn () => new Verifier("git\xffhub", 's'));
record('format utf8', static fn () => new Verifier('github', 's', 300, "au\xffto"));
record('format unknown', static fn () => new Verifier('github', 's', 300, 'rot13'));
record('tolerance negative', static fn () => new Verifier('github', 's', -5));
record('tolerance min', static fn () => new Verifier('github', 's', PHP_INT_MIN));
record('custom bad', static fn () => new Verifier(['id' => 'x', 'signature_header' => 'X-Sig', 'encoding' => 'base32'], 's'));
record('custom missing', static fn () => new Verifier(['encoding' => 'hex'], 's'));
record('custom utf8', static fn () => new Verifier(['id' => "x\xff", 'signature_header' => 'X-Sig'], 's'));
record('custom ok', static fn () => (new Verifier(['id' => 'x', 'signature_header' => 'X-Sig', 'json_fallback' => false, 'prefix' => null], 's'))->sign("a\0b", 1, 'i', 'e'));
record('sign id utf8', static fn () => sign('svix', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{}', 1, "\xff"));
record('secrets type', static fn () => new Verifier('github', ['a', 5]));
record('headers type', static fn () => (new Verifier('github', 's'))->verify(['X' => new \stdClass()], ''));
$github = new Verifier('github', 's');
$signed = $github->sign("{\"zen\":\"a\\u0000b\"}", null, "d-\"1\\", 'ping');
record('sign nul id', static fn () => $github->sign('{}', 1, "a\0b"));
record('github nul id', static fn () => $github->verify($signed, "{\"zen\":\"a\\u0000b\"}"));
record('github repeats', static fn () => $github->verify([...array_map(null, array_keys($signed), $signed), ['X-Hub-Signature-256', 'junk']], "{\"zen\":\"a\\u0000b\"}"));
record('github missing', static fn () => $github->verify([], '{}'));

// The request line: text that must be UTF-8, "" as a URL, a method without a URL, other schemes.
$square = new Verifier('square', 'sq-key');
$url = 'https://hooks.example.com/webhooks/square?a=1';
$sq = $square->sign('{}', 1, null, null, $url);
foreach ([[$url, null], [$url, 'PUT'], [$url, ''], ['', null], ['', 'POST'], [null, 'POST'], ["https://e.com/\xff", null], [$url, "P\xffST"], ["https://e.com/\0", null]] as $i => [$u, $m]) {
    record("square line $i", static fn () => $square->verify($sq, '{}', 1, $u, $m));
    record("square sign $i", static fn () => $square->sign('{}', 1, null, null, $u, $m));
    record("sign() line $i", static fn () => sign('hubspot', 'hs-secret', '{}', 1, null, null, $u, $m));
    record("github line $i", static fn () => $github->verify($signed, "{\"zen\":\"a\\u0000b\"}", null, $u, $m));
}
record('signs line', static fn () => [$square->signsRequestLine(), $github->signsRequestLine(), Verifier::anyOf([$github, $square])->signsRequestLine(),
    (new Verifier(['id' => 'x', 'signature_header' => 'X-Sig', 'template' => '{method} {body}'], 's'))->signsRequestLine()]);
record('custom method only', static fn () => (new Verifier(['id' => 'x', 'signature_header' => 'X-Sig', 'template' => '{method}.{body}'], 's'))->sign('{}', 1, null, null, null, 'PUT'));

$r = new Receiver(10);
record('limit', static fn () => [$r->limit(), (new Receiver())->limit()]);
record('receiver negative', static fn () => new Receiver(-1));
foreach (['POST', 'GET', 'post', '', "P\xffST", 'HEAD', 'OPTIONS'] as $m) {
    foreach ([null, 0, 10, 11, PHP_INT_MAX] as $len) {
        record("start $m $len", static fn () => $r->start($m, $len));
    }
}
record('bodyTooLarge', static fn () => $r->bodyTooLarge());
record('bodyReadFailed', static fn () => $r->bodyReadFailed());
foreach ([-1, 0, 1, 8, 11, 12, 16, 17, 100, 101, 102, 103, 104, 1 << 40] as $status) {
    record("rejected $status", static fn () => $r->rejected(new HooksigException('m', 'x', null, $status)));
    record("status $status", static fn () => \Hooksig\ErrorMapper::exception($status, null, null));
}
foreach ([-1, 0, 1, 2, 3, 4, 1 << 40] as $g) {
    record("guarded $g", static fn () => $r->guarded($g));
}
foreach ([null, -5, 0, 100, 199, 200, 204, 299, 300, 302, 404, 500, 65535, 65536, 1 << 40] as $s) {
    record("finished $s", static fn () => $r->finished($s));
}
record('twitch handshake', static function () {
    $v = new Verifier('twitch', 'twitch-secret');
    $body = '{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{}}';
    $headers = sign('twitch', 'twitch-secret', $body, time(), 'm1', null);
    $headers['Twitch-Eventsub-Message-Type'] = 'webhook_callback_verification';
    return $v->verifyFor(new Receiver(), $headers, $body);
});

foreach ([[10, 5], [0, 5], [10, 0], [-3, 2], [PHP_INT_MAX, 1]] as [$ttl, $cap]) {
    record("guard $ttl $cap", static function () use ($ttl, $cap) {
        $g = new ReplayGuard($ttl, $cap);
        return [$g->checkAndRemember('a', 100), $g->checkAndRemember('a', 105), $g->checkAndRemember('b', 100), $g->checkAndRemember('c', 100),
            $g->checkAndRemember('a', 100 + $ttl), count($g), $g->ttl(), $g->capacity(), $g->forget('a'), count($g)];
    });
}
record('guard utf8', static fn () => (new ReplayGuard(10))->checkAndRemember("\xc3"));
record('guard forget utf8', static fn () => (new ReplayGuard(10))->forget("\xc3"));

record('store prefix', static fn () => SharedStore::defaultPrefix());
foreach ([[100, 60, 'p:'], [0, 60, ''], [-1, 60, 'p:'], [100, 0, 'p:'], [100, 500, 'p:'], [100, 60, "p\xff"], [PHP_INT_MAX, 60, 'x']] as [$ttl, $pttl, $prefix]) {
    record("store $ttl $pttl", static function () use ($ttl, $pttl, $prefix) {
        $s = new SharedStore($ttl, $pttl, $prefix);
        $out = [$s->ttl(), $s->processingTtl(), $s->claimed(true), $s->claimed(false), $s->lookedUp(null), $s->lookedUp('done'), $s->lookedUp('processing'), $s->lookedUp("\xff")];
        foreach ([0, 1, 2, 3] as $step) {
            $out[] = $s->command($step, 'github:id:1');
        }
        return $out;
    });
}
record('store step', static fn () => (new SharedStore(100, 60, ''))->command(4, 'k'));
record('store key utf8', static fn () => (new SharedStore(100, 60, ''))->command(0, "\xff"));
foreach (['pgsql', 'sqlite'] as $dialect) {
    foreach ([[100, 60, 'p:', 'hooksig_replay'], [100, 60, 'p:', 'bad table'], [0, 60, '', 't'], [-1, 1, '', 't'], [100, 60, "\xff", 't']] as [$ttl, $pttl, $prefix, $table]) {
        record("sql $dialect $ttl $table", static function () use ($ttl, $pttl, $prefix, $table, $dialect) {
            $s = new SqlStore($ttl, $pttl, $prefix, $table, $dialect);
            $out = [$s->ttl(), $s->claimed(1), $s->claimed(0), $s->claimed(-4), $s->lookedUp(null), $s->lookedUp('done'), $s->lookedUp('processing'), $s->lookedUp("\xff")];
            foreach ([0, 1, 2, 3, 4, 5] as $step) {
                $out[] = $s->statement($step, 'github:id:1', 1767225600);
            }
            return $out;
        });
    }
}
record('sql dialect', static fn () => new SqlStore(100, 60, '', 't', 'mysql'));
record('sql step', static fn () => (new SqlStore(100, 60, '', 't', 'sqlite'))->statement(6, 'k', 0));
record('sql key utf8', static fn () => (new SqlStore(100, 60, '', 't', 'sqlite'))->statement(0, "\xff", 0));
