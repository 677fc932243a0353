// `service update` flags applied to a service's current spec, as docker's
// updateService: only the flags given change anything; lists change through
// their -add/-rm flags; --force bumps TaskTemplate.ForceUpdate.
import { parseNetworkAttachment } from './opts/network.js'
import { InvalidArgumentError } from '../../errors/index.js'
import type { ContainerSpec, Mount, PortConfig, ServiceSpec, TaskSpec } from '../../types/index.js'
import type { UpdateFlagValues } from './flags.js'
import { applyUpdateFieldFlags } from './field-spec.js'
import {
  capabilitySet, capsList, deviceSource, durationNs, kvKey, kvMap, parseDevice, parseEnv, parseLabel,
  parseMount, parsePlacementPref, parsePublish, parseSysctl, parseUlimit, portKey, RESET_CAPABILITIES, shlexSplit, withFlag,
} from './opts/index.js'
import {
  anyGiven, applyHealthFlags, applyRestartFlags, applyUpdateConfigFlags, bytes, cpus, defaultRestartPolicy, defaultUpdateConfig,
  HEALTH_FLAGS, oneOf, parsedList, RESTART_FLAGS, ROLLBACK_FLAGS, uint, UPDATE_FLAGS,
} from './values.js'
import { payloadRefs } from './payload-refs.js'

/** Flags that may go with --rollback (it can't be combined with anything that changes the spec). */
const ROLLBACK_COMPANIONS = new Set(['rollback', 'detach', 'quiet', 'manager', 'data-dir'])

/** Throws when --rollback comes with flags that change the spec, as docker does. */
export function checkRollbackAlone(flags: UpdateFlagValues): void {
  const others = Object.entries(flags).filter(([k, v]) => v !== undefined && !ROLLBACK_COMPANIONS.has(k))
  if (flags.rollback && others.length) throw new InvalidArgumentError('other flags may not be combined with --rollback')
}

/** Map flags (labels, sysctls): -rm keys first, then -add entries. */
function updateMap(current: Record<string, string> | undefined, add: string[], rm: string[] | undefined): Record<string, string> | undefined {
  if (!add.length && !rm?.length) return current
  const out = { ...(current ?? {}) }
  for (const key of rm ?? []) delete out[kvKey(key)]
  Object.assign(out, kvMap(add))
  return out
}

/** --env-rm then --env-add; a variable added again keeps its place. */
function updateEnv(env: string[] = [], add: string[], rm: string[] = []): string[] {
  const out = env.filter((e) => !rm.includes(kvKey(e)))
  for (const e of add) {
    const i = out.findIndex((o) => kvKey(o) === kvKey(e))
    if (i >= 0) out[i] = e
    else out.push(e)
  }
  return out
}

/** --mount-add (replacing mounts of the same target) then --mount-rm by target; sorted by source, then target. */
function updateMounts(mounts: Mount[] = [], add: Mount[], rm: string[] = []): Mount[] {
  const byTarget = new Map<string, Mount>()
  for (const m of add) {
    if (byTarget.has(m.Target)) throw new InvalidArgumentError('duplicate mount target')
    byTarget.set(m.Target, m)
  }
  for (const m of mounts) if (!byTarget.has(m.Target)) byTarget.set(m.Target, m)
  const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0)
  return [...byTarget.values()].filter((m) => !rm.includes(m.Target))
    .sort((a, b) => cmp(a.Source, b.Source) || cmp(a.Target, b.Target))
}

/** --publish-rm (by target port, protocol and mode) then --publish-add; sorted as docker sorts them. */
function updatePorts(ports: PortConfig[] = [], add: PortConfig[], rm: PortConfig[]): PortConfig[] {
  const same = (a = '', b = '', dflt: string) => a === b || (a || dflt) === (b || dflt)
  const seen = new Map<string, PortConfig>()
  for (const p of ports) if (!seen.has(portKey(p))) seen.set(portKey(p), p)
  const out = [...seen.values()].filter((p) => !rm.some((r) =>
    r.TargetPort === p.TargetPort && same(p.Protocol, r.Protocol, 'tcp') && same(p.PublishMode, r.PublishMode, 'ingress')))
  for (const p of add) if (!seen.has(portKey(p))) out.push(p)
  return out.sort((a, b) => (portKey(a) < portKey(b) ? -1 : portKey(a) > portKey(b) ? 1 : 0))
}

/** --cap-add/--cap-drop as docker's tri-state updateCapabilities (RESET clears a list). */
function updateCapabilities(c: ContainerSpec, addFlag?: string[], dropFlag?: string[]): void {
  let capAdd = capabilitySet(c.CapabilityAdd)
  let capDrop = capabilitySet(c.CapabilityDrop)
  const toAdd = capabilitySet(addFlag)
  const toDrop = capabilitySet(dropFlag)
  if (toAdd.delete(RESET_CAPABILITIES)) capAdd = new Set()
  if (toDrop.delete(RESET_CAPABILITIES)) capDrop = new Set()
  for (const cap of toDrop) {
    if (toAdd.has(cap)) continue
    if (capAdd.has(cap)) capAdd.delete(cap)
    else capDrop.add(cap)
  }
  for (const cap of toAdd) {
    if (capDrop.has(cap)) capDrop.delete(cap)
    else capAdd.add(cap)
  }
  c.CapabilityAdd = capsList(capAdd)
  c.CapabilityDrop = capsList(capDrop)
}

