<?php
// What every PHP demo receiver shares: which scheme a path names, its verifier (one secret for
// every scheme, as demo/run.py signs, except where DEMO_SECRET_<SCHEME> is set: the public key of
// a public-key scheme), its Redis replay guard (PHP forgets everything between requests), and
// the public base URL the schemes that sign the URL (twilio, square, hubspot) were sent to.
// Each receiver keeps its own Redis prefix: they share the demo's redis-server.

declare(strict_types=1);

require_once __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\RedisReplayGuard;
use Hooksig\Verifier;

/** The scheme /webhooks/<scheme> names, or null for any other path. */
function demo_scheme(string $path): ?string
{
    $scheme = preg_match('#^/webhooks/([a-z-]+)$#', $path, $m) ? $m[1] : '';
    return in_array($scheme, Verifier::schemes(), true) ? $scheme : null;
}

function demo_verifier(string $scheme): Verifier
{
    $own = getenv('DEMO_SECRET_' . strtoupper(str_replace('-', '_', $scheme)));
    return new Verifier($scheme, (string) ($own !== false && $own !== '' ? $own : getenv('DEMO_SECRET')));
}

/**
 * The public base URL from DEMO_PUBLIC_URL (demo/run.py signs for it + the receiver's path, as
 * a sender behind a proxy would), or null: the URL the request itself reports.
 */
function demo_public_url(): ?string
{
    $url = getenv('DEMO_PUBLIC_URL');
    return is_string($url) && $url !== '' ? $url : null;
}

/** A lazy Redis guard (connected only for a request that verifies), or null without REDIS_URL. */
function demo_guard(Verifier $verifier, string $prefix): ?Closure
{
    $url = getenv('REDIS_URL');
    return $url ? fn () => RedisReplayGuard::connect((string) $url, $verifier, prefix: $prefix) : null;
}
