// Flag values → spec parts, shared by create (spec.ts) and update (update.ts).
// Each reads only the flags it is about and throws InvalidArgumentError in
// docker's words for a bad value.
import { InvalidArgumentError } from '../../errors/index.js'
import type { HealthConfig, RestartPolicy, UpdateConfig } from '../../types/index.js'
import type { CommonFlagValues } from './flags.js'
import { durationNs, flagError, parseCpus, parseFloat64, parseInt10, parseUint, ramInBytes, withFlag } from './opts/index.js'

export const uint = (v: string, flag: string): number => withFlag(v, flag, parseUint)
export const cpus = (v: string, flag: string): number => withFlag(v, flag, parseCpus)
export const bytes = (v: string, flag: string): number => withFlag(v, flag, ramInBytes)

/** `value` when it is one of `allowed`; else a flag error listing them. */
export function oneOf<T extends string>(value: string, flag: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw flagError(value, flag, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`)
}

/** Whether any of these flags was given. */
export function anyGiven(flags: object, ...names: string[]): boolean {
  return names.some((n) => (flags as Record<string, unknown>)[n] !== undefined)
}

/** Swarm's restart policy when none is set (swarmkit api/defaults). */
export function defaultRestartPolicy(): RestartPolicy {
  return { Condition: 'any', Delay: 5e9, MaxAttempts: 0 }
}

/** Swarm's update and rollback config when none is set. */
export function defaultUpdateConfig(): UpdateConfig {
  return { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' }
}

/** Sets the restart-policy fields whose flags were given. */
export function applyRestartFlags(policy: RestartPolicy, flags: CommonFlagValues): RestartPolicy {
  if (flags['restart-condition'] !== undefined) policy.Condition = oneOf(flags['restart-condition'], 'restart-condition', ['none', 'on-failure', 'any'] as const)
  if (flags['restart-delay'] !== undefined) policy.Delay = durationNs(flags['restart-delay'], 'restart-delay')
  if (flags['restart-max-attempts'] !== undefined) policy.MaxAttempts = uint(flags['restart-max-attempts'], 'restart-max-attempts')
  if (flags['restart-window'] !== undefined) policy.Window = durationNs(flags['restart-window'], 'restart-window')
  return policy
}

export const UPDATE_FLAGS = ['update-parallelism', 'update-delay', 'update-monitor', 'update-failure-action', 'update-max-failure-ratio', 'update-order'] as const
export const ROLLBACK_FLAGS = ['rollback-parallelism', 'rollback-delay', 'rollback-monitor', 'rollback-failure-action', 'rollback-max-failure-ratio', 'rollback-order'] as const
export const RESTART_FLAGS = ['restart-condition', 'restart-delay', 'restart-max-attempts', 'restart-window'] as const
export const HEALTH_FLAGS = ['health-cmd', 'health-interval', 'health-timeout', 'health-retries', 'health-start-period', 'health-start-interval'] as const

/** Sets the update (or rollback) config fields whose flags were given. */
export function applyUpdateConfigFlags(config: UpdateConfig, flags: CommonFlagValues, prefix: 'update' | 'rollback'): UpdateConfig {
  const f = flags as Record<string, string | undefined>
  const get = (k: string) => f[`${prefix}-${k}`]
  const name = (k: string) => `${prefix}-${k}`
  if (get('parallelism') !== undefined) config.Parallelism = uint(get('parallelism')!, name('parallelism'))
  if (get('delay') !== undefined) config.Delay = durationNs(get('delay')!, name('delay'))
  if (get('monitor') !== undefined) config.Monitor = durationNs(get('monitor')!, name('monitor'))
  if (get('failure-action') !== undefined) {
    const actions = prefix === 'update' ? (['pause', 'continue', 'rollback'] as const) : (['pause', 'continue'] as const)
    config.FailureAction = oneOf(get('failure-action')!, name('failure-action'), actions)
  }
  if (get('max-failure-ratio') !== undefined) {
    const v = get('max-failure-ratio')!
    const ratio = withFlag(v, name('max-failure-ratio'), parseFloat64)
    if (!(ratio >= 0 && ratio <= 1)) throw flagError(v, name('max-failure-ratio'), 'must be between 0 and 1')
    config.MaxFailureRatio = ratio
  }
  if (get('order') !== undefined) config.Order = oneOf(get('order')!, name('order'), ['start-first', 'stop-first'] as const)
  return config
}

/** The healthcheck of `service create` flags (undefined: keep the image's), as docker's toHealthConfig. */
export function healthFromFlags(flags: CommonFlagValues): HealthConfig | undefined {
  const settings = anyGiven(flags, ...HEALTH_FLAGS)
  if (flags['no-healthcheck']) {
    if (settings) throw new InvalidArgumentError('--no-healthcheck conflicts with --health-* options')
    return { Test: ['NONE'] }
  }
  if (!settings) return undefined
  return applyHealthFlags({}, flags)
}

/** Sets the healthcheck fields whose flags were given. */
export function applyHealthFlags(h: HealthConfig, flags: CommonFlagValues): HealthConfig {
  if (flags['health-cmd'] !== undefined) h.Test = flags['health-cmd'] ? ['CMD-SHELL', flags['health-cmd']] : undefined
  if (flags['health-interval'] !== undefined) h.Interval = durationNs(flags['health-interval'], 'health-interval')
  if (flags['health-timeout'] !== undefined) h.Timeout = durationNs(flags['health-timeout'], 'health-timeout')
  if (flags['health-start-period'] !== undefined) h.StartPeriod = durationNs(flags['health-start-period'], 'health-start-period')
  if (flags['health-start-interval'] !== undefined) h.StartInterval = durationNs(flags['health-start-interval'], 'health-start-interval')
  if (flags['health-retries'] !== undefined) h.Retries = withFlag(flags['health-retries'], 'health-retries', parseInt10)
  return h
}

/** A list flag's values, each checked by `parse` (which may also rewrite it). */
export function parsedList<T>(values: string[] | undefined, flag: string, parse: (v: string) => T): T[] {
  return (values ?? []).map((v) => withFlag(v, flag, parse))
}
