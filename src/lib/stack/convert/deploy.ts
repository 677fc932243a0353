// A compose service's `deploy:` → the ServiceSpec's mode, resources, restart
// policy, placement and update/rollback configs, as docker/cli's convert does.
import { InvalidArgumentError } from '../../errors/index.js'
import type { Placement, ResourceSet, RestartPolicy, ServiceMode, TaskSpec, UpdateConfig } from '../../types/index.js'
import type { Dict } from '../types.js'
import { bytes, nanoCpus, nanos } from './values.js'

/** deploy.mode and deploy.replicas → Mode. Replicas left out stay out (the manager makes them 1). */
export function serviceMode(deploy: Dict, where: string): ServiceMode {
  const mode = (deploy.mode as string | undefined) ?? 'replicated'
  if (mode === 'global') {
    if (deploy.replicas !== undefined) throw new InvalidArgumentError(`${where}.deploy: replicas can only be used with replicated or replicated-job mode`)
    return { Global: {} }
  }
  if (mode === 'replicated') return { Replicated: deploy.replicas === undefined ? {} : { Replicas: deploy.replicas as number } }
  throw new InvalidArgumentError(`${where}.deploy.mode: tsw does not run ${mode} services (swarm jobs): use replicated or global`)
}

function resourceSet(r: Dict | undefined, where: string): ResourceSet | undefined {
  if (!r) return undefined
  if (r.generic_resources !== undefined || r.devices !== undefined) {
    const key = r.generic_resources !== undefined ? 'generic_resources' : 'devices'
    throw new InvalidArgumentError(`${where}.${key}: tsw's stacks take cpus, memory and pids`)
  }
  const out: ResourceSet = {}
  const cpus = nanoCpus(r.cpus, `${where}.cpus`)
  const memory = bytes(r.memory, `${where}.memory`)
  if (cpus !== undefined) out.NanoCPUs = cpus
  if (memory !== undefined) out.MemoryBytes = memory
  if (r.pids !== undefined) out.Pids = r.pids as number
  return out
}

/** deploy.resources → TaskSpec.Resources (undefined when none). */
export function resources(deploy: Dict, where: string): TaskSpec['Resources'] {
  const r = deploy.resources as Dict | undefined
  if (!r) return undefined
  const limits = resourceSet(r.limits as Dict | undefined, `${where}.deploy.resources.limits`)
  const reservations = resourceSet(r.reservations as Dict | undefined, `${where}.deploy.resources.reservations`)
  return { ...(limits ? { Limits: limits } : {}), ...(reservations ? { Reservations: reservations } : {}) }
}

/** deploy.restart_policy (or the `restart` key docker still reads when there is none) → RestartPolicy. */
export function restartPolicy(deploy: Dict, restart: unknown, where: string): RestartPolicy | undefined {
  const p = deploy.restart_policy as Dict | undefined
  if (!p) {
    if (restart === undefined || restart === 'no' || restart === '') return undefined
    if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' }
    const m = /^on-failure(?::(\d+))?$/.exec(String(restart))
    if (m) return { Condition: 'on-failure', MaxAttempts: Number(m[1] ?? 0) }
    throw new InvalidArgumentError(`${where}.restart: unknown restart policy: ${String(restart)}`)
  }
  const out: RestartPolicy = {}
  if (p.condition !== undefined) out.Condition = p.condition as RestartPolicy['Condition']
  const delay = nanos(p.delay, `${where}.deploy.restart_policy.delay`)
  if (delay !== undefined) out.Delay = delay
  if (p.max_attempts !== undefined) out.MaxAttempts = p.max_attempts as number
  const window = nanos(p.window, `${where}.deploy.restart_policy.window`)
  if (window !== undefined) out.Window = window
  return out
}

/** deploy.update_config or deploy.rollback_config → UpdateConfig; parallelism defaults to 1, as docker's convertUpdateConfig. */
export function updateConfig(c: Dict | undefined, where: string): UpdateConfig | undefined {
  if (!c) return undefined
  const out: UpdateConfig = { Parallelism: (c.parallelism as number | undefined) ?? 1 }
  const delay = nanos(c.delay, `${where}.delay`)
  if (delay !== undefined) out.Delay = delay
  if (c.failure_action) out.FailureAction = c.failure_action as UpdateConfig['FailureAction']
  const monitor = nanos(c.monitor, `${where}.monitor`)
  if (monitor !== undefined) out.Monitor = monitor
  if (c.max_failure_ratio !== undefined) out.MaxFailureRatio = c.max_failure_ratio as number
  if (c.order) out.Order = c.order as UpdateConfig['Order']
  return out
}

/** deploy.placement → Placement (undefined when none). */
export function placement(deploy: Dict): Placement | undefined {
  const p = deploy.placement as Dict | undefined
  if (!p) return undefined
  const out: Placement = {}
  if ((p.constraints as string[] | undefined)?.length) out.Constraints = [...(p.constraints as string[])]
  const prefs = (p.preferences as Array<{ spread?: string }> | undefined) ?? []
  if (prefs.length) out.Preferences = prefs.map((x) => ({ Spread: { SpreadDescriptor: x.spread ?? '' } }))
  if (p.max_replicas_per_node !== undefined) out.MaxReplicas = p.max_replicas_per_node as number
  return out
}
