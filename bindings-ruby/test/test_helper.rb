# frozen_string_literal: true

# Shared by every suite. HOOKSIG_RUBY_INSTALLED=1 (test.sh, against the installed gem) loads
# hooksig from GEM_HOME instead of this checkout's lib/.
unless ENV["HOOKSIG_RUBY_INSTALLED"] == "1"
  $LOAD_PATH.unshift(File.expand_path("../lib", __dir__))
end
# The shared tables are UTF-8 whatever the locale (CI may run with none, where Ruby reads files
# as US-ASCII).
Encoding.default_external = Encoding::UTF_8
require "json"
require "tmpdir"
require "fileutils"
require "minitest/autorun"
require "hooksig"

TABLES = File.expand_path(ENV.fetch("HOOKSIG_TABLES", File.join(__dir__, "..", "..", "tests")))

module TableHelpers
  module_function

  # A byte value of the tables: {"text": s} | {"hex": h} | {"repeat": s, "count": n}.
  def byte_value(value)
    if value.key?("text") then value["text"].b
    elsif value.key?("hex") then [value["hex"]].pack("H*")
    elsif value.key?("repeat") then (value["repeat"] * value["count"]).b
    else raise "empty byte value #{value.inspect}"
    end
  end
end

# Minitest reports a skip as "S" and counts it; test.sh fails a run with any skip, and this
# makes every suite refuse skip outright so that nothing skipped can be reported green.
module Minitest
  class Test
    def skip(msg = nil, _bt = caller)
      flunk("skipped tests are failures here: #{msg}")
    end
  end
end
