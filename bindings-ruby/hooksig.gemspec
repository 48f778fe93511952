# frozen_string_literal: true

require_relative "lib/hooksig/version"

Gem::Specification.new do |spec|
  spec.name = "hooksig"
  spec.version = Hooksig::VERSION
  spec.summary = "Verify (and sign) webhook signatures in constant time: Ruby binding of libhooksig"
  spec.description = "Every webhook signature scheme hooksig knows (Stripe, GitHub, Standard Webhooks, " \
                     "Svix, Shopify, Slack, ... and your own) through libhooksig, the C API of the hooksig " \
                     "Rust core, with the ffi gem; Rack middleware, a Sinatra helper and Redis replay " \
                     "protection answering byte for byte as every other hooksig integration."
  spec.authors = ["hooksig contributors"]
  spec.licenses = ["MIT", "Apache-2.0"]
  spec.homepage = "https://example.invalid/hooksig"
  spec.required_ruby_version = ">= 2.7"
  spec.files = Dir["lib/**/*.rb"] + %w[README.md LICENSE-MIT LICENSE-APACHE]
  # A gem built with libhooksig in lib/ (bindings-ruby/test.sh stages one) carries it and is
  # for this platform; without it the gem is pure Ruby and loads libhooksig from the system.
  if File.file?(File.join(__dir__, "lib", "libhooksig.so"))
    spec.files << "lib/libhooksig.so"
    spec.platform = Gem::Platform.local
  end
  spec.require_paths = ["lib"]
  spec.add_dependency "ffi", ">= 1.15", "< 2"
  spec.metadata["rubygems_mfa_required"] = "true"
end
