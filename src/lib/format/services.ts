// `service ls` rows and `service inspect --pretty`, as docker/cli prints them (cli/command/service/formatter.go).
import type { PortConfig, Service } from '../types/index.js'
import { goDuration, goFloat, humanDuration, timeMillis } from './durations.js'
import type { ListOptions } from './list.js'
import { renderRows } from './rows.js'
import { displayImage, naturalCompare, truncateId } from './strings.js'
import { bytesSize } from './units.js'

export const SERVICE_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}'
export const SERVICE_HEADERS = { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' }

/** Service modes the API knows, jobs included (tsw's types only model replicated and global). */
interface AnyMode {
  Replicated?: { Replicas?: number }
  Global?: object
  ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number }
  GlobalJob?: object
}

/** The row context of one service (the fields `--format` can use). */
export interface ServiceRow { ID: string; Name: string; Mode: string; Replicas: string; Image: string; Ports: string }

/** "replicated", "global", "replicated job", "global job" or "". */
export function serviceMode(service: Service): string {
  const mode = (service.Spec.Mode ?? {}) as AnyMode
  if (mode.Global) return 'global'
  if (mode.Replicated) return 'replicated'
  if (mode.ReplicatedJob) return 'replicated job'
  if (mode.GlobalJob) return 'global job'
  return ''
}

/** "running/desired", with " (max N per node)" for replicated services that cap it, or the job's completions. */
export function serviceReplicas(service: Service): string {
  const mode = (service.Spec.Mode ?? {}) as AnyMode
  const { RunningTasks: running = 0, DesiredTasks: desired = 0, CompletedTasks: completed = 0 } = service.ServiceStatus ?? {}
  if (mode.ReplicatedJob) return `${running}/${desired} (${completed}/${mode.ReplicatedJob.TotalCompletions ?? 0} completed)`
  if (mode.GlobalJob) return `${running}/${desired} (${completed}/${desired + completed} completed)`
  const max = serviceMode(service) === 'replicated' ? service.Spec.TaskTemplate.Placement?.MaxReplicas ?? 0 : 0
  return max > 0 ? `${running}/${desired} (max ${max} per node)` : `${running}/${desired}`
}

/**
 * Published ingress ports as docker lists them, consecutive ones grouped into ranges:
 * "*:8080->80/tcp", "*:8090-8091->90-91/tcp, *:53->53/udp". Host-mode ports are not shown.
 */
export function servicePorts(ports: PortConfig[] | undefined): string {
  if (!ports) return ''
  const sorted = [...ports].sort((a, b) => {
    const pa = a.Protocol ?? ''
    const pb = b.Protocol ?? ''
    return pa === pb ? (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) : pa < pb ? -1 : 1
  })
  const out: string[] = []
  let cur: { pStart: number; pEnd: number; tStart: number; tEnd: number; protocol: string } | undefined
  // Unsigned differences, as Go computes them on uint32 ports: "b follows a by 0 or 1".
  const near = (b: number, a: number): boolean => b >= a && b - a <= 1
  for (const p of sorted) {
    if ((p.PublishMode ?? 'ingress') !== 'ingress') continue
    const pub = p.PublishedPort ?? 0
    const proto = p.Protocol ?? ''
    const isRange = cur !== undefined && cur.tEnd !== cur.tStart
    const overlaps = cur !== undefined && p.TargetPort <= cur.tEnd
    if (!cur || proto !== cur.protocol || !near(pub, cur.pEnd) || !near(p.TargetPort, cur.tEnd) || (isRange && overlaps)) {
      if (cur && cur.pStart > 0) out.push(portRange(cur))
      cur = { pStart: pub, pEnd: pub, tStart: p.TargetPort, tEnd: p.TargetPort, protocol: proto }
      continue
    }
    cur.pEnd = pub
    cur.tEnd = p.TargetPort
  }
  if (cur && cur.pStart > 0) out.push(portRange(cur))
  return out.join(', ')
}

function portRange(r: { pStart: number; pEnd: number; tStart: number; tEnd: number; protocol: string }): string {
  const pub = r.pEnd > r.pStart ? `${r.pStart}-${r.pEnd}` : `${r.pStart}`
  const tgt = r.tEnd > r.tStart ? `${r.tStart}-${r.tEnd}` : `${r.tStart}`
  return `*:${pub}->${tgt}/${r.protocol}`
}

/** The row context of one service for `service ls`. */
export function serviceRow(service: Service): ServiceRow {
  return {
    ID: truncateId(service.ID),
    Name: service.Spec.Name,
    Mode: serviceMode(service),
    Replicas: serviceReplicas(service),
    Image: displayImage(service.Spec.TaskTemplate.ContainerSpec?.Image ?? ''),
    Ports: servicePorts(service.Endpoint?.Ports),
  }
}

