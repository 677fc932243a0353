import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { get, type IncomingMessage, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ClusterEvents } from '../../../src/lib/events/index.js'
import { serveObservability, SwarmMetrics } from '../../../src/lib/metrics/index.js'
import { SqliteStore } from '../../../src/lib/store/index.js'
import { pageHandler, pageToken } from '../../../src/lib/ui/index.js'
import { node, service, task } from '../orchestrator/fixtures.js'

const open = (url: string, headers: Record<string, string> = {}) => new Promise<IncomingMessage>((resolve, reject) => get(url, { headers }, resolve).on('error', reject))

describe('the cluster page', () => {
  let server: Server | undefined
  let metrics: SwarmMetrics | undefined
  const dir = mkdtempSync(join(tmpdir(), 'tsw-ui-'))
  afterEach(() => {
    server?.closeAllConnections()
    server?.close()
    metrics?.stop()
  })

  it('needs its token, then streams a snapshot and each event', async () => {
    const store = new SqliteStore(':memory:')
    const events = new ClusterEvents(store)
    await events.start()
    const svc = await store.create('service', service('web', { replicas: 1 }))
    await store.create('node', node('n1'))
    await store.create('task', task(svc, { node: 'n1', slot: 1 }))
    const token = pageToken(dir)
    expect(pageToken(dir)).toBe(token)
    expect(statSync(join(dir, 'ui.token')).mode & 0o777).toBe(0o600)
    metrics = new SwarmMetrics({ store, events, isLeader: () => true })
    server = await serveObservability('127.0.0.1:39431', metrics, pageHandler({ store, events, token, leader: async () => 'n1' }))
    const base = 'http://127.0.0.1:39431'

    expect((await open(`${base}/`)).statusCode).toBe(401)
    expect((await open(`${base}/ui/stream`, { cookie: 'tsw_page=nope' })).statusCode).toBe(401)
    const page = await open(`${base}/?token=${token}`)
    expect(page.statusCode).toBe(200)
    expect(page.headers['set-cookie']?.[0]).toBe(`tsw_page=${token}; HttpOnly; SameSite=Strict; Path=/`)
    page.resume()

    const stream = await open(`${base}/ui/stream`, { cookie: `tsw_page=${token}` })
    expect(stream.headers['content-type']).toBe('text/event-stream')
    let text = ''
    stream.on('data', (c: Buffer) => (text += c.toString()))
    const until = async (what: string) => {
      for (let i = 0; i < 100 && !text.includes(what); i++) await new Promise((r) => setTimeout(r, 20))
      return text
    }
    const first = await until('event: state')
    const state = JSON.parse(/event: state\ndata: (.*)\n/.exec(first)![1])
    expect(state.nodes).toEqual([{ ID: 'n1', Hostname: 'n1', State: 'ready', Availability: 'active', Role: 'worker', Leader: true }])
    expect(state.services).toEqual([{ ID: 'web', Name: 'web', Mode: 'replicated', Running: 1, Desired: 1, UpdateState: '' }])
    expect(state.tasks.map((t: { Name: string; NodeID: string; State: string }) => `${t.Name}@${t.NodeID} ${t.State}`)).toEqual(['web.1@n1 running'])
    await store.delete('service', 'web')
    expect(await until('event: swarm')).toMatch(/event: swarm\ndata: \{"Type":"service","Action":"remove","Actor":\{"ID":"web","Attributes":\{"name":"web"\}\}/)
    stream.destroy()
    expect((await open(`${base}/metrics`)).statusCode).toBe(200)
    expect((await open(`${base}/nothing`)).statusCode).toBe(404)
    rmSync(dir, { recursive: true, force: true })
  })
})
