import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes a file (and its folder) whole and durably, mode 0600 for secrets, 0644 otherwise. */
export function writeFile(path: string, text: string, secret = false): void {
  replaceFile(path, text, secret ? 0o600 : 0o644)
}

/**
 * Writes a file whole: readers see the old text or the new one, never a part, and
 * after a crash (power loss included) one of them is on disk: a temp file beside
 * it, fsynced, renamed over it, then the folder fsynced.
 */
export function replaceFile(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  chmodSync(tmp, mode)
  renameSync(tmp, path)
  syncDir(dirname(path))
}

/**
 * Replaces a key and its certificate as a pair: both are staged whole beside
 * them (`.next`, key first) before either is renamed into place, so a crash
 * leaves the old pair, or a staged pair that readPair() puts in place.
 */
export function replacePair(keyPath: string, certPath: string, key: string, cert: string): void {
  replaceFile(`${keyPath}.next`, key, 0o600)
  replaceFile(`${certPath}.next`, cert, 0o644)
  renameSync(`${keyPath}.next`, keyPath)
  renameSync(`${certPath}.next`, certPath)
  syncDir(dirname(certPath))
}

/** A key and its certificate, finishing a replacePair() a crash cut short. Throws ENOENT when missing. */
export function readPair(keyPath: string, certPath: string): { key: string; cert: string } {
  settlePair(keyPath, certPath)
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') }
}

// A staged certificate means the staged key is whole too (staged first): put them in place.
// A staged key alone was cut short before its certificate: the old pair stands.
function settlePair(keyPath: string, certPath: string): void {
  if (!existsSync(`${certPath}.next`)) {
    if (existsSync(`${keyPath}.next`)) rmSync(`${keyPath}.next`, { force: true })
    return
  }
  if (existsSync(`${keyPath}.next`)) renameSync(`${keyPath}.next`, keyPath)
  renameSync(`${certPath}.next`, certPath)
  syncDir(dirname(certPath))
}

function syncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Some file systems cannot fsync a folder; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Parsed JSON of a file, or undefined when it does not exist. */
export function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
