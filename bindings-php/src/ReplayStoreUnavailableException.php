<?php

declare(strict_types=1);

namespace Hooksig;

/** Redis did not answer within its read timeout, or refused: 503 `replay_store_unavailable`. */
final class ReplayStoreUnavailableException extends ReplayStoreException
{
    public function __construct(string $message, int $retryAfter, ?\Throwable $previous = null)
    {
        parent::__construct($message, 'replay_store_unavailable', 503, $retryAfter, $previous);
    }
}
