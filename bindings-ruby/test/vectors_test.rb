# frozen_string_literal: true

# The shared tables every binding runs: tests/vectors/*.json (known answers, one test per
# case) and tests/bad-inputs/cases.json (hostile inputs). Formats: tests/vectors/README.md and
# the bad-input file's _comment.
require_relative "test_helper"
require "base64"

class VectorsTest < Minitest::Test
  FILES = Dir[File.join(TABLES, "vectors", "*.json")].sort

  def self.scheme_for(raw)
    raw.is_a?(String) ? Hooksig::Scheme.lookup(raw) : Hooksig::Scheme.custom(**raw.fetch("custom").transform_keys(&:to_sym))
  end

  COUNT = FILES.sum do |path|
    doc = JSON.parse(File.read(path))
    blocks = doc["blocks"] || [{ "scheme" => doc["scheme"], "cases" => doc["cases"] }]
    blocks.sum do |block|
      scheme = scheme_for(block["scheme"])
      block["cases"].each do |c|
        define_method("test_#{File.basename(path)}/#{c['name']}") { run_vector(scheme, c) }
      end
      block["cases"].size
    end
  end

  def test_the_tables_are_all_here
    assert_operator FILES.size, :>=, 20
    assert_operator COUNT, :>=, 300
  end

  def body_of(c)
    if c.key?("body") then c["body"].b
    elsif c.key?("body_base64") then Base64.strict_decode64(c["body_base64"])
    elsif (r = c["body_repeat"]) then (r.fetch("before", "") + (r["text"] * r["count"]) + r.fetch("after", "")).b
    else flunk "case has no body"
    end
  end

  def run_vector(scheme, c)
    body = body_of(c)
    options = { secrets: c["secrets"] }
    options[:secret_format] = c["secret_format"] if c.key?("secret_format")
    options[:tolerance] = c["tolerance"] if c.key?("tolerance")
    options[:json_fallback] = c["json_fallback"] if c.key?("json_fallback")
    # The request line (twilio, square, hubspot), passed only when the case has one.
    line = c.key?("request") ? { url: c["request"]["url"], method: c["request"]["method"] } : {}
    if c["op"] == "sign"
      v = Hooksig::Verifier.new(scheme, **options)
      got = v.sign(body, timestamp: c["timestamp"], id: c["id"], event_type: c["event_type"], **line)
      assert_equal c["expect_headers"], got.to_a
      return
    end
    expect = c["expect"]
    begin
      v = Hooksig::Verifier.new(scheme, **options)
      got = v.verify(c["headers"], body, now: c["now"], **line)
    rescue Hooksig::Error => e
      refute expect["ok"], "want ok, got #{e.inspect}"
      assert_equal expect["error"], e.code, e.message
      assert_kind_of Hooksig::CODE_CLASSES.fetch(expect["error"]), e
      assert_equal expect["header"].downcase, e.header.to_s.downcase if expect["header"]
      return
    end
    assert expect["ok"], "want #{expect['error']}, got ok"
    assert_equal expect["key_index"], got.key_index
    expect["timestamp"].nil? ? assert_nil(got.timestamp) : assert_equal(expect["timestamp"], got.timestamp)
    expect["id"].nil? ? assert_nil(got.id) : assert_equal(expect["id"], got.id)
    expect["event_type"].nil? ? assert_nil(got.event_type) : assert_equal(expect["event_type"], got.event_type)
    assert_equal((expect["payload"] || body).b, got.payload)
    assert_equal Encoding::BINARY, got.payload.encoding
    assert_equal expect["dedupe_key"], got.dedupe_key if expect.key?("dedupe_key")
  end
end

class BadInputsTest < Minitest::Test
  CASES = JSON.parse(File.read(File.join(TABLES, "bad-inputs", "cases.json")))["cases"]

  CASES.each do |c|
    define_method("test_#{c['name']}") { assert_equal c["expect"], outcome(c) }
  end

  def test_the_table_is_all_here
    assert_operator CASES.size, :>=, 40
  end

  # The table's rules: "ok" or the error code.
  def outcome(c)
    options = { secrets: c["secrets"] }
    options[:tolerance] = c["tolerance"] if c.key?("tolerance")
    begin
      v = Hooksig::Verifier.new(c["scheme"], **options)
    rescue Hooksig::Error => e
      return e.code
    end
    body = c["body"] ? TableHelpers.byte_value(c["body"]) : '{"id":"evt_1"}'.b
    ts = c.fetch("sign_timestamp", c["now"])
    signed = v.sign(body, timestamp: ts)
    # The signature header's name contains "signature"; the timestamp header's value is the
    # signing time (the rule of the C, PHP and Go runners).
    sig_name = signed.map(&:first).reverse.find { |n| n.downcase.include?("signature") }
    ts_name = signed.reverse.find { |_, value| value == ts.to_s }&.first
    pairs = c.key?("headers") ? c["headers"].map { |n, value| [n, TableHelpers.byte_value(value)] } : signed.to_a
    if (c.key?("timestamp_header") && ts_name.nil?) || (c.key?("signature_header") && sig_name.nil?)
      return "runner: the header to override was not found"
    end

    pairs = pairs.map do |name, value|
      value = c["timestamp_header"] if c.key?("timestamp_header") && name == ts_name
      value = TableHelpers.byte_value(c["signature_header"]) if c.key?("signature_header") && name == sig_name
      [name, value]
    end
    got = v.verify(pairs, body, now: c["now"])
    got.payload == body ? "ok" : "runner: payload differs"
  rescue Hooksig::Error => e
    e.code
  end
end
