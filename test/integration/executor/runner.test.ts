// TaskRunner against the lab's real engines. Only containers labelled with this
// file's own cluster id are touched, and all of them are removed afterwards.

import { randomBytes } from 'node:crypto'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectEngine, type EngineConnection } from '../../../src/lib/engine/index.js'
import { NotFoundError, UnavailableError } from '../../../src/lib/errors/index.js'
import {
  containerConfig, TaskRunner, type ContainerEvent, type EventWatch, type LogLine,
} from '../../../src/lib/executor/index.js'
import type { Task } from '../../../src/lib/types/index.js'
import { docker, tcpEngine, waitFor } from '../../helpers/lab.js'

const IMAGE = '10.213.0.1:5000/busybox:1'
const CLUSTER = `exectest${randomBytes(4).toString('hex')}`
// Exits at once on SIGTERM (busybox sleep as PID 1 would ignore it).
const LOOP = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done']

const conns: EngineConnection[] = []
const runners: TaskRunner[] = []
const watches: EventWatch[] = []
const logs: string[] = []
const events: ContainerEvent[] = []
const localTags: Array<{ engine: number; name: string }> = []

let seq = 0
/** A task of service "exec<suffix>" running command. */
function task(command: string[], slot?: number): Task {
  const id = `t${randomBytes(6).toString('hex')}${seq++}`
  return {
    ID: id,
    Version: { Index: 1 },
    CreatedAt: new Date().toISOString(),
    UpdatedAt: new Date().toISOString(),
    Labels: {},
    Spec: { ContainerSpec: { Image: IMAGE, Command: command, StopGracePeriod: 1e9 } },
    ServiceID: 'svcexec',
    Slot: slot ?? seq,
    NodeID: 'nodeexec',
    Status: { Timestamp: new Date().toISOString(), State: 'assigned', Message: '' },
    DesiredState: 'running',
  }
}

