// The real docker CLI pointed at the manager behaves as against dockerd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm } from '../../helpers/lab.js'

describe('the docker CLI against the manager', () => {
  const swarm = new LabSwarm(2386)
  const dockerAt = (...args: string[]) => swarm.docker(1, ...args)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 60_000)

  it('docker node ls prints the same table as tsw node ls', async () => {
    const d = await dockerAt('node', 'ls')
    expect(d.stderr).toBe('')
    expect(d.code).toBe(0)
    expect(d.stdout).toBe((await swarm.tsw(1, 'node', 'ls')).stdout)
    expect(d.stdout).toMatch(/^[0-9a-z]{25} \* {3}node01 {5}Ready {5}Active {9}Leader {11}\S+\n/m)
  })

  it('docker node inspect and --pretty', async () => {
    const d = await dockerAt('node', 'inspect', 'node02')
    expect(d.code).toBe(0)
    const [node] = JSON.parse(d.stdout)
    expect(node).toMatchObject({ Spec: { Role: 'worker', Availability: 'active' }, Description: { Hostname: 'node02' }, Status: { State: 'ready', Addr: '10.213.0.12' } })
    const self = JSON.parse((await dockerAt('node', 'inspect', 'self')).stdout)[0]
    expect(self.ManagerStatus).toEqual({ Leader: true, Reachability: 'reachable', Addr: swarm.addr })
    const pretty = await dockerAt('node', 'inspect', '--pretty', 'node02')
    expect(pretty.stdout).toBe((await swarm.tsw(1, 'node', 'inspect', '--pretty', 'node02')).stdout)
  })

  it('docker node update --availability drain', async () => {
    const d = await dockerAt('node', 'update', '--availability', 'drain', 'node02')
    expect(d.code).toBe(0)
    expect(d.stdout).toBe('node02\n')
    expect((await swarm.tsw(1, 'node', 'ls', '--filter', 'name=node02', '--format', '{{.Availability}}')).stdout).toBe('Drain\n')
    const missing = await dockerAt('node', 'update', '--availability', 'drain', 'nosuchnode')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('node nosuchnode not found')
  })

  it('docker info shows the swarm section', async () => {
    const d = await dockerAt('info')
    expect(d.code).toBe(0)
    expect(d.stdout).toContain(' Swarm: active\n')
    expect(d.stdout).toContain('  Is Manager: true\n')
    expect(d.stdout).toContain('  Managers: 1\n')
    expect(d.stdout).toContain('  Nodes: 2\n')
    expect(d.stdout).toContain(`  Node Address: 10.213.0.1\n`)
    expect(d.stdout).toContain(`   ${swarm.addr}\n`) // Manager Addresses
  })

  it('docker swarm join-token worker prints the token tsw gives', async () => {
    const d = await dockerAt('swarm', 'join-token', 'worker')
    expect(d.code).toBe(0)
    expect(d.stdout).toBe(`To add a worker to this swarm, run the following command:\n\n    docker swarm join --token ${await swarm.token()} ${swarm.addr}\n\n`)
    const q = await dockerAt('swarm', 'join-token', '-q', 'manager')
    expect(q.stdout.trim()).toBe(await swarm.token('manager'))
  })
})
