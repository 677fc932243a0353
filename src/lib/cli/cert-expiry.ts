// --cert-expiry (swarm init, swarm update, swarm ca): a Go duration, at least a minute.
import { InvalidArgumentError } from '../errors/index.js'
import { parseDuration } from './duration.js'

/** The shortest certificate validity the manager accepts (as the manager checks it). */
export const MIN_CERT_EXPIRY_MS = 60_000

/** Milliseconds of a --cert-expiry value; throws InvalidArgumentError when malformed or under a minute. */
export function certExpiry(value: string): number {
  const ms = parseDuration(value, 'cert-expiry')
  if (ms < MIN_CERT_EXPIRY_MS) throw new InvalidArgumentError(`invalid argument "${value}" for "--cert-expiry" flag: minimum certificate expiry time is 1m0s`)
  return ms
}
