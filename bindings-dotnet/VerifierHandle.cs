// The SafeHandle of libhooksig's hooksig_verifier.
using System;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>The native verifier, released exactly once even when threads still use it.</summary>
    internal sealed class VerifierHandle : SafeHandle
    {
        public VerifierHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.hooksig_verifier_free(handle);
            return true;
        }
    }
}