/** Services in `service ls` order: natural order of names. */
export function sortServices(services: Service[]): Service[] {
  return [...services].sort((a, b) => naturalCompare(a.Spec.Name, b.Spec.Name))
}

/** `service ls` output: table, quiet (IDs), json or a template. Throws TemplateError. */
export function renderServices(services: Service[], opts: Pick<ListOptions, 'format' | 'quiet'> = {}): string {
  return renderRows(sortServices(services).map(serviceRow), { ...opts, defaultTable: SERVICE_TABLE, headers: SERVICE_HEADERS })
}

/** What `--pretty` needs beyond the service: the time now and names of the networks it is attached to. */
export interface PrettyServiceOptions { now?: number; networkNames?: Record<string, string> }

/** API fields tsw's types leave out but the pretty view prints when a manager sends them. */
interface Extras {
  Configs?: Array<{ File?: { Name?: string }; ConfigName?: string }>
  Secrets?: Array<{ File?: { Name?: string }; SecretName?: string }>
}

/** Go's fmt of a []string: "[a b]". */
const goList = (a: string[]): string => `[${a.join(' ')}]`
const sortedEntries = (m: Record<string, string> | undefined): Array<[string, string]> =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

/**
 * `service inspect --pretty` text for one service, line for line as docker's template prints it
 * (tabs, trailing spaces and the leading empty line included); ends with a newline.
 */
