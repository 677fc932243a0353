#!/usr/bin/env node
// Scale benchmark driver (issue 13), run by bench/scale.sh. One tsw manager
// against NODES hollow engines (bench/hollow: a SIMULATION, in-memory engines
// on 127.x loopback addresses, in a child process): the swarm is formed through
// the real join path (`tsw swarm init` on engine 0, `tsw node add` for the rest),
// SERVICES services totalling TASKS tasks are created through the manager's
// Engine API (POST /services/create, as the docker CLI sends it), and it prints:
// time to all Running, placements/s, manager RSS and CPU (peak while converging,
// idle after), `tsw node ls|service ls|service ps` median/p99 while converging and
// idle, time to replace the tasks of 10% of the nodes killed at once, and the time
// of one `service update --image` of a 1,000-task service.
//
//   node bench/scale.mjs --nodes 100 --services 100 --tasks 3000 [--store sqlite|etcd://127.B.255.2:2379]
//     [--base 21] [--port 23771] [--heartbeat 5s] [--start-ms 50] [--update-tasks 1000] [--skip-kill] [--skip-update]
//     [--timeout 600] [--keep]
import { execFile, fork } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..')
const argv = process.argv.slice(2)
const opt = (name, dflt) => { const i = argv.indexOf(`--${name}`); return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : dflt }
const flag = (name) => argv.includes(`--${name}`)
const NODES = Number(opt('nodes', 100))
const SERVICES = Number(opt('services', 100))
const TASKS = Number(opt('tasks', 3000))
const BASE = Number(opt('base', 21))
const PORT = Number(opt('port', 23771))
const STORE = opt('store', 'sqlite')
const HEARTBEAT = opt('heartbeat', '5s')
const TIMEOUT_S = Number(opt('timeout', 600))
const UPDATE_TASKS = Number(opt('update-tasks', 1000))
const MANAGER_ADDR = `127.${BASE}.255.1`
// Another build of tsw to measure (e.g. a copy of bin/ and dist/ of an older commit): TSW_BIN=path/to/bin/run.js.
const TSW_BIN = process.env.TSW_BIN || join(repo, 'bin', 'run.js')
const t0 = Date.now()
const log = (msg) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const results = []
const record = (figure, value, unit, how = '') => { results.push({ figure, value, unit, how }); log(`${figure}: ${value} ${unit}`) }

// --- hollow engines ---------------------------------------------------------
const hollow = fork(join(here, 'hollow', 'hollow.mjs'), ['--count', String(NODES), '--base', String(BASE), '--start-ms', opt('start-ms', '50'), '--start-jitter-ms', opt('start-ms', '50')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const pending = []
hollow.on('message', (m) => { if (!m.ready) pending.shift()?.(m) })
const hollowReady = new Promise((resolve) => hollow.once('message', resolve))
const ask = (msg) => new Promise((resolve) => { pending.push(resolve); hollow.send(msg) })
const engineUrl = (i) => `tcp://127.${BASE}.${Math.floor(i / 250)}.${(i % 250) + 1}:2375`

// --- the tsw CLI and the manager's API ----------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'tsw-scale-'))
const env = { ...process.env, TSW_DATA_DIR: dataDir, TSW_INSECURE_OK: '1', TSW_HOST: `${MANAGER_ADDR}:${PORT}` }
function tsw(args, { quiet = false, env: more = {} } = {}) {
  const start = process.hrtime.bigint()
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSW_BIN, ...args], { env: { ...env, ...more }, maxBuffer: 512 << 20 }, (err, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      if (err) { if (!quiet) log(`tsw ${args.slice(0, 3).join(' ')} failed: ${stderr.trim().split('\n').slice(-2).join(' | ')}`); reject(Object.assign(err, { ms, stderr })) } else resolve({ stdout, ms })
    })
  })
}
let tlsOpts
const agent = new https.Agent({ keepAlive: true, maxSockets: 16 })
/** A request to the manager's API; a reused keep-alive connection the manager closed meanwhile is retried once. */
async function api(method, path, body) {
  try {
    return await apiOnce(method, path, body)
  } catch (err) {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err
    return apiOnce(method, path, body)
  }
}
function apiOnce(method, path, body) {
  tlsOpts ??= { ca: readFileSync(join(dataDir, 'tls', 'ca.pem')), cert: readFileSync(join(dataDir, 'tls', 'cert.pem')), key: readFileSync(join(dataDir, 'tls', 'key.pem')) }
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = https.request({ host: MANAGER_ADDR, port: PORT, method, path: `/v1.47${path}`, agent, ...tlsOpts, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {} }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString()
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`))
        else resolve(text ? JSON.parse(text) : undefined)
      })
    })
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: no answer in 120 s`)))
    req.on('error', reject)
    req.end(data)
  })
}

