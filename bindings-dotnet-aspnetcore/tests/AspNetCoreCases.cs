// The shared receiver table (tests/receivers/cases.json) through Hooksig.AspNetCore's endpoint
// (WebhookEndpoint.Create) under Mono, on hand-made HttpContext objects built on the ASP.NET Core
// stubs: the request's header lines grouped by name into StringValues as Kestrel does, the body a
// stream, the answer read back from the response. No HTTP server runs; what this checks is the
// adapter's logic (method, body limit, headers, guard, handler, answer), not ASP.NET Core's.
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Hooksig.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Hooksig.Tests
{
    internal static class AspNetCoreCases
    {
        public static IReceiverUnderTest Start(Verifier verifier, IReplayGuard guard, Receiver receiver,
            Func<string, Func<Verified, ReceiverAnswer>> handlerFor, string publicUrl)
        {
            return new EndpointUnderTest(verifier, guard, receiver, handlerFor, publicUrl);
        }

        /// <summary>Twilio signs the URL the sender was given (the public one): behind a proxy the
        /// endpoint verifies it only with publicUrl (200), and answers 401 without it.</summary>
        public static void TwilioBehindProxy()
        {
            const string Secret = "12345678901234567890123456789012", Public = "https://hooks.example.com";
            byte[] body = System.Text.Encoding.UTF8.GetBytes("AccountSid=AC123&Body=Hello+%2B+bye");
            using (var verifier = new Verifier("twilio", Secret))
            {
                var lines = Webhook.Sign("twilio", Secret, body, url: Receiver.PublicUrl(Public, ReceiverCases.Path)).ToList();
                lines.Add(new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded"));
                foreach (string publicUrl in new[] { Public, null })
                {
                    int calls = 0;
                    var endpoint = new EndpointUnderTest(verifier, null, null, what => v =>
                    {
                        calls++;
                        return Receiver.Received(v);
                    }, publicUrl);
                    var response = endpoint.Send("POST", lines, body);
                    int want = publicUrl == null ? 401 : 200;
                    if (response.Status != want || calls != (publicUrl == null ? 0 : 1))
                        throw new Exception("publicUrl " + (publicUrl ?? "null") + ": status " + response.Status + ", handler calls " + calls);
                }
            }
        }

        private sealed class EndpointUnderTest : IReceiverUnderTest
        {
            private readonly Verifier verifier;
            private readonly IReplayGuard guard;
            private readonly Receiver receiver;
            private readonly Func<string, Func<Verified, ReceiverAnswer>> handlerFor;
            private readonly string publicUrl;

            public EndpointUnderTest(Verifier verifier, IReplayGuard guard, Receiver receiver,
                Func<string, Func<Verified, ReceiverAnswer>> handlerFor, string publicUrl)
            {
                this.verifier = verifier;
                this.guard = guard;
                this.receiver = receiver;
                this.handlerFor = handlerFor;
                this.publicUrl = publicUrl;
            }

            /// <summary>What Kestrel would report for a request to this Host (no server runs).</summary>
            public string Host
            {
                get { return "127.0.0.1:5080"; }
            }

            public ReceiverCases.Response Send(string method, List<KeyValuePair<string, string>> lines, byte[] body)
            {
                var request = new FakeRequest(method, lines, body, Host, ReceiverCases.Path);
                var context = new FakeContext(request);
                string what = lines.Where(h => string.Equals(h.Key, "X-Test-Handler", StringComparison.OrdinalIgnoreCase))
                    .Select(h => h.Value).FirstOrDefault();
                RequestDelegate endpoint = WebhookEndpoint.Create(verifier, guard, handlerFor(what), receiver, publicUrl);
                var response = (FakeResponse)context.Response;
                try
                {
                    endpoint(context).GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // An exception out of the endpoint (the handler raised): ASP.NET Core answers 500.
                    return new ReceiverCases.Response { Status = 500, Body = new byte[0] };
                }
                var answer = new ReceiverCases.Response { Status = response.StatusCode };
                if (response.ContentType != null)
                    answer.Headers.Add(new KeyValuePair<string, string>("Content-Type", response.ContentType));
                foreach (var h in response.Headers)
                    answer.Headers.Add(new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
                // HTTP sends no body in an answer to HEAD.
                answer.Body = method == "HEAD" ? new byte[0] : ((MemoryStream)response.Body).ToArray();
                return answer;
            }

            public void Dispose()
            {
            }
        }

        /// <summary>Header lines grouped by name (case-insensitive, first spelling kept), as Kestrel does.</summary>
        private sealed class FakeHeaders : IHeaderDictionary
        {
            private readonly List<KeyValuePair<string, StringValues>> entries = new List<KeyValuePair<string, StringValues>>();

            public FakeHeaders(IEnumerable<KeyValuePair<string, string>> lines = null)
            {
                foreach (var group in (lines ?? new KeyValuePair<string, string>[0])
                    .GroupBy(l => l.Key, StringComparer.OrdinalIgnoreCase))
                    entries.Add(new KeyValuePair<string, StringValues>(group.First().Key, group.Select(l => l.Value).ToArray()));
            }

            public StringValues this[string key]
            {
                get { return entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Select(e => e.Value).FirstOrDefault(); }
                set
                {
                    entries.RemoveAll(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));
                    entries.Add(new KeyValuePair<string, StringValues>(key, value));
                }
            }

            public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() { return entries.GetEnumerator(); }
            IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }
        }

        private sealed class FakeRequest : HttpRequest
        {
            private readonly IHeaderDictionary headers;

            public FakeRequest(string method, List<KeyValuePair<string, string>> lines, byte[] body, string host, string target)
            {
                Method = method;
                Scheme = "http";
                Host = new HostString(host);
                int query = target.IndexOf('?');
                Path = new PathString(query < 0 ? target : target.Substring(0, query));
                QueryString = new QueryString(query < 0 ? "" : target.Substring(query));
                headers = new FakeHeaders(lines);
                Body = new MemoryStream(body, false);
                ContentLength = body.Length;
            }

            public override string Method { get; set; }
            public override string Scheme { get; set; }
            public override HostString Host { get; set; }
            public override PathString PathBase { get; set; }
            public override PathString Path { get; set; }
            public override QueryString QueryString { get; set; }
            public override Stream Body { get; set; }
            public override long? ContentLength { get; set; }
            public override IHeaderDictionary Headers { get { return headers; } }
        }

        private sealed class FakeResponse : HttpResponse
        {
            private readonly IHeaderDictionary headers = new FakeHeaders();

            public FakeResponse()
            {
                StatusCode = 200;
                Body = new MemoryStream();
            }

            public override int StatusCode { get; set; }
            public override string ContentType { get; set; }
            public override Stream Body { get; set; }
            public override IHeaderDictionary Headers { get { return headers; } }
        }

        private sealed class FakeContext : HttpContext
        {
            private readonly HttpRequest request;
            private readonly HttpResponse response = new FakeResponse();

            public FakeContext(HttpRequest request) { this.request = request; }

            public override HttpRequest Request { get { return request; } }
            public override HttpResponse Response { get { return response; } }
        }
    }
}
