// Several managers on etcd: a follower streams the swarm's events from its own
// store watch, as the leader does.
import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lab, waitFor } from '../../helpers/lab.js'
import { IMG, LabManagers } from '../../helpers/managers.js'

describe('events on every manager', () => {
  const ha = new LabManagers()
  const followers: ChildProcess[] = []

  beforeAll(async () => {
    await lab('etcd', '3')
    await ha.up()
  }, 180_000)
  afterAll(async () => {
    for (const c of followers) c.kill()
    await ha.destroy()
    if (process.env.TSW_HA_KEEP !== '1') await lab('etcd-stop')
  }, 120_000)

  it('a follower\'s docker events sees the changes made through the leader, in order, and replays them with --since', async () => {
    const leader = await ha.leader(1)
    const follower = [1, 2, 3].find((i) => i !== leader)!
    const child = spawn('docker', ['events', '--filter', 'type=service', '--format', '{{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "replicas.new"}}'], {
      env: { ...process.env, ...ha.dockerEnv(follower) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    followers.push(child)
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    // Connected once a first event reaches it.
    expect((await ha.tsw(leader, 'service', 'create', '-d', '--name', 'warm', IMG, 'sleep', '1d')).code).toBe(0)
    await waitFor(() => out.includes('create warm'), 20_000, 'the follower\'s first event')

    expect((await ha.tsw(leader, 'service', 'create', '-d', '--name', 'fev', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await ha.tsw(leader, 'service', 'scale', '-d', 'fev=2')).code).toBe(0)
    expect((await ha.tsw(leader, 'service', 'rm', 'fev')).code).toBe(0)
    await waitFor(() => out.includes('remove fev'), 20_000, 'the remove on the follower')
    const mine = out.split('\n').filter((l) => / fev /.test(l + ' ')).map((l) => l.trim())
    expect(mine[0]).toBe('create fev')
    expect(mine).toContain('update fev 2')
    expect(mine[mine.length - 1]).toBe('remove fev')
    expect(mine.indexOf('update fev 2')).toBeLessThan(mine.length - 1)

    const past = await ha.tsw(follower, 'events', '--since', '5m', '--until', '0s', '--filter', 'service=fev', '--format', '{{.Action}}')
    expect(past.code).toBe(0)
    const actions = past.stdout.split('\n').filter(Boolean)
    expect(actions[0]).toBe('create')
    expect(actions[actions.length - 1]).toBe('remove')
  })
})
