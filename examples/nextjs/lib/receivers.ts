// lib/receivers.ts: the webhook senders this app accepts, one per [vendor] URL segment.
//
// An app lists its vendors in code, secrets from the environment (VENDORS below). The test run
// (scripts/test-nextjs.sh) gives each case of tests/receivers/cases.json a vendor of its own
// instead: HOOKSIG_RECEIVERS names a JSON file { vendor: { scheme, secret, guard?, limit?, publicUrl? } },
// read at request time (the first request for a vendor), after `next build`.
import { readFileSync } from 'node:fs'
import { Verifier, ReplayGuard, type WebhookGuard } from 'hooksig'

export interface VendorConfig {
  scheme: string
  secret: string
  /** 'memory': a ReplayGuard for this vendor (one process; several share a RedisReplayGuard). */
  guard?: 'memory' | null
  /** The largest body in bytes (default 10 MiB). */
  limit?: number | null
  /**
   * The public base URL senders post to (behind a proxy), for the schemes that sign the URL
   * (twilio, square, hubspot); default: the URL the request arrived with.
   */
  publicUrl?: string | null
}

const VENDORS: Record<string, VendorConfig> = {
  stripe: { scheme: 'stripe', secret: process.env.STRIPE_WEBHOOK_SECRET ?? '', guard: 'memory' },
  github: { scheme: 'github', secret: process.env.GITHUB_WEBHOOK_SECRET ?? '', guard: 'memory' },
}

function configFor(vendor: string): VendorConfig | undefined {
  const file = process.env.HOOKSIG_RECEIVERS
  const table: Record<string, VendorConfig> = file ? JSON.parse(readFileSync(file, 'utf8')) : VENDORS
  return Object.hasOwn(table, vendor) && table[vendor].secret ? table[vendor] : undefined
}

export interface VendorReceiver {
  verifier: Verifier
  options: { guard?: WebhookGuard; limit?: number; publicUrl?: string }
}

/** A new verifier (and guard) for `vendor`, or undefined for a vendor this app does not know. */
export function receiverFor(vendor: string): VendorReceiver | undefined {
  const config = configFor(vendor)
  if (config === undefined) return undefined
  const verifier = new Verifier(config.scheme, { secret: config.secret })
  const options: VendorReceiver['options'] = {}
  if (config.guard === 'memory') options.guard = new ReplayGuard({ verifier })
  if (typeof config.limit === 'number') options.limit = config.limit
  if (typeof config.publicUrl === 'string') options.publicUrl = config.publicUrl
  return { verifier, options }
}

/** The answer to a URL naming no known vendor. */
export const UNKNOWN_VENDOR = { status: 404, body: { error: 'unknown_vendor' } } as const
