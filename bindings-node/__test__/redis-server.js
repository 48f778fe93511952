'use strict'
// Starts a private redis-server (the Debian package) on a free 127.0.0.1 port for a test file,
// and stops it afterwards. No persistence, no daemon: the process is the test's child.
const { spawn, spawnSync } = require('node:child_process')
const net = require('node:net')

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Resolves { port, url, pid, stop(), pause(), resume(), restart() } once the server accepts
 * connections; rejects with a hint. pause/resume send SIGSTOP/SIGCONT (a hung Redis: the TCP
 * connection stays open, nothing answers); restart starts a new server on the same port.
 */
async function startRedis(port) {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: `make deps` (scripts/install-deps.sh) installs it (Debian package redis-server)')
  }
  port ??= await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'notice'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  await new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk
      if (log.includes('Ready to accept connections')) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log.slice(-2000)}`)))
  })
  child.stdout.resume()
  child.stderr.resume()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    pause: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    restart: () => startRedis(port),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGCONT') // a paused server handles SIGTERM only once resumed
        child.kill('SIGTERM')
      }),
  }
}

module.exports = { startRedis, freePort }
