// C# tests for the Hooksig library (bindings-dotnet/*.cs), compiled with mcs and run under mono
// against the real libhooksig.so: every vector, the API, 8 threads sharing one verifier, and the
// HttpListener receiver.
// Usage: mono tests.exe VECTORS_DIR HOOKSIG_CSPROJ BAD_INPUTS_JSON RECEIVER_CASES_JSON.
// Prints `N passed, N failed`.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Hooksig.Examples;

namespace Hooksig.Tests
{
    public static class Tests
    {
        private static int passed, failed;

        private static void Run(string name, Action test)
        {
            try
            {
                test();
                passed++;
            }
            catch (Exception e)
            {
                failed++;
                Console.Error.WriteLine("FAIL " + name + ": " + e.GetType().Name + ": " + e.Message);
            }
        }

        private static void Assert(bool condition, string what)
        {
            if (!condition) throw new Exception("assertion failed: " + what);
        }

        private static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new Exception(what + ": expected <" + expected + ">, got <" + actual + ">");
        }

        private static T Throws<T>(Action action) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            throw new Exception("expected " + typeof(T).Name);
        }

        private static byte[] Utf8(string s)
        {
            return Encoding.UTF8.GetBytes(s);
        }

        public static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("usage: tests.exe VECTORS_DIR HOOKSIG_CSPROJ BAD_INPUTS_JSON RECEIVER_CASES_JSON");
                return 2;
            }
            int cases = RunVectors(args[0]);
            Console.WriteLine("vector cases run: " + cases);
            Run("at least one vector case", () => Assert(cases > 0, "vector files found"));
            Run("version matches the csproj", () => VersionMatchesCsproj(args[1]));
            Run("github documented example", GithubDocumentedExample);
            Run("header shapes", HeaderShapes);
            Run("verification errors", VerificationErrors);
            Run("config errors", ConfigErrors);
            Run("misuse", Misuse);
            Run("binary body and rotation", BinaryBodyAndRotation);
            Run("json fallback payload", JsonFallbackPayload);
            Run("Json<T>() parses the payload", JsonOfPayload);
            Run("custom scheme", CustomSchemeSignAndVerify);
            Run("sign matches HMACSHA256", SignMatchesIndependentHmac);
            Run("schemes", () => Assert(Webhook.Schemes.Count == 43 && Webhook.Schemes.Contains("stripe"), "43 schemes"));
            Run("request line: url and method on Verify and Sign, SignsRequest, PublicUrl", RequestLine);
            Run("HttpListener receiver: a Twilio form POST behind a proxy needs publicUrl", ListenerTwilioBehindProxy);
            Run("dispose", Dispose);
            Run("8 threads share one verifier", EightThreads);
            Run("HttpListener receiver", ListenerReceiverAnswers);
            Run("dedupe keys", DedupeKeys);
            Run("AnyOf: one verifier over several, the matched scheme", AnyOf);
            Run("AnyOf: the README lines", AnyOfReadme);
            Run("URL schemes: the README lines", UrlSchemesReadme);
            Run("replay guard: duplicates, injected clock, forget", ReplayGuardContract);
            Run("replay guard: arguments and dispose", ReplayGuardArguments);
            Run("replay guard: 8 threads race on the same keys", ReplayGuardRace);
            Run("HttpListener receiver drops duplicates", ListenerReceiverDropsDuplicates);
            int badCases = RunBadInputTable(args[2]);
            Console.WriteLine("bad-input cases run: " + badCases);
            Run("at least one bad-input case", () => Assert(badCases > 0, "bad-input cases found"));
            Run("bad inputs: null for each argument", NullArguments);
            Run("bad inputs: null where documented", NullWhereDocumented);
            Run("bad inputs: NUL and unpaired surrogates in names and values", NulAndSurrogates);
            Run("NUL bytes in the id, event type and dedupe key come back whole", NulInReturnedStrings);
            Run("receiver: C# conversions (limit, content length, statuses, answers)", ReceiverConversions);
            var notApplicable = new List<string>();
            int receiverCases = ReceiverCases.RunAll(args[3], Run, notApplicable);
            Console.WriteLine("receiver cases run over HTTP (HttpListener): " + receiverCases + ", not applicable: " + notApplicable.Count);
            foreach (string na in notApplicable) Console.WriteLine("  not applicable: " + na);
            Run("at least one receiver case", () => Assert(receiverCases > 0, "receiver cases found"));
            Run("Mono's HttpListener keeps the last line of a repeated header (why cases are not applicable)", ReceiverCases.LastLineOnly);
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }

        // ---- vectors -------------------------------------------------------------------------

        private static int RunVectors(string dir)
        {
            int count = 0;
            foreach (string file in Directory.GetFiles(dir, "*.json").OrderBy(f => f, StringComparer.Ordinal))
            {
                var doc = (Dictionary<string, object>)MiniJson.Parse(File.ReadAllText(file, Encoding.UTF8));
                var blocks = doc.ContainsKey("blocks") ? ((List<object>)doc["blocks"]).Cast<Dictionary<string, object>>().ToList()
                                                       : new List<Dictionary<string, object>> { doc };
                foreach (var block in blocks)
                {
                    foreach (Dictionary<string, object> c in (List<object>)block["cases"])
                    {
                        count++;
                        var scheme = block["scheme"];
                        Run(Path.GetFileName(file) + " " + c["name"], () => RunCase(scheme, c));
                    }
                }
            }
            return count;
        }

        private static object Get(Dictionary<string, object> d, string key)
        {
            object v;
            return d.TryGetValue(key, out v) ? v : null;
        }

        private static CustomScheme Custom(object scheme)
        {
            var def = (Dictionary<string, object>)((Dictionary<string, object>)scheme)["custom"];
            var custom = new CustomScheme((string)def["id"], (string)def["signature_header"]);
            foreach (var kv in def)
            {
                string value = kv.Value is bool ? ((bool)kv.Value ? "true" : "false") : (string)kv.Value;
                custom.Set(kv.Key, value);
            }
            return custom;
        }

        private static byte[] Body(Dictionary<string, object> c)
        {
            if (c.ContainsKey("body")) return Utf8((string)c["body"]);
            if (c.ContainsKey("body_base64")) return Convert.FromBase64String((string)c["body_base64"]);
            var rep = (Dictionary<string, object>)c["body_repeat"]; // before + text * count + after
            var before = Utf8(rep.ContainsKey("before") ? (string)rep["before"] : "");
            var after = Utf8(rep.ContainsKey("after") ? (string)rep["after"] : "");
            var unit = Utf8((string)rep["text"]);
            long n = (long)rep["count"];
            var body = new byte[before.Length + unit.Length * n + after.Length];
            Buffer.BlockCopy(before, 0, body, 0, before.Length);
            for (long i = 0; i < n; i++) Buffer.BlockCopy(unit, 0, body, (int)(before.Length + i * unit.Length), unit.Length);
            Buffer.BlockCopy(after, 0, body, (int)(before.Length + unit.Length * n), after.Length);
            return body;
        }

        private static Verifier MakeVerifier(object scheme, IEnumerable<string> secrets, Dictionary<string, object> c)
        {
            long? tolerance = c.ContainsKey("tolerance") ? (long?)(long)c["tolerance"] : null; // absent: not given
            string format = (string)Get(c, "secret_format") ?? "auto";
            bool? fallback = c.ContainsKey("json_fallback") ? (bool?)(bool)c["json_fallback"] : null;
            return scheme is string
                ? new Verifier((string)scheme, secrets, tolerance, format, fallback)
                : new Verifier(Custom(scheme), secrets, tolerance, format, fallback);
        }

        private static void RunCase(object scheme, Dictionary<string, object> c)
        {
            var secrets = ((List<object>)c["secrets"]).Cast<string>().ToList();
            byte[] body = Body(c);
            // The request line (twilio, square, hubspot), passed only when the case has one.
            var request = (Dictionary<string, object>)Get(c, "request");
            string url = request == null ? null : (string)Get(request, "url");
            string method = request == null ? null : (string)Get(request, "method");
            if ((string)Get(c, "op") == "sign")
            {
                var expected = ((List<object>)c["expect_headers"]).Cast<List<object>>()
                    .Select(p => new KeyValuePair<string, string>((string)p[0], (string)p[1])).ToList();
                long? ts = c.ContainsKey("timestamp") ? (long?)(long)c["timestamp"] : null;
                string id = (string)Get(c, "id"), ev = (string)Get(c, "event_type");
                using (var v = MakeVerifier(scheme, secrets.Take(1), c))
                    Assert(expected.SequenceEqual(v.Sign(body, ts, id, ev, url, method)), "Verifier.Sign headers");
                if (!c.ContainsKey("secret_format"))
                {
                    var signed = scheme is string ? Webhook.Sign((string)scheme, secrets[0], body, ts, id, ev, url, method)
                                                  : Webhook.Sign(Custom(scheme), secrets[0], body, ts, id, ev, url, method);
                    Assert(expected.SequenceEqual(signed), "Webhook.Sign headers");
                }
                return;
            }
            var expect = (Dictionary<string, object>)c["expect"];
            var headers = ((List<object>)c["headers"]).Cast<List<object>>()
                .Select(p => new KeyValuePair<string, string>((string)p[0], (string)p[1])).ToList();
            long now = (long)c["now"];
            Verified result;
            try
            {
                using (var v = MakeVerifier(scheme, secrets, c))
                    result = request == null ? v.Verify(headers, body, now) : v.Verify(headers, body, now, url: url, method: method);
            }
            catch (HooksigException e)
            {
                Assert(!(bool)expect["ok"], "unexpected " + e.Code + ": " + e.Message);
                Equal((string)expect["error"], e.Code, "code");
                // invalid_argument (a scheme that signs the URL, verified without one) is a
                // configuration error in the core's table.
                bool config = e.Code == "invalid_secret" || e.Code == "unknown_scheme" || e.Code == "invalid_config"
                    || e.Code == "invalid_argument";
                Assert(config ? e is ConfigException : e is VerificationException, "exception class for " + e.Code);
                if (expect.ContainsKey("header")) Equal((string)expect["header"], e.Header, "header");
                return;
            }
            Assert((bool)expect["ok"], "expected " + Get(expect, "error"));
            Equal((int)(long)expect["key_index"], result.KeyIndex, "key_index");
            Equal(expect["timestamp"] == null ? (long?)null : (long)expect["timestamp"], result.Timestamp, "timestamp");
            Equal((string)expect["id"], result.Id, "id");
            Equal((string)expect["event_type"], result.EventType, "event_type");
            if (expect.ContainsKey("dedupe_key")) Equal((string)expect["dedupe_key"], result.DedupeKey, "dedupe_key");
            byte[] payload = expect.ContainsKey("payload") ? Utf8((string)expect["payload"]) : body;
            Assert(payload.SequenceEqual(result.Payload), "payload");
        }

        // ---- API -------------------------------------------------------------------------------

        private static void VersionMatchesCsproj(string csproj)
        {
            var m = Regex.Match(File.ReadAllText(csproj), "<Version>([^<]+)</Version>");
            Assert(m.Success, "the csproj has a <Version>");
            Equal(m.Groups[1].Value, Webhook.Version, "Hooksig.csproj <Version> vs hooksig_version()");
        }

        private const string GithubSecret = "It's a Secret to Everybody";

        private static void GithubDocumentedExample()
        {
            using (var v = new Verifier("github", GithubSecret))
            {
                var headers = new Dictionary<string, string>
                {
                    { "X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
                    { "X-GitHub-Event", "ping" },
                };
                var r = v.Verify(headers, Utf8("Hello, World!"));
                Equal("github", r.Scheme, "scheme");
                Equal("ping", r.EventType, "event");
                Equal(null, r.Timestamp, "timestamp");
            }
        }

        private static void HeaderShapes()
        {
            byte[] body = Utf8("{\"id\":\"evt_1\",\"type\":\"invoice.paid\"}");
            var signed = Webhook.Sign("stripe", "whsec_k", body, 1767225600);
            using (var v = new Verifier("stripe", "whsec_k"))
            {
                var dict = signed.ToDictionary(kv => kv.Key.ToLowerInvariant(), kv => kv.Value);
                Equal("evt_1", v.Verify(dict, body, 1767225600).Id, "lower-case dictionary");
                var repeated = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("STRIPE-SIGNATURE", "t=1767225600,v1=" + new string('0', 64)),
                    signed[0],
                };
                Equal("invoice.paid", v.Verify(repeated, body, 1767225600).EventType, "repeated header");
            }
        }

        private static void VerificationErrors()
        {
            byte[] body = Utf8("{\"event\":\"license.created\"}");
            var headers = Webhook.Sign("algoguard", "whsec_abc", body, 1700000000);
            using (var v = new Verifier("algoguard", "whsec_abc"))
            {
                var e = Throws<VerificationException>(() => v.Verify(new Dictionary<string, string>(), body, 1700000000));
                Equal("missing_signature", e.Code, "code");
                Equal(400, e.HttpStatus, "http");
                Equal("X-AlgoGuard-Signature", e.Header, "header");
                e = Throws<VerificationException>(() => v.Verify(headers, body, 1700000000 + 301));
                Equal("timestamp_expired", e.Code, "code");
                Equal(401, e.HttpStatus, "http");
                Equal("X-AlgoGuard-Timestamp", e.Header, "header");
                e = Throws<VerificationException>(() => v.Verify(headers, Utf8("{}"), 1700000000));
                Equal("signature_mismatch", e.Code, "code");
                Assert(!e.Message.Contains("whsec_abc"), "no secret in the message");
                Equal(8, e.Status, "numeric status");
            }
        }

        private static void ConfigErrors()
        {
            Equal("unknown_scheme", Throws<ConfigException>(() => new Verifier("nope", "x")).Code, "unknown");
            var e = Throws<ConfigException>(() => new Verifier("github", " padded "));
            Equal("invalid_secret", e.Code, "secret");
            Assert(!e.Message.Contains("padded"), "secret not echoed");
            Equal(500, e.HttpStatus, "http");
            Equal(null, e.Header, "no header");
            Equal("invalid_config", Throws<ConfigException>(() => new Verifier("github", new[] { "x" }, -1)).Code, "tolerance");
            Equal("invalid_config", Throws<ConfigException>(() => new Verifier("github", new[] { "x" }, long.MinValue)).Code,
                "tolerance long.MinValue is not C's scheme-default sentinel");
            Equal("invalid_config", Throws<ConfigException>(() => new Verifier("github", new[] { "x" }, 300, "rot13")).Code, "format");
            Equal("invalid_secret", Throws<ConfigException>(() => new Verifier("github", new string[0])).Code, "no secrets");
            using (var t = new Verifier("twitch", "s3cret")) Equal(600L, t.Tolerance, "twitch default tolerance");
            using (var b = new Verifier("box", new[] { "s3cret" }, null)) Equal(600L, b.Tolerance, "box default tolerance");
            using (var st = new Verifier("stripe", "s3cret")) Equal(300L, st.Tolerance, "stripe default tolerance");
            using (var t3 = new Verifier("twitch", new[] { "s3cret" }, 300)) Equal(300L, t3.Tolerance, "explicit 300");
        }

        private static void Misuse()
        {
            // Lone surrogates become U+FFFD in UTF-8, so provoke a C-level error another way:
            // an unknown custom scheme option is a config error, a null header name is fine.
            var e = Throws<ConfigException>(() => Webhook.Sign(new CustomScheme("x", "X-S").Set("colour", "blue"), "k", new byte[0]));
            Equal("invalid_config", e.Code, "unknown option");
            Throws<ArgumentNullException>(() => new Verifier("github", "k").Verify(null, new byte[0]));
        }

        private static void BinaryBodyAndRotation()
        {
            byte[] body = { 0, 255, 0, 98, 105, 110, 0 };
            var headers = Webhook.Sign("shopify", "new-key", body);
            using (var v = new Verifier("shopify", new[] { "old-key", "new-key" }))
            {
                var r = v.Verify(headers, body);
                Assert(body.SequenceEqual(r.Payload), "payload keeps NUL bytes");
                Equal(1, r.KeyIndex, "rotation index");
            }
        }

        private static void JsonFallbackPayload()
        {
            var headers = Webhook.Sign("chaindoc", "k", Utf8("{\"a\":1,\"b\":[1,2]}"), null, null, "document.created");
            byte[] received = Utf8("{ \"a\": 1, \"b\": [1, 2] }");
            using (var v = new Verifier("chaindoc", "k"))
            {
                var r = v.Verify(headers, received);
                Equal("{\"a\":1,\"b\":[1,2]}", Encoding.UTF8.GetString(r.Payload), "signed payload");
                Equal("document.created", r.EventType, "event");
            }
            using (var off = new Verifier("chaindoc", new[] { "k" }, 300, "auto", false))
                Equal("signature_mismatch", Throws<VerificationException>(() => off.Verify(headers, received)).Code, "fallback off");
        }

        [System.Runtime.Serialization.DataContract]
        private sealed class PushEvent
        {
            [System.Runtime.Serialization.DataMember(Name = "type")] public string Type = null;
            [System.Runtime.Serialization.DataMember(Name = "n")] public double[] N = null;
        }

        private static void JsonOfPayload()
        {
            using (var v = new Verifier("github", "k"))
            {
                byte[] body = Utf8("{\"type\":\"push\",\"n\":[1,2.5]}");
                var e = v.Verify(Webhook.Sign("github", "k", body), body).Json<PushEvent>();
                Equal("push", e.Type, "type");
                Assert(e.N.Length == 2 && e.N[1] == 2.5, "n");
                byte[] form = Utf8("id=1&type=push");
                Throws<System.Runtime.Serialization.SerializationException>(
                    () => v.Verify(Webhook.Sign("github", "k", form), form).Json<PushEvent>());
            }
        }

        private static void CustomSchemeSignAndVerify()
        {
            var acme = new CustomScheme("acme", "X-Acme-Signature")
                .Set("timestamp_header", "X-Acme-Timestamp")
                .Set("template", "{ts}.{body}")
                .Set("prefix", "v1=")
                .Set("algorithm", "sha512")
                .Set("encoding", "base64");
            var headers = Webhook.Sign(acme, "k3y", Utf8("{}"), 1700000000);
            string expected;
            using (var hmac = new HMACSHA512(Utf8("k3y")))
                expected = "v1=" + Convert.ToBase64String(hmac.ComputeHash(Utf8("1700000000.{}")));
            Equal(expected, headers[0].Value, "signature");
            Equal("X-Acme-Timestamp", headers[1].Key, "timestamp header");
            using (var v = new Verifier(acme, new[] { "k3y" }))
                Equal("acme", v.Verify(headers, Utf8("{}"), 1700000000).Scheme, "scheme id");
        }

        private static void SignMatchesIndependentHmac()
        {
            var headers = Webhook.Sign("algoguard", "whsec_demo", Utf8("{\"x\":1}"), 1767225600);
            string hex;
            using (var hmac = new HMACSHA256(Utf8("whsec_demo")))
                hex = BitConverter.ToString(hmac.ComputeHash(Utf8("1767225600.{\"x\":1}"))).Replace("-", "").ToLowerInvariant();
            Equal("X-AlgoGuard-Signature", headers[0].Key, "name");
            Equal("sha256=" + hex, headers[0].Value, "value");
            Equal("1767225600", headers[1].Value, "timestamp");
        }

        private static void Dispose()
        {
            var v = new Verifier("github", GithubSecret);
            v.Dispose();
            v.Dispose(); // idempotent
            Throws<ObjectDisposedException>(() => v.Verify(new Dictionary<string, string>(), new byte[0]));
        }

        private static void EightThreads()
        {
            int failures = 0;
            using (var v = new Verifier("stripe", "whsec_shared"))
            {
                var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
                {
                    for (int r = 0; r < 100; r++)
                    {
                        byte[] body = Utf8("{\"id\":\"evt_" + t + "_" + r + "\"}");
                        long now = 1767225600 + r;
                        var headers = Webhook.Sign("stripe", "whsec_shared", body, now);
                        try
                        {
                            var ok = v.Verify(headers, body, now);
                            if (ok.Id != "evt_" + t + "_" + r || ok.Timestamp != now) Interlocked.Increment(ref failures);
                            body[3] = (byte)'X';
                            v.Verify(headers, body, now);
                            Interlocked.Increment(ref failures); // tampered body accepted
                        }
                        catch (VerificationException e)
                        {
                            if (e.Code != "signature_mismatch") Interlocked.Increment(ref failures);
                        }
                    }
                })).ToList();
                threads.ForEach(th => th.Start());
                threads.ForEach(th => th.Join());
            }
            Equal(0, failures, "failures across 8 threads");
        }

        // ---- the HttpListener receiver (examples/dotnet/Listener) -----------------------------

        private static int Send(string method, string url, IEnumerable<KeyValuePair<string, string>> headers, byte[] body,
            out string text, out string allow)
        {
            var request = (HttpWebRequest)WebRequest.Create(url);
            request.Method = method;
            foreach (var h in headers) request.Headers.Add(h.Key, h.Value);
            if (body != null)
            {
                using (var s = request.GetRequestStream()) s.Write(body, 0, body.Length);
            }
            HttpWebResponse response;
            try
            {
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (WebException e)
            {
                response = (HttpWebResponse)e.Response;
                if (response == null) throw;
            }
            using (response)
            using (var reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
            {
                text = reader.ReadToEnd();
                allow = response.Headers["Allow"];
                return (int)response.StatusCode;
            }
        }

        // ---- the request line (twilio, square, hubspot) -----------------------------------------

        private static void RequestLine()
        {
            const string Url = "https://hooks.example.com/square?x=1";
            byte[] body = Utf8("{\"event_id\":\"sq-1\",\"type\":\"payment.created\"}");
            using (var square = new Verifier("square", "sq-key"))
            using (var github = new Verifier("github", "k"))
            using (var any = Verifier.AnyOf(github, square))
            {
                Assert(square.SignsRequest && !github.SignsRequest && any.SignsRequest, "SignsRequest");
                var headers = Webhook.Sign("square", "sq-key", body, url: Url);
                Assert(headers.SequenceEqual(square.Sign(body, url: Url, method: "POST")), "Webhook.Sign = Verifier.Sign");
                Equal("square", square.Verify(headers, body, url: Url).Scheme, "verified (method null: POST)");
                Equal("square", any.Verify(headers, body, null, Url, "POST").Scheme, "verified through AnyOf");
                Equal("signature_mismatch",
                    Throws<VerificationException>(() => square.Verify(headers, body, url: Url + "&y=2")).Code, "another URL");
                // Without the URL (or an empty one) the scheme cannot verify: invalid_argument, not null_argument.
                Equal("invalid_argument", Throws<HooksigException>(() => square.Verify(headers, body)).Code, "no URL");
                Equal("invalid_argument", Throws<HooksigException>(() => square.Verify(headers, body, url: "")).Code, "empty URL");
                Equal("invalid_argument", Throws<HooksigException>(() => Webhook.Sign("square", "sq-key", body)).Code, "sign, no URL");
                // Other schemes ignore the request line.
                var gh = Webhook.Sign("github", "k", body);
                Assert(gh.SequenceEqual(Webhook.Sign("github", "k", body, url: Url, method: "PUT")), "github ignores the URL");
                Equal("github", github.Verify(gh, body, url: "https://elsewhere.example/", method: "GET").Scheme, "github verifies");
            }
            // HubSpot signs the method too.
            using (var hubspot = new Verifier("hubspot", "client-secret"))
            {
                var headers = hubspot.Sign(body, url: "https://h.example/hs", method: "PUT");
                Equal("hubspot", hubspot.Verify(headers, body, url: "https://h.example/hs", method: "PUT").Scheme, "PUT");
                Equal("signature_mismatch",
                    Throws<VerificationException>(() => hubspot.Verify(headers, body, url: "https://h.example/hs")).Code, "POST");
            }
            Equal("https://hooks.example.com/hook?a=1", Receiver.PublicUrl("https://hooks.example.com/", "/hook?a=1"), "join /");
            Equal("https://hooks.example.com/hook", Receiver.PublicUrl("https://hooks.example.com", "hook"), "join none");
            Equal("https://h.example/p/x", Receiver.PublicUrl("https://h.example/p//", "//x"), "join many");
            Throws<ArgumentNullException>(() => Receiver.PublicUrl(null, "/x"));
        }

        /// <summary>WebhookListener over HTTP: Twilio signs the URL the sender was given (the public
        /// one); behind a proxy the listener sees another, so it verifies only with publicUrl.</summary>
        private static void ListenerTwilioBehindProxy()
        {
            const string Public = "https://hooks.example.com/";
            byte[] body = Utf8("AccountSid=AC123&Body=Hello+%2B+bye&From=%2B14155550100");
            using (var verifier = new Verifier("twilio", "12345678901234567890123456789012"))
            {
                var headers = Webhook.Sign("twilio", "12345678901234567890123456789012", body,
                    url: Receiver.PublicUrl(Public, ReceiverCases.Path)).ToList();
                headers.Add(new KeyValuePair<string, string>("Content-Type", "application/x-www-form-urlencoded"));
                foreach (string publicUrl in new[] { Public, null })
                {
                    int calls = 0;
                    Func<string, Func<Verified, ReceiverAnswer>> handlerFor = what => v =>
                    {
                        Interlocked.Increment(ref calls);
                        return Receiver.Received(v);
                    };
                    using (var receiver = new Receiver())
                    using (var server = ReceiverCases.StartListener(verifier, null, receiver, handlerFor, publicUrl))
                    {
                        var response = server.Send("POST", headers, body);
                        string text = Encoding.UTF8.GetString(response.Body);
                        if (publicUrl != null)
                        {
                            Equal(200, response.Status, "with publicUrl: " + text);
                            Equal("{\"status\":\"received\",\"scheme\":\"twilio\",\"id\":null,\"event_type\":null}", text, "body");
                            Equal(1, calls, "handler ran");
                        }
                        else
                        {
                            Equal(401, response.Status, "without publicUrl: " + text);
                            Equal("signature_mismatch", (string)((Dictionary<string, object>)MiniJson.Parse(text))["error"], "code");
                            Equal(0, calls, "handler not run");
                        }
                    }
                }
            }
        }

        private static int Post(string url, IEnumerable<KeyValuePair<string, string>> headers, byte[] body, out string text)
        {
            var request = (HttpWebRequest)WebRequest.Create(url);
            request.Method = "POST";
            request.ContentType = "application/json";
            foreach (var h in headers) request.Headers.Add(h.Key, h.Value);
            using (var s = request.GetRequestStream()) s.Write(body, 0, body.Length);
            HttpWebResponse response;
            try
            {
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (WebException e)
            {
                response = (HttpWebResponse)e.Response;
                if (response == null) throw;
            }
            using (response)
            using (var reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
            {
                text = reader.ReadToEnd();
                return (int)response.StatusCode;
            }
        }

        private static void ListenerReceiverAnswers()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            string prefix = "http://127.0.0.1:" + port + "/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            listener.Start();
            using (var verifier = new Verifier("easycart", "easycart-key"))
            using (var guard = ReplayGuard.ForVerifier(verifier))
            {
                int handled = 0;
                var server = new Thread(() => ListenerReceiver.Serve(listener, verifier, guard, e =>
                {
                    Interlocked.Increment(ref handled);
                    return Receiver.Received(e);
                }));
                server.Start();
                try
                {
                    byte[] body = Utf8("{\"order_id\":\"EC-1001\",\"status\":\"paid\"}");
                    var headers = Webhook.Sign("easycart", "easycart-key", body);
                    string text;
                    // A GET carrying a validly signed delivery's headers: 405, and nothing runs.
                    foreach (string method in new[] { "GET", "DELETE", "PUT" })
                    {
                        string allow;
                        Equal(405, Send(method, prefix + "webhook", headers, method == "PUT" ? body : null, out text, out allow), method);
                        Equal("POST", allow, method + " Allow");
                        var answer = (Dictionary<string, object>)MiniJson.Parse(text);
                        Equal("method_not_allowed", (string)answer["error"], method + " error");
                    }
                    Equal(0, handled, "no handler run for GET/DELETE/PUT");
                    Equal(200, Post(prefix + "webhook", headers, body, out text), "valid");
                    Equal(1, handled, "the POST ran the handler (the GET did not remember the delivery)");
                    Equal("{\"status\":\"received\",\"scheme\":\"easycart\",\"id\":null,\"event_type\":null}", text, "received");
                    Equal(401, Post(prefix + "webhook", headers, Utf8("{}"), out text), "tampered");
                    Equal("signature_mismatch", (string)((Dictionary<string, object>)MiniJson.Parse(text))["error"], "tampered code");
                    Equal(400, Post(prefix + "webhook", new KeyValuePair<string, string>[0], body, out text), "missing");
                    Equal("missing_signature", (string)((Dictionary<string, object>)MiniJson.Parse(text))["error"], "missing code");
                    var malformed = new[] { new KeyValuePair<string, string>("X-Webhook-Signature", "xyz") };
                    Equal(400, Post(prefix + "webhook", malformed, body, out text), "malformed");
                    Equal(404, Post(prefix + "elsewhere", headers, body, out text), "unknown route");
                }
                finally
                {
                    listener.Stop();
                    listener.Close();
                    server.Join();
                }
            }
        }
    
        // ---- the receiver policy (its answers' bytes are the shared table's, ReceiverCases.cs) ---

        private static void ReceiverConversions()
        {
            using (var receiver = new Receiver())
            {
                Equal(10L * 1024 * 1024, receiver.Limit, "default limit");
                Equal(Receiver.DefaultLimit, receiver.Limit, "DefaultLimit");
                Assert(receiver.Start("POST", null) == null, "POST without a length");
                Assert(receiver.Start("POST", -1) == null, "HttpListener's -1: no declared length");
                Assert(receiver.Start("POST", Receiver.DefaultLimit) == null, "POST at the limit");
                var tooLarge = receiver.Start("POST", long.MaxValue);
                Equal(413, tooLarge.Status, "declared length over the limit");
                Equal(ReceiverAnswer.ContentType, "application/json", "content type");
                var get = receiver.Start("get", 0);
                Equal(405, get.Status, "methods are case-sensitive");
                Equal("Allow", get.Headers[0].Key, "Allow");
                Equal("POST", get.Headers[0].Value, "Allow value");
                Equal(get.Body, Encoding.UTF8.GetString(get.BodyBytes), "Body and BodyBytes agree");
                Equal(KeyAction.Keep, receiver.Finished(204), "2xx keeps");
                Equal(KeyAction.Release, receiver.Finished(422), "4xx releases");
                Equal(KeyAction.Release, receiver.Finished(null), "a handler that threw releases");
                Equal(KeyAction.Release, receiver.Finished(-5), "a nonsense status releases");
                Assert(receiver.Guarded(GuardAnswer.New) == null, "new: run the handler");
                Equal("30", receiver.Guarded(GuardAnswer.Unavailable).Headers[0].Value, "Retry-After");
                Equal(400, receiver.BodyReadFailed().Status, "body_read_failed");
                Equal(413, receiver.BodyTooLarge().Status, "body_too_large");
                var error = Throws<HooksigException>(() => receiver.Guarded((GuardAnswer)7));
                Equal("invalid_argument", error.Code, "unknown guard answer");
                // Any core code has its canonical answer (a config error's is its 500).
                var config = Throws<ConfigException>(() => new Verifier("nope", "s"));
                var configAnswer = receiver.Rejected(config);
                Equal(config.HttpStatus, configAnswer.Status, "config error status");
                Assert(configAnswer.Body.StartsWith("{\"error\":\"unknown_scheme\",\"message\":"), configAnswer.Body);
                Throws<ArgumentNullException>(() => receiver.Start(null, 0));
                Throws<ArgumentNullException>(() => receiver.Rejected(null));
                Throws<ArgumentNullException>(() => Receiver.Received(null));
            }
            Equal("invalid_argument", Throws<HooksigException>(() => new Receiver(-1)).Code, "negative limit");
            using (var empty = new Receiver(0))
            {
                Equal(0L, empty.Limit, "limit 0 admits only empty bodies");
                Equal(413, empty.Start("POST", 1).Status, "one byte over 0");
            }
            var disposed = new Receiver();
            disposed.Dispose();
            Throws<ObjectDisposedException>(() => disposed.Start("POST", 0));
            // Receiver.Received works for any Verified, also one from Verifier.Verify.
            byte[] body = Utf8("{\"id\":\"evt_\\\"q\",\"type\":\"a\"}");
            using (var verifier = new Verifier("stripe", "whsec_k"))
            {
                var verified = verifier.Verify(verifier.Sign(body, 1000), body, 1000);
                Equal("{\"status\":\"received\",\"scheme\":\"stripe\",\"id\":\"evt_\\\"q\",\"event_type\":\"a\"}",
                    Receiver.Received(verified).Body, "received body");
                using (var receiver = new Receiver())
                {
                    int calls = 0;
                    Func<Verified, ReceiverAnswer> ok = v => { calls++; return Receiver.Received(v); };
                    var guard = ReplayGuard.ForVerifier(verifier);
                    var tampered = receiver.Process(verifier, guard, verifier.Sign(body, 1000), Utf8("{}"), ok);
                    Equal(401, tampered.Status, "a rejected request is the core's answer, not an exception");
                    Equal(0, calls, "no handler for a rejected request");
                    // Process verifies with the clock: sign now.
                    var headers = verifier.Sign(body);
                    Equal(200, receiver.Process(verifier, guard, headers, body, ok).Status, "first");
                    Equal("{\"status\":\"duplicate\"}", receiver.Process(verifier, guard, headers, body, ok).Body, "again");
                    Equal(1, calls, "handler ran once");
                    Throws<InvalidOperationException>(() => receiver.Process(verifier, null, headers, body, v => null));
                }
            }
        }

        // ---- replay guard ----------------------------------------------------------------------

        private static void DedupeKeys()
        {
            byte[] body = Utf8("{\"id\":\"evt_42\",\"event\":\"license.created\"}");
            using (var v = new Verifier("algoguard", "whsec_k"))
            {
                var first = v.Verify(Webhook.Sign("algoguard", "whsec_k", body, 1767225600), body, 1767225600);
                Equal("algoguard:id:evt_42", first.DedupeKey, "id-based key");
                var retry = v.Verify(Webhook.Sign("algoguard", "whsec_k", body, 1767225700), body, 1767225700);
                Equal(first.DedupeKey, retry.DedupeKey, "a retry signed later has the same key");
                Equal(660L, v.ReplayTtl, "ttl = past + future tolerance + 60");
            }
            using (var v = new Verifier("easycart", "k"))
            {
                string a = v.Verify(Webhook.Sign("easycart", "k", Utf8("{\"n\":1}")), Utf8("{\"n\":1}")).DedupeKey;
                Assert(Regex.IsMatch(a, "^easycart:sig:[0-9a-f]{32}$"), "signature-based key " + a);
                string b = v.Verify(Webhook.Sign("easycart", "k", Utf8("{\"n\":2}")), Utf8("{\"n\":2}")).DedupeKey;
                Assert(a != b, "different deliveries, different keys");
                Equal(86400L, v.ReplayTtl, "a day without timestamps");
            }
        }

        // Verifier.AnyOf: the conversions (the selection rules are the core's, tested there).
        private static void AnyOf()
        {
            var stripe = new Verifier("stripe", "whsec_stripe_any_of");
            var github = new Verifier("github", "github_any_of");
            var slack = new Verifier("slack", "slack_any_of");
            var any = Verifier.AnyOf(stripe, github, slack);
            // The composite shares the keys: the members may go first.
            stripe.Dispose();
            github.Dispose();
            slack.Dispose();
            using (any)
            {
                byte[] body = Utf8("{\"id\":\"evt_1\",\"type\":\"charge.succeeded\"}");
                var ok = any.Verify(Webhook.Sign("stripe", "whsec_stripe_any_of", body, 1767225600), body, 1767225600);
                Equal("stripe", ok.Scheme, "stripe matched");
                Equal("stripe:id:evt_1", ok.DedupeKey, "stripe's dedupe key");
                byte[] empty = Utf8("{}");
                ok = any.Verify(Webhook.Sign("github", "github_any_of", empty, null, "d-1", "push"), empty);
                Equal("github", ok.Scheme, "github matched");
                Equal("push", ok.EventType, "github's event header");
                byte[] hello = Utf8("{\"type\":\"url_verification\",\"challenge\":\"ch4ll\"}");
                using (var receiver = new Receiver())
                {
                    var answer = receiver.Process(any, null, Webhook.Sign("slack", "slack_any_of", hello), hello,
                        v => { throw new Exception("the handler ran for a handshake"); });
                    Equal("{\"challenge\":\"ch4ll\"}", answer.Body, "slack's handshake answered by the core");
                }
                Equal(86400L, any.ReplayTtl, "the longest ttl (github: untimed)");
                var e = Throws<VerificationException>(() => any.Verify(new Dictionary<string, string>(), empty));
                Equal("missing_signature", e.Code, "no vendor's header");
                Equal("Stripe-Signature", e.Header, "the first configured header");
                var c = Throws<ConfigException>(() => any.Sign(empty));
                Assert(c.Message.Contains("sign with one of its verifiers"), c.Message);
                c = Throws<ConfigException>(() => Verifier.AnyOf(any));
                Equal("invalid_config", c.Code, "nested");
            }
            Equal("invalid_config", Throws<ConfigException>(() => Verifier.AnyOf()).Code, "none");
            Throws<ArgumentNullException>(() => Verifier.AnyOf(null));
            Throws<ArgumentNullException>(() => Verifier.AnyOf(new Verifier("github", "x1"), null));
            Throws<ObjectDisposedException>(() => Verifier.AnyOf(any));
        }

        private static void AnyOfReadme()
        {
            {
                // The README's lines, as written.
                var any = Verifier.AnyOf(new Verifier("stripe", "whsec_stripe_any_of"),
                                         new Verifier("github", "github_any_of"));
                byte[] empty = Encoding.UTF8.GetBytes("{}");
                var ok = any.Verify(Webhook.Sign("github", "github_any_of", empty, null, "d-1", "push"), empty);
                Equal("github", ok.Scheme, "README: the scheme");
                Assert(ok.DedupeKey.StartsWith("github:sig:"), "README: the dedupe key");
                any.Dispose();
            }
        }

        private static void UrlSchemesReadme()
        {
            {
                // The README's lines, as written.
                var twilio = new Verifier("twilio", "12345678901234567890123456789012");
                byte[] form = Encoding.UTF8.GetBytes("AccountSid=AC123&Body=Hello");
                string url = Receiver.PublicUrl("https://hooks.example.com", "/sms?tenant=acme");
                var headers = Webhook.Sign("twilio", "12345678901234567890123456789012", form, url: url);
                var sms = twilio.Verify(headers, form, url: url, method: "POST");   // sms.Scheme == "twilio"
                Equal("twilio", sms.Scheme, "README: the scheme");
                Equal("https://hooks.example.com/sms?tenant=acme", url, "README: the URL");
                twilio.Dispose();
            }
        }

        private static void ReplayGuardContract()
        {
            using (var g = new ReplayGuard(300, 1000))
            {
                Equal(300L, g.Ttl, "ttl");
                Equal(1000L, g.Capacity, "capacity");
                Assert(g.CheckAndRemember("k1", 1000), "new");
                Assert(!g.CheckAndRemember("k1", 1000), "duplicate");
                Assert(!g.CheckAndRemember("k1", 1299), "still remembered");
                Assert(g.CheckAndRemember("k1", 1300), "expired at now + ttl");
                Assert(!g.CheckAndRemember("k1", 1301), "remembered again");
                Assert(g.CheckAndRemember("k2", 1000), "another key");
                g.Forget("k2");
                Assert(g.CheckAndRemember("k2", 1001), "forgotten: new again");
                g.Forget("never-seen");
                Assert(g.CheckAndRemember("", 1000), "the empty key");
                Assert(!g.CheckAndRemember("", 1000), "the empty key, twice");
                Assert(g.CheckAndRemember("caf\u00e9", 1000) && !g.CheckAndRemember("caf\u00e9", 1000), "non-ASCII key");
                Equal(4L, g.Count, "count");
                Assert(g.CheckAndRemember("clock") && !g.CheckAndRemember("clock"), "system clock");
            }
            using (var small = new ReplayGuard(1000, 2))
            {
                small.CheckAndRemember("a", 0);
                small.CheckAndRemember("b", 1);
                small.CheckAndRemember("c", 2);
                Equal(2L, small.Count, "bounded");
                Assert(small.CheckAndRemember("a", 3), "oldest evicted");
            }
            using (var v = new Verifier("algoguard", new[] { "whsec_k" }, 600))
            using (var g = ReplayGuard.ForVerifier(v))
            {
                Equal(1260L, g.Ttl, "ForVerifier ttl (600 s both ways + 60)");
                Equal(ReplayGuard.DefaultCapacity, g.Capacity, "ForVerifier capacity");
            }
        }

        private static void ReplayGuardArguments()
        {
            foreach (var args in new[] { new long[] { 0, 10 }, new long[] { -5, 10 }, new long[] { 10, 0 }, new long[] { 10, -1 } })
            {
                var e = Throws<HooksigException>(() => new ReplayGuard(args[0], args[1]));
                Equal("invalid_argument", e.Code, "ttl " + args[0] + ", capacity " + args[1]);
                Equal(500, e.HttpStatus, "http");
            }
            Throws<ArgumentNullException>(() => ReplayGuard.ForVerifier(null));
            var g = new ReplayGuard(10);
            Throws<ArgumentNullException>(() => g.CheckAndRemember(null));
            Throws<ArgumentNullException>(() => g.Forget(null));
            g.Dispose();
            g.Dispose();
            Throws<ObjectDisposedException>(() => g.CheckAndRemember("k", 0));
        }

        private static void ReplayGuardRace()
        {
            const int threads = 8, keys = 500;
            var wins = new int[keys];
            int errors = 0;
            using (var g = new ReplayGuard(300, 10000))
            using (var start = new Barrier(threads))
            {
                var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
                {
                    start.SignalAndWait();
                    for (int k = 0; k < keys; k++)
                    {
                        try
                        {
                            if (g.CheckAndRemember("race:id:" + k, 1767225600)) Interlocked.Increment(ref wins[k]);
                        }
                        catch (Exception)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                })).ToList();
                workers.ForEach(w => w.Start());
                workers.ForEach(w => w.Join());
                Equal(0, errors, "errors");
                Equal(0, wins.Count(w => w != 1), "keys without exactly one winner");
                Equal((long)keys, g.Count, "remembered");
            }
        }

        private static void ListenerReceiverDropsDuplicates()
        {
            ServicePointManager.DefaultConnectionLimit = 16; // let the 8 posts run at once
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            string url = "http://127.0.0.1:" + port + "/webhook";
            var listener = new HttpListener();
            listener.Prefixes.Add("http://127.0.0.1:" + port + "/");
            listener.Start();
            int handled = 0;
            using (var verifier = new Verifier("easycart", "easycart-key"))
            using (var guard = ReplayGuard.ForVerifier(verifier))
            {
                Func<Verified, ReceiverAnswer> handler = e =>
                {
                    if (Encoding.UTF8.GetString(e.Payload).Contains("\"fail\"")) throw new InvalidOperationException("cannot process");
                    Interlocked.Increment(ref handled);
                    return Receiver.Received(e);
                };
                var server = new Thread(() => ListenerReceiver.Serve(listener, verifier, guard, handler));
                server.Start();
                try
                {
                    // 8 copies of one delivery at the same moment: handled once, 7 duplicates.
                    byte[] body = Utf8("{\"order_id\":\"EC-2002\",\"status\":\"paid\"}");
                    var headers = Webhook.Sign("easycart", "easycart-key", body);
                    var answers = new string[8];
                    var codes = new int[8];
                    using (var start = new Barrier(8))
                    {
                        var posts = Enumerable.Range(0, 8).Select(i => new Thread(() =>
                        {
                            start.SignalAndWait();
                            codes[i] = Post(url, headers, body, out answers[i]);
                        })).ToList();
                        posts.ForEach(p => p.Start());
                        posts.ForEach(p => p.Join());
                    }
                    Equal(8, codes.Count(c => c == 200), "all answered 200");
                    Equal(1, answers.Count(a => a.StartsWith("{\"status\":\"received\"")), "handled answers");
                    Equal(7, answers.Count(a => a == "{\"status\":\"duplicate\"}"), "duplicate answers");
                    Equal(1, handled, "handler runs");

                    // A forged copy (tampered body, same signature) is refused and burns nothing.
                    byte[] other = Utf8("{\"order_id\":\"EC-2003\",\"status\":\"paid\"}");
                    var otherHeaders = Webhook.Sign("easycart", "easycart-key", other);
                    string text;
                    Equal(401, Post(url, otherHeaders, Utf8("{\"order_id\":\"EC-2003\",\"status\":\"refunded\"}"), out text), "forged");
                    Equal(200, Post(url, otherHeaders, other, out text), "genuine after forged");
                    Assert(text.StartsWith("{\"status\":\"received\""), text);
                    Equal(2, handled, "handler runs");

                    // A failing handler releases the key: the retry runs it again.
                    byte[] failing = Utf8("{\"order_id\":\"EC-2004\",\"status\":\"fail\"}");
                    var failingHeaders = Webhook.Sign("easycart", "easycart-key", failing);
                    Equal(500, Post(url, failingHeaders, failing, out text), "handler failed");
                    Equal(500, Post(url, failingHeaders, failing, out text), "retry ran the handler again");
                    Equal("", text, "not a duplicate: the handler ran and failed again (500, no body)");
                }
                finally
                {
                    listener.Stop();
                    listener.Close();
                    server.Join();
                }
            }
        }

        // ---- bad inputs (issue 7; outcomes in bindings-c/BAD_INPUTS.md) ----------------------

        /// <summary>A byte value of the table: {"text"} | {"hex"} | {"repeat", "count"}.</summary>
        private static byte[] TableBytes(object value)
        {
            var d = (Dictionary<string, object>)value;
            if (d.ContainsKey("text")) return Utf8((string)d["text"]);
            if (d.ContainsKey("hex"))
            {
                string hex = (string)d["hex"];
                var bytes = new byte[hex.Length / 2];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
                return bytes;
            }
            byte[] unit = Utf8((string)d["repeat"]);
            long count = (long)d["count"];
            var all = new byte[unit.Length * count];
            if (unit.Length == 1)
            {
                for (long i = 0; i < all.LongLength; i++) all[i] = unit[0];
            }
            else
            {
                for (long i = 0; i < count; i++) Buffer.BlockCopy(unit, 0, all, (int)(i * unit.Length), unit.Length);
            }
            return all;
        }

        /// <summary>
        /// Header values are .NET strings: the table's bytes are decoded as UTF-8 (invalid
        /// sequences become U+FFFD, as HTTP stacks do), so a non-UTF-8 row reaches libhooksig
        /// as EF BF BD.
        /// </summary>
        private static string TableText(object value)
        {
            return Encoding.UTF8.GetString(TableBytes(value));
        }

        private static string BadInputOutcome(Dictionary<string, object> c)
        {
            var secrets = ((List<object>)c["secrets"]).Cast<string>().ToList();
            long? tolerance = c.ContainsKey("tolerance") ? (long?)(long)c["tolerance"] : null; // absent: not given
            Verifier v;
            try
            {
                v = new Verifier((string)c["scheme"], secrets, tolerance);
            }
            catch (ConfigException e)
            {
                return e.Code;
            }
            using (v)
            {
                byte[] body = c.ContainsKey("body") ? TableBytes(c["body"]) : Utf8("{\"id\":\"evt_1\"}");
                long now = (long)c["now"];
                long ts = c.ContainsKey("sign_timestamp") ? (long)c["sign_timestamp"] : now;
                var signed = v.Sign(body, ts);
                // Same rule as the C and PHP runners: the signature header's name contains
                // "signature"; the timestamp header's value is the signing time.
                string sigName = signed.Select(h => h.Key).FirstOrDefault(n => n.IndexOf("signature", StringComparison.OrdinalIgnoreCase) >= 0);
                string tsName = signed.Where(h => h.Value == ts.ToString()).Select(h => h.Key).FirstOrDefault();
                var headers = signed.ToList();
                if (c.ContainsKey("headers"))
                    headers = ((List<object>)c["headers"]).Cast<List<object>>()
                        .Select(p => new KeyValuePair<string, string>((string)p[0], TableText(p[1]))).ToList();
                if ((c.ContainsKey("timestamp_header") && tsName == null) || (c.ContainsKey("signature_header") && sigName == null))
                    return "runner: the header to override was not found";
                headers = headers.Select(h =>
                    c.ContainsKey("timestamp_header") && h.Key == tsName ? new KeyValuePair<string, string>(h.Key, (string)c["timestamp_header"])
                    : c.ContainsKey("signature_header") && h.Key == sigName ? new KeyValuePair<string, string>(h.Key, TableText(c["signature_header"]))
                    : h).ToList();
                try
                {
                    var result = v.Verify(headers, body, now);
                    return result.Payload.SequenceEqual(body) ? "ok" : "runner: payload differs";
                }
                catch (VerificationException e)
                {
                    return e.Code;
                }
            }
        }

        private static int RunBadInputTable(string path)
        {
            var doc = (Dictionary<string, object>)MiniJson.Parse(File.ReadAllText(path, Encoding.UTF8));
            int count = 0;
            foreach (Dictionary<string, object> c in (List<object>)doc["cases"])
            {
                count++;
                Run("bad input " + c["name"], () => Equal((string)c["expect"], BadInputOutcome(c), "outcome"));
            }
            return count;
        }

        private static void NullArguments()
        {
            var body = Utf8("{}");
            var v = new Verifier("algoguard", "whsec_k");
            var g = new ReplayGuard(10);
            var cases = new Dictionary<string, Action>
            {
                { "Verifier(scheme)", () => new Verifier((string)null, "k") },
                { "Verifier(secret)", () => new Verifier("algoguard", (string)null) },
                { "Verifier(secrets)", () => new Verifier("algoguard", (IEnumerable<string>)null) },
                { "Verifier(secrets with a null)", () => new Verifier("algoguard", new[] { "k", null }) },
                { "Verifier(custom scheme)", () => new Verifier((CustomScheme)null, new[] { "k" }) },
                { "Verify(headers)", () => v.Verify(null, body) },
                { "Verify(body)", () => v.Verify(new Dictionary<string, string>(), null) },
                { "verifier.Sign(body)", () => v.Sign(null) },
                { "Webhook.Sign(scheme)", () => Webhook.Sign((string)null, "k", body) },
                { "Webhook.Sign(custom scheme)", () => Webhook.Sign((CustomScheme)null, "k", body) },
                { "Webhook.Sign(secret)", () => Webhook.Sign("algoguard", null, body) },
                { "Webhook.Sign(body)", () => Webhook.Sign("algoguard", "k", null) },
                { "CustomScheme(id)", () => new CustomScheme(null, "X-Sig") },
                { "CustomScheme(signatureHeader)", () => new CustomScheme("acme", null) },
                { "CustomScheme.Set(key)", () => new CustomScheme("acme", "X-Sig").Set(null, "v") },
                { "ReplayGuard.ForVerifier(verifier)", () => ReplayGuard.ForVerifier(null) },
                { "CheckAndRemember(key)", () => g.CheckAndRemember(null) },
                { "Forget(key)", () => g.Forget(null) },
            };
            var wrong = new List<string>();
            foreach (var kv in cases)
            {
                try
                {
                    kv.Value();
                    wrong.Add(kv.Key + ": no exception");
                }
                catch (ArgumentNullException)
                {
                }
                catch (Exception e)
                {
                    wrong.Add(kv.Key + ": " + e.GetType().Name);
                }
            }
            v.Dispose();
            g.Dispose();
            Equal("", string.Join("; ", wrong), "every null argument is an ArgumentNullException");
        }

        private static void NullWhereDocumented()
        {
            byte[] body = Utf8("{\"id\":\"evt_1\"}");
            using (var v = new Verifier("algoguard", new[] { "whsec_k" }, 300, null, null)) // null format: "auto"
            {
                var headers = v.Sign(body, null, null, null);
                Equal("algoguard:id:evt_1", v.Verify(headers, body, null).DedupeKey, "null now: the clock");
                // A null header name or value is an empty string: an empty header is an absent one.
                var nulls = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>(null, "x"),
                    new KeyValuePair<string, string>("X-AlgoGuard-Signature", null),
                };
                Equal("missing_signature", Throws<VerificationException>(() => v.Verify(nulls, body)).Code, "null value");
            }
            var acme = new CustomScheme("acme", "X-Acme-Signature").Set("prefix", null); // null unsets
            using (var v = new Verifier(acme, new[] { "k" }))
                Equal("acme", v.Verify(Webhook.Sign(acme, "k", Utf8("{}")), Utf8("{}")).Scheme, "custom");
        }

        private static void NulInReturnedStrings()
        {
            const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            byte[] key = Convert.FromBase64String(secret.Substring("whsec_".Length));
            byte[] body = Utf8("{\"type\":\"a.b\"}");
            var keys = new List<string>();
            using (var v = new Verifier("standard-webhooks", secret))
            {
                foreach (string id in new[] { "a\0b", "a\0c" })
                {
                    // Sign() refuses an id that cannot be sent as a header: sign it by hand.
                    string mac;
                    using (var h = new HMACSHA256(key))
                        mac = Convert.ToBase64String(h.ComputeHash(Utf8(id + ".1767225600." + Encoding.UTF8.GetString(body))));
                    var headers = new[]
                    {
                        new KeyValuePair<string, string>("webhook-id", id),
                        new KeyValuePair<string, string>("webhook-timestamp", "1767225600"),
                        new KeyValuePair<string, string>("webhook-signature", "v1," + mac),
                    };
                    var verified = v.Verify(headers, body, 1767225600);
                    Equal(id, verified.Id, "id with a NUL");
                    Equal(3, verified.Id.Length, "id length");
                    keys.Add(verified.DedupeKey);
                }
            }
            Assert(keys[0] != keys[1], "ids that differ after a NUL are different deliveries: " + keys[0]);
            using (var g = new Verifier("github", "k"))
            {
                var headers = Webhook.Sign("github", "k", body).ToList();
                headers.Add(new KeyValuePair<string, string>("X-GitHub-Event", "pi\0ng"));
                Equal("pi\0ng", g.Verify(headers, body).EventType, "event type with a NUL");
            }
        }

        private static void NulAndSurrogates()
        {
            Equal("unknown_scheme", Throws<ConfigException>(() => new Verifier("algo\0guard", "k")).Code, "NUL in the scheme");
            // An unpaired surrogate cannot be UTF-8: .NET encodes it as U+FFFD (EF BF BD), so
            // libhooksig never sees invalid UTF-8 from C#: an unknown scheme, not invalid_utf8.
            Equal("unknown_scheme", Throws<ConfigException>(() => new Verifier("algo\ud800", "k")).Code, "lone surrogate");
            Equal("invalid_config", Throws<ConfigException>(() => new Verifier("algoguard", new[] { "k" }, 300, "au\0to")).Code, "NUL in the format");
            byte[] body = Utf8("{\"id\":\"evt_1\"}");
            using (var v = new Verifier("algoguard", "whsec_k"))
            {
                var headers = v.Sign(body, 1767225600);
                var nulName = new[] { new KeyValuePair<string, string>("X-AlgoGuard-Signature\0", headers[0].Value), headers[1] };
                Equal("missing_signature", Throws<VerificationException>(() => v.Verify(nulName, body, 1767225600)).Code, "NUL in a name");
                var surrogate = new[] { new KeyValuePair<string, string>("X-AlgoGuard-Signature", "sha256=\ud800"), headers[1] };
                Equal("malformed_signature", Throws<VerificationException>(() => v.Verify(surrogate, body, 1767225600)).Code, "lone surrogate value");
                var extra = headers.Concat(new[] { new KeyValuePair<string, string>("X-\ud800", "x") });
                Equal("algoguard", v.Verify(extra, body, 1767225600).Scheme, "odd header names are ignored");
            }
            using (var nul = new Verifier("easycart", "ab\0cd"))
            {
                Equal("easycart", nul.Verify(Webhook.Sign("easycart", "ab\0cd", Utf8("{}")), Utf8("{}")).Scheme, "NUL in a secret");
                Equal("signature_mismatch", Throws<VerificationException>(() => nul.Verify(Webhook.Sign("easycart", "ab", Utf8("{}")), Utf8("{}"))).Code, "not truncated");
            }
            using (var g = new ReplayGuard(10))
                Assert(g.CheckAndRemember("k\0", 0) && g.CheckAndRemember("k", 0), "a NUL in a key is part of it");
            Equal("invalid_config", Throws<ConfigException>(() => Webhook.Sign("algoguard", "k", Utf8("{}"), -1)).Code, "negative timestamp");
            Equal("invalid_config", Throws<ConfigException>(() => Webhook.Sign("github", "k", Utf8("{}"), null, null, "p\0sh")).Code, "NUL in the event type");
        }
}
}
