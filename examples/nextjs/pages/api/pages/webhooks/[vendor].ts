// pages/api/pages/webhooks/[vendor].ts: a Pages Router API route for several senders, built on
// hooksig/express's verifyWebhook (it takes Node's IncomingMessage and ServerResponse, which is
// what a Pages Router API route receives). Next.js must not parse the body first: the signature
// is over the exact bytes, and a parsed body cannot give them back (hooksig then answers 500
// invalid_config).
import type { NextApiRequest, NextApiResponse } from 'next'
import { verifyWebhook, sendAnswer, type WebhookRequest } from 'hooksig/express'
import { receiverFor, UNKNOWN_VENDOR } from '@/lib/receivers'
import { handleWebhook } from '@/lib/handle'

export const config = { api: { bodyParser: false } }

type Middleware = ReturnType<typeof verifyWebhook>

// One middleware (verifier, guard) per vendor, kept for the life of the server process.
const middlewares = new Map<string, Middleware>()

function middlewareFor(vendor: string): Middleware | undefined {
  let middleware = middlewares.get(vendor)
  if (middleware === undefined) {
    const receiver = receiverFor(vendor)
    if (receiver === undefined) return undefined
    middleware = verifyWebhook(receiver.verifier, receiver.options)
    middlewares.set(vendor, middleware)
  }
  return middleware
}

/**
 * Runs the middleware; resolves once the response is finished, whether hooksig answered
 * (rejected, 405, 413, duplicate, handshake) or the handler did. A handler that throws rejects:
 * Next.js answers its own 500 and hooksig releases the delivery's replay key.
 */
function verifyThen(req: NextApiRequest, res: NextApiResponse, middleware: Middleware, vendor: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.once('close', () => resolve())
    res.once('finish', () => resolve())
    middleware(req, res, () => {
      const { webhook } = req as unknown as WebhookRequest
      handleWebhook('pages', vendor, webhook, (name) => {
        const value = req.headers[name]
        return Array.isArray(value) ? value.join(', ') : value
      }).then((answer) => sendAnswer(res, answer), reject)
    })
  })
}

export default async function webhooks(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  const vendor = typeof req.query.vendor === 'string' ? req.query.vendor : ''
  const middleware = middlewareFor(vendor)
  if (middleware === undefined) return res.status(UNKNOWN_VENDOR.status).json(UNKNOWN_VENDOR.body)
  await verifyThen(req, res, middleware, vendor)
}
