// The manager's KEK file (manager/ca-kek) kept as the swarm's autolock asks: the
// KEK in clear with autolock off, wrapped with the unlock key with it on. Every
// manager keeps its own file so: at start, after an unlock, and whenever the
// stored unlock key changes (turned on or off, rotated), so a manager that was down
// during a rotation still opens with the old key and re-wraps once it runs.
import { readFileSync } from 'node:fs'
import { getUnlockKey, UNLOCK_KEY_ID } from '../cluster/index.js'
import { writeFile, type DataPaths } from '../config/index.js'
import { isWrappedKek, unwrapKek, wrapKek } from '../pki/index.js'
import type { Store } from '../store/index.js'

/** The KEK file's content (trimmed), or undefined when there is none (a swarm made before sealing). */
export function readKekFile(paths: DataPaths): string | undefined {
  try {
    return readFileSync(paths.caKek, 'utf8').trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** Rewrites the KEK file when it does not match the store's unlock key; returns what it did, for the log. */
export async function syncKekFile(store: Store, paths: DataPaths, clusterId: string): Promise<string | undefined> {
  if (!store.secrets) return undefined
  const kek = store.secrets.kek
  const key = await getUnlockKey(store)
  const content = readKekFile(paths) ?? ''
  if (!key) {
    if (!isWrappedKek(content)) return undefined
    writeFile(paths.caKek, kek + '\n', true)
    return 'autolock is off: the key-encryption key (manager/ca-kek) is no longer wrapped with an unlock key'
  }
  if (isWrappedKek(content)) {
    try {
      if (unwrapKek(content, key, clusterId) === kek) return undefined
    } catch { /* wrapped with an older key: wrapped again below */ }
  }
  writeFile(paths.caKek, wrapKek(kek, key, clusterId) + '\n', true)
  return 'autolock is on: the key-encryption key (manager/ca-kek) is wrapped with the current unlock key'
}

/** Calls `fn` whenever the stored unlock key changes; returns the unsubscribe function. */
export function watchUnlockKey(store: Store, fn: () => void): () => void {
  return store.watch((e) => {
    if (e.kind === 'ca' && e.id === UNLOCK_KEY_ID) fn()
  })
}
