# A GitHub webhook receiver on Sinatra, fed GitHub's documented example delivery.
require "net/http"
require "sinatra/base"
require "rack/handler/webrick"
require "hooksig/sinatra"

# Once at start-up: a verifier is immutable and shared by every request. Several secrets:
# secrets: [...] (rotation); options: tolerance:, secret_format:.
VERIFIER = Hooksig::Verifier.new("github", secret: "It's a Secret to Everybody")

class App < Sinatra::Base
  register Hooksig::Sinatra

  # Every answer but the block's is hooksig's: 405 (Allow: POST) for other methods, 413 over
  # 10 MiB (limit: sets another), 400/401 {"error":"<code>","message":...} when the request
  # does not verify. guard: :memory is replay protection in this process: a retried delivery
  # is answered 200 {"status":"duplicate"} without running the block again. Several
  # processes: guard: Hooksig::RedisGuard.from_url(ENV["REDIS_URL"], verifier: VERIFIER).
  webhook "/webhooks/github", verifier: VERIFIER, guard: :memory do |event|
    puts "handler: #{event.event_type} event, payload #{event.payload.inspect}"
    # A status outside 200-299 (or an exception) releases the delivery: the retry runs again.
    event.received # 200 {"status":"received",...}; or any Sinatra answer
  end
end

# In production: App.run!(port: 8080), or `run App` in a config.ru. Here: WEBrick on a free port.
server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: 0, Logger: WEBrick::Log.new(File::NULL),
                                 AccessLog: [])
server.mount "/", Rack::Handler::WEBrick, App
Thread.new { server.start }
url = URI("http://127.0.0.1:#{server.listeners.first.addr[1]}/webhooks/github")
[
  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", # valid
  "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", # retried
  "sha256=0000000000000000000000000000000000000000000000000000000000000000", # forged
].each do |signature|
  res = Net::HTTP.post(url, "Hello, World!", "Content-Type" => "application/json",
                                             "X-Hub-Signature-256" => signature, "X-GitHub-Event" => "ping")
  puts "#{res.code} #{res.body}"
end
server.shutdown
