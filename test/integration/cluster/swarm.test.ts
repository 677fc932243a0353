// init, join (TCP and SSH), join tokens, leave, and every bad input of those,
// against the lab's real engines.
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, SSH_KEY, sshEngine, tcpEngine } from '../../helpers/lab.js'

describe('swarm init, join and tokens', () => {
  const swarm = new LabSwarm(2381)
  let initOut = ''

  beforeAll(async () => {
    const r = await swarm.init()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    initOut = r.stdout
  })
  afterAll(() => swarm.destroy(), 60_000)

  it('init prints docker\'s message with the join command to copy', async () => {
    const m = /^Swarm initialized: current node \(([0-9a-z]{25})\) is now a manager\.\n\nTo add a worker to this swarm, run the following command:\n\n {4}tsw swarm join --token (SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}) 10\.213\.0\.1:2381\n\nTo add a manager to this swarm, run 'tsw swarm join-token manager' and follow the instructions\.\n$/.exec(initOut)
    expect(m, initOut).not.toBeNull()
    expect(m![2]).toBe(await swarm.token('worker'))
  })

  it('keeps keys and the store mode 0600', () => {
    for (const f of ['tls/key.pem', 'manager/server-key.pem', 'manager/state.db']) {
      expect(statSync(join(swarm.dir(1), f)).mode & 0o777, f).toBe(0o600)
    }
  })

  it('a second init says the node is already part of a swarm', async () => {
    const r = await swarm.init()
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('This node is already part of a swarm')
  })

  it('joins one engine over TCP and one over SSH', async () => {
    const a = await swarm.join(3)
    expect(a.stderr).toBe('')
    expect(a.stdout).toBe('This node joined a swarm as a worker.\n')
    const b = await swarm.join(2, sshEngine(2), ['--engine-ssh-key', SSH_KEY])
    expect(b.stderr).toBe('')
    expect(b.stdout).toBe('This node joined a swarm as a worker.\n')
    expect(existsSync(join(swarm.dir(2), 'context.json'))).toBe(true)
    const ls = await swarm.tsw(1, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}')
    expect(ls.stdout).toBe('node01 Ready\nnode02 Ready\nnode03 Ready\n')
  })

  it('a worker\'s context refuses cluster commands as docker does', async () => {
    const r = await swarm.tsw(3, 'node', 'ls')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('This node is not a swarm manager')
  })

  it('refuses a malformed token, a wrong token and a token of another CA, adding no node', async () => {
    const good = await swarm.token()
    const other = new LabSwarm(2382)
    try {
      const cases: Array<[string, string]> = [
        ['SWMTKN-1-nonsense', 'invalid join token'],
        [good.slice(0, -1) + (good.endsWith('a') ? 'b' : 'a'), 'A valid join token is necessary'],
        [good.replace(/^(SWMTKN-1-)./, (_, p: string) => p + (good[9] === '0' ? '1' : '0')), 'does not match the join token'],
      ]
      for (const [token, message] of cases) {
        const r = await other.tsw(2, 'swarm', 'join', '--token', token, '--engine', tcpEngine(2), swarm.addr)
        expect(r.code, token).toBe(1)
        expect(r.stderr, token).toContain(message)
        expect(existsSync(join(other.dir(2), 'context.json'))).toBe(false)
      }
    } finally {
      await other.destroy()
    }
    const ls = await swarm.tsw(1, 'node', 'ls', '-q')
    expect(ls.stdout.trim().split('\n')).toHaveLength(3)
  })

  it('refuses an engine the manager cannot reach, and an already joined engine', async () => {
    const other = new LabSwarm(2383)
    try {
      const r = await other.tsw(2, 'swarm', 'join', '--token', await swarm.token(), '--engine', 'tcp://10.213.0.99:2375', swarm.addr)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('the manager cannot reach the engine tcp://10.213.0.99:2375')
      const twice = await other.tsw(3, 'swarm', 'join', '--token', await swarm.token(), '--engine', tcpEngine(3), swarm.addr)
      expect(twice.code).toBe(1)
      expect(twice.stderr).toContain('already part of a swarm')
      const bad = await other.tsw(2, 'swarm', 'join', '--token', await swarm.token(), '--engine', 'ftp://x', swarm.addr)
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain('invalid engine address')
    } finally {
      await other.destroy()
    }
    const ls = await swarm.tsw(1, 'node', 'ls', '-q')
    expect(ls.stdout.trim().split('\n')).toHaveLength(3)
  })

  it('join-token prints the instructions; --rotate makes the old token useless', async () => {
    const before = await swarm.token()
    const shown = await swarm.tsw(1, 'swarm', 'join-token', 'worker')
    expect(shown.stdout).toBe(`To add a worker to this swarm, run the following command:\n\n    tsw swarm join --token ${before} ${swarm.addr}\n\n`)
    const rot = await swarm.tsw(1, 'swarm', 'join-token', '--rotate', 'worker')
    expect(rot.code).toBe(0)
    const after = await swarm.token()
    expect(rot.stdout).toBe(`Successfully rotated worker join token.\n\nTo add a worker to this swarm, run the following command:\n\n    tsw swarm join --token ${after} ${swarm.addr}\n\n`)
    expect(after).not.toBe(before)
    expect(after.slice(0, 60)).toBe(before.slice(0, 60)) // same CA digest
    const other = new LabSwarm(2384)
    try {
      const r = await other.tsw(2, 'swarm', 'join', '--token', before, '--engine', tcpEngine(2), swarm.addr)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('A valid join token is necessary')
    } finally {
      await other.destroy()
    }
    const bad = await swarm.tsw(1, 'swarm', 'join-token', 'boss')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('unknown role boss')
  })

  it('a worker leaves: its node turns Down and can then be removed', async () => {
    const r = await swarm.tsw(3, 'swarm', 'leave')
    expect(r.stdout).toBe('Node left the swarm.\n')
    expect(existsSync(join(swarm.dir(3), 'context.json'))).toBe(false)
    const ls = await swarm.tsw(1, 'node', 'ls', '--filter', 'name=node03', '--format', '{{.Status}}')
    expect(ls.stdout).toBe('Down\n')
    const rm = await swarm.tsw(1, 'node', 'rm', 'node03')
    expect(rm.stdout).toBe('node03\n')
  })

  it('the manager refuses to leave without --force, and leaves with it', async () => {
    const r = await swarm.tsw(1, 'swarm', 'leave')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Use `--force` to ignore this message.')
    const f = await swarm.tsw(1, 'swarm', 'leave', '--force')
    expect(f.stdout).toBe('Node left the swarm.\n')
    expect(existsSync(join(swarm.dir(1), 'manager'))).toBe(false)
    const again = await swarm.tsw(1, 'node', 'ls')
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('not part of a swarm')
  })
})
