// An Easycart webhook receiver on System.Net.HttpListener: runs under Mono (and .NET) with no
// ASP.NET. Duplicate deliveries (senders retry) are answered 200 {"status":"duplicate"} without
// running the handler: one process, so the in-memory ReplayGuard is the right store. A method
// other than POST is answered 405 {"error":"method_not_allowed",...} with Allow: POST (as the
// Python and Node integrations do) before the body is read or the handler run. JSON answers are
// written by a serializer (System.Web.Extensions; Debian: libmono-system-web-extensions4.0-cil).
// The tests host it in-process and send real HTTP requests to it.
//
//   mcs -r:Hooksig.dll -r:System.Web.Extensions.dll -out:receiver.exe ListenerReceiver.cs
//   EASYCART_SIGNING_KEY=... LD_LIBRARY_PATH=<dir of libhooksig.so> mono receiver.exe http://127.0.0.1:8080/
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Web.Script.Serialization;
using Hooksig;

namespace Hooksig.Examples
{
    public static class ListenerReceiver
    {
        public static void Main(string[] args)
        {
            string prefix = args.Length > 0 ? args[0] : "http://127.0.0.1:8080/";
            string key = Environment.GetEnvironmentVariable("EASYCART_SIGNING_KEY") ?? "your_secret_signing_key";
            using (var verifier = new Verifier("easycart", key))
            using (var guard = ReplayGuard.ForVerifier(verifier)) // remembers deliveries for a day
            {
                var listener = new HttpListener();
                listener.Prefixes.Add(prefix);
                listener.Start();
                Console.WriteLine("listening on " + prefix);
                Serve(listener, verifier, guard,
                    e => Console.WriteLine("Easycart webhook verified: " + e.Payload.Length + " bytes"));
            }
        }

        /// <summary>
        /// Answers requests, each on a pool thread, until the listener is stopped. `handler` is the
        /// application's work; if it throws, the delivery is answered 500 and may be retried.
        /// </summary>
        public static void Serve(HttpListener listener, Verifier verifier, ReplayGuard guard, Action<Verified> handler)
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = listener.GetContext();
                }
                catch (HttpListenerException)
                {
                    return; // stopped
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                ThreadPool.QueueUserWorkItem(_ => Handle(context, verifier, guard, handler));
            }
        }

        private static void Handle(HttpListenerContext context, Verifier verifier, ReplayGuard guard, Action<Verified> handler)
        {
            var request = context.Request;
            int status;
            string text;
            if (request.Url.AbsolutePath != "/webhook")
            {
                status = 404;
                text = "Not found";
            }
            else if (request.HttpMethod != "POST")
            {
                status = 405;
                context.Response.AddHeader("Allow", "POST");
                text = Json(new Dictionary<string, object>
                {
                    { "error", "method_not_allowed" },
                    { "message", "webhooks are delivered with POST" },
                });
            }
            else
            {
                byte[] body;
                using (var buffer = new MemoryStream())
                {
                    request.InputStream.CopyTo(buffer);
                    body = buffer.ToArray();
                }
                var headers = new List<KeyValuePair<string, string>>();
                foreach (string name in request.Headers.AllKeys)
                {
                    foreach (string value in request.Headers.GetValues(name) ?? new string[0])
                        headers.Add(new KeyValuePair<string, string>(name, value));
                }
                try
                {
                    Verified verified = verifier.Verify(headers, body);
                    // Only verified deliveries are remembered: forged requests cannot burn keys.
                    if (!guard.CheckAndRemember(verified.DedupeKey))
                    {
                        status = 200; // 2xx: the sender stops retrying
                        text = Json(new Dictionary<string, object> { { "status", "duplicate" } });
                    }
                    else
                    {
                        try
                        {
                            handler(verified);
                            status = 200;
                            text = "Webhook received and verified (" + verified.Payload.Length + " bytes)";
                        }
                        catch (Exception e)
                        {
                            guard.Forget(verified.DedupeKey); // let the sender's retry run it again
                            Console.Error.WriteLine("handler failed: " + e.Message);
                            status = 500;
                            text = "handler failed";
                        }
                    }
                }
                catch (VerificationException e)
                {
                    status = e.HttpStatus; // 400 missing/malformed header, 401 bad signature
                    text = e.Code;
                }
            }
            byte[] reply = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = text.StartsWith("{") ? "application/json" : "text/plain; charset=utf-8";
            context.Response.ContentLength64 = reply.Length;
            context.Response.OutputStream.Write(reply, 0, reply.Length);
            context.Response.Close();
        }

        /// <summary>JSON text from a serializer, never by concatenation (an id holding a quote
        /// would otherwise break it).</summary>
        private static string Json(Dictionary<string, object> value)
        {
            return new JavaScriptSerializer().Serialize(value);
        }
    }
}
