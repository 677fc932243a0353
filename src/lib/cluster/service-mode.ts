// A service spec's Mode: exactly one of Replicated, Global, ReplicatedJob and
// GlobalJob, with docker's defaults filled (one replica; a job runs once, one
// task at a time, unless it says otherwise).
import { InvalidArgumentError } from '../errors/index.js'
import type { ServiceMode, ServiceSpec } from '../types/index.js'
import { show } from './port-checks.js'

/** The kinds of mode, as the API names them. */
const KINDS = ['Replicated', 'Global', 'ReplicatedJob', 'GlobalJob'] as const

/** Which kind of mode a spec has ("Replicated" when none is set). */
export function modeKind(spec: Pick<ServiceSpec, 'Mode'>): (typeof KINDS)[number] {
  return KINDS.find((k) => spec.Mode?.[k]) ?? 'Replicated'
}

/** The spec's mode checked and completed. Throws InvalidArgumentError naming the bad field; `max` caps replicas and completions. */
export function checkMode(mode: ServiceMode | undefined, max: number): ServiceMode {
  const given = KINDS.filter((k) => mode?.[k])
  if (given.length > 1) throw new InvalidArgumentError(`Mode: only one of ${KINDS.join(', ')} may be set, not ${given.join(' and ')}`)
  if (!mode || given.length === 0) return { Replicated: { Replicas: 1 } }
  const count = (value: unknown, field: string, fallback: number): number => {
    const n = value ?? fallback
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`Mode: ${field} must be a whole number >= 0, not ${show(n)}`)
    if (n > max) throw new InvalidArgumentError(`Mode: ${n} ${field} is more than the ${max} a service may have: use fewer ${field}, or split the work over several services`)
    return n
  }
  if (mode.Replicated) return { Replicated: { Replicas: count(mode.Replicated.Replicas, 'replicas', 1) } }
  if (mode.ReplicatedJob) {
    const maxConcurrent = count(mode.ReplicatedJob.MaxConcurrent, 'MaxConcurrent', 1)
    return { ReplicatedJob: { MaxConcurrent: maxConcurrent, TotalCompletions: count(mode.ReplicatedJob.TotalCompletions, 'TotalCompletions', maxConcurrent) } }
  }
  return mode.Global ? { Global: {} } : { GlobalJob: {} }
}
