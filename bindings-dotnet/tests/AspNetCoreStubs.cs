// Just enough of ASP.NET Core's API surface for mcs to type-check examples/dotnet/Program.cs
// against the Hooksig library on a machine without the .NET SDK. Never run; signatures follow the
// real ones (Microsoft.AspNetCore.Builder / .Http, Microsoft.Extensions.Primitives).
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Extensions.Primitives;

namespace Microsoft.Extensions.Primitives
{
    public struct StringValues : IEnumerable<string>
    {
        public static implicit operator StringValues(string value) { return new StringValues(); }
        public IEnumerator<string> GetEnumerator() { yield break; }
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

    public abstract class HttpRequest
    {
        public abstract string Method { get; set; }
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

namespace Microsoft.AspNetCore.Builder
{
    public sealed class WebApplicationBuilder
    {
        public WebApplication Build() { return new WebApplication(); }
    }

    public sealed class WebApplication
    {
        public static WebApplicationBuilder CreateBuilder(string[] args) { return new WebApplicationBuilder(); }
        public object MapPost(string pattern, Microsoft.AspNetCore.Http.RequestDelegate handler) { return null; }
        public object Map(string pattern, Microsoft.AspNetCore.Http.RequestDelegate handler) { return null; }
        public void Run(string url = null) { }
    }
}
