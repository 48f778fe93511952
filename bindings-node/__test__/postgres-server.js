'use strict'
// A private PostgreSQL for the hooksig/sql tests: scripts/postgres.sh (initdb in a temp dir,
// 127.0.0.1, a free port, as a non-root user). `stop()` and `start()` keep the data and the port.
const { execFileSync } = require('node:child_process')
const crypto = require('node:crypto')
const net = require('node:net')
const path = require('node:path')
const { REPO } = require('./helpers.js')

const SCRIPT = path.join(REPO, 'scripts/postgres.sh')

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

async function startPostgres() {
  const dir = `/tmp/hooksig-pg-node-${process.pid}-${crypto.randomBytes(4).toString('hex')}`
  const port = await freePort()
  const run = (cmd) => execFileSync('bash', [SCRIPT, cmd, dir], { env: { ...process.env, PG_PORT: String(port) }, encoding: 'utf8' }).trim()
  const url = run('start')
  return {
    url,
    port,
    start: () => run('start'),
    stop: () => run('stop'),
    destroy: () => {
      try {
        run('destroy')
      } catch {}
    },
  }
}

module.exports = { startPostgres }
