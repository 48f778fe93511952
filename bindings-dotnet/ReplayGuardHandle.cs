// The SafeHandle of libhooksig's hooksig_replay_guard.
using System;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>The native replay guard, released exactly once even when threads still use it.</summary>
    internal sealed class ReplayGuardHandle : SafeHandle
    {
        public ReplayGuardHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            NativeMethods.hooksig_replay_guard_free(handle);
            return true;
        }
    }
}
