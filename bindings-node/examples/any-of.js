// Several vendors at one endpoint: `node examples/any-of.js` prints `github` then `any`.
const { Verifier } = require('hooksig')

const stripe = new Verifier('stripe', { secret: 'whsec_stripe_demo' })
const github = new Verifier('github', { secret: 'github_demo' })
const endpoint = Verifier.anyOf([stripe, github]) // pass it to verifyWebhook(...) like any Verifier

const delivery = github.sign('{"zen":"hi"}', { id: 'd-1', eventType: 'ping' })
console.log(endpoint.verify(delivery, '{"zen":"hi"}').scheme) // github
console.log(endpoint.scheme) // any
