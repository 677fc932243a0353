// KEY=VALUE flags: --env, --label, --container-label, --sysctl, and
// --placement-pref, checked as docker's validators check them.
import type { PlacementPreference } from '../../../types/index.js'

/** An --env value; "KEY" alone takes KEY's value from `environ` when it is set there, as docker does. Throws Error. */
export function parseEnv(value: string, environ: NodeJS.ProcessEnv = process.env): string {
  const eq = value.indexOf('=')
  const key = eq < 0 ? value : value.slice(0, eq)
  if (!key) throw new Error(`invalid environment variable: ${value}`)
  if (eq >= 0) return value
  const v = environ[key]
  return v === undefined ? value : `${key}=${v}`
}

/** A --label value ("key[=value]"): the key is non-empty and has no whitespace. Throws Error. */
export function parseLabel(value: string): string {
  const eq = value.indexOf('=')
  const key = (eq < 0 ? value : value.slice(0, eq)).replace(/^[ \t]+/, '')
  if (!key) throw new Error(`invalid label '${value}': empty name`)
  if (/[ \t]/.test(key)) throw new Error(`label '${key}' contains whitespaces`)
  return value
}

/** A --sysctl value ("net.core.somaxconn=1024"). Throws Error. */
export function parseSysctl(value: string): string {
  const eq = value.indexOf('=')
  if (eq <= 0) throw new Error(`sysctl '${value}' is not of the form KEY=VALUE (e.g. net.core.somaxconn=1024)`)
  return value
}

/** KEY=VALUE strings as a map (a bare KEY maps to ""), as docker's ConvertKVStringsToMap. */
export function kvMap(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values) {
    const eq = v.indexOf('=')
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1)
  }
  return out
}

/** The key of a KEY=VALUE string. */
export function kvKey(v: string): string {
  const eq = v.indexOf('=')
  return eq < 0 ? v : v.slice(0, eq)
}

/** A --placement-pref value ("spread=node.labels.zone"). Throws Error. */
export function parsePlacementPref(value: string): PlacementPreference {
  const eq = value.indexOf('=')
  const strategy = eq < 0 ? '' : value.slice(0, eq)
  if (eq < 0 || !strategy) throw new Error('placement preference must be of the format "<strategy>=<arg>"')
  if (strategy !== 'spread') throw new Error(`unsupported placement preference ${strategy} (only spread is supported)`)
  return { Spread: { SpreadDescriptor: value.slice(eq + 1) } }
}
