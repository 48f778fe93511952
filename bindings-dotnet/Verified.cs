// A verified webhook: what was signed, its ids and its replay key.
using System.IO;
using System.Runtime.Serialization.Json;

namespace Hooksig
{
    /// <summary>A verified webhook. Act on <see cref="Payload"/> (what was signed), not the raw body.</summary>
    public sealed class Verified
    {
        /// <summary>The scheme id (a custom scheme's own id).</summary>
        public string Scheme { get; internal set; }
        /// <summary>The signed timestamp (Unix seconds), or null for schemes without one.</summary>
        public long? Timestamp { get; internal set; }
        /// <summary>The message / delivery / event id, or null. Use it to reject replays.</summary>
        public string Id { get; internal set; }
        /// <summary>The event type, or null.</summary>
        public string EventType { get; internal set; }
        /// <summary>Which secret matched (0-based; rotation).</summary>
        public int KeyIndex { get; internal set; }
        /// <summary>The authenticated bytes: the body, or the re-serialized JSON the sender signed.</summary>
        public byte[] Payload { get; internal set; }
        /// <summary>
        /// The delivery's replay key: "&lt;scheme&gt;:id:&lt;id&gt;" when the scheme carries a
        /// message id, else "&lt;scheme&gt;:sig:&lt;hex&gt;" (a fingerprint of the signed content).
        /// Give it to <see cref="ReplayGuard.CheckAndRemember"/>.
        /// </summary>
        public string DedupeKey { get; internal set; }

        /// <summary>
        /// The payload parsed as JSON into <typeparamref name="T"/>, with the framework's
        /// DataContractJsonSerializer (in .NET Framework, .NET Standard 2.0 and Mono: no
        /// package): a <c>[DataContract]</c> type with <c>[DataMember(Name = "...")]</c>
        /// members, or a type whose public fields and properties are named as the JSON keys.
        /// Throws System.Runtime.Serialization.SerializationException when the payload is not
        /// JSON of that shape.
        /// <code>
        /// [DataContract] class Event { [DataMember(Name = "type")] public string Type; }
        /// var e = verified.Json&lt;Event&gt;();
        /// </code>
        /// </summary>
        public T Json<T>()
        {
            using (var stream = new MemoryStream(Payload, false))
                return (T)new DataContractJsonSerializer(typeof(T)).ReadObject(stream);
        }

        /// <summary>The core's success answer for this delivery (<see cref="Receiver.Received"/>).</summary>
        internal ReceiverAnswer ReceivedAnswer { get; set; }

        /// <summary>The core's answer to a vendor's endpoint handshake (Slack url_verification, Zoom
        /// endpoint.url_validation, Twitch webhook_callback_verification), or null.</summary>
        internal ReceiverAnswer HandshakeAnswer { get; set; }
    }
}
