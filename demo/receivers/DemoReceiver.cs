// Demo receiver: every scheme on System.Net.HttpListener under Mono, at /webhooks/<scheme>,
// with the in-memory replay guard (one process). A method other than POST is answered 405
// {"error":"method_not_allowed",...} with Allow: POST (as the Python and Node integrations do)
// without reading the body or running the handler; answers are written by a JSON serializer
// (System.Web.Extensions), never by string concatenation.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Web.Script.Serialization;
using Hooksig;

public static class DemoReceiver
{
    public static void Main(string[] args)
    {
        var routes = new Dictionary<string, KeyValuePair<Verifier, ReplayGuard>>();
        foreach (string scheme in Webhook.Schemes)
        {
            string secret = Environment.GetEnvironmentVariable(
                scheme == "standard-webhooks" || scheme == "svix" ? "DEMO_WHSEC_SECRET" : "DEMO_TEXT_SECRET");
            var verifier = new Verifier(scheme, secret);
            routes["/webhooks/" + scheme] = new KeyValuePair<Verifier, ReplayGuard>(verifier, ReplayGuard.ForVerifier(verifier));
        }
        var listener = new HttpListener();
        listener.Prefixes.Add("http://127.0.0.1:" + args[0] + "/");
        listener.Start();
        while (true)
        {
            var context = listener.GetContext();
            ThreadPool.QueueUserWorkItem(_ => Handle(context, routes));
        }
    }

    private static void Handle(HttpListenerContext context, Dictionary<string, KeyValuePair<Verifier, ReplayGuard>> routes)
    {
        int status = 200;
        var answer = new Dictionary<string, object>();
        KeyValuePair<Verifier, ReplayGuard> route;
        if (!routes.TryGetValue(context.Request.Url.AbsolutePath, out route))
        {
            status = 404;
            answer["error"] = "not_found";
        }
        else if (context.Request.HttpMethod != "POST")
        {
            status = 405;
            context.Response.AddHeader("Allow", "POST");
            answer["error"] = "method_not_allowed";
            answer["message"] = "webhooks are delivered with POST";
        }
        else
        {
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                context.Request.InputStream.CopyTo(buffer);
                body = buffer.ToArray();
            }
            var headers = new List<KeyValuePair<string, string>>();
            foreach (string name in context.Request.Headers.AllKeys)
            {
                foreach (string value in context.Request.Headers.GetValues(name))
                {
                    headers.Add(new KeyValuePair<string, string>(name, value));
                }
            }
            try
            {
                Verified webhook = route.Key.Verify(headers, body);
                if (route.Value.CheckAndRemember(webhook.DedupeKey))
                {
                    answer["status"] = "received";
                    answer["id"] = webhook.Id;
                    answer["event_type"] = webhook.EventType;
                }
                else
                {
                    answer["status"] = "duplicate";
                }
            }
            catch (HooksigException e)
            {
                status = e.HttpStatus;
                answer["error"] = e.Code;
            }
        }
        byte[] bytes = Encoding.UTF8.GetBytes(new JavaScriptSerializer().Serialize(answer));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes, 0, bytes.Length);
        context.Response.Close();
    }
}
