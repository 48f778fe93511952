// One HTTP answer: the core's canonical answers (Receiver) and the handler's own.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Text;

namespace Hooksig
{
    /// <summary>
    /// One HTTP answer: write <see cref="Status"/>, <see cref="Headers"/>, Content-Type
    /// <see cref="ResponseContentType"/> and exactly <see cref="BodyBytes"/>. The answers of a
    /// <see cref="Receiver"/> are the core's bytes, identical in every hooksig integration; a
    /// handler returns its own (e.g. <see cref="Receiver.Received"/>).
    /// </summary>
    public sealed class ReceiverAnswer
    {
        /// <summary>The Content-Type of every JSON answer: "application/json" (an answer's own is
        /// <see cref="ResponseContentType"/>: Twitch's handshake answer is text/plain).</summary>
        public const string ContentType = "application/json";

        private readonly byte[] body;

        /// <summary>An answer with a JSON body (UTF-8) and optional extra headers.</summary>
        /// <exception cref="ArgumentNullException">body is null</exception>
        public ReceiverAnswer(int status, string body, IEnumerable<KeyValuePair<string, string>> headers = null)
            : this(status, Encoding.UTF8.GetBytes(body ?? throw new ArgumentNullException("body")), headers) { }

        internal ReceiverAnswer(int status, byte[] body, IEnumerable<KeyValuePair<string, string>> headers,
            string contentType = ContentType)
        {
            Status = status;
            ResponseContentType = contentType;
            this.body = body;
            Headers = new ReadOnlyCollection<KeyValuePair<string, string>>(
                new List<KeyValuePair<string, string>>(headers ?? new KeyValuePair<string, string>[0]));
        }

        /// <summary>Copies a hooksig_answer (every string through its length) and frees it; null for NULL.</summary>
        internal static ReceiverAnswer TakeNative(IntPtr answer)
        {
            if (answer == IntPtr.Zero) return null;
            try
            {
                var headers = new List<KeyValuePair<string, string>>();
                ulong n = NativeMethods.hooksig_answer_header_count(answer).ToUInt64();
                for (ulong i = 0; i < n; i++)
                {
                    UIntPtr nameLen, valueLen;
                    IntPtr name = NativeMethods.hooksig_answer_header_name(answer, (UIntPtr)i, out nameLen);
                    IntPtr value = NativeMethods.hooksig_answer_header_value(answer, (UIntPtr)i, out valueLen);
                    headers.Add(new KeyValuePair<string, string>(Utf8.Decode(name, nameLen), Utf8.Decode(value, valueLen)));
                }
                UIntPtr bodyLen;
                IntPtr body = NativeMethods.hooksig_answer_body(answer, out bodyLen);
                UIntPtr typeLen;
                IntPtr type = NativeMethods.hooksig_answer_content_type(answer, out typeLen);
                return new ReceiverAnswer(NativeMethods.hooksig_answer_status(answer), NativeBytes.Copy(body, bodyLen), headers,
                    Utf8.Decode(type, typeLen));
            }
            finally
            {
                NativeMethods.hooksig_answer_free(answer);
            }
        }

        /// <summary>The Content-Type to write, the core's: "application/json", or
        /// "text/plain; charset=utf-8" for Twitch's handshake answer (the challenge as text).</summary>
        public string ResponseContentType { get; private set; }

        /// <summary>The HTTP status.</summary>
        public int Status { get; private set; }

        /// <summary>Headers besides Content-Type (Allow, Retry-After), in the order to write them.</summary>
        public IList<KeyValuePair<string, string>> Headers { get; private set; }

        /// <summary>The body as text (JSON, or Twitch's challenge).</summary>
        public string Body
        {
            get { return Encoding.UTF8.GetString(body); }
        }

        /// <summary>The JSON body's exact bytes (a copy).</summary>
        public byte[] BodyBytes
        {
            get { return (byte[])body.Clone(); }
        }
    }
}
