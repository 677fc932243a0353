// `since` and `until` of GET /events: Unix seconds with optional fraction, as
// the docker CLI sends them ("1700000000.000000000") after resolving "10m" or a date.
import { InvalidArgumentError } from '../errors/index.js'

/** The time (ms) of a `since`/`until` query value, or undefined when absent. Throws InvalidArgumentError. */
export function parseEventTime(name: string, value: string | null): number | undefined {
  if (value === null || value === '') return undefined
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value)
  if (!m) throw new InvalidArgumentError(`invalid value for "${name}": "${value}" is not a Unix time (seconds, with up to 9 decimals)`)
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(9, '0')) / 1e6
}
