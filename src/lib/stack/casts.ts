// After interpolation, values at these paths become numbers or booleans, as
// docker/cli's loader casts them (interpolateTypeCastMapping): `replicas:
// ${N}` is a number once N is substituted. "*" is any one key or list index.
import { InvalidArgumentError } from '../errors/index.js'

type Cast = 'int' | 'float' | 'bool'

const CASTS: Array<[string, Cast]> = [
  ['services.*.configs.*.mode', 'int'],
  ['services.*.secrets.*.mode', 'int'],
  ['services.*.healthcheck.retries', 'int'],
  ['services.*.healthcheck.disable', 'bool'],
  ['services.*.deploy.replicas', 'int'],
  ['services.*.deploy.update_config.parallelism', 'int'],
  ['services.*.deploy.update_config.max_failure_ratio', 'float'],
  ['services.*.deploy.rollback_config.parallelism', 'int'],
  ['services.*.deploy.rollback_config.max_failure_ratio', 'float'],
  ['services.*.deploy.restart_policy.max_attempts', 'int'],
  ['services.*.deploy.placement.max_replicas_per_node', 'int'],
  ['services.*.ports.*.target', 'int'],
  ['services.*.ports.*.published', 'int'],
  ['services.*.ulimits.*', 'int'],
  ['services.*.ulimits.*.hard', 'int'],
  ['services.*.ulimits.*.soft', 'int'],
  ['services.*.privileged', 'bool'],
  ['services.*.read_only', 'bool'],
  ['services.*.stdin_open', 'bool'],
  ['services.*.tty', 'bool'],
  ['services.*.init', 'bool'],
  ['services.*.volumes.*.read_only', 'bool'],
  ['services.*.volumes.*.volume.nocopy', 'bool'],
  ['networks.*.external', 'bool'],
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
  ['volumes.*.external', 'bool'],
  ['secrets.*.external', 'bool'],
  ['configs.*.external', 'bool'],
]

const TRUE = ['y', 'yes', 'true', 'on']
const FALSE = ['n', 'no', 'false', 'off']

function castValue(value: string, cast: Cast, path: string): number | boolean {
  if (cast === 'bool') {
    const v = value.toLowerCase()
    if (TRUE.includes(v)) return true
    if (FALSE.includes(v)) return false
    throw new InvalidArgumentError(`failed to cast to expected type: invalid boolean: ${value} (at ${path})`)
  }
  const n = Number(value)
  if (!value.trim() || Number.isNaN(n) || (cast === 'int' && !Number.isInteger(n))) {
    throw new InvalidArgumentError(`failed to cast to expected type: strconv.Parse${cast === 'int' ? 'Int' : 'Float'}: parsing ${JSON.stringify(value)}: invalid syntax (at ${path})`)
  }
  return n
}

function matches(pattern: string[], path: string[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === '*' || p === path[i])
}

/** A copy of an interpolated compose tree with the strings at docker's cast paths made numbers or booleans. Throws InvalidArgumentError. */
export function castTree(value: unknown, path: string[] = []): unknown {
  if (typeof value === 'string') {
    const hit = CASTS.find(([p]) => matches(p.split('.'), path))
    return hit ? castValue(value, hit[1], path.join('.')) : value
  }
  if (Array.isArray(value)) return value.map((v, i) => castTree(v, [...path, String(i)]))
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, castTree(v, [...path, k])]))
  return value
}
