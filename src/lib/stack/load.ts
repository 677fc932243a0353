// Compose files → one ComposeConfig, as docker stack deploy loads them: each
// file parsed (YAML 1.2, anchors and merge keys), checked for forbidden keys,
// interpolated from the CLI's environment, cast, validated against the
// schema and normalized; then the files are merged in order.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseDocument, type ScalarTag } from 'yaml'
import { InvalidArgumentError } from '../errors/index.js'
import { castTree } from './casts.js'
import { interpolateTree, type Lookup } from './interpolate.js'
import { mergeConfigs } from './merge.js'
import { normalizeService, normalizeTopLevel } from './normalize.js'
import { DEPRECATED, FORBIDDEN, serviceKeysIn, UNSUPPORTED } from './properties.js'
import type { ComposeConfig, Dict } from './types.js'
import { validateCompose } from './validate.js'

/** The version `stack config` prints when the files name none (docker/cli's default schema). */
export const DEFAULT_VERSION = '3.12'

/** One compose file as given: a name (for errors) and its text. */
export interface ComposeSource { name: string; text: string }

/** What loading found besides the config: docker's warnings, to print on stderr. */
export interface Loaded { config: ComposeConfig; warnings: string[] }

/** Reads `-c` arguments: paths, or "-" for stdin. Throws InvalidArgumentError when a file cannot be read. */
export function readSources(files: string[], stdin: () => string = () => readFileSync(0, 'utf8')): ComposeSource[] {
  if (!files.length) throw new InvalidArgumentError('Please specify a Compose file (with --compose-file).')
  return files.map((f) => {
    if (f === '-') return { name: '-', text: stdin() }
    try {
      return { name: f, text: readFileSync(f, 'utf8') }
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      throw new InvalidArgumentError(e.code === 'ENOENT' ? `open ${f}: no such file or directory` : `open ${f}: ${e.message}`)
    }
  })
}

/** 0440 is octal, as Go's YAML reads it (file modes of secrets and configs): YAML 1.2 alone would make it 440. */
const GO_OCTAL: ScalarTag = {
  tag: 'tag:yaml.org,2002:int', default: true, format: 'OCT', test: /^0[0-7]+$/,
  identify: (v) => typeof v === 'number', resolve: (s) => parseInt(s, 8),
}

function parseYaml(src: ComposeSource): Dict {
  const doc = parseDocument(src.text, { merge: true, prettyErrors: false, customTags: (tags) => [GO_OCTAL, ...tags] })
  if (doc.errors.length) throw new InvalidArgumentError(`${src.name}: yaml: ${doc.errors[0].message.split('\n')[0]}`)
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown
  if (value === null || value === undefined) throw new InvalidArgumentError(`${src.name}: empty compose file`)
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(`${src.name}: top-level object must be a mapping`)
  return value as Dict
}

function checkVersion(dict: Dict, file: string): string | undefined {
  if (dict.version === undefined) return undefined
  const v = String(dict.version)
  if (!/^3(\.\d+)?$/.test(v)) throw new InvalidArgumentError(`${file}: unsupported Compose file version: ${v}: docker stack deploy (and tsw) read version 3 files`)
  return v === '3' ? DEFAULT_VERSION : v
}

function checkForbidden(dict: Dict, file: string): void {
  const found = serviceKeysIn(dict.services, Object.keys(FORBIDDEN))
  if (found.length) {
    throw new InvalidArgumentError(`${file}: Compose file contains unsupported options:\n\n${found.map((k) => `${k}: ${FORBIDDEN[k]}`).join('\n')}\n`)
  }
}

/** Loads and merges compose sources (no `lookup`: no interpolation). `workingDir` defaults to the first file's folder. Throws InvalidArgumentError naming the file and the key. */
export function loadCompose(sources: ComposeSource[], lookup: Lookup | undefined, workingDir?: string): Loaded {
  const dir = workingDir ?? (sources[0].name === '-' ? process.cwd() : dirname(resolve(sources[0].name)))
  const dicts: Dict[] = []
  const configs: ComposeConfig[] = []
  let version: string | undefined
  for (const src of sources) {
    const raw = parseYaml(src)
    // Unlike docker, a file without a version (an override file, often) takes the others'.
    const given = checkVersion(raw, src.name)
    if (version && given && given !== version) throw new InvalidArgumentError(`version mismatched between two composefiles : ${version} and ${given}`)
    version ??= given
    const v = version ?? DEFAULT_VERSION
    checkForbidden(raw, src.name)
    let dict: Dict
    try {
      dict = castTree(lookup ? interpolateTree(raw, lookup, '') : raw) as Dict
    } catch (err) {
      throw new InvalidArgumentError(`${src.name}: ${(err as Error).message}`)
    }
    validateCompose(dict, src.name)
    dicts.push(dict)
    const section = <T>(key: string, each: (v: unknown, k: string) => T) =>
      Object.fromEntries(Object.entries((dict[key] ?? {}) as Dict).map(([k, v]) => [k, each(v, k)]))
    configs.push({
      version: v, workingDir: dir,
      services: section('services', (s, k) => normalizeService(s as Dict, dir, `${src.name}: services.${k}`)),
      networks: section('networks', (n, k) => normalizeTopLevel(n, k, dir)),
      volumes: section('volumes', (n, k) => normalizeTopLevel(n, k, dir)),
      secrets: section('secrets', (n, k) => normalizeTopLevel(n, k, dir)),
      configs: section('configs', (n, k) => normalizeTopLevel(n, k, dir)),
    })
  }
  return { config: { ...mergeConfigs(configs), version: version ?? DEFAULT_VERSION }, warnings: warningsFor(dicts) }
}

/** docker's warnings for keys stack deploy ignores, over every file. */
function warningsFor(dicts: Dict[]): string[] {
  const services = dicts.map((d) => d.services)
  const unsupported = [...new Set(services.flatMap((s) => serviceKeysIn(s, UNSUPPORTED)))].sort()
  const deprecated = [...new Set(services.flatMap((s) => serviceKeysIn(s, Object.keys(DEPRECATED))))].sort()
  const out: string[] = []
  if (unsupported.length) out.push(`Ignoring unsupported options: ${unsupported.join(', ')}\n`)
  if (deprecated.length) out.push(`Ignoring deprecated options:\n\n${deprecated.map((k) => `${k}: ${DEPRECATED[k]}`).join('\n')}\n`)
  return out
}
