// Just enough of ASP.NET Core's API surface for mcs to type-check Hooksig.AspNetCore
// (bindings-dotnet-aspnetcore) and examples/dotnet/Program.cs on a machine without the .NET SDK;
// the endpoint's test runs it on hand-made HttpContext objects. Signatures follow the real ones
// (Microsoft.AspNetCore.Builder / .Http / .Routing, Microsoft.Extensions.Primitives).
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.Primitives;

namespace Microsoft.Extensions.Primitives
{
    public struct StringValues : IEnumerable<string>
    {
        private readonly string[] values;
        public StringValues(string value) { values = value == null ? new string[0] : new[] { value }; }
        public StringValues(string[] values) { this.values = values; }
        public static implicit operator StringValues(string value) { return new StringValues(value); }
        public static implicit operator StringValues(string[] values) { return new StringValues(values); }
        public override string ToString() { return values == null ? "" : string.Join(",", values); }
        public IEnumerator<string> GetEnumerator()
        {
            foreach (string value in values ?? new string[0]) yield return value;
        }
        IEnumerator IEnumerable.GetEnumerator() { return GetEnumerator(); }
    }
}

namespace Microsoft.AspNetCore.Http
{
    public delegate Task RequestDelegate(HttpContext context);

    public interface IHeaderDictionary : IEnumerable<KeyValuePair<string, StringValues>>
    {
        StringValues this[string key] { get; set; }
    }

    public static class HttpMethods
    {
        public static bool IsPost(string method) { return method == "POST"; }
    }

    public struct HostString
    {
        private readonly string value;
        public HostString(string value) { this.value = value; }
        public string Value { get { return value; } }
        public string ToUriComponent() { return value ?? ""; }
    }

    public struct PathString
    {
        private readonly string value;
        public PathString(string value) { this.value = value; }
        public string Value { get { return value; } }
        public string ToUriComponent() { return value ?? ""; }
    }

    public struct QueryString
    {
        private readonly string value;
        public QueryString(string value) { this.value = value; }
        public string Value { get { return value; } }
        public string ToUriComponent() { return value ?? ""; }
    }

    public abstract class HttpRequest
    {
        public abstract string Method { get; set; }
        public abstract string Scheme { get; set; }
        public abstract HostString Host { get; set; }
        public abstract PathString PathBase { get; set; }
        public abstract PathString Path { get; set; }
        public abstract QueryString QueryString { get; set; }
        public abstract Stream Body { get; set; }
        public abstract long? ContentLength { get; set; }
        public abstract IHeaderDictionary Headers { get; }
    }

    public abstract class HttpResponse
    {
        public abstract int StatusCode { get; set; }
        public abstract string ContentType { get; set; }
        public abstract Stream Body { get; set; }
        public abstract IHeaderDictionary Headers { get; }
    }

    public abstract class HttpContext
    {
        public abstract HttpRequest Request { get; }
        public abstract HttpResponse Response { get; }
    }

    public static class HttpResponseWritingExtensions
    {
        public static Task WriteAsync(this HttpResponse response, string text) { return Task.FromResult(0); }
    }

    public static class HttpResponseJsonExtensions
    {
        public static Task WriteAsJsonAsync<TValue>(this HttpResponse response, TValue value) { return Task.FromResult(0); }
    }
}

namespace Microsoft.AspNetCore.Routing
{
    public interface IEndpointRouteBuilder
    {
    }
}

namespace Microsoft.AspNetCore.Builder
{
    public interface IEndpointConventionBuilder
    {
    }

    // Map and MapPost are extension methods of IEndpointRouteBuilder, as in ASP.NET Core.
    public static class EndpointRouteBuilderExtensions
    {
        public static IEndpointConventionBuilder Map(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints,
            string pattern, Microsoft.AspNetCore.Http.RequestDelegate requestDelegate) { return null; }
        public static IEndpointConventionBuilder MapPost(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints,
            string pattern, Microsoft.AspNetCore.Http.RequestDelegate requestDelegate) { return null; }
    }

    public sealed class WebApplicationBuilder
    {
        public WebApplication Build() { return new WebApplication(); }
    }

    public sealed class WebApplication : Microsoft.AspNetCore.Routing.IEndpointRouteBuilder
    {
        public static WebApplicationBuilder CreateBuilder(string[] args) { return new WebApplicationBuilder(); }
        public void Run(string url = null) { }
    }
}