export function prettyService(service: Service, opts: PrettyServiceOptions = {}): string {
  const now = opts.now ?? Date.now()
  const spec = service.Spec
  const task = spec.TaskTemplate
  const c = task.ContainerSpec ?? ({} as typeof task.ContainerSpec)
  let o = `\nID:\t\t${service.ID}\nName:\t\t${spec.Name}`
  const labels = sortedEntries(spec.Labels)
  if (labels.length) o += '\nLabels:' + labels.map(([k, v]) => `\n ${k}${v ? `=${v}` : ''}`).join('')

  const mode = (spec.Mode ?? {}) as AnyMode
  o += '\nService Mode:'
  if (mode.Global) o += '\tGlobal'
  else if (mode.Replicated) {
    o += '\tReplicated'
    if (mode.Replicated.Replicas !== undefined && mode.Replicated.Replicas !== null) o += `\n Replicas:\t${mode.Replicated.Replicas}`
  }

  const us = service.UpdateStatus
  if (us?.State) {
    o += `\nUpdateStatus:\n State:\t\t${us.State}`
    if (us.StartedAt) o += `\n Started:\t${humanDuration(now - timeMillis(us.StartedAt))} ago`
    if (us.State === 'completed' && us.CompletedAt) o += `\n Completed:\t${humanDuration(now - timeMillis(us.CompletedAt))} ago`
    o += `\n Message:\t${us.Message ?? ''}`
  }

  o += '\nPlacement:'
  const placement = task.Placement
  if (placement?.Constraints?.length) o += `\n Constraints:\t${goList(placement.Constraints)}`
  const prefs = (placement?.Preferences ?? []).filter((p) => p.Spread).map((p) => `spread=${p.Spread.SpreadDescriptor}`)
  if (prefs.length) o += `\n Preferences:   ${goList(prefs)}`
  if (placement?.MaxReplicas) o += `\n Max Replicas Per Node:   ${placement.MaxReplicas}`

  for (const [title, cfg, order] of [['UpdateConfig', spec.UpdateConfig, 'Update order:      '], ['RollbackConfig', spec.RollbackConfig, 'Rollback order:    ']] as const) {
    if (!cfg) continue
    o += `\n${title}:\n Parallelism:\t${cfg.Parallelism ?? 0}`
    if ((cfg.Delay ?? 0) > 0) o += `\n Delay:\t\t${goDuration(cfg.Delay)}`
    o += `\n On failure:\t${cfg.FailureAction ?? ''}`
    if ((cfg.Monitor ?? 0) > 0) o += `\n Monitoring Period: ${goDuration(cfg.Monitor)}`
    o += `\n Max failure ratio: ${goFloat(cfg.MaxFailureRatio ?? 0)}\n ${order}${cfg.Order ?? ''}`
  }

  o += `\nContainerSpec:\n Image:\t\t${c.Image ?? ''}`
  if (c.Args?.length) o += '\n Args:\t\t' + c.Args.map((a) => a + ' ').join('')
  if (c.Env?.length) o += '\n Env:\t\t' + c.Env.map((e) => e + ' ').join('')
  if (c.Dir) o += `\n Dir:\t\t${c.Dir}`
  if (c.Init !== undefined && c.Init !== null) o += `\n Init:\t\t${c.Init}`
  if (c.User) o += `\n User: ${c.User}`
  if (c.CapabilityAdd?.length || c.CapabilityDrop?.length) {
    o += '\nCapabilities:'
    if (c.CapabilityAdd?.length) o += `\n Add: ${c.CapabilityAdd.join(', ')}`
    if (c.CapabilityDrop?.length) o += `\n Drop: ${c.CapabilityDrop.join(', ')}`
  }
  const sysctls = sortedEntries(c.Sysctls)
  if (sysctls.length) o += '\nSysCtls:' + sysctls.map(([k, v]) => `\n ${k}${v ? `: ${v}` : ''}`).join('')
  const ulimits = sortedEntries(Object.fromEntries((c.Ulimits ?? []).map((u) => [u.Name, `${u.Soft}:${u.Hard}`])))
  if (ulimits.length) o += '\nUlimits:' + ulimits.map(([k, v]) => `\n ${k}: ${v}`).join('')
  if (c.Mounts?.length) o += '\nMounts:'
  for (const m of c.Mounts ?? []) {
    o += `\n Target:\t${m.Target}\n  Source:\t${m.Source ?? ''}\n  ReadOnly:\t${m.ReadOnly ?? false}\n  Type:\t\t${m.Type}`
  }
  const extras = c as Extras
  if (extras.Configs?.length) o += '\nConfigs:' + extras.Configs.map((r) => `\n Target:\t${r.File?.Name ?? ''}\n  Source:\t${r.ConfigName ?? ''}`).join('')
  if (extras.Secrets?.length) o += '\nSecrets:' + extras.Secrets.map((r) => `\n Target:\t${r.File?.Name ?? ''}\n  Source:\t${r.SecretName ?? ''}`).join('')
  if (task.LogDriver) {
    o += '\nLog Driver:'
    if (task.LogDriver.Name) o += `\n Name:\t\t${task.LogDriver.Name}`
    const logOpts = sortedEntries(task.LogDriver.Options)
    if (logOpts.length) o += '\n LogOpts:' + logOpts.map(([k, v]) => `\n  ${k}${v ? `:       ${v}` : ''}`).join('')
    o += '\n'
  }

  const res = task.Resources
  const limits = res?.Limits as (NonNullable<typeof res>['Limits'] & { Pids?: number }) | undefined
  if (res) {
    o += '\nResources:'
    const r = res.Reservations
    if (r && ((r.NanoCPUs ?? 0) > 0 || (r.MemoryBytes ?? 0) > 0)) {
      o += '\n Reservations:'
      if ((r.NanoCPUs ?? 0) > 0) o += `\n  CPU:\t\t${goFloat(r.NanoCPUs! / 1e9)}`
      if (r.MemoryBytes) o += `\n  Memory:\t${bytesSize(r.MemoryBytes)}`
    }
    if (limits && ((limits.NanoCPUs ?? 0) > 0 || (limits.MemoryBytes ?? 0) > 0 || (limits.Pids ?? 0) > 0)) {
      o += '\n Limits:'
      if ((limits.NanoCPUs ?? 0) > 0) o += `\n  CPU:\t\t${goFloat(limits.NanoCPUs! / 1e9)}`
      if (limits.MemoryBytes) o += `\n  Memory:\t${bytesSize(limits.MemoryBytes)}`
    }
  }
  if ((limits?.Pids ?? 0) > 0) o += `\n  PIDs:\t\t${limits!.Pids}`

  const networks = (task.Networks ?? []).map((n) => opts.networkNames?.[n.Target] ?? n.Target)
  if (networks.length) o += '\nNetworks:' + networks.map((n) => ` ${n}`).join('') + ' '
  o += `\nEndpoint Mode:\t${spec.EndpointSpec?.Mode ?? ''}`
  const ports = service.Endpoint?.Ports ?? []
  if (ports.length) {
    o += '\nPorts:' + ports.map((p) => `\n PublishedPort = ${p.PublishedPort ?? 0}\n  Protocol = ${p.Protocol ?? ''}\n  TargetPort = ${p.TargetPort}\n  PublishMode = ${p.PublishMode ?? ''}`).join('') + ' '
  }
  const hc = c.Healthcheck
  if (hc) {
    o += `\n Healthcheck:\n  Interval = ${goDuration(hc.Interval)}\n  Retries = ${hc.Retries ?? 0}\n  StartPeriod =\t${goDuration(hc.StartPeriod)}\n  Timeout =\t${goDuration(hc.Timeout)}`
    if (hc.Test?.length) o += '\n  Tests:' + hc.Test.map((t) => `\n\t Test = ${t}`).join('') + ' '
  }
  return o + '\n'
}

/** `service inspect --pretty` output for several services: each one's text followed by an empty line. */
export function prettyServices(services: Service[], opts: PrettyServiceOptions = {}): string {
  return services.map((s) => prettyService(s, opts) + '\n').join('')
}
