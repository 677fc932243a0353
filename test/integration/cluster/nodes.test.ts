// node ls/inspect/update/promote/demote/rm, node health on a stopped engine
// and a cut link, and a manager killed with SIGKILL, on the lab's engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, LabSwarm, waitFor } from '../../helpers/lab.js'

const HEARTBEAT_S = 1

describe('nodes', () => {
  const swarm = new LabSwarm(2385)
  const ids: Record<string, string> = {}

  const ls = async (format = '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}') =>
    (await swarm.tsw(1, 'node', 'ls', '--format', format)).stdout

  beforeAll(async () => {
    expect((await swarm.init(['--dispatcher-heartbeat', `${HEARTBEAT_S}s`])).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
    for (const line of (await ls('{{.Hostname}} {{.ID}}')).trim().split('\n')) {
      const [host, id] = line.split(' ')
      ids[host] = id
    }
  })
  afterAll(async () => {
    await lab('heal', '3')
    await lab('start-engine', '3')
    await swarm.destroy()
  })

  it('node ls prints docker\'s columns, self starred, sorted by hostname', async () => {
    const r = await swarm.tsw(1, 'node', 'ls')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines[0]).toBe('ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS   ENGINE VERSION')
    const version = lines[1].trim().split(/\s+/).pop()
    expect(version).toMatch(/^\d+\.\d+/)
    expect(lines[1]).toBe(`${ids.node01} *   node01     Ready     Active         Leader           ${version}`)
    expect(lines[2]).toBe(`${ids.node02}     node02     Ready     Active                          ${version}`)
    expect(lines[3]).toBe(`${ids.node03}     node03     Ready     Active                          ${version}`)
    expect(lines.length).toBe(5)
  })

  it('node ls -q, --filter and --format', async () => {
    expect((await swarm.tsw(1, 'node', 'ls', '-q')).stdout).toBe(`${ids.node01}\n${ids.node02}\n${ids.node03}\n`)
    expect((await swarm.tsw(1, 'node', 'ls', '-q', '--filter', 'role=manager')).stdout).toBe(`${ids.node01}\n`)
    expect((await swarm.tsw(1, 'node', 'ls', '-q', '--filter', 'role=worker')).stdout).toBe(`${ids.node02}\n${ids.node03}\n`)
    expect((await swarm.tsw(1, 'node', 'ls', '-q', '--filter', 'name=node02')).stdout).toBe(`${ids.node02}\n`)
    expect((await swarm.tsw(1, 'node', 'ls', '-q', '--filter', `id=${ids.node03.slice(0, 6)}`)).stdout).toBe(`${ids.node03}\n`)
    const json = (await swarm.tsw(1, 'node', 'ls', '--format', '{{json .}}', '--filter', 'name=node01')).stdout
    expect(JSON.parse(json)).toMatchObject({ Hostname: 'node01', ID: ids.node01, ManagerStatus: 'Leader', Self: true, Status: 'Ready', Availability: 'Active' })
    const table = (await swarm.tsw(1, 'node', 'ls', '--format', 'table {{.Hostname}}\t{{.Status}}')).stdout
    expect(table).toBe('HOSTNAME   STATUS\nnode01     Ready\nnode02     Ready\nnode03     Ready\n')
    const bad = await swarm.tsw(1, 'node', 'ls', '--filter', 'colour=red')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("invalid filter 'colour'")
  })

  it('drain and active, labels added and removed, as node inspect shows', async () => {
    const up = await swarm.tsw(1, 'node', 'update', '--availability', 'drain', '--label-add', 'zone=a', '--label-add', 'ssd', 'node02')
    expect(up.stdout).toBe('node02\n')
    expect(await ls()).toContain('node02 Ready Drain \n')
    const spec = JSON.parse((await swarm.tsw(1, 'node', 'inspect', '--format', '{{json .Spec}}', 'node02')).stdout)
    expect(spec).toEqual({ Labels: { zone: 'a', ssd: '' }, Role: 'worker', Availability: 'drain' })
    const pretty = (await swarm.tsw(1, 'node', 'inspect', '--pretty', 'node02')).stdout
    expect(pretty).toContain(`ID:\t\t\t${ids.node02}\nLabels:\n - ssd\n - zone=a\nHostname:              \tnode02\n`)
    expect(pretty).toContain(' Availability:         \tDrain\n')
    await swarm.tsw(1, 'node', 'update', '--availability', 'active', '--label-rm', 'ssd', ids.node02.slice(0, 8))
    const labels = JSON.parse((await swarm.tsw(1, 'node', 'inspect', '-f', '{{json .Spec.Labels}}', 'node02')).stdout)
    expect(labels).toEqual({ zone: 'a' })
    expect(await ls()).toContain('node02 Ready Active \n')
    const pause = await swarm.tsw(1, 'node', 'update', '--availability', 'pause', 'node03')
    expect(pause.code).toBe(0)
    expect(await ls()).toContain('node03 Ready Pause \n')
    await swarm.tsw(1, 'node', 'update', '--availability', 'active', 'node03')
  })

  it('bad input: unknown node, bad availability, missing label, stale version — exit 1, nothing changed', async () => {
    const before = await swarm.tsw(1, 'node', 'inspect', 'node02')
    const unknown = await swarm.tsw(1, 'node', 'update', '--availability', 'drain', 'nosuchnode')
    expect(unknown).toMatchObject({ code: 1, stderr: 'Error response from daemon: node nosuchnode not found\n' })
    const avail = await swarm.tsw(1, 'node', 'update', '--availability', 'sleepy', 'node02')
    expect(avail.code).toBe(1)
    expect(avail.stderr).toContain('invalid Availability: "sleepy"')
    const label = await swarm.tsw(1, 'node', 'update', '--label-rm', 'nope', 'node02')
    expect(label.code).toBe(1)
    expect(label.stderr).toContain("key nope doesn't exist in node's labels")
    const inspect = await swarm.tsw(1, 'node', 'inspect', 'nosuchnode')
    expect(inspect.code).toBe(1)
    expect(inspect.stdout).toBe('[]\n')
    // A write with a stale version, as a racing client would send it.
    const node = JSON.parse(before.stdout)[0]
    await swarm.tsw(1, 'node', 'update', '--label-add', 'race=1', 'node02')
    const stale = await swarm.api('POST', `/v1.41/nodes/${node.ID}/update?version=${node.Version.Index}`, { ...node.Spec, Availability: 'drain' })
    expect(stale.status).toBe(500)
    expect(JSON.parse(stale.body)).toEqual({ message: 'update out of sequence' })
    const after = JSON.parse((await swarm.tsw(1, 'node', 'inspect', 'node02')).stdout)[0]
    expect(after.Spec.Availability).toBe('active')
    await swarm.tsw(1, 'node', 'update', '--label-rm', 'race', 'node02')
  })

  it('promote and demote; the last manager cannot be demoted', async () => {
    const p = await swarm.tsw(1, 'node', 'promote', 'node02')
    expect(p.stdout).toBe('Node node02 promoted to a manager in the swarm.\n')
    expect((await swarm.tsw(1, 'node', 'promote', 'node02')).stdout).toBe('Node node02 is already a manager.\n')
    expect(await ls('{{.Hostname}} {{.ManagerStatus}}')).toContain('node02 Unreachable\n')
    const d = await swarm.tsw(1, 'node', 'demote', 'node02')
    expect(d.stdout).toBe('Manager node02 demoted in the swarm.\n')
    expect(await ls('{{.Hostname}} {{.ManagerStatus}}')).toContain('node02 \n')
    const last = await swarm.tsw(1, 'node', 'demote', 'node01')
    expect(last.code).toBe(1)
    expect(last.stderr).toContain('attempting to demote the last manager of the swarm')
  })

  it('rm refuses an up node without --force and removes it with --force', async () => {
    const r = await swarm.tsw(1, 'node', 'rm', 'node02', 'nosuchnode')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`Error response from daemon: node ${ids.node02} is not down and can't be removed\nError response from daemon: node nosuchnode not found\n`)
    const f = await swarm.tsw(1, 'node', 'rm', '--force', 'node02')
    expect(f.stdout).toBe('node02\n')
    expect(await ls('{{.Hostname}}')).toBe('node01\nnode03\n')
    // The removed host still has its context: it leaves (forced, its node is gone) and joins again.
    const leave = await swarm.tsw(2, 'swarm', 'leave')
    expect(leave.code).toBe(1)
    expect(leave.stderr).toContain('is not part of this swarm')
    expect((await swarm.tsw(2, 'swarm', 'leave', '--force')).stdout).toBe('Node left the swarm.\n')
    expect((await swarm.join(2)).code).toBe(0)
    ids.node02 = (await swarm.tsw(1, 'node', 'ls', '-q', '--filter', 'name=node02')).stdout.trim()
  })

  it('a stopped engine turns its node Down within 3 heartbeats, and Ready when it is back', async () => {
    await lab('kill-engine', '3')
    const t0 = Date.now()
    await waitFor(async () => (await ls()).includes('node03 Down'), 3 * HEARTBEAT_S * 1000 + 1500, 'node03 Down')
    expect(Date.now() - t0).toBeLessThanOrEqual(3 * HEARTBEAT_S * 1000 + 1500)
    await lab('start-engine', '3')
    await waitFor(async () => (await ls()).includes('node03 Ready'), 20_000, 'node03 Ready')
  })

  it('a cut link turns its node Down, and Ready when healed', async () => {
    await lab('cut', '3')
    // A cut link answers nothing (no reset): each missed beat waits out its deadline, and a beat
    // missed while the manager itself stalled is excused once (dispatcher/stall.ts), so one more period.
    await waitFor(async () => (await ls()).includes('node03 Down'), 4 * HEARTBEAT_S * 1000 + 2500, 'node03 Down')
    await lab('heal', '3')
    await waitFor(async () => (await ls()).includes('node03 Ready'), 20_000, 'node03 Ready')
  })

  it('a manager killed with SIGKILL restarts with every node, label and availability', async () => {
    await swarm.tsw(1, 'node', 'update', '--availability', 'drain', '--label-add', 'disk=ssd', 'node03')
    const before = await ls('{{.ID}} {{.Hostname}} {{.Availability}} {{.ManagerStatus}}')
    const labelsBefore = (await swarm.tsw(1, 'node', 'inspect', '-f', '{{json .Spec.Labels}}', 'node03')).stdout
    process.kill(swarm.managerPid(), 'SIGKILL')
    const down = await swarm.tsw(1, 'node', 'ls')
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('cannot reach the manager')
    swarm.restartManager()
    await waitFor(async () => (await swarm.tsw(1, 'node', 'ls', '-q')).code === 0, 15_000, 'manager back')
    expect(await ls('{{.ID}} {{.Hostname}} {{.Availability}} {{.ManagerStatus}}')).toBe(before)
    expect((await swarm.tsw(1, 'node', 'inspect', '-f', '{{json .Spec.Labels}}', 'node03')).stdout).toBe(labelsBefore)
  })

  it('refuses requests without a client certificate', async () => {
    const r = await swarm.api('GET', '/v1.41/nodes', undefined, false)
    expect(r.status).toBe(401)
    expect(JSON.parse(r.body).message).toContain('client certificate')
    const ping = await swarm.api('GET', '/_ping', undefined, false)
    expect(ping.status).toBe(200)
    expect(ping.headers['swarm']).toBe('active/manager')
    expect(ping.headers['api-version']).toBe('1.41')
  })
})