function updateContainer(c: ContainerSpec, flags: UpdateFlagValues): void {
  c.Labels = updateMap(c.Labels, parsedList(flags['container-label-add'], 'container-label-add', parseLabel), flags['container-label-rm'])
  if (flags.image !== undefined) c.Image = flags.image
  if (flags.args !== undefined) c.Args = withFlag(flags.args, 'args', shlexSplit)
  if (flags.entrypoint !== undefined) c.Command = withFlag(flags.entrypoint, 'entrypoint', shlexSplit)
  if (anyGiven(flags, 'env-add', 'env-rm')) c.Env = updateEnv(c.Env, parsedList(flags['env-add'], 'env-add', (v) => parseEnv(v)), flags['env-rm'])
  if (flags.workdir !== undefined) c.Dir = flags.workdir
  if (flags.user !== undefined) c.User = flags.user
  if (flags.hostname !== undefined) c.Hostname = flags.hostname
  if (flags.init !== undefined) c.Init = flags.init
  if (anyGiven(flags, 'mount-add', 'mount-rm')) c.Mounts = updateMounts(c.Mounts, parsedList(flags['mount-add'], 'mount-add', parseMount), flags['mount-rm'])
  c.Sysctls = updateMap(c.Sysctls, parsedList(flags['sysctl-add'], 'sysctl-add', parseSysctl), flags['sysctl-rm'])
  if (anyGiven(flags, 'ulimit-add', 'ulimit-rm')) {
    const byName = new Map((c.Ulimits ?? []).map((u) => [u.Name, u]))
    for (const name of flags['ulimit-rm'] ?? []) byName.delete(kvKey(name))
    for (const u of parsedList(flags['ulimit-add'], 'ulimit-add', parseUlimit)) byName.set(u.Name, u)
    c.Ulimits = byName.size ? [...byName.values()].sort((a, b) => a.Name.localeCompare(b.Name)) : undefined
  }
  if (flags['stop-grace-period'] !== undefined) c.StopGracePeriod = durationNs(flags['stop-grace-period'], 'stop-grace-period')
  if (anyGiven(flags, 'no-healthcheck', ...HEALTH_FLAGS)) {
    if (flags['no-healthcheck']) {
      if (anyGiven(flags, ...HEALTH_FLAGS)) throw new InvalidArgumentError('--no-healthcheck conflicts with --health-* options')
      c.Healthcheck = { Test: ['NONE'] }
    } else {
      const h = { ...(c.Healthcheck ?? {}) }
      if (h.Test?.[0] === 'NONE') h.Test = undefined
      c.Healthcheck = applyHealthFlags(h, flags)
    }
  }
  if (flags.tty !== undefined) c.TTY = flags.tty
  if (flags['read-only'] !== undefined) c.ReadOnly = flags['read-only']
  if (flags.privileged !== undefined) c.Privileged = flags.privileged
  if (flags['stop-signal'] !== undefined) c.StopSignal = flags['stop-signal']
  if (anyGiven(flags, 'cap-add', 'cap-drop')) updateCapabilities(c, flags['cap-add'], flags['cap-drop'])
  if (anyGiven(flags, 'device-add', 'device-rm')) {
    const rm = new Set(flags['device-rm'] ?? [])
    const devices = (c.Devices ?? []).filter((d) => !rm.has(deviceSource(d)))
    for (const d of parsedList(flags['device-add'], 'device-add', parseDevice)) {
      if (!devices.some((x) => deviceSource(x) === deviceSource(d))) devices.push(d)
    }
    c.Devices = devices.length ? devices : undefined
  }
  if (anyGiven(flags, 'secret-add', 'secret-rm')) c.Secrets = payloadRefs.secrets(flags['secret-add'], c.Secrets ?? [], flags['secret-rm'], 'secret-add')
  if (anyGiven(flags, 'config-add', 'config-rm')) c.Configs = payloadRefs.configs(flags['config-add'], c.Configs ?? [], flags['config-rm'], 'config-add')
}

