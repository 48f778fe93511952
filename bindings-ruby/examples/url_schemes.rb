# Twilio, Square and HubSpot sign the URL the sender requested. Behind a proxy or a load
# balancer, give the middleware (or Sinatra's `webhook`) the public base URL the vendor was
# given: it verifies public_url + the request's path and query. Prints the answers.
require "hooksig"
require "hooksig/rack"
require "rack/mock"

token = "12345678901234567890123456789012" # the Twilio auth token
twilio = Hooksig::Verifier.new("twilio", secret: token)
app = Hooksig::Rack::Webhook.new(->(env) { env["hooksig.webhook"].received.to_rack },
                                 verifier: twilio, public_url: "https://hooks.example.com")

# Twilio signs for the public URL; the request reaches the app at another one.
form = "AccountSid=AC123&Body=Hello"
signed = Hooksig.sign("twilio", token, form, url: "https://hooks.example.com/sms?tenant=acme")
env = Rack::MockRequest.env_for("http://10.0.0.7:8080/sms?tenant=acme", method: "POST", input: form,
                                                                          "CONTENT_TYPE" => "application/x-www-form-urlencoded")
signed.each { |name, value| env["HTTP_#{name.upcase.tr('-', '_')}"] = value }
status, _, body = app.call(env)
puts "#{status} #{body.join}" # 200 {"status":"received","scheme":"twilio","id":null,"event_type":null}

# Without the middleware: the URL and method by hand.
url = Hooksig.public_url("https://hooks.example.com/", "/sms?tenant=acme")
puts twilio.verify(signed, form, url: url, method: "POST").scheme # twilio
