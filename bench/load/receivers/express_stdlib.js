// The same Express receiver, verified with Node's crypto (createHmac + timingSafeEqual).
// Same decisions as hooksig (SCHEMES.md): 400 for a missing or malformed header, 401 for a
// stale or future timestamp (300 s) or a wrong signature.
// Run: ALGOGUARD_SECRET=... node express_stdlib.js PORT   (bench/load/load.py does)
const crypto = require('node:crypto')
const path = require('node:path')
const root = path.resolve(__dirname, '../../..')
const express = require(path.join(root, 'bindings-node/node_modules/express'))

const secret = Buffer.from(process.env.ALGOGUARD_SECRET, 'utf8')
const TOLERANCE = 300
const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/
const TIMESTAMP = /^[0-9]{1,15}$/

/** null when the request is authentic, else [error code, HTTP status]. */
function check(req) {
  const signature = req.get('X-AlgoGuard-Signature')
  if (signature === undefined) return ['missing_signature', 400]
  const timestamp = req.get('X-AlgoGuard-Timestamp')
  if (timestamp === undefined) return ['missing_timestamp', 400]
  if (!TIMESTAMP.test(timestamp)) return ['malformed_timestamp', 400]
  const match = SIGNATURE.exec(signature)
  if (match === null) return ['malformed_signature', 400]
  const age = Math.floor(Date.now() / 1000) - Number(timestamp)
  if (age > TOLERANCE) return ['timestamp_expired', 401]
  if (age < -TOLERANCE) return ['timestamp_in_future', 401]
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(req.rawBody).digest()
  if (!crypto.timingSafeEqual(expected, Buffer.from(match[1], 'hex'))) return ['signature_mismatch', 401]
  return null
}

const app = express()
app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }))

app.post('/webhooks/algoguard', (req, res) => {
  const failure = check(req)
  if (failure !== null) return res.status(failure[1]).json({ error: failure[0] })
  const event = JSON.parse(req.rawBody)
  res.json({ received: event.event, id: event.id, fields: Object.keys(event).length })
})

app.listen(Number(process.argv[2]), '127.0.0.1')
