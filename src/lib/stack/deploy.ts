// Applies a StackPlan through the Engine API, as docker stack deploy does:
// external objects checked first, then --prune, networks, secrets, configs,
// and services created or updated in place (by version, keeping the service's
// ForceUpdate, and the image a previous deploy pinned unless --resolve-image
// asks the registry again, so an unchanged service is not restarted). Lines go
// to `out` in docker's words.
import { ApiError } from '../client/client.js'
import { pinImageDigest, withDefaultTag } from '../client/image-digest.js'
import { InvalidArgumentError } from '../errors/index.js'
import type { Network, ServiceSpec } from '../types/index.js'
import type { StackContainerSpec } from './convert/service.js'
import type { ObjectSpec } from './convert/objects.js'
import { stackNetworks, stackServices, type StackClient, type SwarmObject } from './lookup.js'
import { LABEL_IMAGE } from './names.js'
import type { StackPlan } from './plan.js'

export interface DeployOptions {
  prune?: boolean
  /** --resolve-image: when to pin images to their registry digest (docker's default: always). */
  resolveImage?: 'always' | 'changed' | 'never'
  out: (line: string) => void
  err: (line: string) => void
}

const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404

async function checkExternalNetworks(client: StackClient, names: string[]): Promise<void> {
  for (const name of names) {
    let network: Network
    try {
      network = await client.get<Network>(`/networks/${encodeURIComponent(name)}`)
    } catch (err) {
      if (!isNotFound(err)) throw err
      throw new InvalidArgumentError(`network "${name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`)
    }
    if (network.Scope !== 'swarm') throw new InvalidArgumentError(`network "${name}" is declared as external, but it is not in the right scope: "${network.Scope}" instead of "swarm"`)
  }
}

async function findObject(client: StackClient, kind: 'secret' | 'config', name: string): Promise<SwarmObject | undefined> {
  const list = await client.get<SwarmObject[]>(`/${kind}s`, { query: { filters: JSON.stringify({ name: { [name]: true } }) } })
  return list.find((o) => o.Spec.Name === name)
}

/** Creates (or updates, labels only as swarm allows) the stack's secrets or configs; returns name → ID, external ones included. */
async function applyObjects(client: StackClient, kind: 'secret' | 'config', specs: ObjectSpec[], external: string[], out: (l: string) => void): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (const name of external) {
    const found = await findObject(client, kind, name)
    if (!found) throw new InvalidArgumentError(`${kind} not found: ${name}`)
    ids.set(name, found.ID)
  }
  for (const spec of specs) {
    const found = await findObject(client, kind, spec.Name)
    if (found) {
      await client.post(`/${kind}s/${found.ID}/update`, { query: { version: found.Version.Index }, body: spec })
      ids.set(spec.Name, found.ID)
      continue
    }
    out(`Creating ${kind} ${spec.Name}`)
    const res = await client.post<{ ID: string }>(`/${kind}s/create`, { body: spec })
    ids.set(spec.Name, res.ID)
  }
  return ids
}

/** The spec with its secret and config IDs filled in. Throws InvalidArgumentError when one is missing. */
function withObjectIds(spec: ServiceSpec, secrets: Map<string, string>, configs: Map<string, string>): ServiceSpec {
  const c = spec.TaskTemplate.ContainerSpec as StackContainerSpec
  const id = (m: Map<string, string>, kind: string, name: string) => {
    const v = m.get(name)
    if (!v) throw new InvalidArgumentError(`${kind} not found: ${name}`)
    return v
  }
  if (c.Secrets) c.Secrets = c.Secrets.map((s) => ({ ...s, SecretID: id(secrets, 'secret', s.SecretName) }))
  if (c.Configs) c.Configs = c.Configs.map((s) => ({ ...s, ConfigID: id(configs, 'config', s.ConfigName) }))
  return spec
}

