<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * The request is not authentic or not acceptable: a missing or malformed header (answer 400),
 * a signature that matches no secret, or a timestamp outside the tolerance (answer 401).
 * `getHttpStatus()` gives the status; `$errorCode` one of missing_signature, missing_timestamp,
 * missing_id, malformed_signature, malformed_timestamp, timestamp_expired, timestamp_in_future,
 * signature_mismatch.
 */
final class VerificationException extends HooksigException
{
}
