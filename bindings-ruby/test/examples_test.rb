# frozen_string_literal: true

# The README's quick start (examples/quickstart.rb) runs as written and prints this.
require_relative "test_helper"
require "open3"

class ExamplesTest < Minitest::Test
  QUICKSTART_OUTPUT = <<~OUT
    handler: ping event, payload "Hello, World!"
    200 {"status":"received","scheme":"github","id":null,"event_type":"ping"}
    200 {"status":"duplicate"}
    401 {"error":"signature_mismatch","message":"no signature matched any secret"}
  OUT

  def test_quickstart
    example = File.expand_path("../examples/quickstart.rb", __dir__)
    argv = [RbConfig.ruby]
    argv += ["-I", File.expand_path("../lib", __dir__)] unless ENV["HOOKSIG_RUBY_INSTALLED"] == "1"
    out, err, status = Open3.capture3(*argv, example, chdir: Dir.tmpdir)
    assert status.success?, err
    assert_equal QUICKSTART_OUTPUT, out
  end
end
