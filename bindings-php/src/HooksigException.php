<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Base class of every hooksig error.
 *
 * `$errorCode` / `getErrorCode()` is the stable string code shared by every hooksig binding
 * (`"signature_mismatch"`, `"timestamp_expired"`, ...). PHP's own `Exception::$code` must be an
 * int, so `getCode()` returns the numeric C status (`hooksig_status`) instead. `$header` names
 * the header involved, when there is one. Messages never contain a secret or the body.
 * Thrown as is only for misuse (`invalid_utf8`, ...) or an internal error; see the subclasses.
 */
class HooksigException extends \RuntimeException
{
    public function __construct(
        string $message,
        public readonly string $errorCode,
        public readonly ?string $header,
        int $status,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $status, $previous);
    }

    /** The stable string code, e.g. `"signature_mismatch"`. */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** The canonical name of the header involved, or null. */
    public function getHeader(): ?string
    {
        return $this->header;
    }

    /** What a receiver should answer: 400, 401 or 500 (the core's one table). */
    public function getHttpStatus(): int
    {
        return Backends::get()->status($this->getCode())[2];
    }
}
