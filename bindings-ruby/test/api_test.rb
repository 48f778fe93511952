# frozen_string_literal: true

# The API around the tables: error classes and codes, Ruby-side bad inputs (nil, wrong types,
# encodings), custom schemes, signing, the receiver policy and the library lookup.
require_relative "test_helper"

class ApiTest < Minitest::Test
  GITHUB_SECRET = "It's a Secret to Everybody"
  GITHUB_SIG = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

  def github
    Hooksig::Verifier.new("github", secret: GITHUB_SECRET)
  end

  def test_statuses_are_the_librarys
    Hooksig::STATUSES.each do |code, status|
      assert_equal code, Hooksig::Native.hooksig_status_code(status)
    end
    assert_equal 20, Hooksig::STATUSES.size
    assert_equal 8, Hooksig::STATUSES["signature_mismatch"]
    {
      "timestamp_expired" => Hooksig::VerificationError, "unknown_scheme" => Hooksig::ConfigError,
      "invalid_argument" => Hooksig::ConfigError, "body_too_large" => Hooksig::ReceiverError,
      "body_read_failed" => Hooksig::ReceiverError, "replay_store_unavailable" => Hooksig::ReceiverError,
      "null_argument" => Hooksig::UsageError, "invalid_utf8" => Hooksig::UsageError, "internal" => Hooksig::InternalError
    }.each { |code, kind| assert_operator Hooksig::CODE_CLASSES.fetch(code), :<=, kind, code }
  end

  # FFI cannot read the header's #defines: the values the gem copies must be the header's.
  def test_constants_are_the_headers
    header = File.join(TABLES, "..", "bindings-c", "include", "hooksig.h")
    flunk "hooksig.h not found at #{header}" unless File.file?(header)
    defines = File.read(header, encoding: "UTF-8").scan(/^#define (HOOKSIG_\w+) (.+)$/).to_h
    value = ->(name) { Integer(eval(defines.fetch(name).sub("INT64_MIN", "-(2**63)"), binding, __FILE__, __LINE__)) } # rubocop:disable Security/Eval
    n = Hooksig::Native
    {
      "HOOKSIG_DEFAULT_BODY_LIMIT" => n::DEFAULT_BODY_LIMIT, "HOOKSIG_NO_CONTENT_LENGTH" => n::NO_CONTENT_LENGTH,
      "HOOKSIG_HANDLER_RAISED" => n::HANDLER_RAISED, "HOOKSIG_DEFAULT_REPLAY_CAPACITY" => n::DEFAULT_REPLAY_CAPACITY,
      "HOOKSIG_STORE_LOOKUP_NEEDED" => n::STORE_LOOKUP_NEEDED, "HOOKSIG_PROCESSING_TTL" => n::PROCESSING_TTL,
      "HOOKSIG_STORE_TIMEOUT_MS" => n::STORE_TIMEOUT_MS, "HOOKSIG_NOW" => n::NOW,
      "HOOKSIG_DEFAULT_TOLERANCE" => n::DEFAULT_TOLERANCE, "HOOKSIG_JSON_FALLBACK_DEFAULT" => n::JSON_FALLBACK_DEFAULT
    }.each { |name, ours| assert_equal value.call(name), ours, name }
    assert_equal defines.fetch("HOOKSIG_VERSION").delete('"'), Hooksig::VERSION
    assert_equal n::DEFAULT_BODY_LIMIT, Hooksig::Receiver.default.limit
  end

  def test_error_classes_and_http_statuses
    e = assert_raises(Hooksig::SignatureMismatchError) do
      github.verify({ "X-Hub-Signature-256" => "sha256=#{'0' * 64}" }, "Hello, World!")
    end
    assert_kind_of Hooksig::VerificationError, e
    assert_equal "signature_mismatch", e.code
    assert_equal 401, e.http_status
    assert e.verification?
    refute e.config?
    e = assert_raises(Hooksig::MissingSignatureError) { github.verify([], "x") }
    assert_equal 400, e.http_status
    assert_equal "X-Hub-Signature-256", e.header
    e = assert_raises(Hooksig::InvalidSecretError) { Hooksig::Verifier.new("github", secret: "") }
    assert_kind_of Hooksig::ConfigError, e
    assert_equal 500, e.http_status
    assert e.config?
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Verifier.new("github", secret: "x", tolerance: -1) }
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Verifier.new("github", secret: "x", secret_format: "rot13") }
    assert_kind_of Hooksig::ReceiverError, Hooksig::Error.for_status(13)
    assert_equal 413, Hooksig::Error.for_status(13).http_status
    assert_kind_of Hooksig::UsageError, Hooksig::Error.for_status(100)
  end

  def test_unknown_scheme_message_does_not_echo_a_secret
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    e = assert_raises(Hooksig::UnknownSchemeError) { Hooksig::Verifier.new(secret, secret: "x") }
    refute_includes e.message, secret
    refute_includes e.message, "MfKQ9r8"
  end

  def test_verify_takes_hashes_pairs_and_repeated_values
    body = "Hello, World!"
    assert_equal 0, github.verify({ "x-hub-signature-256" => GITHUB_SIG }, body).key_index
    assert_equal 0, github.verify([["X-HUB-SIGNATURE-256", GITHUB_SIG]], body).key_index
    # Repeated: the good value after a junk one (one record per value, in order).
    assert github.verify({ "X-Hub-Signature-256" => ["sha256=zz", GITHUB_SIG] }, body)
    assert github.verify({ "X-Hub-Signature-256" => GITHUB_SIG }, body.dup.force_encoding("UTF-16LE"))
    assert_raises(Hooksig::MissingSignatureError) { github.verify(nil, body) }
    assert_raises(Hooksig::MissingSignatureError) { github.verify({ "X-Hub-Signature-256" => nil }, body) }
  end

  def test_ruby_side_bad_inputs
    assert_raises(TypeError) { github.verify(42, "x") }
    assert_raises(ArgumentError) { Hooksig::Verifier.new("github", secret: "a", secrets: ["b"]) }
    assert_raises(Hooksig::InvalidSecretError) { Hooksig::Verifier.new("github") }
    assert_raises(Hooksig::UnknownSchemeError) { Hooksig::Verifier.new(nil, secret: "x") }
    assert_raises(Hooksig::InvalidUtf8Error) { Hooksig::Verifier.new("\xff".b, secret: "x") }
    assert_raises(ArgumentError) { Hooksig::Verifier.new("github", secret: "x", tolerance: "soon") }
    # A body that is not a String is its #to_s; nil is the empty body.
    e = assert_raises(Hooksig::SignatureMismatchError) { github.verify({ "X-Hub-Signature-256" => GITHUB_SIG }, nil) }
    assert_equal "signature_mismatch", e.code
  end

  def test_verify_at_a_time
    v = Hooksig::Verifier.new("stripe", secret: "whsec_abc")
    signed = v.sign("{}", timestamp: Time.at(1_767_225_600))
    assert_equal 1_767_225_600, v.verify(signed, "{}", now: Time.at(1_767_225_600)).timestamp
    e = assert_raises(Hooksig::TimestampExpiredError) { v.verify(signed, "{}", now: 1_767_225_600 + 301) }
    assert_equal 401, e.http_status
    assert v.verify(signed.to_h, "{}", now: 1_767_225_600 + 300)
  end

  def test_json_decodes_the_payload
    body = "{\"type\":\"push\",\"s\":\"caf\u00e9\"}"
    verified = github.verify(Hooksig.sign("github", GITHUB_SECRET, body), body)
    assert_equal({ "type" => "push", "s" => "caf\u00e9" }, verified.json)
    assert_equal({ type: "push", s: "caf\u00e9" }, verified.json(symbolize_names: true))
    form = "id=1&type=push"
    assert_raises(JSON::ParserError) { github.verify(Hooksig.sign("github", GITHUB_SECRET, form), form).json }
  end

  def test_sign_and_rotation
    signed = Hooksig.sign("github", GITHUB_SECRET, "Hello, World!")
    assert_equal [["X-Hub-Signature-256", GITHUB_SIG]], signed.to_a
    assert_equal({ "X-Hub-Signature-256" => GITHUB_SIG }, signed.to_h)
    v = Hooksig::Verifier.new("github", secrets: ["old-secret", GITHUB_SECRET])
    assert_equal 1, v.verify(signed, "Hello, World!").key_index
    assert_raises(Hooksig::UnknownSchemeError) { Hooksig.sign("nope", "x", "") }
    assert_raises(Hooksig::InvalidSecretError) { Hooksig.sign("github", "", "") }
    assert_raises(Hooksig::InvalidConfigError) { Hooksig.sign("stripe", "whsec_abc", "", timestamp: -5) }
  end

  def test_custom_scheme_through_the_builder
    scheme = Hooksig::Scheme.custom(id: "acme", signature_header: "X-Acme-Signature",
                                    timestamp_header: "X-Acme-Timestamp", template: "{ts}.{body}", prefix: "sha256=")
    assert_equal "acme", scheme.id
    v = Hooksig::Verifier.new(scheme, secret: "acme-secret")
    signed = v.sign("{}", timestamp: 1_767_225_600)
    assert_equal %w[X-Acme-Signature X-Acme-Timestamp], signed.map(&:first)
    got = v.verify(signed, "{}", now: 1_767_225_600)
    assert_equal "acme", got.scheme
    assert_match(/\Aacme:sig:/, got.dedupe_key)
    e = assert_raises(Hooksig::InvalidConfigError) { Hooksig::Scheme.custom(id: "x", signature_header: "X-S", template: "{ts}.{body}") }
    assert_equal "invalid_config", e.code
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Scheme.custom(id: "x", signature_header: "X-S", colour: "red") }
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Scheme.custom(signature_header: "X-S") }
    assert_raises(Hooksig::InvalidConfigError) { Hooksig::Scheme.custom(id: nil, signature_header: "X-S") }
  end

  def test_verified_is_frozen_and_carries_everything
    v = Hooksig::Verifier.new("standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    signed = v.sign('{"a":1}', timestamp: 1_767_225_600, id: "msg_1", event_type: "x.y")
    got = v.verify(signed, '{"a":1}', now: 1_767_225_600)
    assert got.frozen?
    assert got.payload.frozen?
    assert_equal "msg_1", got.id
    assert_equal "standard-webhooks:id:msg_1", got.dedupe_key
    assert_equal Encoding::UTF_8, got.id.encoding
    assert_equal 200, got.received.status
    assert_equal '{"status":"received","scheme":"standard-webhooks","id":"msg_1","event_type":null}', got.received.body
  end

  def test_receiver_policy
    r = Hooksig::Receiver.new(limit: 4)
    assert_equal 4, r.limit
    a = r.start("GET", nil)
    assert_equal 405, a.status
    assert_equal [%w[Allow POST]], a.headers
    assert_equal "application/json", a.content_type
    assert_nil r.start("POST", 4)
    assert_equal 413, r.start("POST", 5).status
    assert_nil r.start("POST", nil)
    assert_equal 413, r.body_too_large.status
    assert_equal 400, r.body_read_failed.status
    assert_nil r.guarded(:new)
    assert_equal '{"status":"duplicate"}', r.guarded(:duplicate).body
    assert_equal [["Retry-After", "30"]], r.guarded(:in_progress).headers
    assert_equal 503, r.guarded(:unavailable).status
    assert_equal :keep, r.finished(204)
    assert_equal :release, r.finished(422)
    assert_equal :release, r.finished(nil)
    assert_raises(Hooksig::InvalidArgumentError) { Hooksig::Receiver.new(limit: -1) }
    assert_raises(Hooksig::InvalidArgumentError) { r.guarded(7) }
    e = Hooksig::Error.for_status(Hooksig::STATUSES["null_argument"])
    assert_raises(Hooksig::InvalidArgumentError) { r.rejected(e) }
    a = r.start("POST", 5)
    assert_equal({ "Content-Type" => "application/json", "Content-Length" => a.body.bytesize.to_s }, a.header_hash)
  end

  def test_memory_guard
    g = Hooksig::MemoryGuard.new(ttl: 10, capacity: 2)
    assert g.check_and_remember("k", now: 100)
    refute g.check_and_remember("k", now: 105)
    assert g.check_and_remember("k", now: 111)
    g.forget("k")
    assert g.check_and_remember("k", now: 111)
    assert_equal 10, g.ttl
    assert_equal 2, g.capacity
    assert_equal 1, g.size
    assert_raises(Hooksig::InvalidArgumentError) { Hooksig::MemoryGuard.new(ttl: 0) }
    assert_raises(Hooksig::InvalidArgumentError) { Hooksig::MemoryGuard.new(ttl: -1) }
    assert_raises(Hooksig::InvalidUtf8Error) { g.check_and_remember("\xff".b) }
    assert_equal :unavailable, g.check("\xff".b)
    v = Hooksig::Verifier.new("stripe", secret: "whsec_abc")
    assert_equal v.replay_ttl, Hooksig::MemoryGuard.for(v).ttl
    assert_equal 660, v.replay_ttl
  end

  def test_shared_store_contract
    s = Hooksig::SharedStore.new(ttl: 660, prefix: "p:")
    assert_equal %w[SET p:k processing NX EX 60], s.command(:claim, "k")
    assert_equal %w[GET p:k], s.command(:lookup, "k")
    assert_equal %w[SET p:k done EX 660], s.command(:keep, "k")
    assert_equal %w[DEL p:k], s.command(:release, "k")
    assert_equal :new, s.claimed(true)
    assert_equal :lookup, s.claimed(false)
    assert_equal :duplicate, s.looked_up("done")
    assert_equal :in_progress, s.looked_up("processing")
    assert_equal :in_progress, s.looked_up(nil)
    assert_equal "hooksig:replay:", Hooksig::SharedStore.default_prefix
    assert_raises(Hooksig::InvalidArgumentError) { Hooksig::SharedStore.new(ttl: 0) }
  end

  def test_library_lookup_never_uses_the_cwd
    Dir.mktmpdir do |dir|
      File.write(File.join(dir, "libhooksig.so.0"), "not a library")
      File.write(File.join(dir, "libhooksig.so"), "not a library")
      lib = File.expand_path("../lib", __dir__)
      script = 'require "hooksig"; print Hooksig.library_path'
      env = { "HOOKSIG_LIB" => "libhooksig.so" }
      out = IO.popen(env, [RbConfig.ruby, "-I", lib, "-e", script, { chdir: dir, err: %i[child out] }], &:read)
      assert_includes out, "HOOKSIG_LIB must be a path"
      path = Hooksig.library_path
      out = IO.popen({ "HOOKSIG_LIB" => path }, [RbConfig.ruby, "-I", lib, "-e", script, { chdir: dir }], &:read)
      assert_equal File.expand_path(path), out
    end
  end

  def test_schemes_and_version
    assert_includes Hooksig.schemes, "stripe"
    assert_operator Hooksig.schemes.size, :>=, 32
    assert_equal Hooksig::VERSION, Hooksig.library_version
  end
end
