// SIMULATION. The part of the Docker Engine API that tsw's manager uses,
// answered from a HollowEngine's memory (state.mjs) over plain node:http. The
// routes were taken from every engine call under src/lib (dockerode and raw
// requests): _ping, version, info, containers (create, start, stop, kill,
// remove, inspect, list with filters, logs, exec), events, images (inspect,
// list, pull, import/load, remove, distribution), networks (list, create,
// inspect, connect, remove). Anything else answers 404 so a missing route shows.
import { eventMatches, imageRef } from './state.mjs'

/** docker's filters query: {"label":["a=b"]} or the older {"label":{"a=b":true}} → { label: ["a=b"] }. */
export function parseFilters(text) {
  if (!text) return {}
  const raw = JSON.parse(text)
  const out = {}
  for (const [k, v] of Object.entries(raw)) out[k] = Array.isArray(v) ? v : Object.keys(v).filter((x) => v[x])
  return out
}

function send(res, status, body) {
  if (body === undefined) { res.writeHead(status); res.end(); return }
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json', 'Content-Length': Buffer.byteLength(text), 'Api-Version': '1.50' })
  res.end(text)
}

const fail = (res, status, message) => send(res, status, { message })

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

async function readJson(req) {
  const buf = await readBody(req)
  return buf.length ? JSON.parse(buf.toString('utf8')) : {}
}

