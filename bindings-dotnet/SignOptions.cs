// The options of a signature (libhooksig's hooksig_sign_options).
using System;

namespace Hooksig
{
    /// <summary>Builds a hooksig_sign_options for <see cref="Webhook.Sign(string, string, byte[], long?, string, string, string, string)"/>
    /// and <see cref="Verifier.Sign"/>.</summary>
    internal static class SignOptions
    {
        /// <summary>The native options; the caller frees them with hooksig_sign_options_free.</summary>
        internal static IntPtr Create(long? timestamp, string id, string eventType, string url = null, string method = null)
        {
            IntPtr options, err;
            ErrorMapper.Check(NativeMethods.hooksig_sign_options_new(out options, out err), err);
            try
            {
                byte[] idBytes = Utf8.Encode(id), eventBytes = Utf8.Encode(eventType);
                ErrorMapper.Check(NativeMethods.hooksig_sign_options_set_timestamp(options,
                    timestamp.HasValue ? timestamp.Value : NativeMethods.Now, out err), err);
                ErrorMapper.Check(NativeMethods.hooksig_sign_options_set_id(options, idBytes, NativeBytes.Length(idBytes),
                    out err), err);
                ErrorMapper.Check(NativeMethods.hooksig_sign_options_set_event_type(options, eventBytes,
                    NativeBytes.Length(eventBytes), out err), err);
                if (url != null || method != null)
                {
                    byte[] urlBytes = Utf8.Encode(url), methodBytes = Utf8.Encode(method);
                    ErrorMapper.Check(NativeMethods.hooksig_sign_options_set_request(options, methodBytes,
                        NativeBytes.Length(methodBytes), urlBytes, NativeBytes.Length(urlBytes), out err), err);
                }
                return options;
            }
            catch
            {
                NativeMethods.hooksig_sign_options_free(options);
                throw;
            }
        }
    }
}
