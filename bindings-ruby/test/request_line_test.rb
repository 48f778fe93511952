# frozen_string_literal: true

# The request line (twilio, square, hubspot): what this gem converts — verify(url:, method:),
# sign(url:, method:), Verifier#signs_request?, Hooksig.public_url, the Rack middleware's URL —
# and the integrations behind a proxy: a Twilio form POST verifies with public_url: and is 401
# without it (Rack and Sinatra, with rack-test). What is signed is the core's (the vectors).
require_relative "test_helper"
require "rack/test"
require "open3"
require "sinatra/base"
require "hooksig/sinatra"

class RequestLineTest < Minitest::Test
  URL = "https://hooks.example.com/square?x=1"
  BODY = '{"event_id":"sq-1","type":"payment.created"}'

  def test_verify_and_sign_take_the_request_line
    square = Hooksig::Verifier.new("square", secret: "sq-key")
    github = Hooksig::Verifier.new("github", secret: "k")
    both = Hooksig::Verifier.any_of([github, square])
    assert square.signs_request?
    refute github.signs_request?
    assert both.signs_request?
    headers = Hooksig.sign("square", "sq-key", BODY, url: URL)
    assert_equal headers, square.sign(BODY, url: URL, method: "POST")
    assert_equal "square", square.verify(headers, BODY, url: URL).scheme
    assert_equal "square", both.verify(headers, BODY, url: URL, method: "POST").scheme
    assert_raises(Hooksig::SignatureMismatchError) { square.verify(headers, BODY, url: "#{URL}&y=2") }
    # Without a URL (or an empty one) the scheme cannot verify, nor sign.
    assert_raises(Hooksig::InvalidArgumentError) { square.verify(headers, BODY) }
    assert_raises(Hooksig::InvalidArgumentError) { square.verify(headers, BODY, url: "") }
    assert_raises(Hooksig::InvalidArgumentError) { Hooksig.sign("square", "sq-key", BODY) }
    # Other schemes ignore the request line.
    gh = Hooksig.sign("github", "k", BODY)
    assert_equal gh, Hooksig.sign("github", "k", BODY, url: URL, method: "PUT")
    assert_equal "github", github.verify(gh, BODY, url: "https://elsewhere/", method: "GET").scheme
    # HubSpot signs the method too.
    hubspot = Hooksig::Verifier.new("hubspot", secret: "client-secret")
    hs = hubspot.sign(BODY, url: "https://h.example/hs", method: "PUT")
    assert_equal "hubspot", hubspot.verify(hs, BODY, url: "https://h.example/hs", method: "PUT").scheme
    assert_raises(Hooksig::SignatureMismatchError) { hubspot.verify(hs, BODY, url: "https://h.example/hs") }
  end

  # The README's example (examples/url_schemes.rb) runs as written and prints what it promises.
  def test_readme_example
    example = File.expand_path("../examples/url_schemes.rb", __dir__)
    promised = File.readlines(example).grep(/^\s*puts .*# /).map { |l| l.split("# ").last }.join
    out, err, status = Open3.capture3(RbConfig.ruby, "-I", File.expand_path("../lib", __dir__), example,
                                      chdir: Dir.tmpdir)
    assert status.success?, err
    assert_equal 2, promised.lines.size
    assert_equal promised, out
  end

  def test_public_url_and_request_url
    assert_equal "https://hooks.example.com/hook?a=1", Hooksig.public_url("https://hooks.example.com/", "/hook?a=1")
    assert_equal "https://hooks.example.com/hook", Hooksig.public_url("https://hooks.example.com", "hook")
    assert_equal "https://h.example/p/x", Hooksig.public_url("https://h.example/p//", "//x")
    env = Rack::MockRequest.env_for("http://example.com:8080/a/b?c=d%20e", method: "POST")
    assert_equal "http://example.com:8080/a/b?c=d%20e", Hooksig::Rack::Webhook.request_url(env)
    assert_equal "https://pub.example/a/b?c=d%20e", Hooksig::Rack::Webhook.request_url(env, "https://pub.example/")
    env["REQUEST_URI"] = "/raw%2Fpath?q=1"
    env["rack.url_scheme"] = "https"
    assert_equal "https://example.com:8080/raw%2Fpath?q=1", Hooksig::Rack::Webhook.request_url(env)
  end
end

# A Twilio form POST behind a proxy: Twilio signs the public URL; the app sees another one.
module TwilioBehindProxy
  include Rack::Test::Methods
  TOKEN = "12345678901234567890123456789012"
  PUBLIC = "https://hooks.example.com"
  FORM = "AccountSid=AC123&Body=Hello+%2B+bye&From=%2B14155550100"

  def deliver
    signed = Hooksig.sign("twilio", TOKEN, FORM, url: "#{PUBLIC}/sms?tenant=acme")
    env = signed.to_h.to_h { |k, v| ["HTTP_#{k.upcase.tr('-', '_')}", v] }
    post "http://internal:8080/sms?tenant=acme", FORM, env.merge("CONTENT_TYPE" => "application/x-www-form-urlencoded")
  end

  def test_verifies_with_public_url
    @public_url = PUBLIC
    deliver
    assert_equal 200, last_response.status, last_response.body
    assert_equal '{"status":"received","scheme":"twilio","id":null,"event_type":null}', last_response.body
  end

  def test_401_without_public_url
    @public_url = nil
    deliver
    assert_equal 401, last_response.status
    assert_includes last_response.body, "signature_mismatch"
  end
end

class RackTwilioBehindProxyTest < Minitest::Test
  include TwilioBehindProxy

  def app
    Hooksig::Rack::Webhook.new(->(env) { env["hooksig.webhook"].received.to_rack },
                               verifier: Hooksig::Verifier.new("twilio", secret: TOKEN), public_url: @public_url)
  end
end

class SinatraTwilioBehindProxyTest < Minitest::Test
  include TwilioBehindProxy

  def app
    public_url = @public_url
    Class.new(Sinatra::Base) do
      register Hooksig::Sinatra
      set :environment, :production
      webhook "/sms", verifier: Hooksig::Verifier.new("twilio", secret: TOKEN), public_url: public_url do |event|
        event.received
      end
    end
  end
end
