'use strict'
// sign() and customScheme(): checked arguments to the addon's functions.

const { native, guard } = require('./errors.js')
const { secretArg, signOptions, customSchemeOptions } = require('./options.js')
const { bodyBytes } = require('./input.js')

function sign(scheme, secret, body, options) {
  return guard(() => {
    const where = 'sign()'
    secretArg(where, 'the secret', secret)
    return native.sign(scheme, secret, bodyBytes(body, where), signOptions(where, options))
  })
}

const customScheme = (options) => guard(() => native.customScheme(customSchemeOptions('customScheme()', options)))

module.exports = { sign, customScheme }
