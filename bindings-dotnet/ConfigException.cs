// A configuration error: invalid_secret, unknown_scheme or invalid_config.
namespace Hooksig
{
    /// <summary>A configuration error: invalid_secret, unknown_scheme or invalid_config.</summary>
    public sealed class ConfigException : HooksigException
    {
        internal ConfigException(string message, string code, string header, int status)
            : base(message, code, header, status) { }
    }
}
