<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal Request headers as PHP callers give them (getallheaders()-style `name => value` or
 * `name => [values]`, or a list of `[name, value]` pairs) as the list of `[name, value]` byte
 * strings both backends take, repeats kept in order.
 */
final class HeaderPairs
{
    /**
     * @param iterable<mixed> $headers
     * @return list<array{0: string, 1: string}>
     */
    public static function of(iterable $headers): array
    {
        $pairs = [];
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_array($value) && count($value) === 2 && array_is_list($value)) {
                $pairs[] = [self::text($value[0]), self::text($value[1])];
                continue;
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                $pairs[] = [self::text($name), self::text($one)];
            }
        }
        return $pairs;
    }

    /**
     * A header name or value as bytes: strings as they are, null as "" (an empty header is an
     * absent one), ints, floats and Stringable objects as PHP prints them; anything else (a
     * nested array, a plain object, a resource) is a TypeError.
     */
    private static function text(mixed $value): string
    {
        if (is_string($value)) {
            return $value;
        }
        if ($value === null || is_int($value) || is_float($value) || $value instanceof \Stringable) {
            return (string) $value;
        }
        throw new \TypeError('header names and values must be strings, ' . get_debug_type($value) . ' given');
    }
}
