<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use FFI\CData;
use Hooksig\Native;

/**
 * @internal The FFI route ({@see \Hooksig\Backends}): each class of `Hooksig\Ffi` is the native
 * extension's class of the same name (`Hooksig\Ext\*`: methods, arguments, return shapes,
 * statuses) over libhooksig's C functions ({@see Native}). This base owns the C object.
 */
abstract class Handle
{
    /** The C function that frees the object. */
    protected const FREE = '';

    protected CData $ptr;

    public function __destruct()
    {
        Native::ffi()->{static::FREE}($this->ptr);
    }

    /** An instance owning `$ptr`, made without the class's own constructor. */
    protected static function own(CData $ptr): static
    {
        $handle = (new \ReflectionClass(static::class))->newInstanceWithoutConstructor();
        $handle->ptr = $ptr;
        return $handle;
    }
}
