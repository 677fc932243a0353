#!/usr/bin/env node
// A rolling update on an in-memory store: the orchestrator, scheduler and
// updater of the sources on one shared cache (as a leader term runs them),
// NODES nodes, OTHER running tasks of other services, and one service of TASKS
// running replicas whose image is then changed (parallelism 50, monitor 1 s,
// stop-first). Engines are a stand-in written here (no engine calls: an
// assigned task runs, a task asked to stop stops, each a store write a few ms
// later), so what is timed is the manager's loops. Prints the time from the
// update to UpdateStatus completed, tasks replaced a second, and the CPU used.
//
//   node bench/update.mjs                     1k nodes, 1,000-task service, 3k other tasks
//   TASKS=500 OTHER=0 node bench/update.mjs
//   SRC=<other checkout>/src node bench/update.mjs   another version's loops (before/after)
//   node --cpu-prof bench/update.mjs          and a CPU profile of the run
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = process.env.SRC ?? join(ROOT, 'src')
const NODES = Number(process.env.NODES ?? 1000)
const TASKS = Number(process.env.TASKS ?? 1000)
const OTHER = Number(process.env.OTHER ?? 3000)
const TIMEOUT_S = Number(process.env.TIMEOUT ?? 300)
const ENGINE_MS = Number(process.env.ENGINE_MS ?? 5)

const at = '2026-01-01T00:00:00.000Z'
const meta = { Version: { Index: 1 }, CreatedAt: at, UpdatedAt: at }
const id = (prefix, i) => `${prefix}${String(i).padStart(5, '0')}`
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function services() {
  const out = [{ name: 'big', replicas: TASKS }]
  for (let s = 0; s < OTHER / 30; s++) out.push({ name: `s${s}`, replicas: 30 })
  return out
}

async function fill(store) {
  const objects = []
  for (let n = 0; n < NODES; n++) {
    objects.push({ kind: 'node', obj: {
      ID: id('node', n), ...meta, Spec: { Labels: {}, Role: n === 0 ? 'manager' : 'worker', Availability: 'active' },
      Description: { Hostname: `host-${n}`, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 8e9, MemoryBytes: 16e9 }, Engine: { EngineVersion: '28.0.0' } },
      Status: { State: 'ready', Addr: '10.0.0.1' },
    } })
  }
  let t = 0
  for (const [s, svc] of services().entries()) {
    const TaskTemplate = { ContainerSpec: { Image: 'busybox:1', Env: ['A=1'] }, RestartPolicy: { Condition: 'any' } }
    const serviceId = id('svc', s)
    const UpdateConfig = { Parallelism: 50, Delay: 0, Monitor: 1e9, FailureAction: 'pause', Order: 'stop-first' }
    objects.push({ kind: 'service', obj: { ID: serviceId, ...meta, Spec: { Name: svc.name, TaskTemplate, UpdateConfig, Mode: { Replicated: { Replicas: svc.replicas } } } } })
    for (let slot = 1; slot <= svc.replicas; slot++, t++) {
      objects.push({ kind: 'task', obj: {
        ID: id('task', t) + serviceId, ...meta, Labels: {}, Spec: structuredClone(TaskTemplate), ServiceID: serviceId, Slot: slot,
        NodeID: id('node', t % NODES), Status: { Timestamp: at, State: 'running', Message: 'started' },
        DesiredState: 'running', SpecVersion: { Index: 1 }, HostPorts: [],
      } })
    }
  }
  for (let i = 0; i < objects.length; i += 10_000) await store.createAll(objects.slice(i, i + 10_000))
}

