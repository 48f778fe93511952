// A request that is not authentic or not acceptable (400 or 401).
namespace Hooksig
{
    /// <summary>The request is not authentic or not acceptable (answer <see cref="HooksigException.HttpStatus"/>: 400 or 401).</summary>
    public sealed class VerificationException : HooksigException
    {
        internal VerificationException(string message, string code, string header, int status)
            : base(message, code, header, status) { }
    }
}
