#!/usr/bin/env node
// The store's write micro-bench: SqliteStore (src/lib/store/sqlite.ts) on a file in a
// temporary directory, synchronous=FULL as the manager runs it, task-sized objects.
// Prints writes a second and commits for writes issued one after another, all at once,
// and by 50 concurrent writers (each awaiting its own writes, as the loops do).
//
//   node bench/store.mjs               N=2000 writes a case
//   SRC=<dir> node bench/store.mjs     the store of another checkout's src/ (before/after)
//
// The sources are bundled with esbuild on the fly (no build step needed).
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const N = Number(process.env.N ?? 2000)
const tmp = mkdtempSync(join(tmpdir(), 'tsw-store-bench-'))

const { build } = await import('esbuild')
// Beside this file, so that better-sqlite3 resolves from the checkout's node_modules.
const bundle = join(ROOT, 'bench', `.store-bench-${process.pid}.mjs`)
await build({
  entryPoints: [join(process.env.SRC ?? join(ROOT, 'src'), 'lib/store/sqlite.ts')], bundle: true, format: 'esm', platform: 'node',
  outfile: bundle, logLevel: 'error', external: ['better-sqlite3'],
})
const { SqliteStore } = await import(pathToFileURL(bundle).href)
rmSync(bundle)

// A task as the store keeps it, about 1 KiB of JSON.
const task = (i) => ({
  ID: `task${String(i).padStart(8, '0')}`, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', ServiceID: 'svc0001', Slot: i, NodeID: `node${i % 1000}`,
  Spec: { ContainerSpec: { Image: 'nginx:alpine', Env: ['A=1', 'B=2'], Labels: { app: 'web' } }, RestartPolicy: { Condition: 'any' }, Placement: {} },
  Status: { State: 'running', Message: 'started', Timestamp: new Date().toISOString(), ContainerStatus: { ContainerID: 'c'.repeat(64), PID: 1234 } },
  DesiredState: 'running', Labels: { 'com.docker.stack.namespace': 'bench' },
})

async function timed(name, fn) {
  const store = new SqliteStore(join(tmp, `${name.replace(/\W+/g, '-')}.db`))
  const objs = []
  for (let i = 0; i < N; i++) objs.push(await store.create('task', task(i)))
  const commits0 = store.commitCount ?? NaN
  const start = process.hrtime.bigint()
  await fn(store, objs)
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const commits = (store.commitCount ?? NaN) - commits0
  await store.close()
  console.log(`| ${name} | ${N} | ${(ms / N).toFixed(3)} | ${Math.round((N / ms) * 1000)} | ${Number.isFinite(commits) ? commits : '—'} |`)
}

console.log(`# tsw store write bench: SQLite, synchronous=FULL, ${N} task updates a case; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log('| case | writes | ms a write | writes/s | commits |')
console.log('|---|---:|---:|---:|---:|')
await timed('one after another (each awaited)', async (s, objs) => {
  for (const o of objs) await s.update('task', { ...o, Status: { ...o.Status, State: 'shutdown' } }, o.Version.Index)
})
await timed('all at once', async (s, objs) => {
  await Promise.all(objs.map((o) => s.update('task', { ...o, Status: { ...o.Status, State: 'shutdown' } }, o.Version.Index)))
})
await timed('50 writers, each awaiting its writes', async (s, objs) => {
  const per = Math.ceil(objs.length / 50)
  await Promise.all(Array.from({ length: 50 }, async (_, w) => {
    for (const o of objs.slice(w * per, (w + 1) * per)) await s.update('task', { ...o, Status: { ...o.Status, State: 'shutdown' } }, o.Version.Index)
  }))
})
rmSync(tmp, { recursive: true, force: true })
