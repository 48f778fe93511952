// The one place a C status becomes a .NET exception (HooksigException, VerificationException,
// ConfigException); the categories come from libhooksig, never from a copy here.
using System;

namespace Hooksig
{
    /// <summary>
    /// The one place a C status becomes a .NET exception. Categories come from libhooksig (the
    /// core's table), never from a copy here.
    /// </summary>
    internal static class ErrorMapper
    {
        /// <summary>Throws for a failed status; frees the error object.</summary>
        internal static void Check(int status, IntPtr err)
        {
            if (status == 0) return;
            string message = null, header = null;
            if (err != IntPtr.Zero)
            {
                message = Utf8.DecodeCString(NativeMethods.hooksig_error_message(err));
                header = Utf8.DecodeCString(NativeMethods.hooksig_error_header(err));
                NativeMethods.hooksig_error_free(err);
            }
            throw FromStatus(status, message, header);
        }

        internal static HooksigException FromStatus(int status, string message, string header)
        {
            string code = Utf8.DecodeCString(NativeMethods.hooksig_status_code(status));
            message = message ?? Utf8.DecodeCString(NativeMethods.hooksig_status_message(status));
            if (NativeMethods.hooksig_status_is_verification_error(status) == 1)
                return new VerificationException(message, code, header, status);
            if (NativeMethods.hooksig_status_is_config_error(status) == 1)
                return new ConfigException(message, code, header, status);
            return new HooksigException(message, code, header, status);
        }
    }
}
