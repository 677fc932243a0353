// A task's secrets and configs as files in its container on a plain engine: the
// secret on a tmpfs with the owner and mode asked for, never on the engine's
// disk, gone with the task.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, LabSwarm, run, waitFor } from '../../helpers/lab.js'
import { removeSecretPieces } from './cleanup.js'

const IMG = '10.213.0.1:5000/busybox:1'
const VALUE = 'dlvr-7c0ffee-s3cr3t'

describe('secrets and configs delivered to task containers', () => {
  const swarm = new LabSwarm(2463)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  let rootDir = ''
  /** Files on the engine's disk (not on a tmpfs or a container's mounted layer) that hold the value. */
  const onDisk = async () => (await run('sh', ['-c', `find "${rootDir}" -xdev -type f -print0 | xargs -0 grep -laF -e "$V" -e "$B" || true`], {
    V: VALUE, B: Buffer.from(VALUE).toString('base64'),
  })).stdout

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    rootDir = (await docker(1, 'info', '--format', '{{.DockerRootDir}}')).stdout.trim()
    expect(rootDir).not.toBe('')
  })
  afterAll(async () => {
    const id = swarm.clusterId()
    await swarm.destroy()
    await removeSecretPieces(1, id)
  }, 120_000)

  it('the task sees /run/secrets/<target> (owner, mode, tmpfs) and its config; nothing on disk; all gone after service rm', async () => {
    const file = join(swarm.root, 'secret.txt')
    await run('sh', ['-c', `printf %s "$V" > ${file}`], { V: VALUE })
    expect((await tsw('secret', 'create', 'pw', file)).code).toBe(0)
    const conf = join(swarm.root, 'app.conf')
    await run('sh', ['-c', `printf 'port=80\\n' > ${conf}`])
    expect((await tsw('config', 'create', 'app', conf)).code).toBe(0)
    const s = await tsw('service', 'create', '--name', 'sec', '--secret', 'source=pw,target=db_pw,uid=100,gid=101,mode=0400',
      '--secret', 'pw', '--config', 'source=app,target=/etc/app.conf,mode=0440', IMG, 'sleep', '1d')
    expect(s.stderr).toBe('')
    expect(s.code).toBe(0)
    const [id] = await waitFor(() => swarm.containers(1, 'sec').then((c) => (c.length ? c : undefined)), 60_000, 'the task container')
    const sh = (cmd: string) => docker(1, 'exec', id, 'sh', '-c', cmd)
    const taskId = (await docker(1, 'inspect', '--format', '{{index .Config.Labels "com.docker.swarm.task.id"}}', id)).stdout.trim()
    const volume = `tsw-secrets.${taskId}`
    expect((await sh('cat /run/secrets/db_pw')).stdout).toBe(VALUE)
    expect((await sh('cat /run/secrets/pw')).stdout).toBe(VALUE)
    expect((await sh('stat -c "%u %g %a" /run/secrets/db_pw')).stdout).toBe('100 101 400\n')
    expect((await sh('stat -c "%u %g %a" /run/secrets/pw')).stdout).toBe('0 0 444\n')
    expect((await sh('grep " /run/secrets " /proc/mounts')).stdout).toMatch(/^tmpfs \/run\/secrets tmpfs ro[, ]/)
    expect((await sh('cat /etc/app.conf; stat -c "%a" /etc/app.conf')).stdout).toBe('port=80\n440\n')
    // Read-only for the task.
    expect((await sh('echo x > /run/secrets/pw')).code).not.toBe(0)
    expect(await onDisk()).toBe('')
    // The filler that put the files there is gone; only the task's container holds the tmpfs.
    expect((await docker(1, 'ps', '-aq', '--filter', `label=io.tsw.secrets.cluster=${swarm.clusterId()}`)).stdout).toBe('')
    expect(readFileSync('/proc/mounts', 'utf8')).toMatch(new RegExp(`^tmpfs \\S+/volumes/${volume}/_data tmpfs`, 'm'))
    // Nothing of the value in the manager's log or the store either.
    const g = await run('grep', ['-rlaF', '-e', VALUE, '-e', Buffer.from(VALUE).toString('base64'), swarm.dir(1)])
    expect(g.stdout).toBe('')

    expect((await tsw('service', 'rm', 'sec')).code).toBe(0)
    await waitFor(async () => (await swarm.containers(1, 'sec', true)).length === 0, 60_000, 'the task container removed')
    await waitFor(async () => !(await docker(1, 'volume', 'ls', '-q')).stdout.includes(volume), 30_000, 'the secrets volume removed')
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(volume)
    expect(await onDisk()).toBe('')
  })
})
