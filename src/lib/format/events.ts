// `docker events` output: one line per event, pretty (prettyPrintEvent), `json`, or a template.
import { compileTemplate, TemplateError } from './template/index.js'

/** An event as GET /events sends it (only what printing needs). */
export interface PrintedEvent {
  Type: string
  Action: string
  Actor: { ID: string; Attributes?: Record<string, string> }
  scope?: string
  time?: number
  timeNano?: number
}

/** A printer of events for --format ('' pretty, 'json', or a Go template). Throws TemplateError on a bad template. */
export function eventPrinter(format: string | undefined): (event: PrintedEvent) => string {
  if (!format) return (e) => prettyEvent(e) + '\n'
  const src = format === 'json' ? '{{json .}}' : format
  let row: (data: unknown) => string
  try {
    row = compileTemplate(src)
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(`template parsing error: ${e.message}`)
    throw e
  }
  return (e) => row(withGoFields(e)) + '\n'
}

// The fields of Go's events.Message, in its order, so {{json .}} prints as docker's does.
function withGoFields(e: PrintedEvent): object {
  return { Type: e.Type, Action: e.Action, Actor: { ID: e.Actor.ID, Attributes: e.Actor.Attributes ?? {} }, scope: e.scope ?? '', time: e.time ?? 0, timeNano: e.timeNano ?? 0 }
}

/** docker's line: "2024-01-02T03:04:05.123456789Z service create ID (name=web)", attributes sorted. */
export function prettyEvent(e: PrintedEvent): string {
  let out = ''
  if (e.timeNano) out += `${rfc3339NanoFixed(e.timeNano)} `
  else if (e.time) out += `${rfc3339NanoFixed(e.time * 1e9)} `
  out += `${e.Type} ${e.Action} ${e.Actor.ID}`
  const attrs = e.Actor.Attributes ?? {}
  const keys = Object.keys(attrs).sort()
  if (keys.length) out += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`
  return out
}

/** Go's "2006-01-02T15:04:05.000000000Z07:00" in local time, from nanoseconds since the epoch. */
export function rfc3339NanoFixed(nanos: number): string {
  const ms = Math.floor(nanos / 1e6)
  const d = new Date(ms)
  const offset = -d.getTimezoneOffset()
  const local = new Date(ms + offset * 60_000)
  const frac = String(Math.round(nanos - ms * 1e6)).padStart(6, '0')
  const base = local.toISOString().slice(0, 19)
  const millis = String(local.getUTCMilliseconds()).padStart(3, '0')
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  return `${base}.${millis}${frac}${zone}`
}

const pad = (n: number) => String(n).padStart(2, '0')
