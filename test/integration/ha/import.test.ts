// Moving a single-manager (SQLite) swarm to etcd: tsw manager --store etcd://… --import-from DIR.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, lab, LabSwarm, ROOT, waitFor } from '../../helpers/lab.js'
import { ETCD, IMG } from '../../helpers/managers.js'

describe('manager --import-from: a SQLite swarm moved to etcd', () => {
  const swarm = new LabSwarm(2393)
  const ids = async () => (await Promise.all([1, 2, 3].map((i) => swarm.containers(i, 'moved')))).flat().sort()

  beforeAll(async () => {
    await lab('etcd', '3')
    expect((await swarm.init()).code).toBe(0)
    for (const i of [2, 3]) expect((await swarm.join(i)).code).toBe(0)
    const files = mkdtempSync(join(tmpdir(), 'tsw-import-'))
    writeFileSync(join(files, 'pw'), 'kept-secret-value')
    writeFileSync(join(files, 'conf'), 'kept=config')
    expect((await swarm.tsw(1, 'secret', 'create', 'moved_pw', join(files, 'pw'))).code).toBe(0)
    expect((await swarm.tsw(1, 'config', 'create', 'moved_conf', join(files, 'conf'))).code).toBe(0)
    const c = await swarm.tsw(1, 'service', 'create', '--name', 'moved', '--replicas', '3', '--stop-grace-period', '1s',
      '--secret', 'moved_pw', '--config', 'source=moved_conf,target=/moved.conf', IMG, 'sleep', '1d')
    expect(c.code).toBe(0)
    expect((await swarm.tsw(1, 'node', 'update', '--label-add', 'kept=yes', 'node02')).code).toBe(0)
  }, 180_000)
  afterAll(async () => {
    await swarm.destroy()
    await lab('etcd-stop')
  }, 120_000)

  it('refuses while the manager runs, then moves every object with nothing lost and nothing run twice', async () => {
    const before = await ids()
    expect(before).toHaveLength(3)
    const tasksBefore = JSON.parse((await swarm.api('GET', '/tasks')).body).map((t: { ID: string }) => t.ID).sort()
    const running = await swarm.tsw(1, 'manager', '--store', ETCD, '--import-from', swarm.dir(1))
    expect(running.code).toBe(1)
    expect(running.stderr).toContain('is running: stop it first')
    const pid = swarm.managerPid()
    process.kill(pid, 'SIGTERM')
    await waitFor(() => { try { process.kill(pid, 0); return false } catch { return true } }, 20_000, 'the manager to stop')

    const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), 'manager', '--store', ETCD, '--import-from', swarm.dir(1)], { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TSW_INSECURE_OK: '1' } })
    let stderr = ''
    child.stderr!.on('data', (c) => (stderr += c))
    child.unref()
    await waitFor(async () => (await swarm.tsw(1, 'service', 'ls', '-q')).code === 0, 30_000, 'the manager on etcd')
    expect(stderr).toMatch(/^imported \d+ objects of .* into etcd:\/\//)
    const config = JSON.parse(readFileSync(join(swarm.dir(1), 'manager/config.json'), 'utf8'))
    expect(config.Store.URL).toBe(ETCD)
    expect(existsSync(join(swarm.dir(1), 'manager/state.db'))).toBe(false)
    expect(existsSync(join(swarm.dir(1), 'manager/state.db.imported'))).toBe(true)

    // The same nodes, labels, service, tasks and containers.
    const nodes = await swarm.tsw(1, 'node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}')
    expect(nodes.stdout).toBe('node01 Ready Leader\nnode02 Ready \nnode03 Ready \n')
    expect((await swarm.tsw(1, 'node', 'inspect', '--format', '{{json .Spec.Labels}}', 'node02')).stdout.trim()).toBe('{"kept":"yes"}')
    expect(JSON.parse((await swarm.api('GET', '/tasks')).body).map((t: { ID: string }) => t.ID).sort()).toEqual(tasksBefore)
    // The executor has looked at every engine (its first pass, at start) and left the containers as they were.
    await waitFor(() => (stderr.match(/executor: watching the events of node/g) ?? []).length >= 3, 30_000, 'the executor on every engine')
    expect(await ids()).toEqual(before)
    // Secrets and configs came along (sealed as they were): listed, and delivered to a new task.
    expect((await swarm.tsw(1, 'secret', 'ls', '--format', '{{.Name}}')).stdout.trim()).toBe('moved_pw')
    expect((await swarm.tsw(1, 'config', 'ls', '--format', '{{.Name}}')).stdout.trim()).toBe('moved_conf')
    // It goes on working, and runs on etcd from now on.
    expect((await swarm.tsw(1, 'service', 'scale', 'moved=4')).code).toBe(0)
    const now = await ids()
    expect(now.length).toBe(4)
    const added = now.find((id) => !before.includes(id))!
    const host = await waitFor(async () => {
      for (const i of [1, 2, 3]) if ((await swarm.containers(i, 'moved')).includes(added)) return i
      return undefined
    }, 10_000, 'the new container')
    const read = await docker(host, 'exec', added, 'cat', '/run/secrets/moved_pw', '/moved.conf')
    expect(read.stdout).toBe('kept-secret-valuekept=config')
    const again = await swarm.tsw(1, 'manager', '--store', ETCD, '--import-from', swarm.dir(1))
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/is running|keeps its state in etcd/)
  }, 120_000)
})
