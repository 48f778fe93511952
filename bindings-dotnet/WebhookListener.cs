// The System.Net.HttpListener adapter over the core's receiver policy: reads the body within the
// limit, drives Receiver.Process (verify, replay guard, handler, keep or release the key) and
// writes exactly the answer (status, headers, Content-Type: application/json, body bytes).
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;

namespace Hooksig
{
    /// <summary>
    /// Answers one webhook request received by an <see cref="HttpListener"/> (Mono, .NET
    /// Framework, .NET). Every answer is the core's, identical in every hooksig integration:
    /// 405 + Allow: POST for other methods, 413 over the body limit, 400 for an unreadable body,
    /// the code's status for a failed verification ({"error":…,"message":…}), with a guard 200
    /// {"status":"duplicate"} / 409 / 503 (Retry-After: 30); otherwise the handler's answer.
    /// </summary>
    public static class WebhookListener
    {
        private static readonly Receiver DefaultReceiver = new Receiver();

        /// <summary>
        /// Answers <paramref name="context"/> and closes its response. A handler that throws (or
        /// returns null) has its key released and is answered 500 with no body (HttpListener has no
        /// error page of its own); the exception is returned for your logs (null otherwise).
        /// </summary>
        /// <param name="context">a request from <see cref="HttpListener.GetContext"/></param>
        /// <param name="verifier">the endpoint's verifier</param>
        /// <param name="guard">a replay guard (e.g. <see cref="ReplayGuard"/>), or null</param>
        /// <param name="handler">the application's work for a verified delivery; returns its
        /// answer (<see cref="Receiver.Received"/> is the canonical success body). A status outside
        /// 200-299 counts as failed: the key is released so that the sender's retry runs it again.</param>
        /// <param name="receiver">the policy (body limit); null: the default 10 MiB</param>
        /// <param name="publicUrl">for the schemes that sign the URL (twilio, square, hubspot): the public
        /// base URL the sender was given (e.g. "https://hooks.example.com"), when a proxy or load balancer
        /// stands in front; the URL is then it + the request's path and query. Null: the URL as received
        /// (http or https, the Host header, the path and query).</param>
        public static Exception Handle(HttpListenerContext context, Verifier verifier, IReplayGuard guard,
            Func<Verified, ReceiverAnswer> handler, Receiver receiver = null, string publicUrl = null)
        {
            if (context == null) throw new ArgumentNullException("context");
            if (verifier == null) throw new ArgumentNullException("verifier");
            if (handler == null) throw new ArgumentNullException("handler");
            receiver = receiver ?? DefaultReceiver;
            var request = context.Request;
            ReceiverAnswer answer = receiver.Start(request.HttpMethod, request.ContentLength64);
            if (answer == null)
            {
                byte[] body = ReadBody(request.InputStream, receiver, out answer);
                if (answer == null)
                {
                    try
                    {
                        string url = verifier.SignsRequest ? RequestUrl(request, publicUrl) : null;
                        answer = receiver.Process(verifier, guard, Headers(request), body, handler, url,
                            url == null ? null : request.HttpMethod);
                    }
                    catch (Exception e)
                    {
                        context.Response.StatusCode = 500;
                        context.Response.ContentLength64 = 0;
                        context.Response.Close();
                        return e;
                    }
                }
            }
            Write(context.Response, answer);
            return null;
        }

        /// <summary>The URL the sender requested: <paramref name="publicUrl"/> + path and query, or the
        /// URL as received (scheme, Host header, path and query as sent).</summary>
        private static string RequestUrl(HttpListenerRequest request, string publicUrl)
        {
            string target = request.RawUrl ?? "/";
            if (publicUrl != null) return Receiver.PublicUrl(publicUrl, target);
            string host = request.Headers["Host"] ?? request.Url.Authority;
            return (request.IsSecureConnection ? "https" : "http") + "://" + host + target;
        }

        /// <summary>At most <see cref="Receiver.Limit"/> bytes of body, or null and the core's 413 / 400.</summary>
        private static byte[] ReadBody(Stream input, Receiver receiver, out ReceiverAnswer answer)
        {
            answer = null;
            long limit = receiver.Limit;
            var body = new MemoryStream();
            var chunk = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = input.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (body.Length + n > limit)
                    {
                        answer = receiver.BodyTooLarge();
                        return null;
                    }
                    body.Write(chunk, 0, n);
                }
            }
            catch (Exception e) when (e is IOException || e is HttpListenerException || e is ObjectDisposedException)
            {
                answer = receiver.BodyReadFailed(); // the client went away, bad chunking
                return null;
            }
            return body.ToArray();
        }

        /// <summary>The headers as HttpListener gives them (one value per name; the core reads a
        /// comma-joined form). Mono's HttpListener keeps only the last line of a repeated header, so
        /// a valid signature followed by a junk copy is answered 401 there (fails closed).</summary>
        private static List<KeyValuePair<string, string>> Headers(HttpListenerRequest request)
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (string name in request.Headers.AllKeys)
                headers.Add(new KeyValuePair<string, string>(name, request.Headers.Get(name)));
            return headers;
        }

        /// <summary>Writes an answer exactly: status, headers, Content-Type, body bytes; closes the response.</summary>
        public static void Write(HttpListenerResponse response, ReceiverAnswer answer)
        {
            if (response == null) throw new ArgumentNullException("response");
            if (answer == null) throw new ArgumentNullException("answer");
            response.StatusCode = answer.Status;
            response.ContentType = answer.ResponseContentType;
            foreach (var header in answer.Headers) response.AddHeader(header.Key, header.Value);
            byte[] body = answer.BodyBytes;
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body, 0, body.Length);
            response.Close();
        }
    }
}
