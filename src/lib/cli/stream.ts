// Streaming answers from the manager (service logs): the response is handed over as it arrives,
// and docker's multiplexed stream format is taken apart frame by frame.
import type { IncomingMessage } from 'node:http'
import { request } from 'node:https'
import { API_VERSION } from '../api/versions.js'
import { ApiError, ConnectError, type ClientTls, type ManagerClient } from '../client/client.js'

/** Query values as ManagerClient takes them; undefined ones are left out. */
export type Query = Record<string, string | number | boolean | undefined>

/**
 * Sends a GET to the manager (same address and TLS as `client`, no timeout) and resolves with the
 * response once its status is known, for the caller to read as a stream. Rejects with ApiError
 * ({"message"} of a 4xx/5xx answer) or ConnectError.
 */
export function openStream(client: ManagerClient, path: string, query: Query = {}, signal?: AbortSignal): Promise<IncomingMessage> {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v))
  // ManagerClient keeps its TLS options private; they are a plain property at run time.
  const tls = (client as unknown as { tls: ClientTls }).tls
  return new Promise((resolve, reject) => {
    const req = request({
      host: client.host, port: client.port, method: 'GET', path: `/v${API_VERSION}${path}${qs.size ? `?${qs}` : ''}`,
      ca: tls.ca, cert: tls.cert, key: tls.key, signal,
    }, (res) => {
      const status = res.statusCode ?? 500
      if (status < 400) return resolve(res)
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let message = text.trim()
        try { message = (JSON.parse(text) as { message: string }).message } catch { /* plain text */ }
        reject(new ApiError(message, status))
      })
    })
    req.on('error', (err) => reject(new ConnectError(`cannot reach the manager at ${client.host}:${client.port}: ${err.message}`)))
    req.end()
  })
}

/** One frame of docker's multiplexed stream: 0 stdin, 1 stdout, 2 stderr. */
export interface Frame { stream: number; payload: Buffer }

/**
 * Takes docker's multiplexed stream apart (stdcopy): each frame is an 8-byte header (stream type,
 * three zero bytes, big-endian uint32 length) and its payload. Feed chunks as they come; complete
 * frames come out, a partial one waits for the next chunk.
 */
export class FrameDemuxer {
  private buf: Buffer = Buffer.alloc(0)

  /** The frames completed by this chunk. Throws on an unknown stream type, as stdcopy does. */
  push(chunk: Buffer): Frame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const frames: Frame[] = []
    while (this.buf.length >= 8) {
      const stream = this.buf[0]
      if (stream > 3) throw new Error(`Unrecognized input header: ${stream}`)
      const size = this.buf.readUInt32BE(4)
      if (this.buf.length < 8 + size) break
      frames.push({ stream, payload: this.buf.subarray(8, 8 + size) })
      this.buf = this.buf.subarray(8 + size)
    }
    return frames
  }

  /** Bytes of an unfinished frame left at the end of the stream. */
  get pending(): number {
    return this.buf.length
  }
}
