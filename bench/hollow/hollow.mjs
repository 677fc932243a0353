#!/usr/bin/env node
// SIMULATION: hollow Docker engines (the idea of Kubernetes' kubemark). One
// Node process serves COUNT simulated engines, each on its own loopback
// address (Linux routes all of 127.0.0.0/8 to lo) and the engine port, 2375,
// answering from memory the part of the Engine API tsw's manager uses (api.mjs).
// Nothing runs: a "container" is a record that turns running after a start
// latency. The manager is not told: to it these are plain engines at
// tcp://127.B.H.L:2375. Used by bench/scale.sh to load one manager with
// thousands of nodes; never evidence that tsw works on real engines.
//
//   node bench/hollow/hollow.mjs --count 100 [--base 20] [--port 2375] [--start-ms 50]
//     [--start-jitter-ms 50] [--exit-after-ms 0] [--exit-code 1] [--pull-ms 0]
//     [--exec-ms 5] [--pull-fails REGEX] [--exec-fails] [--control 127.B.255.254:2380]
//
// Engine i (0-based) listens on 127.<base>.<floor(i/250)>.<i%250+1>:<port>.
// Control (failure injection), as JSON lines on stdin, from a parent's IPC
// channel, or POST http://<control>/ {"cmd": ...}:
//   {"cmd":"kill","engines":[3,7]}     stop answering: listener closed, open connections cut
//   {"cmd":"revive","engines":[3]}     listen again (containers as they were)
//   {"cmd":"exit","engine":3,"code":1,"count":5}  that many running containers exit
//   {"cmd":"stats"}                   requests, starts, execs, containers per state
// Prints "ready <count> <first addr> <last addr>" once every engine listens.
import http from 'node:http'
import { createInterface } from 'node:readline'
import { handle, handleUpgrade } from './api.mjs'
import { HollowEngine } from './state.mjs'

function args(argv) {
  const out = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) out[key] = true
    else { out[key] = next; i++ }
  }
  return out
}

const a = args(process.argv.slice(2))
const count = Number(a.count ?? 10)
const base = Number(a.base ?? 20)
const port = Number(a.port ?? 2375)
if (!Number.isInteger(count) || count < 1 || count > 250 * 255) throw new Error(`--count must be 1..${250 * 255}`)
if (!Number.isInteger(base) || base < 1 || base > 254) throw new Error('--base must be 1..254')

/** The loopback address of engine i. */
export const addressOf = (i) => `127.${base}.${Math.floor(i / 250)}.${(i % 250) + 1}`

const engines = []
for (let i = 0; i < count; i++) {
  engines.push({
    addr: addressOf(i),
    sockets: new Set(),
    server: undefined,
    state: new HollowEngine({
      index: i, addr: addressOf(i),
      startMs: Number(a.startMs ?? 50), startJitterMs: Number(a.startJitterMs ?? 50),
      exitAfterMs: Number(a.exitAfterMs ?? 0), exitCode: Number(a.exitCode ?? 1),
      pullMs: Number(a.pullMs ?? 0), pullFails: a.pullFails && a.pullFails !== true ? a.pullFails : undefined,
      execMs: Number(a.execMs ?? 5), execFails: a.execFails === true,
      ncpu: Number(a.ncpu ?? 64), memTotal: Number(a.memGb ?? 256) * 2 ** 30,
    }),
  })
}

function listen(e) {
  return new Promise((resolve, reject) => {
    const server = http.createServer({ keepAliveTimeout: 120_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
      handle(e.state, req, res)
    })
    server.on('upgrade', (req, socket) => handleUpgrade(e.state, req, socket))
    server.on('connection', (s) => { e.sockets.add(s); s.on('close', () => e.sockets.delete(s)) })
    server.on('clientError', (_err, s) => s.destroy())
    server.once('error', reject)
    server.listen(port, e.addr, 4096, () => { server.off('error', reject); e.server = server; resolve() })
  })
}

function kill(e) {
  if (!e.server) return
  e.server.close()
  e.server = undefined
  for (const s of e.sockets) s.destroy()
  e.sockets.clear()
  e.state.watchers.clear()
}

function stats() {
  const out = { engines: engines.length, listening: 0, requests: 0, starts: 0, execs: 0, containers: {} }
  for (const e of engines) {
    if (e.server) out.listening++
    out.requests += e.state.stats.requests
    out.starts += e.state.stats.starts
    out.execs += e.state.stats.execs
    for (const c of e.state.containers.values()) out.containers[c.state] = (out.containers[c.state] ?? 0) + 1
  }
  out.rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20)
  return out
}

async function command(msg) {
  const pick = (list) => (list ?? []).map((i) => engines[i]).filter(Boolean)
  switch (msg.cmd) {
    case 'kill': for (const e of pick(msg.engines)) kill(e); return { ok: true }
    case 'revive': await Promise.all(pick(msg.engines).filter((e) => !e.server).map(listen)); return { ok: true }
    case 'exit': {
      const e = engines[msg.engine]
      let n = 0
      for (const c of e?.state.containers.values() ?? []) if (n < (msg.count ?? 1) && e.state.exit(c, msg.code ?? 1)) n++
      return { ok: true, exited: n }
    }
    case 'stats': return stats()
    default: return { error: `unknown command ${JSON.stringify(msg.cmd)}` }
  }
}

const reply = (r) => (process.send ? process.send(r) : process.stdout.write(JSON.stringify(r) + '\n'))
process.on('message', (msg) => void command(msg).then(reply, (err) => reply({ error: err.message })))
if (!process.send) {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim()) return
    let msg
    try { msg = JSON.parse(line) } catch { return reply({ error: 'not JSON' }) }
    void command(msg).then(reply, (err) => reply({ error: err.message }))
  })
}
if (a.control) {
  const [host, cport] = String(a.control).split(':')
  if (!host.startsWith('127.')) throw new Error('--control must be a 127.x address')
  http.createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const r = await command(JSON.parse(Buffer.concat(chunks).toString() || '{"cmd":"stats"}')).catch((err) => ({ error: err.message }))
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(r))
  }).listen(Number(cport), host)
}

// Listen in batches: thousands of binds at once is fine, but errors read better this way.
for (let i = 0; i < engines.length; i += 500) await Promise.all(engines.slice(i, i + 500).map(listen))
const readyLine = `ready ${count} ${engines[0].addr} ${engines[count - 1].addr}`
if (process.send) process.send({ ready: true, count, first: engines[0].addr, last: engines[count - 1].addr })
else process.stdout.write(readyLine + '\n')
process.on('SIGTERM', () => { for (const e of engines) { kill(e); e.state.clearTimers() } process.exit(0) })