// --- manager CPU and memory, from /proc ----------------------------------------
const TICK = 100 // USER_HZ
let managerPid
const samples = []
function sampleManager() {
  try {
    const stat = readFileSync(`/proc/${managerPid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpu = (Number(f[11]) + Number(f[12])) / TICK
    const rss = Number(readFileSync(`/proc/${managerPid}/statm`, 'utf8').split(' ')[1]) * 4096
    samples.push({ at: Date.now(), cpu, rss })
  } catch { /* gone */ }
}
/** Peak RSS (MiB) and peak/mean CPU (% of one core, over 2 s windows) between two times. */
function usage(from, to) {
  const s = samples.filter((x) => x.at >= from && x.at <= to)
  if (s.length < 2) return { rss: 0, peakCpu: 0, meanCpu: 0 }
  let peakCpu = 0
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i].at - s[j].at > 2000) j++
    if (i > j) peakCpu = Math.max(peakCpu, (s[i].cpu - s[j].cpu) / ((s[i].at - s[j].at) / 1000))
  }
  const meanCpu = (s.at(-1).cpu - s[0].cpu) / ((s.at(-1).at - s[0].at) / 1000)
  return { rss: Math.max(...s.map((x) => x.rss)) / 2 ** 20, peakCpu: peakCpu * 100, meanCpu: meanCpu * 100 }
}

const pct = (list, p) => { const s = [...list].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN }
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—')

/** Runs the three list commands one after another until stop() (or `rounds` times); durations in ms. */
function listLoop(rounds = Infinity) {
  const times = { 'node ls': [], 'service ls': [], 'service ps': [] }
  let stopped = false
  const done = (async () => {
    for (let r = 0; r < rounds && !stopped; r++) {
      for (const [name, args] of [['node ls', ['node', 'ls']], ['service ls', ['service', 'ls']], ['service ps', ['service', 'ps', 's0001']]]) {
        if (stopped) break
        try { times[name].push((await tsw(args, { quiet: true })).ms) } catch (err) { times[name].push(err.ms ?? NaN) }
      }
    }
  })()
  return { times, done, stop: async () => { stopped = true; await done } }
}
function recordLists(times, phase, cmdNote) {
  for (const [name, list] of Object.entries(times)) {
    record(`tsw ${name} (${phase}), median / p99 of ${list.length}`, `${fmt(pct(list, 50) / 1000)} / ${fmt(pct(list, 99) / 1000)}`, 's', cmdNote)
  }
}

/** Running tasks and desired tasks over every service (GET /services?status=true, as `service ls`). */
async function progress() {
  const list = await api('GET', '/services?status=true')
  let running = 0, desired = 0
  for (const s of list) { running += s.ServiceStatus?.RunningTasks ?? 0; desired += s.ServiceStatus?.DesiredTasks ?? 0 }
  return { running, desired, services: list.length }
}
async function waitConverged(what, want, deadlineS = TIMEOUT_S) {
  const end = Date.now() + deadlineS * 1000
  let last
  while (Date.now() < end) {
    try {
      last = await progress()
      if (last.running >= want && last.desired === last.running) return true
    } catch (err) { log(`progress: ${err.message}`) }
    await sleep(1000)
  }
  log(`${what}: not converged within ${deadlineS} s (${JSON.stringify(last)})`)
  return false
}

async function main() {
  await hollowReady
  log(`${NODES} hollow engines listen on 127.${BASE}.x.y:2375`)
  const storeArgs = STORE === 'sqlite' ? [] : ['--store', STORE]
  // MANAGER_CPU_PROF=dir: the manager (started by init, inheriting its environment) writes a V8 CPU profile there when stopped.
  const profEnv = process.env.MANAGER_CPU_PROF ? { NODE_OPTIONS: `--require ${join(here, 'cpu-prof.cjs')}` } : {}
  await tsw(['swarm', 'init', '--advertise-addr', MANAGER_ADDR, '--listen-addr', `${MANAGER_ADDR}:${PORT}`, '--engine', engineUrl(0), '--dispatcher-heartbeat', HEARTBEAT, ...storeArgs], { env: profEnv })
  managerPid = Number(readFileSync(join(dataDir, 'manager', 'manager.pid'), 'utf8').trim())
  const sampler = setInterval(sampleManager, 500)
  sampleManager()

  // Join: `tsw node add` with 200 engines an invocation, two at a time.
  const joinStart = Date.now()
  const urls = Array.from({ length: NODES - 1 }, (_, i) => engineUrl(i + 1))
  const chunks = []
  for (let i = 0; i < urls.length; i += 200) chunks.push(urls.slice(i, i + 200))
  await Promise.all([0, 1].map(async (w) => { for (let c = w; c < chunks.length; c += 2) await tsw(['node', 'add', ...chunks[c]]) }))
  record(`join ${NODES - 1} engines (tsw node add, 200 an invocation, 2 at a time)`, fmt((Date.now() - joinStart) / 1000), 's')
  const readyEnd = Date.now() + 120_000
  while (Date.now() < readyEnd) {
    const nodes = await api('GET', '/nodes')
    if (nodes.filter((n) => n.Status.State === 'ready').length === NODES) break
    await sleep(1000)
  }
  record(`${NODES} nodes Ready after the first join`, fmt((Date.now() - joinStart) / 1000), 's')
  await sleep(3000)
  const idle0 = Date.now()
  await sleep(10_000)
  const u0 = usage(idle0, Date.now())
  record(`manager idle with ${NODES} nodes, no task: CPU / RSS`, `${fmt(u0.meanCpu, 1)} / ${fmt(u0.rss, 0)}`, '% of a core / MiB')

  // Services.
  const perService = Math.floor(TASKS / SERVICES)
  const extra = TASKS - perService * SERVICES
  const createStart = Date.now()
  const lists = listLoop()
  const creates = Array.from({ length: SERVICES }, (_, i) => ({ name: `s${String(i + 1).padStart(4, '0')}`, replicas: perService + (i < extra ? 1 : 0) }))
  let next = 0
  const statsTimeline = []
  const statsTimer = setInterval(() => void ask({ cmd: 'stats' }).then((s) => statsTimeline.push({ at: Date.now(), created: (s.starts ?? 0) + (s.containers?.created ?? 0) })), 1000)
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < creates.length) {
      const c = creates[next++]
      await api('POST', '/services/create', {
        Name: c.name, TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1d'], StopGracePeriod: 1e9 } },
        Mode: { Replicated: { Replicas: c.replicas } },
      })
    }
  }))
  record(`create ${SERVICES} services (POST /services/create, 8 at a time)`, fmt((Date.now() - createStart) / 1000), 's')
  const ok = await waitConverged('create', TASKS)
  const convergedAt = Date.now()
  clearInterval(statsTimer)
  await lists.stop()
  if (ok) record(`${TASKS} tasks over ${SERVICES} services: first create → all Running`, fmt((convergedAt - createStart) / 1000), 's')
  const convergeUse = usage(createStart, convergedAt)
  record('manager while converging: peak RSS', fmt(convergeUse.rss, 0), 'MiB')
  record('manager while converging: peak CPU (2 s window) / mean', `${fmt(convergeUse.peakCpu, 0)} / ${fmt(convergeUse.meanCpu, 0)}`, '% of a core')
  // Placements: every scheduling decision becomes a container created on the chosen engine.
  let peakRate = 0
  for (let i = 1; i < statsTimeline.length; i++) peakRate = Math.max(peakRate, (statsTimeline[i].created - statsTimeline[i - 1].created) / ((statsTimeline[i].at - statsTimeline[i - 1].at) / 1000))
  record('tasks placed and started per second (mean over convergence / peak 1 s)', `${fmt(TASKS / ((convergedAt - createStart) / 1000), 0)} / ${fmt(peakRate, 0)}`, 'tasks/s')
  recordLists(lists.times, 'converging', '')

  await sleep(10_000)
  const quietStart = Date.now()
  await sleep(15_000)
  const idleQuiet = usage(quietStart, Date.now())
  const idleLists = listLoop(10)
  await idleLists.done
  recordLists(idleLists.times, 'idle', '')
  record(`manager idle after convergence (${TASKS} tasks, 15 s, no command): CPU / RSS`, `${fmt(idleQuiet.meanCpu, 1)} / ${fmt(idleQuiet.rss, 0)}`, '% of a core / MiB')

  if (!flag('skip-kill') && NODES >= 10) {
    const victims = Array.from({ length: Math.floor(NODES / 10) }, (_, i) => 1 + i * 10 % (NODES - 1))
    const killAt = Date.now()
    await ask({ cmd: 'kill', engines: victims })
    // Down first (their tasks are replaced only once their node is down), then all Running again.
    const end = Date.now() + TIMEOUT_S * 1000
    let downAt
    while (Date.now() < end) {
      if (!downAt) {
        const nodes = await api('GET', '/nodes')
        if (nodes.filter((n) => n.Status.State === 'down').length >= victims.length) { downAt = Date.now(); record(`${victims.length} engines killed at once → their nodes Down`, fmt((downAt - killAt) / 1000), 's') }
      } else {
        const p = await progress()
        if (p.running >= TASKS && p.running === p.desired) { record(`… → all ${TASKS} tasks Running again (replacements on the other nodes)`, fmt((Date.now() - killAt) / 1000), 's'); break }
      }
      await sleep(500)
    }
  }

  if (!flag('skip-update')) {
    await api('POST', '/services/create', {
      Name: 'big', TaskTemplate: { ContainerSpec: { Image: 'busybox:1', Args: ['sleep', '1d'], StopGracePeriod: 1e9 } },
      Mode: { Replicated: { Replicas: UPDATE_TASKS } }, UpdateConfig: { Parallelism: 50, Delay: 0, Monitor: 1e9, FailureAction: 'pause', Order: 'stop-first' },
    })
    const bigStart = Date.now()
    if (await waitConverged('big', TASKS + UPDATE_TASKS)) record(`service big (${UPDATE_TASKS} tasks) created → all Running`, fmt((Date.now() - bigStart) / 1000), 's')
    const upStart = Date.now()
    await tsw(['service', 'update', '-d', '--image', 'busybox:2', 'big'])
    const end = Date.now() + TIMEOUT_S * 1000
    while (Date.now() < end) {
      const s = await api('GET', '/services/big')
      if (s.UpdateStatus?.State === 'completed') { record(`tsw service update -d --image of ${UPDATE_TASKS} tasks (parallelism 50, monitor 1 s) → update completed`, fmt((Date.now() - upStart) / 1000), 's'); break }
      if (s.UpdateStatus?.State && s.UpdateStatus.State !== 'updating') { log(`update: ${s.UpdateStatus.State}: ${s.UpdateStatus.Message}`); break }
      await sleep(500)
    }
  }

  clearInterval(sampler)
  const hs = await ask({ cmd: 'stats' })
  log(`hollow engines: ${JSON.stringify(hs)}`)
}

function printResults() {
  process.stdout.write(`\n## ${NODES} nodes, ${SERVICES} services, ${TASKS} tasks, store ${STORE === 'sqlite' ? 'SQLite' : 'etcd'}\n\n| figure | value | unit |\n|---|---:|---|\n`)
  for (const r of results) process.stdout.write(`| ${r.figure} | ${r.value} | ${r.unit} |\n`)
}

async function cleanup() {
  const logFile = join(dataDir, 'manager', 'manager.log')
  if (existsSync(logFile) && process.env.SCALE_LOG) copyFileSync(logFile, process.env.SCALE_LOG)
  if (process.env.MANAGER_CPU_PROF && managerPid) {
    // SIGTERM: the manager stops and exits, writing its profile (SIGKILL would lose it).
    try { process.kill(managerPid, 'SIGTERM') } catch { /* gone */ }
    for (let i = 0; i < 120; i++) { try { process.kill(managerPid, 0) } catch { break } await sleep(250) }
  }
  try { await tsw(['swarm', 'leave', '--force'], { quiet: true }) } catch { /* the manager may be gone */ }
  if (managerPid) try { process.kill(managerPid, 'SIGKILL') } catch { /* gone */ }
  hollow.kill('SIGTERM')
  if (!flag('keep')) rmSync(dataDir, { recursive: true, force: true })
}

// Exits once cleaned up: open keep-alive sockets and the IPC channel would keep it alive.
main().then(async () => { printResults(); await cleanup(); process.exit(0) },
  async (err) => { log(`failed: ${err.stack ?? err.message}`); printResults(); await cleanup(); process.exit(1) })
