// A container's log as a stream of lines. Logs of non-TTY containers are
// framed (8-byte headers per chunk, stdout/stderr): the modem's demuxStream
// splits them; TTY containers send raw text on one stream.

import { Readable } from 'node:stream'
import type { EngineConnection } from '../engine/index.js'
import { engineCall } from '../engine/call.js'
import { typedEngineError } from '../engine/errors.js'
import { LineSplitter } from './lines.js'

/** What to read of a log (docker logs' options). */
export interface LogOptions {
  /** Keep the stream open for new lines; default false. */
  follow?: boolean
  /** Only the last n lines; default all. */
  tail?: number | 'all'
  /** Ask the engine for each line's time (LogLine.timestamp); default false. */
  timestamps?: boolean
  /** Only lines since this time: unix seconds, or a docker time string. */
  since?: number | string
  /** Only lines before this time. */
  until?: number | string
  /** Which streams; default both. */
  stdout?: boolean
  stderr?: boolean
}

/** One line of a container's log, without its newline. */
export interface LogLine {
  stream: 'stdout' | 'stderr'
  text: string
  /** RFC 3339 time with nanoseconds, when asked for with `timestamps`. */
  timestamp?: string
}

/** An object-mode stream of LogLine; destroy it to stop following. */
export type LogStream = Readable

type Source = NodeJS.ReadableStream & { destroy?: (err?: Error) => void }

interface Modem {
  dial(opts: object, cb: (err: unknown, data: unknown) => void): void
  demuxStream(stream: NodeJS.ReadableStream, stdout: { write(c: Buffer): unknown }, stderr: { write(c: Buffer): unknown }): void
}

/**
 * Reads containerId's log as LogLine objects (stdout and stderr interleaved as
 * the engine sends them). The request has a deadline of timeoutMs to answer
 * (and, without follow, to finish); a followed stream lasts until destroyed or
 * the container's log ends.
 */
export async function containerLogs(
  conn: EngineConnection,
  containerId: string,
  opts: LogOptions,
  timeoutMs: number,
): Promise<LogStream> {
  const url = conn.address.url
  const container = conn.docker.getContainer(containerId)
  const info = await engineCall(url, `inspect of container ${containerId}`, timeoutMs, (abortSignal) => container.inspect({ abortSignal }))
  const tty = Boolean(info.Config?.Tty)

  const controller = new AbortController()
  const query: Record<string, unknown> = {
    follow: opts.follow ?? false,
    stdout: opts.stdout ?? true,
    stderr: opts.stderr ?? true,
    timestamps: opts.timestamps ?? false,
    tail: opts.tail === undefined ? 'all' : String(opts.tail),
  }
  if (opts.since !== undefined) query.since = opts.since
  if (opts.until !== undefined) query.until = opts.until
  // Through the modem, as a stream even without follow (dockerode would buffer
  // the body, and parse it as JSON if it happens to be JSON).
  const modem = conn.docker.modem as unknown as Modem
  const source = await engineCall(url, `logs of container ${containerId}`, timeoutMs, (signal) => {
    signal.addEventListener('abort', () => controller.abort(), { once: true })
    return new Promise<Source>((resolve, reject) => {
      modem.dial({
        path: `/containers/${encodeURIComponent(containerId)}/logs?`,
        method: 'GET',
        options: query,
        abortSignal: controller.signal,
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
      }, (err, data) => (err ? reject(err) : resolve(data as Source)))
    })
  })

  let finished = false
  const out = new Readable({
    objectMode: true,
    read() { source.resume() },
    destroy(err, callback) {
      finished = true
      controller.abort()
      source.destroy?.()
      callback(err)
    },
  })
  const emit = (line: LogLine): void => {
    if (finished) return
    if (!out.push(line)) source.pause()
  }
  const splitter = (stream: LogLine['stream']): LineSplitter => new LineSplitter((raw) => {
    if (!opts.timestamps) { emit({ stream, text: raw }); return }
    const space = raw.indexOf(' ')
    if (space > 0 && /^\d{4}-\d\d-\d\dT/.test(raw)) emit({ stream, timestamp: raw.slice(0, space), text: raw.slice(space + 1) })
    else emit({ stream, text: raw })
  })
  const stdout = splitter('stdout')
  const stderr = splitter('stderr')

  if (tty) {
    source.on('data', (chunk: Buffer) => stdout.push(chunk))
  } else {
    modem.demuxStream(source, { write: (c) => stdout.push(c) }, { write: (c) => stderr.push(c) })
  }
  const end = (): void => {
    if (finished) return
    stdout.end()
    stderr.end()
    finished = true
    out.push(null)
  }
  source.on('end', end)
  source.on('close', end)
  source.on('error', (err: Error) => {
    if (finished) return
    finished = true
    out.destroy(typedEngineError(url, err))
  })
  return out
}
