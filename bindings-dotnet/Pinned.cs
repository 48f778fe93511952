// Pins byte arrays for the duration of one native call.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>Pins a list of byte arrays for the duration of one native call.</summary>
    internal sealed class Pinned : IDisposable
    {
        private readonly GCHandle[] handles;

        public Pinned(List<byte[]> arrays)
        {
            handles = new GCHandle[arrays.Count];
            for (int i = 0; i < arrays.Count; i++)
            {
                if (arrays[i] != null && arrays[i].Length > 0) handles[i] = GCHandle.Alloc(arrays[i], GCHandleType.Pinned);
            }
        }

        /// <summary>The address of array i, or NULL when it is empty (hooksig accepts NULL with length 0).</summary>
        public IntPtr Address(int i)
        {
            return handles[i].IsAllocated ? handles[i].AddrOfPinnedObject() : IntPtr.Zero;
        }

        public void Dispose()
        {
            foreach (var h in handles)
            {
                if (h.IsAllocated) h.Free();
            }
        }
    }
}
