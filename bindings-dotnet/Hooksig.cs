// Hooksig for .NET: verify (and sign) webhook signatures in constant time through libhooksig
// (the hooksig C library) with P/Invoke. netstandard2.0, C# 7.x; no unsafe code.
//
// The library is loaded by name ("hooksig" -> libhooksig.so / hooksig.dll): on Linux put it on
// LD_LIBRARY_PATH or beside the application (Mono), or in runtimes/<rid>/native of a package.
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace Hooksig
{
    /// <summary>Base class of every hooksig error.</summary>
    /// <remarks>
    /// <see cref="Code"/> is the stable string code shared by every hooksig binding
    /// ("signature_mismatch", "timestamp_expired", ...); <see cref="Header"/> names the header
    /// involved (or null); <see cref="HttpStatus"/> is what a receiver answers (400, 401, 500).
    /// Thrown as is only for misuse ("invalid_utf8", ...) or an internal error. Messages never
    /// contain a secret or the body.
    /// </remarks>
    public class HooksigException : Exception
    {
        internal HooksigException(string message, string code, string header, int status)
            : base(message)
        {
            Code = code;
            Header = header;
            Status = status;
            HttpStatus = Native.hooksig_status_http_status(status);
        }

        /// <summary>The stable string code, e.g. "signature_mismatch".</summary>
        public string Code { get; private set; }

        /// <summary>The canonical name of the header involved, or null.</summary>
        public string Header { get; private set; }

        /// <summary>The numeric C status (hooksig_status).</summary>
        public int Status { get; private set; }

        /// <summary>400 (missing/malformed header), 401 (bad signature, stale timestamp) or 500.</summary>
        public int HttpStatus { get; private set; }
    }

    /// <summary>The request is not authentic or not acceptable (answer <see cref="HooksigException.HttpStatus"/>: 400 or 401).</summary>
    public sealed class VerificationException : HooksigException
    {
        internal VerificationException(string message, string code, string header, int status)
            : base(message, code, header, status) { }
    }

    /// <summary>A configuration error: invalid_secret, unknown_scheme or invalid_config.</summary>
    public sealed class ConfigException : HooksigException
    {
        internal ConfigException(string message, string code, string header, int status)
            : base(message, code, header, status) { }
    }

    /// <summary>A verified webhook. Act on <see cref="Payload"/> (what was signed), not the raw body.</summary>
    public sealed class Verified
    {
        /// <summary>The scheme id (a custom scheme's own id).</summary>
        public string Scheme { get; internal set; }
        /// <summary>The signed timestamp (Unix seconds), or null for schemes without one.</summary>
        public long? Timestamp { get; internal set; }
        /// <summary>The message / delivery / event id, or null. Use it to reject replays.</summary>
        public string Id { get; internal set; }
        /// <summary>The event type, or null.</summary>
        public string EventType { get; internal set; }
        /// <summary>Which secret matched (0-based; rotation).</summary>
        public int KeyIndex { get; internal set; }
        /// <summary>The authenticated bytes: the body, or the re-serialized JSON the sender signed.</summary>
        public byte[] Payload { get; internal set; }
        /// <summary>
        /// The delivery's replay key: "&lt;scheme&gt;:id:&lt;id&gt;" when the scheme carries a
        /// message id, else "&lt;scheme&gt;:sig:&lt;hex&gt;" (a fingerprint of the signed content).
        /// Give it to <see cref="ReplayGuard.CheckAndRemember"/>.
        /// </summary>
        public string DedupeKey { get; internal set; }

        /// <summary>The core's success answer for this delivery (<see cref="Receiver.Received"/>).</summary>
        internal ReceiverAnswer ReceivedAnswer { get; set; }
    }

    /// <summary>
    /// A custom scheme definition, with the keys of the shared vector files: id,
    /// signature_header, timestamp_header, id_header, event_header, template ("{ts}.{body}"),
    /// encoding ("hex"/"base64"), prefix, algorithm ("sha256"/"sha512"), json_fallback
    /// ("true"/"false"). Validated when a verifier is built or a body signed.
    /// </summary>
    public sealed class CustomScheme
    {
        private readonly List<KeyValuePair<string, string>> options = new List<KeyValuePair<string, string>>();

        /// <summary>A body-only, hex, HMAC-SHA256 scheme; adjust it with <see cref="Set"/>.</summary>
        /// <exception cref="ArgumentNullException">id or signatureHeader is null</exception>
        public CustomScheme(string id, string signatureHeader)
        {
            if (id == null) throw new ArgumentNullException("id");
            if (signatureHeader == null) throw new ArgumentNullException("signatureHeader");
            Id = id;
            SignatureHeader = signatureHeader;
        }

        /// <summary>Reported as <see cref="Verified.Scheme"/>.</summary>
        public string Id { get; private set; }

        /// <summary>The signature header's name.</summary>
        public string SignatureHeader { get; private set; }

        /// <summary>Sets an option (null value unsets an optional header or prefix); returns this.</summary>
        /// <exception cref="ArgumentNullException">key is null</exception>
        public CustomScheme Set(string key, string value)
        {
            if (key == null) throw new ArgumentNullException("key");
            if (key == "id") Id = value;
            else if (key == "signature_header") SignatureHeader = value;
            else options.Add(new KeyValuePair<string, string>(key, value));
            return this;
        }

        /// <summary>Builds the native definition; the caller frees it.</summary>
        internal IntPtr Build()
        {
            IntPtr scheme, err;
            byte[] id = Native.Utf8(Id ?? ""), sig = Native.Utf8(SignatureHeader ?? "");
            Native.Check(Native.hooksig_custom_scheme_new(id, Native.Len(id), sig, Native.Len(sig), out scheme, out err), err);
            try
            {
                foreach (var option in options)
                {
                    byte[] key = Native.Utf8(option.Key), value = Native.Utf8(option.Value);
                    Native.Check(Native.hooksig_custom_scheme_set(scheme, key, Native.Len(key), value, Native.Len(value), out err), err);
                }
            }
            catch
            {
                Native.hooksig_custom_scheme_free(scheme);
                throw;
            }
            return scheme;
        }
    }

    /// <summary>The native verifier, released exactly once even when threads still use it.</summary>
    internal sealed class VerifierHandle : SafeHandle
    {
        public VerifierHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.hooksig_verifier_free(handle);
            return true;
        }
    }

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
        /// <param name="tolerance">accepted clock skew in seconds, both ways (negative: ConfigException)</param>
        /// <param name="secretFormat">"auto" (the scheme's convention), "text", "base64" or "hex"</param>
        /// <param name="jsonFallback">null keeps the scheme's default (on for chaindoc only)</param>
        /// <exception cref="ConfigException">unknown scheme, refused secret or option</exception>
        public Verifier(string scheme, IEnumerable<string> secrets, long tolerance = 300,
                        string secretFormat = "auto", bool? jsonFallback = null)
            : this(scheme, null, Native.Utf8All(secrets), tolerance, secretFormat, jsonFallback) { }

        /// <summary>A verifier for a built-in scheme with one secret and default options.</summary>
        public Verifier(string scheme, string secret) : this(scheme, new[] { secret }) { }

        /// <summary>A verifier for a custom scheme.</summary>
        public Verifier(CustomScheme scheme, IEnumerable<string> secrets, long tolerance = 300,
                        string secretFormat = "auto", bool? jsonFallback = null)
            : this(null, scheme, Native.Utf8All(secrets), tolerance, secretFormat, jsonFallback) { }

        private Verifier(string name, CustomScheme custom, List<byte[]> secrets, long tolerance,
                         string secretFormat, bool? jsonFallback)
        {
            if (name == null && custom == null) throw new ArgumentNullException("scheme");
            byte[] format = Native.Utf8(secretFormat);
            int fallback = jsonFallback.HasValue ? (jsonFallback.Value ? 1 : 0) : -1;
            using (var pinned = new Pinned(secrets))
            {
                var array = new HooksigBytes[secrets.Count];
                for (int i = 0; i < array.Length; i++)
                {
                    array[i].Ptr = pinned.Address(i);
                    array[i].Len = Native.Len(secrets[i]);
                }
                VerifierHandle created;
                IntPtr err;
                int status;
                if (custom != null)
                {
                    IntPtr definition = custom.Build();
                    try
                    {
                        status = Native.hooksig_verifier_new_custom(definition, array, (UIntPtr)array.Length,
                            tolerance, format, Native.Len(format), fallback, out created, out err);
                    }
                    finally
                    {
                        Native.hooksig_custom_scheme_free(definition);
                    }
                }
                else
                {
                    byte[] id = Native.Utf8(name);
                    status = Native.hooksig_verifier_new_ex(id, Native.Len(id), array, (UIntPtr)array.Length,
                        tolerance, format, Native.Len(format), fallback, out created, out err);
                }
                Native.Check(status, err);
                handle = created;
            }
        }

        /// <summary>Verifies one request.</summary>
        /// <param name="headers">the request headers as received (names in any case; a name may repeat)</param>
        /// <param name="body">the raw body bytes, exactly as received</param>
        /// <param name="now">Unix seconds, or null for the system clock</param>
        /// <exception cref="VerificationException">the request is not authentic (HttpStatus 400 or 401)</exception>
        public Verified Verify(IEnumerable<KeyValuePair<string, string>> headers, byte[] body, long? now = null)
        {
            if (headers == null) throw new ArgumentNullException("headers");
            if (body == null) throw new ArgumentNullException("body");
            var parts = new List<byte[]>();
            foreach (var h in headers)
            {
                parts.Add(Native.Utf8(h.Key ?? ""));
                parts.Add(Native.Utf8(h.Value ?? ""));
            }
            using (var pinned = new Pinned(parts))
            {
                var array = new HooksigHeader[parts.Count / 2];
                for (int i = 0; i < array.Length; i++)
                {
                    array[i].Name = pinned.Address(2 * i);
                    array[i].NameLen = Native.Len(parts[2 * i]);
                    array[i].Value = pinned.Address(2 * i + 1);
                    array[i].ValueLen = Native.Len(parts[2 * i + 1]);
                }
                IntPtr result, err;
                int status = Native.hooksig_verify(handle, array, (UIntPtr)array.Length, body, Native.Len(body),
                    now.HasValue ? now.Value : Native.Now, out result, out err);
                Native.Check(status, err);
                try
                {
                    UIntPtr len, schemeLen, idLen, eventTypeLen, keyLen;
                    IntPtr payload = Native.hooksig_verified_payload(result, out len);
                    // Every string through its length: a NUL byte inside an id is kept, as in
                    // the other bindings (a NUL-terminated read would cut it there).
                    IntPtr scheme = Native.hooksig_verified_scheme(result, out schemeLen);
                    IntPtr id = Native.hooksig_verified_id(result, out idLen);
                    IntPtr eventType = Native.hooksig_verified_event_type(result, out eventTypeLen);
                    IntPtr key = Native.hooksig_verified_dedupe_key(result, out keyLen);
                    IntPtr received;
                    Native.Check(Native.hooksig_receiver_received(Native.DefaultReceiver, result, out received, out err), err);
                    return new Verified
                    {
                        Scheme = Native.Text(scheme, schemeLen),
                        Timestamp = Native.hooksig_verified_has_timestamp(result) == 1
                            ? Native.hooksig_verified_timestamp(result) : (long?)null,
                        Id = Native.Text(id, idLen),
                        EventType = Native.Text(eventType, eventTypeLen),
                        KeyIndex = (int)Native.hooksig_verified_key_index(result).ToUInt64(),
                        Payload = Native.Bytes(payload, len),
                        DedupeKey = Native.Text(key, keyLen),
                        ReceivedAnswer = Native.TakeAnswer(received),
                    };
                }
                finally
                {
                    Native.hooksig_verified_free(result);
                }
            }
        }

        /// <summary>Signs a body with this verifier's first secret (and its secret format).</summary>
        public IList<KeyValuePair<string, string>> Sign(byte[] body, long? timestamp = null, string id = null, string eventType = null)
        {
            if (body == null) throw new ArgumentNullException("body");
            byte[] idBytes = Native.Utf8(id), eventBytes = Native.Utf8(eventType);
            IntPtr signed, err;
            int status = Native.hooksig_verifier_sign(handle, body, Native.Len(body),
                timestamp.HasValue ? timestamp.Value : Native.Now, idBytes, Native.Len(idBytes),
                eventBytes, Native.Len(eventBytes), out signed, out err);
            Native.Check(status, err);
            return Native.TakeSignedHeaders(signed);
        }

        /// <summary>
        /// Seconds a replay guard should remember this verifier's deliveries: its past + future tolerance
        /// + 60 s, or a day for schemes without a timestamp (what <see cref="ReplayGuard.ForVerifier"/> uses).
        /// </summary>
        public long ReplayTtl
        {
            get { return (long)Math.Min(Native.hooksig_replay_default_ttl(handle), long.MaxValue); }
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

    /// <summary>The native replay guard, released exactly once even when threads still use it.</summary>
    internal sealed class ReplayGuardHandle : SafeHandle
    {
        public ReplayGuardHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            Native.hooksig_replay_guard_free(handle);
            return true;
        }
    }

    /// <summary>
    /// Drops duplicate deliveries (senders retry): remembers verified deliveries' keys for a while.
    /// After <see cref="Verifier.Verify"/> succeeds (never before: forged requests must not burn
    /// keys), call <see cref="CheckAndRemember"/> with <see cref="Verified.DedupeKey"/>: true means
    /// new (run the handler, and <see cref="Forget"/> the key if it fails), false a duplicate
    /// (answer 200 without running it, so the sender stops retrying).
    /// </summary>
    /// <remarks>
    /// Thread-safe and atomic: of several threads checking the same key at once, exactly one is
    /// told it is new. Entries expire <see cref="Ttl"/> seconds after they were remembered; at most
    /// <see cref="Capacity"/> keys are kept (expired ones go first, then the oldest). It lives in
    /// this process's memory: right for one ASP.NET Core or HttpListener process; several
    /// processes or machines need a shared store (Redis SET key 1 NX EX ttl).
    /// </remarks>
    public sealed class ReplayGuard : IDisposable, IReplayGuard
    {
        /// <summary>The default capacity (HOOKSIG_DEFAULT_REPLAY_CAPACITY), about 10 MB of keys.</summary>
        public const long DefaultCapacity = 100000;

        private readonly ReplayGuardHandle handle;

        /// <summary>A guard remembering each key for <paramref name="ttl"/> seconds.</summary>
        /// <param name="ttl">seconds a key is remembered; at least 1 (use at least the tolerance)</param>
        /// <param name="capacity">the most keys kept; at least 1</param>
        /// <exception cref="HooksigException">Code "invalid_argument": ttl or capacity below 1</exception>
        public ReplayGuard(long ttl, long capacity = DefaultCapacity)
        {
            // The C parameters are unsigned: a negative value is passed as 0, which libhooksig
            // refuses with invalid_argument (instead of wrapping around to a huge value).
            ReplayGuardHandle created;
            IntPtr err;
            int status = Native.hooksig_replay_guard_new((ulong)Math.Max(ttl, 0),
                (UIntPtr)(ulong)Math.Max(capacity, 0), out created, out err);
            Native.Check(status, err);
            handle = created;
        }

        private ReplayGuard(ReplayGuardHandle created)
        {
            handle = created;
        }

        /// <summary>A guard for a verifier: ttl = its past + future tolerance + 60 s (a day without timestamps), default capacity.</summary>
        public static ReplayGuard ForVerifier(Verifier verifier)
        {
            if (verifier == null) throw new ArgumentNullException("verifier");
            ReplayGuardHandle created;
            IntPtr err;
            Native.Check(Native.hooksig_replay_guard_new_for(verifier.Handle, out created, out err), err);
            return new ReplayGuard(created);
        }

        /// <summary>Atomically checks a key and remembers it.</summary>
        /// <param name="key">the delivery's key, normally <see cref="Verified.DedupeKey"/></param>
        /// <param name="now">Unix seconds, or null for the system clock</param>
        /// <returns>true if the key is new (now remembered until now + ttl), false for a duplicate</returns>
        public bool CheckAndRemember(string key, long? now = null)
        {
            UIntPtr len;
            byte[] bytes = Native.Key(key, out len);
            int isNew;
            IntPtr err;
            int status = Native.hooksig_replay_guard_check_and_remember(handle, bytes, len,
                now.HasValue ? now.Value : Native.Now, out isNew, out err);
            Native.Check(status, err);
            return isNew == 1;
        }

        /// <summary>Forgets a key (the handler failed: let the sender's retry run it). Unknown keys are fine.</summary>
        public void Forget(string key)
        {
            UIntPtr len;
            byte[] bytes = Native.Key(key, out len);
            IntPtr err;
            Native.Check(Native.hooksig_replay_guard_forget(handle, bytes, len, out err), err);
        }

        /// <summary><see cref="CheckAndRemember"/> as a <see cref="GuardAnswer"/> (New or Duplicate).</summary>
        GuardAnswer IReplayGuard.Check(string key)
        {
            return CheckAndRemember(key) ? GuardAnswer.New : GuardAnswer.Duplicate;
        }

        /// <summary>Nothing to confirm: the key was remembered by the check.</summary>
        void IReplayGuard.Confirm(string key) { }

        /// <summary>Seconds a key is remembered.</summary>
        public long Ttl
        {
            get { return (long)Math.Min(Native.hooksig_replay_guard_ttl(handle), long.MaxValue); }
        }

        /// <summary>The most keys kept.</summary>
        public long Capacity
        {
            get { return (long)Native.hooksig_replay_guard_capacity(handle).ToUInt64(); }
        }

        /// <summary>Keys currently held (expired ones included until purged).</summary>
        public long Count
        {
            get { return (long)Native.hooksig_replay_guard_len(handle).ToUInt64(); }
        }

        /// <summary>Frees the native guard (once no other thread is inside a call).</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }

    /// <summary>Signing and library information.</summary>
    public static class Webhook
    {
        /// <summary>
        /// Signs a body as a sender of a built-in scheme would: the headers to send, in order.
        /// The secret is decoded as the scheme's "auto" format.
        /// </summary>
        /// <exception cref="ConfigException">unknown scheme, refused secret, negative timestamp</exception>
        public static IList<KeyValuePair<string, string>> Sign(string scheme, string secret, byte[] body,
            long? timestamp = null, string id = null, string eventType = null)
        {
            return SignWith(scheme, null, secret, body, timestamp, id, eventType);
        }

        /// <summary>Signs a body for a custom scheme.</summary>
        public static IList<KeyValuePair<string, string>> Sign(CustomScheme scheme, string secret, byte[] body,
            long? timestamp = null, string id = null, string eventType = null)
        {
            if (scheme == null) throw new ArgumentNullException("scheme");
            return SignWith(null, scheme, secret, body, timestamp, id, eventType);
        }

        private static IList<KeyValuePair<string, string>> SignWith(string name, CustomScheme custom, string secret,
            byte[] body, long? timestamp, string id, string eventType)
        {
            if (name == null && custom == null) throw new ArgumentNullException("scheme");
            if (secret == null) throw new ArgumentNullException("secret");
            if (body == null) throw new ArgumentNullException("body");
            byte[] secretBytes = Native.Utf8(secret), idBytes = Native.Utf8(id), eventBytes = Native.Utf8(eventType);
            long ts = timestamp.HasValue ? timestamp.Value : Native.Now;
            IntPtr signed, err;
            int status;
            if (custom != null)
            {
                IntPtr definition = custom.Build();
                try
                {
                    status = Native.hooksig_sign_custom(definition, secretBytes, Native.Len(secretBytes), body,
                        Native.Len(body), ts, idBytes, Native.Len(idBytes), eventBytes, Native.Len(eventBytes),
                        out signed, out err);
                }
                finally
                {
                    Native.hooksig_custom_scheme_free(definition);
                }
            }
            else
            {
                byte[] schemeBytes = Native.Utf8(name);
                status = Native.hooksig_sign(schemeBytes, Native.Len(schemeBytes), secretBytes, Native.Len(secretBytes),
                    body, Native.Len(body), ts, idBytes, Native.Len(idBytes), eventBytes, Native.Len(eventBytes),
                    out signed, out err);
            }
            Native.Check(status, err);
            return Native.TakeSignedHeaders(signed);
        }

        /// <summary>The built-in scheme ids.</summary>
        public static IList<string> Schemes
        {
            get
            {
                var ids = new List<string>();
                ulong n = Native.hooksig_scheme_count().ToUInt64();
                for (ulong i = 0; i < n; i++) ids.Add(Native.Text(Native.hooksig_scheme_name((UIntPtr)i)));
                return ids;
            }
        }

        /// <summary>The version of the libhooksig actually loaded.</summary>
        public static string Version
        {
            get { return Native.Text(Native.hooksig_version()); }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct HooksigBytes
    {
        public IntPtr Ptr;
        public UIntPtr Len;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct HooksigHeader
    {
        public IntPtr Name;
        public UIntPtr NameLen;
        public IntPtr Value;
        public UIntPtr ValueLen;
    }

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

    /// <summary>The P/Invoke declarations (matching bindings-c/include/hooksig.h) and helpers.</summary>
    internal static class Native
    {
        private const string Lib = "hooksig";

        /// <summary>HOOKSIG_NOW: use the system clock.</summary>
        internal const long Now = long.MinValue;

        [DllImport(Lib)] internal static extern IntPtr hooksig_version();
        [DllImport(Lib)] internal static extern UIntPtr hooksig_scheme_count();
        [DllImport(Lib)] internal static extern IntPtr hooksig_scheme_name(UIntPtr index);

        [DllImport(Lib)] internal static extern IntPtr hooksig_status_code(int status);
        [DllImport(Lib)] internal static extern IntPtr hooksig_status_message(int status);
        [DllImport(Lib)] internal static extern int hooksig_status_http_status(int status);
        [DllImport(Lib)] internal static extern int hooksig_status_is_verification_error(int status);
        [DllImport(Lib)] internal static extern int hooksig_status_is_config_error(int status);

        [DllImport(Lib)] internal static extern int hooksig_error_status(IntPtr err);
        [DllImport(Lib)] internal static extern IntPtr hooksig_error_code(IntPtr err);
        [DllImport(Lib)] internal static extern IntPtr hooksig_error_header(IntPtr err);
        [DllImport(Lib)] internal static extern IntPtr hooksig_error_message(IntPtr err);
        [DllImport(Lib)] internal static extern void hooksig_error_free(IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verifier_new_ex(byte[] scheme, UIntPtr schemeLen,
            [In] HooksigBytes[] secrets, UIntPtr nSecrets, long toleranceS, byte[] secretFormat,
            UIntPtr secretFormatLen, int jsonFallback, out VerifierHandle verifier, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verifier_new_custom(IntPtr scheme, [In] HooksigBytes[] secrets,
            UIntPtr nSecrets, long toleranceS, byte[] secretFormat, UIntPtr secretFormatLen, int jsonFallback,
            out VerifierHandle verifier, out IntPtr err);

        [DllImport(Lib)] internal static extern void hooksig_verifier_free(IntPtr verifier);

        [DllImport(Lib)]
        internal static extern int hooksig_verify(VerifierHandle verifier, [In] HooksigHeader[] headers,
            UIntPtr nHeaders, byte[] body, UIntPtr bodyLen, long now, out IntPtr verified, out IntPtr err);

        [DllImport(Lib)] internal static extern IntPtr hooksig_verified_scheme(IntPtr v, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern int hooksig_verified_has_timestamp(IntPtr v);
        [DllImport(Lib)] internal static extern long hooksig_verified_timestamp(IntPtr v);
        [DllImport(Lib)] internal static extern IntPtr hooksig_verified_id(IntPtr v, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_verified_event_type(IntPtr v, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_verified_key_index(IntPtr v);
        [DllImport(Lib)] internal static extern IntPtr hooksig_verified_payload(IntPtr v, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern void hooksig_verified_free(IntPtr v);
        [DllImport(Lib)] internal static extern IntPtr hooksig_verified_dedupe_key(IntPtr v, out UIntPtr lenOut);

        [DllImport(Lib)]
        internal static extern int hooksig_replay_guard_new(ulong ttlS, UIntPtr capacity, out ReplayGuardHandle guard,
            out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_replay_guard_new_for(VerifierHandle verifier, out ReplayGuardHandle guard,
            out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_replay_guard_check_and_remember(ReplayGuardHandle guard, byte[] key,
            UIntPtr keyLen, long now, out int isNew, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_replay_guard_forget(ReplayGuardHandle guard, byte[] key, UIntPtr keyLen,
            out IntPtr err);

        [DllImport(Lib)] internal static extern ulong hooksig_replay_guard_ttl(ReplayGuardHandle guard);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_replay_guard_capacity(ReplayGuardHandle guard);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_replay_guard_len(ReplayGuardHandle guard);
        [DllImport(Lib)] internal static extern void hooksig_replay_guard_free(IntPtr guard);
        [DllImport(Lib)] internal static extern ulong hooksig_replay_default_ttl(VerifierHandle verifier);

        [DllImport(Lib)]
        internal static extern int hooksig_sign(byte[] scheme, UIntPtr schemeLen, byte[] secret, UIntPtr secretLen,
            byte[] body, UIntPtr bodyLen, long timestamp, byte[] id, UIntPtr idLen, byte[] eventType,
            UIntPtr eventTypeLen, out IntPtr signed, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_sign_custom(IntPtr scheme, byte[] secret, UIntPtr secretLen,
            byte[] body, UIntPtr bodyLen, long timestamp, byte[] id, UIntPtr idLen, byte[] eventType,
            UIntPtr eventTypeLen, out IntPtr signed, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verifier_sign(VerifierHandle verifier, byte[] body, UIntPtr bodyLen,
            long timestamp, byte[] id, UIntPtr idLen, byte[] eventType, UIntPtr eventTypeLen,
            out IntPtr signed, out IntPtr err);

        [DllImport(Lib)] internal static extern UIntPtr hooksig_signed_headers_count(IntPtr h);
        [DllImport(Lib)] internal static extern IntPtr hooksig_signed_headers_name(IntPtr h, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_signed_headers_value(IntPtr h, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern void hooksig_signed_headers_free(IntPtr h);

        /// <summary>HOOKSIG_INVALID_ARGUMENT.</summary>
        internal const int InvalidArgument = 101;

        [DllImport(Lib)]
        internal static extern int hooksig_receiver_new(UIntPtr limit, out ReceiverHandle receiver, out IntPtr err);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_receiver_limit(ReceiverHandle receiver);

        [DllImport(Lib)]
        internal static extern int hooksig_receiver_start(ReceiverHandle receiver, byte[] method, UIntPtr methodLen,
            long contentLength, out IntPtr answer, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_receiver_body_too_large(ReceiverHandle receiver, out IntPtr answer, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_receiver_body_read_failed(ReceiverHandle receiver, out IntPtr answer, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_receiver_rejected_status(ReceiverHandle receiver, int status, out IntPtr answer,
            out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_receiver_guarded(ReceiverHandle receiver, int guardAnswer, out IntPtr answer,
            out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_receiver_received(ReceiverHandle receiver, IntPtr verified, out IntPtr answer,
            out IntPtr err);
        [DllImport(Lib)] internal static extern int hooksig_receiver_finished(ReceiverHandle receiver, int handlerStatus);
        [DllImport(Lib)] internal static extern void hooksig_receiver_free(IntPtr receiver);

        [DllImport(Lib)] internal static extern int hooksig_answer_status(IntPtr answer);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_answer_header_count(IntPtr answer);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_header_name(IntPtr answer, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_header_value(IntPtr answer, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_body(IntPtr answer, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern void hooksig_answer_free(IntPtr answer);

        private static readonly Lazy<ReceiverHandle> defaultReceiver = new Lazy<ReceiverHandle>(() =>
        {
            ReceiverHandle created;
            IntPtr err;
            Check(hooksig_receiver_new((UIntPtr)(ulong)Receiver.DefaultLimit, out created, out err), err);
            return created;
        });

        /// <summary>A receiver for the calls whose answer does not depend on one (the success body).</summary>
        internal static ReceiverHandle DefaultReceiver
        {
            get { return defaultReceiver.Value; }
        }

        /// <summary>Copies a hooksig_answer (every string through its length) and frees it; null for NULL.</summary>
        internal static ReceiverAnswer TakeAnswer(IntPtr answer)
        {
            if (answer == IntPtr.Zero) return null;
            try
            {
                var headers = new List<KeyValuePair<string, string>>();
                ulong n = hooksig_answer_header_count(answer).ToUInt64();
                for (ulong i = 0; i < n; i++)
                {
                    UIntPtr nameLen, valueLen;
                    IntPtr name = hooksig_answer_header_name(answer, (UIntPtr)i, out nameLen);
                    IntPtr value = hooksig_answer_header_value(answer, (UIntPtr)i, out valueLen);
                    headers.Add(new KeyValuePair<string, string>(Text(name, nameLen), Text(value, valueLen)));
                }
                UIntPtr bodyLen;
                IntPtr body = hooksig_answer_body(answer, out bodyLen);
                return new ReceiverAnswer(hooksig_answer_status(answer), Bytes(body, bodyLen), headers);
            }
            finally
            {
                hooksig_answer_free(answer);
            }
        }

        [DllImport(Lib)]
        internal static extern int hooksig_custom_scheme_new(byte[] id, UIntPtr idLen, byte[] signatureHeader,
            UIntPtr signatureHeaderLen, out IntPtr scheme, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_custom_scheme_set(IntPtr scheme, byte[] key, UIntPtr keyLen,
            byte[] value, UIntPtr valueLen, out IntPtr err);

        [DllImport(Lib)] internal static extern void hooksig_custom_scheme_free(IntPtr scheme);

        internal static byte[] Utf8(string s)
        {
            return s == null ? null : Encoding.UTF8.GetBytes(s);
        }

        /// <summary>A replay key as UTF-8; never null, and never an empty array (which the
        /// marshaller may pass as NULL): "" becomes a one-byte array passed with length 0.</summary>
        internal static byte[] Key(string key, out UIntPtr len)
        {
            if (key == null) throw new ArgumentNullException("key");
            byte[] bytes = Encoding.UTF8.GetBytes(key);
            len = (UIntPtr)bytes.Length;
            return bytes.Length == 0 ? new byte[1] : bytes;
        }

        internal static List<byte[]> Utf8All(IEnumerable<string> strings)
        {
            if (strings == null) throw new ArgumentNullException("secrets");
            var list = new List<byte[]>();
            foreach (var s in strings)
            {
                if (s == null) throw new ArgumentNullException("secrets", "a secret is null");
                list.Add(Utf8(s));
            }
            return list;
        }

        internal static UIntPtr Len(byte[] bytes)
        {
            return (UIntPtr)(bytes == null ? 0 : bytes.Length);
        }

        internal static byte[] Bytes(IntPtr ptr, UIntPtr len)
        {
            var bytes = new byte[(int)len.ToUInt64()];
            if (bytes.Length > 0) Marshal.Copy(ptr, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>A UTF-8 string of <paramref name="len"/> bytes owned by hooksig (NUL bytes
        /// included), or null when <paramref name="ptr"/> is NULL.</summary>
        internal static string Text(IntPtr ptr, UIntPtr len)
        {
            if (ptr == IntPtr.Zero) return null;
            return Encoding.UTF8.GetString(Bytes(ptr, len));
        }

        /// <summary>A NUL-terminated UTF-8 string owned by hooksig, or null (only for strings
        /// the C API returns without a length: messages, codes, names).</summary>
        internal static string Text(IntPtr ptr)
        {
            if (ptr == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(ptr, n) != 0) n++;
            var bytes = new byte[n];
            Marshal.Copy(ptr, bytes, 0, n);
            return Encoding.UTF8.GetString(bytes);
        }

        internal static IList<KeyValuePair<string, string>> TakeSignedHeaders(IntPtr signed)
        {
            try
            {
                var list = new List<KeyValuePair<string, string>>();
                ulong n = hooksig_signed_headers_count(signed).ToUInt64();
                for (ulong i = 0; i < n; i++)
                {
                    UIntPtr nameLen, valueLen;
                    IntPtr name = hooksig_signed_headers_name(signed, (UIntPtr)i, out nameLen);
                    IntPtr value = hooksig_signed_headers_value(signed, (UIntPtr)i, out valueLen);
                    list.Add(new KeyValuePair<string, string>(
                        Encoding.UTF8.GetString(Bytes(name, nameLen)), Encoding.UTF8.GetString(Bytes(value, valueLen))));
                }
                return list;
            }
            finally
            {
                hooksig_signed_headers_free(signed);
            }
        }

        /// <summary>Throws for a failed status; frees the error object.</summary>
        internal static void Check(int status, IntPtr err)
        {
            if (status == 0) return;
            string message = null, header = null;
            if (err != IntPtr.Zero)
            {
                message = Text(hooksig_error_message(err));
                header = Text(hooksig_error_header(err));
                hooksig_error_free(err);
            }
            throw ErrorMapper.FromStatus(status, message, header);
        }
    }

    /// <summary>
    /// The one place a C status becomes a .NET exception. Categories come from libhooksig (the
    /// core's table), never from a copy here.
    /// </summary>
    internal static class ErrorMapper
    {
        internal static HooksigException FromStatus(int status, string message, string header)
        {
            string code = Native.Text(Native.hooksig_status_code(status));
            message = message ?? Native.Text(Native.hooksig_status_message(status));
            if (Native.hooksig_status_is_verification_error(status) == 1)
                return new VerificationException(message, code, header, status);
            if (Native.hooksig_status_is_config_error(status) == 1)
                return new ConfigException(message, code, header, status);
            return new HooksigException(message, code, header, status);
        }
    }
}
