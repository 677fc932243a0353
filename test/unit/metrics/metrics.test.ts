import { describe, expect, it } from 'vitest'
import { ClusterEvents } from '../../../src/lib/events/index.js'
import { passObservers } from '../../../src/lib/metrics/hooks.js'
import { SwarmMetrics } from '../../../src/lib/metrics/index.js'
import { Reactor, SqliteStore } from '../../../src/lib/store/index.js'
import type { Task } from '../../../src/lib/types/index.js'
import { node, service, task } from '../orchestrator/fixtures.js'
import { parseMetrics, sample } from '../../helpers/prometheus.js'

describe('the manager\'s metrics', () => {
  it('counts nodes, tasks and services by state, times the store and the loops, and a task\'s way to running', async () => {
    const store = new SqliteStore(':memory:')
    const events = new ClusterEvents(store)
    await events.start()
    const metrics = new SwarmMetrics({ store, events, isLeader: () => true, now: () => 0 })
    const svc = await store.create('service', service('web', { replicas: 2 }))
    await store.create('node', node('n1'))
    await store.create('node', node('n2', { state: 'down' }))
    const created = Date.parse('2026-01-01T00:00:00Z')
    const t = await store.create<Task>('task', { ...task(svc, { state: 'pending' }), CreatedAt: new Date(created).toISOString() })
    await store.create<Task>('task', task(svc, { state: 'failed' }))
    await store.update<Task>('task', { ...t, Status: { ...t.Status, State: 'running', Timestamp: new Date(created + 1500).toISOString() } })
    const reactor = new Reactor({ store, name: 'orchestrator', wants: () => false, pass: async () => undefined, log: () => undefined })
    await reactor.run()
    await store.get('task', t.ID)

    const text = await metrics.metrics()
    const m = parseMetrics(text)
    expect(sample(m, 'swarm_manager_nodes', { state: 'ready' })).toBe(1)
    expect(sample(m, 'swarm_manager_nodes', { state: 'down' })).toBe(1)
    expect(sample(m, 'swarm_manager_tasks_total', { state: 'running' })).toBe(1)
    expect(sample(m, 'swarm_manager_tasks_total', { state: 'failed' })).toBe(1)
    expect(sample(m, 'swarm_manager_tasks_total', { state: 'pending' })).toBe(0)
    expect(sample(m, 'swarm_manager_services_total')).toBe(1)
    expect(sample(m, 'swarm_manager_leader')).toBe(1)
    const delay = m.get('swarm_dispatcher_scheduling_delay_seconds')!.metrics[0]
    expect(delay.count).toBe('1')
    expect(Number(delay.sum)).toBeCloseTo(1.5)
    // The parser folds labelled histograms into one: their counts are read from the lines.
    expect(m.get('swarm_store_write_tx_latency_seconds')?.type).toBe('HISTOGRAM')
    expect(Number(/^swarm_store_write_tx_latency_seconds_count\{kind="task"\} (\d+)$/m.exec(text)?.[1])).toBe(3)
    expect(Number(/^swarm_store_read_tx_latency_seconds_count\{kind="task"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1)
    expect(text).toMatch(/^tsw_reconcile_pass_duration_seconds_count\{loop="orchestrator"\} 1$/m)
    expect(m.has('process_cpu_seconds_total')).toBe(true)

    metrics.stop()
    expect(passObservers.size).toBe(0)
  })
})
