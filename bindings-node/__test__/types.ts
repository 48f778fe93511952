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
  ReplayGuard,
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_STATUS,
  type WebhookGuard,
  type ReplayGuardOptions,
  Receiver,
  DEFAULT_BODY_LIMIT,
  RECEIVER_CONTENT_TYPE,
  type ReceiverAnswer,
  type GuardAnswer,
  type KeyAction,
} from 'hooksig'
import { verifyWebhook, captureRawBody, sendAnswer, type WebhookRequest } from 'hooksig/express'
import { verifyRequest, errorResponse, withWebhook, duplicateResponse, answerResponse, type RequestVerified } from 'hooksig/fetch'
import { RedisReplayGuard } from 'hooksig/redis'
import { SqlReplayGuard, ddl as sqlDdl, DeliveryInProgress as SqlInProgress } from 'hooksig/sql'
import { createClient } from 'redis'
import IORedis from 'ioredis'
import type { IncomingHttpHeaders } from 'node:http'

const options: VerifierOptions = { secret: 'whsec_x', tolerance: 300, secretFormat: 'text', jsonFallback: false }
const v = new Verifier('algoguard', options)
const rotated = new Verifier('github', { secrets: ['old', 'new'] })
const acme = customScheme({ id: 'acme', signatureHeader: 'X-Acme-Signature', encoding: 'base64', algorithm: 'sha512' })
const custom = new Verifier(acme, { secret: 'k' })
const multi: Verifier = Verifier.anyOf([v, rotated, custom])
const multiScheme: string = multi.verify({}, '').scheme
void multiScheme
// @ts-expect-error: an array of Verifier
Verifier.anyOf(['stripe'])

const incoming: IncomingHttpHeaders = { 'x-algoguard-signature': 'sha256=00', 'set-cookie': ['a', 'b'] }
const shapes: HeadersInput[] = [incoming, new Headers(), [['X-A', 'b']], { 'X-A': 'b' }, new Map([['x', 'y']]), { 'X-A': Buffer.from('b') }]
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

// Replay guards
const guardOptions: ReplayGuardOptions = { verifier: v, capacity: 1000 }
const memory = new ReplayGuard(guardOptions)
const fresh: boolean = memory.checkAndRemember(r.dedupeKey, { now: 1 })
memory.forget(r.dedupeKey)
const sizes: number[] = [memory.size, memory.ttl, memory.capacity, v.replayTtl]
const viaNodeRedis = new RedisReplayGuard(createClient(), { verifier: v, prefix: 'app:' })
const viaIoredis = new RedisReplayGuard(new IORedis({ lazyConnect: true }), { ttl: 600, flavor: 'ioredis' })
const later: Promise<boolean> = viaNodeRedis.checkAndRemember('k')
const released: Promise<void> = viaIoredis.forget('k')
const guards: WebhookGuard[] = [memory, viaNodeRedis, viaIoredis]
const guarded = verifyWebhook(v, { guard: memory, limit: 10 })
const POST: (request: Request) => Promise<Response> = withWebhook(v, async (webhook) => Response.json({ id: webhook.dedupeKey }), { guard: viaIoredis })
async function manual(request: Request): Promise<Response> {
  const w: RequestVerified = await verifyRequest(v, request, { guard: memory })
  return w.duplicate ? duplicateResponse() : Response.json({ ok: true })
}
const internal: [string, number] = [INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS]
// @ts-expect-error: a guard needs forget()
verifyWebhook(v, { guard: { checkAndRemember: () => true } })

// @ts-expect-error: options are required
new Verifier('github')
// @ts-expect-error: a number is not a body
v.verify({}, 42)

// The receiver policy (the core's answers).
const policy = new Receiver(DEFAULT_BODY_LIMIT)
const early: ReceiverAnswer | null = policy.start('GET', null)
const answers: ReceiverAnswer[] = [policy.bodyTooLarge(), policy.bodyReadFailed(), policy.rejected('signature_mismatch'), Receiver.received(r)]
const step: GuardAnswer = 'in_progress'
const afterGuard: ReceiverAnswer | null = policy.guarded(step)
const action: KeyAction = policy.finished(null)
const firstHeader: [string, string] | undefined = answers[0].headers[0]
const newCodes: ErrorCode[] = ['method_not_allowed', 'body_too_large', 'body_read_failed', 'delivery_in_progress', 'replay_store_unavailable', 'invalid_argument']
const ok: Response = answerResponse(Receiver.received(r))
const write: typeof sendAnswer = sendAnswer
const contentType: string = RECEIVER_CONTENT_TYPE
// @ts-expect-error: not a guard answer
policy.guarded('maybe')

void [fresh, sizes, later, released, guards, guarded, POST, manual, internal]
void [early, afterGuard, action, firstHeader, newCodes, ok, write, contentType]
void [ts, id, ev, key, payload, promised, headers, mine, ids, codes, status, ver, e, bad, middleware, capture, handler, route]

// hooksig/sql: a pg Pool/Client (query) or a better-sqlite3 Database (prepare + exec).
const viaPg = new SqlReplayGuard({ query: async () => ({ rowCount: 0, rows: [] }) }, { ttl: 600, table: 'app.seen', clock: () => 0 })
const sqlClaim: Promise<boolean> = viaPg.checkAndRemember('k')
const sqlDialect: 'postgres' | 'sqlite' = viaPg.dialect
const sqlText: string = viaPg.ddl + sqlDdl('seen', 'sqlite')
const sqlErr: number = new SqlInProgress().status
const sqlGuards: WebhookGuard[] = [viaPg]
void [sqlClaim, sqlDialect, sqlText, sqlErr, sqlGuards]

// Schemes that sign the request line: url / method on verify, verifyAsync and sign; publicUrl on
// the receivers.
const twilio = new Verifier('twilio', { secret: 'token' })
const signsLine: boolean = twilio.signsRequestLine
const lineHeaders: Record<string, string> = sign('hubspot', 's', '[]', { url: 'https://e.com/h', method: 'POST', timestamp: 1 })
const lineVerified: Verified = twilio.verify(incoming, 'A=1', { url: 'https://e.com/h?x=1', method: 'POST', now: 1 })
const lineAsync: Promise<Verified> = twilio.verifyAsync(incoming, 'A=1', { url: 'https://e.com/h' })
const proxied = verifyWebhook(twilio, { publicUrl: 'https://hooks.example.com' })
const proxiedRoute = withWebhook(twilio, async () => new Response(null), { publicUrl: 'https://hooks.example.com' })
// @ts-expect-error: a URL is a string
twilio.verify(incoming, '', { url: new URL('https://e.com') })
// @ts-expect-error: the receivers take publicUrl, not url (the request gives the path)
withWebhook(twilio, async () => new Response(null), { url: 'https://e.com/h' })
void [signsLine, lineHeaders, lineVerified, lineAsync, proxied, proxiedRoute]
