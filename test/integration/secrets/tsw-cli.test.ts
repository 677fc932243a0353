// tsw's secret and config commands against a swarm of the lab, and services
// that use them.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, run } from '../../helpers/lab.js'
import { removeSecretPieces } from './cleanup.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('tsw secret and config commands', () => {
  const swarm = new LabSwarm(2462)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const tswIn = (input: string, ...args: string[]) => run('sh', ['-c', `printf %s "$IN" | "$NODE" bin/run.js ${args.map((a) => `'${a}'`).join(' ')}`], {
    IN: input, NODE: process.execPath, TSW_DATA_DIR: swarm.dir(1), TSW_INSECURE_OK: '1',
  })

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
  })
  afterAll(async () => {
    const id = swarm.clusterId()
    await swarm.destroy()
    await removeSecretPieces(1, id)
  }, 120_000)

  it('secret create from stdin, ls (docker columns), inspect hides the data, rm', async () => {
    const c = await tswIn('pa55', 'secret', 'create', '--label', 'env=prod', 'pw', '-')
    expect(c.stderr).toBe('')
    const id = c.stdout.trim()
    expect(id).toMatch(/^[a-z0-9]{25}$/)
    const ls = await tsw('secret', 'ls')
    expect(ls.stdout).toMatch(new RegExp(`^ID\\s+NAME\\s+DRIVER\\s+CREATED\\s+UPDATED\\n${id}\\s+pw\\s+\\S.* ago\\s+\\S.* ago\\n$`))
    expect((await tsw('secret', 'ls', '-q', '--filter', 'label=env=prod')).stdout).toBe(`${id}\n`)
    expect((await tsw('secret', 'ls', '--format', '{{.Name}}', '--filter', 'names=p')).stdout).toBe('')
    const inspect = await tsw('secret', 'inspect', 'pw')
    expect(JSON.parse(inspect.stdout)[0].Spec).toEqual({ Name: 'pw', Labels: { env: 'prod' } })
    expect(inspect.stdout).not.toContain(Buffer.from('pa55').toString('base64'))
    const miss = await tsw('secret', 'inspect', 'pw', 'nope')
    expect(miss.code).toBe(1)
    expect(miss.stderr).toContain('Error response from daemon: secret nope not found')
    const dup = await tswIn('x', 'secret', 'create', 'pw', '-')
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('secret pw already exists')
    const nofile = await tsw('secret', 'create', 'other', join(swarm.root, 'absent'))
    expect(nofile.code).toBe(1)
    expect(nofile.stderr).toContain('no such file or directory')
  })

  it('config create from a file, inspect --pretty, ls', async () => {
    const file = join(swarm.root, 'app.conf')
    await run('sh', ['-c', `printf 'port=80\\n' > ${file}`])
    expect((await tsw('config', 'create', 'app', file)).code).toBe(0)
    expect((await tsw('config', 'ls')).stdout).toMatch(/^ID\s+NAME\s+CREATED\s+UPDATED\n\S{25}\s+app\s+/)
    const pretty = await tsw('config', 'inspect', '--pretty', 'app')
    expect(pretty.stdout).toMatch(/^Name:\t+app$/m)
    expect(pretty.stdout).toContain('Data:\nport=80\n')
  })

  it('service create --secret/--config; unknown secret refused, nothing created; rm refused while used', async () => {
    const bad = await tsw('service', 'create', '-d', '--name', 'nope', '--secret', 'ghost', IMG, 'sleep', '1d')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('secret not found: ghost')
    expect((await tsw('service', 'ls', '-q')).stdout).toBe('')
    const s = await tsw('service', 'create', '-d', '--name', 'app', '--secret', 'source=pw,target=db_pw,uid=100,mode=0400', '--config', 'source=app,target=/etc/app.conf', IMG, 'sleep', '1d')
    expect(s.stderr).toBe('')
    expect(s.code).toBe(0)
    const c = JSON.parse((await tsw('service', 'inspect', 'app')).stdout)[0].Spec.TaskTemplate.ContainerSpec
    expect(c.Secrets).toEqual([{ File: { Name: 'db_pw', UID: '100', GID: '0', Mode: 0o400 }, SecretID: expect.stringMatching(/^\S{25}$/), SecretName: 'pw' }])
    expect(c.Configs[0]).toMatchObject({ ConfigName: 'app', File: { Name: '/etc/app.conf' } })
    const rm = await tsw('secret', 'rm', 'pw')
    expect(rm.code).toBe(1)
    expect(rm.stderr).toContain("secret 'pw' is in use by the following service: app")
    const u = await tsw('service', 'update', '-d', '--secret-rm', 'pw', '--config-rm', 'app', 'app')
    expect(u.code).toBe(0)
    expect((await tsw('secret', 'rm', 'pw')).stdout).toBe('pw\n')
    expect((await tsw('config', 'rm', 'app')).stdout).toBe('app\n')
  })
})
