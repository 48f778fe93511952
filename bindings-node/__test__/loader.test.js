'use strict'
// lib/native.js: when no addon matches the platform, the error names the platform, the package
// that would provide it and what to do. Simulated in a child process whose process.arch or
// process.platform is patched before hooksig loads (no local build and no package match then).
const test = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')

function loadAs(platform, arch) {
  const patch = `
    Object.defineProperty(process, 'platform', { value: ${JSON.stringify(platform)} })
    Object.defineProperty(process, 'arch', { value: ${JSON.stringify(arch)} })
    try { require(${JSON.stringify(root)}); console.log(JSON.stringify({ loaded: true })) }
    catch (e) { console.log(JSON.stringify({ message: e.message, code: e.code, platform: e.platform, package: e.package, cause: !!e.cause, printed: require('util').inspect(e) })) }
  `
  const r = spawnSync(process.execPath, ['-e', patch], { encoding: 'utf8' })
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

test('a published platform whose optional package is missing: reinstall with optional dependencies', () => {
  const r = loadAs('linux', 'arm64')
  assert.equal(r.code, 'HOOKSIG_NO_NATIVE_ADDON')
  assert.equal(r.platform, 'linux-arm64-gnu')
  assert.equal(r.package, '@hooksig/linux-arm64-gnu')
  assert.match(r.message, /linux arm64 \(glibc\)/)
  assert.match(r.message, /optional dependency @hooksig\/linux-arm64-gnu, which is not installed/)
  assert.match(r.message, /--no-optional \/ --omit=optional/)
  assert.ok(r.cause)
  // napi's generic advice is gone from the message and from the printed cause chain.
  assert.doesNotMatch(r.printed, /npm has a bug/)
  assert.match(r.printed, /Cannot find module '@hooksig\/linux-arm64-gnu'/)
})

test('a platform with no prebuilt addon: build from source with Rust', () => {
  const r = loadAs('linux', 'riscv64')
  assert.equal(r.platform, 'linux-riscv64-gnu')
  assert.match(r.message, /publishes no prebuilt addon for this platform \(prebuilt: .*linux-x64-gnu/)
  assert.match(r.message, /Build it from source with Rust/)
})

test('another OS: named with its own napi platform name', () => {
  const r = loadAs('freebsd', 'x64')
  assert.equal(r.platform, 'freebsd-x64')
  assert.equal(r.package, '@hooksig/freebsd-x64')
  assert.match(r.message, /freebsd x64/)
  assert.match(r.message, /Build it from source with Rust/)
})

test('every optional dependency is a committed npm/<platform> stub at the same version', () => {
  const fs = require('node:fs')
  const pkg = require('../package.json')
  const dirs = fs.readdirSync(path.join(root, 'npm')).sort()
  assert.deepEqual(Object.keys(pkg.optionalDependencies).sort(), dirs.map((d) => `@hooksig/${d}`))
  for (const d of dirs) {
    const stub = require(path.join(root, 'npm', d, 'package.json'))
    assert.equal(stub.name, `@hooksig/${d}`)
    assert.equal(stub.version, pkg.version)
    assert.equal(pkg.optionalDependencies[stub.name], pkg.version)
    assert.equal(stub.license, pkg.license)
    assert.deepEqual(stub.files, [`hooksig.${d}.node`, 'LICENSE-MIT', 'LICENSE-APACHE'])
    assert.equal(stub.main, `hooksig.${d}.node`)
  }
  for (const field of ['prepare', 'install', 'postinstall', 'preinstall']) assert.equal(pkg.scripts[field], undefined)
})
