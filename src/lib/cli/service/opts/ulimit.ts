// --ulimit as docker reads it (go-units ParseUlimit): "nofile=1024:2048", "nproc=512".
import type { Ulimit } from '../../../types/index.js'

const NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack']

function int64(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`strconv.ParseInt: parsing "${s}": invalid syntax`)
  return Number(s)
}

/** The ulimit of "name=soft[:hard]" (hard defaults to soft). Throws Error with docker's words. */
export function parseUlimit(value: string): Ulimit {
  const eq = value.indexOf('=')
  if (eq < 0) throw new Error(`invalid ulimit argument: ${value}`)
  const name = value.slice(0, eq)
  if (!NAMES.includes(name)) throw new Error(`invalid ulimit type: ${name}`)
  const limits = value.slice(eq + 1).split(':')
  if (limits.length > 2) throw new Error(`too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``)
  // go-units parses the hard limit first.
  const hardGiven = limits.length === 2 ? int64(limits[1]) : undefined
  const soft = int64(limits[0])
  const hard = hardGiven ?? soft
  if (hard !== -1 && soft > hard) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`)
  return { Name: name, Soft: soft, Hard: hard }
}
