// Task → the body of POST /containers/create, as swarmkit's container adapter
// builds it (agent/exec/dockerapi/container.go). Pure: no engine is contacted.

import type Dockerode from 'dockerode'
import { InvalidArgumentError } from '../errors/index.js'
import type { ContainerSpec, Mount, PortConfig, Task } from '../types/index.js'
import {
  LABEL_CLUSTER_ID, LABEL_NODE_ID, LABEL_SERVICE_ID, LABEL_SERVICE_NAME, LABEL_TASK, LABEL_TASK_ID, LABEL_TASK_NAME,
} from './labels.js'
import { dnsServers, extraHosts, genericResourceEnv, securityOptions } from './container-options.js'

/** What containerConfig needs besides the task itself. */
export interface ContainerConfigInput {
  task: Task
  serviceName: string
  serviceId: string
  clusterId: string
  /** The swarm node the task runs on (names global tasks, fills the node label). */
  nodeId: string
  /** Ports to publish on the engine's host (PublishMode host); every port given is bound. */
  hostPorts: PortConfig[]
  /** DNS servers that know the swarm's names (the managers), for tasks on overlay networks. */
  dns?: string[]
}

/** A container create body with its name (dockerode's `name` option) and the further networks to connect it to before it starts. */
export type ContainerConfig = Dockerode.ContainerCreateOptions & { name: string; Image: string; connect?: NetworkConnect[] }

/** POST /networks/{network}/connect for a created container. */
export interface NetworkConnect {
  network: string
  EndpointConfig: { IPAMConfig: { IPv4Address: string } }
}

/** docker swarm's task/container name: `<service>.<slot>.<taskId>`, or `<service>.<nodeId>.<taskId>` for global tasks. */
export function taskContainerName(serviceName: string, task: Pick<Task, 'ID' | 'Slot'>, nodeId: string): string {
  const slot = task.Slot !== undefined && task.Slot > 0 ? String(task.Slot) : nodeId
  return `${serviceName}.${slot}.${task.ID}`
}

/** The container create options for a task: name, labels, ContainerSpec and HostConfig mapped as swarm does. */
export function containerConfig(input: ContainerConfigInput): ContainerConfig {
  const { task } = input
  const spec = task.Spec.ContainerSpec
  const name = taskContainerName(input.serviceName, task, input.nodeId)

  const config: ContainerConfig = { name, Image: spec.Image, Labels: containerLabels(input, name) }
  if (spec.Command?.length) {
    // Command replaces the image's whole invocation; Args are its arguments.
    config.Entrypoint = [...spec.Command]
    config.Cmd = [...(spec.Args ?? [])]
  } else if (spec.Args?.length) {
    config.Cmd = [...spec.Args]
  }
  const env = [...(spec.Env ?? []), ...genericResourceEnv(task.AssignedGenericResources)]
  if (env.length) config.Env = env
  if (spec.Dir) config.WorkingDir = spec.Dir
  if (spec.User) config.User = spec.User
  if (spec.Hostname) config.Hostname = spec.Hostname
  if (spec.TTY) config.Tty = true
  if (spec.OpenStdin) config.OpenStdin = true
  if (spec.StopSignal) config.StopSignal = spec.StopSignal
  if (spec.StopGracePeriod !== undefined) config.StopTimeout = nanosToSeconds(spec.StopGracePeriod)
  const health = healthcheck(spec)
  if (health) config.Healthcheck = health
  if (input.hostPorts.length) config.ExposedPorts = Object.fromEntries(input.hostPorts.map((p) => [portKey(p), {}]))
  config.HostConfig = hostConfig(input)
  // Overlay networks: the engine's bridge of each, at the address the manager gave the task.
  const attachments = (task.NetworksAttachments ?? []).filter((a) => a.Network.Spec?.Name && a.Addresses[0])
  if (attachments.length) {
    const endpoint = (a: (typeof attachments)[number]) => ({ IPAMConfig: { IPv4Address: a.Addresses[0].split('/')[0] } })
    // A user network first: it gives the container its default route and name resolution.
    const ordered = [...attachments.filter((a) => !a.Network.Spec?.Ingress), ...attachments.filter((a) => a.Network.Spec?.Ingress)]
    const [first, ...rest] = ordered
    config.HostConfig.NetworkMode = first.Network.Spec!.Name
    config.NetworkingConfig = { EndpointsConfig: { [first.Network.Spec!.Name]: endpoint(first) } }
    if (rest.length) config.connect = rest.map((a) => ({ network: a.Network.Spec!.Name, EndpointConfig: endpoint(a) }))
    if (input.dns?.length) config.HostConfig.Dns = dnsServers(spec, input.dns)
  }
  return config
}

