<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Another request is processing this delivery (or its outcome was never recorded): 409
 * `delivery_in_progress`. Not a duplicate yet: the sender should retry.
 */
final class DeliveryInProgressException extends ReplayStoreException
{
    public function __construct(int $retryAfter)
    {
        parent::__construct('this delivery is being processed by another request; retry later', 'delivery_in_progress', 409, $retryAfter);
    }
}
