// The ASP.NET Core integration: an endpoint that reads the raw body within the receiver's limit,
// hands it to Receiver.Process (verification, replay guard, handler, key kept or released: the
// core's receiver policy) and writes the answer exactly. It decides nothing itself.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hooksig.AspNetCore
{
    /// <summary>
    /// Webhook endpoints for ASP.NET Core (minimal APIs and endpoint routing):
    /// <code>
    /// var verifier = new Verifier("stripe", Environment.GetEnvironmentVariable("STRIPE_WEBHOOK_SECRET"));
    /// app.MapWebhook("/webhooks/stripe", verifier, ReplayGuard.ForVerifier(verifier), verified =>
    /// {
    ///     var e = verified.Json&lt;StripeEvent&gt;();   // act on what was signed
    ///     return Receiver.Received(verified);        // 200 {"status":"received",...}
    /// });
    /// </code>
    /// Every method reaches the endpoint, so that a GET gets the core's JSON 405 with Allow: POST.
    /// Do not put a body-reading middleware (or [FromBody]) in front of it: the signature covers
    /// the raw bytes.
    /// </summary>
    public static class WebhookEndpoint
    {
        private static readonly Receiver DefaultReceiver = new Receiver();

        /// <summary>
        /// The endpoint as a <see cref="RequestDelegate"/>. A handler that throws (or returns null)
        /// has its key released and the exception reaches ASP.NET Core (its 500, its logs).
        /// </summary>
        /// <param name="verifier">the endpoint's verifier (thread-safe: one per endpoint)</param>
        /// <param name="guard">a replay guard (e.g. <see cref="ReplayGuard"/>), or null</param>
        /// <param name="handler">the application's work for a verified delivery; returns its
        /// answer. A status outside 200-299 counts as failed: the key is released so that the
        /// sender's retry runs it again.</param>
        /// <param name="receiver">the policy (body limit); null: the default 10 MiB</param>
        /// <param name="publicUrl">for the schemes that sign the URL (twilio, square, hubspot): the public
        /// base URL the sender was given (e.g. "https://hooks.example.com"), when a proxy or load balancer
        /// stands in front; the URL is then it + the request's path and query. Null: the URL as ASP.NET
        /// Core reports it (Scheme, Host, PathBase, Path, QueryString).</param>
        public static RequestDelegate Create(Verifier verifier, IReplayGuard guard,
            Func<Verified, ReceiverAnswer> handler, Receiver receiver = null, string publicUrl = null)
        {
            if (verifier == null) throw new ArgumentNullException("verifier");
            if (handler == null) throw new ArgumentNullException("handler");
            Receiver policy = receiver ?? DefaultReceiver;
            return async context =>
            {
                HttpRequest request = context.Request;
                ReceiverAnswer answer = policy.Start(request.Method, request.ContentLength);
                if (answer == null)
                {
                    byte[] body = null;
                    try
                    {
                        body = await ReadAtMost(request.Body, policy.Limit);
                        if (body == null) answer = policy.BodyTooLarge();
                    }
                    catch (IOException)
                    {
                        answer = policy.BodyReadFailed(); // the client went away
                    }
                    if (answer == null)
                    {
                        // Only the schemes that sign the request line need its URL.
                        string url = verifier.SignsRequest ? RequestUrl(request, publicUrl) : null;
                        answer = policy.Process(verifier, guard, Headers(request), body, handler, url,
                            url == null ? null : request.Method);
                    }
                }
                await Write(context.Response, answer);
            };
        }

        /// <summary>Maps <paramref name="pattern"/> (every method) to <see cref="Create"/>'s endpoint.</summary>
        public static IEndpointConventionBuilder MapWebhook(this IEndpointRouteBuilder endpoints, string pattern,
            Verifier verifier, IReplayGuard guard, Func<Verified, ReceiverAnswer> handler, Receiver receiver = null,
            string publicUrl = null)
        {
            if (endpoints == null) throw new ArgumentNullException("endpoints");
            return endpoints.Map(pattern, Create(verifier, guard, handler, receiver, publicUrl));
        }

        /// <summary>The URL the sender requested: <paramref name="publicUrl"/> + path and query, or the
        /// URL as ASP.NET Core reports it (what UriHelper.GetEncodedUrl builds).</summary>
        private static string RequestUrl(HttpRequest request, string publicUrl)
        {
            string target = request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
            if (publicUrl != null) return Receiver.PublicUrl(publicUrl, target);
            return request.Scheme + "://" + request.Host.ToUriComponent() + target;
        }

        /// <summary>Every line of every header, as received (the core reads repeats and joined forms).</summary>
        private static IEnumerable<KeyValuePair<string, string>> Headers(HttpRequest request)
        {
            return request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
        }

        /// <summary>The body, or null once it grows past <paramref name="limit"/> bytes.</summary>
        private static async Task<byte[]> ReadAtMost(Stream body, long limit)
        {
            using (var buffer = new MemoryStream())
            {
                var chunk = new byte[64 * 1024];
                int n;
                while ((n = await body.ReadAsync(chunk, 0, chunk.Length)) > 0)
                {
                    if (buffer.Length + n > limit) return null;
                    buffer.Write(chunk, 0, n);
                }
                return buffer.ToArray();
            }
        }

        /// <summary>Writes an answer exactly: status, headers, Content-Type, body bytes.</summary>
        private static Task Write(HttpResponse response, ReceiverAnswer answer)
        {
            response.StatusCode = answer.Status;
            response.ContentType = answer.ResponseContentType;
            foreach (var header in answer.Headers) response.Headers[header.Key] = header.Value;
            byte[] bytes = answer.BodyBytes;
            return response.Body.WriteAsync(bytes, 0, bytes.Length);
        }
    }
}
