// `service create` flags → a ServiceSpec, as docker's serviceOptions.ToService
// builds it: image arguments go to Args, --entrypoint to Command, Mode is
// Replicated with 1 replica unless --mode global; the manager fills the rest
// of swarm's defaults (restart policy, update config, stop grace period).
import { parseNetworkAttachment } from './opts/network.js'
import { InvalidArgumentError } from '../../errors/index.js'
import type { ContainerSpec, ServiceMode, ServiceSpec, TaskSpec } from '../../types/index.js'
import type { CreateFlagValues } from './flags.js'
import { applyCreateFieldFlags } from './field-spec.js'
import {
  durationNs, effectiveCaps, kvMap, parseDevice, parseEnv, parseLabel, parseMount, parsePlacementPref, parsePublish,
  parseSysctl, parseUlimit, readEnvFiles, shlexSplit, withFlag,
} from './opts/index.js'
import { payloadRefs } from './payload-refs.js'
import {
  anyGiven, applyRestartFlags, applyUpdateConfigFlags, bytes, cpus, defaultRestartPolicy, defaultUpdateConfig, healthFromFlags,
  oneOf, parsedList, RESTART_FLAGS, ROLLBACK_FLAGS, uint, UPDATE_FLAGS,
} from './values.js'

/** The service mode of --mode/--replicas/--replicas-max-per-node. Throws InvalidArgumentError. */
export function modeFromFlags(flags: CreateFlagValues): ServiceMode {
  const mode = flags.mode ?? 'replicated'
  if (!['replicated', 'global', 'replicated-job', 'global-job'].includes(mode)) {
    throw new InvalidArgumentError(`Unknown mode: ${mode}, only replicated and global supported`)
  }
  if (flags['max-concurrent'] !== undefined && mode !== 'replicated-job') throw new InvalidArgumentError('max-concurrent can only be used with replicated-job mode')
  if (mode === 'global' || mode === 'global-job') {
    if (flags.replicas !== undefined) throw new InvalidArgumentError('replicas can only be used with replicated or replicated-job mode')
    if (flags['replicas-max-per-node'] !== undefined && uint(flags['replicas-max-per-node'], 'replicas-max-per-node') > 0) {
      throw new InvalidArgumentError('replicas-max-per-node can only be used with replicated or replicated-job mode')
    }
    return mode === 'global' ? { Global: {} } : { GlobalJob: {} }
  }
  const replicas = flags.replicas === undefined ? undefined : uint(flags.replicas, 'replicas')
  if (mode === 'replicated-job') {
    // As docker: MaxConcurrent defaults to the replicas; unset values are the manager's (1).
    const concurrent = flags['max-concurrent'] === undefined ? replicas : uint(flags['max-concurrent'], 'max-concurrent')
    return { ReplicatedJob: { ...(concurrent !== undefined ? { MaxConcurrent: concurrent } : {}), ...(replicas !== undefined ? { TotalCompletions: replicas } : {}) } }
  }
  return { Replicated: { Replicas: replicas ?? 1 } }
}

/** One entry per variable: a later value of a key replaces the earlier one and moves last, as docker's makeEnv. */
function dedupeEnv(env: string[]): string[] {
  const out: string[] = []
  for (const e of env) {
    const key = e.split('=')[0]
    const i = out.findIndex((o) => o.split('=')[0] === key)
    if (i >= 0) out.splice(i, 1)
    out.push(e)
  }
  return out
}

