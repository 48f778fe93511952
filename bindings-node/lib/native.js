'use strict'
// Finds the native addon: what napi's generated loader (generated/native.js) finds (a local
// build, or NAPI_RS_NATIVE_LIBRARY_PATH), else the per-platform package @hooksig/<platform> of
// hooksig's optionalDependencies. When neither loads, the error says what was looked for and
// what to do, instead of napi's generic "npm has a bug related to optional dependencies".

const PACKAGE_SCOPE = '@hooksig/'

/** glibc or musl, from the running process (napi's own rule: glibc reports its version). */
function linuxLibc() {
  try {
    const report = process.report?.getReport?.()
    if (report?.header?.glibcVersionRuntime) return 'gnu'
    if (report?.sharedObjects?.some?.((f) => /(libc\.musl-|ld-musl-)/.test(f))) return 'musl'
  } catch {} // fall through to the filesystem check
  try {
    return require('fs').readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'gnu'
  } catch {
    return 'gnu'
  }
}

/** napi's platform name for this process: linux-x64-gnu, darwin-arm64, win32-x64-msvc, ... */
function platformName() {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${linuxLibc()}`
  return platform === 'win32' ? `win32-${arch}-msvc` : `${platform}-${arch}`
}

function publishedPlatforms() {
  try {
    const deps = Object.keys(require('../package.json').optionalDependencies || {})
    return deps.filter((n) => n.startsWith(PACKAGE_SCOPE)).map((n) => n.slice(PACKAGE_SCOPE.length))
  } catch {
    return []
  }
}

/** The error thrown when no addon loads; `cause` keeps every underlying failure. */
function noBinaryError(name, generatedError, packageError) {
  const pkg = PACKAGE_SCOPE + name
  const published = publishedPlatforms()
  const libc = name.endsWith('-gnu') ? ' (glibc)' : name.endsWith('-musl') ? ' (musl libc)' : ''
  const lines = [`hooksig: no native addon could be loaded for ${process.platform} ${process.arch}${libc} (platform "${name}").`]
  // Installed: Node found the package itself (a missing file inside it is a broken install).
  if (packageError && !(packageError.code === 'MODULE_NOT_FOUND' && String(packageError.message).includes(`'${pkg}'`))) {
    lines.push(
      `The package ${pkg} is installed but its addon failed to load: ${packageError.message}`,
      'Reinstall it (rm -rf node_modules package-lock.json && npm install); if the message names a missing ' +
        'GLIBC version, this system is older than the addon supports (glibc 2.17 on linux-x64-gnu).',
    )
  } else if (published.includes(name)) {
    lines.push(
      `It is provided by the optional dependency ${pkg}, which is not installed.`,
      'npm skips it when optional dependencies are omitted: reinstall without --no-optional / --omit=optional ' +
        '(and without optional=false in .npmrc), e.g. rm -rf node_modules package-lock.json && npm install. ' +
        'A lockfile made on another platform can also miss it: regenerate it on this one.',
    )
  } else {
    lines.push(
      `hooksig publishes no prebuilt addon for this platform (prebuilt: ${published.join(', ') || 'none'}).`,
      'Build it from source with Rust (https://rustup.rs): in bindings-node/ of the hooksig repository run ' +
        'npm install --ignore-scripts && npm run build, then install that folder or its npm pack tarball.',
    )
  }
  const err = Object.assign(new Error(lines.join('\n')), { code: 'HOOKSIG_NO_NATIVE_ADDON', platform: name, package: pkg })
  // The generated loader's own error only wraps the attempts (its `cause` chain) in napi's generic
  // advice about an npm bug, which is not what happened here: keep the attempts, drop the advice.
  const attempts = /^Cannot find native binding/.test(generatedError?.message) && generatedError.cause ? generatedError.cause : generatedError
  err.cause = packageError ? Object.assign(packageError, { cause: attempts }) : attempts
  return err
}

function load() {
  let generatedError
  try {
    return require('../generated/native.js')
  } catch (e) {
    generatedError = e
  }
  const name = platformName()
  let binding
  try {
    binding = require(PACKAGE_SCOPE + name)
  } catch (e) {
    // MODULE_NOT_FOUND for the package itself: not installed; anything else (a missing GLIBC
    // version, a corrupt file): there but cannot load.
    throw noBinaryError(name, generatedError, e)
  }
  if (typeof binding.__napiBindingTarget !== 'string') binding.__napiBindingTarget = 'native'
  return binding
}

module.exports = load()
