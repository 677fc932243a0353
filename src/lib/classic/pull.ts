// POST /images/create (docker pull) through the manager: the pull runs on
// every ready engine at once, or only on the nodes named by the non-standard
// query parameter `node` (comma-separated names or IDs, e.g. ?node=node02: an
// SDK can send it, the docker CLI cannot). Their progress streams are merged
// line by line, each message's id prefixed with its node ("node02: 5f70bf18a086")
// so the CLI keeps each node's layers apart; an engine's error becomes an
// error message naming the node, which makes `docker pull` fail.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ApiRequest, ApiResponse } from '../api/http.js'
import { InvalidArgumentError, NotFoundError } from '../errors/index.js'
import { enginePrefix, readAll, requestEngine } from '../engine/http.js'
import { engineError } from '../engine/errors.js'
import { namesNode, nodeName, type Target } from './members.js'

/** The engines' first answer to a pull must come within this. */
const PULL_ANSWER_MS = 60_000

/** Starts the pull on the chosen targets and answers with their merged progress. */
export async function pullImages(targets: Target[], req: ApiRequest): Promise<ApiResponse> {
  if (req.query.has('fromSrc')) throw new InvalidArgumentError('docker import is not supported through the manager: import on an engine')
  if (!req.query.get('fromImage')) throw new InvalidArgumentError('fromImage: an image reference must be provided')
  const query = new URLSearchParams(req.query)
  const only = query.get('node')
  query.delete('node')
  let chosen = targets
  if (only) {
    const names = only.split(',').map((n) => n.trim()).filter(Boolean)
    chosen = targets.filter((t) => names.some((n) => namesNode(t.node, n)))
    const missing = names.filter((n) => !targets.some((t) => namesNode(t.node, n)))
    if (missing.length) throw new NotFoundError(`node ${missing.join(', ')} not found or not ready`)
  }
  if (chosen.length === 0) throw new NotFoundError('no ready node to pull on')
  const auth = req.raw.headers['x-registry-auth']
  const path = `${enginePrefix(req.raw.url ?? '/')}/images/create?${query.toString()}`
  const answers = await Promise.allSettled(chosen.map((t) => requestEngine(t.conn, {
    method: 'POST', path, headers: auth ? { 'X-Registry-Auth': auth } : {},
  }, PULL_ANSWER_MS)))
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    stream: async (out) => {
      out.flushHeaders()
      await Promise.all(answers.map(async (a, i) => {
        const node = nodeName(chosen[i]!.node)
        if (a.status === 'rejected') return writeError(out, node, (a.reason as Error).message)
        if (a.value.upgraded) {
          a.value.socket.destroy()
          return writeError(out, node, 'unexpected upgrade')
        }
        const res = a.value.res
        if ((res.statusCode ?? 500) >= 400) {
          return writeError(out, node, engineError(res.statusCode ?? 500, (await readAll(res)).toString('utf8')).message)
        }
        await relay(res, out, node)
      }))
    },
  }
}

/** Copies one engine's progress messages to out, line by line, ids prefixed with the node. */
function relay(res: IncomingMessage, out: ServerResponse, node: string): Promise<void> {
  return new Promise((resolve) => {
    let rest = ''
    const stop = () => {
      res.destroy()
      resolve()
    }
    out.on('close', stop)
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) writeMessage(out, node, line)
    })
    res.on('end', () => {
      writeMessage(out, node, rest)
      out.off('close', stop)
      resolve()
    })
    res.on('error', (err) => {
      writeError(out, node, err.message)
      out.off('close', stop)
      resolve()
    })
  })
}

function writeMessage(out: ServerResponse, node: string, line: string): void {
  if (!line.trim()) return
  let msg: { id?: string; error?: string; errorDetail?: { message?: string } }
  try { msg = JSON.parse(line) } catch { return }
  msg.id = msg.id ? `${node}: ${msg.id}` : node
  if (msg.error) msg.error = `${node}: ${msg.error}`
  if (msg.errorDetail?.message) msg.errorDetail.message = `${node}: ${msg.errorDetail.message}`
  out.write(JSON.stringify(msg) + '\r\n')
}

function writeError(out: ServerResponse, node: string, message: string): void {
  out.write(JSON.stringify({ errorDetail: { message: `${node}: ${message}` }, error: `${node}: ${message}` }) + '\r\n')
}
