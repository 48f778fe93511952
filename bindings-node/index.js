'use strict'
// hooksig for Node.js: the public entry point, a re-export. The Rust core does the work; the
// addon (src/, loaded by lib/native.js) converts types; lib/ checks what napi's conversions
// cannot (lib/options.js), shapes headers and bodies (lib/input.js) and re-throws every failure
// as a HooksigError (lib/errors.js). The types are generated/index.d.ts, from the Rust source.

const { native, HooksigError } = require('./lib/errors.js')
const { Verifier } = require('./lib/verifier.js')
const { ReplayGuard } = require('./lib/replay.js')
const { sign, customScheme } = require('./lib/sign.js')

/** `fn(code)` for a string, null for anything else (napi would throw on a non-string). */
function stringArg(fn) {
  return (code) => (typeof code === 'string' ? fn(code) : null)
}

module.exports = {
  HooksigError,
  Verifier,
  ReplayGuard,
  CustomScheme: native.CustomScheme,
  customScheme,
  sign,
  schemes: () => native.schemes(),
  errorCodes: () => native.errorCodes(),
  httpStatus: stringArg(native.httpStatus),
  describeError: stringArg(native.describeError),
  version: native.version,
  INTERNAL_ERROR_CODE: native.INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_STATUS: native.INTERNAL_ERROR_STATUS,
  Receiver: native.Receiver,
  DEFAULT_BODY_LIMIT: native.DEFAULT_BODY_LIMIT,
  RECEIVER_CONTENT_TYPE: native.RECEIVER_CONTENT_TYPE,
  RECEIVER_TEXT_CONTENT_TYPE: native.RECEIVER_TEXT_CONTENT_TYPE,
  RETRY_AFTER_SECS: native.RETRY_AFTER_SECS,
  // The replay-store contract (hooksig/redis executes it; a custom shared store can too).
  SharedStore: native.SharedStore,
  STORE_PREFIX: native.STORE_PREFIX,
  PROCESSING_TTL: native.PROCESSING_TTL,
  STORE_TIMEOUT_MS: native.STORE_TIMEOUT_MS,
  // The same contract over one SQL table (hooksig/sql executes it).
  SqlStore: native.SqlStore,
  DEFAULT_SQL_TABLE: native.DEFAULT_SQL_TABLE,
  __napiBindingTarget: native.__napiBindingTarget,
}
