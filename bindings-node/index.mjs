// ESM entry: the same objects as the CommonJS entry (one native addon instance).
import { createRequire } from 'node:module'

const hooksig = createRequire(import.meta.url)('./index.js')

export const {
  HooksigError,
  Verifier,
  ReplayGuard,
  CustomScheme,
  customScheme,
  sign,
  schemes,
  errorCodes,
  httpStatus,
  describeError,
  version,
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_STATUS,
  Receiver,
  DEFAULT_BODY_LIMIT,
  RECEIVER_CONTENT_TYPE,
  RECEIVER_TEXT_CONTENT_TYPE,
  RETRY_AFTER_SECS,
  SharedStore,
  STORE_PREFIX,
  PROCESSING_TTL,
  STORE_TIMEOUT_MS,
  SqlStore,
  DEFAULT_SQL_TABLE,
  __napiBindingTarget,
} = hooksig
export default hooksig
