// Times and durations worded as Go and docker's go-units word them.

/** Nanoseconds since the epoch of an RFC 3339 time with up to 9 fraction digits (Go's time.Time JSON), as a bigint. */
export function timeNanos(iso: string | undefined): bigint {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(iso ?? '')
  if (!m) return BigInt(Date.parse(iso ?? '') || 0) * 1_000_000n
  const secs = Date.parse(m[1] + m[3])
  if (Number.isNaN(secs)) return 0n
  return BigInt(secs) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))
}

/** Milliseconds since the epoch of an RFC 3339 time (sub-millisecond digits dropped). */
export function timeMillis(iso: string | undefined): number {
  return Number(timeNanos(iso) / 1_000_000n)
}

/**
 * A duration in words, as go-units' HumanDuration: "Less than a second", "1 second", "5 seconds",
 * "About a minute", "3 minutes", "About an hour", "5 hours", "3 days", "2 weeks", "4 months", "2 years".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.trunc(ms / 60_000)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.trunc(ms / 3_600_000 + 0.5)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)} years`
}

/** Digits of `n` (0 ≤ n < 10^width) as a fraction: "5" for 500 with width 3, "" for 0. */
function fraction(n: number, width: number): string {
  return n === 0 ? '' : '.' + String(n).padStart(width, '0').replace(/0+$/, '')
}

/** A duration in nanoseconds as Go's time.Duration.String(): "0s", "500ms", "1.5µs", "5s", "1m30s", "2h0m0s". */
export function goDuration(ns: number | undefined): string {
  let u = Math.abs(Math.trunc(ns ?? 0))
  const sign = (ns ?? 0) < 0 ? '-' : ''
  if (u === 0) return '0s'
  if (u < 1e3) return `${sign}${u}ns`
  if (u < 1e6) return `${sign}${Math.trunc(u / 1e3)}${fraction(u % 1e3, 3)}µs`
  if (u < 1e9) return `${sign}${Math.trunc(u / 1e6)}${fraction(u % 1e6, 6)}ms`
  const frac = u % 1e9
  u = Math.trunc(u / 1e9)
  let out = `${u % 60}${fraction(frac, 9)}s`
  u = Math.trunc(u / 60)
  if (u > 0) {
    out = `${u % 60}m` + out
    u = Math.trunc(u / 60)
    if (u > 0) out = `${u}h` + out
  }
  return sign + out
}

/** A float as Go's fmt %v prints it: shortest digits, exponent form below 1e-4 and from 1e6 ("1e-05", "1.5e+06"). */
export function goFloat(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v).replace('Infinity', '+Inf')
  const exp = Math.floor(Math.log10(Math.abs(v)))
  if (exp >= -4 && exp < 6) return String(v)
  const [mant, e] = v.toExponential().split('e')
  const n = Number(e)
  return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`
}