// The engines' stand-in: moves assigned tasks to running and stopping ones to shutdown, ENGINE_MS later.
function engines(store, modify) {
  const busy = new Set()
  return store.watch((e) => {
    if (e.kind !== 'task' || !e.object || busy.has(e.id)) return
    const t = e.object
    const run = t.Status.State === 'assigned' && t.DesiredState === 'running'
    const halt = t.DesiredState !== 'running' && t.NodeID && !['shutdown', 'failed', 'complete', 'rejected', 'orphaned', 'remove'].includes(t.Status.State)
    if (!run && !halt) return
    busy.add(e.id)
    setTimeout(() => {
      modify(store, 'task', e.id, (x) => {
        x.Status = { ...x.Status, State: run ? 'running' : 'shutdown', Message: run ? 'started' : 'shutdown', Timestamp: new Date().toISOString() }
      }).catch((err) => console.error(err.message)).finally(() => busy.delete(e.id))
    }, ENGINE_MS)
  })
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tsw-update-bench-'))
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, [
    `export { Orchestrator, Updater } from ${JSON.stringify(join(SRC, 'lib/orchestrator/index.ts'))}`,
    `export { SchedulerLoop } from ${JSON.stringify(join(SRC, 'lib/scheduler/loop.ts'))}`,
    `export { SqliteStore, modify } from ${JSON.stringify(join(SRC, 'lib/store/index.ts'))}`,
    existsSync(join(SRC, 'lib/store/cache.ts')) ? `export { StoreCache } from ${JSON.stringify(join(SRC, 'lib/store/cache.ts'))}` : 'export const StoreCache = undefined',
  ].join('\n'))
  const bundle = join(dir, 'loops.mjs')
  const { build } = await import('esbuild')
  await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error',
    nodePaths: [join(ROOT, 'node_modules')], external: ['better-sqlite3', 'dockerode', 'etcd3', 'ssh2', 'cpu-features'],
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href) },
  })
  const { Orchestrator, Updater, SchedulerLoop, SqliteStore, StoreCache, modify } = await import(pathToFileURL(bundle).href)
  try {
    const store = new SqliteStore(':memory:')
    await fill(store)
    const log = (m) => console.error(m)
    // As a leader term makes it (older sources take no indexes and ignore them).
    const cache = StoreCache && new StoreCache({
      store, kinds: ['service', 'task', 'node', 'network'], log,
      indexes: [{ kind: 'task', field: 'ServiceID' }, { kind: 'task', field: 'NodeID' }],
    })
    cache?.start()
    const unwatch = engines(store, modify)
    const loops = [new Orchestrator({ store, log, cache }), new SchedulerLoop({ store, log, cache }), new Updater({ store, log, cache })]
    loops.forEach((l) => l.start())
    await sleep(3000) // first passes, nothing to do
    const big = (await store.list('service')).find((s) => s.Spec.Name === 'big')
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    const now = new Date().toISOString()
    await modify(store, 'service', big.ID, (s) => {
      s.PreviousSpec = s.Spec
      s.Spec = { ...s.Spec, TaskTemplate: { ...s.Spec.TaskTemplate, ContainerSpec: { ...s.Spec.TaskTemplate.ContainerSpec, Image: 'busybox:2' } } }
      s.UpdateStatus = { State: 'updating', StartedAt: now, Message: 'update in progress' }
    })
    let state = 'updating'
    let replaced = 0
    while (performance.now() - t0 < TIMEOUT_S * 1000) {
      await sleep(250)
      state = (await store.get('service', big.ID)).UpdateStatus?.State
      if (state !== 'updating') break
    }
    const seconds = (performance.now() - t0) / 1000
    replaced = (await store.list('task')).filter((t) => t.ServiceID === big.ID && t.Spec.ContainerSpec.Image === 'busybox:2' && t.Status.State === 'running').length
    const cpu = process.cpuUsage(cpu0)
    console.log(`rolling update, node ${process.version}, ${NODES} nodes, ${TASKS}-task service + ${OTHER} other tasks, parallelism 50, monitor 1 s, in-memory SQLite; load average ${loadavg()[0].toFixed(1)}`)
    console.log(`${state} after ${seconds.toFixed(1)} s: ${replaced} tasks replaced, ${(replaced / seconds).toFixed(1)} a second; CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`)
    loops.forEach((l) => l.stop())
    unwatch()
    cache?.stop()
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
