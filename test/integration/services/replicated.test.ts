// Replicated services on the lab's engines: create, spread, scale, constraints,
// and every bad input, checked on the engines themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('replicated services', () => {
  const swarm = new LabSwarm(2391)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const create = (...args: string[]) => tsw('service', 'create', '--stop-grace-period', '1s', ...args)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('30 replicas spread 10/10/10 over three engines', async () => {
    const r = await create('--name', 'web', '--replicas', '30', IMG, 'sleep', '1d')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^[0-9a-z]{25}$/)
    expect(await swarm.running('web')).toEqual([10, 10, 10])
    const ls = await tsw('service', 'ls')
    expect(ls.stdout).toMatch(/^ID {13}NAME {6}MODE {9}REPLICAS {3}IMAGE {23}PORTS\n[0-9a-z]{12} {3}web {7}replicated {3}30\/30 {6}10\.213\.0\.1:5000\/busybox:1 {3}\n$/)
  })

  it('the containers carry the swarm labels that tie them to their tasks', async () => {
    const [id] = await swarm.containers(2, 'web')
    const r = await swarm.dockerOn(2, 'inspect', '--format', '{{json .Config.Labels}}', id)
    const labels = JSON.parse(r.stdout)
    expect(labels['com.docker.swarm.service.name']).toBe('web')
    expect(labels['com.docker.swarm.task.name']).toMatch(/^web\.\d+\.[0-9a-z]{25}$/)
    const task = await swarm.api('GET', `/v1.41/tasks/${labels['com.docker.swarm.task.id']}`)
    expect(task.json.Status.State).toBe('running')
    expect(task.json.Status.ContainerStatus.ContainerID).toBe(r.stdout && (await swarm.dockerOn(2, 'inspect', '--format', '{{.Id}}', id)).stdout.trim())
    expect(labels['com.docker.swarm.node.id']).toBe(task.json.NodeID)
  })

  it('scales up and down, several services at once', async () => {
    await create('--name', 'api', '--replicas', '2', '-d', IMG, 'sleep', '1d')
    const r = await tsw('service', 'scale', 'web=45', 'api=5')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('web scaled to 45\n')
    expect(r.stdout).toContain('api scaled to 5\n')
    expect(await swarm.running('web')).toEqual([15, 15, 15])
    expect((await swarm.running('api')).reduce((a, b) => a + b)).toBe(5)
    expect((await tsw('service', 'scale', 'web=6')).code).toBe(0)
    await waitFor(async () => (await swarm.running('web')).reduce((a, b) => a + b) === 6, 30_000, '6 web containers')
    const ls = await tsw('service', 'ls', '--format', '{{.Name}} {{.Replicas}}')
    expect(ls.stdout).toBe('api 5/5\nweb 6/6\n')
  })

  it('a constraint pins every task to one hostname', async () => {
    const r = await create('--name', 'pinned', '--replicas', '4', '--constraint', 'node.hostname==node02', IMG, 'sleep', '1d')
    expect(r.code).toBe(0)
    expect(await swarm.running('pinned')).toEqual([0, 4, 0])
    const ps = await tsw('service', 'ps', '--format', '{{.Node}}', 'pinned')
    expect(ps.stdout).toBe('node02\nnode02\nnode02\nnode02\n')
  })

  it('a task that nothing fits stays pending with the reason, and is placed once a node fits', async () => {
    const r = await create('--name', 'picky', '-d', '--constraint', 'node.labels.disk==ssd', IMG, 'sleep', '1d')
    expect(r.code).toBe(0)
    const why = await waitFor(async () => {
      const ps = await tsw('service', 'ps', '--no-trunc', '--format', '{{.CurrentState}}|{{.Error}}', 'picky')
      return ps.stdout.includes('no suitable node') && ps.stdout
    }, 10_000, 'pending reason')
    expect(why).toMatch(/^Pending .*\|"?no suitable node \(scheduling constraints not satisfied on 3 nodes\)"?\n$/)
    await tsw('node', 'update', '--label-add', 'disk=ssd', 'node03')
    await waitFor(async () => (await swarm.running('picky')).join() === '0,0,1', 15_000, 'picky on node03')
  })

  it('bad input: a clear error, exit 1, nothing changed', async () => {
    const before = (await tsw('service', 'ls', '-q')).stdout
    const cases: Array<[string[], string]> = [
      [['service', 'create', '--name', 'nope', '10.213.0.1:5000/nosuchimage:1'], 'nosuchimage'],
      [['service', 'create', '--name', 'bad', '--constraint', 'node.colour==red', IMG], 'invalid constraint'],
      [['service', 'create', '--name', 'bad', '--constraint', 'node.hostname=node01', IMG], 'invalid constraint'],
      [['service', 'create', '--name', 'bad name!', IMG], 'Invalid name'],
      [['service', 'create', '--name', 'bad', '--mode', 'global', '--replicas', '2', IMG], 'replicas can only be used with replicated'],
      [['service', 'create', '--name', 'web', IMG], 'already exists'],
      [['service', 'scale', 'nosuchservice=3'], 'nosuchservice'],
      [['service', 'update', '--replicas', '2', 'nosuchservice'], 'nosuchservice'],
    ]
    for (const [args, message] of cases) {
      const r = await tsw(...args)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.stderr, args.join(' ')).toContain(message)
    }
    const svc = (await swarm.api('GET', '/v1.41/services/web')).json
    const stale = await swarm.api('POST', `/v1.41/services/${svc.ID}/update?version=${svc.Version.Index - 1}`, svc.Spec)
    expect(stale.status).toBe(500)
    expect(stale.json.message).toBe('update out of sequence')
    expect((await tsw('service', 'ls', '-q')).stdout).toBe(before)
    expect((await swarm.running('web')).reduce((a, b) => a + b)).toBe(6)
  })

  it('service rm stops and removes every container of the service', async () => {
    const r = await tsw('service', 'rm', 'api', 'pinned', 'nosuchservice')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('api\npinned\n')
    expect(r.stderr).toContain('nosuchservice')
    await waitFor(async () => {
      const counts = [...await swarm.running('api'), ...await swarm.running('pinned')]
      return counts.every((c) => c === 0)
    }, 20_000, 'api and pinned containers gone')
  })
})
