import { InvalidArgumentError } from '../errors/index.js'

/** A --metrics-addr value, checked: HOST:PORT with the port given (there is no default port). Throws InvalidArgumentError. */
export function metricsAddr(value: string): string {
  const m = /^(?:\[[^\]]+\]|[^:\s]+):(\d+)$/.exec(value.trim())
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) {
    throw new InvalidArgumentError(`invalid --metrics-addr "${value}": use IP:PORT, e.g. 127.0.0.1:9323`)
  }
  return value.trim()
}
