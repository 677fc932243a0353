// Overlay networks and the routing mesh, on the lab's three engines: the seed
// walkthrough (an overlay with a given subnet, a service on it over three
// engines, reached by task IP, task name and service name), isolation between
// networks, a published port answering on every node, the client's address
// kept where the connection is served, removal refused while in use, pieces
// removed with the last task, a task moved off a stopped engine still reached
// by name, and a manager restart that keeps every network and address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GATEWAY, hostIp, lab, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
// A web server that answers with its container's hostname (the container ID) and logs clients.
const WEB = ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -vv -p 80 -h /www']

describe('overlay networks and the routing mesh', () => {
  const swarm = new LabSwarm(2378)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const svc = (...args: string[]) => tsw('service', 'create', '-d', '--stop-grace-period', '1s', ...args)

  /** A running container of `service` on lab host i. */
  const containerOf = async (i: number, service: string) => {
    const [id] = await swarm.containers(i, service)
    if (!id) throw new Error(`no running ${service} container on node0${i}`)
    return id
  }
  /** Runs a shell snippet in a container on lab host i. */
  const sh = (i: number, container: string, script: string) => swarm.dockerOn(i, 'exec', container, 'sh', '-c', script)
  /** GET / from inside a container: the answering container's hostname, or '' when nothing answered. */
  const getFrom = async (i: number, container: string, host: string, port = 80) =>
    (await sh(i, container, `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${host} ${port} | tail -1`)).stdout.trim()
  /** GET / from the lab's gateway (outside the swarm) to host:port. */
  const getFromOutside = async (host: string, port: number) =>
    (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${host} ${port} | tail -1`])).stdout.trim()
  /** The tasks of a service as the API has them. */
  const tasksOf = async (service: string) =>
    ((await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [service], 'desired-state': ['running'] }))}`)).json as Array<{
      ID: string; Slot?: number; NodeID: string; Status: { State: string }; NetworksAttachments?: Array<{ Network: { ID: string; Spec?: { Name: string } }; Addresses: string[] }>
    }>)
  const addressesOf = async (service: string, network: string) =>
    (await tasksOf(service)).filter((t) => t.Status.State === 'running')
      .map((t) => t.NetworksAttachments?.find((a) => a.Network.Spec?.Name === network)?.Addresses[0]?.split('/')[0] ?? '')

  beforeAll(async () => {
    expect((await swarm.init(['--dispatcher-heartbeat', '1s'])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(async () => {
    await lab('start-engine', '3')
    await swarm.destroy()
  }, 120_000)

  it('network create with a subnet; ls and inspect show it beside ingress', async () => {
    const created = await tsw('network', 'create', '-d', 'overlay', '--subnet', '172.168.0.1/24', 'jevic-io')
    expect(created.stderr).toBe('')
    expect(created.stdout.trim()).toMatch(/^[0-9a-z]{25}$/)
    const ls = await tsw('network', 'ls')
    expect(ls.stdout).toMatch(/^NETWORK ID +NAME +DRIVER +SCOPE\n/)
    expect(ls.stdout).toMatch(/^[0-9a-z]{12} +ingress +overlay +swarm$/m)
    expect(ls.stdout).toMatch(new RegExp(`^${created.stdout.trim().slice(0, 12)} +jevic-io +overlay +swarm$`, 'm'))
    const subnet = await tsw('network', 'inspect', '-f', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', 'jevic-io')
    expect(subnet.stdout.trim()).toBe('172.168.0.0/24')
  })

  it('a service on the overlay: three engines, reached across them by task IP, task name and service name', async () => {
    expect((await svc('--name', 'web', '--network', 'jevic-io', '--replicas', '3', IMG, ...WEB)).code).toBe(0)
    await waitFor(async () => (await swarm.running('web')).join() === '1,1,1', 40_000, 'web on every engine')
    const ips = await waitFor(async () => {
      const a = await addressesOf('web', 'jevic-io')
      return a.length === 3 && a.every(Boolean) ? a : undefined
    }, 10_000, 'task addresses')
    expect(new Set(ips).size).toBe(3)
    for (const ip of ips) expect(ip).toMatch(/^172\.168\.0\.\d+$/)
    const client = await containerOf(1, 'web')
    // Every task, by its address, from node01.
    const byIp = await waitFor(async () => {
      const answers = await Promise.all(ips.map((ip) => getFrom(1, client, ip)))
      return answers.every(Boolean) ? answers : undefined
    }, 20_000, 'every task answering by address')
    expect(new Set(byIp).size).toBe(3)
    // By task name (the container name of a task on node03).
    const far = (await tasksOf('web')).find((t) => t.NodeID !== undefined && t.Status.State === 'running' && t.Slot !== undefined &&
      t.NetworksAttachments?.[0]?.Addresses[0]?.split('/')[0] === ips.find((ip) => ip !== ips[0]))!
    const taskName = `web.${far.Slot}.${far.ID}`
    const ping = await sh(1, client, `ping -c 1 -W 2 ${taskName}`)
    expect(ping.stdout).toContain('1 packets received')
    // By service name: the virtual IP spreads connections over the tasks.
    const byName = new Set<string>()
    await waitFor(async () => {
      byName.add(await getFrom(1, client, 'web'))
      return byName.size >= 3
    }, 30_000, 'service name answered by all three tasks', 50)
    const tasks = await sh(1, client, 'nslookup tasks.web')
    for (const ip of ips) expect(tasks.stdout).toContain(ip)
  })

  it('containers on different overlay networks cannot reach each other', async () => {
    expect((await tsw('network', 'create', '--driver', 'overlay', 'other')).code).toBe(0)
    expect((await svc('--name', 'iso', '--network', 'other', '--constraint', 'node.hostname==node02', IMG, ...WEB)).code).toBe(0)
    await waitFor(async () => (await swarm.running('iso', [2]))[0] === 1, 30_000, 'iso running')
    const [isoIp] = await waitFor(async () => {
      const a = await addressesOf('iso', 'other')
      return a[0] ? a : undefined
    }, 10_000, 'iso address')
    const [webIp] = await addressesOf('web', 'jevic-io')
    const web = await containerOf(2, 'web')
    const iso = await containerOf(2, 'iso')
    // Same engine, different networks: still apart.
    expect(await getFrom(2, iso, isoIp)).not.toBe('')
    expect(await getFrom(2, web, isoIp)).toBe('')
    expect(await getFrom(2, iso, webIp)).toBe('')
  })

  it('network rm of a network in use is refused and changes nothing', async () => {
    const r = await tsw('network', 'rm', 'jevic-io')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/network jevic-io is in use by service web/)
    expect((await tsw('network', 'ls', '-q', '--filter', 'name=jevic-io')).stdout.trim()).not.toBe('')
  })

  it('the last task of a network leaving an engine takes the network off it; rm then works', async () => {
    const bridges = async (i: number) => (await swarm.dockerOn(i, 'network', 'ls', '--format', '{{.Name}}')).stdout
    await waitFor(async () => (await bridges(2)).includes('other'), 10_000, 'other on node02')
    expect((await tsw('service', 'rm', 'iso')).code).toBe(0)
    await waitFor(async () => !(await bridges(2)).includes('other'), 30_000, 'other gone from node02')
    const vx = await run('nsenter', ['--net=/var/run/netns/tswn2', 'ip', '-o', 'link', 'show', 'type', 'vxlan'])
    expect(vx.stdout).toContain('tswvx4097') // jevic-io stays: web still runs there
    expect(vx.stdout).not.toContain('tswvx4098')
    expect((await tsw('network', 'rm', 'other')).code).toBe(0)
  })

  it('routing mesh: a global service\'s published port answers on one node from different containers', async () => {
    expect((await svc('--name', 'mesh', '--mode', 'global', '-p', '8000:80', IMG, ...WEB)).code).toBe(0)
    await waitFor(async () => (await swarm.running('mesh')).join() === '1,1,1', 40_000, 'mesh on every engine')
    const seen = new Set<string>()
    await waitFor(async () => {
      const answer = await getFromOutside(hostIp(1), 8000)
      if (answer) seen.add(answer)
      return seen.size >= 3
    }, 30_000, 'three containers answering on node01:8000', 50)
  })

  it('a published port answers on nodes without a task; the task sees the client where it is served', async () => {
    expect((await svc('--name', 'solo', '-p', '8001:80', '--constraint', 'node.hostname==node02', IMG, ...WEB)).code).toBe(0)
    await waitFor(async () => (await swarm.running('solo', [2]))[0] === 1, 30_000, 'solo running')
    const solo = await containerOf(2, 'solo')
    const answers = await waitFor(async () => {
      const a = await Promise.all([1, 2, 3].map((i) => getFromOutside(hostIp(i), 8001)))
      return a.every((x) => x === solo.slice(0, 12)) ? a : undefined
    }, 30_000, 'solo answering on every node')
    expect(answers).toHaveLength(3)
    const logs = (await swarm.dockerOn(2, 'logs', solo)).stderr + (await swarm.dockerOn(2, 'logs', solo)).stdout
    // Served on node02 itself: the client's own address (the lab gateway).
    expect(logs).toContain(`[::ffff:${GATEWAY}]`)
  })

  it('a task moved off a stopped engine is still reached by service name', async () => {
    const client = await containerOf(1, 'web')
    await lab('kill-engine', '3')
    await waitFor(async () => (await swarm.running('web', [1, 2])).reduce((a, b) => a + b, 0) === 3, 60_000, 'web back to 3 on node01+node02')
    const current = new Set([...(await swarm.containers(1, 'web')), ...(await swarm.containers(2, 'web'))].map((id) => id.slice(0, 12)))
    const seen = new Set<string>()
    await waitFor(async () => {
      const a = await getFrom(1, client, 'web')
      if (a) seen.add(a)
      return [...current].every((id) => seen.has(id))
    }, 30_000, 'every current web task answering by name', 50)
  })

  it('a manager restart keeps every network, virtual IP and task address', async () => {
    const before = {
      networks: (await tsw('network', 'ls', '--no-trunc', '-q')).stdout.split('\n').sort().join(),
      vip: (await swarm.api('GET', '/v1.41/services/web')).json.Endpoint.VirtualIPs,
      ips: (await addressesOf('web', 'jevic-io')).sort().join(),
    }
    process.kill(swarm.managerPid(), 'SIGKILL')
    swarm.restartManager()
    await waitFor(async () => (await tsw('network', 'ls', '--no-trunc', '-q')).code === 0, 20_000, 'manager back')
    expect((await tsw('network', 'ls', '--no-trunc', '-q')).stdout.split('\n').sort().join()).toBe(before.networks)
    expect((await swarm.api('GET', '/v1.41/services/web')).json.Endpoint.VirtualIPs).toEqual(before.vip)
    expect((await addressesOf('web', 'jevic-io')).sort().join()).toBe(before.ips)
    const client = await containerOf(1, 'web')
    await waitFor(async () => (await getFrom(1, client, 'web')) !== '', 20_000, 'web by name after the restart')
  })
})
