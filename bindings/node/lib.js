// The package's entry (hand-written; index.js, the loader napi generates, stays
// untouched). It loads the binding and gives every error the binding throws, or a
// Promise of it rejects with, the prototype of its class — decided in Rust from the
// typed error and sent in front of the code (`InvalidBodyError:invalid_json`,
// src/error.rs `tagged_code`), since a code alone does not tell the class — so that
// `err instanceof SendError` holds. The error keeps its message, stack, the bare `code`
// and other fields. This is done once, here, for every exported function, class
// constructor, method and accessor alike.
'use strict'

const binding = require('./index.js')

/** Base of every error arichat throws: `code` is the stable snake_case code. */
class ArichatError extends Error {}

const classes = { ArichatError }
/** A channel client's rejection: `code`, `attempts`, and the vendor's answer when any. */
classes.SendError = class SendError extends ArichatError {}
/** A send without an answer within the timeout on every attempt (`timeout`). */
classes.SendTimeoutError = class SendTimeoutError extends classes.SendError {}
/** A send whose connection failed on every attempt (`connection_failed`). */
classes.SendConnectionError = class SendConnectionError extends classes.SendError {}
for (const name of binding.errorClassNames()) {
  if (!(name in classes)) {
    // A named class per kind (`InvalidPhoneError`, `VerificationError`, ...).
    classes[name] = { [name]: class extends ArichatError {} }[name]
  }
}
for (const [name, cls] of Object.entries(classes)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true })
}

// `Class:code` as Rust throws it; napi's own statuses (`InvalidArg`, ...) have no class
// and stay plain Errors.
const TAGGED_CODE = /^([A-Z][A-Za-z]*):([a-z][a-z0-9_]*)$/

function rethrow(err) {
  if (err instanceof Error && typeof err.code === 'string' && !(err instanceof ArichatError)) {
    const tagged = TAGGED_CODE.exec(err.code)
    if (tagged) {
      err.code = tagged[2]
      Object.setPrototypeOf(err, (classes[tagged[1]] ?? ArichatError).prototype)
    }
  }
  throw err
}

function wrap(fn) {
  const wrapped = function (...args) {
    let out
    try {
      out = Reflect.apply(fn, this, args)
    } catch (err) {
      rethrow(err)
    }
    return out instanceof Promise ? out.catch(rethrow) : out
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  Object.defineProperty(wrapped, 'length', { value: fn.length })
  return wrapped
}

/** Wraps the functions and accessors of `target` (a prototype or a class) in place. */
function wrapMembers(target, skip) {
  for (const key of Object.getOwnPropertyNames(target)) {
    if (skip.has(key)) continue
    const desc = Object.getOwnPropertyDescriptor(target, key)
    if (!desc.configurable) continue
    if (typeof desc.value === 'function') desc.value = wrap(desc.value)
    else if (desc.get || desc.set) {
      if (desc.get) desc.get = wrap(desc.get)
      if (desc.set) desc.set = wrap(desc.set)
    } else continue
    Object.defineProperty(target, key, desc)
  }
}

const STATIC_SKIP = new Set(['length', 'name', 'prototype', 'arguments', 'caller'])
const PROTO_SKIP = new Set(['constructor'])

/**
 * A class's stand-in: the same prototype (so instances the native side makes, from
 * static factories too, pass `instanceof`), its constructor and statics wrapped (napi
 * defines statics read-only, so they are wrapped on the stand-in, not in place).
 */
function wrapClass(Native) {
  wrapMembers(Native.prototype, PROTO_SKIP)
  const Class = function (...args) {
    if (!new.target) throw new TypeError(`Class constructor ${Native.name} cannot be invoked without 'new'`)
    try {
      return Reflect.construct(Native, args, new.target === Class ? Native : new.target)
    } catch (err) {
      rethrow(err)
    }
  }
  for (const key of Object.getOwnPropertyNames(Native)) {
    if (STATIC_SKIP.has(key)) continue
    const desc = Object.getOwnPropertyDescriptor(Native, key)
    if (typeof desc.value === 'function') desc.value = wrap(desc.value)
    Object.defineProperty(Class, key, { ...desc, configurable: true })
  }
  Object.defineProperty(Class, 'name', { value: Native.name })
  Object.defineProperty(Class, 'length', { value: Native.length })
  Class.prototype = Native.prototype
  Object.defineProperty(Native.prototype, 'constructor', { value: Class, writable: true, configurable: true })
  return Class
}

for (const key of Object.keys(binding)) {
  const value = binding[key]
  if (typeof value !== 'function' || key === 'errorClassNames') continue
  binding[key] = /^[A-Z]/.test(key) && value.prototype ? wrapClass(value) : wrap(value)
}

module.exports = require('./index.js')
module.exports.ArichatError = classes.ArichatError
module.exports.InvalidPhoneError = classes.InvalidPhoneError
module.exports.UnknownRegionError = classes.UnknownRegionError
module.exports.InvalidEmailError = classes.InvalidEmailError
module.exports.IllegalTransitionError = classes.IllegalTransitionError
module.exports.UnknownVariantError = classes.UnknownVariantError
module.exports.InvalidJsonError = classes.InvalidJsonError
module.exports.EmptyIdError = classes.EmptyIdError
module.exports.InvalidScorecardError = classes.InvalidScorecardError
module.exports.InvalidScoringDataError = classes.InvalidScoringDataError
module.exports.InvalidCampaignError = classes.InvalidCampaignError
module.exports.InvalidConfigError = classes.InvalidConfigError
module.exports.StoreUnavailableError = classes.StoreUnavailableError
module.exports.StoreHistoryLostError = classes.StoreHistoryLostError
module.exports.VerificationError = classes.VerificationError
module.exports.InvalidBodyError = classes.InvalidBodyError
module.exports.SendError = classes.SendError
module.exports.SendTimeoutError = classes.SendTimeoutError
module.exports.SendConnectionError = classes.SendConnectionError
