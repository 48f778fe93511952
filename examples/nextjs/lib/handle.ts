// lib/handle.ts: the app's webhook logic, shared by the App Router and Pages Router routes.
//
// For the receiver table it is the harness handler of bindings-node/__test__/receiver-cases.test.js:
// it obeys X-Test-Handler (`ok`: the core's success answer, `raise`: throw, N: status N with
// {"status":"handler_status"}) and, when HOOKSIG_HANDLER_LOG names a file, appends a line
// "<router> <vendor>" to it before answering, so the test counts the runs from outside the server.
import { appendFileSync } from 'node:fs'
import { Receiver, type AnswerInput, type Verified } from 'hooksig'

export type Router = 'app' | 'pages'

export async function handleWebhook(
  router: Router,
  vendor: string,
  webhook: Verified,
  header: (name: string) => string | undefined,
): Promise<AnswerInput> {
  const log = process.env.HOOKSIG_HANDLER_LOG
  if (log) appendFileSync(log, `${router} ${vendor}\n`)
  const what = header('x-test-handler') ?? 'ok'
  if (what === 'raise') throw new Error('the test handler raised')
  if (what === 'ok') return Receiver.received(webhook)
  const status = Number(what)
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new Error(`X-Test-Handler: ${what}`)
  return { status, headers: [], body: '{"status":"handler_status"}' }
}
