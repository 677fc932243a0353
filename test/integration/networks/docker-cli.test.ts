// The docker CLI's network commands against the manager, dnsrr service
// discovery, and an engine joining later: it gets the networks and the routing
// mesh without the other nodes' traffic being disturbed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostIp, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const WEB = ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www']

describe('docker network commands, dnsrr, and a late joiner', () => {
  const swarm = new LabSwarm(2379)
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  const getFromOutside = async (host: string, port: number) =>
    (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${host} ${port} | tail -1`])).stdout.trim()

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('docker network create/ls/inspect/rm through the manager', async () => {
    const bridge = await docker('network', 'create', 'plain')
    expect(bridge.code).toBe(1)
    expect(bridge.stderr).toContain('only "overlay" networks span the swarm')
    const created = await docker('network', 'create', '-d', 'overlay', '--subnet', '10.50.0.0/24', '--label', 'team=web', 'backend')
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const ls = await docker('network', 'ls', '--filter', 'label=team=web', '--format', '{{.Name}} {{.Driver}} {{.Scope}}')
    expect(ls.stdout.trim()).toBe('backend overlay swarm')
    const inspect = await docker('network', 'inspect', '-f', '{{.Name}} {{(index .IPAM.Config 0).Subnet}} {{.Labels.team}}', 'backend')
    expect(inspect.stdout.trim()).toBe('backend 10.50.0.0/24 web')
    const clash = await docker('network', 'create', '-d', 'overlay', '--subnet', '10.50.0.128/25', 'clash')
    expect(clash.code).toBe(1)
    expect(clash.stderr).toMatch(/overlaps/)
    const rm = await docker('network', 'rm', 'backend')
    expect(rm.code).toBe(0)
    expect((await docker('network', 'ls', '-q', '--filter', 'name=backend')).stdout.trim()).toBe('')
  })

  it('docker service create --network with dnsrr: the name gives every task\'s address', async () => {
    expect((await docker('network', 'create', '-d', 'overlay', 'disc')).code).toBe(0)
    const r = await docker('service', 'create', '-d', '--name', 'rr', '--network', 'disc', '--endpoint-mode', 'dnsrr',
      '--replicas', '2', '--stop-grace-period', '1s', IMG, ...WEB)
    expect(r.code).toBe(0)
    const c = await docker('service', 'create', '-d', '--name', 'probe', '--network', 'disc', '--constraint', 'node.hostname==node01',
      '--stop-grace-period', '1s', IMG, 'sleep', '1d')
    expect(c.code).toBe(0)
    await waitFor(async () => (await swarm.running('rr', [1, 2])).reduce((a, b) => a + b, 0) === 2 && (await swarm.running('probe', [1]))[0] === 1,
      40_000, 'rr and probe running')
    const tasks = (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: ['rr'], 'desired-state': ['running'] }))}`)).json as Array<{
      NetworksAttachments: Array<{ Addresses: string[] }>
    }>
    const ips = tasks.map((t) => t.NetworksAttachments[0].Addresses[0].split('/')[0]).sort()
    const [probe] = await swarm.containers(1, 'probe')
    await waitFor(async () => {
      const out = (await swarm.dockerOn(1, 'exec', probe, 'nslookup', 'rr')).stdout
      return ips.every((ip) => out.includes(ip))
    }, 20_000, 'rr resolving to both tasks')
    // No virtual IP in dnsrr mode.
    expect((await swarm.api('GET', '/v1.41/services/rr')).json.Endpoint.VirtualIPs).toBeUndefined()
  })

  it('an engine that joins later answers on the published port and takes tasks of the network', async () => {
    expect((await docker('service', 'create', '-d', '--name', 'pub', '-p', '8080:80', '--replicas', '2', '--stop-grace-period', '1s', IMG, ...WEB)).code).toBe(0)
    await waitFor(async () => (await getFromOutside(hostIp(1), 8080)) !== '', 40_000, 'pub answering on node01')
    // node01's traffic keeps flowing while node03 joins: a steady stream of requests sees no failure.
    let failures = 0
    let stop = false
    const stream = (async () => {
      while (!stop) if (!(await getFromOutside(hostIp(1), 8080))) failures++
    })()
    expect((await swarm.join(3)).code).toBe(0)
    await waitFor(async () => (await getFromOutside(hostIp(3), 8080)) !== '', 30_000, 'pub answering on node03, which runs no task of it')
    expect((await docker('service', 'scale', '-d', 'rr=3')).code).toBe(0)
    await waitFor(async () => (await swarm.running('rr', [3]))[0] === 1, 30_000, 'an rr task on node03')
    const [probe] = await swarm.containers(1, 'probe')
    const tasks = (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: ['rr'], node: ['node03'], 'desired-state': ['running'] }))}`)).json as Array<{
      NetworksAttachments: Array<{ Addresses: string[] }>
    }>
    const ip = tasks[0].NetworksAttachments[0].Addresses[0].split('/')[0]
    await waitFor(async () => (await swarm.dockerOn(1, 'exec', probe, 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} 80 | tail -1`)).stdout.trim() !== '',
      20_000, 'node01 reaching the new task on node03')
    stop = true
    await stream
    expect(failures).toBe(0)
  })

  it('tsw service update --network-add/--network-rm by name re-creates the tasks on the new networks', async () => {
    const tsw = (...args: string[]) => swarm.tsw(1, ...args)
    expect((await tsw('network', 'create', 'extra')).code).toBe(0)
    const networksOfProbe = async () => {
      const tasks = (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: ['probe'], 'desired-state': ['running'] }))}`)).json as Array<{
        Status: { State: string }; NetworksAttachments?: Array<{ Network: { Spec?: { Name: string } } }>
      }>
      const running = tasks.filter((t) => t.Status.State === 'running')
      return running.length === 1 ? (running[0].NetworksAttachments ?? []).map((a) => a.Network.Spec?.Name).sort().join() : undefined
    }
    expect((await tsw('service', 'update', '-d', '--network-add', 'extra', 'probe')).code).toBe(0)
    await waitFor(async () => (await networksOfProbe()) === 'disc,extra', 30_000, 'probe on disc and extra')
    expect((await tsw('service', 'update', '-d', '--network-rm', 'disc', 'probe')).code).toBe(0)
    await waitFor(async () => (await networksOfProbe()) === 'extra', 30_000, 'probe on extra only')
    const [probe] = await swarm.containers(1, 'probe')
    const nets = (await swarm.dockerOn(1, 'inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}', probe)).stdout.trim()
    expect(nets).toBe('extra')
  })
})
