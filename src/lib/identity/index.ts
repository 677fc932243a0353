import { randomBytes } from 'node:crypto'

/** A new object ID as swarmkit makes them: 128 random bits, base 36, 25 chars. */
export function newId(): string {
  return BigInt('0x' + randomBytes(16).toString('hex')).toString(36).padStart(25, '0')
}
