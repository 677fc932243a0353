// Join tokens in swarmkit's v1 form: SWMTKN-1-<CA digest>-<secret>. The digest
// (SHA-256 of the CA certificate PEM, base 36, 50 chars) lets a joiner pin the
// manager's CA before sending anything; the secret (128 random bits, base 36,
// 25 chars) says which role the joiner gets.
import { createHash, randomBytes } from 'node:crypto'
import { InvalidArgumentError } from '../errors/index.js'

/** A parsed join token. */
export interface JoinToken {
  version: 1
  digest: string
  secret: string
}

const PREFIX = 'SWMTKN'
// ceil(log36(2^256)) and ceil(log36(2^128)), as in swarmkit.
const DIGEST_LEN = 50
const SECRET_LEN = 25
const BASE36 = /^[0-9a-z]+$/

/** Returns the 50-char base-36 SHA-256 digest of a CA certificate PEM, as join tokens carry it. */
export function caDigest(caPem: string): string {
  const hex = createHash('sha256').update(caPem, 'utf8').digest('hex')
  return BigInt(`0x${hex}`).toString(36).padStart(DIGEST_LEN, '0')
}

/** Returns a new join token for the CA, with a fresh random secret. */
export function newJoinToken(caPem: string): string {
  const secret = BigInt(`0x${randomBytes(16).toString('hex')}`).toString(36).padStart(SECRET_LEN, '0')
  return `${PREFIX}-1-${caDigest(caPem)}-${secret}`
}

/** Returns the parts of a join token; throws InvalidArgumentError("invalid join token") if it is malformed. */
export function parseJoinToken(token: string): JoinToken {
  const parts = token.split('-')
  const [prefix, version, digest = '', secret = ''] = parts
  const ok =
    parts.length === 4 &&
    prefix === PREFIX &&
    version === '1' &&
    digest.length === DIGEST_LEN &&
    secret.length === SECRET_LEN &&
    BASE36.test(digest) &&
    BASE36.test(secret) &&
    // 50 base-36 digits can hold more than 256 bits (and 25 more than 128).
    fromBase36(digest) < 1n << 256n &&
    fromBase36(secret) < 1n << 128n
  if (!ok) throw new InvalidArgumentError('invalid join token')
  return { version: 1, digest, secret }
}

/** Returns whether a join token pins this CA; throws InvalidArgumentError if the token is malformed. */
export function tokenMatchesCA(token: string, caPem: string): boolean {
  return parseJoinToken(token).digest === caDigest(caPem)
}

function fromBase36(digits: string): bigint {
  let n = 0n
  for (const d of digits) n = n * 36n + BigInt(parseInt(d, 36))
  return n
}
