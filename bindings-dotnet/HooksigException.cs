// The base of every hooksig error: the stable string code shared by every binding, the header
// involved and the HTTP status a receiver answers.
using System;

namespace Hooksig
{
    /// <summary>Base class of every hooksig error.</summary>
    /// <remarks>
    /// <see cref="Code"/> is the stable string code shared by every hooksig binding
    /// ("signature_mismatch", "timestamp_expired", ...); <see cref="Header"/> names the header
    /// involved (or null); <see cref="HttpStatus"/> is what a receiver answers (400, 401, 500).
    /// Thrown as is only for misuse ("invalid_utf8", ...) or an internal error. Messages never
    /// contain a secret or the body.
    /// </remarks>
    public class HooksigException : Exception
    {
        internal HooksigException(string message, string code, string header, int status)
            : base(message)
        {
            Code = code;
            Header = header;
            Status = status;
            HttpStatus = NativeMethods.hooksig_status_http_status(status);
        }

        /// <summary>The stable string code, e.g. "signature_mismatch".</summary>
        public string Code { get; private set; }

        /// <summary>The canonical name of the header involved, or null.</summary>
        public string Header { get; private set; }

        /// <summary>The numeric C status (hooksig_status).</summary>
        public int Status { get; private set; }

        /// <summary>400 (missing/malformed header), 401 (bad signature, stale timestamp) or 500.</summary>
        public int HttpStatus { get; private set; }
    }
}
