// `stack config`: the merged, interpolated compose configuration as YAML,
// version first, then services, networks, volumes, secrets and configs.
import { stringify } from 'yaml'
import type { ComposeConfig } from './types.js'

/** The YAML docker 28's stack config prints for a loaded config (empty sections left out). */
export function renderConfig(config: ComposeConfig): string {
  const out: Record<string, unknown> = { version: config.version, services: config.services }
  for (const k of ['networks', 'volumes', 'secrets', 'configs'] as const) if (Object.keys(config[k]).length) out[k] = config[k]
  return stringify(out, { lineWidth: 0 })
}
