// Peak memory of one hooksig `Verifier.verify` of a large body (it must not copy the body).
//
//   node bench/node/peak_rss.mjs verify|alloc [MIB]
//
// Builds an AlgoGuard request with a MIB-byte JSON Buffer body in place, signs it with a
// streaming node:crypto HMAC (no concatenated copy), resets the kernel's peak-RSS counter
// (/proc/self/clear_refs), then verifies once (`verify`) or does nothing (`alloc`) and prints the
// peak RSS (VmHWM) as JSON. The difference between the two runs is what verification adds.
import crypto from 'node:crypto'
import fs from 'node:fs'

import { Verifier } from '../../bindings-node/index.mjs'

const NOW = 1767225600
const SECRET = 'whsec_benchmark_secret_value'
const statusKib = (field) => Number(fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+)`, 'm'))[1])

const mode = process.argv[2] || 'verify'
const n = Number(process.argv[3] || 100) * 1024 * 1024
const body = Buffer.alloc(n, 'a')
body.write('{"id":"evt_1","event":"x","data":"', 0)
body.write('"}', n - 2)
const mac = crypto.createHmac('sha256', SECRET).update(`${NOW}.`).update(body).digest('hex')
const headers = {
  'content-type': 'application/json',
  'x-algoguard-signature': `sha256=${mac}`,
  'x-algoguard-timestamp': String(NOW),
}
const verifier = new Verifier('algoguard', { secret: SECRET })
try {
  verifier.verify(headers, Buffer.alloc(64), { now: NOW }) // warm the code paths (a mismatch, by design)
} catch {}
const rssBefore = statusKib('VmRSS')
fs.writeFileSync('/proc/self/clear_refs', '5')
let result = null
if (mode === 'verify') {
  result = verifier.verify(headers, body, { now: NOW })
  if (result.id !== 'evt_1') throw new Error('unexpected result')
}
const peak = statusKib('VmHWM')
const out = { api: 'node', mode, body_bytes: body.length, rss_before_kib: rssBefore, peak_kib: peak }
if (result) out.payload_is_body = result.payload.buffer === body.buffer
console.log(JSON.stringify(out))
