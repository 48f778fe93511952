// The in-memory replay guard (libhooksig's hooksig_replay_guard): drops duplicate deliveries
// by their dedupe keys, for one process.
using System;
using System.Text;

namespace Hooksig
{
    /// <summary>
    /// Drops duplicate deliveries (senders retry): remembers verified deliveries' keys for a while.
    /// After <see cref="Verifier.Verify"/> succeeds (never before: forged requests must not burn
    /// keys), call <see cref="CheckAndRemember"/> with <see cref="Verified.DedupeKey"/>: true means
    /// new (run the handler, and <see cref="Forget"/> the key if it fails), false a duplicate
    /// (answer 200 without running it, so the sender stops retrying).
    /// </summary>
    /// <remarks>
    /// Thread-safe and atomic: of several threads checking the same key at once, exactly one is
    /// told it is new. Entries expire <see cref="Ttl"/> seconds after they were remembered; at most
    /// <see cref="Capacity"/> keys are kept (expired ones go first, then the oldest). It lives in
    /// this process's memory: right for one ASP.NET Core or HttpListener process; several
    /// processes or machines need a shared store (Redis SET key 1 NX EX ttl).
    /// </remarks>
    public sealed class ReplayGuard : IDisposable, IReplayGuard
    {
        /// <summary>The default capacity (HOOKSIG_DEFAULT_REPLAY_CAPACITY), about 10 MB of keys.</summary>
        public const long DefaultCapacity = 100000;

        private readonly ReplayGuardHandle handle;

        /// <summary>A guard remembering each key for <paramref name="ttl"/> seconds.</summary>
        /// <param name="ttl">seconds a key is remembered; at least 1 (use at least the tolerance)</param>
        /// <param name="capacity">the most keys kept; at least 1</param>
        /// <exception cref="HooksigException">Code "invalid_argument": ttl or capacity below 1</exception>
        public ReplayGuard(long ttl, long capacity = DefaultCapacity)
        {
            // The C parameters are unsigned: a negative value is passed as 0, which libhooksig
            // refuses with invalid_argument (instead of wrapping around to a huge value).
            ReplayGuardHandle created;
            IntPtr err;
            int status = NativeMethods.hooksig_replay_guard_new((ulong)Math.Max(ttl, 0),
                (UIntPtr)(ulong)Math.Max(capacity, 0), out created, out err);
            ErrorMapper.Check(status, err);
            handle = created;
        }

        private ReplayGuard(ReplayGuardHandle created)
        {
            handle = created;
        }

        /// <summary>A replay key as UTF-8; never null, and never an empty array (which the
        /// marshaller may pass as NULL): "" becomes a one-byte array passed with length 0.</summary>
        private static byte[] EncodeKey(string key, out UIntPtr len)
        {
            if (key == null) throw new ArgumentNullException("key");
            byte[] bytes = Encoding.UTF8.GetBytes(key);
            len = (UIntPtr)bytes.Length;
            return bytes.Length == 0 ? new byte[1] : bytes;
        }

        /// <summary>A guard for a verifier: ttl = its past + future tolerance + 60 s (a day without timestamps), default capacity.</summary>
        public static ReplayGuard ForVerifier(Verifier verifier)
        {
            if (verifier == null) throw new ArgumentNullException("verifier");
            ReplayGuardHandle created;
            IntPtr err;
            ErrorMapper.Check(NativeMethods.hooksig_replay_guard_new_for(verifier.Handle, out created, out err), err);
            return new ReplayGuard(created);
        }

        /// <summary>Atomically checks a key and remembers it.</summary>
        /// <param name="key">the delivery's key, normally <see cref="Verified.DedupeKey"/></param>
        /// <param name="now">Unix seconds, or null for the system clock</param>
        /// <returns>true if the key is new (now remembered until now + ttl), false for a duplicate</returns>
        public bool CheckAndRemember(string key, long? now = null)
        {
            UIntPtr len;
            byte[] bytes = EncodeKey(key, out len);
            int isNew;
            IntPtr err;
            int status = NativeMethods.hooksig_replay_guard_check_and_remember(handle, bytes, len,
                now.HasValue ? now.Value : NativeMethods.Now, out isNew, out err);
            ErrorMapper.Check(status, err);
            return isNew == 1;
        }

        /// <summary>Forgets a key (the handler failed: let the sender's retry run it). Unknown keys are fine.</summary>
        public void Forget(string key)
        {
            UIntPtr len;
            byte[] bytes = EncodeKey(key, out len);
            IntPtr err;
            ErrorMapper.Check(NativeMethods.hooksig_replay_guard_forget(handle, bytes, len, out err), err);
        }

        /// <summary><see cref="CheckAndRemember"/> as a <see cref="GuardAnswer"/> (New or Duplicate).</summary>
        GuardAnswer IReplayGuard.Check(string key)
        {
            return CheckAndRemember(key) ? GuardAnswer.New : GuardAnswer.Duplicate;
        }

        /// <summary>Nothing to confirm: the key was remembered by the check.</summary>
        void IReplayGuard.Confirm(string key) { }

        /// <summary>Seconds a key is remembered.</summary>
        public long Ttl
        {
            get { return (long)Math.Min(NativeMethods.hooksig_replay_guard_ttl(handle), long.MaxValue); }
        }

        /// <summary>The most keys kept.</summary>
        public long Capacity
        {
            get { return (long)NativeMethods.hooksig_replay_guard_capacity(handle).ToUInt64(); }
        }

        /// <summary>Keys currently held (expired ones included until purged).</summary>
        public long Count
        {
            get { return (long)NativeMethods.hooksig_replay_guard_len(handle).ToUInt64(); }
        }

        /// <summary>Frees the native guard (once no other thread is inside a call).</summary>
        public void Dispose()
        {
            handle.Dispose();
        }
    }
}
