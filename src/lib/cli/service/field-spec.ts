// The field flags of field-flags.ts applied to a spec: create sets what was
// given (docker's ToService), update changes lists through their -add/-rm
// flags as docker's updateService does (add, drop duplicates, remove, sort).
import type { DNSConfig, GenericResource, ServiceSpec, TaskSpec } from '../../types/index.js'
import type { CreateFlagValues, UpdateFlagValues } from './flags.js'
import { kvMap, parseDnsSearch, parseExtraHost, parseGenericResource, parseInt64, parseIPAddress, toSwarmHost, withFlag } from './opts/index.js'
import { anyGiven, parsedList } from './values.js'
import { InvalidArgumentError } from '../../errors/index.js'

const int64 = (v: string, flag: string): number => withFlag(v, flag, parseInt64)
const unique = (values: string[]): string[] => [...new Set(values)]
const sorted = (values: string[]): string[] => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** Sets the task's fields of the create flags given. Throws InvalidArgumentError. */
export function applyCreateFieldFlags(task: TaskSpec, flags: CreateFlagValues): void {
  const c = task.ContainerSpec
  const dns: DNSConfig = {}
  const servers = parsedList(flags.dns, 'dns', parseIPAddress)
  const search = parsedList(flags['dns-search'], 'dns-search', parseDnsSearch)
  if (servers.length) dns.Nameservers = servers
  if (search.length) dns.Search = search
  if (flags['dns-option']?.length) dns.Options = [...flags['dns-option']]
  if (Object.keys(dns).length) c.DNSConfig = dns
  const hosts = parsedList(flags.host, 'host', parseExtraHost)
  if (hosts.length) c.Hosts = hosts.map(toSwarmHost)
  if (flags.group?.length) c.Groups = [...flags.group]
  const generic = parsedList(flags['generic-resource'], 'generic-resource', parseGenericResource)
  if (generic.length) ((task.Resources ??= {}).Reservations ??= {}).GenericResources = generic
  applyCommonFieldFlags(task, flags)
}

/** The flags both create and update set the same way. */
function applyCommonFieldFlags(task: TaskSpec, flags: CreateFlagValues | UpdateFlagValues): void {
  const c = task.ContainerSpec
  // As docker: --log-opt means nothing without --log-driver.
  if (flags['log-driver']) {
    task.LogDriver = { Name: flags['log-driver'], ...(flags['log-opt']?.length ? { Options: kvMap(flags['log-opt']) } : {}) }
  }
  if (flags['limit-pids'] !== undefined) ((task.Resources ??= {}).Limits ??= {}).Pids = int64(flags['limit-pids'], 'limit-pids')
  if (flags['oom-score-adj'] !== undefined) c.OomScoreAdj = int64(flags['oom-score-adj'], 'oom-score-adj')
  if (flags.isolation !== undefined) c.Isolation = flags.isolation
}

/** docker's updateDNSConfig: each list gets its -add values, loses duplicates and its -rm values, and is sorted. */
function updateDns(current: DNSConfig | undefined, flags: UpdateFlagValues): DNSConfig {
  const update = (have: string[] | undefined, add: string[], rm: string[] | undefined) => {
    const remove = new Set(rm ?? [])
    return sorted(unique([...(have ?? []), ...add]).filter((v) => !remove.has(v)))
  }
  const out: DNSConfig = {}
  const servers = update(current?.Nameservers, parsedList(flags['dns-add'], 'dns-add', parseIPAddress), flags['dns-rm'])
  const search = update(current?.Search, parsedList(flags['dns-search-add'], 'dns-search-add', parseDnsSearch), flags['dns-search-rm'])
  const options = update(current?.Options, flags['dns-option-add'] ?? [], flags['dns-option-rm'])
  if (servers.length) out.Nameservers = servers
  if (search.length) out.Search = search
  if (options.length) out.Options = options
  return out
}

/** docker's updateHosts: --host-rm ("host" or "host:ip") drops names from entries, --host-add appends; no duplicates. */
function updateHosts(current: string[] | undefined, flags: UpdateFlagValues): string[] {
  const rm = (flags['host-rm'] ?? []).map((v) => {
    const sep = v.indexOf(':')
    return sep < 0 ? { host: v, ip: '' } : { host: v.slice(0, sep), ip: v.slice(sep + 1) }
  })
  const out: string[] = []
  for (const entry of current ?? []) {
    const [ip, ...names] = entry.trim().split(/\s+/)
    if (!ip) continue
    const kept = names.filter((n) => !rm.some((r) => r.host === n && (!r.ip || r.ip === ip)))
    if (kept.length) out.push(`${ip} ${kept.join(' ')}`)
  }
  out.push(...parsedList(flags['host-add'], 'host-add', parseExtraHost).map(toSwarmHost))
  return unique(out)
}

/** docker's updateGenericResources: -rm by kind (which must be there), then -add (a kind added again replaces it). */
function updateGenericResources(current: GenericResource[] | undefined, flags: UpdateFlagValues): GenericResource[] {
  const byKind = new Map<string, GenericResource>()
  for (const r of current ?? []) {
    const kind = r.DiscreteResourceSpec?.Kind ?? r.NamedResourceSpec?.Kind
    if (kind) byKind.set(kind, r)
  }
  for (const kind of flags['generic-resource-rm'] ?? []) {
    if (!byKind.delete(kind)) throw new InvalidArgumentError(`could not find generic-resource \`${kind}\` to remove it`)
  }
  for (const r of parsedList(flags['generic-resource-add'], 'generic-resource-add', parseGenericResource)) byKind.set(r.DiscreteResourceSpec!.Kind, r)
  return [...byKind.values()]
}

/** Changes the spec's fields whose update flags were given. Throws InvalidArgumentError. */
export function applyUpdateFieldFlags(spec: ServiceSpec, flags: UpdateFlagValues): void {
  const task = spec.TaskTemplate
  const c = task.ContainerSpec
  applyCommonFieldFlags(task, flags)
  if (anyGiven(flags, 'dns-add', 'dns-rm', 'dns-option-add', 'dns-option-rm', 'dns-search-add', 'dns-search-rm')) {
    const dns = updateDns(c.DNSConfig, flags)
    c.DNSConfig = Object.keys(dns).length ? dns : undefined
  }
  if (anyGiven(flags, 'host-add', 'host-rm')) {
    const hosts = updateHosts(c.Hosts, flags)
    c.Hosts = hosts.length ? hosts : undefined
  }
  if (anyGiven(flags, 'group-add', 'group-rm')) {
    const rm = new Set(flags['group-rm'] ?? [])
    const groups = sorted([...(c.Groups ?? []), ...(flags['group-add'] ?? [])].filter((g) => !rm.has(g)))
    c.Groups = groups.length ? groups : undefined
  }
  if (anyGiven(flags, 'generic-resource-add', 'generic-resource-rm')) {
    const generic = updateGenericResources(task.Resources?.Reservations?.GenericResources, flags)
    const reservations = ((task.Resources ??= {}).Reservations ??= {})
    if (generic.length) reservations.GenericResources = generic
    else delete reservations.GenericResources
  }
}