function updateTask(task: TaskSpec, flags: UpdateFlagValues): void {
  if (anyGiven(flags, 'limit-cpu', 'limit-memory')) {
    const limits = ((task.Resources ??= {}).Limits ??= {})
    if (flags['limit-cpu'] !== undefined) limits.NanoCPUs = cpus(flags['limit-cpu'], 'limit-cpu')
    if (flags['limit-memory'] !== undefined) limits.MemoryBytes = bytes(flags['limit-memory'], 'limit-memory')
  }
  if (anyGiven(flags, 'reserve-cpu', 'reserve-memory')) {
    const res = ((task.Resources ??= {}).Reservations ??= {})
    if (flags['reserve-cpu'] !== undefined) res.NanoCPUs = cpus(flags['reserve-cpu'], 'reserve-cpu')
    if (flags['reserve-memory'] !== undefined) res.MemoryBytes = bytes(flags['reserve-memory'], 'reserve-memory')
  }
  if (anyGiven(flags, ...RESTART_FLAGS)) task.RestartPolicy = applyRestartFlags(task.RestartPolicy ?? defaultRestartPolicy(), flags)
  if (anyGiven(flags, 'constraint-add', 'constraint-rm')) {
    const placement = (task.Placement ??= {})
    const rm = new Set(flags['constraint-rm'] ?? [])
    placement.Constraints = [...(placement.Constraints ?? []), ...(flags['constraint-add'] ?? [])].filter((c) => !rm.has(c)).sort()
  }
  if (anyGiven(flags, 'placement-pref-add', 'placement-pref-rm')) {
    const placement = (task.Placement ??= {})
    const rm = new Set(parsedList(flags['placement-pref-rm'], 'placement-pref-rm', parsePlacementPref).map((p) => p.Spread.SpreadDescriptor))
    placement.Preferences = [
      ...(placement.Preferences ?? []).filter((p) => !rm.has(p.Spread?.SpreadDescriptor)),
      ...parsedList(flags['placement-pref-add'], 'placement-pref-add', parsePlacementPref),
    ]
  }
  if (flags['replicas-max-per-node'] !== undefined) (task.Placement ??= {}).MaxReplicas = uint(flags['replicas-max-per-node'], 'replicas-max-per-node')
  if (flags.force) task.ForceUpdate = (task.ForceUpdate ?? 0) + 1
}

/** --network-rm then --network-add, by name or ID as the spec holds them; sorted by target. */
function updateNetworks(spec: ServiceSpec, flags: UpdateFlagValues): void {
  // TaskTemplate.Networks wins over the deprecated top-level Networks, which moves into it.
  const current = spec.TaskTemplate.Networks?.length ? spec.TaskTemplate.Networks : (spec.Networks ?? [])
  delete spec.Networks
  const rm = new Set(flags['network-rm'] ?? [])
  const nets = current.filter((n) => !rm.has(n.Target))
  for (const value of flags['network-add'] ?? []) {
    const add = withFlag(value, 'network-add', parseNetworkAttachment)
    if (nets.some((n) => n.Target === add.Target)) throw new InvalidArgumentError(`service is already attached to network ${add.Target}`)
    nets.push(add)
  }
  spec.TaskTemplate.Networks = nets.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0))
}

/**
 * A copy of `current` with the update flags applied (only those given change
 * anything). Throws InvalidArgumentError for bad values or contradictions.
 */
export function applyUpdateFlags(current: ServiceSpec, flags: UpdateFlagValues): ServiceSpec {
  const spec = structuredClone(current)
  spec.Labels = updateMap(spec.Labels, parsedList(flags['label-add'], 'label-add', parseLabel), flags['label-rm'])
  updateContainer(spec.TaskTemplate.ContainerSpec, flags)
  updateTask(spec.TaskTemplate, flags)
  applyUpdateFieldFlags(spec, flags)
  if (anyGiven(flags, 'network-add', 'network-rm')) updateNetworks(spec, flags)
  if (flags.replicas !== undefined) {
    if (spec.Mode?.ReplicatedJob) spec.Mode.ReplicatedJob.TotalCompletions = uint(flags.replicas, 'replicas')
    else if (!spec.Mode?.Replicated) throw new InvalidArgumentError('replicas can only be used with replicated mode')
    else spec.Mode.Replicated.Replicas = uint(flags.replicas, 'replicas')
  }
  if (flags['max-concurrent'] !== undefined) {
    if (!spec.Mode?.ReplicatedJob) throw new InvalidArgumentError('max-concurrent can only be used with replicated-job mode')
    spec.Mode.ReplicatedJob.MaxConcurrent = uint(flags['max-concurrent'], 'max-concurrent')
  }
  if (anyGiven(flags, ...UPDATE_FLAGS)) spec.UpdateConfig = applyUpdateConfigFlags(spec.UpdateConfig ?? defaultUpdateConfig(), flags, 'update')
  if (anyGiven(flags, ...ROLLBACK_FLAGS)) spec.RollbackConfig = applyUpdateConfigFlags(spec.RollbackConfig ?? defaultUpdateConfig(), flags, 'rollback')
  if (flags['endpoint-mode'] !== undefined) {
    (spec.EndpointSpec ??= {}).Mode = oneOf(flags['endpoint-mode'], 'endpoint-mode', ['vip', 'dnsrr'] as const)
  }
  if (anyGiven(flags, 'publish-add', 'publish-rm')) {
    const ep = (spec.EndpointSpec ??= {})
    ep.Ports = updatePorts(ep.Ports, parsedList(flags['publish-add'], 'publish-add', parsePublish).flat(),
      parsedList(flags['publish-rm'], 'publish-rm', parsePublish).flat())
  }
  return spec
}
