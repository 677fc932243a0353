// Leaving cleanly: a swarm with an overlay service and a published port is
// left on every host, and each engine is back as it was before the swarm
// (containers, networks, the host's links and iptables); a second swarm on
// the same engines then runs the overlay walkthrough and a 2/2/2 classic
// spread, and node rm --force cleans its node's engine. The same when the
// first swarm's manager is SIGKILLed instead: the second swarm removes what
// the first left, and says so.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, hostIp, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const WEB = ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www']
const HOSTS = [1, 2, 3]

const inHost = (i: number, ...cmd: string[]) => run('nsenter', [`--net=/var/run/netns/tswn${i}`, ...cmd])
const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean).sort()

/** What a lab engine and its host hold: containers, engine networks, links, iptables rules (no counters), tsw-net images. */
async function engineState(i: number) {
  const [ps, nets, links, ipt, images] = await Promise.all([
    docker(i, 'ps', '-a', '--format', '{{.Names}}'),
    docker(i, 'network', 'ls', '--format', '{{.Name}}'),
    inHost(i, 'ip', '-o', 'link'),
    inHost(i, 'iptables-save'),
    docker(i, 'images', '-q', 'tsw-net'),
  ])
  return {
    containers: lines(ps.stdout),
    networks: lines(nets.stdout),
    links: lines(links.stdout).map((l) => l.split(': ')[1].split('@')[0]).sort(),
    iptables: lines(ipt.stdout).filter((l) => !l.startsWith('#')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')).sort(),
    helperImages: lines(images.stdout),
  }
}

/** Removes what any tsw swarm left on the lab (earlier test files), so the state read next is a plain host's. */
async function plainHosts(): Promise<void> {
  for (const i of HOSTS) {
    for (const label of ['io.tsw.cluster.id', 'io.tsw.network.helper', 'io.tsw.classic.cluster']) {
      const ids = lines((await docker(i, 'ps', '-aq', '--filter', `label=${label}`)).stdout)
      if (ids.length) await docker(i, 'rm', '-f', ...ids)
    }
    for (const n of lines((await docker(i, 'network', 'ls', '-q', '--filter', 'label=io.tsw.network.cluster')).stdout)) await docker(i, 'network', 'rm', n)
    const images = lines((await docker(i, 'images', '--format', '{{.Repository}}:{{.Tag}}', 'tsw-net')).stdout)
    if (images.length) await docker(i, 'rmi', ...images)
    await inHost(i, 'sh', '-c', [
      "for d in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^tswvx|^tswbr'); do ip link del $d; done",
      "for t in nat filter; do iptables-save -t $t | awk '/^-A / && $2 !~ /^TSW-/ && / -j TSW-/ {sub(/^-A /, \"-D \"); print}' | while read -r r; do iptables -t $t $r; done",
      "for c in $(iptables-save -t $t | awk -F'[: ]' '/^:TSW-/ {print $2}'); do iptables -t $t -F $c; iptables -t $t -X $c; done; done; true",
    ].join('\n'))
  }
}

/** GET / from the lab's gateway to host:port: the answering container's hostname, or ''. */
const getFromOutside = async (host: string, port: number) =>
  (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${host} ${port} | tail -1`])).stdout.trim()

/** Forms a swarm on the three engines; returns the outputs of init and of the two joins. */
async function form(swarm: LabSwarm): Promise<string[]> {
  const init = await swarm.init(['--dispatcher-heartbeat', '1s'])
  expect(init.code, init.stderr).toBe(0)
  const outs = [init.stdout]
  for (const i of [2, 3]) {
    const r = await swarm.join(i)
    expect(r.code, r.stderr).toBe(0)
    outs.push(r.stdout)
  }
  return outs
}

/** Uses a swarm as a new user would: an overlay network, a service on it over three engines, its published port. */
async function use(swarm: LabSwarm): Promise<void> {
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  expect((await tsw('network', 'create', '-d', 'overlay', 'app')).code).toBe(0)
  expect((await tsw('service', 'create', '-d', '--stop-grace-period', '1s', '--name', 'web', '--network', 'app', '--replicas', '3', '-p', '8000:80', IMG, ...WEB)).code).toBe(0)
  await waitFor(async () => (await swarm.running('web')).join() === '1,1,1', 40_000, 'web on every engine')
  await waitFor(async () => (await getFromOutside(hostIp(2), 8000)) !== '', 30_000, 'web answering on node02:8000')
}

/**
 * The seed's overlay walkthrough on a swarm, then a classic spread: a service
 * on an overlay with a given subnet over three engines, reached by name and on
 * its published port; a service pinned to node02 on another new overlay,
 * reached from node01; then, services gone, six plain containers 2/2/2.
 */
async function walkthrough(swarm: LabSwarm): Promise<void> {
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const svc = (...args: string[]) => tsw('service', 'create', '-d', '--stop-grace-period', '1s', ...args)
  const sh = async (i: number, service: string, script: string) => {
    const [id] = await swarm.containers(i, service)
    return (await docker(i, 'exec', id, 'sh', '-c', script)).stdout.trim()
  }
  const get = (i: number, service: string, host: string) => sh(i, service, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} 80 | tail -1`)

  expect((await tsw('network', 'create', '-d', 'overlay', '--subnet', '172.168.0.1/24', 'jevic-io')).code).toBe(0)
  expect((await svc('--name', 'walkweb', '--network', 'jevic-io', '--replicas', '3', '-p', '8080:80', IMG, ...WEB)).code).toBe(0)
  await waitFor(async () => (await swarm.running('walkweb')).join() === '1,1,1', 40_000, 'walkweb per node 1 1 1')
  const seen = new Set<string>()
  await waitFor(async () => {
    const a = await get(1, 'walkweb', 'walkweb')
    if (a) seen.add(a)
    return seen.size >= 3
  }, 30_000, 'walkweb by name answered by all three tasks', 50)
  await waitFor(async () => (await getFromOutside(hostIp(3), 8080)) !== '', 30_000, 'walkweb on node03:8080')

  expect((await tsw('network', 'create', '-d', 'overlay', 'pinned-net')).code).toBe(0)
  expect((await svc('--name', 'pinned', '--network', 'pinned-net', '--constraint', 'node.hostname==node02', IMG, ...WEB)).code).toBe(0)
  expect((await svc('--name', 'asker', '--network', 'pinned-net', '--constraint', 'node.hostname==node01', IMG, ...WEB)).code).toBe(0)
  await waitFor(async () => (await swarm.running('pinned')).join() === '0,1,0', 90_000, 'pinned running on node02')
  await waitFor(async () => (await swarm.running('asker')).join() === '1,0,0', 30_000, 'asker running on node01')
  const pinned = (await swarm.containers(2, 'pinned'))[0].slice(0, 12)
  await waitFor(async () => (await get(1, 'asker', 'pinned')) === pinned, 30_000, 'pinned reached by name from node01')

  for (const s of ['walkweb', 'pinned', 'asker']) expect((await tsw('service', 'rm', s)).code).toBe(0)
  await waitFor(async () => (await Promise.all(HOSTS.map((i) => swarm.containers(i, undefined, true)))).every((c) => c.length === 0), 30_000, 'service containers gone')

  const classic = (...args: string[]) => swarm.docker(1, ...args)
  for (let n = 0; n < 6; n++) expect((await classic('run', '-d', '--name', `spread${n}`, IMG, 'sleep', '1d')).code).toBe(0)
  const perHost = await Promise.all(HOSTS.map(async (i) => (await swarm.classicContainers(i)).length))
  expect(perHost).toEqual([2, 2, 2])
  for (const i of HOSTS) {
    const ids = await swarm.classicContainers(i)
    if (ids.length) await docker(i, 'rm', '-f', ...ids)
  }
}

