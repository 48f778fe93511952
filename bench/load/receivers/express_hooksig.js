// Express receiver verified by hooksig: examples/express/server.js without the replay guard.
// Run: ALGOGUARD_SECRET=... node express_hooksig.js PORT   (bench/load/load.py does)
const path = require('node:path')
const root = path.resolve(__dirname, '../../..')
const express = require(path.join(root, 'bindings-node/node_modules/express'))
const { Verifier } = require(path.join(root, 'bindings-node'))
const { verifyWebhook, captureRawBody } = require(path.join(root, 'bindings-node/express.js'))

const verifier = new Verifier('algoguard', { secret: process.env.ALGOGUARD_SECRET, tolerance: 300 })
const app = express()
app.use(express.json({ verify: captureRawBody }))

app.post('/webhooks/algoguard', verifyWebhook(verifier), (req, res) => {
  const event = JSON.parse(req.webhook.payload) // the authenticated bytes
  res.json({ received: req.webhook.eventType, id: req.webhook.id, fields: Object.keys(event).length })
})

app.listen(Number(process.argv[2]), '127.0.0.1')
