<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/** @internal A libhooksig object owned by PHP: freed with its `*_free` function when dropped. */
final class FfiHandle
{
    public function __construct(public readonly CData $ptr, private readonly string $free)
    {
    }

    public function __destruct()
    {
        Native::ffi()->{$this->free}($this->ptr);
    }
}
