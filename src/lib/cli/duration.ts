import { InvalidArgumentError } from '../errors/index.js'

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Milliseconds of a Go duration ("5s", "1m30s", "2160h0m0s", "500ms"). Throws InvalidArgumentError. */
export function parseDuration(value: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy
  let total = 0
  let m: RegExpExecArray | null
  let consumed = 0
  while ((m = re.exec(value))) {
    total += Number(m[1]) * UNITS[m[2]]
    consumed = re.lastIndex
  }
  if (value === '0') return 0
  if (!value || consumed !== value.length) {
    throw new InvalidArgumentError(`invalid argument "${value}" for "--${flag}" flag: time: invalid duration "${value}" (use e.g. 5s, 1m30s, 500ms)`)
  }
  return total
}
