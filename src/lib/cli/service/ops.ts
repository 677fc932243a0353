// The calls service create/update/scale/rollback make to the manager
// (Docker Engine API): each reads what it needs, writes once, and returns
// what the command prints and what the wait needs.
import type { ManagerClient } from '../../client/client.js'
import { pinImageDigest, withDefaultTag } from '../../client/image-digest.js'
import { InvalidArgumentError } from '../../errors/index.js'
import type { Service, ServiceSpec, UpdateStatus } from '../../types/index.js'
import type { UpdateFlagValues } from './flags.js'
import { parseUint } from './opts/index.js'
import { registryAuthFor } from './registry-auth.js'
import { applyUpdateFlags, checkRollbackAlone } from './update.js'

export type ServiceClient = Pick<ManagerClient, 'get' | 'post'>

/** What a write answered, and the service's update status before it (for the wait). */
export interface WriteResult {
  warnings: string[]
  previousStatus?: UpdateStatus
}

/** A service by name, ID or ID prefix. Throws the client's errors (404: no such service). */
export function getService(client: ServiceClient, ref: string): Promise<Service> {
  return client.get<Service>(`/services/${encodeURIComponent(ref)}`)
}

/**
 * Creates a service (with `registryAuth`: the X-Registry-Auth to pull with);
 * `resolveImage` pins its image to the registry's digest first, as docker's
 * create does unless --no-resolve-image. Returns its ID and the warnings
 * (docker's digest warning first, then the manager's).
 */
export async function createService(client: ServiceClient, spec: ServiceSpec, registryAuth?: string, resolveImage = false): Promise<{ id: string; warnings: string[] }> {
  const warnings = await prepareImage(client, spec, registryAuth, resolveImage)
  const headers = registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined
  const res = await client.post<{ ID: string; Warnings?: string[] | null }>('/services/create', { body: spec, headers })
  return { id: res.ID, warnings: [...warnings, ...res.Warnings ?? []] }
}

/** As docker's client library before every create and update: the image tagged :latest when it names no tag, then pinned when asked. */
async function prepareImage(client: ServiceClient, spec: ServiceSpec, registryAuth: string | undefined, resolveImage: boolean): Promise<string[]> {
  const c = spec.TaskTemplate.ContainerSpec
  c.Image = withDefaultTag(c.Image)
  const warning = resolveImage ? await pinImageDigest(client, spec.TaskTemplate, registryAuth) : undefined
  return warning ? [warning] : []
}

/**
 * Writes `spec` over `service` at the version read; `rollback` asks the
 * manager to go back to the previous spec; without `registryAuth` the service
 * keeps the registry credentials it has (the manager's registryAuthFrom default);
 * `resolveImage` pins the image to its digest first (see createService).
 */
export async function writeService(client: ServiceClient, service: Service, spec: ServiceSpec, rollback = false, registryAuth?: string, resolveImage = false): Promise<WriteResult> {
  // A rollback's spec is the manager's to pick: nothing to prepare.
  const warnings = rollback ? [] : await prepareImage(client, spec, registryAuth, resolveImage)
  const res = await client.post<{ Warnings?: string[] | null } | undefined>(`/services/${encodeURIComponent(service.ID)}/update`, {
    query: { version: service.Version.Index, rollback: rollback ? 'previous' : undefined },
    body: spec,
    headers: registryAuth ? { 'X-Registry-Auth': registryAuth } : undefined,
  })
  return { warnings: [...warnings, ...res?.Warnings ?? []], previousStatus: service.UpdateStatus }
}

/**
 * Runs a read-modify-write again (3 tries) when the service changed between
 * the read and the write ("update out of sequence"): the manager writes a
 * service too (endpoints, update status), and the change asked for is a delta
 * that applies as well to the newer spec.
 */
async function againIfOutOfSequence<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (err) {
      if (attempt >= 3 || !/update out of sequence/.test((err as Error).message)) throw err
    }
  }
}

