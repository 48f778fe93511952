# frozen_string_literal: true

# hooksig: verify (and sign) webhook signatures in constant time. A thin layer over
# libhooksig, the C API of the hooksig Rust core, through the ffi gem: every decision (schemes,
# error codes, the receiver's HTTP answers, replay keys, the replay-store commands) is the
# core's, the same in every hooksig binding; this gem converts types and maps errors.
#
# require "hooksig/rack" for Hooksig::Rack::Webhook, "hooksig/sinatra" for the Sinatra helper.
require "hooksig/version"
require "hooksig/native"
require "hooksig/errors"
require "hooksig/core"
require "hooksig/receiver"
require "hooksig/replay"
