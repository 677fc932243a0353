// Checks one parsed compose file against COMPOSE_SCHEMA with ajv, and words
// the most specific failure as docker/cli's schema package does:
// "services.web.ports.0 must be a string or number".
import { Ajv, type ErrorObject } from 'ajv'
import { InvalidArgumentError } from '../errors/index.js'
import { COMPOSE_SCHEMA } from './schema.js'

let compiled: ReturnType<Ajv['compile']> | undefined

/** Throws InvalidArgumentError (prefixed with `file`) when `config` breaks the compose schema. */
export function validateCompose(config: unknown, file: string): void {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(COMPOSE_SCHEMA)
  if (!compiled(config)) throw new InvalidArgumentError(`${file}: ${describeSchemaError(compiled.errors ?? [])}`)
  const refused = swarmRefused(config)
  if (refused) throw new InvalidArgumentError(`${file}: ${refused}`)
}

/**
 * What docker 28's stack loader (compose schema 3.x) refuses although the Compose
 * Specification allows it: secrets and configs from `environment:` or inline `content:`.
 */
function swarmRefused(config: unknown): string | undefined {
  for (const section of ['secrets', 'configs'] as const) {
    const objects = (config as Record<string, unknown> | null)?.[section]
    if (!objects || typeof objects !== 'object') continue
    for (const [name, def] of Object.entries(objects as Record<string, unknown>)) {
      for (const key of ['environment', 'content']) {
        if (def && typeof def === 'object' && key in def) return `${section}.${name} Additional property ${key} is not allowed`
      }
    }
  }
  return undefined
}

/** "services.web.ports.0" for "/services/web/ports/0"; "(root)" for the top. */
export function fieldPath(pointer: string): string {
  if (!pointer) return '(root)'
  return pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')
}

const PREFERENCE = ['additionalProperties', 'propertyNames', 'required', 'enum', 'pattern', 'type', 'oneOf']
const HUMAN: Record<string, string> = { array: 'list', object: 'mapping' }

/** One line for ajv's errors: the deepest failure, as docker's getMostSpecificError picks it. */
export function describeSchemaError(errors: ErrorObject[]): string {
  if (!errors.length) return 'invalid compose file'
  const depth = (e: ErrorObject) => (e.instancePath ? e.instancePath.split('/').length : 0) + (e.keyword === 'additionalProperties' ? 1 : 0)
  const deepest = Math.max(...errors.map(depth))
  const atDeepest = errors.filter((e) => depth(e) === deepest)
  const rank = (e: ErrorObject) => { const i = PREFERENCE.indexOf(e.keyword); return i < 0 ? PREFERENCE.length : i }
  const err = [...atDeepest].sort((a, b) => rank(a) - rank(b))[0]
  const path = fieldPath(err.instancePath)
  switch (err.keyword) {
    case 'additionalProperties':
      return `${path} Additional property ${(err.params as { additionalProperty: string }).additionalProperty} is not allowed`
    case 'propertyNames':
      return `${path} Additional property ${(err.params as { propertyName: string }).propertyName} is not allowed (names are letters, digits, '.', '_' and '-')`
    case 'required':
      return `${path === '(root)' ? '' : `${path}.`}${(err.params as { missingProperty: string }).missingProperty} is required`
    case 'enum':
      return `${path} must be one of the following: ${((err.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}`
    case 'type': {
      // Every type any branch (of a oneOf) accepts here.
      const types = [...new Set(atDeepest.filter((e) => e.keyword === 'type').flatMap((e) => String((e.params as { type: string | string[] }).type).split(',')))]
        .map((t) => HUMAN[t] ?? t)
      const words = types.length > 1 ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}` : types[0]
      return `${path} must be a ${words}`
    }
    default:
      return `${path} ${err.message ?? 'is invalid'}`
  }
}
