// A data dir's client bundle (tls/ca.pem, cert.pem, key.pem) as renewal rewrites it:
// each file replaced whole (write beside, then rename), and one renewer at a time
// (the CLI and, on a manager's host, the manager may both find it due).
import { closeSync, openSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readPair, replaceFile, replacePair } from './files.js'
import type { DataPaths } from './paths.js'

export { replaceFile } from './files.js'

/** A client bundle: the root to trust, the certificate and its key, all PEM. */
export interface TlsBundle {
  ca: string
  cert: string
  key: string
}

/** A lock older than this was left by a renewer that died: it is taken over. */
const STALE_LOCK_MS = 30_000
const LOCK_WAIT_MS = 15_000

/** The bundle of a data dir; throws (ENOENT) when a file is missing. */
export function readBundle(paths: DataPaths): TlsBundle {
  const { key, cert } = readPair(paths.tlsKey, paths.tlsCert)
  return { ca: readFileSync(paths.tlsCa, 'utf8'), cert, key }
}

/** Replaces the bundle: key and certificate as a pair (key 0600), then the root, each durably. */
export function writeBundle(paths: DataPaths, bundle: TlsBundle): void {
  replacePair(paths.tlsKey, paths.tlsCert, bundle.key, bundle.cert)
  replaceFile(paths.tlsCa, bundle.ca, 0o644)
}

/**
 * Runs `fn` holding the renewal lock of a bundle folder (a file created exclusively),
 * waiting for another holder to finish first. `fn` should read the bundle again: the
 * other holder may have renewed it already.
 */
export async function withBundleLock<T>(tlsDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(tlsDir, '.renew.lock')
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600))
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      let age = 0
      try { age = Date.now() - statSync(lock).mtimeMs } catch { continue }
      if (age > STALE_LOCK_MS || Date.now() > deadline) rmSync(lock, { force: true })
      else await new Promise((r) => setTimeout(r, 50))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { force: true })
  }
}
