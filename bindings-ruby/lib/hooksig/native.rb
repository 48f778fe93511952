# frozen_string_literal: true

require "ffi"

module Hooksig
  # The libhooksig C API, attached with the ffi gem. Internal: the public classes convert types
  # and call these; nothing here decides anything.
  #
  # The library is loaded once, from the first of: the HOOKSIG_LIB environment variable (a
  # path); the copy bundled in the gem's lib/ (libhooksig.so, present in a gem built by
  # bindings-ruby/test.sh); the repository's release build (target/release, when this file
  # runs from a hooksig checkout); the system library path (libhooksig.so.0, as
  # bindings-c/install.sh installs it: /usr/local/lib, LD_LIBRARY_PATH). Never the current
  # directory: only absolute paths and a bare soname (searched by the dynamic loader) are
  # opened.
  module Native
    extend FFI::Library

    LIB_DIR = File.expand_path("..", __dir__)
    REPO = File.expand_path("../..", LIB_DIR)

    def self.candidates
      list = []
      env = ENV["HOOKSIG_LIB"]
      if env && !env.empty?
        unless env.include?("/")
          raise LoadError, "HOOKSIG_LIB must be a path (got #{env.inspect}); a bare name would be searched for"
        end
        return [File.expand_path(env)]
      end
      bundled = File.join(LIB_DIR, "libhooksig.so")
      list << bundled if File.file?(bundled)
      repo_build = File.join(REPO, "target", "release", "libhooksig.so")
      if File.file?(File.join(REPO, "bindings-c", "include", "hooksig.h")) && File.file?(repo_build)
        list << repo_build
      end
      list << "libhooksig.so.0"
      list
    end

    # The path (or soname) the library was loaded from.
    def self.path
      @path
    end

    errors = []
    candidates.each do |candidate|
      begin
        ffi_lib candidate
        @path = candidate
        break
      rescue LoadError => e
        errors << "#{candidate}: #{e.message}"
      end
    end
    unless @path
      raise LoadError, "libhooksig not found (set HOOKSIG_LIB to its path, or install it with " \
                       "bindings-c/install.sh): #{errors.join('; ')}"
    end

    # hooksig_header
    class Header < FFI::Struct
      layout :name, :pointer, :name_len, :size_t, :value, :pointer, :value_len, :size_t
    end

    # hooksig_bytes
    class Request < FFI::Struct
      layout :method, :pointer, :method_len, :size_t, :url, :pointer, :url_len, :size_t
    end

    class Bytes < FFI::Struct
      layout :ptr, :pointer, :len, :size_t
    end

    typedef :int32, :status
    typedef :pointer, :out
    typedef :pointer, :err

    NOW = -(2**63) # HOOKSIG_NOW (INT64_MIN)
    NO_CONTENT_LENGTH = -1
    HANDLER_RAISED = -1
    STORE_LOOKUP_NEEDED = -1
    JSON_FALLBACK_DEFAULT = -1
    DEFAULT_BODY_LIMIT = 10 * 1024 * 1024
    DEFAULT_TOLERANCE = 300
    DEFAULT_REPLAY_CAPACITY = 100_000
    PROCESSING_TTL = 60
    STORE_TIMEOUT_MS = 2000

    attach_function :hooksig_version, [], :string
    attach_function :hooksig_status_code, [:int32], :string
    attach_function :hooksig_status_message, [:int32], :string
    attach_function :hooksig_status_http_status, [:int32], :int32
    attach_function :hooksig_status_is_verification_error, [:int32], :int32
    attach_function :hooksig_status_is_config_error, [:int32], :int32

    attach_function :hooksig_error_status, [:pointer], :status
    attach_function :hooksig_error_code, [:pointer], :pointer
    attach_function :hooksig_error_header, [:pointer], :pointer
    attach_function :hooksig_error_message, [:pointer], :pointer
    attach_function :hooksig_error_free, [:pointer], :void

    attach_function :hooksig_scheme_from_name, %i[buffer_in size_t out err], :status
    attach_function :hooksig_scheme_id, %i[pointer pointer], :pointer
    attach_function :hooksig_scheme_free, [:pointer], :void
    attach_function :hooksig_scheme_builtin_count, [], :size_t
    attach_function :hooksig_scheme_builtin_id, [:size_t], :string

    attach_function :hooksig_custom_scheme_builder_new, %i[out err], :status
    attach_function :hooksig_custom_scheme_builder_set, %i[pointer buffer_in size_t buffer_in size_t err], :status
    attach_function :hooksig_custom_scheme_builder_build, %i[pointer out err], :status
    attach_function :hooksig_custom_scheme_builder_free, [:pointer], :void

    attach_function :hooksig_verifier_options_new, %i[out err], :status
    attach_function :hooksig_verifier_options_set_tolerance, %i[pointer int64 err], :status
    attach_function :hooksig_verifier_options_set_secret_format, %i[pointer buffer_in size_t err], :status
    attach_function :hooksig_verifier_options_set_json_fallback, %i[pointer int32 err], :status
    attach_function :hooksig_verifier_options_free, [:pointer], :void

    attach_function :hooksig_verifier_new, %i[pointer pointer size_t pointer out err], :status
    attach_function :hooksig_verifier_free, [:pointer], :void
    attach_function :hooksig_verifier_any_of, %i[pointer size_t out err], :status
    attach_function :hooksig_verify, %i[pointer pointer size_t buffer_in size_t int64 out err], :status
    attach_function :hooksig_verify_request, %i[pointer pointer size_t buffer_in size_t pointer int64 out err], :status
    attach_function :hooksig_verifier_signs_request, [:pointer], :bool
    attach_function :hooksig_replay_default_ttl, [:pointer], :uint64

    attach_function :hooksig_verified_scheme, %i[pointer pointer], :pointer
    attach_function :hooksig_verified_has_timestamp, [:pointer], :int32
    attach_function :hooksig_verified_timestamp, [:pointer], :int64
    attach_function :hooksig_verified_id, %i[pointer pointer], :pointer
    attach_function :hooksig_verified_event_type, %i[pointer pointer], :pointer
    attach_function :hooksig_verified_dedupe_key, %i[pointer pointer], :pointer
    attach_function :hooksig_verified_key_index, [:pointer], :size_t
    attach_function :hooksig_verified_payload, %i[pointer pointer], :pointer
    attach_function :hooksig_verified_free, [:pointer], :void

    attach_function :hooksig_sign, %i[pointer buffer_in size_t buffer_in size_t pointer out err], :status
    attach_function :hooksig_verifier_sign, %i[pointer buffer_in size_t pointer out err], :status
    attach_function :hooksig_sign_options_new, %i[out err], :status
    attach_function :hooksig_sign_options_set_timestamp, %i[pointer int64 err], :status
    attach_function :hooksig_sign_options_set_id, %i[pointer buffer_in size_t err], :status
    attach_function :hooksig_sign_options_set_event_type, %i[pointer buffer_in size_t err], :status
    attach_function :hooksig_sign_options_set_request, %i[pointer buffer_in size_t buffer_in size_t err], :status
    attach_function :hooksig_sign_options_free, [:pointer], :void
    attach_function :hooksig_signed_headers_count, [:pointer], :size_t
    attach_function :hooksig_signed_headers_name, %i[pointer size_t pointer], :pointer
    attach_function :hooksig_signed_headers_value, %i[pointer size_t pointer], :pointer
    attach_function :hooksig_signed_headers_free, [:pointer], :void

    attach_function :hooksig_receiver_new, %i[size_t out err], :status
    attach_function :hooksig_receiver_limit, [:pointer], :size_t
    attach_function :hooksig_receiver_start, %i[pointer buffer_in size_t int64 out err], :status
    attach_function :hooksig_receiver_body_too_large, %i[pointer out err], :status
    attach_function :hooksig_receiver_body_read_failed, %i[pointer out err], :status
    attach_function :hooksig_receiver_rejected_status, %i[pointer int32 out err], :status
    attach_function :hooksig_receiver_guarded, %i[pointer int32 out err], :status
    attach_function :hooksig_receiver_received, %i[pointer pointer out err], :status
    attach_function :hooksig_receiver_handshake, %i[pointer pointer pointer pointer size_t out err], :status
    attach_function :hooksig_receiver_finished, %i[pointer int32], :int32
    attach_function :hooksig_receiver_free, [:pointer], :void

    attach_function :hooksig_answer_status, [:pointer], :int32
    attach_function :hooksig_answer_content_type, %i[pointer pointer], :pointer
    attach_function :hooksig_answer_header_count, [:pointer], :size_t
    attach_function :hooksig_answer_header_name, %i[pointer size_t pointer], :pointer
    attach_function :hooksig_answer_header_value, %i[pointer size_t pointer], :pointer
    attach_function :hooksig_answer_body, %i[pointer pointer], :pointer
    attach_function :hooksig_answer_free, [:pointer], :void

    attach_function :hooksig_replay_guard_new, %i[uint64 size_t out err], :status
    attach_function :hooksig_replay_guard_new_for, %i[pointer out err], :status
    attach_function :hooksig_replay_guard_check_and_remember, %i[pointer buffer_in size_t int64 pointer err], :status
    attach_function :hooksig_replay_guard_forget, %i[pointer buffer_in size_t err], :status
    attach_function :hooksig_replay_guard_ttl, [:pointer], :uint64
    attach_function :hooksig_replay_guard_capacity, [:pointer], :size_t
    attach_function :hooksig_replay_guard_len, [:pointer], :size_t
    attach_function :hooksig_replay_guard_free, [:pointer], :void

    attach_function :hooksig_store_default_prefix, [:pointer], :pointer
    attach_function :hooksig_shared_store_new, %i[uint64 uint64 buffer_in size_t out err], :status
    attach_function :hooksig_shared_store_command, %i[pointer int32 buffer_in size_t out err], :status
    attach_function :hooksig_shared_store_claimed, %i[pointer int32], :int32
    attach_function :hooksig_shared_store_looked_up, %i[pointer buffer_in size_t], :int32
    attach_function :hooksig_shared_store_ttl, [:pointer], :uint64
    attach_function :hooksig_shared_store_processing_ttl, [:pointer], :uint64
    attach_function :hooksig_shared_store_free, [:pointer], :void
    attach_function :hooksig_store_command_argc, [:pointer], :size_t
    attach_function :hooksig_store_command_arg, %i[pointer size_t pointer], :pointer
    attach_function :hooksig_store_command_free, [:pointer], :void

    module_function

    # A (pointer, length) pair that C returned, copied into a Ruby String (nil for NULL).
    # Text is UTF-8; pass binary: true for bytes (a payload, a body).
    def sized(ptr, len, binary: false)
      return nil if ptr.nil? || ptr.null?

      s = len.zero? ? +"" : ptr.read_bytes(len)
      binary ? s.force_encoding(Encoding::BINARY) : s.force_encoding(Encoding::UTF_8)
    end

    # Calls an accessor taking (handle..., size_t *len_out) and copies its answer.
    def read(name, *args, binary: false)
      len = FFI::MemoryPointer.new(:size_t)
      ptr = public_send(name, *args, len)
      sized(ptr, len.read(:size_t), binary: binary)
    end

    # A NUL-terminated string a hooksig_error accessor returned.
    def cstr(ptr)
      return nil if ptr.nil? || ptr.null?

      ptr.read_string.force_encoding(Encoding::UTF_8)
    end

    # An owned handle freed by `free` when Ruby collects it.
    def own(ptr, free)
      FFI::AutoPointer.new(ptr, method(free))
    end

    # Runs a call ending in (T **out, hooksig_error **err_out): the new handle's pointer, or
    # raises the Hooksig::Error the call reported.
    def call_out(name, *args)
      out = FFI::MemoryPointer.new(:pointer)
      err = FFI::MemoryPointer.new(:pointer)
      status = public_send(name, *args, out, err)
      Hooksig::Error.raise_from(status, err.read_pointer) unless status.zero?
      out.read_pointer
    end

    # Runs a call ending in (hooksig_error **err_out), raising on failure.
    def call_err(name, *args)
      err = FFI::MemoryPointer.new(:pointer)
      status = public_send(name, *args, err)
      Hooksig::Error.raise_from(status, err.read_pointer) unless status.zero?
      nil
    end

    # A byte string for C: binary, so bytesize is its length.
    def bytes(value)
      s = value.to_s
      s.encoding == Encoding::BINARY ? s : s.b
    end
  end
end
