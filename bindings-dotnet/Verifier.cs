// Verifies webhooks of one scheme against one or more secrets, in constant time (libhooksig's
// hooksig_verifier), and signs with its first secret.
using System;
using System.Collections.Generic;

namespace Hooksig
{
    /// <summary>
    /// Verifies webhooks of one scheme against one or more secrets, in constant time. Build it
    /// once at start-up and share it: <see cref="Verify"/> is safe to call from many threads at
    /// once. Dispose it (or let the finalizer) to free the native verifier and wipe its secrets.
    /// </summary>
    public sealed class Verifier : IDisposable
    {
        private readonly VerifierHandle handle;

        /// <summary>A verifier for a built-in scheme (see <see cref="Webhook.Schemes"/>).</summary>
        /// <param name="scheme">e.g. "stripe", "github", "algoguard"</param>
        /// <param name="secrets">one or more secrets (UTF-8); any may match (rotation)</param>
        /// <param name="tolerance">accepted clock skew in seconds, both ways (negative: ConfigException);
        /// null (not given) uses the scheme's default, the window the vendor documents: 600 for twitch
        /// and box, 60 for linear, 180 for workos, 300 for every other scheme (see <see cref="Tolerance"/>)</param>
        /// <param name="secretFormat">"auto" (the scheme's convention), "text", "base64" or "hex"</param>
        /// <param name="jsonFallback">null keeps the scheme's default (on for chaindoc only)</param>
        /// <exception cref="ConfigException">unknown scheme, refused secret or option</exception>
        public Verifier(string scheme, IEnumerable<string> secrets, long? tolerance = null,
                        string secretFormat = "auto", bool? jsonFallback = null)
            : this(scheme, null, EncodeSecrets(secrets), tolerance, secretFormat, jsonFallback) { }

        /// <summary>A verifier for a built-in scheme with one secret and default options.</summary>
        public Verifier(string scheme, string secret) : this(scheme, new[] { secret }) { }

        /// <summary>A verifier for a custom scheme.</summary>
        public Verifier(CustomScheme scheme, IEnumerable<string> secrets, long? tolerance = null,
                        string secretFormat = "auto", bool? jsonFallback = null)
            : this(null, scheme, EncodeSecrets(secrets), tolerance, secretFormat, jsonFallback) { }

        private Verifier(string name, CustomScheme custom, List<byte[]> secrets, long? tolerance,
                         string secretFormat, bool? jsonFallback)
        {
            IntPtr scheme = NativeScheme.Open(name, custom), options = IntPtr.Zero, err;
            try
            {
                byte[] format = Utf8.Encode(secretFormat);
                ErrorMapper.Check(NativeMethods.hooksig_verifier_options_new(out options, out err), err);
                if (tolerance.HasValue)
                {
                    // Any negative is refused; -1 keeps long.MinValue from reading as C's
                    // HOOKSIG_TOLERANCE_SCHEME_DEFAULT.
                    ErrorMapper.Check(NativeMethods.hooksig_verifier_options_set_tolerance(options,
                        Math.Max(tolerance.Value, -1L), out err), err);
                }
                ErrorMapper.Check(NativeMethods.hooksig_verifier_options_set_secret_format(options, format,
                    NativeBytes.Length(format), out err), err);
                ErrorMapper.Check(NativeMethods.hooksig_verifier_options_set_json_fallback(options,
                    jsonFallback.HasValue ? (jsonFallback.Value ? 1 : 0) : -1, out err), err);
                using (var pinned = new Pinned(secrets))
                {
                    var array = new NativeMethods.HooksigBytes[secrets.Count];
                    for (int i = 0; i < array.Length; i++)
                    {
                        array[i].Ptr = pinned.Address(i);
                        array[i].Len = NativeBytes.Length(secrets[i]);
                    }
                    VerifierHandle created;
                    ErrorMapper.Check(NativeMethods.hooksig_verifier_new(scheme, array, (UIntPtr)array.Length, options,
                        out created, out err), err);
                    handle = created;
                }
            }
            finally
            {
                NativeMethods.hooksig_verifier_options_free(options);
                NativeMethods.hooksig_scheme_free(scheme);
            }
        }

