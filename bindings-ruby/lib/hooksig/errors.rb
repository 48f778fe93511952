# frozen_string_literal: true

module Hooksig
  # Every error this gem raises. #code is the stable string code every hooksig binding shares
  # ("signature_mismatch", "timestamp_expired", "invalid_secret", ...), #http_status the answer
  # a receiver gives for it (the core's table), #header the header it is about (or nil).
  #
  # The class tells the kind: VerificationError (the request was rejected: 400/401),
  # ConfigError (a verifier, scheme or signature was refused: unknown_scheme, invalid_secret,
  # invalid_config, invalid_argument), ReceiverError (method, body, replay store), UsageError
  # (null_argument, invalid_utf8) and InternalError (a bug in hooksig). Each code also has its
  # own class, e.g. Hooksig::SignatureMismatchError < Hooksig::VerificationError.
  class Error < StandardError
    attr_reader :code, :status, :header, :detail

    def initialize(code, status:, detail:, header: nil)
      @code = code
      @status = status
      @header = header
      @detail = detail
      super(header ? "#{code} (#{header}): #{detail}" : "#{code}: #{detail}")
    end

    # The HTTP status a webhook receiver answers for this error (400, 401, 405, 409, 413, 503;
    # 500 for configuration and usage errors).
    def http_status
      Native.hooksig_status_http_status(status)
    end

    def verification?
      Native.hooksig_status_is_verification_error(status) == 1
    end

    def config?
      Native.hooksig_status_is_config_error(status) == 1
    end

    # The class for a numeric hooksig_status.
    def self.class_for(status)
      CODE_CLASSES.fetch(Native.hooksig_status_code(status), InternalError)
    end

    # An error for a status, with the library's own description.
    def self.for_status(status, detail = nil, header: nil)
      class_for(status).new(Native.hooksig_status_code(status), status: status,
                                                                 detail: detail || Native.hooksig_status_message(status),
                                                                 header: header)
    end

    # Converts a failed call's status and hooksig_error (freed here) and raises it.
    def self.raise_from(status, err_ptr)
      raise from(status, err_ptr)
    end

    def self.from(status, err_ptr)
      return for_status(status) if err_ptr.nil? || err_ptr.null?

      begin
        code = Native.cstr(Native.hooksig_error_code(err_ptr))
        header = Native.cstr(Native.hooksig_error_header(err_ptr))
        message = Native.cstr(Native.hooksig_error_message(err_ptr))
      ensure
        Native.hooksig_error_free(err_ptr)
      end
      CODE_CLASSES.fetch(code, InternalError).new(code, status: status, detail: message, header: header)
    end
  end

  class VerificationError < Error; end
  class ConfigError < Error; end
  class ReceiverError < Error; end
  class UsageError < Error; end
  class InternalError < Error; end

  # The numeric statuses of libhooksig (hooksig_status), by code: read from the library
  # (hooksig_status_code answers "unknown" for a number that is not a status).
  STATUSES = (1..1023).each_with_object({}) do |status, h|
    code = Native.hooksig_status_code(status)
    h[code] = status unless code == "unknown"
  end.freeze

  CODE_CLASSES = STATUSES.to_h do |code, status|
    http = Native.hooksig_status_http_status(status)
    parent =
      if code == "internal" then InternalError
      elsif Native.hooksig_status_is_verification_error(status) == 1 then VerificationError
      elsif Native.hooksig_status_is_config_error(status) == 1 then ConfigError
      elsif http != 500 then ReceiverError # method, body, replay store: 405, 413, 400, 409, 503
      else UsageError
      end
    name = "#{code.split('_').map(&:capitalize).join}Error"
    klass = name == "InternalError" ? InternalError : const_set(name, Class.new(parent))
    [code, klass]
  end.freeze
end
