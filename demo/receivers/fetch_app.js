// Demo receiver: every scheme as Fetch-API route handlers (what a Next.js app router exports),
// served by Node's http module.
const http = require('node:http')
const { Readable } = require('node:stream')
const { Verifier, ReplayGuard, schemes } = require('../../bindings-node')
const { withWebhook } = require('../../bindings-node/fetch')

const secret = (scheme) =>
  ['standard-webhooks', 'svix'].includes(scheme) ? process.env.DEMO_WHSEC_SECRET : process.env.DEMO_TEXT_SECRET

const routes = new Map()
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  routes.set(`/webhooks/${scheme}`, withWebhook(verifier, async (webhook) =>
    Response.json({ status: 'received', id: webhook.id, eventType: webhook.eventType }),
  { guard: new ReplayGuard({ verifier }) }))
}

http.createServer(async (req, res) => {
  const POST = routes.get(req.url)
  if (!POST || req.method !== 'POST') {
    res.writeHead(404).end()
    return
  }
  const request = new Request(`http://127.0.0.1${req.url}`, {
    method: 'POST', headers: req.headers, body: Readable.toWeb(req), duplex: 'half',
  })
  const response = await POST(request)
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
}).listen(Number(process.argv[2]), '127.0.0.1')
