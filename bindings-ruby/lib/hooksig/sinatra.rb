# frozen_string_literal: true

require "hooksig/rack"

module Hooksig
  # A Sinatra extension: `webhook` routes every method of a path through the core's receiver
  # policy (Hooksig::Rack::Webhook) and runs the block for verified deliveries only.
  #
  #   class App < Sinatra::Base
  #     register Hooksig::Sinatra
  #     webhook "/webhooks/github", verifier: VERIFIER, guard: :memory do |event|
  #       event.received # the core's 200 {"status":"received",...}; or any Sinatra answer
  #     end
  #   end
  #
  # The block runs in the request's scope (params, status, headers, halt) with the
  # Hooksig::Verified as its argument (also in env["hooksig.webhook"]). Its answer is Sinatra's
  # as usual (a String, [status, body], status + body, halt), and a Hooksig::Answer is written
  # as it is. A status outside 200-299 or an exception releases the delivery's replay key
  # (the exception then goes on to Sinatra: 500).
  module Sinatra
    METHODS = %w[GET POST PUT PATCH DELETE HEAD OPTIONS LINK UNLINK].freeze

    module Helpers
      # Writes a Hooksig::Answer (status, Content-Type, headers, body bytes) and halts.
      def hooksig_answer(answer)
        status answer.status
        headers answer.header_hash
        body answer.body
      end
    end

    def self.registered(app)
      app.helpers Helpers
    end

    # verifier: a Hooksig::Verifier; guard: nil, :memory or a guard; limit: or receiver: the
    # body limit (10 MiB default); public_url: the public base URL behind a proxy, for the
    # schemes that sign the URL (twilio, square, hubspot).
    def webhook(path, verifier:, guard: nil, limit: nil, receiver: nil, public_url: nil, &block)
      raise ArgumentError, "webhook needs a block" unless block

      hook = Hooksig::Rack::Webhook.new(nil, verifier: verifier, guard: guard, limit: limit, receiver: receiver,
                                             public_url: public_url)
      handler = proc do
        answer = hook.handle(request.env) do |event|
          invoke do
            result = instance_exec(event, &block)
            if result.is_a?(Hooksig::Answer)
              hooksig_answer(result)
              nil
            else
              result
            end
          end
          response.status
        end
        hooksig_answer(answer) if answer
        nil
      end
      METHODS.each { |verb| route(verb, path, {}, &handler) }
    end
  end
end
