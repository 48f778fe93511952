// Hooksig for .NET: verify (and sign) webhook signatures in constant time through libhooksig
// (the hooksig C library) with P/Invoke. netstandard2.0, C# 7.x; no unsafe code.
//
// The library is loaded by name ("hooksig" -> libhooksig.so / hooksig.dll): on Linux put it on
// LD_LIBRARY_PATH or beside the application (Mono), or in runtimes/<rid>/native of a package.
//
// This file holds every P/Invoke declaration (and the structs they pass); the types that use
// them live one per file beside it.
using System;
using System.Runtime.InteropServices;

namespace Hooksig
{
    /// <summary>The P/Invoke declarations, matching bindings-c/include/hooksig.h.</summary>
    internal static class NativeMethods
    {
        private const string Lib = "hooksig";

        /// <summary>HOOKSIG_NOW: use the system clock.</summary>
        internal const long Now = long.MinValue;

        [DllImport(Lib)] internal static extern IntPtr hooksig_version();
        [DllImport(Lib)] internal static extern UIntPtr hooksig_scheme_builtin_count();
        [DllImport(Lib)] internal static extern IntPtr hooksig_scheme_builtin_id(UIntPtr index);

        [DllImport(Lib)]
        internal static extern int hooksig_scheme_from_name(byte[] name, UIntPtr nameLen, out IntPtr scheme, out IntPtr err);
        [DllImport(Lib)] internal static extern void hooksig_scheme_free(IntPtr scheme);

        [DllImport(Lib)] internal static extern int hooksig_custom_scheme_builder_new(out IntPtr builder, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_custom_scheme_builder_set(IntPtr builder, byte[] key, UIntPtr keyLen,
            byte[] value, UIntPtr valueLen, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_custom_scheme_builder_build(IntPtr builder, out IntPtr scheme, out IntPtr err);
        [DllImport(Lib)] internal static extern void hooksig_custom_scheme_builder_free(IntPtr builder);

        [DllImport(Lib)] internal static extern int hooksig_verifier_options_new(out IntPtr options, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_verifier_options_set_tolerance(IntPtr options, long toleranceS, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_verifier_options_set_secret_format(IntPtr options, byte[] format,
            UIntPtr formatLen, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_verifier_options_set_json_fallback(IntPtr options, int jsonFallback, out IntPtr err);
        [DllImport(Lib)] internal static extern void hooksig_verifier_options_free(IntPtr options);

        [DllImport(Lib)] internal static extern int hooksig_sign_options_new(out IntPtr options, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_sign_options_set_timestamp(IntPtr options, long timestamp, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_sign_options_set_id(IntPtr options, byte[] id, UIntPtr idLen, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_sign_options_set_event_type(IntPtr options, byte[] eventType,
            UIntPtr eventTypeLen, out IntPtr err);
        [DllImport(Lib)]
        internal static extern int hooksig_sign_options_set_request(IntPtr options, byte[] method, UIntPtr methodLen,
            byte[] url, UIntPtr urlLen, out IntPtr err);
        [DllImport(Lib)] internal static extern void hooksig_sign_options_free(IntPtr options);

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
        internal static extern int hooksig_verifier_new(IntPtr scheme, [In] HooksigBytes[] secrets, UIntPtr nSecrets,
            IntPtr options, out VerifierHandle verifier, out IntPtr err);

        [DllImport(Lib)] internal static extern void hooksig_verifier_free(IntPtr verifier);

        [DllImport(Lib)]
        internal static extern int hooksig_verifier_any_of([In] IntPtr[] verifiers, UIntPtr n,
            out VerifierHandle verifier, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verify(VerifierHandle verifier, [In] HooksigHeader[] headers,
            UIntPtr nHeaders, byte[] body, UIntPtr bodyLen, long now, out IntPtr verified, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verify_request(VerifierHandle verifier, [In] HooksigHeader[] headers,
            UIntPtr nHeaders, byte[] body, UIntPtr bodyLen, ref HooksigRequest request, long now, out IntPtr verified,
            out IntPtr err);

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
        [DllImport(Lib)] internal static extern long hooksig_verifier_tolerance(VerifierHandle verifier);
        [DllImport(Lib)]
        [return: MarshalAs(UnmanagedType.I1)]
        internal static extern bool hooksig_verifier_signs_request(VerifierHandle verifier);

        [DllImport(Lib)]
        internal static extern int hooksig_sign(IntPtr scheme, byte[] secret, UIntPtr secretLen, byte[] body,
            UIntPtr bodyLen, IntPtr options, out IntPtr signed, out IntPtr err);

        [DllImport(Lib)]
        internal static extern int hooksig_verifier_sign(VerifierHandle verifier, byte[] body, UIntPtr bodyLen,
            IntPtr options, out IntPtr signed, out IntPtr err);

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
        [DllImport(Lib)]
        internal static extern int hooksig_receiver_handshake(ReceiverHandle receiver, VerifierHandle verifier, IntPtr verified,
            [In] HooksigHeader[] headers, UIntPtr nHeaders, out IntPtr answer, out IntPtr err);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_content_type(IntPtr answer, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern int hooksig_receiver_finished(ReceiverHandle receiver, int handlerStatus);
        [DllImport(Lib)] internal static extern void hooksig_receiver_free(IntPtr receiver);

        [DllImport(Lib)] internal static extern int hooksig_answer_status(IntPtr answer);
        [DllImport(Lib)] internal static extern UIntPtr hooksig_answer_header_count(IntPtr answer);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_header_name(IntPtr answer, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_header_value(IntPtr answer, UIntPtr index, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern IntPtr hooksig_answer_body(IntPtr answer, out UIntPtr lenOut);
        [DllImport(Lib)] internal static extern void hooksig_answer_free(IntPtr answer);

        /// <summary>hooksig_bytes: a borrowed byte buffer (a secret).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct HooksigBytes
        {
            public IntPtr Ptr;
            public UIntPtr Len;
        }

        /// <summary>hooksig_header: one request header as received (name and raw value bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct HooksigHeader
        {
            public IntPtr Name;
            public UIntPtr NameLen;
            public IntPtr Value;
            public UIntPtr ValueLen;
        }

        /// <summary>hooksig_request: the request line (method, full URL) for the schemes that sign it.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct HooksigRequest
        {
            public IntPtr Method;
            public UIntPtr MethodLen;
            public IntPtr Url;
            public UIntPtr UrlLen;
        }
    }
}
