// UTF-8 in both directions across the C boundary: strings to the bytes libhooksig reads, and the
// strings it returns (through their length, or NUL-terminated) back to .NET.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Hooksig
{
    /// <summary>UTF-8 conversions for the native calls.</summary>
    internal static class Utf8
    {
        /// <summary>The UTF-8 bytes of <paramref name="s"/>, or null when it is null.</summary>
        internal static byte[] Encode(string s)
        {
            return s == null ? null : Encoding.UTF8.GetBytes(s);
        }

        /// <summary>A UTF-8 string of <paramref name="len"/> bytes owned by hooksig (NUL bytes
        /// included), or null when <paramref name="ptr"/> is NULL.</summary>
        internal static string Decode(IntPtr ptr, UIntPtr len)
        {
            if (ptr == IntPtr.Zero) return null;
            return Encoding.UTF8.GetString(NativeBytes.Copy(ptr, len));
        }

        /// <summary>A NUL-terminated UTF-8 string owned by hooksig, or null (only for strings
        /// the C API returns without a length: messages, codes, names).</summary>
        internal static string DecodeCString(IntPtr ptr)
        {
            if (ptr == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(ptr, n) != 0) n++;
            var bytes = new byte[n];
            Marshal.Copy(ptr, bytes, 0, n);
            return Encoding.UTF8.GetString(bytes);
        }
    }
}