/** Deploys the plan; returns the IDs of the services it created or updated (for the wait). */
export async function deployStack(client: StackClient, plan: StackPlan, opts: DeployOptions): Promise<string[]> {
  // Everything that must already exist is checked before anything is made.
  await checkExternalNetworks(client, plan.externalNetworks)
  for (const name of plan.externalSecrets) if (!await findObject(client, 'secret', name)) throw new InvalidArgumentError(`secret not found: ${name}`)
  for (const name of plan.externalConfigs) if (!await findObject(client, 'config', name)) throw new InvalidArgumentError(`config not found: ${name}`)

  const existing = new Map((await stackServices(client, plan.stack)).map((s) => [s.Spec.Name, s]))
  if (opts.prune) {
    const wanted = new Set(plan.services.map((s) => s.Name))
    for (const s of [...existing.values()].filter((x) => !wanted.has(x.Spec.Name)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1))) {
      opts.out(`Removing service ${s.Spec.Name}`)
      try {
        await client.delete(`/services/${s.ID}`)
      } catch (err) {
        opts.err(`Failed to remove service ${s.ID}: ${(err as Error).message}`)
      }
    }
  }

  const networks = new Set((await stackNetworks(client, plan.stack)).map((n) => n.Name))
  for (const n of plan.networks) {
    if (networks.has(n.name)) continue
    opts.out(`Creating network ${n.name}`)
    try {
      await client.post('/networks/create', { body: n.spec })
    } catch (err) {
      throw new InvalidArgumentError(`failed to create network ${n.name}: ${(err as Error).message}`)
    }
  }
  const needSecrets = plan.secrets.length + plan.externalSecrets.length > 0
  const needConfigs = plan.configs.length + plan.externalConfigs.length > 0
  const secretIds = needSecrets ? await applyObjects(client, 'secret', plan.secrets, plan.externalSecrets, opts.out) : new Map<string, string>()
  const configIds = needConfigs ? await applyObjects(client, 'config', plan.configs, plan.externalConfigs, opts.out) : new Map<string, string>()

  const ids: string[] = []
  for (const planned of plan.services) {
    const spec = withObjectIds(structuredClone(planned), secretIds, configIds)
    const current = existing.get(spec.Name)
    const resolve = opts.resolveImage ?? 'always'
    const c = spec.TaskTemplate.ContainerSpec
    if (!current) {
      opts.out(`Creating service ${spec.Name}`)
      c.Image = withDefaultTag(c.Image)
      // As docker's deploy: a create's warnings (the digest one too) are not printed.
      if (resolve !== 'never') await pinImageDigest(client, spec.TaskTemplate)
      const res = await client.post<{ ID: string }>('/services/create', { body: spec })
      ids.push(res.ID)
      continue
    }
    opts.out(`Updating service ${spec.Name} (id: ${current.ID})`)
    const changed = current.Spec.Labels?.[LABEL_IMAGE] !== c.Image
    // An image unchanged in the file keeps what the service runs (the digest a previous deploy pinned),
    // unless --resolve-image always asks the registry again. With it go the platforms that query found.
    const warnings: string[] = []
    if (resolve === 'always' || (resolve === 'changed' && changed)) {
      c.Image = withDefaultTag(c.Image)
      const w = await pinImageDigest(client, spec.TaskTemplate)
      if (w) warnings.push(w)
    } else {
      if (!changed) {
        c.Image = current.Spec.TaskTemplate.ContainerSpec.Image
        const platforms = current.Spec.TaskTemplate.Placement?.Platforms
        if (platforms?.length) spec.TaskTemplate.Placement = { ...spec.TaskTemplate.Placement, Platforms: platforms }
      }
      c.Image = withDefaultTag(c.Image)
    }
    // Stack deploy has no --force: keep the service's ForceUpdate so its tasks are not replaced for nothing.
    if (current.Spec.TaskTemplate.ForceUpdate !== undefined) spec.TaskTemplate.ForceUpdate = current.Spec.TaskTemplate.ForceUpdate
    const res = await client.post<{ Warnings?: string[] | null } | undefined>(`/services/${current.ID}/update`, { query: { version: current.Version.Index }, body: spec })
    for (const w of [...warnings, ...res?.Warnings ?? []]) opts.err(w)
    ids.push(current.ID)
  }
  return ids
}
