// tsw's service create/update and stack deploy pin a service's image to the
// registry's digest as docker 28's CLI does (through the manager's
// /distribution, asked on the lab registry by an engine): the same spec as the
// docker CLI writes, the same columns, the same warning when the registry
// cannot be reached, and --no-resolve-image / --resolve-image never leave it.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
// Nothing listens there: the registry cannot be asked, the engines run their local copy (tagged below).
const OFFLINE = '10.213.0.1:5999/busybox:1'
const PINNED = new RegExp(`^${IMG.replace(/[.]/g, '\\.')}@sha256:[0-9a-f]{64}$`)

describe('image digest pinning', () => {
  const swarm = new LabSwarm(2478)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  const spec = async (service: string) => JSON.parse((await tsw('service', 'inspect', service)).stdout)[0].Spec.TaskTemplate
  const compose = (name: string, image: string) => {
    const file = join(swarm.root, name)
    writeFileSync(file, `services:\n  web:\n    image: ${image}\n    command: sleep 1d\n    stop_grace_period: 1s\n`)
    return file
  }

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    for (const i of [1, 2]) {
      expect((await swarm.dockerOn(i, 'pull', IMG)).code).toBe(0)
      expect((await swarm.dockerOn(i, 'tag', IMG, OFFLINE)).code).toBe(0)
    }
  })
  afterAll(async () => {
    await swarm.destroy()
    for (const i of [1, 2]) await swarm.dockerOn(i, 'rmi', OFFLINE)
  }, 120_000)

  it('service create pins the image as the docker CLI does; ls shows it without the digest', async () => {
    const t = await tsw('service', 'create', '-d', '--name', 'tpin', '--stop-grace-period', '1s', IMG, 'sleep', '1d')
    expect(t.code, t.stderr).toBe(0)
    expect(t.stderr).toBe('')
    const d = await docker('service', 'create', '-d', '--name', 'dpin', '--stop-grace-period', '1s', IMG, 'sleep', '1d')
    expect(d.code, d.stderr).toBe(0)
    const [mine, theirs] = [await spec('tpin'), await spec('dpin')]
    expect(mine.ContainerSpec.Image).toMatch(PINNED)
    expect(mine.ContainerSpec.Image).toBe(theirs.ContainerSpec.Image)
    expect(mine.Placement.Platforms).toEqual(theirs.Placement.Platforms)
    expect(mine.Placement.Platforms).toContainEqual({ Architecture: 'amd64', OS: 'linux' })
    for (const cli of [tsw, docker]) {
      expect((await cli('service', 'ls', '--format', '{{.Name}} {{.Image}}')).stdout).toBe(`dpin ${IMG}\ntpin ${IMG}\n`)
    }
  })

  it('--no-resolve-image leaves the image as written, as docker does', async () => {
    expect((await tsw('service', 'create', '-d', '--name', 'tnores', '--no-resolve-image', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await docker('service', 'create', '-d', '--name', 'dnores', '--no-resolve-image', IMG, 'sleep', '1d')).code).toBe(0)
    expect((await spec('tnores')).ContainerSpec.Image).toBe(IMG)
    expect((await spec('dnores')).ContainerSpec.Image).toBe(IMG)
  })

  it('a registry out of reach: the service is created unpinned, with docker\'s warning word for word', async () => {
    const t = await tsw('service', 'create', '-d', '--name', 'toff', '--stop-grace-period', '1s', OFFLINE, 'sleep', '1d')
    const d = await docker('service', 'create', '-d', '--name', 'doff', '--stop-grace-period', '1s', OFFLINE, 'sleep', '1d')
    expect(t.code, t.stderr).toBe(0)
    expect(d.code, d.stderr).toBe(0)
    expect(t.stderr).toContain(`image ${OFFLINE} could not be accessed on a registry to record\nits digest.`)
    expect(t.stderr).toBe(d.stderr)
    expect((await spec('toff')).ContainerSpec.Image).toBe(OFFLINE)
  })

  it('service update pins a new --image, and asks nothing when the image does not change', async () => {
    const u = await tsw('service', 'update', '-d', '--image', IMG, 'toff')
    expect(u.code, u.stderr).toBe(0)
    expect(u.stderr).toBe('')
    const pinned = (await spec('toff')).ContainerSpec.Image
    expect(pinned).toMatch(PINNED)
    expect((await tsw('service', 'update', '-d', '--env-add', 'A=1', 'toff')).code).toBe(0)
    expect((await spec('toff')).ContainerSpec.Image).toBe(pinned)
    const off = await tsw('service', 'update', '-d', '--image', OFFLINE, 'toff')
    expect(off.stderr).toContain(`image ${OFFLINE} could not be accessed on a registry to record`)
  })

  it('stack deploy --resolve-image always (the default) pins as docker stack deploy does; never leaves it', async () => {
    const file = compose('pin.yml', IMG)
    const t = await tsw('stack', 'deploy', '-d', '-c', file, 'tstk')
    expect(t.code, t.stderr).toBe(0)
    const d = await docker('stack', 'deploy', '-d', '-c', file, 'dstk')
    expect(d.code, d.stderr).toBe(0)
    const [mine, theirs] = [await spec('tstk_web'), await spec('dstk_web')]
    expect(mine.ContainerSpec.Image).toMatch(PINNED)
    expect(mine.ContainerSpec.Image).toBe(theirs.ContainerSpec.Image)
    expect(mine.Placement.Platforms).toEqual(theirs.Placement.Platforms)
    const n = await tsw('stack', 'deploy', '-d', '--resolve-image', 'never', '-c', file, 'tnev')
    expect(n.code, n.stderr).toBe(0)
    expect((await spec('tnev_web')).ContainerSpec.Image).toBe(IMG)
  })

  it('stack deploy --resolve-image changed: an unchanged image keeps its pin, a changed one is asked for', async () => {
    const before = (await spec('tnev_web')).ContainerSpec.Image
    expect((await tsw('stack', 'deploy', '-d', '--resolve-image', 'changed', '-c', compose('pin.yml', IMG), 'tnev')).code).toBe(0)
    expect((await spec('tnev_web')).ContainerSpec.Image).toBe(before)
    const off = await tsw('stack', 'deploy', '-d', '--resolve-image', 'changed', '-c', compose('off.yml', OFFLINE), 'tnev')
    expect(off.code, off.stderr).toBe(0)
    expect(off.stderr).toContain(`image ${OFFLINE} could not be accessed on a registry to record`)
    expect((await spec('tnev_web')).ContainerSpec.Image).toBe(OFFLINE)
  })
})
