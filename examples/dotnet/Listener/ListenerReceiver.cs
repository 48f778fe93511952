// An Easycart webhook receiver on System.Net.HttpListener: runs under Mono (and .NET) with no
// ASP.NET. hooksig's WebhookListener answers every request the way every hooksig integration
// does (405 for other methods, 413 over 10 MiB, the core's JSON rejections, 200
// {"status":"duplicate"} for a delivery already handled); the handler runs once per delivery,
// and a handler that throws or answers outside 2xx releases the delivery for the sender's retry.
// One process, so the in-memory ReplayGuard is the right store. The tests host it in-process.
//
//   mcs -r:Hooksig.dll -out:receiver.exe ListenerReceiver.cs
//   EASYCART_SIGNING_KEY=... LD_LIBRARY_PATH=<dir of libhooksig.so> mono receiver.exe http://127.0.0.1:8080/
using System;
using System.Net;
using System.Threading;
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
                Serve(listener, verifier, guard, e =>
                {
                    Console.WriteLine("Easycart webhook verified: " + e.Payload.Length + " bytes");
                    return Receiver.Received(e);
                });
            }
        }

        /// <summary>Answers requests to /webhook, each on a pool thread, until the listener is stopped.</summary>
        public static void Serve(HttpListener listener, Verifier verifier, IReplayGuard guard, Func<Verified, ReceiverAnswer> handler)
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = listener.GetContext();
                }
                catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException)
                {
                    return; // stopped
                }
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    if (context.Request.Url.AbsolutePath != "/webhook")
                    {
                        context.Response.StatusCode = 404;
                        context.Response.Close();
                        return;
                    }
                    Exception failed = WebhookListener.Handle(context, verifier, guard, handler);
                    if (failed != null) Console.Error.WriteLine("handler failed: " + failed.Message);
                });
            }
        }
    }
}
