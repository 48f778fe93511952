// Type test: `tsc --noEmit -p __test__` proves the committed index.d.ts (generated from the
// Rust source) and the integrations' declarations are usable. Not executed.
import {
  Verifier,
  HooksigError,
  sign,
  schemes,
  customScheme,
  errorCodes,
  httpStatus,
  version,
  type Verified,
  type ErrorCode,
  type HeadersInput,
  type BodyInput,
  type VerifierOptions,
} from 'hooksig'
import { verifyWebhook, captureRawBody, type WebhookRequest } from 'hooksig/express'
import { verifyRequest, errorResponse } from 'hooksig/fetch'
import type { IncomingHttpHeaders } from 'node:http'

const options: VerifierOptions = { secret: 'whsec_x', tolerance: 300, secretFormat: 'text', jsonFallback: false }
const v = new Verifier('algoguard', options)
const rotated = new Verifier('github', { secrets: ['old', 'new'] })
const acme = customScheme({ id: 'acme', signatureHeader: 'X-Acme-Signature', encoding: 'base64', algorithm: 'sha512' })
const custom = new Verifier(acme, { secret: 'k' })

const incoming: IncomingHttpHeaders = { 'x-algoguard-signature': 'sha256=00', 'set-cookie': ['a', 'b'] }
const shapes: HeadersInput[] = [incoming, new Headers(), [['X-A', 'b']], { 'X-A': 'b' }, new Map([['x', 'y']])]
const bodies: BodyInput[] = ['{}', Buffer.from('{}'), new Uint8Array(2), new ArrayBuffer(2), new DataView(new ArrayBuffer(1))]

const r: Verified = v.verify(incoming, '{}', { now: 1767225600 })
const ts: number | null = r.timestamp
const id: string | null = r.id
const ev: string | null = r.eventType
const key: number = r.keyIndex
const payload: Buffer = r.payload
const promised: Promise<Verified> = rotated.verifyAsync(shapes[1], bodies[1])
const headers: Record<string, string> = sign('stripe', 'whsec_x', '{}', { timestamp: 1, id: 'evt', eventType: 't' })
const mine: Record<string, string> = custom.sign('{}')
const ids: string[] = schemes()
const codes: ErrorCode[] = errorCodes()
const status: number | null = httpStatus('signature_mismatch')
const ver: string = version

try {
  v.verify({}, '')
} catch (err) {
  if (err instanceof HooksigError) {
    const code: ErrorCode = err.code
    const header: string | null = err.header
    const st: number = err.status
    const asError: Error = err
    void [code, header, st, asError]
  }
}
const e = new HooksigError('invalid_config', 'message')
// @ts-expect-error: not an error code
const bad: ErrorCode = 'not_a_code'

const middleware = verifyWebhook(v, { limit: 1024 })
const capture: typeof captureRawBody = captureRawBody
function handler(req: WebhookRequest): string | null {
  return req.webhook.id
}

async function route(request: Request): Promise<Response> {
  try {
    const w: Verified = await verifyRequest(v, request, { now: 1 })
    return Response.json({ id: w.id })
  } catch (err) {
    return errorResponse(err)
  }
}

// @ts-expect-error: options are required
new Verifier('github')
// @ts-expect-error: a number is not a body
v.verify({}, 42)

void [ts, id, ev, key, payload, promised, headers, mine, ids, codes, status, ver, e, bad, middleware, capture, handler, route]
