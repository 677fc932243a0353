// The swarm's unlock key (autolock) and the key-encryption key wrapped with it.
// The key reads as swarmkit's: "SWMKEY-1-" and 32 random bytes in unpadded base64.
// With autolock on, a manager's KEK file (manager/ca-kek) holds the KEK sealed
// (AES-256-GCM) under the unlock key, so a manager that restarts cannot open the
// store's secrets, nor the CA key, until a person gives it the key.
import { randomBytes } from 'node:crypto'
import { ForbiddenError, InvalidArgumentError } from '../errors/index.js'
import { SecretBox } from './seal.js'

const PREFIX = 'SWMKEY-1-'
const WRAPPED = 'tsw-locked:v1:'

/** A fresh unlock key, as `swarm unlock-key` prints it. */
export function newUnlockKey(): string {
  return PREFIX + randomBytes(32).toString('base64').replace(/=+$/, '')
}

/** The 32 bytes of an unlock key. Throws InvalidArgumentError ("invalid key string", swarmkit's words) when it is not one. */
export function parseUnlockKey(text: string): Buffer {
  const body = text.trim()
  if (!body.startsWith(PREFIX)) throw new InvalidArgumentError('invalid key string')
  const b64 = body.slice(PREFIX.length)
  const bytes = Buffer.from(b64, 'base64')
  if (!/^[A-Za-z0-9+/]+$/.test(b64) || bytes.length !== 32) throw new InvalidArgumentError('invalid key string')
  return bytes
}

/** Whether a KEK file's content is wrapped with an unlock key (the manager starts locked). */
export const isWrappedKek = (content: string): boolean => content.startsWith(WRAPPED)

const boxOf = (unlockKey: string, clusterId: string) => new SecretBox(parseUnlockKey(unlockKey).toString('base64'), `tsw-kek:${clusterId}`)

/** The KEK (base64) wrapped with `unlockKey`, for the KEK file. */
export function wrapKek(kek: string, unlockKey: string, clusterId: string): string {
  return WRAPPED + boxOf(unlockKey, clusterId).seal(kek)
}

/** The error dockerd answers a wrong unlock key with (401). */
export const INVALID_UNLOCK_KEY = 'swarm could not be unlocked: invalid key provided'

/**
 * The KEK of a wrapped KEK file. Throws InvalidArgumentError for a malformed key and
 * ForbiddenError (401, dockerd's words) for a key that does not open it.
 */
export function unwrapKek(content: string, unlockKey: string, clusterId: string): string {
  if (!isWrappedKek(content)) throw new InvalidArgumentError('the key-encryption key is not locked')
  const box = boxOf(unlockKey, clusterId)
  try {
    return box.open(content.slice(WRAPPED.length))
  } catch {
    throw new ForbiddenError(INVALID_UNLOCK_KEY, 401)
  }
}
