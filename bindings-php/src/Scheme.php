<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal A backend's scheme for a scheme as PHP callers give it: a built-in id or a custom
 * definition, an array with the keys of the shared vector files (id, signature_header,
 * timestamp_header, id_header, event_header, template, encoding, prefix, algorithm,
 * json_fallback), set in order on the core's custom-scheme builder and validated by the core.
 * Everything after this is the same code for both kinds.
 */
final class Scheme
{
    /** @param string|array<string, string|bool|null> $scheme */
    public static function handle(string|array $scheme): object
    {
        $class = Backends::get()->of('Scheme');
        return Backends::run(static fn () => is_string($scheme) ? $class::named($scheme) : $class::custom(self::settings($scheme)));
    }

    /**
     * @param array<string, string|bool|null> $definition
     * @return list<array{0: string, 1: ?string}>
     */
    private static function settings(array $definition): array
    {
        // id and signature_header always go first; absent, they are "" (which the core refuses).
        $definition = [
            'id' => (string) ($definition['id'] ?? ''),
            'signature_header' => (string) ($definition['signature_header'] ?? ''),
        ] + $definition;
        $settings = [];
        foreach ($definition as $key => $value) {
            if (is_bool($value)) {
                $value = $value ? 'true' : 'false';
            }
            $settings[] = [(string) $key, $value === null ? null : (string) $value];
        }
        return $settings;
    }
}
