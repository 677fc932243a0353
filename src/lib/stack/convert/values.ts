// Compose scalars → the API's units: Go durations to nanoseconds, sizes to
// bytes, CPU counts to NanoCPUs; errors name the compose key.
import { parseDuration } from '../../cli/duration.js'
import { parseCpus } from '../../cli/service/opts/cpus.js'
import { ramInBytes } from '../../cli/service/opts/memory.js'
import { InvalidArgumentError } from '../../errors/index.js'

/** Nanoseconds of a compose duration ("10s", "1m30s"), or undefined when absent. Throws InvalidArgumentError naming `where`. */
export function nanos(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  try {
    return Math.round(parseDuration(String(value), where) * 1e6)
  } catch {
    throw new InvalidArgumentError(`${where}: invalid duration ${JSON.stringify(value)} (use e.g. 10s, 1m30s, 500ms)`)
  }
}

/** Bytes of a compose size ("512M", "1gb", 1048576). Throws InvalidArgumentError naming `where`. */
export function bytes(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'number') return value
  try {
    return ramInBytes(String(value))
  } catch (err) {
    throw new InvalidArgumentError(`${where}: ${(err as Error).message}`)
  }
}

/** NanoCPUs of a compose CPU count ("0.5", 2). Throws InvalidArgumentError naming `where`. */
export function nanoCpus(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  try {
    return parseCpus(String(value))
  } catch (err) {
    throw new InvalidArgumentError(`${where}: ${(err as Error).message}`)
  }
}
