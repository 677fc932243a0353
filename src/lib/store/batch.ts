// Writing the decisions of a whole pass: many read-change-write cycles in a
// few transactions (one fsync per MAX_BATCH objects on SQLite, one etcd round
// trip), where modify() pays one transaction per object.
import { NotFoundError, OutOfSequenceError } from '../errors/index.js'
import type { StoredObject } from '../types/index.js'
import { MAX_BATCH, modify, type Kind, type Store } from './store.js'

/** One object's change: mutates the copy it is given, returns false to leave the object as it is. */
export interface Change<T> {
  id: string
  change: (obj: T) => boolean
}

/**
 * modify() for many objects of a kind, MAX_BATCH per transaction (updateAll),
 * reading each from `read` (default the store; a StoreCache saves the reads).
 * A batch that a concurrent write spoiled is done again object by object,
 * with modify(). Objects that no longer exist are skipped.
 */
export async function modifyAll<T extends StoredObject>(
  store: Store, kind: Kind, changes: Array<Change<T>>,
  read: (id: string) => Promise<T | undefined> = (id) => store.get<T>(kind, id),
): Promise<void> {
  for (let at = 0; at < changes.length; at += MAX_BATCH) {
    const batch = changes.slice(at, at + MAX_BATCH)
    const writes: Array<{ kind: Kind; obj: StoredObject; expected: number }> = []
    for (const { id, change } of batch) {
      const current = await read(id)
      if (!current) continue
      const copy = structuredClone(current)
      if (change(copy)) writes.push({ kind, obj: copy, expected: current.Version.Index })
    }
    if (writes.length === 0) continue
    try {
      await store.updateAll(writes)
    } catch (err) {
      if (!(err instanceof OutOfSequenceError) && !(err instanceof NotFoundError)) throw err
      for (const { id, change } of batch) await modify<T>(store, kind, id, (obj) => void change(obj))
    }
  }
}
