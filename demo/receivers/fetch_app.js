// Demo receiver: every scheme as Fetch-API route handlers (what a Next.js app router exports),
// served by Node's http module.
const http = require('node:http')
const { Readable } = require('node:stream')
const { Verifier, ReplayGuard, Receiver, schemes } = require('../../bindings-node')
const { withWebhook, answerResponse } = require('../../bindings-node/fetch')

// One secret for every scheme (demo/run.py signs with the same one), except where
// DEMO_SECRET_<SCHEME> is set: the public key of a public-key scheme (discord, sendgrid), whose
// private half demo/run.py signs with.
const secret = (scheme) =>
  process.env[`DEMO_SECRET_${scheme.toUpperCase().replace(/-/g, '_')}`] || process.env.DEMO_SECRET

// Schemes that sign the request URL (twilio, square, hubspot): with DEMO_PUBLIC_URL set
// (demo/run.py: https://demo.hooksig.invalid), the URL verified is that public base and the
// request's path, as behind a proxy; without it, the URL the receiver sees.
const publicUrl = process.env.DEMO_PUBLIC_URL || undefined

const routes = new Map()
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  // The handler answers the core's success body, the same in every demo receiver.
  routes.set(`/webhooks/${scheme}`, withWebhook(verifier, async (webhook) => answerResponse(Receiver.received(webhook)),
    { guard: new ReplayGuard({ verifier }), publicUrl }))
}

http.createServer(async (req, res) => {
  // Routed on the path: the query (Twilio's bodySHA256) belongs to the signed URL, not the route.
  const handler = routes.get(req.url.split('?')[0])
  if (!handler) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
    return
  }
  // Every method reaches the handler: withWebhook answers anything but POST with the core's 405
  // (Allow: POST), what a framework routing GET to the same export would get.
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  // The URL a Fetch runtime gives the route: the Host header as received, the path and query.
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method: req.method, headers: req.headers, body: hasBody ? Readable.toWeb(req) : undefined, duplex: 'half',
  })
  let response
  try {
    response = await handler(request)
  } catch {
    // A handler that throws: the runtime's own 500 (withWebhook released the delivery first).
    response = new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain' } })
  }
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
  req.resume() // drain what the route did not read (a body over the limit)
}).listen(Number(process.argv[2]), '127.0.0.1')
