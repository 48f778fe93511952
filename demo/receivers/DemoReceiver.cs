// Demo receiver: every scheme on System.Net.HttpListener under Mono, at /webhooks/<scheme>, with
// the in-memory replay guard (one process). hooksig's WebhookListener writes every answer (the
// core's, as in every demo receiver); the handler answers the core's success body.
using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using Hooksig;

public static class DemoReceiver
{
    public static void Main(string[] args)
    {
        // Behind a proxy, the public base URL the senders were given (twilio, square and hubspot
        // sign the URL they requested): DEMO_PUBLIC_URL, when set.
        string publicUrl = Environment.GetEnvironmentVariable("DEMO_PUBLIC_URL");
        if (string.IsNullOrEmpty(publicUrl)) publicUrl = null;
        var routes = new Dictionary<string, KeyValuePair<Verifier, ReplayGuard>>();
        foreach (string scheme in Webhook.Schemes)
        {
            // One secret for every scheme, as demo/run.py signs.
            // DEMO_SECRET_<SCHEME>, when set, is a public-key scheme's public key (discord, sendgrid).
            string own = Environment.GetEnvironmentVariable("DEMO_SECRET_" + scheme.ToUpperInvariant().Replace('-', '_'));
            string secret = string.IsNullOrEmpty(own) ? Environment.GetEnvironmentVariable("DEMO_SECRET") : own;
            var verifier = new Verifier(scheme, secret);
            routes["/webhooks/" + scheme] = new KeyValuePair<Verifier, ReplayGuard>(verifier, ReplayGuard.ForVerifier(verifier));
        }
        var listener = new HttpListener();
        listener.Prefixes.Add("http://127.0.0.1:" + args[0] + "/");
        listener.Start();
        while (true)
        {
            var context = listener.GetContext();
            ThreadPool.QueueUserWorkItem(_ =>
            {
                KeyValuePair<Verifier, ReplayGuard> route;
                if (!routes.TryGetValue(context.Request.Url.AbsolutePath, out route))
                {
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                    return;
                }
                Exception failed = WebhookListener.Handle(context, route.Key, route.Value, Receiver.Received, null, publicUrl);
                if (failed != null) Console.Error.WriteLine("handler failed: " + failed.Message);
            });
        }
    }
}
