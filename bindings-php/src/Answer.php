<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * One HTTP answer decided by the core's receiver policy ({@see Receiver}): write its status,
 * `Content-Type`, headers and body bytes exactly (`send()` does); the same bytes in every hooksig
 * integration (`{"error":"<code>","message":"<description>"}`, `{"status":"duplicate"}`, ...).
 */
final class Answer
{
    /**
     * @param list<array{0: string, 1: string}> $headers besides Content-Type, in order
     */
    public function __construct(
        public readonly int $status,
        public readonly string $body,
        public readonly array $headers = [],
        public readonly string $contentType = 'application/json',
    ) {
    }

    /** @internal An answer as both routes give it, `[status, body, headers, content type]`, or null. */
    public static function of(?array $a): ?self
    {
        return $a === null ? null : new self(...$a);
    }

    /** Writes the answer to the current response (no body for a HEAD request). */
    public function send(): void
    {
        http_response_code($this->status);
        header('Content-Type: ' . $this->contentType);
        foreach ($this->headers as [$name, $value]) {
            header("$name: $value");
        }
        if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'HEAD') {
            echo $this->body;
        }
    }
}
