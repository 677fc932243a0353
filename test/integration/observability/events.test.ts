// Swarm events: GET /events as the docker CLI, tsw events and dockerode see them.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GATEWAY, LabSwarm, ROOT, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

interface Event { Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; scope: string; time: number; timeNano: number }

/** A long-running command whose output is collected. */
function follow(cmd: string, args: string[], env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout?.on('data', (c: Buffer) => (text += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (text += c.toString()))
  return { child, out: () => text }
}

/** Whether `actions` holds `wanted` in this order (other events may come between). */
function inOrder(lines: string[], wanted: RegExp[]): boolean {
  let i = 0
  for (const l of lines) if (i < wanted.length && wanted[i].test(l)) i++
  return i === wanted.length
}

describe('swarm events', () => {
  const swarm = new LabSwarm(2431)
  const dockerEnv = () => swarm.dockerEnv(1)
  const docker = (...args: string[]) => run('docker', args, dockerEnv())
  const followers: ChildProcess[] = []

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
  })
  afterAll(async () => {
    for (const c of followers) c.kill()
    await swarm.destroy()
  }, 120_000)

  it('docker events, tsw events and dockerode see a create, an update with its update state, a scale and a remove, in order', async () => {
    const dockerCli = follow('docker', ['events', '--filter', 'type=service', '--format', '{{json .}}'], dockerEnv())
    const tswCli = follow(process.execPath, [join(ROOT, 'bin/run.js'), 'events', '--filter', 'type=service'], { TSW_DATA_DIR: swarm.dir(1) })
    followers.push(dockerCli.child, tswCli.child)
    const tls = (f: string) => readFileSync(join(swarm.dir(1), 'tls', f), 'utf8')
    const api = new Dockerode({ host: GATEWAY, port: swarm.port, protocol: 'https', ca: tls('ca.pem'), cert: tls('cert.pem'), key: tls('key.pem') })
    const stream = await api.getEvents({ filters: { type: ['service'] } }) as NodeJS.ReadableStream & { destroy(): void }
    let fromDockerode = ''
    stream.on('data', (c: Buffer) => (fromDockerode += c.toString()))
    // The followers are connected once a first event reaches them: a service made just for that.
    expect((await swarm.tsw(1, 'service', 'create', '-d', '--name', 'warm', IMG, 'sleep', '1d')).code).toBe(0)
    await waitFor(() => [dockerCli.out(), tswCli.out(), fromDockerode].every((t) => t.includes('warm')), 15_000, 'every follower to see the first event')
    expect((await swarm.tsw(1, 'network', 'create', '-d', 'overlay', 'evnet')).code).toBe(0)

    expect((await swarm.tsw(1, 'service', 'create', '--name', 'ev', '--stop-grace-period', '1s', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await swarm.tsw(1, 'service', 'update', '--env-add', 'V=2', '--update-monitor', '200ms', 'ev')).code).toBe(0)
    expect((await swarm.tsw(1, 'service', 'scale', 'ev=3')).code).toBe(0)
    expect((await swarm.tsw(1, 'service', 'rm', 'ev')).code).toBe(0)

    const id = (await waitFor(() => /"Action":"create","Actor":\{"ID":"(\w+)","Attributes":\{"name":"ev"\}/.exec(dockerCli.out()), 10_000, 'the create event'))[1]
    const expected = [
      new RegExp(`service create ${id} \\(name=ev\\)$`),
      new RegExp(`service update ${id} \\(name=ev, updatestate\\.new=updating\\)$`),
      new RegExp(`service update ${id} \\(name=ev, updatestate\\.new=completed, updatestate\\.old=updating\\)$`),
      new RegExp(`service update ${id} \\(name=ev, replicas\\.new=3, replicas\\.old=1\\)$`),
      new RegExp(`service remove ${id} \\(name=ev\\)$`),
    ]
    const tswLines = await waitFor(() => {
      const lines = tswCli.out().split('\n')
      return lines.some((l) => l.includes(' service remove ')) && lines
    }, 15_000, 'tsw events to print the remove')
    expect(inOrder(tswLines, expected), tswCli.out()).toBe(true)
    // Each line starts with the time as docker prints it.
    expect(tswLines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(Z|[+-]\d\d:\d\d) service create /)

    const asLines = (text: string) => text.split('\n').filter(Boolean).map((l) => {
      const e = JSON.parse(l) as Event
      const attrs = Object.keys(e.Actor.Attributes).sort().map((k) => `${k}=${e.Actor.Attributes[k]}`).join(', ')
      return `${e.Type} ${e.Action} ${e.Actor.ID} (${attrs})`
    })
    await waitFor(() => dockerCli.out().includes('"Action":"remove"'), 10_000, 'docker events to print the remove')
    expect(inOrder(asLines(dockerCli.out()), expected), dockerCli.out()).toBe(true)
    const first = JSON.parse(dockerCli.out().split('\n')[0]) as Event
    expect(first.scope).toBe('swarm')
    expect(first.timeNano / 1e9).toBeCloseTo(first.time, -1)
    await waitFor(() => fromDockerode.includes('"Action":"remove"'), 10_000, 'dockerode to see the remove')
    stream.destroy()
    expect(inOrder(asLines(fromDockerode), expected), fromDockerode).toBe(true)
    // type=service: the network's event was not sent
    expect(dockerCli.out()).not.toContain('"Type":"network"')
  })

  it('--since and --until replay kept events and end; filters by event, node and network', async () => {
    const past = await swarm.tsw(1, 'events', '--since', '5m', '--until', '0s', '--filter', 'event=remove')
    expect(past.code).toBe(0)
    expect(past.stdout).toMatch(/^\S+ service remove \w+ \(name=ev\)\n$/)
    const nets = await docker('events', '--since', '5m', '--until', '0s', '--filter', 'network=evnet', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}')
    // Then updates: the manager's own writes (addresses handed out per node), as dockerd's allocator makes them.
    expect(nets.stdout).toMatch(/^network create evnet\n(network update evnet\n)*$/)
    expect((await swarm.tsw(1, 'node', 'update', '--availability', 'drain', 'node02')).code).toBe(0)
    const nodes = await waitFor(async () => {
      const r = await docker('events', '--since', '1m', '--until', '0s', '--filter', 'type=node', '--filter', 'node=node02')
      return r.stdout.includes('availability.new=drain') && r
    }, 10_000, 'the drain event')
    expect(nodes.stdout).toMatch(/ node update \w+ \(availability\.new=drain, availability\.old=active, name=node02\)\n/)
  })

  it('refuses a bad filter or time with the reason, exit code 1', async () => {
    const bad = await swarm.tsw(1, 'events', '--filter', 'colour=red', '--until', '0s')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("invalid filter 'colour'")
    const api = await swarm.api('GET', '/v1.41/events?since=yesterday')
    expect(api.status).toBe(400)
    expect(api.json.message).toContain('invalid value for "since"')
    const order = await swarm.api('GET', '/v1.41/events?since=200&until=100')
    expect(order.status).toBe(400)
    expect(order.json.message).toContain('cannot be after')
  })
})
