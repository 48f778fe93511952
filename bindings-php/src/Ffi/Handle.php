<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use FFI\CData;
use Hooksig\Native;

/**
 * @internal The FFI route ({@see \Hooksig\Backends}): each class of `Hooksig\Ffi` is the native
 * extension's class of the same name (`Hooksig\Ext\*`, bindings-php-ext) on libhooksig through
 * PHP's FFI ({@see Native}): the same methods, arguments, return shapes and statuses, every call
 * the C function of the same name. This base owns the C object, freed with `FREE` when dropped.
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
