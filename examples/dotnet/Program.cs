// The Easycart ASP.NET Core minimal-API receiver, rewritten on hooksig: the raw body bytes are
// verified (not a re-encoded string), in constant time, and every answer is the core's receiver
// policy, the same bytes as every hooksig integration (405 + Allow: POST for other methods, 413
// over 10 MiB, {"error":<code>,"message":...} rejections, 200 {"status":"duplicate"} for a
// delivery already handled). Receiver.Process verifies, drives the replay guard, runs the handler
// and keeps or releases the key; this endpoint only reads the body and writes the answer. A
// handler that throws releases its key and reaches ASP.NET Core's own 500.
// Build with the .NET SDK: `dotnet run` in examples/dotnet (WebhookReceiver.csproj).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Hooksig;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        // Once at start-up, shared by every request (all thread-safe): the verifier, the replay
        // guard that drops duplicate deliveries (in memory: right for one process) and the
        // receiver policy (10 MiB body limit).
        var verifier = new Verifier("easycart",
            Environment.GetEnvironmentVariable("EASYCART_SIGNING_KEY") ?? "your_secret_signing_key");
        var guard = ReplayGuard.ForVerifier(verifier);
        var receiver = new Receiver();

        // Every method reaches this endpoint, so that a GET gets the core's JSON 405.
        app.Map("/webhook", async context =>
        {
            var request = context.Request;
            ReceiverAnswer answer = receiver.Start(request.Method, request.ContentLength);
            if (answer == null)
            {
                byte[] body = null;
                try
                {
                    body = await ReadAtMost(request.Body, receiver.Limit);
                }
                catch (IOException)
                {
                    answer = receiver.BodyReadFailed(); // the client went away
                }
                if (answer == null && body == null) answer = receiver.BodyTooLarge();
                if (answer == null)
                {
                    var headers = request.Headers.SelectMany(
                        h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)));
                    answer = receiver.Process(verifier, guard, headers, body, verified =>
                    {
                        Console.WriteLine("Easycart webhook verified: " + verified.Payload.Length + " bytes");
                        return Receiver.Received(verified);
                    });
                }
            }
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ResponseContentType;
            foreach (var header in answer.Headers) context.Response.Headers[header.Key] = header.Value;
            byte[] bytes = answer.BodyBytes;
            await context.Response.Body.WriteAsync(bytes, 0, bytes.Length);
        });

        app.Run();
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
}
