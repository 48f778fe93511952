<?php

declare(strict_types=1);

namespace Hooksig;

/** A verified webhook. Act on `$payload` (what was signed), not on the raw body. */
final class Verified
{
    public function __construct(
        /** The scheme id (a custom scheme's own id). */
        public readonly string $scheme,
        /** The signed timestamp (Unix seconds), or null for schemes without one. */
        public readonly ?int $timestamp,
        /** The message / delivery / event id, or null. Use it to reject replays. */
        public readonly ?string $id,
        /** The event type, or null. */
        public readonly ?string $eventType,
        /** Which secret matched (0-based; rotation). */
        public readonly int $keyIndex,
        /** The authenticated bytes: the body, or the re-serialized JSON the sender signed. */
        public readonly string $payload,
        /**
         * The delivery's replay key: `"<scheme>:id:<id>"` when the scheme carries a message
         * id, else `"<scheme>:sig:<hex>"` (a fingerprint of the signed content). Give it to a
         * {@see ReplayGuardInterface}.
         */
        public readonly string $dedupeKey,
        /** The core's canonical success answer for it ({@see Receiver::received()}). */
        public readonly ?Answer $received = null,
    ) {
    }

    /** The payload decoded as JSON (associative arrays); throws \JsonException if it is not. */
    public function json(): mixed
    {
        return json_decode($this->payload, true, 512, JSON_THROW_ON_ERROR);
    }
}
