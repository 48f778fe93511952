// The native scheme (libhooksig's hooksig_scheme) for a scheme as .NET callers give it.
using System;

namespace Hooksig
{
    /// <summary>
    /// Opens a hooksig_scheme for a built-in id (hooksig_scheme_from_name) or a
    /// <see cref="CustomScheme"/> (hooksig_custom_scheme_builder): everything after this is the
    /// same code for both kinds.
    /// </summary>
    internal static class NativeScheme
    {
        /// <summary>The native scheme; the caller frees it with hooksig_scheme_free.</summary>
        /// <exception cref="ArgumentNullException">both are null</exception>
        internal static IntPtr Open(string name, CustomScheme custom)
        {
            if (custom != null) return custom.Build();
            if (name == null) throw new ArgumentNullException("scheme");
            IntPtr scheme, err;
            byte[] id = Utf8.Encode(name);
            ErrorMapper.Check(NativeMethods.hooksig_scheme_from_name(id, NativeBytes.Length(id), out scheme, out err), err);
            return scheme;
        }
    }
}
