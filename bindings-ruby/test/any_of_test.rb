# frozen_string_literal: true

# Hooksig::Verifier.any_of: the conversions (the selection rules are the core's, tested there),
# the README example, and one Rack endpoint answering Stripe, GitHub and Slack.
require_relative "test_helper"
require "open3"
require "json"
require "rack/test"
require "hooksig/rack"

class AnyOfTest < Minitest::Test
  include Rack::Test::Methods

  STRIPE = "whsec_stripe_any_of_test"
  GITHUB = "github_any_of_test"
  SLACK = "slack_any_of_test"

  def endpoint
    Hooksig::Verifier.any_of([
      Hooksig::Verifier.new("stripe", secret: STRIPE),
      Hooksig::Verifier.new("github", secret: GITHUB),
      Hooksig::Verifier.new("slack", secret: SLACK),
    ])
  end

  def test_verified_names_the_matched_scheme
    v = endpoint
    assert_equal "any", v.scheme_id
    body = '{"id":"evt_1","type":"charge.succeeded"}'
    ok = v.verify(Hooksig.sign("stripe", STRIPE, body, timestamp: 1_767_225_600), body, now: 1_767_225_600)
    assert_equal ["stripe", "evt_1", "stripe:id:evt_1"], [ok.scheme, ok.id, ok.dedupe_key]
    ok = v.verify(Hooksig.sign("github", GITHUB, "{}", id: "d-1", event_type: "push"), "{}")
    assert_equal ["github", "push"], [ok.scheme, ok.event_type]
    assert_equal 86_400, v.replay_ttl
  end

  def test_members_may_be_collected_first
    v = Hooksig::Verifier.any_of([Hooksig::Verifier.new("github", secret: GITHUB)])
    GC.start
    assert_equal "github", v.verify(Hooksig.sign("github", GITHUB, "{}"), "{}").scheme
  end

  def test_errors
    e = assert_raises(Hooksig::MissingSignatureError) { endpoint.verify({ "Content-Type" => "x" }, "{}") }
    assert_equal "Stripe-Signature", e.header
    assert_includes e.message, "X-Hub-Signature-256"
    e = assert_raises(Hooksig::InvalidConfigError) { endpoint.sign("{}") }
    assert_includes e.message, "sign with one of its verifiers"
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Verifier.any_of([]) }
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Verifier.any_of([endpoint]) }
    slack = Hooksig::Verifier.new("slack", secret: SLACK)
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Verifier.any_of([slack, slack]) }
    assert_raises(TypeError) { Hooksig::Verifier.any_of(slack) }
    e = assert_raises(TypeError) { Hooksig::Verifier.any_of([slack, "stripe"]) }
    assert_equal "verifiers[1] must be a Hooksig::Verifier, not String", e.message
  end

  def test_readme_example
    example = File.expand_path("../examples/any_of.rb", __dir__)
    promised = File.readlines(example).grep(/^\s*puts .*# /).map { |l| l.split("# ").last }.join
    argv = [RbConfig.ruby]
    argv += ["-I", File.expand_path("../lib", __dir__)] unless ENV["HOOKSIG_RUBY_INSTALLED"] == "1"
    out, err, status = Open3.capture3(*argv, example, chdir: Dir.tmpdir)
    assert status.success?, err
    assert_equal promised, out
  end

  def app
    return @app if @app

    v = endpoint
    @seen = []
    seen = @seen
    inner = lambda do |env|
      webhook = env["hooksig.webhook"]
      seen << [webhook.scheme, webhook.id]
      [200, { "content-type" => "application/json" }, [JSON.generate(scheme: webhook.scheme)]]
    end
    @app = Hooksig::Rack::Webhook.new(inner, verifier: v, guard: :memory)
  end

  def deliver(headers, body)
    rack_headers = headers.to_h.to_h { |k, val| ["HTTP_#{k.upcase.tr('-', '_')}", val] }
    post "/webhooks", body, rack_headers
    last_response
  end

  def test_one_rack_endpoint_for_stripe_github_and_slack
    stripe_body = '{"id":"evt_9","type":"charge.succeeded"}'
    stripe = Hooksig.sign("stripe", STRIPE, stripe_body)
    r = deliver(stripe, stripe_body)
    assert_equal [200, { "scheme" => "stripe" }], [r.status, JSON.parse(r.body)]
    r = deliver(Hooksig.sign("github", GITHUB, '{"zen":"z"}', id: "d-9"), '{"zen":"z"}')
    assert_equal [200, { "scheme" => "github" }], [r.status, JSON.parse(r.body)]
    r = deliver(stripe, stripe_body)
    assert_equal [200, { "status" => "duplicate" }], [r.status, JSON.parse(r.body)]
    slack_body = '{"type":"url_verification","challenge":"ch4ll"}'
    r = deliver(Hooksig.sign("slack", SLACK, slack_body), slack_body)
    assert_equal [200, { "challenge" => "ch4ll" }], [r.status, JSON.parse(r.body)]
    r = deliver({}, "{}")
    assert_equal [400, "missing_signature"], [r.status, JSON.parse(r.body)["error"]]
    assert_equal [%w[stripe evt_9], %w[github d-9]], @seen
  end
end