function config(t: Task, serviceName = `exec${CLUSTER.slice(-4)}`) {
  return containerConfig({ task: t, serviceName, serviceId: t.ServiceID, clusterId: CLUSTER, nodeId: 'nodeexec', hostPorts: [] })
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

let r1: TaskRunner
let r2: TaskRunner

beforeAll(async () => {
  for (const i of [1, 2, 3]) {
    const conn = await connectEngine({ URL: tcpEngine(i) })
    conns.push(conn)
    runners.push(new TaskRunner(conn, CLUSTER, (m) => logs.push(m)))
  }
  ;[r1, r2] = runners as [TaskRunner, TaskRunner]
  const watch = r1.watchEvents((e) => events.push(e))
  watches.push(watch)
  await watch.ready
})

afterAll(async () => {
  for (const w of watches) w.stop()
  for (const runner of runners) {
    for (const c of await runner.listTaskContainers().catch(() => [])) await runner.remove(c.containerId).catch(() => {})
  }
  for (const { engine, name } of localTags) await docker(engine, 'rmi', name)
  for (const conn of conns) conn.close()
})

describe('TaskRunner on a lab engine', () => {
  it('pulls, creates and starts a task container with all its labels', async () => {
    await r1.pullImage(IMAGE)
    const t = task(LOOP, 1)
    const cfg = config(t)
    const { containerId } = await r1.createAndStart(cfg)
    const status = await r1.inspect(containerId)
    expect(status).toMatchObject({ containerId, name: cfg.name, state: 'running', exitCode: 0, error: '' })
    expect(status.pid).toBeGreaterThan(0)
    expect(status.startedAt).toMatch(/^\d{4}-/)
    expect(status.labels).toMatchObject({
      'com.docker.swarm.task': '',
      'com.docker.swarm.task.id': t.ID,
      'com.docker.swarm.task.name': cfg.name,
      'com.docker.swarm.node.id': 'nodeexec',
      'com.docker.swarm.service.id': 'svcexec',
      'com.docker.swarm.service.name': cfg.name.split('.')[0],
      'io.tsw.cluster.id': CLUSTER,
    })
    // What the engine itself says.
    const seen = await docker(1, 'inspect', '--format', '{{.State.Status}} {{.HostConfig.RestartPolicy.Name}} {{.Config.StopTimeout}}', containerId)
    expect(seen.stdout.trim()).toBe('running no 1')
    // Asking again for the same task adopts the container instead of failing.
    expect(await r1.createAndStart(cfg)).toEqual({ containerId })
  })

  it('explains a missing image and a command that cannot start', async () => {
    const err = await rejection(r1.pullImage('10.213.0.1:5000/nope:1'))
    expect(err).toBeInstanceOf(NotFoundError)
    expect(err.message).toBe('No such image: 10.213.0.1:5000/nope:1')

    const t = task(['/no/such/binary'])
    const startErr = await rejection(r1.createAndStart(config(t)))
    expect(startErr.message).toMatch(/^starting container failed: .*\/no\/such\/binary.*no such file or directory/)
    // The half-made container is gone.
    expect((await r1.listTaskContainers()).some((c) => c.taskId === t.ID)).toBe(false)
  })

  it('falls back to a local copy when the pull fails', async () => {
    await r2.pullImage(IMAGE)
    const name = `10.213.0.1:5000/tswexec-local-${CLUSTER}:1`
    const tagged = await docker(2, 'tag', IMAGE, name)
    expect(tagged.code, tagged.stderr).toBe(0)
    localTags.push({ engine: 2, name })
    const warnings: string[] = []
    await r2.pullImage(name, (w) => warnings.push(w))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(new RegExp(`^pull of ${name.replace(/[.]/g, '\\.')} failed \\(.*manifest unknown.*\\), using the local copy$`))
    // And the image is usable.
    const t = task(['true'])
    t.Spec.ContainerSpec.Image = name
    const { containerId } = await r2.createAndStart(config(t))
    await waitFor(async () => (await r2.inspect(containerId)).state === 'exited', 10_000, 'the container to exit')
  })

  it('reports start and die with the exit code, and lists the containers', async () => {
    const t = task(['sh', '-c', 'exit 3'])
    const { containerId } = await r1.createAndStart(config(t))
    const died = await waitFor(() => events.find((e) => e.containerId === containerId && e.action === 'die'), 10_000, 'die event')
    expect(died).toMatchObject({ taskId: t.ID, serviceId: 'svcexec', exitCode: 3 })
    expect(events.find((e) => e.containerId === containerId && e.action === 'start')).toMatchObject({ taskId: t.ID })
    const status = await r1.inspect(containerId)
    expect(status).toMatchObject({ state: 'exited', exitCode: 3, pid: 0 })

    const list = await r1.listTaskContainers()
    expect(list.find((c) => c.containerId === containerId)).toMatchObject({
      taskId: t.ID, serviceId: 'svcexec', nodeId: 'nodeexec', state: 'exited', exitCode: 3, name: config(t).name,
    })
    expect(list.some((c) => c.state === 'running')).toBe(true)
    expect(list.every((c) => c.labels['io.tsw.cluster.id'] === CLUSTER)).toBe(true)
  })

  it('stops and removes, tolerating containers already stopped or gone', async () => {
    const t = task(LOOP)
    const { containerId } = await r1.createAndStart(config(t))
    const started = Date.now()
    await r1.stop(containerId, 5)
    expect(Date.now() - started).toBeLessThan(4000) // the trap answered SIGTERM
    expect(await r1.inspect(containerId)).toMatchObject({ state: 'exited', exitCode: 0 })
    await r1.stop(containerId, 5)
    await r1.remove(containerId)
    await r1.remove(containerId)
    await r1.stop(containerId, 1)
    await expect(r1.inspect(containerId)).rejects.toBeInstanceOf(NotFoundError)
    await waitFor(() => events.find((e) => e.containerId === containerId && e.action === 'destroy'), 10_000, 'destroy event')
  })

  it('reads logs with tail and timestamps, and follows them', async () => {
    // Pauses between streams: the engine orders stdout and stderr lines only by their times.
    const t = task(['sh', '-c', 'for i in 1 2 3 4 5; do echo out$i; done; sleep 0.1; echo err1 >&2; sleep 0.1; printf partial'])
    const { containerId } = await r1.createAndStart(config(t))
    await waitFor(async () => (await r1.inspect(containerId)).state === 'exited', 10_000, 'the container to exit')

    const all: LogLine[] = await (await r1.logs(containerId)).toArray()
    expect(all).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => ({ stream: 'stdout', text: `out${i}` })),
      { stream: 'stderr', text: 'err1' },
      { stream: 'stdout', text: 'partial' },
    ])
    // The engine takes the tail over both streams, then drops stderr: out5, err1, partial → out5, partial.
    const tail: LogLine[] = await (await r1.logs(containerId, { tail: 3, timestamps: true, stdout: true, stderr: false })).toArray()
    expect(tail.map((l) => l.text)).toEqual(['out5', 'partial'])
    for (const l of tail) expect(l.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/)

    const ticker = task(['sh', '-c', 'trap "exit 0" TERM; i=0; while true; do i=$((i+1)); echo tick$i; sleep 0.2; done'])
    const tick = await r1.createAndStart(config(ticker))
    const followed = await r1.logs(tick.containerId, { follow: true, tail: 0 })
    const got: string[] = []
    for await (const line of followed) {
      got.push((line as LogLine).text)
      if (got.length === 3) break // ends the stream
    }
    expect(got).toHaveLength(3)
    for (const text of got) expect(text).toMatch(/^tick\d+$/)
    expect(followed.destroyed).toBe(true)
  })

  it('starts 10 containers concurrently, at most 5 at a time', async () => {
    const tasks = Array.from({ length: 10 }, () => task(LOOP))
    let peak = 0
    const poll = setInterval(() => { peak = Math.max(peak, r1.limiter.active) }, 5)
    const started = Date.now()
    const results = await Promise.all(tasks.map((t) => r1.createAndStart(config(t))))
    const ms = Date.now() - started
    clearInterval(poll)
    expect(new Set(results.map((r) => r.containerId)).size).toBe(10)
    expect(peak).toBeLessThanOrEqual(5)
    expect(peak).toBeGreaterThan(1)
    const list = await r1.listTaskContainers()
    for (const { containerId } of results) {
      expect(list.find((c) => c.containerId === containerId)?.state).toBe('running')
    }
    console.log(`10 containers created and started in ${ms} ms`)
    await Promise.all(results.map((r) => r1.remove(r.containerId)))
  })
})

