# frozen_string_literal: true

# Hooksig::Rack::Webhook and the Sinatra helper with rack-test (no server): what the table
# cannot send (a body without Content-Length, an unreadable body), the env key, and Sinatra's
# usual answers from a webhook block.
require_relative "test_helper"
require "rack/test"
require "stringio"
require "sinatra/base"
require "hooksig/sinatra"

class RackWebhookTest < Minitest::Test
  include Rack::Test::Methods
  SECRET = "whsec_hooksig_receivers"
  BODY = '{"id":"evt_1","event":"license.created"}'

  def verifier
    @verifier ||= Hooksig::Verifier.new("algoguard", secret: SECRET)
  end

  def signed_env(body = BODY)
    Hooksig.sign("algoguard", SECRET, body).to_h.to_h { |k, v| ["HTTP_#{k.upcase.tr('-', '_')}", v] }
  end

  def app
    @app ||= Hooksig::Rack::Webhook.new(lambda { |env|
      event = env["hooksig.webhook"]
      [202, { "Content-Type" => "text/plain" }, ["#{event.id} #{event.payload.bytesize}"]]
    }, verifier: verifier, guard: :memory, limit: 64)
  end

  def test_a_verified_request_reaches_the_app
    post "/", BODY, signed_env
    assert_equal 202, last_response.status
    assert_equal "evt_1 #{BODY.bytesize}", last_response.body
    post "/", BODY, signed_env
    assert_equal 200, last_response.status
    assert_equal '{"status":"duplicate"}', last_response.body
  end

  def test_no_content_length_reads_with_the_limit
    env = signed_env("a" * 65).merge("CONTENT_LENGTH" => nil, "rack.input" => StringIO.new("a" * 65))
    env.delete("CONTENT_LENGTH")
    status, headers, body = app.call(Rack::MockRequest.env_for("/", method: "POST").merge(env).tap { |e| e.delete("CONTENT_LENGTH") })
    assert_equal 413, status
    assert_equal "application/json", headers["Content-Type"]
    assert_includes body.join, "body_too_large"
    env = Rack::MockRequest.env_for("/", method: "POST", input: "a" * 64).merge(signed_env("a" * 64))
    env.delete("CONTENT_LENGTH")
    assert_equal 202, app.call(env)[0]
  end

  def test_an_unreadable_body_is_400
    broken = Object.new
    def broken.read(*) = raise(IOError, "client went away")
    env = Rack::MockRequest.env_for("/", method: "POST").merge(signed_env, "rack.input" => broken)
    status, _, body = app.call(env)
    assert_equal 400, status
    assert_equal '{"error":"body_read_failed","message":"the request body could not be read"}', body.join
  end

  def test_a_raising_app_releases_the_key
    calls = 0
    hook = Hooksig::Rack::Webhook.new(lambda { |_env|
      calls += 1
      raise "boom" if calls == 1

      [200, {}, ["ok"]]
    }, verifier: verifier, guard: :memory)
    env = -> { Rack::MockRequest.env_for("/", method: "POST", input: BODY).merge(signed_env) }
    assert_raises(RuntimeError) { hook.call(env.call) }
    assert_equal 200, hook.call(env.call)[0]
    assert_equal '{"status":"duplicate"}', hook.call(env.call)[2].join
    assert_equal 2, calls
  end

  def test_configuration_errors_are_not_answered_as_requests
    assert_raises(ArgumentError) { Hooksig::Rack::Webhook.new(nil, verifier: verifier, limit: 1, receiver: Hooksig::Receiver.new) }
  end
end

class SinatraHelperTest < Minitest::Test
  include Rack::Test::Methods
  SECRET = "It's a Secret to Everybody"

  class App < Sinatra::Base
    register Hooksig::Sinatra
    set :environment, :test
    set :raise_errors, false
    set :show_exceptions, false
    VERIFIER = Hooksig::Verifier.new("github", secret: SECRET)
    webhook "/string", verifier: VERIFIER do |event|
      "got #{event.payload}"
    end
    webhook "/halt", verifier: VERIFIER, guard: :memory do |_event|
      halt 409, "busy"
    end
    webhook "/env", verifier: VERIFIER do |event|
      [201, (env["hooksig.webhook"].equal?(event) ? "same" : "different")]
    end
  end

  def app
    App
  end

  def post_signed(path, body = "Hello, World!")
    headers = Hooksig.sign("github", SECRET, body).to_h.to_h { |k, v| ["HTTP_#{k.upcase.tr('-', '_')}", v] }
    post path, body, headers
  end

  def test_a_string_answer
    post_signed "/string"
    assert_equal 200, last_response.status
    assert_equal "got Hello, World!", last_response.body
  end

  def test_halt_is_a_failed_handler_and_releases_the_key
    post_signed "/halt"
    assert_equal 409, last_response.status
    post_signed "/halt"
    assert_equal "busy", last_response.body # released: the block ran again, no duplicate
  end

  def test_the_event_is_in_the_env
    post_signed "/env"
    assert_equal 201, last_response.status
    assert_equal "same", last_response.body
  end

  def test_other_methods_get_the_cores_405
    get "/string"
    assert_equal 405, last_response.status
    assert_equal "POST", last_response.headers["Allow"]
    assert_equal "application/json", last_response.headers["Content-Type"]
    assert_includes last_response.body, "method_not_allowed"
  end

  def test_a_forged_request
    post "/string", "Hello, World!", "HTTP_X_HUB_SIGNATURE_256" => "sha256=#{'0' * 64}"
    assert_equal 401, last_response.status
    assert_equal '{"error":"signature_mismatch","message":"no signature matched any secret"}', last_response.body
  end
end
