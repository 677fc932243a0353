// `service logs`: what to ask the manager for, and how each log line's task gets its name
// (docker's runLogs and taskFormatter).
import { InvalidArgumentError } from '../errors/index.js'
import { digits, formatLogLine, logPrefix, parseLogLine, type LogContext, type LogPrefixOptions } from '../format/logs.js'
import type { Node, Service, Task } from '../types/index.js'
import { parseDuration } from './duration.js'
import { MultiError } from './errors.js'
import { isNotFound } from './service-refs.js'
import type { Getter } from './tasks.js'

/** Where a target's logs come from: its logs path, whether it runs with a TTY, and the slot width to pad to. */
export interface LogTarget { path: string; tty: boolean; padding: number }

/** Finds a service, else a task, named `target`. Throws MultiError "no such task or service: x". */
export async function logTarget(client: Getter, target: string): Promise<LogTarget> {
  const ref = encodeURIComponent(target)
  try {
    const service = await client.get<Service>(`/services/${ref}`)
    const replicas = service.Spec.Mode?.Replicated?.Replicas
    return { path: `/services/${ref}/logs`, tty: !!service.Spec.TaskTemplate.ContainerSpec?.TTY, padding: replicas !== undefined ? digits(replicas) : 1 }
  } catch (err) {
    if (!isNotFound(err)) throw err
  }
  try {
    const task = await client.get<Task>(`/tasks/${ref}`)
    return { path: `/tasks/${ref}/logs`, tty: !!task.Spec.ContainerSpec?.TTY, padding: digits(task.Slot ?? 0) }
  } catch (err) {
    if (isNotFound(err)) throw new MultiError([`no such task or service: ${target}`])
    throw err
  }
}

/**
 * The `since` query value (Unix seconds, "1700000000.000000000") for --since: a Unix time as is,
 * a Go duration ("42m") before now, or a date ("2013-01-02T13:23:37Z"). Throws InvalidArgumentError.
 */
export function sinceParam(value: string | undefined, now: number, name = 'since'): string | undefined {
  if (!value) return undefined
  if (/^\d+(\.\d+)?$/.test(value)) return value
  const ms = /^(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(value) ? now - parseDuration(value, name) : Date.parse(value)
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`invalid value for "${name}": "${value}" is neither a duration (42m) nor a timestamp (2013-01-02T13:23:37Z)`)
  const whole = Math.floor(ms / 1000)
  return `${whole}.${String(Math.round((ms - whole * 1000) * 1e6)).padStart(9, '0')}`
}

/** Options of `service logs` that shape each printed line. */
export interface LogLineOptions extends LogPrefixOptions { timestamps?: boolean; details?: boolean; noResolve?: boolean }

/** Turns raw log lines into docker's "web.1.abc123def456@node02    | message", looking names up once per task. */
export class LogLineFormatter {
  private readonly cache = new Map<string, string>()
  private readonly names = new Map<string, string>()

  constructor(private readonly client: Getter, private readonly opts: LogLineOptions = {}) {}

  /** The printed form of one line (a frame's payload). Throws on a line without the swarm details. */
  async format(payload: string): Promise<string> {
    const line = parseLogLine(payload, !!this.opts.timestamps)
    return formatLogLine(line, await this.prefix(line.context), { details: this.opts.details })
  }

  private async prefix(ctx: LogContext): Promise<string> {
    const key = `${ctx.nodeId}\0${ctx.serviceId}\0${ctx.taskId}`
    let prefix = this.cache.get(key)
    if (prefix === undefined) {
      const [node, service, task] = await Promise.all([
        this.resolve('node', ctx.nodeId, (n: Node) => n.Spec?.Name || n.Description?.Hostname || ctx.nodeId),
        this.resolve('service', ctx.serviceId, (s: Service) => s.Spec.Name),
        this.client.get<Task>(`/tasks/${encodeURIComponent(ctx.taskId)}`),
      ])
      prefix = logPrefix({ service, slot: task.Slot ?? 0, taskId: task.ID, node }, this.opts)
      this.cache.set(key, prefix)
    }
    return prefix
  }

  /** A node's or service's name (its ID when it cannot be read, or with --no-resolve). */
  private async resolve<T>(kind: 'node' | 'service', id: string, name: (o: T) => string): Promise<string> {
    if (this.opts.noResolve) return id
    const known = this.names.get(id)
    if (known !== undefined) return known
    let out = id
    try {
      out = name(await this.client.get<T>(`/${kind}s/${encodeURIComponent(id)}`))
    } catch { /* the ID it is */ }
    this.names.set(id, out)
    return out
  }
}