describe('swarm leave on every host', () => {
  const first = new LabSwarm(2401)
  const second = new LabSwarm(2402)
  let before: Array<Awaited<ReturnType<typeof engineState>>> = []

  beforeAll(async () => {
    await plainHosts()
    before = await Promise.all(HOSTS.map(engineState))
    await form(first)
    await use(first)
  }, 180_000)
  afterAll(async () => {
    await first.destroy()
    await second.destroy()
  }, 120_000)

  it('puts every engine back as it was before the swarm', async () => {
    for (const i of [2, 3]) {
      const r = await first.tsw(i, 'swarm', 'leave')
      expect(r.stdout, r.stderr).toBe('Node left the swarm.\n')
    }
    const last = await first.tsw(1, 'swarm', 'leave', '--force')
    expect(last.stderr).toBe('')
    expect(last.stdout).toBe('Node left the swarm.\n')
    const after = await Promise.all(HOSTS.map(engineState))
    for (const i of HOSTS) expect(after[i - 1], `node0${i}`).toEqual(before[i - 1])
    expect(after.map((s) => s.helperImages)).toEqual([[], [], []])
  })

  it('a second swarm on the same engines finds nothing to remove and runs the walkthrough and a 2/2/2 spread', async () => {
    const outs = await form(second)
    expect(outs[1]).toBe('This node joined a swarm as a worker.\n')
    expect(outs[2]).toBe('This node joined a swarm as a worker.\n')
    await walkthrough(second)
  }, 240_000)

  it('node rm --force of a node whose engine answers puts that engine back too', async () => {
    expect((await docker(3, 'ps', '-q', '--filter', 'label=io.tsw.network.helper')).stdout.trim()).not.toBe('')
    const r = await second.tsw(1, 'node', 'rm', '--force', 'node03')
    expect(r.stdout, r.stderr).toBe('node03\n')
    expect(await engineState(3)).toEqual(before[2])
  })
})

