// A custom scheme definition (the keys of the shared vector files), built into a libhooksig
// hooksig_scheme (through hooksig_custom_scheme_builder) when a verifier is built or a body signed.
using System;
using System.Collections.Generic;

namespace Hooksig
{
    /// <summary>
    /// A custom scheme definition, with the keys of the shared vector files: id,
    /// signature_header, timestamp_header, id_header, event_header, template ("{ts}.{body}"),
    /// encoding ("hex"/"base64"), prefix, algorithm ("sha256"/"sha512"), json_fallback
    /// ("true"/"false"). Validated when a verifier is built or a body signed.
    /// </summary>
    public sealed class CustomScheme
    {
        private readonly List<KeyValuePair<string, string>> options = new List<KeyValuePair<string, string>>();

        /// <summary>A body-only, hex, HMAC-SHA256 scheme; adjust it with <see cref="Set"/>.</summary>
        /// <exception cref="ArgumentNullException">id or signatureHeader is null</exception>
        public CustomScheme(string id, string signatureHeader)
        {
            if (id == null) throw new ArgumentNullException("id");
            if (signatureHeader == null) throw new ArgumentNullException("signatureHeader");
            Id = id;
            SignatureHeader = signatureHeader;
        }

        /// <summary>Reported as <see cref="Verified.Scheme"/>.</summary>
        public string Id { get; private set; }

        /// <summary>The signature header's name.</summary>
        public string SignatureHeader { get; private set; }

        /// <summary>Sets an option (null value unsets an optional header or prefix); returns this.</summary>
        /// <exception cref="ArgumentNullException">key is null</exception>
        public CustomScheme Set(string key, string value)
        {
            if (key == null) throw new ArgumentNullException("key");
            if (key == "id") Id = value;
            else if (key == "signature_header") SignatureHeader = value;
            else options.Add(new KeyValuePair<string, string>(key, value));
            return this;
        }

        /// <summary>Builds the native hooksig_scheme (validated by the core); the caller frees it.</summary>
        internal IntPtr Build()
        {
            IntPtr builder, scheme, err;
            ErrorMapper.Check(NativeMethods.hooksig_custom_scheme_builder_new(out builder, out err), err);
            try
            {
                Apply(builder, "id", Id ?? "");
                Apply(builder, "signature_header", SignatureHeader ?? "");
                foreach (var option in options) Apply(builder, option.Key, option.Value);
                ErrorMapper.Check(NativeMethods.hooksig_custom_scheme_builder_build(builder, out scheme, out err), err);
                return scheme;
            }
            finally
            {
                NativeMethods.hooksig_custom_scheme_builder_free(builder);
            }
        }

        private static void Apply(IntPtr builder, string name, string text)
        {
            IntPtr err;
            byte[] key = Utf8.Encode(name), value = Utf8.Encode(text);
            ErrorMapper.Check(NativeMethods.hooksig_custom_scheme_builder_set(builder, key, NativeBytes.Length(key), value,
                NativeBytes.Length(value), out err), err);
        }
    }
}
