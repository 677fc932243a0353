// Service operations of the cluster API: validate specs, create, find by ID,
// name or prefix, update with optimistic concurrency (and rollback), remove.
import { ConflictError, FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors/index.js'
import { newId } from '../identity/index.js'
import { parseConstraints } from '../scheduler/constraints.js'
import type { Store } from '../store/index.js'
import type { Network, Service, ServiceSpec, Task } from '../types/index.js'
import { matchLabels, passes, prefix, valuesOf } from '../filters/match.js'
import type { Filters } from '../filters/parse.js'
import { publishesIngress } from '../network/service-networks.js'
import { ensureIngress } from './networks.js'
import { checkPort, show } from './port-checks.js'
import { checkMode, modeKind } from './service-mode.js'
import { isJob, jobIteration } from '../orchestrator/jobs.js'
import { checkSpecFields } from './spec-fields.js'
import { assignPorts, resolveSpecNetworks } from './service-endpoint.js'
import { sameSpec } from './spec-equal.js'
import { resolveReferences } from '../secrets/refs.js'

export const SERVICE_FILTERS = ['id', 'name', 'label', 'mode']
const NAME_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/
/**
 * The most replicas a service may ask for. Swarm has no cap, but every pass of
 * the orchestrator handles each slot: a billion would wedge the control loop
 * for every service, across restarts and leader changes.
 */
export const MAX_REPLICAS = 100_000

/** Checks a spec sent by a client; returns it with defaults filled. Throws InvalidArgumentError naming the bad part. */
export function validateServiceSpec(raw: unknown): ServiceSpec {
  if (!raw || typeof raw !== 'object') throw new InvalidArgumentError('service spec must be a JSON object')
  const spec = structuredClone(raw) as ServiceSpec
  if (!spec.Name) spec.Name = ''
  if (spec.Name && (spec.Name.length > 63 || !NAME_RE.test(spec.Name))) {
    throw new InvalidArgumentError(`Invalid name "${spec.Name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 63 characters`)
  }
  const c = spec.TaskTemplate?.ContainerSpec
  if (!c?.Image) throw new InvalidArgumentError('ContainerSpec: image reference must be provided')
  checkSpecFields(spec)
  // Not an API field: registry credentials come in X-Registry-Auth only (the routes put them back).
  delete c.PullOptions
  spec.Mode = checkMode(spec.Mode, MAX_REPLICAS)
  parseConstraints(spec.TaskTemplate.Placement?.Constraints ?? [])
  for (const p of spec.TaskTemplate.Placement?.Preferences ?? []) {
    if (!p.Spread?.SpreadDescriptor) throw new InvalidArgumentError('Placement: a preference needs Spread.SpreadDescriptor, e.g. node.labels.zone')
  }
  const mode = spec.EndpointSpec?.Mode
  if (mode !== undefined && mode !== 'vip' && mode !== 'dnsrr') throw new InvalidArgumentError(`EndpointSpec: invalid mode ${show(mode)}: use vip or dnsrr`)
  const given = spec.EndpointSpec?.Ports
  if (given !== undefined && given !== null && !Array.isArray(given)) throw new InvalidArgumentError('EndpointSpec: Ports must be a list')
  if (spec.EndpointSpec?.Ports) spec.EndpointSpec.Ports = spec.EndpointSpec.Ports.map(checkPort)
  const ports = (spec.EndpointSpec?.Ports ?? []).filter((p) => p.PublishedPort)
  const seen = new Set<string>()
  for (const p of ports) {
    const k = `${p.Protocol}/${p.PublishedPort}`
    if (seen.has(k)) throw new InvalidArgumentError(`EndpointSpec: duplicate published port ${k}`)
    seen.add(k)
  }
  if (spec.Networks?.length && !spec.TaskTemplate.Networks?.length) spec.TaskTemplate.Networks = spec.Networks
  delete spec.Networks
  return spec
}

/** The service named by ID, name or unique ID prefix. Throws NotFoundError as dockerd words it. */
export async function resolveService(store: Store, ref: string): Promise<Service> {
  const services = await store.list<Service>('service')
  const found = services.find((s) => s.ID === ref) ?? services.find((s) => s.Spec.Name === ref)
  if (found) return found
  const prefixed = services.filter((s) => ref.length > 0 && s.ID.startsWith(ref))
  if (prefixed.length === 1) return prefixed[0]
  if (prefixed.length > 1) throw new NotFoundError(`service ${ref} is ambiguous (${prefixed.length} matches found)`)
  throw new NotFoundError(`service ${ref} not found`)
}

/** Stores a new service. Throws ConflictError when the name is taken. */
export async function createService(store: Store, spec: ServiceSpec): Promise<Service> {
  const id = newId()
  if (!spec.Name) spec.Name = randomName()
  const [services, networks] = await Promise.all([store.list<Service>('service'), store.list<Network>('network')])
  if (services.some((s) => s.Spec.Name === spec.Name)) {
    throw new ConflictError(`rpc error: code = AlreadyExists desc = name conflicts with an existing object: service ${spec.Name} already exists`)
  }
  resolveSpecNetworks(spec, networks)
  await resolveReferences(store, spec)
  const ports = assignPorts(spec, services)
  if (publishesIngress({ Spec: spec })) await ensureIngress(store)
  return store.create<Service>('service', {
    ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Spec: spec,
    Endpoint: { Spec: spec.EndpointSpec ?? { Mode: 'vip' }, ...(ports.length ? { Ports: ports } : {}) },
    ...(isJob({ Spec: spec }) ? { JobStatus: { JobIteration: { Index: 0 }, LastExecution: new Date().toISOString() } } : {}),
  })
}

/** Writes a new spec at `version`; with `rollback`, the previous spec comes back. Starts a rolling update when the tasks' spec changed. */
export async function updateService(store: Store, service: Service, version: number, spec: ServiceSpec, rollback: boolean): Promise<Service> {
  let next: ServiceSpec = spec
  if (rollback) {
    if (!service.PreviousSpec) throw new FailedPreconditionError(`service ${service.Spec.Name} does not have a previous spec`)
    next = structuredClone(service.PreviousSpec)
  }
  if (modeKind(next) !== modeKind(service.Spec)) throw new InvalidArgumentError('service mode change is not allowed')
  if (next.Name !== service.Spec.Name) {
    throw new InvalidArgumentError(`rpc error: code = Unimplemented desc = renaming services is not supported`)
  }
  const [services, networks] = await Promise.all([store.list<Service>('service'), store.list<Network>('network')])
  resolveSpecNetworks(next, networks)
  await resolveReferences(store, next)
  const ports = assignPorts(next, services.filter((s) => s.ID !== service.ID), service.Endpoint?.Ports)
  if (publishesIngress({ Spec: next })) await ensureIngress(store)
  const changed = !sameSpec(next.TaskTemplate, service.Spec.TaskTemplate) || !sameSpec(next.EndpointSpec?.Ports, service.Spec.EndpointSpec?.Ports)
  // The same task spec written differently keeps the stored text: the tasks compare against it.
  if (!changed) next = { ...next, TaskTemplate: service.Spec.TaskTemplate }
  const now = new Date().toISOString()
  const updated: Service = {
    ...service,
    Spec: next,
    PreviousSpec: service.Spec,
    Endpoint: {
      Spec: next.EndpointSpec ?? { Mode: 'vip' },
      ...(ports.length ? { Ports: ports } : {}),
      // The orchestrator re-allocates virtual IPs when the networks or the mode change.
      ...(service.Endpoint?.VirtualIPs ? { VirtualIPs: service.Endpoint.VirtualIPs } : {}),
    },
  }
  if (isJob(updated)) {
    // A job has no rolling update: any update runs it again, as a new iteration (swarm's JobIteration).
    updated.JobStatus = { JobIteration: { Index: jobIteration(service) + 1 }, LastExecution: now }
  } else if (changed || rollback) {
    updated.UpdateStatus = rollback
      ? { State: 'rollback_started', StartedAt: now, Message: 'manually requested rollback' }
      : { State: 'updating', StartedAt: now, Message: 'update in progress' }
  }
  return store.update('service', updated, version)
}

/** Services that pass every filter. */
export function filterServices(services: Service[], filters: Filters): Service[] {
  const any = (name: string, test: (v: string) => boolean) => passes(filters, name, test)
  return services.filter((s) =>
    prefix(valuesOf(filters, 'id'), s.ID) &&
    prefix(valuesOf(filters, 'name'), s.Spec.Name) &&
    any('mode', (v) => MODE_FILTER[v] === modeKind(s.Spec)) &&
    matchLabels(valuesOf(filters, 'label'), s.Spec.Labels))
}

/** The mode filter's values, as dockerd takes them. */
const MODE_FILTER: Record<string, string> = { replicated: 'Replicated', global: 'Global', 'replicated-job': 'ReplicatedJob', 'global-job': 'GlobalJob' }

/** Running, desired and completed task counts, as GET /services?status=true reports them (swarmkit's ListServiceStatuses). */
export function serviceStatus(service: Service, tasks: Task[], eligibleNodes: number): NonNullable<Service['ServiceStatus']> {
  if (isJob(service)) return jobStatus(service, tasks)
  const own = tasks.filter((t) => t.ServiceID === service.ID)
  const running = own.filter((t) => t.Status.State === 'running' && t.DesiredState === 'running').length
  const desired = service.Spec.Mode?.Global
    ? own.filter((t) => t.DesiredState === 'running').length || eligibleNodes
    : service.Spec.Mode?.Replicated?.Replicas ?? 1
  return { RunningTasks: running, DesiredTasks: desired, CompletedTasks: own.filter((t) => t.Status.State === 'complete').length }
}

// A job counts only the tasks of its current iteration; desired is MaxConcurrent, or for a global job its tasks not yet complete.
function jobStatus(service: Service, tasks: Task[]): NonNullable<Service['ServiceStatus']> {
  const iteration = jobIteration(service)
  const own = tasks.filter((t) => t.ServiceID === service.ID && (t.JobIteration?.Index ?? 0) === iteration)
  const completed = own.filter((t) => t.Status.State === 'complete').length
  const desired = service.Spec.Mode?.ReplicatedJob
    ? service.Spec.Mode.ReplicatedJob.MaxConcurrent ?? 1
    : own.filter((t) => t.Status.State !== 'complete' && t.DesiredState === 'complete').length
  return { RunningTasks: own.filter((t) => t.Status.State === 'running').length, DesiredTasks: desired, CompletedTasks: completed }
}

const ADJ = ['brave', 'calm', 'eager', 'fond', 'happy', 'jolly', 'keen', 'lucid', 'merry', 'nifty', 'quirky', 'sharp', 'tender', 'vivid', 'zen']
const NOUN = ['babbage', 'curie', 'darwin', 'euler', 'fermi', 'galois', 'hopper', 'knuth', 'lovelace', 'noether', 'pascal', 'ritchie', 'turing', 'wozniak']

/** A docker-style random name (adjective_scientist) for a service created without --name. */
function randomName(): string {
  const pick = (a: string[]) => a[Math.floor(Math.random() * a.length)]
  return `${pick(ADJ)}_${pick(NOUN)}`
}
