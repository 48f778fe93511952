'use strict'
// The receiver-table harness (tests/receivers/cases.json over real HTTP): loading the cases,
// building each request (signed headers, overrides, header case, X-Test-Handler), sending it with
// exactly those header lines, and checking every answer. receiver-cases.test.js runs it against
// each Node integration; examples/nextjs/test runs it against `next start`.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')
const { Receiver, sign } = require('..')
const { REPO } = require('./helpers.js')

const CASES_FILE = path.join(REPO, 'tests', 'receivers', 'cases.json')
const HANDLER_BODY = '{"status":"handler_status"}'

function loadCases() {
  const { cases } = JSON.parse(fs.readFileSync(CASES_FILE, 'utf8'))
  assert.ok(Array.isArray(cases) && cases.length > 0, `${CASES_FILE}: no cases`)
  return cases
}

// ---- the harness handler ------------------------------------------------------------------

/** What the handler is told to do: 'ok' | 'raise' | a status number. */
function instruction(value) {
  if (value === undefined || value === 'ok') return 'ok'
  if (value === 'raise') return 'raise'
  const n = Number(value)
  assert.ok(Number.isInteger(n) && n >= 100 && n <= 599, `X-Test-Handler: ${value}`)
  return n
}

/** The harness handler, framework-neutral (frameworks.js); counts its runs. */
function harnessHandler(counter) {
  return async (webhook, header) => {
    counter.calls++
    const what = instruction(header('x-test-handler'))
    if (what === 'raise') throw new Error('the test handler raised')
    if (what === 'ok') return Receiver.received(webhook)
    return { status: what, headers: [], body: HANDLER_BODY }
  }
}

// ---- requests ---------------------------------------------------------------------------------

function bodyOf(spec) {
  if (spec === undefined || spec === null) return null
  if (typeof spec.text === 'string') return Buffer.from(spec.text, 'utf8')
  if (typeof spec.hex === 'string') return Buffer.from(spec.hex, 'hex')
  if (typeof spec.repeat === 'string') return Buffer.from(spec.repeat.repeat(spec.count), 'utf8')
  throw new Error(`unknown body spec ${JSON.stringify(spec)}`)
}

/** A header name in the case's `header_case` ('mixed': even positions lower, odd upper). */
function cased(name, mode) {
  if (mode === undefined || mode === null) return name
  if (mode === 'upper') return name.toUpperCase()
  if (mode === 'lower') return name.toLowerCase()
  assert.equal(mode, 'mixed', `unknown header_case ${mode}`)
  return [...name].map((ch, i) => (i % 2 === 0 ? ch.toLowerCase() : ch.toUpperCase())).join('')
}

/**
 * The URL the runner signs for (schemes that sign the request line; the others ignore it):
 * `sign.url` when the request gives one, else the case's `public_url` (or `http://<Host>`)
 * joined with the path and query requested, with exactly one `/` (RequestLine::public_url).
 */
function signUrlOf(c, r, host, urlPath) {
  if (r.sign && r.sign.url !== undefined) return r.sign.url
  const base = (c.public_url ?? `http://${host}`).replace(/\/+$/, '')
  return `${base}/${urlPath.replace(/^\/+/, '')}`
}

/**
 * The request's header lines, in order: the signed headers (unless `sign: false`, signed for
 * `signUrl` and the request's method) and
 * Content-Type: application/json, with the overrides applied to them (matched
 * case-insensitively; null removes), then `extra_headers` (before them with `extra_first`);
 * every name in `header_case`, then X-Test-Handler.
 */
function headersOf(c, r, body, signUrl) {
  let headers = []
  if (r.sign !== false) {
    const s = r.sign ?? {}
    const opts = { timestamp: Math.floor(Date.now() / 1000) + (s.ts_offset ?? 0) }
    if (signUrl !== undefined) Object.assign(opts, { url: signUrl, method: r.method })
    if (s.id !== undefined) opts.id = s.id
    if (s.event_type !== undefined) opts.eventType = s.event_type
    const signedBody = s.body === undefined ? body : bodyOf(s.body)
    for (const [name, value] of Object.entries(sign(c.scheme, s.secret ?? c.secret, signedBody ?? Buffer.alloc(0), opts))) headers.push([name, value])
  }
  headers.push(['Content-Type', 'application/json'])
  for (const [name, value] of Object.entries(r.overrides ?? {})) {
    const at = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase())
    headers = headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase())
    if (value !== null) headers.splice(at < 0 ? headers.length : at, 0, [name, value])
  }
  const extra = (r.extra_headers ?? []).map(([n, v]) => [n, v])
  headers = r.extra_first ? [...extra, ...headers] : [...headers, ...extra]
  headers = headers.map(([n, v]) => [cased(n, r.header_case), v])
  if (r.handler !== undefined) headers.push(['X-Test-Handler', typeof r.handler === 'object' ? String(r.handler.status) : r.handler])
  return headers
}

/** One HTTP request with exactly these header lines (names, case, order, repeats); `{ status, headers, body }`. */
function send(port, method, headerPairs, body, urlPath = '/hook') {
  return new Promise((resolve, reject) => {
    const raw = headerPairs.flat()
    raw.push('Host', `127.0.0.1:${port}`)
    if (body !== null) raw.push('Content-Length', String(body.length))
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, agent: false, headers: raw })
    req.on('response', (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body ?? undefined)
  })
}

/**
 * Sends the case's requests in order to 127.0.0.1:port/urlPath and checks each answer: status,
 * exact body bytes, the listed headers, and `calls()` (the handler's runs so far). The receiver
 * behind the URL is the case's (scheme, secret, guard, limit), fresh, with the harness handler.
 */
async function exchange(label, port, urlPath, c, calls) {
  for (const [i, r] of c.requests.entries()) {
    const where = `${label} / request ${i + 1}`
    const body = bodyOf(r.body)
    const method = r.method
    const signUrl = signUrlOf(c, r, `127.0.0.1:${port}`, urlPath)
    const res = await send(port, method, headersOf(c, r, body, signUrl), body ?? (method === 'GET' || method === 'HEAD' || method === 'DELETE' ? null : Buffer.alloc(0)), urlPath)
    const e = r.expect
    assert.equal(res.status, e.status, `${where}: status (body ${res.body.toString('utf8').slice(0, 200)})`)
    if (e.body !== undefined) {
      assert.equal(res.body.toString('latin1'), Buffer.from(e.body, 'utf8').toString('latin1'), `${where}: body bytes`)
      // Every answer with a body in the table is JSON (hooksig's or the harness handler's),
      // unless the case names its Content-Type (Twitch's challenge: the core's text/plain).
      const named = Object.keys(e.headers ?? {}).some((n) => n.toLowerCase() === 'content-type')
      if (!named) assert.equal(res.headers['content-type'], e.content_type ?? 'application/json', `${where}: content-type`)
    }
    for (const [name, value] of Object.entries(e.headers ?? {})) {
      assert.equal(res.headers[name.toLowerCase()], value, `${where}: header ${name}`)
    }
    if (e.handler_calls !== undefined) assert.equal(calls(), e.handler_calls, `${where}: handler calls`)
  }
}

module.exports = { CASES_FILE, HANDLER_BODY, loadCases, instruction, harnessHandler, bodyOf, signUrlOf, headersOf, send, exchange }
