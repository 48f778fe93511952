// The headers a signature call produced (libhooksig's hooksig_signed_headers), copied into .NET
// in the order to send them.
using System;
using System.Collections.Generic;
using System.Text;

namespace Hooksig
{
    /// <summary>Copies the result of hooksig_sign / hooksig_verifier_sign.</summary>
    internal static class SignedHeaders
    {
        /// <summary>The headers to send, in order; frees <paramref name="signed"/>.</summary>
        internal static IList<KeyValuePair<string, string>> Take(IntPtr signed)
        {
            try
            {
                var list = new List<KeyValuePair<string, string>>();
                ulong n = NativeMethods.hooksig_signed_headers_count(signed).ToUInt64();
                for (ulong i = 0; i < n; i++)
                {
                    UIntPtr nameLen, valueLen;
                    IntPtr name = NativeMethods.hooksig_signed_headers_name(signed, (UIntPtr)i, out nameLen);
                    IntPtr value = NativeMethods.hooksig_signed_headers_value(signed, (UIntPtr)i, out valueLen);
                    list.Add(new KeyValuePair<string, string>(
                        Encoding.UTF8.GetString(NativeBytes.Copy(name, nameLen)),
                        Encoding.UTF8.GetString(NativeBytes.Copy(value, valueLen))));
                }
                return list;
            }
            finally
            {
                NativeMethods.hooksig_signed_headers_free(signed);
            }
        }
    }
}
