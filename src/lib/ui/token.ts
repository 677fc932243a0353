// The cluster page's token: made once per manager data dir, kept 0600 beside
// the manager's config, printed by `tsw manager`; the page asks for it once
// (?token=) and keeps it in a cookie.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The token of the manager dir `dir`, made now if there is none. */
export function pageToken(dir: string): string {
  const file = join(dir, 'ui.token')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const token = randomBytes(18).toString('base64url')
  writeFileSync(file, token + '\n', { mode: 0o600 })
  return token
}

/** Whether `given` is the token (compared in constant time). */
export function tokenMatches(token: string, given: string | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(token)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
