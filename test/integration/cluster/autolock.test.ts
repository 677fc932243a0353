// Swarm autolock as docker 28's: the unlock key printed at init, a restarted manager
// locked (every call but unlock refused with dockerd's words) until given the key,
// wrong keys refused, running tasks untouched, secrets readable again after unlock;
// rotation, autolock off, and the docker CLI's unlock-key / update / unlock.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, LabSwarm, ROOT, run, waitFor } from '../../helpers/lab.js'
import { removeSecretPieces } from '../secrets/cleanup.js'

const IMG = '10.213.0.1:5000/busybox:1'
const VALUE = 'autolock-s3cr3t-42'
const LOCKED = 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.'
const KEY = /SWMKEY-1-[A-Za-z0-9+/]{43}/

describe('swarm autolock', () => {
  const swarm = new LabSwarm(2471)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const env = () => ({ DOCKER_HOST: `tcp://${swarm.addr}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(swarm.dir(1), 'tls') })
  const dockerM = (...args: string[]) => run('docker', args, env())
  /** A CLI with `input` on its stdin (not a terminal: the key is read from it). */
  const piped = (input: string, cmd: string) => run('sh', ['-c', `printf '%s\\n' "$IN" | ${cmd}`], {
    IN: input, TSW_DATA_DIR: swarm.dir(1), TSW_INSECURE_OK: '1', ...env(),
  })
  const tswUnlock = (key: string) => piped(key, `'${process.execPath}' '${join(ROOT, 'bin/run.js')}' swarm unlock`)
  const kekFile = () => readFileSync(join(swarm.dir(1), 'manager/ca-kek'), 'utf8')
  const restart = async () => {
    const old = swarm.managerPid()
    process.kill(old, 'SIGKILL')
    swarm.restartManager()
    // The new process, not the dying one, must be the one answering.
    await waitFor(async () => {
      let pid = 0
      try { pid = swarm.managerPid() } catch { /* not written yet */ }
      return pid !== old && pid > 0 && (await swarm.api('GET', '/_ping').catch(() => ({ status: 0 }))).status === 200
    }, 30_000, 'the restarted manager answers')
  }
  const state = async () => (await swarm.api('GET', '/v1.41/info')).json?.Swarm?.LocalNodeState
  let key = ''
  let container = ''

  beforeAll(async () => {
    const init = await swarm.init(['--autolock'])
    expect(init.stderr).toBe('')
    expect(init.code).toBe(0)
    expect(init.stdout).toContain('To unlock a swarm manager after it restarts, run the `tsw swarm unlock`\ncommand and provide the following key:\n\n    SWMKEY-1-')
    expect(init.stdout).toContain('Remember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n')
    key = KEY.exec(init.stdout)![0]
  }, 60_000)
  afterAll(async () => {
    const id = swarm.clusterId()
    await swarm.destroy()
    await removeSecretPieces(1, id)
  }, 120_000)

  it('init --autolock: the key is shown by unlock-key, AutoLockManagers is on, the KEK file is wrapped', async () => {
    expect((await tsw('swarm', 'unlock-key', '-q')).stdout).toBe(`${key}\n`)
    const full = await tsw('swarm', 'unlock-key')
    expect(full.stdout).toBe(`To unlock a swarm manager after it restarts, run the \`tsw swarm unlock\`\ncommand and provide the following key:\n\n    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`)
    expect((await swarm.api('GET', '/v1.41/swarm')).json.Spec.EncryptionConfig).toEqual({ AutoLockManagers: true })
    await waitFor(() => kekFile().startsWith('tsw-locked:v1:'), 10_000, 'the KEK file wrapped')
    const already = await tswUnlock(key)
    expect(already.code).toBe(1)
    expect(already.stderr).toContain('swarm is not locked')
  })

  it('a restarted manager is locked: nothing but unlock; a wrong key is refused; the right one unlocks and all runs as before', { timeout: 180_000 }, async () => {
    const file = join(swarm.root, 'pw.txt')
    await run('sh', ['-c', `printf %s "$V" > ${file}`], { V: VALUE })
    expect((await tsw('secret', 'create', 'pw', file)).code).toBe(0)
    const s = await tsw('service', 'create', '--name', 'sec', '--secret', 'pw', IMG, 'sleep', '1d')
    expect(s.code).toBe(0)
    ;[container] = await waitFor(() => swarm.containers(1, 'sec').then((c) => (c.length ? c : undefined)), 60_000, 'the task container')

    await restart()
    expect(await state()).toBe('locked')
    const ls = await tsw('service', 'ls')
    expect(ls.code).toBe(1)
    expect(ls.stderr).toBe(`Error response from daemon: ${LOCKED}\n`)
    const raw = await swarm.api('GET', '/v1.41/secrets')
    expect(raw.status).toBe(503)
    expect(raw.json.message).toBe(LOCKED)
    // The task's container runs on, untouched, while the manager is locked.
    expect(await swarm.containers(1, 'sec')).toEqual([container])

    const wrong = await tswUnlock('SWMKEY-1-' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, ''))
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toBe('Error response from daemon: swarm could not be unlocked: invalid key provided\n')
    const malformed = await tswUnlock('not-a-key')
    expect(malformed.code).toBe(1)
    expect(malformed.stderr).toBe('Error response from daemon: invalid key string\n')
    expect(await state()).toBe('locked')

    const ok = await tswUnlock(key)
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(await state()).toBe('active')
    expect((await tsw('service', 'ls', '--format', '{{.Name}} {{.Replicas}}')).stdout).toBe('sec 1/1\n')
    expect(await swarm.containers(1, 'sec')).toEqual([container])
    // A new task gets the secret: the store's secrets open again.
    expect((await tsw('service', 'scale', '-d', 'sec=3')).code).toBe(0)
    const all = await waitFor(async () => {
      const ids = (await Promise.all([1, 2, 3].map(async (i) => (await swarm.containers(i, 'sec')).map((id) => ({ i, id }))))).flat()
      return ids.length === 3 ? ids : undefined
    }, 90_000, 'three tasks')
    for (const { i, id } of all) {
      await waitFor(async () => (await docker(i, 'exec', id, 'cat', '/run/secrets/pw')).stdout === VALUE, 30_000, `the secret in ${id}`)
    }
  })

  it('rotation: the old key no longer unlocks, the new one does', { timeout: 120_000 }, async () => {
    const rot = await tsw('swarm', 'unlock-key', '--rotate')
    expect(rot.code).toBe(0)
    expect(rot.stdout).toMatch(/^Successfully rotated manager unlock key\.\nTo unlock a swarm manager after it restarts/)
    const fresh = KEY.exec(rot.stdout)![0]
    expect(fresh).not.toBe(key)
    await restart()
    expect(await state()).toBe('locked')
    const old = await tswUnlock(key)
    expect(old.code).toBe(1)
    expect(old.stderr).toContain('swarm could not be unlocked: invalid key provided')
    expect((await tswUnlock(fresh)).code).toBe(0)
    expect(await state()).toBe('active')
    key = fresh
  })

  it('the docker CLI: update --autolock=false comes back unlocked; --autolock=true, unlock-key, docker swarm unlock', { timeout: 180_000 }, async () => {
    const off = await dockerM('swarm', 'update', '--autolock=false')
    expect(off.stderr).toBe('')
    expect(off.stdout).toBe('Swarm updated.\n')
    expect(kekFile().startsWith('tsw-locked:')).toBe(false)
    const none = await dockerM('swarm', 'unlock-key')
    expect(none.code).toBe(1)
    expect(none.stderr).toContain('no unlock key is set')
    const noRotate = await tsw('swarm', 'unlock-key', '--rotate')
    expect(noRotate.code).toBe(1)
    expect(noRotate.stderr).toContain('cannot rotate because autolock is not turned on')
    await restart()
    expect(await state()).toBe('active')
    expect((await dockerM('service', 'ls', '--format', '{{.Name}}')).stdout).toBe('sec\n')

    const on = await dockerM('swarm', 'update', '--autolock=true')
    expect(on.code).toBe(0)
    expect(on.stdout).toMatch(/^Swarm updated\.\nTo unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:/)
    const dockerKey = KEY.exec(on.stdout)![0]
    expect((await dockerM('swarm', 'unlock-key', '-q')).stdout).toBe(`${dockerKey}\n`)
    expect((await dockerM('info', '--format', '{{.Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers}}')).stdout).toBe('true\n')
    expect(kekFile().startsWith('tsw-locked:v1:')).toBe(true)

    await restart()
    expect((await dockerM('info', '--format', '{{.Swarm.LocalNodeState}}')).stdout).toBe('locked\n')
    const ls = await dockerM('service', 'ls')
    expect(ls.code).toBe(1)
    expect(ls.stderr).toContain(`Error response from daemon: ${LOCKED}`)
    const bad = await piped(key, 'docker swarm unlock')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('swarm could not be unlocked: invalid key provided')
    const good = await piped(dockerKey, 'docker swarm unlock')
    expect(good.stderr).toBe('')
    expect(good.code).toBe(0)
    expect((await dockerM('service', 'ls', '--format', '{{.Name}} {{.Replicas}}')).stdout).toBe('sec 3/3\n')
    expect(await swarm.containers(1, 'sec')).toContain(container)
  })
})
