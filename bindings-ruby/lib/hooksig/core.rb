# frozen_string_literal: true

require "json"

module Hooksig
  DEFAULT_TOLERANCE = Native::DEFAULT_TOLERANCE

  module_function

  # The version of the libhooksig this process runs.
  def library_version
    Native.hooksig_version
  end

  # Where libhooksig was loaded from (a path, or the soname the loader searched for).
  def library_path
    Native.path
  end

  # The ids of the built-in schemes ("stripe", "github", ...), as the core lists them.
  def schemes
    Array.new(Native.hooksig_scheme_builtin_count) { |i| Native.hooksig_scheme_builtin_id(i) }
  end

  # Signs body as a sender of scheme (an id or a Scheme) would, with secret decoded as the
  # "auto" format does: the headers to send, in order (for tests, and services that send).
  # url:, method: the request line, for the schemes that sign it (twilio, square, hubspot:
  # without url: they raise Hooksig::InvalidArgumentError); other schemes ignore them.
  def sign(scheme, secret, body, timestamp: nil, id: nil, event_type: nil, url: nil, method: nil)
    scheme = Scheme.lookup(scheme)
    secret = Native.bytes(secret)
    body = Native.bytes(body)
    SignOptions.with(timestamp: timestamp, id: id, event_type: event_type, url: url, method: method) do |options|
      SignedHeaders.take(Native.call_out(:hooksig_sign, scheme.handle, secret, secret.bytesize,
                                         body, body.bytesize, options))
    end
  end

  # The URL a sender requested behind a proxy: the public base URL ("https://hooks.example.com",
  # what the vendor was given) joined with the request's path and query ("/hooks?a=1") with
  # exactly one "/" (the core's RequestLine::public_url).
  def public_url(base, path_and_query)
    "#{base.to_s.sub(%r{/+\z}, '')}/#{path_and_query.to_s.sub(%r{\A/+}, '')}"
  end

  # Unix seconds for C: an Integer, a Time (or anything with #to_i), nil for the system clock.
  def unix(time)
    return Native::NOW if time.nil?

    time.is_a?(Integer) ? time : Integer(time.to_i)
  end

  # A scheme: built in (Scheme.lookup("stripe")) or custom (Scheme.custom(...)). Immutable;
  # verifiers copy what they need.
  class Scheme
    attr_reader :handle

    def initialize(handle)
      @handle = handle
    end

    # The built-in scheme id; an unknown id raises Hooksig::UnknownSchemeError. A Scheme is
    # returned as it is.
    def self.lookup(id)
      return id if id.is_a?(Scheme)

      name = Native.bytes(id)
      new(Native.own(Native.call_out(:hooksig_scheme_from_name, name, name.bytesize), :hooksig_scheme_free))
    end

    # A custom scheme through the core's builder. The settings are the keys of the shared
    # vector files: id, signature_header (both required), timestamp_header, id_header,
    # event_header, template ("{ts}.{body}"), encoding ("hex", "base64"), prefix, algorithm
    # ("sha256", "sha512"), json_fallback (true/false). Each is handed to the core, which
    # refuses an unknown key, a bad value or an inconsistent whole (Hooksig::InvalidConfigError).
    def self.custom(**settings)
      builder = Native.own(Native.call_out(:hooksig_custom_scheme_builder_new), :hooksig_custom_scheme_builder_free)
      settings.each do |key, value|
        key = Native.bytes(key)
        value = value.to_s unless value.nil? # true/false -> "true"/"false"
        value = Native.bytes(value) unless value.nil?
        Native.call_err(:hooksig_custom_scheme_builder_set, builder, key, key.bytesize,
                        value, value ? value.bytesize : 0)
      end
      new(Native.own(Native.call_out(:hooksig_custom_scheme_builder_build, builder), :hooksig_scheme_free))
    end

    # The scheme's id (a custom scheme's own id).
    def id
      Native.read(:hooksig_scheme_id, handle)
    end

    def inspect
      "#<Hooksig::Scheme #{id}>"
    end
  end

  # Checks requests of one scheme against one or more secrets (rotation). Immutable: build it
  # once at start-up and share it between threads.
  class Verifier
    attr_reader :handle, :scheme_id

    # scheme: a built-in id or a Scheme. secret: one secret, or secrets: several (any may
    # match). tolerance: accepted clock skew in seconds, both ways (default: the scheme's window, 300 s; 600 for Twitch and Box).
    # secret_format: "auto" (default), "text", "base64" or "hex". json_fallback: true/false
    # (default: the scheme's). Refusals raise Hooksig::ConfigError subclasses
    # (UnknownSchemeError, InvalidSecretError, InvalidConfigError).
    def initialize(scheme, secret: nil, secrets: nil, tolerance: nil, secret_format: nil, json_fallback: nil)
      raise ArgumentError, "give secret: or secrets:, not both" if secret && secrets

      list = secrets ? Array(secrets) : [secret].compact
      scheme = Scheme.lookup(scheme)
      @scheme_id = scheme.id
      options = build_options(tolerance, secret_format, json_fallback)
      begin
        @handle = with_secrets(list) do |records, count|
          Native.own(Native.call_out(:hooksig_verifier_new, scheme.handle, records, count, options),
                     :hooksig_verifier_free)
        end
      ensure
        Native.hooksig_verifier_options_free(options) if options
      end
    end

    # One verifier over several (a multi-vendor endpoint), usable wherever a Verifier is. A
    # request is verified by the verifier whose signature header it carries (schemes sharing
    # headers, such as svix and clerk, are tried in order, the first success winning), and
    # Verified#scheme (hence #dedupe_key and the handshake answers) names the scheme that
    # matched; no vendor's signature header raises MissingSignatureError. verifiers: 1 to 16
    # Hooksig::Verifier of distinct schemes (else InvalidConfigError); their keys are shared,
    # not copied. Its own scheme_id is "any" and it does not sign (InvalidConfigError).
    def self.any_of(verifiers)
      raise TypeError, "verifiers must be an Array of Hooksig::Verifier, not #{verifiers.class}" unless verifiers.is_a?(Array)

      verifiers.each_with_index do |v, i|
        raise TypeError, "verifiers[#{i}] must be a Hooksig::Verifier, not #{v.class}" unless v.is_a?(Verifier)
      end
      list = FFI::MemoryPointer.new(:pointer, [verifiers.size, 1].max)
      list.write_array_of_pointer(verifiers.map(&:handle)) unless verifiers.empty?
      ptr = Native.call_out(:hooksig_verifier_any_of, verifiers.empty? ? nil : list, verifiers.size)
      composite = allocate
      composite.instance_variable_set(:@handle, Native.own(ptr, :hooksig_verifier_free))
      composite.instance_variable_set(:@scheme_id, "any")
      composite
    end

    # Verifies one request at the system clock (or now:, Unix seconds or a Time). headers: a
    # Hash (name => value, or an Array of values for a repeated header) or an Array of
    # [name, value] pairs, names in any case; body: the raw bytes as received. url:, method:
    # the request line, for the schemes that sign it (twilio, square, hubspot; see
    # #signs_request?): the full URL the sender requested (behind a proxy, the public one:
    # Hooksig.public_url) and the method (nil: POST); without url: those schemes raise
    # Hooksig::InvalidArgumentError, and other schemes ignore both. Returns a
    # Hooksig::Verified, or raises a Hooksig::VerificationError subclass (#code, #http_status).
    def verify(headers, body, now: nil, url: nil, method: nil)
      body = Native.bytes(body)
      pairs = Hooksig.header_pairs(headers)
      records, keep = header_records(pairs)
      ptr = if url.nil?
              Native.call_out(:hooksig_verify, handle, records, pairs.size, body, body.bytesize, Hooksig.unix(now))
            else
              request = request_record(keep, url, method)
              Native.call_out(:hooksig_verify_request, handle, records, pairs.size, body, body.bytesize, request,
                              Hooksig.unix(now))
            end
      keep.clear
      Verified.new(Native.own(ptr, :hooksig_verified_free))
    end

    # Whether this verifier's scheme signs the request line (twilio, square, hubspot, a custom
    # scheme with {method}/{url}, or an any_of holding one): integrations build the URL for
    # #verify only then.
    def signs_request?
      Native.hooksig_verifier_signs_request(handle)
    end

    # Internal (Receiver#handshake): yields headers (as #verify takes them) as hooksig_header
    # records and their count, kept alive for the block.
    def with_header_records(headers)
      pairs = Hooksig.header_pairs(headers)
      records, keep = header_records(pairs)
      yield records, pairs.size
    ensure
      keep&.clear
    end

    # Signs with the first secret, decoded with this verifier's secret format (url:, method:
    # as for Hooksig.sign).
    def sign(body, timestamp: nil, id: nil, event_type: nil, url: nil, method: nil)
      body = Native.bytes(body)
      SignOptions.with(timestamp: timestamp, id: id, event_type: event_type, url: url, method: method) do |options|
        SignedHeaders.take(Native.call_out(:hooksig_verifier_sign, handle, body, body.bytesize, options))
      end
    end

    # Seconds a replay guard for this verifier remembers deliveries (the core's rule: past +
    # future tolerance + 60 s, a day for schemes without a timestamp).
    def replay_ttl
      Native.hooksig_replay_default_ttl(handle)
    end

    def inspect
      "#<Hooksig::Verifier #{scheme_id}>"
    end

    private

    def build_options(tolerance, secret_format, json_fallback)
      return nil if tolerance.nil? && secret_format.nil? && json_fallback.nil?

      options = Native.call_out(:hooksig_verifier_options_new)
      begin
        Native.call_err(:hooksig_verifier_options_set_tolerance, options, Integer(tolerance)) unless tolerance.nil?
        unless secret_format.nil?
          format = Native.bytes(secret_format)
          Native.call_err(:hooksig_verifier_options_set_secret_format, options, format, format.bytesize)
        end
        unless json_fallback.nil?
          Native.call_err(:hooksig_verifier_options_set_json_fallback, options, json_fallback ? 1 : 0)
        end
      rescue StandardError
        Native.hooksig_verifier_options_free(options)
        raise
      end
      options
    end

    # The secrets as hooksig_bytes records in C memory, wiped after the call.
    def with_secrets(list)
      secrets = list.map { |s| Native.bytes(s) }
      records = FFI::MemoryPointer.new(Native::Bytes, [secrets.size, 1].max)
      buffers = secrets.map do |s|
        buf = FFI::MemoryPointer.new(:char, [s.bytesize, 1].max)
        buf.put_bytes(0, s)
        buf
      end
      buffers.each_with_index do |buf, i|
        record = Native::Bytes.new(records + (i * Native::Bytes.size))
        record[:ptr] = buf
        record[:len] = secrets[i].bytesize
      end
      yield records, secrets.size
    ensure
      buffers&.each_with_index { |buf, i| buf.clear if secrets[i].bytesize.positive? }
    end

    # The headers as hooksig_header records in C memory (one per value, in order); keep holds
    # the buffers until the call returned.
    def header_records(pairs)
      return [nil, []] if pairs.empty?

      records = FFI::MemoryPointer.new(Native::Header, pairs.size)
      keep = [records]
      pairs.each_with_index do |(name, value), i|
        record = Native::Header.new(records + (i * Native::Header.size))
        record[:name] = keep_bytes(keep, name)
        record[:name_len] = name.bytesize
        record[:value] = keep_bytes(keep, value)
        record[:value_len] = value.bytesize
      end
      [records, keep]
    end

    # A hooksig_request in C memory (url and method NUL-terminated: even an empty one is a real
    # address, NULL meaning "none"); keep holds the buffers until the call returned.
    def request_record(keep, url, method)
      url = Native.bytes(url)
      record = Native::Request.new(FFI::MemoryPointer.new(Native::Request))
      keep << record.pointer
      url_buf = FFI::MemoryPointer.from_string(url)
      keep << url_buf
      record[:url] = url_buf
      record[:url_len] = url.bytesize
      unless method.nil?
        method = Native.bytes(method)
        method_buf = FFI::MemoryPointer.from_string(method)
        keep << method_buf
        record[:method] = method_buf
        record[:method_len] = method.bytesize
      end
      record.pointer
    end

    def keep_bytes(keep, s)
      return FFI::Pointer::NULL if s.empty?

      buf = FFI::MemoryPointer.from_string(s) # copies (and adds a NUL that is not counted)
      keep << buf
      buf
    end
  end

  # Request headers as [name, value] byte-string pairs, in order, one per value.
  def self.header_pairs(headers)
    pairs = []
    return pairs if headers.nil?
    raise TypeError, "headers must be a Hash or an Array of [name, value] pairs, not #{headers.class}" unless headers.respond_to?(:each)

    headers.each do |name, value|
      Array(value).each { |v| pairs << [Native.bytes(name), Native.bytes(v)] }
    end
    pairs
  end

  # A request that verified. Parse #payload, not the raw body.
  class Verified
    # scheme: the scheme id; timestamp: the signed Unix time (nil when the scheme has none);
    # id, event_type: nil when absent; dedupe_key: the delivery's replay key; key_index: which
    # secret matched; payload: the authenticated bytes (the body, or the JSON the sender signed
    # when a scheme's JSON fallback matched), binary.
    attr_reader :scheme, :timestamp, :id, :event_type, :dedupe_key, :key_index, :payload, :handle

    def initialize(handle)
      @handle = handle
      @scheme = Native.read(:hooksig_verified_scheme, handle)
      @timestamp = Native.hooksig_verified_has_timestamp(handle) == 1 ? Native.hooksig_verified_timestamp(handle) : nil
      @id = Native.read(:hooksig_verified_id, handle)
      @event_type = Native.read(:hooksig_verified_event_type, handle)
      @dedupe_key = Native.read(:hooksig_verified_dedupe_key, handle)
      @key_index = Native.hooksig_verified_key_index(handle)
      @payload = Native.read(:hooksig_verified_payload, handle, binary: true).freeze
      freeze
    end

    # The payload decoded as JSON (string keys; JSON.parse's options may be passed, e.g.
    # symbolize_names: true). Raises JSON::ParserError when it is not JSON.
    def json(**options)
      JSON.parse(payload.dup.force_encoding(Encoding::UTF_8), **options)
    end

    # The canonical success answer: 200 {"status":"received","scheme":...,"id":...,"event_type":...}.
    def received
      Receiver.default.received(self)
    end

    def to_h
      { scheme: scheme, timestamp: timestamp, id: id, event_type: event_type,
        dedupe_key: dedupe_key, key_index: key_index, payload: payload }
    end

    def inspect
      "#<Hooksig::Verified #{scheme} id=#{id.inspect} event_type=#{event_type.inspect}>"
    end
  end

  # The headers a sender attaches: [name, value] pairs in the order to send them.
  class SignedHeaders < Array
    def self.take(ptr)
      list = new
      count = Native.hooksig_signed_headers_count(ptr)
      count.times do |i|
        list << [Native.read(:hooksig_signed_headers_name, ptr, i), Native.read(:hooksig_signed_headers_value, ptr, i)]
      end
      list.freeze
    ensure
      Native.hooksig_signed_headers_free(ptr)
    end

    def to_h
      each_with_object({}) { |(name, value), h| h[name] = value }
    end
  end

  # hooksig_sign_options for one call.
  module SignOptions
    def self.with(timestamp:, id:, event_type:, url: nil, method: nil)
      return yield nil if timestamp.nil? && id.nil? && event_type.nil? && url.nil? && method.nil?

      options = Native.call_out(:hooksig_sign_options_new)
      begin
        Native.call_err(:hooksig_sign_options_set_timestamp, options, Hooksig.unix(timestamp)) unless timestamp.nil?
        { hooksig_sign_options_set_id: id, hooksig_sign_options_set_event_type: event_type }.each do |fn, value|
          next if value.nil?

          value = Native.bytes(value)
          Native.call_err(fn, options, value, value.bytesize)
        end
        unless url.nil? && method.nil?
          u = url.nil? ? nil : Native.bytes(url)
          m = method.nil? || method.empty? ? nil : Native.bytes(method) # nil: POST
          Native.call_err(:hooksig_sign_options_set_request, options, m, m ? m.bytesize : 0, u, u ? u.bytesize : 0)
        end
        yield options
      ensure
        Native.hooksig_sign_options_free(options)
      end
    end
  end
end
