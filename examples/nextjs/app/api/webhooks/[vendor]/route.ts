// app/api/webhooks/[vendor]/route.ts: an App Router route handler for several senders
// (/api/webhooks/github, /api/webhooks/stripe, ...), built on hooksig/fetch's withWebhook.
import { withWebhook, answerResponse } from 'hooksig/fetch'
import { receiverFor, UNKNOWN_VENDOR } from '@/lib/receivers'
import { handleWebhook } from '@/lib/handle'

export const runtime = 'nodejs' // hooksig is a native addon: not for the Edge runtime
export const dynamic = 'force-dynamic'

type Context = { params: Promise<{ vendor: string }> }
type Route = (request: Request) => Promise<Response>

// One route (verifier, guard) per vendor, kept for the life of the server process.
const routes = new Map<string, Route>()

function routeFor(vendor: string): Route | undefined {
  let route = routes.get(vendor)
  if (route === undefined) {
    const receiver = receiverFor(vendor)
    if (receiver === undefined) return undefined
    route = withWebhook(
      receiver.verifier,
      async (webhook, request) =>
        answerResponse(await handleWebhook('app', vendor, webhook, (name) => request.headers.get(name) ?? undefined)),
      receiver.options,
    )
    routes.set(vendor, route)
  }
  return route
}

// Every method reaches withWebhook, so that GET, PUT, ... get the core's 405 (Allow: POST).
async function handler(request: Request, { params }: Context): Promise<Response> {
  const route = routeFor((await params).vendor)
  if (route === undefined) return Response.json(UNKNOWN_VENDOR.body, { status: UNKNOWN_VENDOR.status })
  return route(request)
}

export { handler as POST, handler as GET, handler as HEAD, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS }
