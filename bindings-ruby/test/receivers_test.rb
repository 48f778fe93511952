# frozen_string_literal: true

# The shared receiver table (tests/receivers/cases.json) over real HTTP, twice: through the
# Sinatra helper (`webhook`) and through the bare Rack middleware (Hooksig::Rack::Webhook),
# each served by WEBrick on a free 127.0.0.1 port. Every case gets one fresh receiver (its own
# verifier, optional in-memory guard and body limit) at its own path. Requests are written on
# a raw socket so that header names, case, order and repeats are exactly the table's; each
# answer is checked: status, exact body bytes (and Content-Type application/json), the listed
# headers, and how many times the handler ran so far.
#
# The harness handler obeys X-Test-Handler: "ok" answers the core's success body
# (Verified#received), "raise" raises, a number N answers N {"status":"handler_status"}.
require_relative "test_helper"
require "socket"
require "net/http"
require "webrick"
require "rack"
require "rack/handler/webrick"
require "sinatra/base"
require "hooksig/sinatra"

module ReceiverTable
  CASES = JSON.parse(File.read(File.join(TABLES, "receivers", "cases.json")))["cases"]
  HANDLER_BODY = '{"status":"handler_status"}'

  # Serves app with WEBrick on 127.0.0.1:<free port>; returns the port.
  def self.serve(app)
    server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: 0, Logger: WEBrick::Log.new(File::NULL),
                                     AccessLog: [])
    server.mount "/", ::Rack::Handler::WEBrick, app
    Thread.new { server.start }
    Minitest.after_run { server.shutdown }
    server.listeners.first.addr[1]
  end

  def self.parts(c)
    verifier = Hooksig::Verifier.new(c["scheme"], secret: c["secret"])
    guard = case c["guard"]
            when nil then nil
            when "memory" then Hooksig::MemoryGuard.for(verifier)
            else raise "unknown guard #{c['guard'].inspect}"
            end
    { verifier: verifier, guard: guard, limit: c["limit"], public_url: c["public_url"] }
  end

  # The Sinatra app: one `webhook` route per case.
  def self.sinatra_app(calls)
    app = Class.new(Sinatra::Base) do
      register Hooksig::Sinatra
      set :environment, :production
      set :raise_errors, false
      set :show_exceptions, false
      set :dump_errors, false
      set :logging, false
    end
    CASES.each_with_index do |c, i|
      app.webhook("/case/#{i}", **parts(c)) do |event|
        calls[i] += 1
        case (what = request.env["HTTP_X_TEST_HANDLER"])
        when "raise" then raise "the test handler raised"
        when "ok", nil then event.received
        else
          status Integer(what)
          headers "Content-Type" => "application/json"
          HANDLER_BODY
        end
      end
    end
    app
  end

  # The bare Rack app: Hooksig::Rack::Webhook in front of a plain Rack handler, per case.
  def self.rack_app(calls)
    apps = CASES.each_with_index.to_h do |c, i|
      handler = lambda do |env|
        calls[i] += 1
        event = env["hooksig.webhook"] or raise "no verified webhook in the env"
        case (what = env["HTTP_X_TEST_HANDLER"])
        when "raise" then raise "the test handler raised"
        when "ok", nil then event.received.to_rack
        else [Integer(what), { "Content-Type" => "application/json" }, [HANDLER_BODY]]
        end
      end
      ["/case/#{i}", Hooksig::Rack::Webhook.new(handler, **parts(c))]
    end
    ->(env) { apps.fetch(env["PATH_INFO"]).call(env) }
  end

  def self.included(base)
    base.extend(ClassMethods)
    CASES.each_with_index do |c, i|
      base.define_method("test_#{format('%02d', i)} #{c['name']}") { run_case(c, i) }
    end
  end

  module ClassMethods
    attr_accessor :port, :calls
  end

  def test_the_table_is_all_here
    assert_operator CASES.size, :>=, 60
  end

  def run_case(c, index)
    port = self.class.port
    c["requests"].each_with_index do |r, n|
      where = "request #{n + 1}"
      body = r["body"] ? TableHelpers.byte_value(r["body"]) : "".b
      path = "/case/#{index}"
      # The URL the sender requests: the public one behind the proxy, else the one the receiver sees.
      url = c["public_url"] ? Hooksig.public_url(c["public_url"], path) : "http://127.0.0.1:#{port}#{path}"
      resp, got = send_raw(port, r["method"], path, request_headers(c, r, body, url), body)
      expect = r["expect"]
      assert_equal expect["status"], resp.code.to_i, "#{where}: body #{got[0, 300].inspect}"
      if expect.key?("body")
        assert_equal expect["body"].b, got, "#{where}: body"
        # An expected Content-Type is compared with the headers below.
        typed = (expect["headers"] || {}).keys.any? { |name| name.casecmp?("Content-Type") }
        assert_equal "application/json", resp["Content-Type"], "#{where}: content-type" unless typed
      end
      (expect["headers"] || {}).each do |name, want|
        assert_equal want, (resp.get_fields(name) || []).join(", "), "#{where}: header #{name}"
      end
      if expect.key?("handler_calls")
        assert_equal expect["handler_calls"], self.class.calls[index], "#{where}: handler calls"
      end
    end
  end

  # header_case: "mixed" is lower case at even 0-based positions, upper case at odd ones.
  def cased(name, mode)
    case mode
    when nil then name
    when "upper" then name.upcase
    when "lower" then name.downcase
    when "mixed" then name.chars.each_with_index.map { |ch, i| i.even? ? ch.downcase : ch.upcase }.join
    else flunk "unknown header_case #{mode.inspect}"
    end
  end

  # The header lines in order: the signed headers (unless sign is false) and Content-Type:
  # application/json, with the overrides applied (matched case-insensitively; null removes),
  # then extra_headers (before them with extra_first); every name in header_case; then
  # X-Test-Handler.
  def request_headers(c, r, body, url)
    headers = []
    sign = r.fetch("sign", {})
    if sign
      sign = {} if sign == true
      signed_body = sign["body"] ? TableHelpers.byte_value(sign["body"]) : body
      # Schemes that sign the request line sign for the URL requested (or sign.url); others ignore it.
      headers = Hooksig.sign(c["scheme"], sign.fetch("secret", c["secret"]), signed_body,
                             timestamp: Time.now.to_i + sign.fetch("ts_offset", 0),
                             id: sign["id"], event_type: sign["event_type"],
                             url: sign.fetch("url", url), method: r["method"]).to_a
    end
    headers << ["Content-Type", "application/json"]
    (r["overrides"] || {}).each do |name, value|
      at = headers.index { |h| h[0].casecmp?(name) }
      headers = headers.reject { |h| h[0].casecmp?(name) }
      next if value.nil?

      headers.insert(at || headers.size, [name, value])
    end
    extra = (r["extra_headers"] || []).map { |name, value| [name, value] }
    headers = r["extra_first"] ? extra + headers : headers + extra
    headers = headers.map { |name, value| [cased(name, r["header_case"]), value] }
    handler = r["handler"]
    headers << ["X-Test-Handler", handler.is_a?(Hash) ? handler.fetch("status").to_s : handler] if handler
    headers
  end

  # Writes one HTTP/1.1 request with exactly these header lines, then Host, Content-Length
  # and Connection: close, and reads the answer (the body is written by another thread: the
  # server may answer and close before reading all of it).
  def send_raw(port, method, path, headers, body)
    sock = TCPSocket.new("127.0.0.1", port)
    head = +"#{method} #{path} HTTP/1.1\r\n"
    headers.each { |name, value| head << "#{name}: #{value}\r\n" }
    head << "Host: 127.0.0.1:#{port}\r\nContent-Length: #{body.bytesize}\r\nConnection: close\r\n\r\n"
    writer = Thread.new do
      sock.write(head.b + body)
    rescue SystemCallError, IOError
      nil
    end
    io = Net::BufferedIO.new(sock, read_timeout: 30)
    resp = Net::HTTPResponse.read_new(io)
    got = +"".b
    resp.reading_body(io, method != "HEAD") { resp.read_body { |chunk| got << chunk } }
    writer.join(5)
    [resp, got.b]
  ensure
    sock&.close
  end
end

class SinatraReceiverTableTest < Minitest::Test
  include ReceiverTable
  self.calls = Hash.new(0)
  self.port = ReceiverTable.serve(ReceiverTable.sinatra_app(calls))
end

class RackReceiverTableTest < Minitest::Test
  include ReceiverTable
  self.calls = Hash.new(0)
  self.port = ReceiverTable.serve(ReceiverTable.rack_app(calls))
end
