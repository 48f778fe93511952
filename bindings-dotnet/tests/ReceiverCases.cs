// The shared receiver table (tests/receivers/cases.json, issue 13) over real HTTP: every case
// against hooksig's WebhookListener on a System.Net.HttpListener on a free 127.0.0.1 port, one
// fresh receiver per case (verifier, optional in-memory guard, optional body limit). The
// requests are written on a raw socket so that header names, case, order and repeats are
// exactly the table's; each answer is checked: status, exact body bytes (and Content-Type
// application/json), the listed headers, and how many times the handler ran so far.
//
// The harness handler obeys X-Test-Handler: `ok` answers the core's success body
// (Receiver.Received), `raise` throws, a number N answers N {"status":"handler_status"}.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;

namespace Hooksig.Tests
{
    /// <summary>A receiver under test: answers one request; Dispose stops it.</summary>
    internal interface IReceiverUnderTest : IDisposable
    {
        ReceiverCases.Response Send(string method, List<KeyValuePair<string, string>> headers, byte[] body);

        /// <summary>The Host the requests carry (the runner signs for http://Host/hook without public_url).</summary>
        string Host { get; }
    }

    /// <summary>Starts a receiver for one case: its verifier, guard (or null) and policy, the
    /// harness handler for a request's X-Test-Handler value, and the case's public_url (or null).</summary>
    internal delegate IReceiverUnderTest StartReceiver(Verifier verifier, IReplayGuard guard, Receiver receiver,
        Func<string, Func<Verified, ReceiverAnswer>> handlerFor, string publicUrl);

    internal static class ReceiverCases
    {
        private const string HandlerBody = "{\"status\":\"handler_status\"}";

        /// <summary>
        /// Why a case cannot apply to HttpListener under Mono, or null. Mono's HttpListenerRequest
        /// keeps only the LAST line of a repeated header ("X-A: one" + "X-A: two" → "two";
        /// <see cref="LastLineOnly"/> checks it), so a case that appends a junk copy after the valid
        /// signature line and expects it to be accepted cannot reach the adapter as sent: the
        /// adapter sees only the junk value and answers 401 (fails closed).
        /// </summary>
        private static string NotApplicable(Dictionary<string, object> c)
        {
            foreach (Dictionary<string, object> r in (List<object>)c["requests"])
            {
                var extra = Get(r, "extra_headers") as List<object>;
                long status = (long)((Dictionary<string, object>)r["expect"])["status"];
                if (extra == null || (Get(r, "extra_first") is bool && (bool)r["extra_first"]) || status < 200 || status > 299) continue;
                // Only a second line of the signature header is lost; a header of its own (Twitch's
                // message type) reaches the adapter.
                bool repeatsSignature = false;
                foreach (List<object> pair in extra)
                    repeatsSignature |= ((string)pair[0]).IndexOf("signature", StringComparison.OrdinalIgnoreCase) >= 0;
                if (!repeatsSignature) continue;
                return "Mono's HttpListener keeps only the last line of a repeated header, so the valid signature sent " +
                       "before the junk copy never reaches the adapter (it answers 401, failing closed)";
            }
            return null;
        }

