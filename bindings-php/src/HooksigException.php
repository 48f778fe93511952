<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Base class of every hooksig error; thrown as is only for misuse (`invalid_utf8`, ...) or an
 * internal error. `$errorCode` / `getErrorCode()` is the stable string code every hooksig binding
 * shares (`"signature_mismatch"`, ...); `getCode()` is the numeric C status (`hooksig_status`:
 * PHP's code must be an int). `$header` names the header involved, if any. Messages never contain
 * a secret or the body.
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
