// --secret and --config as docker reads them (opts/secret.go, opts/config.go):
// "NAME" or "source=NAME[,target=T][,uid=U][,gid=G][,mode=0400]". The ID is
// left empty: the manager completes it from the name (and says if there is none).
import type { ConfigReference, ReferenceFileTarget, SecretReference } from '../../../types/index.js'
import { InvalidArgumentError } from '../../../errors/index.js'
import { csvFields } from './csv.js'

/** A file target and source name of one --secret/--config value. Throws Error with docker's words. */
function parseReference(value: string, what: 'secret' | 'config'): { name: string; file: ReferenceFileTarget } {
  const file: ReferenceFileTarget = { Name: '', UID: '0', GID: '0', Mode: 0o444 }
  if (!value.includes(',') && !value.includes('=')) return { name: value, file: { ...file, Name: value } }
  let name = ''
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=')
    if (eq <= 0) throw new Error(`invalid field '${field}' must be a key=value pair`)
    const key = field.slice(0, eq).toLowerCase()
    const val = field.slice(eq + 1)
    switch (key) {
      case 'source': case 'src': name = val; break
      case 'target': file.Name = val; break
      case 'uid': file.UID = val; break
      case 'gid': file.GID = val; break
      case 'mode': file.Mode = parseMode(val); break
      default: throw new Error(`invalid field in ${what} request: ${key}`)
    }
  }
  if (!name) throw new Error('source is required')
  if (!file.Name) file.Name = name
  return { name, file }
}

/** strconv.ParseUint(val, 0, 32): 0x…, 0o…, 0… octal, 0b…, else decimal. */
function parseMode(val: string): number {
  const m = /^(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*)|(0))$/.exec(val.replace(/_/g, ''))
  const n = m ? (m[1] ? parseInt(m[1], 16) : m[2] ? parseInt(m[2], 8) : m[3] ? parseInt(m[3], 2) : Number(m[4] ?? 0)) : NaN
  if (!Number.isFinite(n)) throw new Error(`invalid mode specified: strconv.ParseUint: parsing ${JSON.stringify(val)}: invalid syntax`)
  if (n > 0xffffffff) throw new Error(`invalid mode specified: strconv.ParseUint: parsing ${JSON.stringify(val)}: value out of range`)
  return n
}

/** One --secret value as a reference (SecretID left to the manager). */
export function parseSecret(value: string): SecretReference {
  const { name, file } = parseReference(value, 'secret')
  return { File: file, SecretID: '', SecretName: name }
}

/** One --config value as a reference (ConfigID left to the manager). */
export function parseConfig(value: string): ConfigReference {
  const { name, file } = parseReference(value, 'config')
  return { File: file, ConfigID: '', ConfigName: name }
}

/** Throws InvalidArgumentError, docker's "duplicate secret target for x not allowed" when two references share a target. */
export function checkTargets(refs: Array<{ File?: ReferenceFileTarget; name: string }>, what: 'secret' | 'config'): void {
  const seen = new Set<string>()
  for (const r of refs) {
    const target = r.File?.Name ?? r.name
    if (seen.has(target)) throw new InvalidArgumentError(`duplicate ${what} target for ${r.name} not allowed`)
    seen.add(target)
  }
}
