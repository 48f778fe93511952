# Several vendors at one endpoint: one verifier over a Stripe and a GitHub one (pass it to the
# Rack middleware or Sinatra extension like any verifier). Prints the scheme that matched a
# GitHub delivery, then the error for a request signed by neither.
require "hooksig"

stripe = Hooksig::Verifier.new("stripe", secret: "whsec_stripe_demo")
github = Hooksig::Verifier.new("github", secret: "github_demo")
endpoint = Hooksig::Verifier.any_of([stripe, github])

delivery = github.sign('{"zen":"hi"}', id: "d-1", event_type: "ping")
puts endpoint.verify(delivery, '{"zen":"hi"}').scheme # github
begin
  endpoint.verify({ "Content-Type" => "application/json" }, "{}")
rescue Hooksig::VerificationError => e
  puts "#{e.code} #{e.http_status}" # missing_signature 400
end
