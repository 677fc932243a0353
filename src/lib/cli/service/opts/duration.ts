// Durations for the spec: Go syntax in, nanoseconds out.
import { parseDuration } from '../../duration.js'

/** Nanoseconds of a Go duration given to --flag ("5s", "1m30s"). Throws InvalidArgumentError. */
export function durationNs(value: string, flag: string): number {
  return Math.round(parseDuration(value, flag) * 1e6)
}
