// The SafeHandle of libhooksig's hooksig_receiver, and the shared default one (default limit) for
// the answers that do not depend on a receiver (Verifier.Verify's success answer).
using System;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>The native receiver, released exactly once even when threads still use it.</summary>
    internal sealed class ReceiverHandle : SafeHandle
    {
        private static readonly Lazy<ReceiverHandle> shared = new Lazy<ReceiverHandle>(() =>
        {
            ReceiverHandle created;
            IntPtr err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_new((UIntPtr)(ulong)Receiver.DefaultLimit, out created, out err), err);
            return created;
        });

        /// <summary>A receiver for the calls whose answer does not depend on one (the success body).</summary>
        internal static ReceiverHandle Default
        {
            get { return shared.Value; }
        }

        public ReceiverHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.hooksig_receiver_free(handle);
            return true;
        }
    }
}
