import { describe, it, expect } from 'vitest'
import { scheduleTasks, type SchedTask } from '../../../src/lib/scheduler/index.js'
import type { Node, Task } from '../../../src/lib/types/index.js'
import { node, task, type TaskOpts } from './build.js'
import { scheduleTasks as reference } from './reference/scheduler.js'

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A random cluster: nodes with zones, racks, roles and sizes; tasks already running; pending tasks of a few services. */
function cluster(seed: number): { nodes: Node[]; existing: Task[]; pending: SchedTask[] } {
  const rnd = random(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]
  const nodes = Array.from({ length: 1 + Math.floor(rnd() * 12) }, (_, i) => node(`n${String(i).padStart(2, '0')}`, {
    labels: rnd() < 0.85 ? { zone: pick(['a', 'b', 'c']), ...(rnd() < 0.7 ? { rack: pick(['r1', 'r2']) } : {}) } : {},
    role: rnd() < 0.3 ? 'manager' : 'worker',
    cpus: pick([1, 2, 4]),
    availability: rnd() < 0.1 ? 'drain' : 'active',
    state: rnd() < 0.05 ? 'down' : 'ready',
  }))
  const specs: Array<{ service: string; o: TaskOpts }> = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, s) => ({
    service: `s${s}`,
    o: {
      ...(rnd() < 0.5 ? { spread: pick([['node.labels.zone'], ['node.labels.zone', 'node.labels.rack'], ['node.labels.rack'], ['node.id']]) } : {}),
      ...(rnd() < 0.3 ? { constraints: [pick(['node.role==worker', 'node.labels.zone!=a', 'node.role==manager'])] } : {}),
      ...(rnd() < 0.3 ? { maxReplicas: 1 + Math.floor(rnd() * 3) } : {}),
      ...(rnd() < 0.3 ? { cpus: pick([0.5, 1]) } : {}),
      ...(rnd() < 0.15 ? { hostPorts: [{ TargetPort: 80, PublishedPort: 8000 + s, PublishMode: 'host' as const }] } : {}),
    },
  }))
  const existing = Array.from({ length: Math.floor(rnd() * 20) }, (_, i) => {
    const { service, o } = pick(specs)
    return task(`old.${i}`, service, { ...o, nodeId: pick(nodes).ID, desired: rnd() < 0.1 ? 'shutdown' : 'running' })
  })
  // Services interleaved, with a second spec now and then (a service mid-update), and a global task or two.
  const pending: SchedTask[] = Array.from({ length: Math.floor(rnd() * 60) }, (_, i) => {
    const { service, o } = pick(specs)
    const opts = rnd() < 0.1 ? { ...o, cpus: 0.25 } : rnd() < 0.05 ? { ...o, nodeId: pick(nodes).ID, state: 'pending' as const } : o
    return { task: task(`${service}.p${i}`, service, opts) }
  })
  return { nodes, existing, pending }
}

describe('scheduleTasks: the same decisions as the scan it replaced', () => {
  it('places every task of 500 random clusters on the same node, with the same reasons', () => {
    let unassigned = 0
    for (let seed = 1; seed <= 500; seed++) {
      const c = cluster(seed)
      const input = { nodes: c.nodes, tasks: c.existing, pending: c.pending }
      const fast = scheduleTasks(input)
      expect(fast, `seed ${seed}`).toEqual(reference(input))
      unassigned += fast.unassigned.length
    }
    expect(unassigned).toBeGreaterThan(100) // failure texts were compared too
  })
  it('places the same with many nodes and groups (spread on zone and rack, constraints, reservations)', () => {
    const rnd = random(42)
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${String(i).padStart(3, '0')}`, {
      labels: { zone: `z${Math.floor(rnd() * 5)}`, rack: `r${Math.floor(rnd() * 4)}` }, cpus: 1 + Math.floor(rnd() * 4),
    }))
    const pending: SchedTask[] = []
    for (let i = 0; i < 3000; i++) {
      const s = Math.floor(rnd() * 20)
      const o: TaskOpts = s % 3 === 0 ? { spread: ['node.labels.zone', 'node.labels.rack'] } : s % 3 === 1 ? { spread: ['node.labels.zone'], cpus: 1 } : { constraints: ['node.labels.zone!=z0'] }
      pending.push({ task: task(`s${s}.${i}`, `s${s}`, o) })
    }
    const input = { nodes, tasks: [], pending }
    const fast = scheduleTasks(input)
    expect(fast).toEqual(reference(input))
    expect(fast.unassigned.length).toBeGreaterThan(0) // the reservations ran out: failure texts compared too
  })
})