        private Verifier(VerifierHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>
        /// One verifier over several (a multi-vendor endpoint), usable wherever a verifier is. A
        /// request is verified by the verifier whose signature header it carries (schemes sharing
        /// headers, such as svix and clerk, are tried in order, the first success winning), and
        /// <see cref="Verified.Scheme"/>, hence the dedupe key and the handshake answers, names the
        /// scheme that matched; no vendor's signature header is missing_signature. The composite
        /// shares the verifiers' keys (each may be disposed afterwards) and does not sign.
        /// </summary>
        /// <param name="verifiers">1 to 16 verifiers of distinct schemes, none itself from AnyOf</param>
        /// <exception cref="ConfigException">none, more than 16, a composite among them, a scheme twice</exception>
        public static Verifier AnyOf(params Verifier[] verifiers)
        {
            if (verifiers == null) throw new ArgumentNullException("verifiers");
            var pointers = new IntPtr[verifiers.Length];
            var added = new List<VerifierHandle>();
            try
            {
                for (int i = 0; i < verifiers.Length; i++)
                {
                    if (verifiers[i] == null) throw new ArgumentNullException("verifiers", "verifiers[" + i + "] is null");
                    // Kept alive (not freed by another thread's Dispose) until the call returns.
                    bool ok = false;
                    verifiers[i].handle.DangerousAddRef(ref ok);
                    if (ok) added.Add(verifiers[i].handle);
                    pointers[i] = verifiers[i].handle.DangerousGetHandle();
                }
                VerifierHandle created;
                IntPtr err;
                ErrorMapper.Check(NativeMethods.hooksig_verifier_any_of(pointers, (UIntPtr)pointers.Length,
                    out created, out err), err);
                return new Verifier(created);
            }
            finally
            {
                foreach (var h in added) h.DangerousRelease();
            }
        }

        /// <summary>The secrets as UTF-8; throws for a null list or a null secret.</summary>
        private static List<byte[]> EncodeSecrets(IEnumerable<string> strings)
        {
            if (strings == null) throw new ArgumentNullException("secrets");
            var list = new List<byte[]>();
            foreach (var s in strings)
            {
                if (s == null) throw new ArgumentNullException("secrets", "a secret is null");
                list.Add(Utf8.Encode(s));
            }
            return list;
        }

        /// <summary>Verifies one request.</summary>
        /// <param name="headers">the request headers as received (names in any case; a name may repeat)</param>
        /// <param name="body">the raw body bytes, exactly as received</param>
        /// <param name="now">Unix seconds, or null for the system clock</param>
        /// <param name="url">the full URL the sender requested (scheme://host/path?query; behind a proxy, the
        /// public one: <see cref="Receiver.PublicUrl"/>), for the schemes that sign it (twilio, square, hubspot;
        /// see <see cref="SignsRequest"/>); null: none, and those schemes fail with invalid_argument. Other
        /// schemes ignore it.</param>
        /// <param name="method">the request's method (null: POST); used with <paramref name="url"/></param>
        /// <exception cref="VerificationException">the request is not authentic (HttpStatus 400 or 401)</exception>
        public Verified Verify(IEnumerable<KeyValuePair<string, string>> headers, byte[] body, long? now = null,
            string url = null, string method = null)
        {
            if (headers == null) throw new ArgumentNullException("headers");
            if (body == null) throw new ArgumentNullException("body");
            var parts = new List<byte[]>();
            foreach (var h in headers)
            {
                parts.Add(Utf8.Encode(h.Key ?? ""));
                parts.Add(Utf8.Encode(h.Value ?? ""));
            }
            int nHeaderParts = parts.Count;
            if (url != null)
            {
                // A trailing NUL keeps even an empty text pinned at a real address (NULL is for "none").
                parts.Add(Utf8.Encode(url + "\0"));
                parts.Add(method == null ? null : Utf8.Encode(method + "\0"));
            }
            using (var pinned = new Pinned(parts))
            {
                var array = new NativeMethods.HooksigHeader[nHeaderParts / 2];
                for (int i = 0; i < array.Length; i++)
                {
                    array[i].Name = pinned.Address(2 * i);
                    array[i].NameLen = NativeBytes.Length(parts[2 * i]);
                    array[i].Value = pinned.Address(2 * i + 1);
                    array[i].ValueLen = NativeBytes.Length(parts[2 * i + 1]);
                }
                IntPtr result, err;
                int status;
                if (url == null)
                {
                    status = NativeMethods.hooksig_verify(handle, array, (UIntPtr)array.Length, body, NativeBytes.Length(body),
                        now.HasValue ? now.Value : NativeMethods.Now, out result, out err);
                }
                else
                {
                    var request = new NativeMethods.HooksigRequest
                    {
                        Url = pinned.Address(nHeaderParts),
                        UrlLen = (UIntPtr)(ulong)(parts[nHeaderParts].Length - 1),
                        Method = method == null ? IntPtr.Zero : pinned.Address(nHeaderParts + 1),
                        MethodLen = (UIntPtr)(ulong)(method == null ? 0 : parts[nHeaderParts + 1].Length - 1),
                    };
                    status = NativeMethods.hooksig_verify_request(handle, array, (UIntPtr)array.Length, body,
                        NativeBytes.Length(body), ref request, now.HasValue ? now.Value : NativeMethods.Now, out result, out err);
                }
                ErrorMapper.Check(status, err);
                try
                {
                    UIntPtr len, schemeLen, idLen, eventTypeLen, keyLen;
                    IntPtr payload = NativeMethods.hooksig_verified_payload(result, out len);
                    // Every string through its length: a NUL byte inside an id is kept, as in
                    // the other bindings (a NUL-terminated read would cut it there).
                    IntPtr scheme = NativeMethods.hooksig_verified_scheme(result, out schemeLen);
                    IntPtr id = NativeMethods.hooksig_verified_id(result, out idLen);
                    IntPtr eventType = NativeMethods.hooksig_verified_event_type(result, out eventTypeLen);
                    IntPtr key = NativeMethods.hooksig_verified_dedupe_key(result, out keyLen);
                    IntPtr received;
                    ErrorMapper.Check(NativeMethods.hooksig_receiver_received(ReceiverHandle.Default, result, out received, out err), err);
                    ReceiverAnswer receivedAnswer = ReceiverAnswer.TakeNative(received);
                    IntPtr handshake;
                    ErrorMapper.Check(NativeMethods.hooksig_receiver_handshake(ReceiverHandle.Default, handle, result, array,
                        (UIntPtr)array.Length, out handshake, out err), err);
                    return new Verified
                    {
                        Scheme = Utf8.Decode(scheme, schemeLen),
                        Timestamp = NativeMethods.hooksig_verified_has_timestamp(result) == 1
                            ? NativeMethods.hooksig_verified_timestamp(result) : (long?)null,
                        Id = Utf8.Decode(id, idLen),
                        EventType = Utf8.Decode(eventType, eventTypeLen),
                        KeyIndex = (int)NativeMethods.hooksig_verified_key_index(result).ToUInt64(),
                        Payload = NativeBytes.Copy(payload, len),
                        DedupeKey = Utf8.Decode(key, keyLen),
                        ReceivedAnswer = receivedAnswer,
                        HandshakeAnswer = ReceiverAnswer.TakeNative(handshake),
                    };
                }
                finally
                {
                    NativeMethods.hooksig_verified_free(result);
                }
            }
        }

        /// <summary>Signs a body with this verifier's first secret (and its secret format).</summary>
        /// <param name="body">the body to send</param>
        /// <param name="timestamp">Unix seconds, or null for the system clock</param>
        /// <param name="id">the message id, for the schemes that send one</param>
        /// <param name="eventType">the event type, for the schemes that send one</param>
        /// <param name="url">the full URL the request goes to, for the schemes that sign it (twilio, square,
        /// hubspot: without it they throw invalid_argument)</param>
        /// <param name="method">the request's method (null: POST)</param>
        public IList<KeyValuePair<string, string>> Sign(byte[] body, long? timestamp = null, string id = null,
            string eventType = null, string url = null, string method = null)
        {
            if (body == null) throw new ArgumentNullException("body");
            IntPtr options = SignOptions.Create(timestamp, id, eventType, url, method), signed, err;
            try
            {
                ErrorMapper.Check(NativeMethods.hooksig_verifier_sign(handle, body, NativeBytes.Length(body), options,
                    out signed, out err), err);
            }
            finally
            {
                NativeMethods.hooksig_sign_options_free(options);
            }
            return SignedHeaders.Take(signed);
        }

        /// <summary>
        /// Whether this verifier's scheme signs the request line (twilio, square, hubspot, a custom
        /// scheme with {method}/{url}, or an <see cref="AnyOf"/> holding one): only then does an
        /// integration build the request's URL for <see cref="Verify"/>.
        /// </summary>
        public bool SignsRequest
        {
            get { return NativeMethods.hooksig_verifier_signs_request(handle); }
        }

        /// <summary>
        /// The tolerance in seconds, both ways: the one given, or the scheme's default (600 for twitch
        /// and box, 60 for linear, 180 for workos, 300 otherwise) when none was.
        /// </summary>
        public long Tolerance
        {
            get { return NativeMethods.hooksig_verifier_tolerance(handle); }
        }

        /// <summary>
        /// Seconds a replay guard should remember this verifier's deliveries: its past + future tolerance
        /// + 60 s, or a day for schemes without a timestamp (what <see cref="ReplayGuard.ForVerifier"/> uses).
        /// </summary>
        public long ReplayTtl
        {
            get { return (long)Math.Min(NativeMethods.hooksig_replay_default_ttl(handle), long.MaxValue); }
        }

        internal VerifierHandle Handle
        {
            get { return handle; }
        }

        /// <summary>Frees the native verifier (once no other thread is inside a call).</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
