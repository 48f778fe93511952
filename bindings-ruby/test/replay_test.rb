# frozen_string_literal: true

# Replay guards across "processes": RedisGuard (the core's shared-store contract over the
# redis gem) against a real redis-server this test starts, and StoreGuard's timeout against a
# store that never answers. redis-server missing is a failure, never a skip.
require_relative "test_helper"
require "socket"
require "rack"
require "redis"
require "hooksig/rack"

class RedisGuardTest < Minitest::Test
  SECRET = "whsec_hooksig_receivers"
  BODY = '{"id":"evt_1","event":"license.created"}'

  def self.free_port
    s = TCPServer.new("127.0.0.1", 0)
    s.addr[1]
  ensure
    s&.close
  end

  def setup
    server = ENV.fetch("PATH", "").split(":").map { |d| File.join(d, "redis-server") }.find { |f| File.executable?(f) }
    flunk "redis-server is not installed (Debian: redis-server; scripts/install-deps.sh installs it)" unless server
    @port = self.class.free_port
    @dir = Dir.mktmpdir("hooksig-redis")
    @pid = Process.spawn(server, "--port", @port.to_s, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                         "--dir", @dir, out: File::NULL, err: File::NULL)
    @url = "redis://127.0.0.1:#{@port}/0"
    @redis = Redis.new(url: @url)
    100.times do
      break if (@redis.ping rescue nil) == "PONG" # rubocop:disable Style/RescueModifier

      sleep 0.05
    end
    assert_equal "PONG", @redis.ping
    @verifier = Hooksig::Verifier.new("algoguard", secret: SECRET)
  end

  def teardown
    stop_redis
    FileUtils.rm_rf(@dir) if @dir
  end

  def stop_redis
    return unless @pid

    Process.kill("KILL", @pid)
    Process.wait(@pid)
    @pid = nil
  end

  # A middleware in its own "process": its own guard and Redis connection.
  def receiver(&handler)
    guard = Hooksig::RedisGuard.from_url(@url, verifier: @verifier)
    Hooksig::Rack::Webhook.new(handler, verifier: @verifier, guard: guard)
  end

  def request(body = BODY, secret: SECRET)
    env = Rack::MockRequest.env_for("/hook", method: "POST", input: body)
    Hooksig.sign("algoguard", secret, body).each { |name, value| env["HTTP_#{name.upcase.tr('-', '_')}"] = value }
    env
  end

  def key_of(env)
    "hooksig:replay:#{@verifier.verify(Hooksig::Rack::Webhook.headers(env), BODY).dedupe_key}"
  end

  def test_two_processes_share_deliveries
    calls = 0
    ok = ->(env) { calls += 1; env["hooksig.webhook"].received.to_rack }
    a = receiver(&ok)
    b = receiver(&ok)
    env = request
    status, _, body = a.call(env)
    assert_equal 200, status
    assert_includes body.join, '"status":"received"'
    key = key_of(env)
    assert_equal "done", @redis.get(key)
    assert_in_delta @verifier.replay_ttl, @redis.ttl(key), 2
    status, _, body = b.call(request_again(env))
    assert_equal [200, '{"status":"duplicate"}'], [status, body.join]
    assert_equal 1, calls
  end

  def request_again(env)
    again = Rack::MockRequest.env_for("/hook", method: "POST", input: BODY)
    env.each { |k, v| again[k] = v if k.start_with?("HTTP_") }
    again
  end

  def test_in_progress_is_409_and_a_failed_handler_releases
    entered = Queue.new
    release = Queue.new
    slow = receiver do |env|
      entered << true
      release.pop
      [500, {}, ["failed"]]
    end
    other = receiver { |env| env["hooksig.webhook"].received.to_rack }
    env = request
    thread = Thread.new { slow.call(env) }
    entered.pop
    assert_equal "processing", @redis.get(key_of(env))
    assert_in_delta Hooksig::SharedStore::PROCESSING_TTL, @redis.ttl(key_of(env)), 2
    status, headers, body = other.call(request_again(env))
    assert_equal 409, status
    assert_equal "30", headers["Retry-After"]
    assert_includes body.join, "delivery_in_progress"
    release << true
    assert_equal 500, thread.value[0]
    assert_nil @redis.get(key_of(env)) # released: the retry runs the handler
    assert_equal 200, other.call(request_again(env))[0]
    assert_equal "done", @redis.get(key_of(env))
  end

  def test_a_forged_request_writes_nothing
    hook = receiver { |_env| flunk "the handler must not run" }
    status, = hook.call(request(secret: "whsec_bm90IHRoZSBzZWNyZXQgYXQgYWxs"))
    assert_equal 401, status
    assert_empty @redis.keys("*")
  end

  def test_redis_down_is_503_not_a_hang
    hook = receiver { |_env| flunk "the handler must not run" }
    stop_redis
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    status, headers, body = hook.call(request)
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 3
    assert_equal 503, status
    assert_equal "30", headers["Retry-After"]
    assert_equal '{"error":"replay_store_unavailable","message":"the replay store is unavailable; retry later"}', body.join
  end

  def test_the_contract_s_commands_reach_redis
    guard = Hooksig::RedisGuard.for(Redis.new(url: @url), @verifier, prefix: "t:")
    assert_equal :new, guard.check("k")
    assert_equal "processing", @redis.get("t:k")
    assert_equal :in_progress, guard.check("k")
    guard.confirm("k")
    assert_equal :duplicate, guard.check("k")
    guard.forget("k")
    assert_nil @redis.get("t:k")
  end
end

class StoreGuardTimeoutTest < Minitest::Test
  # A store that never answers: each command times out, the check is :unavailable quickly.
  def test_a_hanging_store_is_unavailable
    verifier = Hooksig::Verifier.new("algoguard", secret: "whsec_k")
    guard = Hooksig::StoreGuard.for(->(_argv) { sleep 10 }, verifier)
    assert_equal 2.0, guard.timeout
    guard = Hooksig::StoreGuard.for(->(_argv) { sleep 10 }, verifier, timeout: 0.05)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal :unavailable, guard.check("k")
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 1
  end

  def test_a_failing_store_is_unavailable
    verifier = Hooksig::Verifier.new("algoguard", secret: "whsec_k")
    guard = Hooksig::StoreGuard.for(->(_argv) { raise IOError, "down" }, verifier)
    assert_equal :unavailable, guard.check("k")
    assert_nil guard.confirm("k")
    assert_nil guard.forget("k")
  end

  def test_a_hanging_redis_is_unavailable
    server = TCPServer.new("127.0.0.1", 0) # accepts, never answers
    guard = Hooksig::RedisGuard.from_url("redis://127.0.0.1:#{server.addr[1]}/0",
                                         verifier: Hooksig::Verifier.new("algoguard", secret: "whsec_k"), timeout: 0.2)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    assert_equal :unavailable, guard.check("k")
    assert_operator Process.clock_gettime(Process::CLOCK_MONOTONIC) - started, :<, 2
  ensure
    server&.close
  end
end
