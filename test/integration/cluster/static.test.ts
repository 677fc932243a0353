// Engines added by address, as classic swarm's static discovery: `tsw node add`
// and `tsw manager --engines-file`.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { LabSwarm, ROOT, tcpEngine, waitFor } from '../../helpers/lab.js'

describe('engines added by address', () => {
  const swarm = new LabSwarm(2387)
  afterAll(() => swarm.destroy(), 60_000)

  it('node add: each engine becomes a worker node; bad and unreachable ones are refused', async () => {
    expect((await swarm.init()).code).toBe(0)
    const r = await swarm.tsw(1, 'node', 'add', tcpEngine(2), 'tcp://10.213.0.99:2375', 'ftp://nope')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^[0-9a-z]{25}\n$/)
    expect(r.stderr).toContain('the manager cannot reach the engine tcp://10.213.0.99:2375')
    expect(r.stderr).toContain('invalid engine address')
    const again = await swarm.tsw(1, 'node', 'add', tcpEngine(2))
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already part of a swarm')
    const ls = await swarm.tsw(1, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}')
    expect(ls.stdout).toBe('node01 Ready Leader\nnode02 Ready \n')
  })

  it('--engines-file: the engines a file lists are added when the manager starts', async () => {
    const file = join(swarm.root, 'engines')
    writeFileSync(file, `# lab engines\n${tcpEngine(2)}\n${tcpEngine(3)}   # node03\n`)
    process.kill(swarm.managerPid(), 'SIGTERM')
    await waitFor(async () => (await swarm.tsw(1, 'node', 'ls', '-q')).code !== 0, 10_000, 'manager stopped')
    const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'manager', '--data-dir', swarm.dir(1), '--engines-file', file], { detached: true, stdio: 'ignore' })
    child.unref()
    const ls = await waitFor(async () => {
      const r = await swarm.tsw(1, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}}')
      return r.stdout.includes('node03') && r.stdout
    }, 20_000, 'node03 added')
    expect(ls).toBe('node01 Ready\nnode02 Ready\nnode03 Ready\n')
  })
})
