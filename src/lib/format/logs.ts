// `service logs` lines as docker/cli prints them (cli/command/service/logs.go): each log line
// arrives as "[TIMESTAMP ]DETAILS MESSAGE", DETAILS being "k=v,…" with the task's swarm IDs, and is
// printed as "[TIMESTAMP ]web.1.abc123def456@node02    | MESSAGE".

/** The swarm IDs a log line carries. */
export interface LogContext { nodeId: string; serviceId: string; taskId: string }

/** A log line taken apart. `details` keeps the attributes other than the swarm IDs. */
export interface LogLine { timestamp?: string; context: LogContext; details: Record<string, string>; message: string }

/** Go's url.QueryUnescape. Throws on a malformed escape. */
function queryUnescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '))
  } catch {
    throw new Error(`invalid URL escape "${s}"`)
  }
}

/** "k=v,l=w" (keys and values query-escaped) → a map; throws "invalid details format". */
export function parseLogDetails(details: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of details.split(',')) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new Error('invalid details format')
    out[queryUnescape(pair.slice(0, eq))] = queryUnescape(pair.slice(eq + 1))
  }
  return out
}

const goMap = (m: Record<string, string>): string => `map[${Object.keys(m).sort().map((k) => `${k}:${m[k]}`).join(' ')}]`

/** Splits one log line (a frame's payload, newline included) as docker does; throws with docker's wording. */
export function parseLogLine(line: string, timestamps: boolean): LogLine {
  const n = timestamps ? 3 : 2
  const parts: string[] = []
  let rest = line
  while (parts.length < n - 1) {
    const sp = rest.indexOf(' ')
    if (sp < 0) break
    parts.push(rest.slice(0, sp))
    rest = rest.slice(sp + 1)
  }
  parts.push(rest)
  if (parts.length !== n) throw new Error(`invalid context in log message: ${line}`)
  const details = parseLogDetails(parts[n - 2])
  const take = (key: string, what: string): string => {
    if (!(key in details)) throw new Error(`missing ${what} id in details: ${goMap(details)}`)
    const v = details[key]
    delete details[key]
    return v
  }
  const context = {
    nodeId: take('com.docker.swarm.node.id', 'node'),
    serviceId: take('com.docker.swarm.service.id', 'service'),
    taskId: take('com.docker.swarm.task.id', 'task'),
  }
  return { timestamp: timestamps ? parts[0] : undefined, context, details, message: parts[n - 1] }
}

/** Number of digits of n: how wide slot numbers get ("10 replicas" → 2). */
export function digits(n: number): number {
  return String(Math.trunc(n)).length
}

/** What names a log line's source. */
export interface LogSource { service: string; slot: number; taskId: string; node: string }

/** Options of `service logs` that change the prefix: --no-task-ids, --no-trunc, and the slot width to pad to. */
export interface LogPrefixOptions { noTaskIds?: boolean; noTrunc?: boolean; padding?: number }

/** "web.1.abc123def456@node02", padded so slots line up ("web.1.…@node02 " beside "web.10.…@node02"). */
export function logPrefix(src: LogSource, opts: LogPrefixOptions = {}): string {
  let name = `${src.service}.${src.slot}`
  if (!opts.noTaskIds) name += '.' + (opts.noTrunc ? src.taskId : src.taskId.slice(0, 12))
  const pad = (opts.padding ?? 1) - digits(src.slot)
  return `${name}@${src.node}${pad > 0 ? ' '.repeat(pad) : ''}`
}

/** The printed line: timestamp, prefix, "    | ", the other details with --details, then the message. */
export function formatLogLine(line: LogLine, prefix: string, opts: { details?: boolean } = {}): string {
  let out = line.timestamp !== undefined ? line.timestamp + ' ' : ''
  out += prefix + '    | '
  if (opts.details) out += Object.entries(line.details).map(([k, v]) => `${k}=${v}`).sort().join(',') + ' '
  return out + line.message
}