/** The container spec of the create flags. */
function containerSpecFromFlags(image: string, args: string[], flags: CreateFlagValues, environ: NodeJS.ProcessEnv): ContainerSpec {
  const c: ContainerSpec = { Image: image, Init: flags.init ?? false }
  if (args.length) c.Args = args
  if (flags.entrypoint !== undefined) c.Command = withFlag(flags.entrypoint, 'entrypoint', shlexSplit)
  // As docker's ReadKVEnvStrings: the files' variables, then --env's.
  const env = dedupeEnv([...readEnvFiles(flags['env-file'] ?? [], environ), ...parsedList(flags.env, 'env', (v) => parseEnv(v, environ))])
  if (env.length) c.Env = env
  const labels = parsedList(flags['container-label'], 'container-label', parseLabel)
  if (labels.length) c.Labels = kvMap(labels)
  if (flags.hostname) c.Hostname = flags.hostname
  if (flags.workdir) c.Dir = flags.workdir
  if (flags.user) c.User = flags.user
  if (flags['stop-signal']) c.StopSignal = flags['stop-signal']
  if (flags.tty) c.TTY = true
  if (flags['read-only']) c.ReadOnly = true
  if (flags.privileged) c.Privileged = true
  const mounts = parsedList(flags.mount, 'mount', parseMount)
  if (mounts.length) c.Mounts = mounts
  if (flags['stop-grace-period'] !== undefined) c.StopGracePeriod = durationNs(flags['stop-grace-period'], 'stop-grace-period')
  const health = healthFromFlags(flags)
  if (health) c.Healthcheck = health
  const sysctls = parsedList(flags.sysctl, 'sysctl', parseSysctl)
  if (sysctls.length) c.Sysctls = kvMap(sysctls)
  const caps = effectiveCaps(flags['cap-add'], flags['cap-drop'])
  if (caps.add.length) c.CapabilityAdd = caps.add
  if (caps.drop.length) c.CapabilityDrop = caps.drop
  // One ulimit per name, the last one given winning, sorted by name (docker's UlimitOpt).
  const ulimits = new Map(parsedList(flags.ulimit, 'ulimit', parseUlimit).map((u) => [u.Name, u]))
  if (ulimits.size) c.Ulimits = [...ulimits.values()].sort((a, b) => a.Name.localeCompare(b.Name))
  const devices = parsedList(flags.device, 'device', parseDevice)
  if (devices.length) c.Devices = devices
  const secrets = payloadRefs.secrets(flags.secret, [], undefined, 'secret')
  if (secrets.length) c.Secrets = secrets
  const configs = payloadRefs.configs(flags.config, [], undefined, 'config')
  if (configs.length) c.Configs = configs
  return c
}

/** The task template of the create flags. */
function taskSpecFromFlags(image: string, args: string[], flags: CreateFlagValues, environ: NodeJS.ProcessEnv): TaskSpec {
  const task: TaskSpec = {
    ContainerSpec: containerSpecFromFlags(image, args, flags, environ),
    Resources: { Limits: {}, Reservations: {} },
    Placement: {},
  }
  if (flags['limit-cpu'] !== undefined) task.Resources!.Limits!.NanoCPUs = cpus(flags['limit-cpu'], 'limit-cpu')
  if (flags['limit-memory'] !== undefined) task.Resources!.Limits!.MemoryBytes = bytes(flags['limit-memory'], 'limit-memory')
  if (flags['reserve-cpu'] !== undefined) task.Resources!.Reservations!.NanoCPUs = cpus(flags['reserve-cpu'], 'reserve-cpu')
  if (flags['reserve-memory'] !== undefined) task.Resources!.Reservations!.MemoryBytes = bytes(flags['reserve-memory'], 'reserve-memory')
  if (anyGiven(flags, ...RESTART_FLAGS)) task.RestartPolicy = applyRestartFlags(defaultRestartPolicy(), flags)
  const placement = task.Placement!
  if (flags.constraint?.length) placement.Constraints = [...flags.constraint]
  const prefs = parsedList(flags['placement-pref'], 'placement-pref', parsePlacementPref)
  if (prefs.length) placement.Preferences = prefs
  if (flags['replicas-max-per-node'] !== undefined) {
    const max = uint(flags['replicas-max-per-node'], 'replicas-max-per-node')
    if (max > 0) placement.MaxReplicas = max
  }
  if (flags.network?.length) {
    const nets = parsedList(flags.network, 'network', parseNetworkAttachment)
    const seen = new Set<string>()
    task.Networks = nets.filter((n) => !seen.has(n.Target) && seen.add(n.Target)).sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0))
  }
  applyCreateFieldFlags(task, flags)
  return task
}

/**
 * The spec `service create` sends for IMAGE [ARG...] and its flags. `environ`
 * supplies values for `-e KEY` without a value. Throws InvalidArgumentError.
 */
export function specFromFlags(image: string, args: string[], flags: CreateFlagValues, environ: NodeJS.ProcessEnv = process.env): ServiceSpec {
  const labels = parsedList(flags.label, 'label', parseLabel)
  const spec: ServiceSpec = {
    Name: flags.name ?? '',
    Labels: kvMap(labels),
    TaskTemplate: taskSpecFromFlags(image, args, flags, environ),
    Mode: modeFromFlags(flags),
    EndpointSpec: { Mode: oneOf(flags['endpoint-mode'] ?? 'vip', 'endpoint-mode', ['vip', 'dnsrr'] as const) },
  }
  if (anyGiven(flags, ...UPDATE_FLAGS)) spec.UpdateConfig = applyUpdateConfigFlags(defaultUpdateConfig(), flags, 'update')
  if (anyGiven(flags, ...ROLLBACK_FLAGS)) spec.RollbackConfig = applyUpdateConfigFlags(defaultUpdateConfig(), flags, 'rollback')
  const ports = parsedList(flags.publish, 'publish', parsePublish).flat()
  if (ports.length) spec.EndpointSpec!.Ports = ports
  return spec
}