/** The container's labels: ContainerSpec.Labels, then the task's labels, then the system labels (which win). */
export function containerLabels(input: ContainerConfigInput, name: string): Record<string, string> {
  return {
    ...input.task.Spec.ContainerSpec.Labels,
    ...input.task.Labels,
    [LABEL_TASK]: '',
    [LABEL_TASK_ID]: input.task.ID,
    [LABEL_TASK_NAME]: name,
    [LABEL_NODE_ID]: input.nodeId,
    [LABEL_SERVICE_ID]: input.serviceId,
    [LABEL_SERVICE_NAME]: input.serviceName,
    [LABEL_CLUSTER_ID]: input.clusterId,
  }
}

function hostConfig(input: ContainerConfigInput): Dockerode.HostConfig {
  const { task } = input
  const spec = task.Spec.ContainerSpec
  // tsw's orchestrator restarts tasks (as new tasks), never the engine.
  const hc: Dockerode.HostConfig = { RestartPolicy: { Name: 'no' } }
  if (spec.Mounts?.length) hc.Mounts = spec.Mounts.map(convertMount)
  const limits = task.Spec.Resources?.Limits
  if (limits?.MemoryBytes && limits.MemoryBytes > 0) hc.Memory = limits.MemoryBytes
  if (limits?.NanoCPUs && limits.NanoCPUs > 0) hc.NanoCpus = limits.NanoCPUs
  if (spec.CapabilityAdd?.length) hc.CapAdd = [...spec.CapabilityAdd]
  if (spec.CapabilityDrop?.length) hc.CapDrop = [...spec.CapabilityDrop]
  if (spec.Sysctls && Object.keys(spec.Sysctls).length) hc.Sysctls = { ...spec.Sysctls }
  if (spec.Ulimits?.length) hc.Ulimits = spec.Ulimits.map((u) => ({ Name: u.Name, Soft: u.Soft, Hard: u.Hard }))
  if (spec.ReadOnly) hc.ReadonlyRootfs = true
  if (spec.Privileged) hc.Privileged = true
  if (spec.Init !== undefined) hc.Init = spec.Init
  if (spec.Devices?.length) hc.Devices = spec.Devices.map(parseDevice)
  if (limits?.Pids && limits.Pids > 0) hc.PidsLimit = limits.Pids
  if (spec.Groups?.length) hc.GroupAdd = [...spec.Groups]
  if (spec.OomScoreAdj) hc.OomScoreAdj = spec.OomScoreAdj
  if (spec.Isolation) hc.Isolation = spec.Isolation
  const hosts = extraHosts(spec.Hosts)
  if (hosts.length) hc.ExtraHosts = hosts
  const security = securityOptions(spec.Privileges)
  if (security.length) hc.SecurityOpt = security
  const dns = spec.DNSConfig
  if (dns?.Nameservers?.length) hc.Dns = [...dns.Nameservers]
  if (dns?.Search?.length) hc.DnsSearch = [...dns.Search]
  if (dns?.Options?.length) hc.DnsOptions = [...dns.Options]
  if (input.hostPorts.length) {
    hc.PortBindings = Object.fromEntries(input.hostPorts.map((p) => [
      portKey(p),
      // An empty binding lets the engine pick a free host port.
      [p.PublishedPort ? { HostPort: String(p.PublishedPort) } : {}],
    ]))
  }
  if (task.Spec.LogDriver?.Name) {
    hc.LogConfig = { Type: task.Spec.LogDriver.Name, Config: { ...task.Spec.LogDriver.Options } }
  }
  return hc
}

