import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes a file (and its folder), mode 0600 for secrets, 0644 otherwise. */
export function writeFile(path: string, text: string, secret = false): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  writeFileSync(path, text, { mode: secret ? 0o600 : 0o644 })
  chmodSync(path, secret ? 0o600 : 0o644)
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
