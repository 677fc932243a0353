// Secrets at rest in the store (the root CA's key): sealed with AES-256-GCM under a
// key-encryption key (KEK) that never enters the store. The KEK is a file in each
// manager's data dir (0600); a manager joining an etcd swarm gets it in the join
// answer. A later autolock would keep the KEK file itself wrapped by an unlock key
// that only a person holds: nothing here changes then, only where the KEK comes from.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { FailedPreconditionError, InvalidArgumentError } from '../errors/index.js'

const PREFIX = 'tsw-sealed:v1:'

/** Whether a stored value is sealed (rather than plain PEM, as swarms made before sealing keep it). */
export const isSealed = (value: string): boolean => value.startsWith(PREFIX)

/** Seals and opens secrets of one cluster under one KEK. */
export class SecretBox {
  private readonly key: Buffer

  /** `kek`: 32 bytes, base64. `context` binds sealed values to their cluster (the GCM additional data). */
  constructor(readonly kek: string, private readonly context: string) {
    this.key = Buffer.from(kek, 'base64')
    if (this.key.length !== 32) throw new InvalidArgumentError('key-encryption key: expected 32 bytes, base64')
  }

  /** A fresh KEK, base64. */
  static newKey(): string {
    return randomBytes(32).toString('base64')
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(this.context))
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return PREFIX + [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join(':')
  }

  /** The plain text of a sealed value (a plain one is returned as it is). Throws FailedPreconditionError for another KEK. */
  open(value: string): string {
    if (!isSealed(value)) return value
    const [iv, tag, body] = value.slice(PREFIX.length).split(':').map((p) => Buffer.from(p, 'base64'))
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv)
      decipher.setAAD(Buffer.from(this.context))
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    } catch {
      throw new FailedPreconditionError('the CA key in the store was sealed with another key-encryption key than this manager\'s (manager/ca-kek): copy that file from a manager of this swarm')
    }
  }
}

/** Opens a stored secret with `box`; throws FailedPreconditionError when it is sealed and there is no box. */
export function openSecret(value: string, box: SecretBox | undefined): string {
  if (box) return box.open(value)
  if (isSealed(value)) {
    throw new FailedPreconditionError('the CA key in the store is sealed and this manager has no key-encryption key (manager/ca-kek in its data dir): copy that file from a manager of this swarm')
  }
  return value
}
