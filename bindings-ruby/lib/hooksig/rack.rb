# frozen_string_literal: true

require "hooksig"

module Hooksig
  module Rack
    # Rack middleware verifying webhook requests. Every answer but the handler's is the core's
    # (Hooksig::Receiver), byte for byte the same as every hooksig integration: 405 (Allow:
    # POST) for a method other than POST, 413 over the body limit (10 MiB by default; the body
    # is read with a limit, never whole), 400 for an unreadable body, the error code's status
    # and {"error":"<code>","message":"..."} for a request that does not verify, and with a
    # guard 200 {"status":"duplicate"}, 409 or 503 (Retry-After: 30).
    #
    # A verified request goes on to the app with the Hooksig::Verified in
    # env["hooksig.webhook"]. The app's status decides the delivery's replay key: 200-299
    # keeps it; any other status, or an exception (re-raised after the key is released),
    # releases it so that the sender's retry runs the app again.
    #
    #   use Hooksig::Rack::Webhook, verifier: Hooksig::Verifier.new("github", secret: ENV["SECRET"]),
    #                               guard: :memory
    #
    # The schemes that sign the URL (twilio, square, hubspot) are verified with the request's
    # method and URL: as received (http/https, the Host header, the path and query), or behind a
    # proxy public_url: + the path and query (public_url: "https://hooks.example.com").
    class Webhook
      ENV_KEY = "hooksig.webhook"

      attr_reader :verifier, :guard, :receiver, :public_url

      # verifier: a Hooksig::Verifier. guard: nil (none), :memory (a MemoryGuard sized for the
      # verifier) or any guard (MemoryGuard, RedisGuard, StoreGuard). limit: the body limit in
      # bytes, or receiver: a Hooksig::Receiver. public_url: the public base URL the senders
      # were given, when a proxy or load balancer stands in front (for the schemes that sign
      # the URL; others ignore it).
      def initialize(app = nil, verifier:, guard: nil, limit: nil, receiver: nil, public_url: nil)
        raise ArgumentError, "give limit: or receiver:, not both" if limit && receiver

        @app = app
        @verifier = verifier
        @guard = guard == :memory ? MemoryGuard.for(verifier) : guard
        @receiver = receiver || (limit ? Receiver.new(limit: limit) : Receiver.default)
        @public_url = public_url
        # Only the schemes that sign the request line need its URL (asked once).
        @signs_request = verifier.signs_request?
      end

      # The URL the sender requested: public_url + the path and query, else the URL as
      # received (rack.url_scheme, the Host header, the request target as sent).
      def self.request_url(env, public_url = nil)
        target = env["REQUEST_URI"].to_s
        unless target.start_with?("/")
          query = env["QUERY_STRING"].to_s
          target = "#{env['SCRIPT_NAME']}#{env['PATH_INFO']}#{query.empty? ? '' : "?#{query}"}"
        end
        return Hooksig.public_url(public_url, target) if public_url

        host = env["HTTP_HOST"] || "#{env['SERVER_NAME']}:#{env['SERVER_PORT']}"
        scheme = env["HTTPS"] == "on" ? "https" : (env["rack.url_scheme"] || "http")
        "#{scheme}://#{host}#{target}"
      end

      def call(env)
        result = nil
        answer = handle(env) do
          result = @app.call(env)
          result[0].to_i
        end
        answer ? answer.to_rack : result
      end

      # The receiver flow on a Rack env: returns the core's Answer to write, or nil when the
      # block ran (it runs with the Hooksig::Verified, also in env["hooksig.webhook"], and
      # returns the HTTP status it answered; an exception releases the key and propagates).
      def handle(env)
        length = env["CONTENT_LENGTH"]
        length = nil if length.nil? || length.to_s.empty?
        length = Integer(length, 10) rescue nil if length # rubocop:disable Style/RescueModifier
        length = nil if length&.negative? # not a length: read with the limit
        stop = receiver.start(env["REQUEST_METHOD"], length)
        return stop if stop

        body, stop = Webhook.read_body(env["rack.input"], receiver)
        return stop if stop

        headers = Webhook.headers(env)
        begin
          verified = if @signs_request
                       verifier.verify(headers, body, url: Webhook.request_url(env, public_url),
                                                      method: env["REQUEST_METHOD"])
                     else
                       verifier.verify(headers, body)
                     end
        rescue Hooksig::Error => e
          raise unless e.verification?

          return receiver.rejected(e)
        end
        # A vendor's endpoint handshake is answered by the core: no guard, no handler.
        handshake = receiver.handshake(verifier, verified, headers)
        return handshake if handshake
        run(env, verified) { |v| yield v }
      end

      # The request headers of a Rack env, as [name, value] pairs ("X-Hub-Signature-256";
      # Content-Type and Content-Length included). Repeated headers arrive joined by the
      # server (", "), which the core reads as a list.
      def self.headers(env)
        pairs = []
        env.each do |key, value|
          next unless value.is_a?(String)

          if key.start_with?("HTTP_")
            pairs << [key[5..].tr("_", "-"), value]
          elsif key == "CONTENT_TYPE" || key == "CONTENT_LENGTH"
            pairs << [key.tr("_", "-"), value]
          end
        end
        pairs
      end

      # Reads at most the receiver's limit + 1 bytes: [body, nil], or [nil, the core's 413 /
      # 400 answer].
      def self.read_body(input, receiver)
        return [+"".b, nil] if input.nil?

        limit = receiver.limit
        input.rewind if input.respond_to?(:rewind)
        body = +"".b
        while body.bytesize <= limit
          chunk = input.read([limit + 1 - body.bytesize, 65_536].min)
          break if chunk.nil? || chunk.empty?

          body << chunk.b
        end
        return [nil, receiver.body_too_large] if body.bytesize > limit

        [body, nil]
      rescue StandardError
        [nil, receiver.body_read_failed]
      end

      private

      def run(env, verified)
        key = verified.dedupe_key
        if guard
          # Only verified deliveries reach the guard: forged requests cannot burn keys.
          stop = receiver.guarded(guard.check(key))
          return stop if stop
        end
        env[ENV_KEY] = verified
        status = nil
        begin
          status = yield verified
        ensure
          # status nil: the block raised (or threw): the key is released.
          settle(key, receiver.finished(status)) if guard
        end
        nil
      end

      def settle(key, action)
        action == :keep ? guard.confirm(key) : guard.forget(key)
      end
    end
  end
end
