// The Easycart ASP.NET Core minimal-API receiver, rewritten on hooksig: the raw body bytes are
// verified (not a re-encoded string), in constant time, and a missing header is a 400. A method
// other than POST is answered 405 {"error":"method_not_allowed",...} with Allow: POST (as the
// Python and Node integrations do) without running the handler; JSON goes through
// System.Text.Json (WriteAsJsonAsync), never string concatenation.
// Build with the .NET SDK: `dotnet run` in examples/dotnet (WebhookReceiver.csproj).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Hooksig;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        // Once at start-up: a Verifier is thread-safe and shared by every request, and so is the
        // replay guard that drops duplicate deliveries (in memory: right for one process).
        var verifier = new Verifier("easycart",
            Environment.GetEnvironmentVariable("EASYCART_SIGNING_KEY") ?? "your_secret_signing_key");
        var guard = ReplayGuard.ForVerifier(verifier);

        // Every method reaches this endpoint, so that a GET gets the JSON 405 below rather than
        // ASP.NET Core's empty one.
        app.Map("/webhook", async context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.StatusCode = 405;
                context.Response.Headers["Allow"] = "POST";
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    { "error", "method_not_allowed" },
                    { "message", "webhooks are delivered with POST" },
                });
                return;
            }
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.Body.CopyToAsync(buffer);
                body = buffer.ToArray();
            }
            var headers = context.Request.Headers.SelectMany(
                h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
            try
            {
                Verified verified = verifier.Verify(headers, body);
                if (!guard.CheckAndRemember(verified.DedupeKey))
                {
                    context.Response.StatusCode = 200; // a retry we already handled
                    await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { { "status", "duplicate" } });
                    return;
                }
                Console.WriteLine("Easycart webhook verified: " + verified.Payload.Length + " bytes");
                context.Response.StatusCode = 200;
                await context.Response.WriteAsync("Webhook received and verified");
            }
            catch (VerificationException e)
            {
                context.Response.StatusCode = e.HttpStatus; // 400 or 401
                await context.Response.WriteAsync(e.Code);
            }
        });

        app.Run();
    }
}
