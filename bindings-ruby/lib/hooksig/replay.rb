# frozen_string_literal: true

require "timeout"

module Hooksig
  # A replay guard is what the receiver drives around the handler: #check(key) before it
  # (:new, :duplicate, :in_progress or :unavailable), then #confirm(key) when it succeeded or
  # #forget(key) when it failed, as the core's Receiver#finished decides. MemoryGuard (one
  # process) and StoreGuard / RedisGuard (a shared store) implement it.

  # libhooksig's in-memory replay guard: remembers verified deliveries' keys for a while, in
  # this process (several processes or machines need a RedisGuard). Thread-safe; check and
  # remember is atomic.
  class MemoryGuard
    DEFAULT_CAPACITY = Native::DEFAULT_REPLAY_CAPACITY

    attr_reader :handle

    # A guard sized for verifier: ttl = verifier.replay_ttl, DEFAULT_CAPACITY.
    def self.for(verifier)
      allocate.tap { |g| g.send(:adopt, Native.call_out(:hooksig_replay_guard_new_for, verifier.handle)) }
    end

    # Remembers each key for ttl seconds (at least 1), at most capacity keys (when full, expired
    # entries go first, then the oldest). Out of range: Hooksig::InvalidArgumentError.
    def initialize(ttl:, capacity: DEFAULT_CAPACITY)
      adopt(Native.call_out(:hooksig_replay_guard_new, [Integer(ttl), 0].max, [Integer(capacity), 0].max))
    end

    # true when key is new (now remembered until now + ttl: run the handler), false for a
    # duplicate. now: Unix seconds or a Time; nil is the system clock.
    def check_and_remember(key, now: nil)
      key = Native.bytes(key)
      is_new = FFI::MemoryPointer.new(:int32)
      Native.call_err(:hooksig_replay_guard_check_and_remember, handle, key, key.bytesize, Hooksig.unix(now), is_new)
      is_new.read(:int32) == 1
    end

    # Forgets key (an unknown key is fine).
    def forget(key)
      key = Native.bytes(key)
      Native.call_err(:hooksig_replay_guard_forget, handle, key, key.bytesize)
    end

    def check(key)
      check_and_remember(key) ? :new : :duplicate
    rescue Hooksig::Error
      :unavailable
    end

    # Nothing to do: the check remembered the key.
    def confirm(_key); end

    def ttl
      Native.hooksig_replay_guard_ttl(handle)
    end

    def capacity
      Native.hooksig_replay_guard_capacity(handle)
    end

    # Keys held (expired ones included until they are purged).
    def size
      Native.hooksig_replay_guard_len(handle)
    end
    alias length size

    private

    def adopt(ptr)
      @handle = Native.own(ptr, :hooksig_replay_guard_free)
    end
  end

  # The core's replay-store contract (hooksig_shared_store): the key format, the two-phase
  # marker, its TTLs and the reading of each reply. StoreGuard runs it over a connection;
  # nothing here talks to a store.
  class SharedStore
    STEPS = { claim: 0, lookup: 1, keep: 2, release: 3 }.freeze
    PROCESSING_TTL = Native::PROCESSING_TTL

    attr_reader :handle

    # The core's key prefix, "hooksig:replay:".
    def self.default_prefix
      Native.read(:hooksig_store_default_prefix)
    end

    # Remembers handled deliveries for ttl seconds and claimed ones for processing_ttl (capped
    # at ttl) under prefix. Out of range: Hooksig::InvalidArgumentError.
    def initialize(ttl:, processing_ttl: PROCESSING_TTL, prefix: self.class.default_prefix)
      prefix = Native.bytes(prefix)
      @handle = Native.own(Native.call_out(:hooksig_shared_store_new, [Integer(ttl), 0].max,
                                           [Integer(processing_ttl), 0].max, prefix, prefix.bytesize),
                           :hooksig_shared_store_free)
    end

    # The command (Redis argv, name first) for step (:claim, :lookup, :keep, :release) on a key.
    def command(step, key)
      key = Native.bytes(key)
      ptr = Native.call_out(:hooksig_shared_store_command, handle, STEPS.fetch(step), key, key.bytesize)
      begin
        Array.new(Native.hooksig_store_command_argc(ptr)) { |i| Native.read(:hooksig_store_command_arg, ptr, i) }
      ensure
        Native.hooksig_store_command_free(ptr)
      end
    end

    # The claim's outcome: :new when it set the key, :lookup when the :lookup command must be
    # sent next (then #looked_up decides).
    def claimed(was_set)
      answer = Native.hooksig_shared_store_claimed(handle, was_set ? 1 : 0)
      answer == Native::STORE_LOOKUP_NEEDED ? :lookup : Receiver::GUARD_ANSWERS.key(answer)
    end

    # The lookup's reply (nil: no value): :duplicate or :in_progress.
    def looked_up(value)
      value = Native.bytes(value) unless value.nil?
      Receiver::GUARD_ANSWERS.key(Native.hooksig_shared_store_looked_up(handle, value, value ? value.bytesize : 0))
    end

    def ttl
      Native.hooksig_shared_store_ttl(handle)
    end

    def processing_ttl
      Native.hooksig_shared_store_processing_ttl(handle)
    end
  end

  # A replay guard over a shared store: every process and machine using the same store sees
  # the same deliveries. The commands and the reading of their replies are the core's
  # (SharedStore); conn runs one command: conn.call(argv) returns the reply ("OK", a value) or
  # nil for a nil reply (SET NX that did not set, GET of a missing key), and raises when the
  # store fails. A command that raises or takes longer than timeout seconds (the core's 2 s)
  # makes #check answer :unavailable (503).
  class StoreGuard
    TIMEOUT = Native::STORE_TIMEOUT_MS / 1000.0

    attr_reader :store, :conn, :timeout

    def initialize(conn, store:, timeout: TIMEOUT)
      @conn = conn
      @store = store
      @timeout = timeout
    end

    # A guard for verifier: ttl = verifier.replay_ttl, the core's processing TTL and prefix.
    def self.for(conn, verifier, timeout: TIMEOUT, prefix: SharedStore.default_prefix)
      new(conn, store: SharedStore.new(ttl: verifier.replay_ttl, prefix: prefix), timeout: timeout)
    end

    def check(key)
      reply = run(:claim, key)
      answer = store.claimed(reply == "OK")
      return answer unless answer == :lookup

      store.looked_up(run(:lookup, key))
    rescue StandardError
      :unavailable
    end

    # Best effort: a lost confirm lets the marker expire, and the retry runs the handler again.
    def confirm(key)
      run(:keep, key)
    rescue StandardError
      nil
    end

    # Best effort: the marker expires after the processing TTL.
    def forget(key)
      run(:release, key)
    rescue StandardError
      nil
    end

    private

    def run(step, key)
      argv = store.command(step, key)
      return conn.call(argv) unless timeout&.positive?

      Timeout.timeout(timeout) { conn.call(argv) }
    end
  end

  # StoreGuard over a redis-rb client (the `redis` gem, 4.x or 5.x): the core's commands sent
  # as they are with Redis#call.
  class RedisGuard < StoreGuard
    # redis: a Redis client (give it connect_timeout/read_timeout/write_timeout of at most 2 s,
    # as from_url does).
    def self.for(redis, verifier, timeout: TIMEOUT, prefix: SharedStore.default_prefix)
      super(redis_conn(redis), verifier, timeout: timeout, prefix: prefix)
    end

    # Connects to url (redis://host:port/db) with 2 s timeouts.
    def self.from_url(url, verifier:, timeout: TIMEOUT, prefix: SharedStore.default_prefix)
      require "redis"
      redis = ::Redis.new(url: url, connect_timeout: timeout, read_timeout: timeout, write_timeout: timeout,
                          reconnect_attempts: 0)
      self.for(redis, verifier, timeout: timeout, prefix: prefix)
    end

    def self.redis_conn(redis)
      ->(argv) { redis.call(*argv) }
    end
  end
end
