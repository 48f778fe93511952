// The Easycart ASP.NET Core minimal-API receiver, on hooksig's ASP.NET Core package
// (bindings-dotnet-aspnetcore): MapWebhook reads the raw body bytes (not a re-encoded string),
// verifies them in constant time and answers with the core's receiver policy, the same bytes as
// every hooksig integration (405 + Allow: POST for other methods, 413 over 10 MiB,
// {"error":<code>,"message":...} rejections, 200 {"status":"duplicate"} for a delivery already
// handled). A handler that throws releases its key and reaches ASP.NET Core's own 500.
// Build with the .NET SDK: `dotnet run` in examples/dotnet (WebhookReceiver.csproj).
using System;
using Hooksig;
using Hooksig.AspNetCore;
using Microsoft.AspNetCore.Builder;

public static class Program
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        // Once at start-up, shared by every request (all thread-safe): the verifier and the replay
        // guard that drops duplicate deliveries (in memory: right for one process).
        var verifier = new Verifier("easycart",
            Environment.GetEnvironmentVariable("EASYCART_SIGNING_KEY") ?? "your_secret_signing_key");
        var guard = ReplayGuard.ForVerifier(verifier);

        app.MapWebhook("/webhook", verifier, guard, verified =>
        {
            Console.WriteLine("Easycart webhook verified: " + verified.Payload.Length + " bytes");
            return Receiver.Received(verified); // 200 {"status":"received",...}
        });

        app.Run();
    }
}
