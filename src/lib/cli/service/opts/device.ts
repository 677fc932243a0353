// --device (a tsw extension): "/dev/src[:/dev/dst][:rwm]", checked as `docker run --device` checks it.

function validMode(mode: string): boolean {
  return mode.length > 0 && mode.length <= 3 && [...mode].every((c, i) => 'rwm'.includes(c) && mode.indexOf(c) === i)
}

/** A --device value, unchanged when valid. Throws Error. */
export function parseDevice(value: string): string {
  const parts = value.split(':')
  if (parts.length > 3) throw new Error(`invalid device specification: ${value} (use /dev/src[:/dev/dst][:rwm])`)
  const [src, second, third] = parts
  if (!src.startsWith('/')) throw new Error(`${src} is not an absolute path`)
  if (second !== undefined && !validMode(second) && !second.startsWith('/')) throw new Error(`${second} is not an absolute path`)
  if (third !== undefined && !validMode(third)) throw new Error(`bad mode specified: ${third} (use a subset of rwm)`)
  return value
}

/** The host path of a --device value (what --device-rm matches). */
export function deviceSource(value: string): string {
  return value.split(':')[0]
}
