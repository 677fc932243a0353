// Memory sizes as docker's go-units RAMInBytes reads them: "512m", "1g", "100MiB", "1.5 GB", "1024".
import { parseFloat64 } from './numbers.js'

const UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }

/** Bytes of a size with an optional binary unit (k, m, g, t, p; b, kb, kib … all mean 1024-based). Throws Error. */
export function ramInBytes(size: string): number {
  let sep = -1
  for (let i = size.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(size[i])) { sep = i; break }
  }
  if (sep === -1) throw new Error(`invalid size: '${size}'`)
  const num = size[sep] === ' ' ? size.slice(0, sep) : size.slice(0, sep + 1)
  const sfx = size.slice(sep + 1).toLowerCase()
  const n = parseFloat64(num)
  if (n < 0) throw new Error(`invalid size: '${size}'`)
  if (!sfx) return Math.trunc(n)
  const bad = new Error(`invalid suffix: '${size.slice(sep + 1)}'`)
  if (sfx.length > 3) throw bad
  if (sfx[0] === 'b') {
    if (sfx.length > 1) throw bad
    return Math.trunc(n)
  }
  const mul = UNITS[sfx[0]]
  if (!mul || (sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) throw bad
  return Math.trunc(n * mul)
}
