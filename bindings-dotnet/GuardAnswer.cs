// What a replay guard answered for a verified delivery's key: the core's GuardAnswer
// (hooksig::receive), passed to Receiver.Guarded.
namespace Hooksig
{
    /// <summary>A replay guard's answer for a verified delivery's key (<see cref="IReplayGuard.Check"/>).</summary>
    public enum GuardAnswer
    {
        /// <summary>Not seen before: now remembered (or marked in progress). Run the handler.</summary>
        New = 0,
        /// <summary>Already processed: answered 200 {"status":"duplicate"} without the handler.</summary>
        Duplicate = 1,
        /// <summary>Another request is processing it (a shared store's marker): 409, Retry-After: 30.</summary>
        InProgress = 2,
        /// <summary>The store could not be asked: 503, Retry-After: 30.</summary>
        Unavailable = 3,
    }
}
