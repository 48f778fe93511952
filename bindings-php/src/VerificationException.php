<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * The request is not authentic or not acceptable: a missing or malformed header (400), a
 * signature that matches no secret, or a timestamp outside the tolerance (401): `$errorCode`
 * missing_signature, missing_timestamp, missing_id, malformed_signature, malformed_timestamp,
 * timestamp_expired, timestamp_in_future or signature_mismatch.
 */
final class VerificationException extends HooksigException
{
}
