// Classic swarm: plain `docker run` through the manager lands where the
// strategy and filters say, checked on the engines themselves.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker as dockerOnEngine, lab, LabSwarm, ROOT, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('classic swarm placement', () => {
  const swarm = new LabSwarm(2397)
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  /** The lab host (1-3) that runs a container, asked of the engines themselves. */
  const hostOf = async (name: string) => {
    for (const i of [1, 2, 3]) {
      const r = await dockerOnEngine(i, 'ps', '-q', '--filter', `name=^/${name}$`)
      if (r.stdout.trim()) return i
    }
    return 0
  }
  const runD = (name: string, ...args: string[]) => docker('run', '-d', '--name', name, ...args, IMG, 'sleep', '1d')
  const restartManager = async (...flags: string[]) => {
    process.kill(swarm.managerPid(), 'SIGTERM')
    await waitFor(async () => (await docker('version')).code !== 0, 10_000, 'manager stopped')
    spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'manager', '--data-dir', swarm.dir(1), ...flags], { detached: true, stdio: 'ignore' }).unref()
    await waitFor(async () => (await docker('info')).code === 0, 15_000, 'manager back')
  }
  const removeAll = async () => {
    for (const i of [1, 2, 3]) {
      const ids = (await dockerOnEngine(i, 'ps', '-aq', '--filter', 'label=io.tsw.classic.cluster')).stdout.split('\n').filter(Boolean)
      if (ids.length) await dockerOnEngine(i, 'rm', '-f', ...ids)
    }
  }

  beforeAll(async () => {
    expect((await swarm.init(['--dispatcher-heartbeat', '1s'])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
    await removeAll()
  })
  afterAll(async () => {
    await lab('start-engine', '3')
    await removeAll()
    await swarm.destroy()
  }, 120_000)

  it('spread (default): ten containers 4/3/3 over three engines', async () => {
    for (let i = 0; i < 10; i++) expect((await runD(`sp${i}`)).code).toBe(0)
    const hosts = await Promise.all(Array.from({ length: 10 }, (_, i) => hostOf(`sp${i}`)))
    const counts = [1, 2, 3].map((h) => hosts.filter((x) => x === h).length).sort()
    expect(counts).toEqual([3, 3, 4])
    await removeAll()
  })

  it('filters: constraint by node and label, !=, regex, affinity to a container and to an image, soft ones', async () => {
    expect((await runD('c1', '-e', 'constraint:node==node02')).code).toBe(0)
    expect(await hostOf('c1')).toBe(2)
    await swarm.tsw(1, 'node', 'update', '--label-add', 'storage=ssd', 'node03')
    expect((await runD('c2', '-e', 'constraint:storage==ssd')).code).toBe(0)
    expect(await hostOf('c2')).toBe(3)
    // (docker run keeps one -e per key, so a second constraint:node!= would replace the first)
    expect((await runD('c3', '-e', 'constraint:node!=/node0[12]/')).code).toBe(0)
    expect(await hostOf('c3')).toBe(3)
    expect((await runD('c4', '-e', 'constraint:node==/node0[1]/')).code).toBe(0)
    expect(await hostOf('c4')).toBe(1)
    expect((await runD('c5', '-e', 'affinity:container==c1')).code).toBe(0)
    expect(await hostOf('c5')).toBe(2)
    await dockerOnEngine(1, 'tag', IMG, 'tswonly:1')
    expect((await docker('run', '-d', '--name', 'c6', '-e', 'affinity:image==tswonly:1', 'tswonly:1', 'sleep', '1d')).code).toBe(0)
    expect(await hostOf('c6')).toBe(1)
    const soft = await runD('c7', '-e', 'constraint:node==~node09')
    expect(soft.code).toBe(0)
    expect(await hostOf('c7')).toBeGreaterThan(0)
    await dockerOnEngine(1, 'rmi', 'tswonly:1')
  })

  it('a filter nothing satisfies: a clear error saying which filter excluded which nodes', async () => {
    const r = await runD('nowhere', '-e', 'constraint:node==node09')
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('unable to find a node that satisfies the following conditions')
    expect(r.stderr).toMatch(/node==node09 excluded node01, node02, node03/)
    const bad = await runD('badexpr', '-e', 'constraint:node=node01')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr.length).toBeGreaterThan(0)
    await removeAll()
  })

  it('a published port never lands where it is taken', async () => {
    for (const n of ['p1', 'p2', 'p3']) expect((await runD(n, '-p', '8282:80')).code).toBe(0)
    expect((await Promise.all(['p1', 'p2', 'p3'].map(hostOf))).sort()).toEqual([1, 2, 3])
    const full = await runD('p4', '-p', '8282:80')
    expect(full.code).not.toBe(0)
    expect(full.stderr).toMatch(/port tcp\/8282/)
    await removeAll()
  })

  it('binpack fills one engine first', async () => {
    await restartManager('--strategy', 'binpack')
    for (let i = 0; i < 4; i++) expect((await runD(`bp${i}`)).code).toBe(0)
    const hosts = await Promise.all([0, 1, 2, 3].map((i) => hostOf(`bp${i}`)))
    expect(new Set(hosts).size).toBe(1)
    await removeAll()
    await restartManager()
  })

  it('a stopped engine is excluded; a restarted manager finds every container again', async () => {
    await lab('kill-engine', '3')
    await waitFor(async () => (await swarm.tsw(1, 'node', 'ls', '--filter', 'name=node03', '--format', '{{.Status}}')).stdout === 'Down\n', 15_000, 'node03 Down')
    for (let i = 0; i < 4; i++) expect((await runD(`ex${i}`)).code).toBe(0)
    const hosts = await Promise.all([0, 1, 2, 3].map((i) => hostOf(`ex${i}`)))
    expect(hosts.every((h) => h === 1 || h === 2)).toBe(true)
    const before = (await docker('ps', '--format', '{{.Names}}')).stdout.split('\n').filter(Boolean).sort()
    expect(before).toHaveLength(4)
    await restartManager()
    const after = (await docker('ps', '--format', '{{.Names}}')).stdout.split('\n').filter(Boolean).sort()
    expect(after).toEqual(before)
  })
})