describe('a second swarm after the first one\'s manager was SIGKILLed', () => {
  const first = new LabSwarm(2403)
  const second = new LabSwarm(2404)
  let before: Array<Awaited<ReturnType<typeof engineState>>> = []
  let firstId = ''

  beforeAll(async () => {
    await plainHosts()
    before = await Promise.all(HOSTS.map(engineState))
    await form(first)
    await use(first)
    firstId = first.clusterId()
    process.kill(first.managerPid(), 'SIGKILL')
  }, 180_000)
  afterAll(async () => {
    await first.destroy()
    await second.destroy()
  }, 120_000)

  it('removes what the first swarm left on each engine as it joins it, and says so', async () => {
    const outs = await form(second)
    const what = `engine tcp://10\\.213\\.0\\.1(\\d):2375 held pieces of another swarm \\(${firstId.slice(0, 12)}\\), removed: 1 task container; ` +
      `network helper tsw-net-${firstId.slice(0, 12)} with the host's tsw devices and iptables chains; networks (app, ingress|ingress, app)`
    outs.forEach((out, i) => expect(out).toMatch(new RegExp(`^${what.replace('(\\d)', String(i + 1))}$`, 'm')))
    expect(outs[0]).toMatch(/\nSwarm initialized: current node/)
    expect(outs[1]).toMatch(/\nThis node joined a swarm as a worker\.\n$/)
    // The manager's log says it too: init for its own engine, join for the others.
    const log = readFileSync(join(second.dir(1), 'manager/manager.log'), 'utf8')
    expect([...log.matchAll(new RegExp(` (init|join): ${what}$`, 'gm'))].map((m) => `${m[1]} ${m[2]}`)).toEqual(['init 1', 'join 2', 'join 3'])
    // The second swarm has made nothing yet: each engine is as it was before the first.
    const after = await Promise.all(HOSTS.map(engineState))
    for (const i of HOSTS) expect(after[i - 1], `node0${i}`).toEqual(before[i - 1])
  })

  it('runs the walkthrough and a 2/2/2 spread', async () => {
    await walkthrough(second)
  }, 240_000)
})
