// The swarm keeps a service true: a killed container is replaced, a drained
// node is emptied, a stopped engine's tasks move and its stale containers are
// removed when it returns. Checked on the engines themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, LabSwarm, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('healing', () => {
  const swarm = new LabSwarm(2392)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)

  beforeAll(async () => {
    expect((await swarm.init(['--dispatcher-heartbeat', '1s'])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
    const r = await tsw('service', 'create', '--name', 'heal', '--replicas', '6', '--stop-grace-period', '1s',
      '--restart-delay', '200ms', IMG, 'sleep', '1d')
    expect(r.code).toBe(0)
    expect(await swarm.running('heal')).toEqual([2, 2, 2])
  })
  afterAll(async () => {
    await lab('start-engine', '3')
    await swarm.destroy()
  }, 120_000)

  it('a killed container is replaced, and service ps shows why', async () => {
    const [victim] = await swarm.containers(2, 'heal')
    await swarm.dockerOn(2, 'kill', victim)
    await waitFor(async () => sum(await swarm.running('heal')) === 6 && !(await swarm.containers(2, 'heal')).includes(victim), 20_000, 'replacement')
    const ps = await tsw('service', 'ps', 'heal')
    expect(ps.stdout).toMatch(/^[0-9a-z]{12} {4}\\_ heal\.\d+ +\S+ +node02 +Shutdown +Failed .* ago +"task: non-zero exit \(137\)" *$/m)
  })

  it('drain moves every task off the node; active lets new tasks land there again', async () => {
    expect((await tsw('node', 'update', '--availability', 'drain', 'node02')).code).toBe(0)
    await waitFor(async () => {
      const r = await swarm.running('heal')
      return r[1] === 0 && sum(r) === 6
    }, 20_000, 'node02 empty, 6 running')
    expect((await tsw('node', 'update', '--availability', 'active', 'node02')).code).toBe(0)
    // No rebalancing by itself (swarm's behaviour): new tasks use node02 again.
    expect((await swarm.running('heal'))[1]).toBe(0)
    expect((await tsw('service', 'scale', 'heal=9')).code).toBe(0)
    const r = await swarm.running('heal')
    expect(sum(r)).toBe(9)
    expect(r[1]).toBe(3)
  })

  it('pause keeps the node\'s tasks but places nothing new there', async () => {
    expect((await tsw('node', 'update', '--availability', 'pause', 'node02')).code).toBe(0)
    expect((await tsw('service', 'scale', 'heal=12')).code).toBe(0)
    const r = await swarm.running('heal')
    expect(r[1]).toBe(3)
    expect(sum(r)).toBe(12)
    expect((await tsw('node', 'update', '--availability', 'active', 'node02')).code).toBe(0)
    expect((await tsw('service', 'scale', 'heal=6')).code).toBe(0)
    await waitFor(async () => sum(await swarm.running('heal')) === 6, 20_000, '6 running')
  })

  it('an engine stopped: its tasks run elsewhere; back, its stale containers are removed', async () => {
    const before = await swarm.running('heal')
    expect(before[2]).toBeGreaterThan(0)
    await lab('kill-engine', '3')
    await waitFor(async () => sum(await swarm.running('heal', [1, 2])) === 6, 30_000, '6 running on node01+node02')
    await lab('start-engine', '3')
    await waitFor(async () => (await tsw('node', 'ls', '--filter', 'name=node03', '--format', '{{.Status}}')).stdout === 'Ready\n', 30_000, 'node03 Ready')
    await waitFor(async () => (await swarm.containers(3, 'heal', true)).length === 0, 30_000, 'stale containers removed from node03')
    expect(sum(await swarm.running('heal'))).toBe(6)
    const ls = await tsw('service', 'ls', '--format', '{{.Replicas}}')
    expect(ls.stdout).toBe('6/6\n')
  })

  it('service update --force rebalances', async () => {
    const r = await tsw('service', 'update', '--force', '--update-parallelism', '0', '--update-monitor', '500ms', 'heal')
    expect(r.code).toBe(0)
    await waitFor(async () => (await swarm.running('heal')).join() === '2,2,2', 30_000, '2,2,2')
  })
})

describe('global services', () => {
  const swarm = new LabSwarm(2393)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('runs one task on every node, including a node that joins later and one back from drain', async () => {
    const r = await tsw('service', 'create', '--name', 'agent', '--mode', 'global', '--stop-grace-period', '1s', '10.213.0.1:5000/busybox:1', 'sleep', '1d')
    expect(r.code).toBe(0)
    expect(await swarm.running('agent')).toEqual([1, 1, 0])
    expect((await swarm.join(3)).code).toBe(0)
    await waitFor(async () => (await swarm.running('agent')).join() === '1,1,1', 20_000, 'a task on the late joiner')
    await tsw('node', 'update', '--availability', 'drain', 'node02')
    await waitFor(async () => (await swarm.running('agent')).join() === '1,0,1', 20_000, 'none on drained node02')
    await tsw('node', 'update', '--availability', 'active', 'node02')
    await waitFor(async () => (await swarm.running('agent')).join() === '1,1,1', 20_000, 'back on node02')
    const ls = await tsw('service', 'ls', '--format', '{{.Mode}} {{.Replicas}}')
    expect(ls.stdout).toBe('global 3/3\n')
  })
})