function healthcheck(spec: ContainerSpec): Dockerode.HealthConfig | undefined {
  const h = spec.Healthcheck
  if (!h) return undefined
  const out: Dockerode.HealthConfig = {}
  if (h.Test) out.Test = [...h.Test]
  if (h.Interval !== undefined) out.Interval = h.Interval
  if (h.Timeout !== undefined) out.Timeout = h.Timeout
  if (h.StartPeriod !== undefined) out.StartPeriod = h.StartPeriod
  if (h.Retries !== undefined) out.Retries = h.Retries
  if (h.StartInterval !== undefined) (out as { StartInterval?: number }).StartInterval = h.StartInterval
  return out
}

/** A service mount → an engine mount (bind, volume or tmpfs). */
export function convertMount(m: Mount): Dockerode.MountSettings {
  const out: Record<string, unknown> = { Type: m.Type, Target: m.Target }
  if (m.Source !== undefined && m.Type !== 'tmpfs') out.Source = m.Source
  if (m.ReadOnly) out.ReadOnly = true
  if (m.Consistency) out.Consistency = m.Consistency
  if (m.Type === 'bind' && m.BindOptions) {
    const b = m.BindOptions
    const opts: Record<string, unknown> = {}
    if (b.Propagation) opts.Propagation = b.Propagation
    for (const k of ['NonRecursive', 'CreateMountpoint', 'ReadOnlyNonRecursive', 'ReadOnlyForceRecursive'] as const) if (b[k]) opts[k] = true
    if (Object.keys(opts).length) out.BindOptions = opts
  }
  if (m.Type === 'volume' && m.VolumeOptions) {
    const v = m.VolumeOptions
    const opts: Record<string, unknown> = {}
    if (v.NoCopy !== undefined) opts.NoCopy = v.NoCopy
    if (v.Subpath) opts.Subpath = v.Subpath
    if (v.Labels) opts.Labels = { ...v.Labels }
    if (v.DriverConfig) {
      opts.DriverConfig = {
        ...(v.DriverConfig.Name !== undefined ? { Name: v.DriverConfig.Name } : {}),
        ...(v.DriverConfig.Options ? { Options: { ...v.DriverConfig.Options } } : {}),
      }
    }
    out.VolumeOptions = opts
  }
  if (m.Type === 'tmpfs' && m.TmpfsOptions) {
    const t: Record<string, unknown> = {}
    if (m.TmpfsOptions.SizeBytes !== undefined) t.SizeBytes = m.TmpfsOptions.SizeBytes
    if (m.TmpfsOptions.Mode !== undefined) t.Mode = m.TmpfsOptions.Mode
    if (m.TmpfsOptions.Options?.length) t.Options = m.TmpfsOptions.Options
    out.TmpfsOptions = t
  }
  return out as unknown as Dockerode.MountSettings
}

/** An engine device mapping, as HostConfig.Devices holds it. */
export interface DeviceMapping {
  PathOnHost: string
  PathInContainer: string
  CgroupPermissions: string
}

/** Parses "/dev/a[:/dev/b][:rwm]" (docker run --device's syntax); throws InvalidArgumentError. */
export function parseDevice(text: string): DeviceMapping {
  const parts = text.split(':')
  let src = ''
  let dst = ''
  let perms = 'rwm'
  if (parts.length === 3) {
    ;[src, dst, perms] = parts as [string, string, string]
  } else if (parts.length === 2) {
    src = parts[0]!
    if (isDeviceMode(parts[1]!)) perms = parts[1]!
    else dst = parts[1]!
  } else if (parts.length === 1) {
    src = parts[0]!
  }
  if (!src || parts.length > 3 || !isDeviceMode(perms)) {
    throw new InvalidArgumentError(`invalid device ${JSON.stringify(text)}: use /dev/HOST[:/dev/CONTAINER][:rwm]`)
  }
  return { PathOnHost: src, PathInContainer: dst || src, CgroupPermissions: perms }
}

function isDeviceMode(mode: string): boolean {
  return /^(?!.*(.).*\1)[rwm]{1,3}$/.test(mode)
}

function portKey(p: PortConfig): string {
  return `${p.TargetPort}/${p.Protocol ?? 'tcp'}`
}

/** Nanoseconds → whole seconds, rounded up (a grace period is never shortened). */
function nanosToSeconds(ns: number): number {
  return Math.ceil(ns / 1e9)
}
