// An Easycart webhook receiver on System.Net.HttpListener: runs under Mono (and .NET) with no
// ASP.NET. The tests host it in-process and POST real HTTP requests to it.
//
//   mcs -r:Hooksig.dll -out:receiver.exe ListenerReceiver.cs
//   EASYCART_SIGNING_KEY=... LD_LIBRARY_PATH=<dir of libhooksig.so> mono receiver.exe http://127.0.0.1:8080/
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
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
            {
                var listener = new HttpListener();
                listener.Prefixes.Add(prefix);
                listener.Start();
                Console.WriteLine("listening on " + prefix);
                Serve(listener, verifier);
            }
        }

        /// <summary>Answers requests until the listener is stopped.</summary>
        public static void Serve(HttpListener listener, Verifier verifier)
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
                Handle(context, verifier);
            }
        }

        private static void Handle(HttpListenerContext context, Verifier verifier)
        {
            var request = context.Request;
            int status;
            string text;
            if (request.HttpMethod != "POST" || request.Url.AbsolutePath != "/webhook")
            {
                status = 404;
                text = "Not found";
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
                    status = 200;
                    text = "Webhook received and verified (" + verified.Payload.Length + " bytes)";
                }
                catch (VerificationException e)
                {
                    status = e.HttpStatus; // 400 missing/malformed header, 401 bad signature
                    text = e.Code;
                }
            }
            byte[] reply = Encoding.UTF8.GetBytes(text);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.ContentLength64 = reply.Length;
            context.Response.OutputStream.Write(reply, 0, reply.Length);
            context.Response.Close();
        }
    }
}
