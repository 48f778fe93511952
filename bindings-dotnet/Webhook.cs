// Signing as a sender would, and library information (built-in schemes, version).
using System;
using System.Collections.Generic;

namespace Hooksig
{
    /// <summary>Signing and library information.</summary>
    public static class Webhook
    {
        /// <summary>
        /// Signs a body as a sender of a built-in scheme would: the headers to send, in order.
        /// The secret is decoded as the scheme's "auto" format.
        /// </summary>
        /// <param name="scheme">a built-in scheme id</param>
        /// <param name="secret">the secret (the scheme's "auto" format)</param>
        /// <param name="body">the body to send</param>
        /// <param name="timestamp">Unix seconds, or null for the system clock</param>
        /// <param name="id">the message id, for the schemes that send one</param>
        /// <param name="eventType">the event type, for the schemes that send one</param>
        /// <param name="url">the full URL the request goes to, for the schemes that sign it (twilio, square,
        /// hubspot: without it they throw invalid_argument); other schemes ignore it</param>
        /// <param name="method">the request's method (null: POST)</param>
        /// <exception cref="ConfigException">unknown scheme, refused secret, negative timestamp</exception>
        public static IList<KeyValuePair<string, string>> Sign(string scheme, string secret, byte[] body,
            long? timestamp = null, string id = null, string eventType = null, string url = null, string method = null)
        {
            return SignWith(scheme, null, secret, body, timestamp, id, eventType, url, method);
        }

        /// <summary>Signs a body for a custom scheme.</summary>
        public static IList<KeyValuePair<string, string>> Sign(CustomScheme scheme, string secret, byte[] body,
            long? timestamp = null, string id = null, string eventType = null, string url = null, string method = null)
        {
            if (scheme == null) throw new ArgumentNullException("scheme");
            return SignWith(null, scheme, secret, body, timestamp, id, eventType, url, method);
        }

        private static IList<KeyValuePair<string, string>> SignWith(string name, CustomScheme custom, string secret,
            byte[] body, long? timestamp, string id, string eventType, string url, string method)
        {
            if (name == null && custom == null) throw new ArgumentNullException("scheme");
            if (secret == null) throw new ArgumentNullException("secret");
            if (body == null) throw new ArgumentNullException("body");
            byte[] secretBytes = Utf8.Encode(secret);
            IntPtr scheme = NativeScheme.Open(name, custom), options = IntPtr.Zero, signed, err;
            try
            {
                options = SignOptions.Create(timestamp, id, eventType, url, method);
                ErrorMapper.Check(NativeMethods.hooksig_sign(scheme, secretBytes, NativeBytes.Length(secretBytes), body,
                    NativeBytes.Length(body), options, out signed, out err), err);
            }
            finally
            {
                NativeMethods.hooksig_sign_options_free(options);
                NativeMethods.hooksig_scheme_free(scheme);
            }
            return SignedHeaders.Take(signed);
        }

        /// <summary>The built-in scheme ids.</summary>
        public static IList<string> Schemes
        {
            get
            {
                var ids = new List<string>();
                ulong n = NativeMethods.hooksig_scheme_builtin_count().ToUInt64();
                for (ulong i = 0; i < n; i++) ids.Add(Utf8.DecodeCString(NativeMethods.hooksig_scheme_builtin_id((UIntPtr)i)));
                return ids;
            }
        }

        /// <summary>The version of the libhooksig actually loaded.</summary>
        public static string Version
        {
            get { return Utf8.DecodeCString(NativeMethods.hooksig_version()); }
        }
    }
}
