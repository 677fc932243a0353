// The store holds the cluster's state: every object as JSON, keyed by kind and
// ID, each carrying Version.Index. Writes are compare-and-set on that index, so
// two writers never silently overwrite each other ("update out of sequence").
// The interface is async so that a networked backend (etcd) can implement it.
import { OutOfSequenceError } from '../errors/index.js'
import type { SecretBox } from '../pki/seal.js'
import type { StoredObject } from '../types/index.js'

/** The kinds of object the store keeps. */
export type Kind = 'swarm' | 'ca' | 'node' | 'engine' | 'service' | 'task' | 'network' | 'certificate' | 'secret' | 'config'

/** A change that was committed, as watchers see it. */
export interface StoreEvent {
  kind: Kind
  action: 'create' | 'update' | 'delete'
  id: string
  object?: StoredObject
}

/** The most objects one createAll/updateAll may write (etcd's default --max-txn-ops is 128). */
export const MAX_BATCH = 100

export interface Store {
  /** Seals the secrets the store keeps (the CA key), when the manager has a key-encryption key. */
  secrets?: SecretBox
  /** The object, or undefined when there is none. */
  get<T extends StoredObject>(kind: Kind, id: string): Promise<T | undefined>
  /** All objects of a kind, in creation order. */
  list<T extends StoredObject>(kind: Kind): Promise<T[]>
  /** Stores a new object; sets Version and timestamps. Throws ConflictError if the ID exists. */
  create<T extends StoredObject>(kind: Kind, obj: T): Promise<T>
  /**
   * Stores several new objects in one transaction: all of them or none. Throws
   * ConflictError (nothing stored) if any ID exists. Returns them as stored.
   */
  createAll(objects: Array<{ kind: Kind; obj: StoredObject }>): Promise<StoredObject[]>
  /**
   * Replaces an object. When `expected` is given it must equal the stored
   * Version.Index, else OutOfSequenceError. Throws NotFoundError if absent.
   */
  update<T extends StoredObject>(kind: Kind, obj: T, expected?: number): Promise<T>
  /**
   * Replaces several objects in one transaction, each compare-and-set on its
   * `expected` Version.Index: all of them or none (OutOfSequenceError, or
   * NotFoundError, and nothing written). At most MAX_BATCH objects: etcd caps
   * the operations of a transaction. Returns them as stored.
   */
  updateAll(objects: Array<{ kind: Kind; obj: StoredObject; expected: number }>): Promise<StoredObject[]>
  /** Removes an object; returns whether it existed. */
  delete(kind: Kind, id: string): Promise<boolean>
  /**
   * Resolves once every change committed before the call (by any client) has
   * reached this store's watchers, so a reader of a watch-kept copy sees it.
   * Absent: watchers hear of a change before its write returns (SQLite).
   */
  sync?(): Promise<void>
  /**
   * Reads, changes and writes one object in one step, where the backend can
   * (SQLite: inside its write transaction, so no other write comes between and
   * nothing is retried). Absent: modify() reads, then compare-and-sets, retrying.
   */
  modifyInPlace?<T extends StoredObject>(kind: Kind, id: string, change: (obj: T) => T | void): Promise<T | undefined>
  /** Calls `fn` after every committed change; returns the unsubscribe function. */
  watch(fn: (event: StoreEvent) => void): () => void
  /** Releases the backend. */
  close(): Promise<void>
}

/**
 * Reads an object, applies `change` to a copy and writes it back, compare-and-set
 * on the version read; a concurrent write makes it read and apply again.
 * Returns undefined when the object does not exist.
 */
export async function modify<T extends StoredObject>(
  store: Store, kind: Kind, id: string, change: (obj: T) => T | void,
): Promise<T | undefined> {
  if (store.modifyInPlace) return store.modifyInPlace(kind, id, change)
  for (let attempt = 0; ; attempt++) {
    const current = await store.get<T>(kind, id)
    if (!current) return undefined
    const copy = structuredClone(current)
    const next = change(copy) ?? copy
    try {
      return await store.update(kind, next, current.Version.Index)
    } catch (err) {
      if (!(err instanceof OutOfSequenceError) || attempt >= 10) throw err
    }
  }
}
