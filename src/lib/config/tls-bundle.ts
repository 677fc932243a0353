// A data dir's client bundle (tls/ca.pem, cert.pem, key.pem) as renewal rewrites it:
// each file replaced whole (write beside, then rename), and one renewer at a time
// (the CLI and, on a manager's host, the manager may both find it due).
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { DataPaths } from './paths.js'

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
  return { ca: readFileSync(paths.tlsCa, 'utf8'), cert: readFileSync(paths.tlsCert, 'utf8'), key: readFileSync(paths.tlsKey, 'utf8') }
}

/** Replaces the bundle, key first (mode 0600), each file atomically. */
export function writeBundle(paths: DataPaths, bundle: TlsBundle): void {
  replaceFile(paths.tlsKey, bundle.key, 0o600)
  replaceFile(paths.tlsCert, bundle.cert, 0o644)
  replaceFile(paths.tlsCa, bundle.ca, 0o644)
}

/** Writes a file whole: readers see the old text or the new one, never a part. */
export function replaceFile(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode })
  renameSync(tmp, path)
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
