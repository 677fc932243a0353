// Secret payloads at rest: sealed (AES-256-GCM) under the swarm's key-encryption
// key, the one that already seals the CA key (pki/seal.ts, manager/ca-kek), which
// every manager holds (a joining manager gets it in the join answer). Each sealed
// payload is bound to its secret's ID (the GCM additional data), so a sealed value
// copied onto another secret does not open. The plain text never leaves memory:
// not the store, not a log line, not an error message.
import { FailedPreconditionError } from '../errors/index.js'
import { SecretBox } from '../pki/seal.js'
import type { Store } from '../store/index.js'

/** The box for one secret's payload; throws FailedPreconditionError when this manager has no key-encryption key. */
function boxFor(store: Store, id: string): SecretBox {
  if (!store.secrets) {
    throw new FailedPreconditionError('secrets cannot be stored: this manager has no key-encryption key (manager/ca-kek in its data dir); copy that file from a manager of this swarm', 500)
  }
  return new SecretBox(store.secrets.kek, `tsw-secret:${id}`)
}

/** The sealed form of a payload (base64 in, as the API carries it). */
export function sealPayload(store: Store, id: string, base64: string): string {
  return boxFor(store, id).seal(base64)
}

/** The payload (base64) of a sealed value. Throws FailedPreconditionError, naming no data, when it does not open. */
export function openPayload(store: Store, id: string, sealed: string): string {
  const box = boxFor(store, id)
  try {
    return box.open(sealed)
  } catch {
    throw new FailedPreconditionError(`secret ${id} cannot be opened: it was sealed with another key-encryption key than this manager's (manager/ca-kek)`, 500)
  }
}
