// Secrets and configs of the cluster API: validate a create request, store the
// object (a secret's payload sealed), find it by ID, name or ID prefix as dockerd
// does (daemon/cluster/helpers.go), list with filters, update labels, and remove
// unless a service uses it. Errors carry swarmkit's words.
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors/index.js'
import { matchLabels, valuesOf } from '../filters/match.js'
import type { Filters } from '../filters/parse.js'
import { newId } from '../identity/index.js'
import type { Store } from '../store/index.js'
import type { Secret, SecretSpec, Service } from '../types/index.js'
import { PAYLOAD_NAME_RE, rpc, rulesOf, type PayloadKind } from './kinds.js'
import { openPayload, sealPayload } from './seal.js'

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The object as the API shows it: a secret without its payload, a config with it. */
export function payloadView(kind: PayloadKind, obj: Secret): Secret {
  const { Data, ...spec } = obj.Spec
  const shown: SecretSpec = { ...spec, Labels: spec.Labels ?? {} }
  if (!rulesOf(kind).sealed && Data !== undefined) shown.Data = Data
  return { ID: obj.ID, Version: obj.Version, CreatedAt: obj.CreatedAt, UpdatedAt: obj.UpdatedAt, Spec: shown }
}

/** Checks a create request as swarmkit's validateSecretSpec/validateConfigSpec; returns the spec to store (payload base64). */
export function validatePayloadSpec(kind: PayloadKind, raw: unknown): SecretSpec {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidArgumentError(rpc('InvalidArgument', 'invalid argument'))
  const spec = raw as SecretSpec
  const name = typeof spec.Name === 'string' ? spec.Name : ''
  if (!name) throw new InvalidArgumentError(rpc('InvalidArgument', 'name must be provided'))
  if (name.length > 64 || !PAYLOAD_NAME_RE.test(name)) {
    throw new InvalidArgumentError(rpc('InvalidArgument', 'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]'))
  }
  if (spec.Labels !== undefined && spec.Labels !== null && (typeof spec.Labels !== 'object' || Array.isArray(spec.Labels))) {
    throw new InvalidArgumentError(`${kind} labels must be an object of strings`)
  }
  if (spec.Driver) throw new InvalidArgumentError(`${kind} drivers are not supported by tsw: give the ${kind}'s data itself`)
  if (spec.Templating) throw new InvalidArgumentError(`${kind} templating is not supported by tsw: give the ${kind}'s data as it is to be seen`)
  const data = typeof spec.Data === 'string' ? spec.Data : ''
  if (!BASE64_RE.test(data)) throw new InvalidArgumentError(`${kind} data must be base64, as the Engine API carries bytes`)
  const max = rulesOf(kind).maxBytes
  const size = Buffer.byteLength(data, 'base64')
  if (size >= max || size < 1) throw new InvalidArgumentError(rpc('InvalidArgument', `${kind} data must be larger than 0 and less than ${max} bytes`))
  return { Name: name, Labels: { ...(spec.Labels ?? {}) }, Data: data }
}

/** Stores a new secret or config. Throws ConflictError when the name is taken. */
export async function createPayload(store: Store, kind: PayloadKind, raw: unknown): Promise<Secret> {
  const spec = validatePayloadSpec(kind, raw)
  const existing = await store.list<Secret>(kind)
  if (existing.some((s) => s.Spec.Name === spec.Name)) throw new ConflictError(rpc('AlreadyExists', `${kind} ${spec.Name} already exists`))
  const id = newId().slice(0, 25)
  if (rulesOf(kind).sealed) spec.Data = sealPayload(store, id, spec.Data!)
  return store.create<Secret>(kind, { ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Spec: spec })
}

/** The object named by ID, then name, then unique ID prefix; NotFoundError "secret x not found" as dockerd's. */
export function findPayload(kind: PayloadKind, all: Secret[], ref: string): Secret {
  const found = all.find((s) => s.ID === ref) ?? all.find((s) => s.Spec.Name === ref)
  if (found) return found
  const prefixed = ref ? all.filter((s) => s.ID.startsWith(ref)) : []
  if (prefixed.length > 1) throw new InvalidArgumentError(`${kind} ${ref} is ambiguous (${prefixed.length} matches found)`)
  if (!prefixed.length) throw new NotFoundError(`${kind} ${ref} not found`)
  return prefixed[0]
}

/** The stored object named by `ref` (see findPayload). */
export async function resolvePayload(store: Store, kind: PayloadKind, ref: string): Promise<Secret> {
  return findPayload(kind, await store.list<Secret>(kind), ref)
}

/** swarmkit's ListSecrets: any of names (exact), name (prefix), id (prefix); then every label. */
export function filterPayloads(all: Secret[], filters: Filters): Secret[] {
  const names = valuesOf(filters, 'names')
  const prefixes = valuesOf(filters, 'name')
  const ids = valuesOf(filters, 'id')
  const any = names.length + prefixes.length + ids.length > 0
  return all.filter((s) =>
    (!any || names.includes(s.Spec.Name) || prefixes.some((p) => s.Spec.Name.startsWith(p)) || ids.some((p) => s.ID.startsWith(p))) &&
    matchLabels(valuesOf(filters, 'label'), s.Spec.Labels))
}

/** Replaces the labels of `ref` at `version`; anything else changed is refused as swarmkit does. */
export async function updatePayload(store: Store, kind: PayloadKind, ref: string, version: number, raw: unknown): Promise<Secret> {
  const current = await resolvePayload(store, kind, ref)
  const spec = (raw && typeof raw === 'object' ? raw : {}) as SecretSpec
  const stored = rulesOf(kind).sealed ? openPayload(store, current.ID, current.Spec.Data ?? '') : current.Spec.Data
  const dataChanged = spec.Data !== undefined && spec.Data !== null && Buffer.from(String(spec.Data), 'base64').compare(Buffer.from(stored ?? '', 'base64')) !== 0
  if (spec.Name !== current.Spec.Name || dataChanged) throw new InvalidArgumentError(rpc('InvalidArgument', 'only updates to Labels are allowed'))
  return store.update<Secret>(kind, { ...current, Spec: { ...current.Spec, Labels: { ...(spec.Labels ?? {}) } } }, version)
}

/** The services whose containers reference the object with `id`. */
export function servicesUsing(kind: PayloadKind, services: Service[], id: string): Service[] {
  return services.filter((s) => {
    const c = s.Spec.TaskTemplate.ContainerSpec
    return kind === 'secret' ? (c.Secrets ?? []).some((r) => r.SecretID === id) : (c.Configs ?? []).some((r) => r.ConfigID === id)
  })
}

/** Removes `ref`; refused (InvalidArgument, swarmkit's words) while a service uses it. */
export async function removePayload(store: Store, kind: PayloadKind, ref: string): Promise<void> {
  const obj = await resolvePayload(store, kind, ref)
  const users = servicesUsing(kind, await store.list<Service>('service'), obj.ID)
  if (users.length) {
    const what = users.length === 1 ? 'service' : 'services'
    throw new InvalidArgumentError(rpc('InvalidArgument', `${kind} '${obj.Spec.Name}' is in use by the following ${what}: ${users.map((s) => s.Spec.Name).join(', ')}`))
  }
  if (!(await store.delete(kind, obj.ID))) throw new NotFoundError(`${kind} ${ref} not found`)
}
