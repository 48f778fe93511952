// The replay-guard contract the receiver adapters drive (Receiver.Process, WebhookListener):
// check before the handler, then confirm or forget as the core's Receiver.Finished decides.
// ReplayGuard (in memory, one process) is one; a shared store (Redis) can be another.
namespace Hooksig
{
    /// <summary>
    /// A replay guard as the receiver adapters use it. <see cref="ReplayGuard"/> (in memory, one
    /// process) implements it; a guard over a shared store (several processes) implements the
    /// two-phase marker of the core's replay-store contract.
    /// </summary>
    public interface IReplayGuard
    {
        /// <summary>
        /// Atomically checks <paramref name="key"/> (<see cref="Verified.DedupeKey"/>) and, when it is
        /// new, remembers it (or marks it in progress). Of two concurrent calls with one key exactly
        /// one gets <see cref="GuardAnswer.New"/>. A store that cannot be asked answers
        /// <see cref="GuardAnswer.Unavailable"/> rather than throwing; an exception propagates to
        /// the caller (a programming mistake).
        /// </summary>
        GuardAnswer Check(string key);

        /// <summary>The handler succeeded: make the key's entry final (a no-op for the in-memory guard). Best effort.</summary>
        void Confirm(string key);

        /// <summary>The handler failed: forget the key so that the sender's retry runs the handler again. Best effort.</summary>
        void Forget(string key);
    }
}
