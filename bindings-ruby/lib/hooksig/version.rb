# frozen_string_literal: true

module Hooksig
  # The gem's version (the workspace's, as every hooksig package); Hooksig.library_version is
  # the libhooksig it runs.
  VERSION = "0.1.0"
end
