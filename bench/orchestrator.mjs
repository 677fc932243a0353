#!/usr/bin/env node
// The idle passes of the control loops: an in-memory SQLite store holding a
// converged swarm (every task running on its node), and how long one
// orchestrator pass and one scheduler pass take when there is nothing to do.
// This is what every store change costs the manager, at rest. Then the busy
// case: 200 services of 100 replicas created at once on 1k nodes, timed until
// every task is assigned (the orchestrator writes the tasks, the scheduler
// places them and writes the assignments).
//
//   node bench/orchestrator.mjs             20k and 150k tasks
//   SRC=<dir> node bench/orchestrator.mjs   the loops of another checkout's src/ (before/after)
//   node bench/orchestrator.mjs converge    the busy case alone
//
// The sources are bundled with esbuild on the fly (no build step needed).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = process.env.SRC ?? join(ROOT, 'src')
const CASES = [
  { name: '20k tasks, 200 services, 1k nodes', nodes: 1000, services: 200, replicas: 100 },
  { name: '150k tasks, 1,000 services, 5k nodes', nodes: 5000, services: 1000, replicas: 150 },
]
const PASSES = 5

const at = '2026-01-01T00:00:00.000Z'
const meta = { Version: { Index: 1 }, CreatedAt: at, UpdatedAt: at }
const id = (prefix, i) => `${prefix}${String(i).padStart(5, '0')}`