/** `service update REF` with its flags (--rollback: the server-side rollback docker asks for). */
export async function updateService(client: ServiceClient, ref: string, flags: UpdateFlagValues): Promise<WriteResult> {
  checkRollbackAlone(flags)
  const resolved = await networkIds(client, flags)
  return againIfOutOfSequence(async () => {
    const service = await getService(client, ref)
    const spec = flags.rollback ? service.Spec : applyUpdateFlags(service.Spec, resolved)
    // As docker: the credentials of the image the service runs after the update.
    const auth = flags['with-registry-auth'] ? registryAuthFor(spec.TaskTemplate.ContainerSpec.Image) : undefined
    // As docker: the registry is asked only for a new --image.
    const resolveImage = flags.image !== undefined && !flags['no-resolve-image']
    return writeService(client, service, spec, !!flags.rollback, auth, resolveImage)
  })
}

/** --network-add/--network-rm with network names turned into IDs (the spec holds IDs), as the docker CLI does. */
async function networkIds(client: ServiceClient, flags: UpdateFlagValues): Promise<UpdateFlagValues> {
  const rm = flags['network-rm'] ?? []
  const add = flags['network-add'] ?? []
  if (!rm.length && !add.length) return flags
  const id = async (ref: string) => (await client.get<{ Id: string }>(`/networks/${encodeURIComponent(ref)}`)).Id
  return {
    ...flags,
    'network-rm': await Promise.all(rm.map(id)),
    // The long form (name=…,alias=…) is resolved by the manager.
    'network-add': await Promise.all(add.map((v) => (v.includes('=') ? v : id(v)))),
  }
}

/** `service rollback REF`: the current spec sent back with rollback=previous. */
export async function rollbackService(client: ServiceClient, ref: string): Promise<WriteResult> {
  const service = await getService(client, ref)
  return writeService(client, service, service.Spec, true)
}

/** SERVICE=REPLICAS arguments, all checked before any is applied, as docker does. Throws InvalidArgumentError. */
export function parseScaleArgs(args: string[], bin = 'tsw'): Array<{ name: string; replicas: string }> {
  if (!args.length) throw new InvalidArgumentError(`"${bin} service scale" requires at least 1 argument.`)
  return args.map((arg) => {
    const eq = arg.indexOf('=')
    if (eq <= 0 || eq === arg.length - 1) {
      throw new InvalidArgumentError(`Invalid scale specifier '${arg}'.\nSee '${bin} service scale --help'.\n\n` +
        `Usage:  ${bin} service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]\n\nScale one or multiple replicated services`)
    }
    return { name: arg.slice(0, eq), replicas: arg.slice(eq + 1) }
  })
}

/** Sets the replicas of a replicated service. Throws InvalidArgumentError for a bad count or a global service. */
export async function scaleService(client: ServiceClient, name: string, replicasArg: string): Promise<WriteResult & { replicas: number }> {
  let replicas: number
  try {
    if (!/^\d+$/.test(replicasArg)) throw new Error(`strconv.ParseUint: parsing "${replicasArg}": invalid syntax`)
    replicas = parseUint(replicasArg)
  } catch (err) {
    throw new InvalidArgumentError(`invalid replicas value ${replicasArg}: ${(err as Error).message}`)
  }
  return againIfOutOfSequence(async () => {
    const service = await getService(client, name)
    const spec = structuredClone(service.Spec)
    // As docker's scale: a replicated job's total completions, else the replicas.
    if (spec.Mode?.ReplicatedJob) spec.Mode.ReplicatedJob.TotalCompletions = replicas
    else if (spec.Mode?.Replicated) spec.Mode.Replicated.Replicas = replicas
    else throw new InvalidArgumentError('scale can only be used with replicated or replicated-job mode')
    return { ...(await writeService(client, service, spec)), replicas }
  })
}
