// Twilio SMS webhook receiver behind a proxy, with Express.
// Run: TWILIO_AUTH_TOKEN=... PUBLIC_URL=https://hooks.example.com node server.js
const express = require('express')
const { Verifier } = require('hooksig')
const { verifyWebhook } = require('hooksig/express')

function createApp({ authToken, publicUrl, onMessage = (form) => console.log('SMS from', form.get('From')) }) {
  // Twilio signs the URL it posts to (so do Square and HubSpot): verifier.signsRequestLine.
  const verifier = new Verifier('twilio', { secret: authToken })
  const app = express()

  // Behind a proxy or a load balancer the app sees another URL (http://10.0.0.5:8000/...) than
  // the one configured at Twilio. `publicUrl` (https://hooks.example.com) is that public base:
  // the URL verified is it followed by the request's path and query (/webhooks/twilio?x=1).
  // Without it, the URL as received: req.protocol, the Host header, req.originalUrl.
  app.all('/webhooks/twilio', verifyWebhook(verifier, { publicUrl }), async (req, res) => {
    // The verified form body (application/x-www-form-urlencoded).
    await onMessage(new URLSearchParams(req.webhook.payload.toString('utf8')))
    res.type('text/xml').send('<Response></Response>') // empty TwiML: no reply
  })
  return app
}

module.exports = { createApp }

if (require.main === module) {
  const port = Number(process.env.PORT || 3000)
  createApp({ authToken: process.env.TWILIO_AUTH_TOKEN, publicUrl: process.env.PUBLIC_URL }).listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${port}/webhooks/twilio`)
  })
}
