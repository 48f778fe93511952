# frozen_string_literal: true

module Hooksig
  # One HTTP answer decided by the core: write its status, Content-Type, headers and body
  # bytes exactly.
  class Answer
    # status: Integer; content_type: "application/json"; headers: [name, value] pairs besides
    # Content-Type (Allow, Retry-After); body: the exact bytes (binary).
    attr_reader :status, :content_type, :headers, :body

    def initialize(status, content_type, headers, body)
      @status = status
      @content_type = content_type
      @headers = headers.freeze
      @body = body.freeze
      freeze
    end

    # Copies a hooksig_answer into Ruby and frees it (nil for NULL: "go on").
    def self.take(ptr)
      return nil if ptr.nil? || ptr.null?

      begin
        headers = Array.new(Native.hooksig_answer_header_count(ptr)) do |i|
          [Native.read(:hooksig_answer_header_name, ptr, i), Native.read(:hooksig_answer_header_value, ptr, i)]
        end
        new(Native.hooksig_answer_status(ptr), Native.read(:hooksig_answer_content_type, ptr), headers,
            Native.read(:hooksig_answer_body, ptr, binary: true))
      ensure
        Native.hooksig_answer_free(ptr)
      end
    end

    # Every header to write, Content-Type and Content-Length included, in a Hash; names as
    # Rack expects them (lower case under Rack 3).
    def header_hash
      h = { "Content-Type" => content_type }
      headers.each { |name, value| h[name] = h.key?(name) ? "#{h[name]}, #{value}" : value }
      h["Content-Length"] = body.bytesize.to_s
      Hooksig.rack3? ? h.transform_keys(&:downcase) : h
    end

    # The Rack response: [status, headers, [body]].
    def to_rack
      [status, header_hash, [body]]
    end

    def inspect
      "#<Hooksig::Answer #{status} #{body.inspect}>"
    end
  end

  def self.rack3?
    defined?(::Rack::RELEASE) && ::Rack::RELEASE.to_i >= 3
  end

  # The core's receiver policy for one endpoint: the body limit and every answer around a
  # verification. Immutable: share it. Hooksig::Rack::Webhook and the Sinatra helper drive it;
  # use it directly only to write an adapter for another HTTP stack.
  class Receiver
    DEFAULT_LIMIT = Native::DEFAULT_BODY_LIMIT
    # Receiver#finished's status for a handler that raised.
    HANDLER_RAISED = Native::HANDLER_RAISED
    GUARD_ANSWERS = { new: 0, duplicate: 1, in_progress: 2, unavailable: 3 }.freeze

    attr_reader :handle

    # The shared policy with the default 10 MiB limit.
    def self.default
      DEFAULT
    end

    # A policy accepting bodies of at most limit bytes (0 admits only empty bodies).
    def initialize(limit: DEFAULT_LIMIT)
      limit = Integer(limit)
      raise Hooksig::Error.for_status(STATUSES["invalid_argument"], "the body limit must be at least 0") if limit.negative?

      @handle = Native.own(Native.call_out(:hooksig_receiver_new, limit), :hooksig_receiver_free)
    end

    # The body limit in bytes: read at most this many.
    def limit
      Native.hooksig_receiver_limit(handle)
    end

    # Before reading the body: the Answer to write instead (405 with Allow: POST, 413 for a
    # declared length over the limit), or nil (read at most #limit bytes). content_length: the
    # declared length, nil when there is none.
    def start(method, content_length)
      m = Native.bytes(method)
      length = content_length.nil? ? Native::NO_CONTENT_LENGTH : Integer(content_length)
      answer(:hooksig_receiver_start, m, m.bytesize, length)
    end

    # 413: the body grew past the limit while it was read.
    def body_too_large
      answer(:hooksig_receiver_body_too_large)
    end

    # 400: the body could not be read.
    def body_read_failed
      answer(:hooksig_receiver_body_read_failed)
    end

    # The answer for a failed verification (a Hooksig::Error Verifier#verify raised): its
    # status and {"error":"<code>","message":"<description>"}.
    def rejected(error)
      answer(:hooksig_receiver_rejected_status, error.status)
    end

    # After the replay guard answered for a verified delivery's key (:new, :duplicate,
    # :in_progress, :unavailable): nil (run the handler) or the Answer to write.
    def guarded(guard_answer)
      answer(:hooksig_receiver_guarded, GUARD_ANSWERS.fetch(guard_answer) { Integer(guard_answer) })
    end

    # After a successful Verifier#verify, before the replay guard: the core's answer to a
    # vendor's endpoint handshake (Slack url_verification → 200 {"challenge":…}; Zoom
    # endpoint.url_validation → 200 {"plainToken":…,"encryptedToken":…}; Twitch
    # webhook_callback_verification → 200 text/plain with the challenge), or nil. Write it and
    # stop: the handler does not run and the guard is not asked. headers: as passed to verify.
    def handshake(verifier, verified, headers)
      verifier.with_header_records(headers) do |records, count|
        answer(:hooksig_receiver_handshake, verifier.handle, verified.handle, records, count)
      end
    end

    # The canonical success answer for a verified delivery.
    def received(verified)
      answer(:hooksig_receiver_received, verified.handle)
    end

    # After the handler: its HTTP status, or nil when it raised. :keep (200-299) or :release
    # (anything else: forget the key so that the sender's retry runs the handler again).
    def finished(handler_status)
      status = handler_status.nil? ? HANDLER_RAISED : Integer(handler_status)
      Native.hooksig_receiver_finished(handle, status).zero? ? :keep : :release
    end

    private

    def answer(fn, *args)
      Answer.take(Native.call_out(fn, handle, *args))
    end

    DEFAULT = new
  end
end
