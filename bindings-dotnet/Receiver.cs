// The core's receiver policy (hooksig::receive) through libhooksig's hooksig_receiver: which
// requests are answered before verification, the canonical answers, and when a handler failed.
// The adapters (WebhookListener; the ASP.NET Core example) drive it and never re-decide.
using System;
using System.Collections.Generic;

namespace Hooksig
{
    /// <summary>
    /// The receiver policy, decided by the core so that every hooksig integration answers the
    /// same status, headers and body bytes. Thread-safe and immutable: build one per endpoint and
    /// share it. An adapter drives one request as:
    /// <see cref="Start"/> (405 / 413 before reading the body) → read at most <see cref="Limit"/>
    /// bytes (<see cref="BodyTooLarge"/>, <see cref="BodyReadFailed"/>) → <see cref="Process"/>
    /// (verify, replay guard, handler, keep or release the key) → write the answer.
    /// </summary>
    public sealed class Receiver : IDisposable
    {
        /// <summary>The default body limit, 10 MiB (HOOKSIG_DEFAULT_BODY_LIMIT, the core's).</summary>
        public const long DefaultLimit = 10 * 1024 * 1024;

        private readonly ReceiverHandle handle;

        /// <summary>A receiver accepting bodies of at most <paramref name="limit"/> bytes (default 10 MiB).</summary>
        /// <exception cref="HooksigException">Code "invalid_argument": a negative limit</exception>
        public Receiver(long? limit = null)
        {
            // size_t in C: a negative value is refused here rather than wrapped around.
            if (limit.HasValue && limit.Value < 0)
                throw ErrorMapper.FromStatus(NativeMethods.InvalidArgument, "limit must be at least 0", null);
            ReceiverHandle created;
            IntPtr err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_new((UIntPtr)(ulong)(limit ?? DefaultLimit), out created, out err), err);
            handle = created;
        }

        /// <summary>The largest body accepted, in bytes: read at most this many.</summary>
        public long Limit
        {
            get { return (long)Math.Min(NativeMethods.hooksig_receiver_limit(handle).ToUInt64(), long.MaxValue); }
        }

