'use strict'
// Shared test helpers: the vector files, and a tiny HTTP client for the receiver tests.
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')

const REPO = path.resolve(__dirname, '..', '..')
const VECTORS = path.join(REPO, 'tests', 'vectors')

/** Every case of every vector file as { file, scheme, case }. */
function loadVectorCases() {
  const out = []
  for (const file of fs.readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(fs.readFileSync(path.join(VECTORS, file), 'utf8'))
    for (const block of data.blocks ?? [data]) {
      for (const c of block.cases) out.push({ file, scheme: block.scheme, case: c })
    }
  }
  return out
}

function caseBody(c) {
  if ('body' in c) return Buffer.from(c.body, 'utf8')
  if ('body_base64' in c) return Buffer.from(c.body_base64, 'base64')
  const { before = '', text, count, after = '' } = c.body_repeat
  return Buffer.from(before + text.repeat(count) + after, 'utf8')
}

/**
 * Sends `body` (none when null) with any method to 127.0.0.1:port/path on a fresh connection;
 * resolves { status, json (null unless the body parses), text, headers, retryAfter }.
 */
function request(port, urlPath, method, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method, agent: false, headers: body == null ? headers : { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json = null
          try {
            json = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode, json, text, headers: res.headers, retryAfter: res.headers['retry-after'] })
        })
      },
    )
    req.on('error', reject)
    req.end(body ?? undefined)
  })
}

/** POSTs `body`: `request` with method POST. */
function post(port, urlPath, headers, body) {
  return request(port, urlPath, 'POST', headers, body)
}

/** Listens on a free port on 127.0.0.1; resolves { port, close() }. */
function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler)
    server.listen(0, '127.0.0.1', () => {
      resolve({ port: server.address().port, close: () => new Promise((r) => server.close(r)) })
    })
  })
}

module.exports = { REPO, VECTORS, loadVectorCases, caseBody, request, post, listen }