/** One docker log frame: 8-byte header (stream, length) then the payload. */
export function frame(stream, text) {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

/** Handles one request to `engine` (a HollowEngine). */
export async function handle(engine, req, res) {
  engine.stats.requests++
  const url = new URL(req.url, 'http://hollow')
  const path = url.pathname.replace(/^\/v\d+\.\d+/, '')
  const q = url.searchParams
  const m = req.method
  let p
  try {
    if (path === '/_ping') return send(res, 200, 'OK')
    if (path === '/version') return send(res, 200, engine.version())
    if (path === '/info') return send(res, 200, engine.info())
    if (path === '/events' && m === 'GET') return events(engine, req, res, q)

    if (path === '/containers/json' && m === 'GET') {
      const all = q.get('all') === '1' || q.get('all') === 'true'
      return send(res, 200, engine.list(all, parseFilters(q.get('filters'))))
    }
    if (path === '/containers/create' && m === 'POST') {
      const body = await readJson(req)
      const r = engine.create(q.get('name') ?? '', body)
      return r.error ? fail(res, r.error, r.message) : send(res, 201, { Id: r.id, Warnings: [] })
    }
    if ((p = /^\/containers\/([^/]+)(\/[a-z]+)?$/.exec(path))) {
      const c = engine.find(decodeURIComponent(p[1]))
      const verb = p[2] ?? ''
      if (!c) return fail(res, 404, `No such container: ${decodeURIComponent(p[1])}`)
      if (verb === '/json' && m === 'GET') return send(res, 200, engine.inspect(c))
      if (verb === '/start' && m === 'POST') {
        const status = await engine.start(c)
        return status === 404 ? fail(res, 404, `No such container: ${c.id}`) : send(res, status)
      }
      if (verb === '/stop' && m === 'POST') return send(res, engine.stop(c, 'stop'))
      if (verb === '/kill' && m === 'POST') {
        if (c.state !== 'running') return fail(res, 409, `cannot kill container: ${c.id}: container ${c.id} is not running`)
        return send(res, engine.stop(c, 'kill'))
      }
      if (verb === '/wait' && m === 'POST') return send(res, 200, { StatusCode: c.exitCode })
      if (verb === '' && m === 'DELETE') {
        const r = engine.remove(c, q.get('force') === '1' || q.get('force') === 'true')
        return r.error ? fail(res, r.error, r.message) : send(res, 204)
      }
      if (verb === '/logs' && m === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' })
        for (const l of c.logs) res.write(frame(l.stream, `${q.get('timestamps') === '1' || q.get('timestamps') === 'true' ? new Date().toISOString() + ' ' : ''}${l.text}\n`))
        return res.end()
      }
      if (verb === '/exec' && m === 'POST') {
        const body = await readJson(req)
        if (c.state !== 'running') return fail(res, 409, `container ${c.id} is not running`)
        const id = Math.random().toString(16).slice(2).padEnd(16, '0')
        engine.execs.set(id, { id, container: c.id, cmd: body.Cmd ?? [], exitCode: null, running: false })
        return send(res, 201, { Id: id })
      }
    }
    if ((p = /^\/exec\/([^/]+)\/json$/.exec(path)) && m === 'GET') {
      const x = engine.execs.get(p[1])
      if (!x) return fail(res, 404, `No such exec instance: ${p[1]}`)
      return send(res, 200, { ID: x.id, Running: x.running, ExitCode: x.exitCode, ContainerID: x.container, ProcessConfig: { entrypoint: x.cmd[0], arguments: x.cmd.slice(1) } })
    }
    if ((p = /^\/exec\/([^/]+)\/start$/.exec(path)) && m === 'POST') {
      // Without a hijack (Detach): run it at once.
      const x = engine.execs.get(p[1])
      if (!x) return fail(res, 404, `No such exec instance: ${p[1]}`)
      await readBody(req)
      runExec(engine, x)
      res.writeHead(200, { 'Content-Type': 'application/vnd.docker.raw-stream' })
      return res.end()
    }

    if (path === '/images/create' && m === 'POST') return pullOrImport(engine, req, res, q)
    if (path === '/images/load' && m === 'POST') {
      await readBody(req)
      const ref = engine.addImage(`hollow-loaded:${Date.now()}`).RepoTags[0]
      return send(res, 200, { stream: `Loaded image: ${ref}\n` })
    }
    if (path === '/images/json' && m === 'GET') {
      const f = parseFilters(q.get('filters'))
      const list = [...engine.images.values()].filter((i) => !f.reference || f.reference.some((r) => i.RepoTags.some((t) => t === r || t.startsWith(`${r}:`))))
      return send(res, 200, list.map((i) => ({ Id: i.Id, RepoTags: i.RepoTags, RepoDigests: i.RepoDigests, Created: i.Created, Size: i.Size, Labels: i.Labels, Containers: -1, SharedSize: -1, ParentId: '' })))
    }
    if ((p = /^\/images\/(.+)\/json$/.exec(path)) && m === 'GET') {
      const i = findImage(engine, decodeURIComponent(p[1]))
      if (!i) return fail(res, 404, `No such image: ${decodeURIComponent(p[1])}`)
      return send(res, 200, { Id: i.Id, RepoTags: i.RepoTags, RepoDigests: i.RepoDigests, Created: new Date(i.Created * 1000).toISOString(), Size: i.Size, Os: 'linux', Architecture: 'amd64', Config: { Labels: i.Labels } })
    }
    if ((p = /^\/images\/(.+)$/.exec(path)) && m === 'DELETE') {
      const name = decodeURIComponent(p[1])
      const i = findImage(engine, name)
      if (!i) return fail(res, 404, `No such image: ${name}`)
      for (const t of i.RepoTags) engine.images.delete(t)
      return send(res, 200, [{ Untagged: name }, { Deleted: i.Id }])
    }
    if ((p = /^\/distribution\/(.+)\/json$/.exec(path)) && m === 'GET') {
      return send(res, 200, {
        Descriptor: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${'0'.repeat(56)}${String(decodeURIComponent(p[1]).length).padStart(8, '0')}`, size: 1024 },
        Platforms: [{ architecture: 'amd64', os: 'linux' }],
      })
    }

    if (path === '/networks' && m === 'GET') {
      const f = parseFilters(q.get('filters'))
      const list = [...engine.networks.values()].filter((n) => (!f.label || f.label.every((l) => { const [k, v] = l.split('='); return v === undefined ? k in n.Labels : n.Labels[k] === v })) && (!f.name || f.name.includes(n.Name)))
      return send(res, 200, list)
    }
    if (path === '/networks/create' && m === 'POST') {
      const body = await readJson(req)
      if ([...engine.networks.values()].some((n) => n.Name === body.Name)) return fail(res, 409, `network with name ${body.Name} already exists`)
      const id = Math.random().toString(16).slice(2).padEnd(64, '0').slice(0, 64)
      engine.networks.set(id, { Id: id, Name: body.Name, Driver: body.Driver ?? 'bridge', Scope: 'local', Internal: !!body.Internal, IPAM: body.IPAM ?? { Config: [] }, Options: body.Options ?? {}, Labels: body.Labels ?? {}, Containers: {} })
      return send(res, 201, { Id: id, Warning: '' })
    }
    if ((p = /^\/networks\/([^/]+)(\/connect|\/disconnect)?$/.exec(path))) {
      const ref = decodeURIComponent(p[1])
      const n = engine.networks.get(ref) ?? [...engine.networks.values()].find((x) => x.Name === ref || x.Id.startsWith(ref))
      if (!n) return fail(res, 404, `network ${ref} not found`)
      if (!p[2] && m === 'GET') return send(res, 200, n)
      if (!p[2] && m === 'DELETE') { engine.networks.delete(n.Id); return send(res, 204) }
      if (p[2] && m === 'POST') { await readBody(req); return send(res, 200) }
    }
    return fail(res, 404, `page not found (hollow engine: ${m} ${path} is not simulated)`)
  } catch (err) {
    if (!res.headersSent) return fail(res, 500, `hollow engine: ${err.message}`)
    res.destroy()
  }
}

function findImage(engine, name) {
  return engine.images.get(imageRef(name)) ?? [...engine.images.values()].find((i) => i.Id === name || i.Id === `sha256:${name}` || i.Id.startsWith(`sha256:${name}`))
}

// A pull answers progress lines as dockerd does; ?fromSrc=- imports the request body as the image.
async function pullOrImport(engine, req, res, q) {
  if (q.get('fromSrc')) {
    await readBody(req)
    const ref = `${q.get('repo')}:${q.get('tag') || 'latest'}`
    const i = engine.addImage(ref)
    return send(res, 200, { status: i.Id })
  }
  await readBody(req)
  const from = q.get('fromImage') ?? ''
  const tag = q.get('tag')
  const ref = tag && !from.includes('@') ? `${from}:${tag}` : from
  const { pullMs, pullFails } = engine.opts
  if (pullFails && new RegExp(pullFails).test(ref)) {
    return fail(res, 404, `pull access denied for ${from}, repository does not exist or may require 'docker login'`)
  }
  res.writeHead(200, { 'Content-Type': 'application/json' })
  res.write(JSON.stringify({ status: `Pulling from ${from}`, id: tag || 'latest' }) + '\r\n')
  if (pullMs > 0) await new Promise((r) => setTimeout(r, pullMs))
  const fresh = !engine.images.has(imageRef(ref))
  engine.addImage(ref)
  res.write(JSON.stringify({ status: 'Digest: sha256:' + '0'.repeat(64) }) + '\r\n')
  res.end(JSON.stringify({ status: fresh ? `Status: Downloaded newer image for ${ref}` : `Status: Image is up to date for ${ref}` }) + '\r\n')
}

// The event stream: newline-separated JSON, replayed from ?since= then live, until the client goes.
function events(engine, req, res, q) {
  const filters = parseFilters(q.get('filters'))
  const since = q.get('since') ? Number(q.get('since')) : undefined
  const until = q.get('until') ? Number(q.get('until')) : undefined
  res.writeHead(200, { 'Content-Type': 'application/json' })
  res.flushHeaders()
  const w = { filters, write: (ev) => res.write(JSON.stringify(ev) + '\n') }
  if (since !== undefined) for (const ev of engine.history) if (ev.time >= since && eventMatches(ev, filters)) w.write(ev)
  if (until !== undefined && until <= Date.now() / 1000) return res.end()
  engine.watchers.add(w)
  const done = () => engine.watchers.delete(w)
  res.on('close', done)
  req.on('close', done)
}

/** What an exec does: the network helper's host script succeeds at once; anything else exits 0 too. */
export function runExec(engine, x) {
  engine.stats.execs++
  x.running = false
  x.exitCode = engine.opts.execFails ? 1 : 0
  return engine.opts.execFails ? 'hollow: exec made to fail\n' : ''
}

/** The hijacked POST /exec/{id}/start (dockerode's hijack: true): 101, then the output frames, then the end. */
export function handleUpgrade(engine, req, socket) {
  engine.stats.requests++
  const url = new URL(req.url, 'http://hollow')
  const path = url.pathname.replace(/^\/v\d+\.\d+/, '')
  const p = /^\/exec\/([^/]+)\/start$/.exec(path)
  const x = p && engine.execs.get(p[1])
  if (!x) {
    const body = JSON.stringify({ message: `No such exec instance: ${p ? p[1] : path}` })
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
    return
  }
  // The request body ({Detach, Tty}) may follow the headers: it is not needed.
  socket.on('data', () => {})
  socket.on('error', () => {})
  const delay = engine.opts.execMs
  const finish = () => {
    const output = runExec(engine, x)
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n')
    if (output) socket.write(frame(1, output))
    socket.end()
  }
  if (delay > 0) setTimeout(finish, delay)
  else finish()
}