        /// <summary>
        /// Before reading the body: the answer to write instead — 405 (Allow: POST) for any method
        /// other than POST (HEAD included), 413 for a declared Content-Length over the limit — or
        /// null (read at most <see cref="Limit"/> bytes).
        /// </summary>
        /// <param name="method">the request method, case-sensitive</param>
        /// <param name="contentLength">the declared Content-Length, or null</param>
        public ReceiverAnswer Start(string method, long? contentLength)
        {
            if (method == null) throw new ArgumentNullException("method");
            byte[] m = Utf8.Encode(method);
            IntPtr answer, err;
            // HOOKSIG_NO_CONTENT_LENGTH (-1) when none is declared (HttpListener says -1 too).
            long length = contentLength.HasValue && contentLength.Value >= 0 ? contentLength.Value : -1;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_start(handle, m, NativeBytes.Length(m), length, out answer, out err), err);
            return ReceiverAnswer.TakeNative(answer);
        }

        /// <summary>413 body_too_large: the body grew past the limit while it was read.</summary>
        public ReceiverAnswer BodyTooLarge()
        {
            IntPtr answer, err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_body_too_large(handle, out answer, out err), err);
            return ReceiverAnswer.TakeNative(answer);
        }

        /// <summary>400 body_read_failed: the client aborted, or the chunked encoding was bad.</summary>
        public ReceiverAnswer BodyReadFailed()
        {
            IntPtr answer, err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_body_read_failed(handle, out answer, out err), err);
            return ReceiverAnswer.TakeNative(answer);
        }

        /// <summary>The answer for a failed verification: the code's status and
        /// {"error":"&lt;code&gt;","message":"&lt;description&gt;"}.</summary>
        public ReceiverAnswer Rejected(HooksigException error)
        {
            if (error == null) throw new ArgumentNullException("error");
            IntPtr answer, err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_rejected_status(handle, error.Status, out answer, out err), err);
            return ReceiverAnswer.TakeNative(answer);
        }

        /// <summary>After the replay guard answered: null (run the handler), or the answer to
        /// write (200 {"status":"duplicate"}, 409 or 503 with Retry-After: 30).</summary>
        public ReceiverAnswer Guarded(GuardAnswer guardAnswer)
        {
            IntPtr answer, err;
            ErrorMapper.Check(NativeMethods.hooksig_receiver_guarded(handle, (int)guardAnswer, out answer, out err), err);
            return ReceiverAnswer.TakeNative(answer);
        }

        /// <summary>After the handler: the one rule for a failed handler in every language. It
        /// threw (<paramref name="status"/> null) or answered outside 200-299: release the key.</summary>
        public KeyAction Finished(int? status)
        {
            // HOOKSIG_HANDLER_RAISED (-1) when it threw.
            return (KeyAction)NativeMethods.hooksig_receiver_finished(handle, status ?? -1);
        }

        /// <summary>The success answer of the demo and test handlers: 200
        /// {"status":"received","scheme":…,"id":…,"event_type":…}.</summary>
        public static ReceiverAnswer Received(Verified verified)
        {
            if (verified == null) throw new ArgumentNullException("verified");
            return verified.ReceivedAnswer;
        }

        /// <summary>
        /// Verifies a request whose body was read within the limit and runs the handler at most
        /// once per delivery: a failed verification is the core's rejection; a vendor's endpoint
        /// handshake (Slack url_verification, Zoom endpoint.url_validation, Twitch
        /// webhook_callback_verification) is the core's answer, without guard or handler; with a guard, the
        /// guard's answer for <see cref="Verified.DedupeKey"/> may stop it (duplicate, in progress,
        /// unavailable); after the handler, <see cref="Finished"/> decides confirm or forget.
        /// Returns the answer to write (the handler's own on success). A handler that throws has
        /// its key released and the exception propagates (answer 500).
        /// </summary>
        /// <param name="verifier">the endpoint's verifier</param>
        /// <param name="guard">a replay guard, or null (the handler runs for every verified request)</param>
        /// <param name="headers">the request headers as received</param>
        /// <param name="body">the raw body bytes</param>
        /// <param name="handler">the application's work; returns its answer (e.g. <see cref="Received"/>)</param>
        /// <param name="url">the full URL the sender requested, for the schemes that sign it (see
        /// <see cref="Verifier.SignsRequest"/>, <see cref="PublicUrl"/>); null: none</param>
        /// <param name="method">the request's method (null: POST)</param>
        public ReceiverAnswer Process(Verifier verifier, IReplayGuard guard,
            IEnumerable<KeyValuePair<string, string>> headers, byte[] body, Func<Verified, ReceiverAnswer> handler,
            string url = null, string method = null)
        {
            if (verifier == null) throw new ArgumentNullException("verifier");
            if (handler == null) throw new ArgumentNullException("handler");
            Verified verified;
            try
            {
                verified = verifier.Verify(headers, body, null, url, method);
            }
            catch (VerificationException e)
            {
                return Rejected(e);
            }
            // A vendor's endpoint handshake is answered by the core: no guard, no handler.
            if (verified.HandshakeAnswer != null) return verified.HandshakeAnswer;
            if (guard == null) return Run(handler, verified);
            // Only verified deliveries reach the guard: forged requests cannot burn keys.
            string key = verified.DedupeKey;
            ReceiverAnswer stop = Guarded(guard.Check(key));
            if (stop != null) return stop;
            ReceiverAnswer answer;
            try
            {
                answer = Run(handler, verified);
            }
            catch
            {
                Settle(guard, key, Finished(null));
                throw;
            }
            Settle(guard, key, Finished(answer.Status));
            return answer;
        }

        private static ReceiverAnswer Run(Func<Verified, ReceiverAnswer> handler, Verified verified)
        {
            ReceiverAnswer answer = handler(verified);
            if (answer == null) throw new InvalidOperationException("the webhook handler returned no answer");
            return answer;
        }

        /// <summary>Carries out <see cref="Finished"/>'s decision, never throwing: a lost confirm
        /// or forget only makes the entry expire on its own.</summary>
        private static void Settle(IReplayGuard guard, string key, KeyAction action)
        {
            try
            {
                if (action == KeyAction.Keep) guard.Confirm(key);
                else guard.Forget(key);
            }
            catch (Exception)
            {
                // best effort, see above
            }
        }

        /// <summary>
        /// The URL a sender requested behind a proxy: the public base URL (e.g.
        /// "https://hooks.example.com", what the vendor was given) joined with the request's path
        /// and query with exactly one "/" (the core's RequestLine::public_url).
        /// </summary>
        /// <param name="publicUrl">the public base URL; trailing "/" ignored</param>
        /// <param name="pathAndQuery">the path and query as received, e.g. "/hooks/twilio?x=1"</param>
        public static string PublicUrl(string publicUrl, string pathAndQuery)
        {
            if (publicUrl == null) throw new ArgumentNullException("publicUrl");
            if (pathAndQuery == null) throw new ArgumentNullException("pathAndQuery");
            return publicUrl.TrimEnd('/') + "/" + pathAndQuery.TrimStart('/');
        }

        /// <summary>Frees the native receiver (once no other thread is inside a call).</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
