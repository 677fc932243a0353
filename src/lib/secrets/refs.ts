// A service's references to secrets and configs (ContainerSpec.Secrets/Configs):
// checked as swarmkit's validateSecretRefsSpec and checkSecretExistence do, with
// one kindness: a reference that gives only the name (or only the ID) is
// completed from the store, so API clients need not look the ID up first.
import { InvalidArgumentError } from '../errors/index.js'
import type { Store } from '../store/index.js'
import type { ConfigReference, ReferenceFileTarget, Secret, SecretReference, ServiceSpec } from '../types/index.js'
import { rpc, type PayloadKind } from './kinds.js'

/** A secret or config reference, in one shape. */
interface Ref {
  id: string
  name: string
  file?: ReferenceFileTarget
}

/** Checks and completes the spec's references in place. Throws InvalidArgumentError (nothing is changed). */
export async function resolveReferences(store: Store, spec: ServiceSpec): Promise<void> {
  const c = spec.TaskTemplate.ContainerSpec
  if (c.Secrets?.length) {
    const refs = await check(store, 'secret', c.Secrets.map((r) => ({ id: r.SecretID, name: r.SecretName, file: r.File })))
    c.Secrets = refs.map((r): SecretReference => ({ File: r.file, SecretID: r.id, SecretName: r.name }))
  }
  if (c.Configs?.length) {
    for (const r of c.Configs) {
      if (r.Runtime) throw new InvalidArgumentError('configs as credential specs (Runtime targets) are not supported by tsw: give the config a File target')
    }
    const refs = await check(store, 'config', c.Configs.map((r) => ({ id: r.ConfigID, name: r.ConfigName, file: r.File })))
    c.Configs = refs.map((r): ConfigReference => ({ File: r.file, ConfigID: r.id, ConfigName: r.name }))
  }
}

async function check(store: Store, kind: PayloadKind, refs: Ref[]): Promise<Ref[]> {
  if (!Array.isArray(refs)) throw new InvalidArgumentError(`ContainerSpec: ${kind}s must be a list`)
  const all = await store.list<Secret>(kind)
  const missing: string[] = []
  const out = refs.map((r) => {
    const id = typeof r.id === 'string' ? r.id : ''
    const name = typeof r.name === 'string' ? r.name : ''
    if (!id && !name) throw new InvalidArgumentError(rpc('InvalidArgument', `malformed ${kind} reference`))
    const found = id ? all.find((s) => s.ID === id) : all.find((s) => s.Spec.Name === name)
    if (!found || (name && found.Spec.Name !== name)) missing.push(name || id)
    return { id: found?.ID ?? id, name: found?.Spec.Name ?? name, file: checkFile(kind, r.file) }
  })
  if (missing.length) {
    throw new InvalidArgumentError(rpc('InvalidArgument', `${kind}${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')}`))
  }
  const targets = new Map<string, string>()
  for (const r of out) {
    if (!r.file) throw new InvalidArgumentError(rpc('InvalidArgument', `malformed ${kind} reference, no target provided`))
    const prev = targets.get(r.file.Name)
    if (prev !== undefined) {
      throw new InvalidArgumentError(rpc('InvalidArgument', `${kind} references '${prev}' and '${r.name}' have a conflicting target: '${r.file.Name}'`))
    }
    targets.set(r.file.Name, r.name)
  }
  return out
}

/** The file target with swarm's defaults (uid/gid 0, mode 0444); a name that could leave its directory is refused. */
function checkFile(kind: PayloadKind, file: ReferenceFileTarget | undefined): ReferenceFileTarget | undefined {
  if (!file) return undefined
  const name = typeof file.Name === 'string' ? file.Name : ''
  if (!name) throw new InvalidArgumentError(rpc('InvalidArgument', `malformed file ${kind} reference, invalid target file name provided`))
  if (name.split('/').includes('..') || name.includes('\0')) {
    throw new InvalidArgumentError(`${kind} target ${JSON.stringify(name)} must not contain ".." : give a plain file name or an absolute path`)
  }
  if (kind === 'secret' && name.startsWith('/') && !name.startsWith('/run/secrets/')) {
    throw new InvalidArgumentError(`secret target ${JSON.stringify(name)}: secrets are mounted under /run/secrets; give a file name (e.g. ${name.split('/').pop() || 'x'})`)
  }
  const id = (v: unknown, what: string) => {
    const s = v === undefined || v === null || v === '' ? '0' : String(v)
    if (!/^\d+$/.test(s)) throw new InvalidArgumentError(`${kind} ${what} ${JSON.stringify(v)} must be a numeric ID`)
    return s
  }
  const mode = file.Mode === undefined || file.Mode === null ? 0o444 : file.Mode
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new InvalidArgumentError(`${kind} mode ${JSON.stringify(file.Mode)} must be a file mode such as 0400`)
  return { Name: name, UID: id(file.UID, 'uid'), GID: id(file.GID, 'gid'), Mode: mode }
}
