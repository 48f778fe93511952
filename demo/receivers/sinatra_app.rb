# Demo receiver: every scheme on Sinatra (WEBrick), at /webhooks/<scheme>, with replay
# protection (the in-memory guard: one process).
#
#   ruby -I ../../bindings-ruby/lib sinatra_app.rb PORT   (DEMO_SECRET: the secret of every scheme;
#   DEMO_PUBLIC_URL, when set: the public base URL that twilio, square and hubspot are signed for)
require "sinatra/base"
require "hooksig/sinatra"

class DemoReceiver < Sinatra::Base
  register Hooksig::Sinatra
  set :server, "webrick"
  set :bind, "127.0.0.1"
  set :logging, false
  set :quiet, true

  # One secret for every scheme (demo/run.py signs with the same one). Every answer is the
  # core's (`webhook` routes every method, so a GET gets its 405 with Allow: POST); the handler
  # answers the core's success body, the same in every demo receiver.
  # Behind a proxy, the public base URL the senders were given (the URL-signing schemes).
  public_url = ENV["DEMO_PUBLIC_URL"]
  public_url = nil if public_url&.empty?
  Hooksig.schemes.each do |scheme|
    # DEMO_SECRET_<SCHEME>, when set, is a public-key scheme's public key (discord, sendgrid).
    own = ENV["DEMO_SECRET_#{scheme.upcase.tr('-', '_')}"]
    verifier = Hooksig::Verifier.new(scheme, secret: own && !own.empty? ? own : ENV.fetch("DEMO_SECRET"))
    webhook "/webhooks/#{scheme}", verifier: verifier, guard: :memory, public_url: public_url do |event|
      event.received
    end
  end
end

DemoReceiver.run!(port: Integer(ARGV.fetch(0)))
