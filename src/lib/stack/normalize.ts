// Short compose syntaxes → their long form, as docker/cli's loader reads them
// (ports "8080:80/udp", volumes "./data:/data:ro", secrets "db_pass",
// environment lists, labels lists): merging and conversion see one shape.
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { parsePublish } from '../cli/service/opts/publish.js'
import { InvalidArgumentError } from '../errors/index.js'
import type { ComposeFileObject, ComposeNetwork, ComposeService, ComposeVolume, Dict, FileRef, PortEntry, VolumeEntry } from './types.js'

/** "K=V" lists or mappings → a mapping; `bare` is what a key without "=" maps to. */
function mapping<T>(value: unknown, bare: T): Record<string, string | T> {
  if (Array.isArray(value)) {
    const out: Record<string, string | T> = {}
    for (const item of value as string[]) {
      const eq = item.indexOf('=')
      if (eq < 0) out[item] = bare
      else out[item.slice(0, eq)] = item.slice(eq + 1)
    }
    return out
  }
  return Object.fromEntries(Object.entries((value ?? {}) as Dict).map(([k, v]) => [k, v === null ? bare : String(v)]))
}

const toList = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)])

function ports(list: unknown[], where: string): PortEntry[] {
  const out: PortEntry[] = []
  for (const p of list) {
    if (typeof p === 'object' && p) {
      const l = p as Dict
      const published = l.published === undefined || l.published === '' ? undefined : Number(l.published)
      if (published !== undefined && !Number.isInteger(published)) throw new InvalidArgumentError(`${where}: invalid published port ${JSON.stringify(l.published)}`)
      out.push({
        target: l.target as number, ...(published ? { published } : {}),
        protocol: (l.protocol as PortEntry['protocol']) ?? 'tcp', mode: (l.mode as PortEntry['mode']) ?? 'ingress',
        ...(l.name ? { name: String(l.name) } : {}),
      })
      continue
    }
    // A host IP ("127.0.0.1:8080:80") means nothing to a swarm's routing mesh: dropped, as docker's convert does.
    const spec = String(p).replace(/^(\d{1,3}(?:\.\d{1,3}){3}|\[[^\]]*\]):(?=.*:)/, '')
    try {
      for (const c of parsePublish(spec)) {
        out.push({ target: c.TargetPort, ...(c.PublishedPort ? { published: c.PublishedPort } : {}), protocol: c.Protocol ?? 'tcp', mode: 'ingress' })
      }
    } catch (err) {
      throw new InvalidArgumentError(`${where}: invalid port ${JSON.stringify(p)}: ${(err as Error).message}`)
    }
  }
  return out
}

const PROPAGATION = ['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']

/** A bind source as docker reads it: "~" is the home folder, a relative path is relative to the compose file's folder. */
function hostPath(source: string, workingDir: string): string {
  if (source === '~' || source.startsWith('~/')) return resolve(homedir(), source.slice(2))
  return isAbsolute(source) ? source : resolve(workingDir, source)
}

function volumes(list: unknown[], workingDir: string, where: string): VolumeEntry[] {
  return list.map((v) => {
    if (typeof v === 'object' && v) {
      const l = { ...(v as VolumeEntry) }
      if (l.type === 'bind' && l.source) l.source = hostPath(l.source, workingDir)
      return l
    }
    const parts = String(v).split(':')
    if (parts.length > 3 || !parts[parts.length === 1 ? 0 : 1]) throw new InvalidArgumentError(`${where}: invalid volume specification: ${JSON.stringify(v)}`)
    if (parts.length === 1) return { type: 'volume', target: parts[0] }
    const [source, target, modes = ''] = parts
    const bind = /^[./~]/.test(source)
    const entry: VolumeEntry = bind ? { type: 'bind', source: hostPath(source, workingDir), target } : { type: 'volume', source, target }
    for (const m of modes.split(',').filter(Boolean)) {
      if (m === 'ro') entry.read_only = true
      else if (m === 'rw') entry.read_only = false
      else if (m === 'nocopy') entry.volume = { nocopy: true }
      else if (PROPAGATION.includes(m)) entry.bind = { propagation: m }
      else if (m !== 'z' && m !== 'Z') throw new InvalidArgumentError(`${where}: invalid mode ${JSON.stringify(m)} in volume ${JSON.stringify(v)}`)
    }
    return entry
  })
}

const fileRefs = (list: unknown[]): FileRef[] => list.map((r) => (typeof r === 'string' ? { source: r } : { ...(r as FileRef) }))

/** A service in its long form; `where` ("file: services.web") names it in errors. */
export function normalizeService(raw: Dict, workingDir: string, where: string): ComposeService {
  const s: ComposeService = { ...raw }
  if (raw.environment !== undefined) s.environment = mapping(raw.environment, null)
  if (raw.labels !== undefined) s.labels = mapping(raw.labels, '')
  if (raw.sysctls !== undefined) s.sysctls = mapping(raw.sysctls, '')
  if (raw.env_file !== undefined) s.env_file = toList(raw.env_file).map((f) => hostPath(f, workingDir))
  if (raw.tmpfs !== undefined) s.tmpfs = toList(raw.tmpfs)
  if (raw.dns !== undefined) s.dns = toList(raw.dns)
  if (raw.ports !== undefined) s.ports = ports(raw.ports as unknown[], `${where}.ports`)
  if (raw.volumes !== undefined) s.volumes = volumes(raw.volumes as unknown[], workingDir, `${where}.volumes`)
  if (raw.secrets !== undefined) s.secrets = fileRefs(raw.secrets as unknown[])
  if (raw.configs !== undefined) s.configs = fileRefs(raw.configs as unknown[])
  if (Array.isArray(raw.networks)) s.networks = Object.fromEntries((raw.networks as string[]).map((n) => [n, null]))
  const deploy = raw.deploy as Dict | undefined
  if (deploy?.labels !== undefined) s.deploy = { ...deploy, labels: mapping(deploy.labels, '') }
  return s
}

/** A top-level network, volume, secret or config in its long form (null → {}; labels a mapping; external as a boolean with its name). */
export function normalizeTopLevel<T extends ComposeNetwork | ComposeVolume | ComposeFileObject>(raw: unknown, key: string, workingDir: string): T {
  const o = { ...((raw ?? {}) as Dict) }
  if (o.labels !== undefined) o.labels = mapping(o.labels, '')
  if (typeof o.external === 'object' && o.external) {
    // The old `external: {name: x}` form.
    o.name = (o.external as { name?: string }).name ?? o.name
    o.external = true
  }
  // An external object is found by its name: the key unless a name is given.
  if (o.external && !o.name) o.name = key
  if (typeof o.file === 'string') o.file = hostPath(o.file, workingDir)
  if (o.driver_opts) o.driver_opts = mapping(o.driver_opts, '')
  return o as unknown as T
}