async function fill(store, c) {
  const objects = []
  for (let n = 0; n < c.nodes; n++) {
    objects.push({ kind: 'node', obj: {
      ID: id('node', n), ...meta, Spec: { Labels: {}, Role: n === 0 ? 'manager' : 'worker', Availability: 'active' },
      Description: { Hostname: `host-${n}`, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 8e9, MemoryBytes: 16e9 }, Engine: { EngineVersion: '28.0.0' } },
      Status: { State: 'ready', Addr: '10.0.0.1' },
    } })
  }
  let t = 0
  for (let s = 0; s < c.services; s++) {
    const TaskTemplate = { ContainerSpec: { Image: 'nginx:1.27', Env: ['A=1'] }, RestartPolicy: { Condition: 'any' } }
    const serviceId = id('svc', s)
    objects.push({ kind: 'service', obj: { ID: serviceId, ...meta, Spec: { Name: `s${s}`, TaskTemplate, Mode: { Replicated: { Replicas: c.replicas } } } } })
    for (let slot = 1; slot <= c.replicas; slot++, t++) {
      objects.push({ kind: 'task', obj: {
        ID: id('task', t) + serviceId, ...meta, Labels: {}, Spec: structuredClone(TaskTemplate), ServiceID: serviceId, Slot: slot,
        NodeID: id('node', t % c.nodes), Status: { Timestamp: at, State: 'running', Message: 'started' },
        DesiredState: 'running', SpecVersion: { Index: 1 }, HostPorts: [],
      } })
    }
  }
  for (let i = 0; i < objects.length; i += 10_000) await store.createAll(objects.slice(i, i + 10_000))
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tsw-loop-bench-'))
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, [
    `export { Orchestrator } from ${JSON.stringify(join(SRC, 'lib/orchestrator/index.ts'))}`,
    `export { SchedulerLoop } from ${JSON.stringify(join(SRC, 'lib/scheduler/loop.ts'))}`,
    `export { SqliteStore } from ${JSON.stringify(join(SRC, 'lib/store/sqlite.ts'))}`,
    // One cache shared by the loops, as a leader term does (absent before the loops had one).
    existsSync(join(SRC, 'lib/store/cache.ts')) ? `export { StoreCache } from ${JSON.stringify(join(SRC, 'lib/store/cache.ts'))}` : 'export const StoreCache = undefined',
  ].join('\n'))
  const bundle = join(dir, 'loops.mjs')
  const { build } = await import('esbuild')
  await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error',
    nodePaths: [join(ROOT, 'node_modules')], external: ['better-sqlite3', 'dockerode', 'etcd3', 'ssh2', 'cpu-features'],
    // The store's createRequire(import.meta.url) finds better-sqlite3 from the repository, not the temp dir.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href) },
  })
  const { Orchestrator, SchedulerLoop, SqliteStore, StoreCache } = await import(pathToFileURL(bundle).href)
  const cacheOf = (store) => StoreCache && new StoreCache({ store, kinds: ['service', 'task', 'node', 'network'] })
  try {
    console.log(`idle loop passes, node ${process.version}, in-memory SQLite store, median of ${PASSES}; load average ${loadavg()[0].toFixed(1)}`)
    console.log('case | orchestrator pass (ms) | scheduler pass (ms) | RSS (MiB)')
    for (const c of process.argv[2] === 'converge' ? [] : CASES) {
      const store = new SqliteStore(':memory:')
      await fill(store, c)
      const log = (m) => console.error(m)
      const cache = cacheOf(store)
      const orchestrator = new Orchestrator({ store, log, cache })
      const scheduler = new SchedulerLoop({ store, log, cache })
      orchestrator.start()
      scheduler.start()
      // The first passes (and any cache loading) happen here, then nothing changes.
      await new Promise((r) => setTimeout(r, 3000))
      const time = async (pass) => {
        const ms = []
        for (let i = 0; i < PASSES; i++) {
          const t0 = performance.now()
          await pass()
          ms.push(performance.now() - t0)
        }
        return ms.sort((a, b) => a - b)[PASSES >> 1]
      }
      const o = await time(() => orchestrator.reconcileAll())
      const s = await time(() => scheduler.scheduleAll())
      const changed = (await store.list('task')).filter((t) => t.Status.State !== 'running').length
      if (changed) throw new Error(`not idle: ${changed} tasks changed`)
      console.log(`${c.name} | ${o.toFixed(0)} | ${s.toFixed(0)} | ${Math.round(process.memoryUsage().rss / 2 ** 20)}`)
      orchestrator.stop()
      scheduler.stop()
      await store.close()
    }
    await converge(SqliteStore, Orchestrator, SchedulerLoop, cacheOf)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function converge(SqliteStore, Orchestrator, SchedulerLoop, cacheOf) {
  const c = { nodes: 1000, services: 200, replicas: 100 }
  const store = new SqliteStore(':memory:')
  await fill(store, { ...c, services: 0 })
  const log = (m) => console.error(m)
  const cache = cacheOf(store)
  const loops = [new Orchestrator({ store, log, cache }), new SchedulerLoop({ store, log, cache })]
  loops.forEach((l) => l.start())
  const t0 = performance.now()
  const want = c.services * c.replicas
  // Counted from the watch: listing 20k tasks every 100 ms would load the manager more than it does.
  const assignedIds = new Set()
  let done
  const all = new Promise((r) => { done = r })
  store.watch((e) => {
    if (e.kind === 'task' && e.object?.Status.State === 'assigned') assignedIds.add(e.id)
    if (assignedIds.size >= want) done()
  })
  const TaskTemplate = { ContainerSpec: { Image: 'nginx:1.27' } }
  await store.createAll(Array.from({ length: c.services }, (_, s) => ({ kind: 'service', obj: {
    ID: id('svc', s), ...meta, Spec: { Name: `s${s}`, TaskTemplate, Mode: { Replicated: { Replicas: c.replicas } } },
  } })))
  await Promise.race([all, new Promise((r) => setTimeout(r, 600_000).unref())])
  const assigned = assignedIds.size
  const seconds = (performance.now() - t0) / 1000
  console.log(`${c.services} services × ${c.replicas} replicas created on ${c.nodes} nodes → ${assigned} tasks assigned in ${seconds.toFixed(1)} s`)
  loops.forEach((l) => l.stop())
  await store.close()
}

await main()
