// What to do with a delivery's replay key after the handler: the core's KeyAction
// (hooksig::receive), returned by Receiver.Finished.
namespace Hooksig
{
    /// <summary>What the replay guard does with a delivery's key after the handler (<see cref="Receiver.Finished"/>).</summary>
    public enum KeyAction
    {
        /// <summary>The handler succeeded (2xx): keep the key (<see cref="IReplayGuard.Confirm"/>).</summary>
        Keep = 0,
        /// <summary>The handler threw or answered outside 200-299: <see cref="IReplayGuard.Forget"/> the key so that the sender's retry runs it again.</summary>
        Release = 1,
    }
}