describe('the event stream', () => {
  it('reconnects after the connection drops and replays what it missed', async () => {
    // A proxy to node01's engine that can drop its connections and refuse new ones.
    const sockets = new Set<net.Socket>()
    let down = false
    const proxy = net.createServer((client) => {
      if (down) { client.destroy(); return }
      const upstream = net.connect(2375, '10.213.0.11')
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('close', () => sockets.delete(s))
        s.on('error', () => {})
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const conn = await connectEngine({ URL: `tcp://127.0.0.1:${(proxy.address() as AddressInfo).port}` })
    const proxied = new TaskRunner(conn, CLUSTER, (m) => logs.push(m))
    const seen: ContainerEvent[] = []
    const connects: boolean[] = []
    const watch = proxied.watchEvents((e) => seen.push(e), { minBackoffMs: 50, maxBackoffMs: 200, onConnect: (again) => connects.push(again) })
    try {
      await watch.ready
      const a = await r1.createAndStart(config(task(['true'])))
      await waitFor(() => seen.find((e) => e.containerId === a.containerId && e.action === 'die'), 10_000, 'die of a')

      down = true
      for (const s of sockets) s.destroy()
      await waitFor(() => !watch.connected, 5000, 'the watch to notice')
      const b = await r1.createAndStart(config(task(['sh', '-c', 'exit 4'])))
      await waitFor(async () => (await r1.inspect(b.containerId)).state === 'exited', 10_000, 'b to exit')
      expect(seen.some((e) => e.containerId === b.containerId)).toBe(false)

      down = false
      const died = await waitFor(() => seen.find((e) => e.containerId === b.containerId && e.action === 'die'), 10_000, 'replayed die of b')
      expect(died?.exitCode).toBe(4)
      expect(connects).toEqual([false, true])
      // Events seen before the drop are not delivered twice.
      expect(seen.filter((e) => e.containerId === a.containerId && e.action === 'die')).toHaveLength(1)
      expect(logs.some((m) => m.includes('event stream lost'))).toBe(true)
    } finally {
      watch.stop()
      conn.close()
      for (const s of sockets) s.destroy()
      proxy.close()
    }
  })
})

describe('an engine that does not answer', () => {
  it('fails each call within its deadline instead of hanging', async () => {
    // A TCP server that accepts connections and never says anything.
    const sockets: net.Socket[] = []
    const server = net.createServer((s) => sockets.push(s))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const conn = await connectEngine({ URL: `tcp://127.0.0.1:${port}` })
    const silentLogs: string[] = []
    const runner = new TaskRunner(conn, CLUSTER, (m) => silentLogs.push(m), { callTimeoutMs: 300, pullIdleTimeoutMs: 300 })
    try {
      for (const call of [() => runner.inspect('x'), () => runner.listTaskContainers(), () => runner.stop('x', 0), () => runner.pullImage(IMAGE)]) {
        const started = Date.now()
        const err = await rejection(call())
        expect(err).toBeInstanceOf(UnavailableError)
        expect(Date.now() - started).toBeLessThan(2000)
      }
      const before = sockets.length
      const watch = runner.watchEvents(() => {}, { connectTimeoutMs: 200, minBackoffMs: 50, maxBackoffMs: 100 })
      // Every attempt is a new connection to the silent server: three of them are two that timed out and were retried.
      await waitFor(() => sockets.length >= before + 3, 5_000, 'three attempts to open the event stream', 20)
      expect(watch.connected).toBe(false)
      watch.stop()
      expect(silentLogs.some((m) => m.includes('cannot open the event stream'))).toBe(true)
    } finally {
      conn.close()
      for (const s of sockets) s.destroy()
      server.close()
    }
  })
})
