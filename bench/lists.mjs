#!/usr/bin/env node
// The API's list routes on a big swarm, in one process: an in-memory SQLite
// store holding NODES nodes and SERVICES services of REPLICAS running tasks,
// and the manager's own route handlers (GET /nodes, /services?status=true,
// /tasks, /tasks?filters={"service":...}, what `tsw node ls`, `service ls`,
// `service ps` send), each answer turned into JSON as the server sends it.
// Prints median and p99 of RUNS calls each. The manager's watch-kept cache is
// used when the sources have one (before: each call listed the store).
//
//   node bench/lists.mjs                    5k nodes, 1,000 services × 150 tasks
//   NODES=1000 SERVICES=100 REPLICAS=300 RUNS=20 node bench/lists.mjs
//   SRC=<other checkout>/src node bench/lists.mjs   another version's routes (before/after)
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = process.env.SRC ?? join(ROOT, 'src')
const NODES = Number(process.env.NODES ?? 5000)
const SERVICES = Number(process.env.SERVICES ?? 1000)
const REPLICAS = Number(process.env.REPLICAS ?? 150)
const RUNS = Number(process.env.RUNS ?? 10)

const at = '2026-01-01T00:00:00.000Z'
const meta = { Version: { Index: 1 }, CreatedAt: at, UpdatedAt: at }
const id = (prefix, i) => `${prefix}${String(i).padStart(5, '0')}`

async function fill(store) {
  const objects = [{ kind: 'swarm', obj: { ID: 'swarm0', ...meta, Spec: { Name: 'default' }, TLSInfo: { TrustRoot: 'x' } } }]
  for (let n = 0; n < NODES; n++) {
    objects.push({ kind: 'node', obj: {
      ID: id('node', n), ...meta, Spec: { Labels: {}, Role: n === 0 ? 'manager' : 'worker', Availability: 'active' },
      Description: { Hostname: `host-${n}`, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 8e9, MemoryBytes: 16e9 }, Engine: { EngineVersion: '28.0.0' } },
      Status: { State: 'ready', Addr: '10.0.0.1' },
    } })
  }
  let t = 0
  for (let s = 0; s < SERVICES; s++) {
    const TaskTemplate = { ContainerSpec: { Image: 'nginx:1.27', Env: ['A=1'] }, RestartPolicy: { Condition: 'any' } }
    const serviceId = id('svc', s)
    objects.push({ kind: 'service', obj: { ID: serviceId, ...meta, Spec: { Name: `s${s}`, TaskTemplate, Mode: { Replicated: { Replicas: REPLICAS } } } } })
    for (let slot = 1; slot <= REPLICAS; slot++, t++) {
      objects.push({ kind: 'task', obj: {
        ID: id('task', t) + serviceId, ...meta, Labels: {}, Spec: structuredClone(TaskTemplate), ServiceID: serviceId, Slot: slot,
        NodeID: id('node', t % NODES), Status: { Timestamp: at, State: 'running', Message: 'started' },
        DesiredState: 'running', SpecVersion: { Index: 1 }, HostPorts: [],
      } })
    }
  }
  for (let i = 0; i < objects.length; i += 10_000) await store.createAll(objects.slice(i, i + 10_000))
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tsw-lists-bench-'))
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, [
    `export { serviceRoutes } from ${JSON.stringify(join(SRC, 'lib/api/routes/services.ts'))}`,
    `export { nodeRoutes } from ${JSON.stringify(join(SRC, 'lib/api/routes/nodes.ts'))}`,
    `export { Router } from ${JSON.stringify(join(SRC, 'lib/api/router.ts'))}`,
    `export { SqliteStore } from ${JSON.stringify(join(SRC, 'lib/store/sqlite.ts'))}`,
    existsSync(join(SRC, 'lib/store/cache.ts')) ? `export { StoreCache } from ${JSON.stringify(join(SRC, 'lib/store/cache.ts'))}` : 'export const StoreCache = undefined',
  ].join('\n'))
  const bundle = join(dir, 'routes.mjs')
  const { build } = await import('esbuild')
  await build({
    entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error',
    nodePaths: [join(ROOT, 'node_modules')], external: ['better-sqlite3', 'dockerode', 'etcd3', 'ssh2', 'cpu-features'],
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'package.json')).href) },
  })
  const { serviceRoutes, nodeRoutes, Router, SqliteStore, StoreCache } = await import(pathToFileURL(bundle).href)
  try {
    const store = new SqliteStore(':memory:')
    await fill(store)
    // As the manager makes it (older sources ignore ctx.cache and list the store).
    const cache = StoreCache && new StoreCache({
      store, kinds: ['service', 'task', 'node', 'network'], resyncMs: 0,
      indexes: [{ kind: 'task', field: 'ServiceID' }, { kind: 'task', field: 'NodeID' }],
    })
    cache?.start()
    const ctx = { store, cache, membership: { isLeader: true, managers: async () => [] }, config: {} }
    const router = new Router()
    serviceRoutes(router, ctx)
    nodeRoutes(router, ctx)
    const call = async (path, query = '') => {
      const m = router.match('GET', path)
      const res = await m.route.handler({ method: 'GET', path, params: m.params, query: new URLSearchParams(query), body: undefined, raw: { headers: {} } })
      return JSON.stringify(res.body).length
    }
    await call('/nodes') // the cache's first load happens here
    const cases = [
      ['GET /nodes (node ls)', '/nodes', ''],
      ['GET /services?status=true (service ls)', '/services', 'status=true'],
      ['GET /tasks?filters={service} (service ps)', '/tasks', `filters=${encodeURIComponent(JSON.stringify({ service: { s7: true }, 'desired-state': { running: true } }))}`],
      ['GET /tasks (every task)', '/tasks', ''],
    ]
    console.log(`API list routes, node ${process.version}, ${NODES} nodes, ${SERVICES} services × ${REPLICAS} tasks, in-memory SQLite, routes of ${SRC === join(ROOT, 'src') ? 'this checkout' : SRC}; load average ${loadavg()[0].toFixed(1)}`)
    console.log(`route | median (ms) | p99 of ${RUNS} (ms) | answer (KiB)`)
    for (const [name, path, query] of cases) {
      const ms = []
      let size = 0
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now()
        size = await call(path, query)
        ms.push(performance.now() - t0)
      }
      ms.sort((a, b) => a - b)
      const p99 = ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.99) - 1)]
      console.log(`${name} | ${ms[ms.length >> 1].toFixed(0)} | ${p99.toFixed(0)} | ${(size / 1024).toFixed(0)}`)
    }
    console.log(`RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB; load average ${loadavg()[0].toFixed(1)}`)
    cache?.stop()
    await store.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