        /// <summary>The Mono behaviour behind <see cref="NotApplicable"/>: if this fails, the runtime
        /// changed and those cases should run.</summary>
        public static void LastLineOnly()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            string seen = null;
            var server = new Thread(() =>
            {
                var context = listener.GetContext();
                seen = string.Join("|", context.Request.Headers.GetValues("X-Repeated") ?? new string[0]);
                context.Response.Close();
            });
            server.Start();
            try
            {
                Send(port, "POST", new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("X-Repeated", "one"),
                    new KeyValuePair<string, string>("X-Repeated", "two"),
                }, new byte[0]);
                server.Join();
                Equal("two", seen, "Mono's HttpListener: the values of a repeated header");
            }
            finally
            {
                listener.Stop();
                listener.Close();
            }
        }

        /// <summary>Runs every case through <paramref name="run"/>; returns how many ran and lists
        /// the ones not applicable.</summary>
        public static int RunAll(string path, Action<string, Action> run, List<string> notApplicable)
        {
            return RunAll(path, "HttpListener", StartListener, true, run, notApplicable);
        }

        /// <summary>Runs every case through the receivers <paramref name="start"/> makes;
        /// <paramref name="lastLineOnly"/>: the transport keeps only the last line of a repeated
        /// header (Mono's HttpListener), which makes some cases not applicable.</summary>
        public static int RunAll(string path, string label, StartReceiver start, bool lastLineOnly,
            Action<string, Action> run, List<string> notApplicable)
        {
            var doc = (Dictionary<string, object>)MiniJson.Parse(File.ReadAllText(path, Encoding.UTF8));
            int count = 0;
            foreach (Dictionary<string, object> c in (List<object>)doc["cases"])
            {
                string name = (string)c["name"];
                string reason = lastLineOnly ? NotApplicable(c) : null;
                if (reason != null)
                {
                    notApplicable.Add(name + ": " + reason);
                    continue;
                }
                count++;
                run("receivers/cases.json (" + label + "): " + name, () => RunCase(c, start));
            }
            return count;
        }

        private static object Get(Dictionary<string, object> d, string key)
        {
            object v;
            return d.TryGetValue(key, out v) ? v : null;
        }

        private static void RunCase(Dictionary<string, object> c, StartReceiver start)
        {
            string scheme = (string)c["scheme"], secret = (string)c["secret"];
            object guardKind = Get(c, "guard");
            if (guardKind != null && (string)guardKind != "memory") throw new Exception("unknown guard " + guardKind);
            object limit = Get(c, "limit");
            int calls = 0;
            // The harness handler, per request: X-Test-Handler `ok` answers the core's success
            // body, `raise` throws, a number N answers N with HandlerBody.
            Func<string, Func<Verified, ReceiverAnswer>> handlerFor = what => v =>
            {
                Interlocked.Increment(ref calls);
                what = what ?? "ok";
                if (what == "raise") throw new InvalidOperationException("the test handler raised");
                if (what == "ok") return Receiver.Received(v);
                return new ReceiverAnswer(int.Parse(what, CultureInfo.InvariantCulture), HandlerBody);
            };
            string publicUrl = (string)Get(c, "public_url");
            using (var verifier = new Verifier(scheme, secret))
            using (var guard = guardKind == null ? null : ReplayGuard.ForVerifier(verifier))
            using (var receiver = new Receiver(limit == null ? (long?)null : (long)limit))
            using (IReceiverUnderTest server = start(verifier, guard, receiver, handlerFor, publicUrl))
            {
                // The URL the sender requests: the public one behind the proxy, else the one the receiver sees.
                string url = publicUrl != null ? Receiver.PublicUrl(publicUrl, Path) : "http://" + server.Host + Path;
                var requests = (List<object>)c["requests"];
                for (int i = 0; i < requests.Count; i++)
                {
                    var r = (Dictionary<string, object>)requests[i];
                    string where = "request " + (i + 1);
                    byte[] body = BodyOf(Get(r, "body")) ?? new byte[0];
                    var response = server.Send((string)r["method"], HeadersOf(c, r, body, url), body);
                    var e = (Dictionary<string, object>)r["expect"];
                    Equal((long)e["status"], (long)response.Status, where + ": status (body " + Latin1(response.Body) + ")");
                    object expectedBody = Get(e, "body");
                    if (expectedBody != null)
                    {
                        Equal(Latin1(Encoding.UTF8.GetBytes((string)expectedBody)), Latin1(response.Body), where + ": body bytes");
                    }
                    var headers = (Dictionary<string, object>)Get(e, "headers");
                    bool typed = headers != null && headers.Keys.Any(k => string.Equals(k, "Content-Type", StringComparison.OrdinalIgnoreCase));
                    if (expectedBody != null && !typed) // else compared with the expected headers
                        Equal("application/json", response.Header("Content-Type"), where + ": content-type");
                    if (headers != null)
                    {
                        foreach (var h in headers) Equal((string)h.Value, response.Header(h.Key), where + ": header " + h.Key);
                    }
                    object handlerCalls = Get(e, "handler_calls");
                    if (handlerCalls != null) Equal((long)handlerCalls, (long)Volatile.Read(ref calls), where + ": handler calls");
                }
            }
        }

        /// <summary>WebhookListener.Handle on an HttpListener on 127.0.0.1, over real HTTP.</summary>
        public static IReceiverUnderTest StartListener(Verifier verifier, IReplayGuard guard, Receiver receiver,
            Func<string, Func<Verified, ReceiverAnswer>> handlerFor, string publicUrl)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            var server = new Thread(() =>
            {
                while (true)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = listener.GetContext();
                    }
                    catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
                    {
                        return; // stopped
                    }
                    WebhookListener.Handle(context, verifier, guard, handlerFor(context.Request.Headers["X-Test-Handler"]), receiver,
                        publicUrl);
                }
            });
            server.Start();
            return new ListenerUnderTest(port, listener, server);
        }

        private sealed class ListenerUnderTest : IReceiverUnderTest
        {
            private readonly int port;
            private readonly HttpListener listener;
            private readonly Thread server;

            public ListenerUnderTest(int port, HttpListener listener, Thread server)
            {
                this.port = port;
                this.listener = listener;
                this.server = server;
            }

            public Response Send(string method, List<KeyValuePair<string, string>> headers, byte[] body)
            {
                return ReceiverCases.Send(port, method, headers, body);
            }

            public string Host
            {
                get { return "127.0.0.1:" + port; }
            }

            public void Dispose()
            {
                listener.Stop();
                listener.Close();
                server.Join();
            }
        }

        private static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new Exception(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        private static string Latin1(byte[] bytes)
        {
            string s = Encoding.GetEncoding("ISO-8859-1").GetString(bytes);
            return s.Length > 300 ? s.Substring(0, 300) + "..." : s;
        }

        // ---- requests ---------------------------------------------------------------------

        private static byte[] BodyOf(object spec)
        {
            if (spec == null) return null;
            var d = (Dictionary<string, object>)spec;
            if (d.ContainsKey("text")) return Encoding.UTF8.GetBytes((string)d["text"]);
            if (d.ContainsKey("hex"))
            {
                string hex = (string)d["hex"];
                var bytes = new byte[hex.Length / 2];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
                return bytes;
            }
            if (d.ContainsKey("repeat"))
            {
                var text = new StringBuilder();
                for (long i = 0; i < (long)d["count"]; i++) text.Append((string)d["repeat"]);
                return Encoding.UTF8.GetBytes(text.ToString());
            }
            throw new Exception("unknown body spec");
        }

        /// <summary>A header name in the case's header_case ('mixed': even positions lower, odd upper).</summary>
        private static string Cased(string name, object mode)
        {
            if (mode == null) return name;
            switch ((string)mode)
            {
                case "upper": return name.ToUpperInvariant();
                case "lower": return name.ToLowerInvariant();
                case "mixed":
                    return new string(name.Select((ch, i) => i % 2 == 0 ? char.ToLowerInvariant(ch) : char.ToUpperInvariant(ch)).ToArray());
                default: throw new Exception("unknown header_case " + mode);
            }
        }

        /// <summary>
        /// The request's header lines, in order: the signed headers (unless sign is false) and
        /// Content-Type: application/json, with the overrides applied (matched case-insensitively;
        /// null removes), then extra_headers (before them with extra_first); every name in
        /// header_case; then X-Test-Handler.
        /// </summary>
        private static List<KeyValuePair<string, string>> HeadersOf(Dictionary<string, object> c, Dictionary<string, object> r,
            byte[] body, string url)
        {
            var headers = new List<KeyValuePair<string, string>>();
            object sign = Get(r, "sign");
            if (!(sign is bool) || (bool)sign)
            {
                var s = (Dictionary<string, object>)sign ?? new Dictionary<string, object>();
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + (Get(s, "ts_offset") == null ? 0 : (long)s["ts_offset"]);
                byte[] signedBody = Get(s, "body") == null ? body : BodyOf(s["body"]);
                // Schemes that sign the request line sign for the URL requested (or sign.url); others ignore it.
                headers.AddRange(Webhook.Sign((string)c["scheme"], (string)(Get(s, "secret") ?? c["secret"]), signedBody, now,
                    (string)Get(s, "id"), (string)Get(s, "event_type"), (string)Get(s, "url") ?? url, (string)r["method"]));
            }
            headers.Add(new KeyValuePair<string, string>("Content-Type", "application/json"));
            var overrides = (Dictionary<string, object>)Get(r, "overrides");
            if (overrides != null)
            {
                foreach (var o in overrides)
                {
                    int at = headers.FindIndex(h => string.Equals(h.Key, o.Key, StringComparison.OrdinalIgnoreCase));
                    headers.RemoveAll(h => string.Equals(h.Key, o.Key, StringComparison.OrdinalIgnoreCase));
                    if (o.Value != null)
                        headers.Insert(at < 0 ? headers.Count : at, new KeyValuePair<string, string>(o.Key, (string)o.Value));
                }
            }
            var extra = ((List<object>)Get(r, "extra_headers") ?? new List<object>())
                .Cast<List<object>>().Select(p => new KeyValuePair<string, string>((string)p[0], (string)p[1])).ToList();
            if (Get(r, "extra_first") is bool && (bool)r["extra_first"]) headers.InsertRange(0, extra);
            else headers.AddRange(extra);
            object mode = Get(r, "header_case");
            headers = headers.Select(h => new KeyValuePair<string, string>(Cased(h.Key, mode), h.Value)).ToList();
            object handler = Get(r, "handler");
            if (handler != null)
            {
                string value = handler is string ? (string)handler
                    : ((long)((Dictionary<string, object>)handler)["status"]).ToString(CultureInfo.InvariantCulture);
                headers.Add(new KeyValuePair<string, string>("X-Test-Handler", value));
            }
            return headers;
        }

        internal sealed class Response
        {
            public int Status;
            public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
            public byte[] Body;

            /// <summary>The header's value (several joined by ", "), names case-insensitive; null if absent.</summary>
            public string Header(string name)
            {
                var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
                return values.Count == 0 ? null : string.Join(", ", values);
            }
        }

        /// <summary>The path every request of the table goes to.</summary>
        internal const string Path = "/hook";

        /// <summary>One HTTP/1.1 request with exactly these header lines, then Host, Content-Length
        /// and Connection: close; the response read to its Content-Length (or the end).</summary>
        internal static Response Send(int port, string method, List<KeyValuePair<string, string>> headers, byte[] body)
        {
            var head = new StringBuilder();
            head.Append(method).Append(" ").Append(Path).Append(" HTTP/1.1\r\n");
            foreach (var h in headers) head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            head.Append("Host: 127.0.0.1:").Append(port).Append("\r\n");
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
            head.Append("Connection: close\r\n\r\n");
            using (var client = new TcpClient())
            {
                client.Connect(IPAddress.Loopback, port);
                client.ReceiveTimeout = 10000;
                var stream = client.GetStream();
                byte[] headBytes = Encoding.UTF8.GetBytes(head.ToString());
                var request = new byte[headBytes.Length + body.Length];
                Buffer.BlockCopy(headBytes, 0, request, 0, headBytes.Length);
                Buffer.BlockCopy(body, 0, request, headBytes.Length, body.Length);
                try
                {
                    stream.Write(request, 0, request.Length);
                }
                catch (IOException)
                {
                    // The server may answer (413, 405) and close before reading the whole body.
                }
                return Read(stream, method == "HEAD");
            }
        }

        private static Response Read(Stream stream, bool head)
        {
            var data = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int end = -1;
            var response = new Response();
            long contentLength = -1;
            while (true)
            {
                int n;
                try
                {
                    n = stream.Read(buffer, 0, buffer.Length);
                }
                catch (IOException)
                {
                    n = 0; // reset after the response: keep what arrived
                }
                if (n > 0) data.Write(buffer, 0, n);
                byte[] all = data.ToArray();
                if (end < 0)
                {
                    end = IndexOf(all, Encoding.ASCII.GetBytes("\r\n\r\n"));
                    if (end >= 0)
                    {
                        string[] lines = Encoding.GetEncoding("ISO-8859-1").GetString(all, 0, end).Split(new[] { "\r\n" }, StringSplitOptions.None);
                        response.Status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
                        foreach (string line in lines.Skip(1))
                        {
                            int colon = line.IndexOf(':');
                            response.Headers.Add(new KeyValuePair<string, string>(line.Substring(0, colon), line.Substring(colon + 1).Trim()));
                        }
                        string length = response.Header("Content-Length");
                        if (head) contentLength = 0;
                        else if (length != null) contentLength = long.Parse(length, CultureInfo.InvariantCulture);
                        else if (response.Header("Transfer-Encoding") != null) throw new Exception("chunked answers are not expected");
                    }
                }
                if (end >= 0 && contentLength >= 0 && all.Length - end - 4 >= contentLength)
                {
                    response.Body = new byte[contentLength];
                    Buffer.BlockCopy(all, end + 4, response.Body, 0, (int)contentLength);
                    return response;
                }
                if (n == 0)
                {
                    if (end < 0) throw new Exception("the connection closed before a response (" + all.Length + " bytes)");
                    response.Body = new byte[all.Length - end - 4];
                    Buffer.BlockCopy(all, end + 4, response.Body, 0, response.Body.Length);
                    return response;
                }
            }
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }
}
