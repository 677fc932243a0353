#!/usr/bin/env node
// The scheduler micro-bench: the pure scheduleTasks (src/lib/scheduler) on
// synthetic clusters, no store, no engines. Each case runs in a child process
// of its own so its peak RSS is its own.
//
//   node bench/scheduler.mjs            every case, a table on stdout
//   node bench/scheduler.mjs 3          one case (by number)
//   RUNS=3 node bench/scheduler.mjs     median of 3 runs per case
//   SRC=<dir> node bench/scheduler.mjs  the scheduler of another checkout's src/ (before/after)
//
// The sources are bundled with esbuild on the fly (no build step needed).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The cases: nodes, services, tasks, and what the tasks ask for. */
const CASES = [
  { name: '100k tasks, 1 service, 1k nodes', nodes: 1000, services: 1, tasks: 100_000 },
  { name: '100k tasks, 100 services, 1k nodes', nodes: 1000, services: 100, tasks: 100_000 },
  { name: '150k tasks, 1,000 services, 5k nodes', nodes: 5000, services: 1000, tasks: 150_000 },
  {
    name: '150k tasks, 1,000 services, 5k nodes, constraints + spread over 10 zones', nodes: 5000, services: 1000, tasks: 150_000,
    constraints: true, spread: true,
  },
  {
    name: '50k tasks, 100 services, 5k nodes, 1 CPU reserved each, 1/3 with max 5 per node', nodes: 5000, services: 100, tasks: 50_000,
    reserve: true, maxReplicas: true,
  },
]

const meta = { Version: { Index: 1 }, CreatedAt: '2024-01-01T00:00:00Z', UpdatedAt: '2024-01-01T00:00:00Z' }
const id = (prefix, i, width) => `${prefix}${String(i).padStart(width, '0')}`

function makeNodes(c) {
  return Array.from({ length: c.nodes }, (_, i) => ({
    ID: id('node', i, 5), ...meta,
    Spec: { Labels: { zone: `z${i % 10}`, tier: i % 4 === 0 ? 'edge' : 'core' }, Role: i < 3 ? 'manager' : 'worker', Availability: 'active' },
    Description: {
      Hostname: `host-${i}`, Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 64e9, MemoryBytes: 256 * 1024 ** 3 }, Engine: { EngineVersion: '28.0.0' },
    },
    Status: { State: 'ready', Addr: '10.0.0.1' },
  }))
}

// Tasks come service by service, as the orchestrator creates them (and the store lists them).
function makePending(c) {
  const out = []
  const per = Math.floor(c.tasks / c.services)
  for (let s = 0; s < c.services; s++) {
    const serviceId = id('svc', s, 4)
    const placement = {}
    if (c.constraints && s % 2 === 0) placement.Constraints = [s % 4 === 0 ? 'node.labels.tier==core' : 'node.labels.tier!=core']
    if (c.spread && s % 3 !== 2) placement.Preferences = [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }]
    if (c.maxReplicas && s % 3 === 0) placement.MaxReplicas = 5
    const Resources = c.reserve ? { Reservations: { NanoCPUs: 1e9, MemoryBytes: 0 } } : undefined
    const Spec = { ContainerSpec: { Image: 'nginx' }, Resources, Placement: placement }
    for (let t = 0; t < per; t++) {
      out.push({
        task: {
          ID: `${serviceId}.${t}`, ...meta, Labels: {}, ServiceID: serviceId, Slot: t + 1, Spec,
          Status: { Timestamp: meta.CreatedAt, State: 'pending', Message: '' }, DesiredState: 'running',
        },
        hostPorts: [],
      })
    }
  }
  return out
}

async function runCase(n) {
  const c = CASES[n - 1]
  const { scheduleTasks } = await import(pathToFileURL(process.env.TSW_SCHED_BUNDLE).href)
  const nodes = makeNodes(c)
  const pending = makePending(c)
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  const r = scheduleTasks({ nodes, tasks: [], pending })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  const c1 = process.cpuUsage(c0)
  const cpuSeconds = (c1.user + c1.system) / 1e6
  const rssMiB = process.resourceUsage().maxRSS / 1024
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds, rssMiB, assigned: r.assigned.length, unassigned: r.unassigned.length }))
}

async function main() {
  const only = process.argv[2] ? [Number(process.argv[2])] : CASES.map((_, i) => i + 1)
  const runs = Number(process.env.RUNS ?? 1)
  const dir = mkdtempSync(join(tmpdir(), 'tsw-sched-bench-'))
  const bundle = join(dir, 'scheduler.mjs')
  const { build } = await import('esbuild')
  await build({ entryPoints: [join(process.env.SRC ?? join(ROOT, 'src'), 'lib/scheduler/index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: bundle, logLevel: 'error' })
  try {
    console.log(`scheduleTasks, node ${process.version}, ${runs} run(s) per case (median by time); load average ${loadavg()[0].toFixed(1)}`)
    console.log('case | time (s) | CPU (s) | decisions/s | peak RSS (MiB) | assigned | pending')
    for (const n of only) {
      const results = []
      for (let r = 0; r < runs; r++) {
        const out = execFileSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), '--case', String(n)], {
          env: { ...process.env, TSW_SCHED_BUNDLE: bundle }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
        })
        results.push(JSON.parse(out))
      }
      results.sort((a, b) => a.seconds - b.seconds)
      const m = results[Math.floor(results.length / 2)]
      const rate = Math.round((m.assigned + m.unassigned) / m.seconds)
      console.log(`${n}. ${CASES[n - 1].name} | ${m.seconds.toFixed(2)} | ${m.cpuSeconds.toFixed(2)} | ${rate.toLocaleString('en')} | ${Math.round(m.rssMiB)} | ${m.assigned} | ${m.unassigned}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--case') await runCase(Number(process.argv[3]))
else await main()
