// Several compose files → one, as docker/cli's loader merges them: services
// by name, a later file's keys overriding an earlier's; mappings merge key by
// key; ports, volumes, secrets and configs merge by their identity (published
// port, target path, source); command and entrypoint are replaced; other lists
// are appended (mergo's WithAppendSlice).
import type { ComposeConfig, ComposeService, Dict, FileRef, PortEntry, VolumeEntry } from './types.js'

const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v)

/** Lists merged by identity: a later entry with the same key replaces the earlier one in place. */
function byKey<T>(base: T[], over: T[], key: (t: T) => string): T[] {
  const out = [...base]
  for (const o of over) {
    const i = out.findIndex((b) => key(b) === key(o))
    if (i >= 0) out[i] = o
    else out.push(o)
  }
  return out
}

const KEYED: Record<string, (t: never) => string> = {
  ports: (p: PortEntry) => `${p.published ?? `t${p.target}`}/${p.protocol}/${p.mode}`,
  volumes: (v: VolumeEntry) => v.target,
  secrets: (r: FileRef) => r.source,
  configs: (r: FileRef) => r.source,
}
const REPLACED = ['command', 'entrypoint', 'healthcheck.test']

function mergeValue(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return base
  if (REPLACED.includes(path)) return over
  if (Array.isArray(base) && Array.isArray(over)) {
    const key = KEYED[path] as ((t: unknown) => string) | undefined
    return key ? byKey(base, over, key) : [...base, ...over]
  }
  if (isDict(base) && isDict(over)) {
    const out: Dict = { ...base }
    for (const [k, v] of Object.entries(over)) out[k] = mergeValue(base[k], v, path ? `${path}.${k}` : k)
    return out
  }
  return over
}

/** `over` merged onto `base` (one service). */
export function mergeService(base: ComposeService, over: ComposeService): ComposeService {
  return mergeValue(base, over, '') as ComposeService
}

/** The configs merged in order: later files override earlier ones. */
export function mergeConfigs(configs: ComposeConfig[]): ComposeConfig {
  const [first, ...rest] = configs
  const out: ComposeConfig = structuredClone(first)
  for (const c of rest) {
    for (const [name, svc] of Object.entries(c.services)) out.services[name] = out.services[name] ? mergeService(out.services[name], svc) : svc
    for (const section of ['networks', 'volumes', 'secrets', 'configs'] as const) {
      for (const [name, v] of Object.entries(c[section])) {
        (out[section] as Dict)[name] = mergeValue(out[section][name], v, '')
      }
    }
  }
  return out
}
