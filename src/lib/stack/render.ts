// `stack config`: the merged, interpolated compose configuration as YAML,
// version first, then services, networks, volumes, secrets and configs; each
// service's environment resolved as docker's loader does (env_file included).
import { stringify } from 'yaml'
import { resolvedEnvironment } from './convert/environment.js'
import type { Lookup } from './interpolate.js'
import type { ComposeConfig } from './types.js'

/** The YAML docker 28's stack config prints for a loaded config (empty sections left out; no `lookup`: environment as written). */
export function renderConfig(config: ComposeConfig, lookup?: Lookup): string {
  const services = Object.fromEntries(Object.entries(config.services).map(([name, svc]) => {
    if (!lookup || (!svc.environment && !svc.env_file)) return [name, svc]
    return [name, { ...svc, environment: resolvedEnvironment(svc, lookup, `services.${name}`) }]
  }))
  const out: Record<string, unknown> = { version: config.version, services }
  for (const k of ['networks', 'volumes', 'secrets', 'configs'] as const) if (Object.keys(config[k]).length) out[k] = config[k]
  return stringify(out, { lineWidth: 0 })
}
