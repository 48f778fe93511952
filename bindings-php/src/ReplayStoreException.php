<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * A replay guard could not decide: answer `getHttpStatus()` (503 or 409) with `Retry-After:
 * getRetryAfter()` and `{"error": getErrorCode(), "message": getMessage()}`; the sender retries.
 * The store client's own error (it may name hosts) is `getPrevious()`, never in the message.
 */
class ReplayStoreException extends HooksigException
{
    public function __construct(
        string $message,
        string $errorCode,
        private readonly int $httpStatus,
        private readonly int $retryAfter,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $errorCode, null, 0, $previous);
    }

    /** 503 (store unavailable) or 409 (delivery in progress). */
    public function getHttpStatus(): int
    {
        return $this->httpStatus;
    }

    /** Seconds for the Retry-After header. */
    public function getRetryAfter(): int
    {
        return $this->retryAfter;
    }
}
