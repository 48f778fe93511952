// Byte buffers across the C boundary: the size_t length of a managed array, and a copy of bytes
// owned by libhooksig.
using System;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>Lengths and copies of the byte buffers passed to and returned by libhooksig.</summary>
    internal static class NativeBytes
    {
        /// <summary>The length of <paramref name="bytes"/> as a size_t (0 for null).</summary>
        internal static UIntPtr Length(byte[] bytes)
        {
            return (UIntPtr)(bytes == null ? 0 : bytes.Length);
        }

        /// <summary>A managed copy of <paramref name="len"/> bytes at <paramref name="ptr"/>.</summary>
        internal static byte[] Copy(IntPtr ptr, UIntPtr len)
        {
            var bytes = new byte[(int)len.ToUInt64()];
            if (bytes.Length > 0) Marshal.Copy(ptr, bytes, 0, bytes.Length);
            return bytes;
        }
    }
}
