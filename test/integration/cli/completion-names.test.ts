// Shell completion of names from a running manager: the bash script `tsw
// autocomplete` writes offers the swarm's services, nodes and networks.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, ROOT, run } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('tsw autocomplete with a manager', () => {
  const swarm = new LabSwarm(2440)
  const dir = mkdtempSync(join(tmpdir(), 'tsw-acn-'))
  const bin = join(dir, 'bin')
  const cache = join(dir, 'cache')

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.tsw(1, 'service', 'create', '--name', 'web', '--replicas', '0', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await swarm.tsw(1, 'service', 'create', '--name', 'worker', '--replicas', '0', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await swarm.tsw(1, 'network', 'create', '--driver', 'overlay', 'backend')).code).toBe(0)
    // `tsw` on PATH, as an installed CLI is.
    mkdirSync(bin)
    writeFileSync(join(bin, 'tsw'), `#!/bin/sh\nexec ${process.execPath} ${join(ROOT, 'bin/run.js')} "$@"\n`)
    chmodSync(join(bin, 'tsw'), 0o755)
    expect((await run(process.execPath, [join(ROOT, 'bin/run.js'), 'autocomplete', 'bash'], { XDG_CACHE_HOME: cache })).code).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await swarm.destroy()
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  const complete = async (line: string) => {
    const words = line.split(' ')
    const script = `source ${join(cache, 'tsw/autocomplete/bash_setup')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tsw_autocomplete; echo "\${COMPREPLY[*]}"`
    const r = await run('bash', ['--norc', '--noprofile', '-c', script], { PATH: `${bin}:${process.env.PATH}`, TSW_DATA_DIR: swarm.dir(1), TSW_INSECURE_OK: '1' })
    expect(r.stderr).toBe('')
    return r.stdout.trim()
  }

  it('completes service, node and network names the manager lists', async () => {
    expect(await complete('tsw service scale w')).toBe('web worker')
    expect(await complete('tsw service ps wo')).toBe('worker')
    const node = (await swarm.tsw(1, 'node', 'ls', '--format', '{{.Hostname}}')).stdout.trim()
    expect(await complete('tsw node update ')).toBe(node)
    expect((await complete('tsw network rm ')).split(' ')).toContain('backend')
    // Commands and flags still complete as before.
    expect(await complete('tsw service sc')).toBe('scale')
    expect(await complete('tsw service ps --no-tr')).toBe('--no-trunc')
  })
})
