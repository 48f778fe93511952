# frozen_string_literal: true

# Against the installed gem (test.sh: gem install --local into a temp GEM_HOME, run from
# outside the checkout): hooksig and libhooksig come from GEM_HOME (or, for the pure gem, the
# system path), never this checkout.
require_relative "test_helper"

class InstalledTest < Minitest::Test
  def test_loaded_from_the_installed_gem
    gem_home = ENV.fetch("GEM_HOME")
    feature = $LOADED_FEATURES.grep(%r{/hooksig\.rb\z}).first
    assert feature.start_with?(gem_home), "hooksig loaded from #{feature}"
    expect = ENV.fetch("HOOKSIG_EXPECT_LIB", gem_home)
    assert Hooksig.library_path.start_with?(expect), "libhooksig loaded from #{Hooksig.library_path}"
    refute_includes Hooksig.library_path, "target/release"
    assert_equal Hooksig::VERSION, Gem.loaded_specs.fetch("hooksig").version.to_s
  end

  def test_smoke
    secret = "It's a Secret to Everybody"
    v = Hooksig::Verifier.new("github", secret: secret)
    signed = Hooksig.sign("github", secret, "Hello, World!")
    assert_equal "github", v.verify(signed, "Hello, World!").scheme
    e = assert_raises(Hooksig::SignatureMismatchError) { v.verify(signed, "Hello, World?") }
    assert_equal ["signature_mismatch", 401], [e.code, e.http_status]
  end
end
