// The swarm's unlock key in the store (autolock on): sealed under the swarm's KEK,
// as swarmkit keeps it in its encrypted raft store, so every manager can show it
// and re-wrap its own KEK file when it changes.
import { FailedPreconditionError } from '../errors/index.js'
import { newUnlockKey } from '../pki/index.js'
import type { Store } from '../store/index.js'
import type { StoredObject } from '../types/index.js'

/** The record's ID, in the store's `ca` kind beside the root CA. */
export const UNLOCK_KEY_ID = 'unlock-key'

interface StoredUnlockKey extends StoredObject {
  Key: string
}

/** The unlock key, or undefined when autolock is off. */
export async function getUnlockKey(store: Store): Promise<string | undefined> {
  const rec = await store.get<StoredUnlockKey>('ca', UNLOCK_KEY_ID)
  if (!rec || !store.secrets) return undefined
  return store.secrets.open(rec.Key)
}

/**
 * Keeps the stored key in line with the swarm's AutoLockManagers: a new key when it is
 * turned on (or `rotate`), none when it is off. Returns whether the key changed.
 */
export async function applyAutolock(store: Store, on: boolean, rotate = false): Promise<boolean> {
  const rec = await store.get<StoredUnlockKey>('ca', UNLOCK_KEY_ID)
  if (!on) {
    if (!rec) return false
    return store.delete('ca', UNLOCK_KEY_ID)
  }
  if (rec && !rotate) return false
  if (!store.secrets) throw new FailedPreconditionError('autolock needs the swarm\'s key-encryption key (manager/ca-kek), which this manager does not have', 500)
  const next = { ID: UNLOCK_KEY_ID, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Key: store.secrets.seal(newUnlockKey()) }
  if (rec) await store.update<StoredUnlockKey>('ca', { ...rec, Key: next.Key }, rec.Version.Index)
  else await store.create<StoredUnlockKey>('ca', next)
  return true
}
