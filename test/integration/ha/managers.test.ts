// Several managers on etcd (three etcd members and three managers, one of each
// per lab host): one leader, writes through followers, the leader killed again
// and again under a loop of CLI calls, a partitioned leader, etcd quorum lost
// and back, demote and promote.
import { existsSync, readFileSync } from 'node:fs'
import tls from 'node:tls'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, waitFor } from '../../helpers/lab.js'
import { IMG, LabManagers } from '../../helpers/managers.js'

/** Whether the server at host:port presents a certificate that `root` verifies. */
function verifiedBy(addr: string, root: string): Promise<boolean> {
  const [host, port] = addr.split(':')
  return new Promise((resolve) => {
    const sock = tls.connect({ host, port: Number(port), ca: root, checkServerIdentity: () => undefined }, () => {
      resolve(sock.authorized)
      sock.destroy()
    })
    sock.on('error', () => resolve(false))
  })
}

describe('several managers on etcd', () => {
  const ha = new LabManagers()
  const dockerAt = (i: number, ...args: string[]) => ha.docker(i, ...args)
  /** Waits until every engine together runs `n` containers of `service`. */
  const converged = (service: string, n: number, timeoutMs = 60_000) =>
    waitFor(async () => (await ha.running(service)).reduce((a, b) => a + b, 0) === n, timeoutMs, `${n} containers of ${service}`)

  beforeAll(async () => {
    await lab('etcd', '3')
    await ha.up()
  }, 180_000)
  afterAll(async () => {
    await ha.destroy()
    if (process.env.TSW_HA_KEEP !== '1') await lab('etcd-stop')
  }, 120_000)

  it('every manager lists one Leader and two Reachable; docker info counts them', async () => {
    const seen = await Promise.all([1, 2, 3].map((i) => ha.managerStatus(i)))
    for (const s of seen) {
      expect(Object.values(s).sort()).toEqual(['Leader', 'Reachable', 'Reachable'])
      expect(s).toEqual(seen[0])
    }
    expect(seen[0].node01).toBe('Leader')
    const info = await dockerAt(2, 'info', '--format', '{{.Swarm.Managers}} {{.Swarm.Nodes}} {{json .Swarm.RemoteManagers}}')
    expect(info.stderr).toBe('')
    const [managers, nodes, remote] = info.stdout.trim().split(' ')
    expect([managers, nodes]).toEqual(['3', '3'])
    expect(JSON.parse(remote).map((m: { Addr: string }) => m.Addr).sort()).toEqual([ha.addr(1), ha.addr(2), ha.addr(3)])
    // The docker CLI's own view of a follower's node.
    const self = JSON.parse((await dockerAt(3, 'node', 'inspect', 'self')).stdout)[0]
    expect(self.ManagerStatus).toEqual({ Reachability: 'reachable', Addr: ha.addr(3) })
  })

  it('a follower forwards writes: tsw and docker on followers create and update, the leader runs them', async () => {
    const c = await ha.tsw(3, 'service', 'create', '--name', 'fwd', '--replicas', '3', '--stop-grace-period', '1s', IMG, 'sleep', '1d')
    expect(c.stderr).toBe('')
    expect(c.code).toBe(0)
    expect(await ha.running('fwd')).toEqual([1, 1, 1])
    const d = await dockerAt(2, 'node', 'update', '--label-add', 'zone=b', 'node02')
    expect(d.stderr).toBe('')
    expect(d.stdout).toBe('node02\n')
    const labels = await ha.tsw(1, 'node', 'inspect', '--format', '{{json .Spec.Labels}}', 'node02')
    expect(JSON.parse(labels.stdout)).toEqual({ zone: 'b' })
    // A write that fails on the leader fails the same through a follower.
    const stale = await ha.tsw(2, 'service', 'scale', 'nosuch=2')
    expect(stale.code).toBe(1)
    expect(stale.stderr).toContain('service nosuch not found')
    expect((await ha.tsw(2, 'service', 'rm', 'fwd')).code).toBe(0)
    await converged('fwd', 0)
  })

  it('the leader killed again and again under a loop of CLI calls: every accepted change is there, no duplicates', async () => {
    // What an accepted (exit 0) command set must be there; a failed one may or may not have been
    // applied (the leader can die after the write and before its answer), so either value is right.
    const accepted = new Map<string, { replicas: number[]; env?: string; maybeEnv?: string }>()
    const failures: string[] = []
    let stop = false
    let target = 2
    let k = 0
    // The loop: create, scale and update services from each host's CLI in turn, whichever
    // manager is being killed (a CLI whose manager is away tries the others it heard of).
    const loop = (async () => {
      while (!stop) {
        const name = `loop${k++}`
        const via = 1 + (k % 3)
        const c = await ha.tsw(via, 'service', 'create', '--detach', '--name', name, '--replicas', '1', '--stop-grace-period', '1s', IMG, 'sleep', '1d')
        if (c.code !== 0) { failures.push(`create ${name}: ${c.stderr.trim()}`); continue }
        accepted.set(name, { replicas: [1, 2] })
        const s = await ha.tsw(via, 'service', 'scale', '--detach', `${name}=2`)
        if (s.code === 0) accepted.set(name, { replicas: [2] })
        else failures.push(`scale ${name}: ${s.stderr.trim()}`)
        const u = await ha.tsw(via, 'service', 'update', '--detach', '--env-add', `ROUND=${k}`, name)
        if (u.code === 0) accepted.set(name, { ...accepted.get(name)!, env: `ROUND=${k}` })
        else failures.push(`update ${name}: ${u.stderr.trim()}`)
      }
    })()
    for (let round = 0; round < 3; round++) {
      const leader = await ha.leader(target)
      const survivor = [1, 2, 3].find((i) => i !== leader)!
      target = survivor
      await waitFor(() => accepted.size >= (round + 1) * 2, 60_000, 'some changes accepted before the kill')
      ha.kill(leader)
      const next = await ha.newLeader(survivor, leader)
      expect(next).not.toBe(leader)
      await ha.restart(leader)
      await waitFor(async () => (await ha.managerStatus(survivor))[`node0${leader}`] === 'Reachable', 30_000, `node0${leader} reachable again`)
    }
    stop = true
    await loop
    expect(accepted.size).toBeGreaterThanOrEqual(6)
    // Every accepted change is in the store…
    const ls = await ha.tsw(1, 'service', 'ls', '--format', '{{.Name}}')
    const names = new Set(ls.stdout.trim().split('\n'))
    for (const [name, want] of accepted) {
      expect(names.has(name), `${name} listed`).toBe(true)
      const spec = JSON.parse((await ha.tsw(1, 'service', 'inspect', name)).stdout)[0].Spec
      expect(want.replicas, `${name} replicas (failures: ${failures.join('; ')})`).toContain(spec.Mode.Replicated.Replicas)
      if (want.env) expect(spec.TaskTemplate.ContainerSpec.Env, `${name} env`).toContain(want.env)
    }
    // …and on the engines: each service's replicas run, one container per slot.
    let total = 0
    for (const name of names) total += JSON.parse((await ha.tsw(1, 'service', 'inspect', name)).stdout)[0].Spec.Mode.Replicated.Replicas
    await waitFor(async () => (await ha.slots()).filter((s) => s.startsWith('loop')).length === total, 90_000, `${total} loop containers`)
    const slots = (await ha.slots()).filter((s) => s.startsWith('loop'))
    expect(new Set(slots).size, `duplicates among ${slots.join(' ')}`).toBe(slots.length)
    if (failures.length) console.log(`refused or failed while leaders died (${failures.length} of ${k * 3}):\n${failures.join('\n')}`)
    // Failures, if any, said what happened (no "not leader").
    for (const f of failures) expect(f).not.toMatch(/not (the )?leader/i)
    for (const name of names) await ha.tsw(1, 'service', 'rm', name)
  }, 300_000)

  it('a partitioned leader steps down; another leads; healed, it follows', async () => {
    const leader = await ha.leader(1)
    const other = [1, 2, 3].find((i) => i !== leader)!
    await lab('cut', String(leader))
    try {
      expect(await ha.newLeader(other, leader)).not.toBe(leader)
      await waitFor(() => ha.log(leader).includes('no longer leading'), 20_000, 'the cut leader to step down')
      // The swarm takes changes while the old leader is away.
      const c = await ha.tsw(other, 'service', 'create', '--detach', '--name', 'cut', '--replicas', '2', '--stop-grace-period', '1s', IMG, 'sleep', '1d')
      expect(c.stderr).toBe('')
    } finally {
      await lab('heal', String(leader))
    }
    await waitFor(async () => (await ha.managerStatus(other))[`node0${leader}`] === 'Reachable', 30_000, 'the old leader reachable again')
    expect(Object.values(await ha.managerStatus(leader)).filter((s) => s === 'Leader')).toHaveLength(1)
    await converged('cut', 2)
    expect((await ha.tsw(1, 'service', 'rm', 'cut')).code).toBe(0)
  }, 120_000)

  it('etcd without quorum: writes refused with a clear error, containers keep running; with quorum back, work goes on', async () => {
    expect((await ha.tsw(1, 'service', 'create', '--name', 'q', '--replicas', '3', '--stop-grace-period', '1s', IMG, 'sleep', '1d')).code).toBe(0)
    const before = (await Promise.all([1, 2, 3].map((i) => ha.containers(i, 'q')))).flat().sort()
    expect(before).toHaveLength(3)
    await lab('kill-etcd', '2')
    await lab('kill-etcd', '3')
    try {
      const r = await ha.tsw(1, 'service', 'scale', '--detach', 'q=5')
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/etcd|quorum/)
      expect(r.stderr).not.toMatch(/^\s+at /m)
      expect((await Promise.all([1, 2, 3].map((i) => ha.containers(i, 'q')))).flat().sort()).toEqual(before)
    } finally {
      await lab('start-etcd', '2')
      await lab('start-etcd', '3')
    }
    await waitFor(async () => (await ha.tsw(1, 'service', 'scale', '--detach', 'q=5')).code === 0, 60_000, 'a write accepted again')
    await converged('q', 5)
    const after = (await Promise.all([1, 2, 3].map((i) => ha.containers(i, 'q')))).flat()
    for (const id of before) expect(after).toContain(id)
    expect((await ha.tsw(1, 'service', 'rm', 'q')).code).toBe(0)
  }, 180_000)

  it('demote stops that host\'s manager; promote and "tsw manager -d" there bring it back', async () => {
    const demoted = (await ha.leader(1)) === 3 ? 2 : 3
    const d = await ha.tsw(1, 'node', 'demote', `node0${demoted}`)
    expect(d.stdout).toBe(`Manager node0${demoted} demoted in the swarm.\n`)
    await waitFor(() => ha.pid(demoted) === undefined, 20_000, 'the demoted manager to stop')
    expect((await ha.managerStatus(1))[`node0${demoted}`]).toBe('')
    // That host's CLI now reaches a manager that runs, as a worker host.
    const ls = await ha.tsw(demoted, 'node', 'ls')
    expect(ls.code).toBe(1)
    expect(ls.stderr).toContain('This node is not a swarm manager')
    const p = await ha.tsw(1, 'node', 'promote', `node0${demoted}`)
    expect(p.stdout).toBe(`Node node0${demoted} promoted to a manager in the swarm.\n`)
    expect(p.stderr).toBe(`To run the manager of node0${demoted}, on its host: tsw manager -d\n`)
    expect((await ha.managerStatus(1))[`node0${demoted}`]).toBe('Unreachable')
    const m = await ha.inHost(demoted, 'manager', '-d', '--listen-addr', ha.addr(demoted))
    expect(m.stderr).toBe('')
    await waitFor(async () => (await ha.managerStatus(1))[`node0${demoted}`] === 'Reachable', 20_000, 'the promoted manager reachable')
    expect(Object.values(await ha.managerStatus(demoted)).sort()).toEqual(['Leader', 'Reachable', 'Reachable'])
  }, 120_000)

  it('swarm ca --rotate through a follower, services running: every manager serves the new root, old tokens refused', async () => {
    expect((await ha.tsw(1, 'service', 'create', '--name', 'ca', '--replicas', '3', '--stop-grace-period', '1s', IMG, 'sleep', '1d')).code).toBe(0)
    const containers = (await Promise.all([1, 2, 3].map((i) => ha.containers(i, 'ca')))).flat().sort()
    const oldToken = await ha.token('manager')
    const r = await ha.tsw(2, 'swarm', 'ca', '--rotate')
    expect(r.stderr).toBe('')
    expect(r.stdout).toContain('rotated TLS certificates: 3/3 nodes')
    const newRoot = readFileSync(join(ha.dir(2), 'tls', 'ca.pem'), 'utf8')
    expect(r.stdout.endsWith(newRoot.trim() + '\n')).toBe(true)
    for (const i of [1, 2, 3]) {
      // Each manager presents a certificate of the new root, and its host's CLI works.
      await waitFor(async () => (await verifiedBy(ha.addr(i), newRoot)) === true, 20_000, `manager ${i} on the new root`)
      const ls = await ha.tsw(i, 'node', 'ls', '-q')
      expect(ls.stderr).toBe('')
      expect(ls.stdout.trim().split('\n')).toHaveLength(3)
    }
    expect((await Promise.all([1, 2, 3].map((i) => ha.containers(i, 'ca')))).flat().sort()).toEqual(containers)
    const refused = await ha.tsw(1, 'swarm', 'join', '--data-dir', join(ha.root, 'late'), '--token', oldToken, '--engine', 'tcp://10.213.0.13:2375', ha.addr(2))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('does not match the join token')
    expect((await ha.tsw(1, 'service', 'rm', 'ca')).code).toBe(0)
  }, 120_000)

  it('a bad or unreachable --store is refused, and nothing is written', async () => {
    const dir = join(ha.root, 'other')
    const bad = await ha.tsw(1, 'swarm', 'init', '--data-dir', dir, '--store', 'http://x:2379')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('invalid --store "http://x:2379": use etcd://HOST:PORT')
    const away = await ha.tsw(1, 'swarm', 'init', '--data-dir', dir, '--engine', 'tcp://10.213.0.11:2375', '--advertise-addr', '10.213.0.1',
      '--listen-addr', '10.213.0.1:2399', '--store', 'etcd://10.213.0.1:2398')
    expect(away.code).toBe(1)
    expect(away.stderr).toMatch(/^Error: the store \(etcd at 10\.213\.0\.1:2398\) is unreachable: connection refused/)
    expect(existsSync(join(dir, 'manager'))).toBe(false)
    expect(existsSync(join(dir, 'context.json'))).toBe(false)
  })
})
