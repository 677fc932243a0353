// The real docker CLI's secret and config commands against the manager: the
// same answers, columns and errors as from a docker swarm.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, run } from '../../helpers/lab.js'
import { removeSecretPieces } from './cleanup.js'

const IMG = '10.213.0.1:5000/busybox:1'
const VALUE = 's3cr3t-value-7f1d'

describe('docker secret and config commands against the manager', () => {
  const swarm = new LabSwarm(2461)
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  const dockerIn = (input: string, ...args: string[]) => run('sh', ['-c', `printf %s "$IN" | docker ${args.map((a) => `'${a}'`).join(' ')}`], { ...swarm.dockerEnv(1), IN: input })

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
  })
  afterAll(async () => {
    const id = swarm.clusterId()
    await swarm.destroy()
    await removeSecretPieces(1, id)
  }, 120_000)

  it('secret create (stdin), ls, inspect without the data, filters', async () => {
    const c = await dockerIn(VALUE, 'secret', 'create', '--label', 'env=prod', 'db_pw', '-')
    expect(c.stderr).toBe('')
    expect(c.code).toBe(0)
    const id = c.stdout.trim()
    expect(id).toMatch(/^[a-z0-9]{25}$/)
    const ls = await docker('secret', 'ls')
    expect(ls.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+DRIVER\s+CREATED\s+UPDATED$/)
    expect(ls.stdout).toMatch(new RegExp(`^${id}\\s+db_pw\\s+(?:\\S.*)?ago\\s+.*ago\\s*$`, 'm'))
    const inspect = JSON.parse((await docker('secret', 'inspect', 'db_pw')).stdout)[0]
    expect(inspect.ID).toBe(id)
    expect(inspect.Spec).toEqual({ Name: 'db_pw', Labels: { env: 'prod' } })
    expect(JSON.stringify(inspect)).not.toContain(Buffer.from(VALUE).toString('base64'))
    expect((await docker('secret', 'inspect', '--format', '{{.Spec.Name}}', id.slice(0, 12))).stdout).toBe('db_pw\n')
    expect((await docker('secret', 'ls', '-q', '--filter', 'label=env=prod')).stdout).toBe(`${id}\n`)
    expect((await docker('secret', 'ls', '-q', '--filter', 'label=env=dev')).stdout).toBe('')
    expect((await docker('secret', 'ls', '--format', '{{.Name}}', '--filter', 'name=db')).stdout).toBe('db_pw\n')
    const dup = await dockerIn(VALUE, 'secret', 'create', 'db_pw', '-')
    expect(dup.code).toBe(1)
    expect(dup.stderr).toContain('Error response from daemon: rpc error: code = AlreadyExists desc = secret db_pw already exists')
    const bad = await dockerIn(VALUE, 'secret', 'create', '_bad', '-')
    expect(bad.stderr).toContain('invalid name, only 64 [a-zA-Z0-9-_.] characters allowed')
    const missing = await docker('secret', 'inspect', 'nope')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('nope')
  })

  it('config create from a file; inspect shows the data, --pretty too', async () => {
    const file = join(swarm.root, 'app.conf')
    await run('sh', ['-c', `printf 'listen 80\\n' > ${file}`])
    const c = await docker('config', 'create', 'app_conf', file)
    expect(c.code).toBe(0)
    const ls = await docker('config', 'ls')
    expect(ls.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+CREATED\s+UPDATED$/)
    const inspect = JSON.parse((await docker('config', 'inspect', 'app_conf')).stdout)[0]
    expect(Buffer.from(inspect.Spec.Data, 'base64').toString()).toBe(readFileSync(file, 'utf8'))
    const pretty = await docker('config', 'inspect', '--pretty', 'app_conf')
    expect(pretty.stdout).toMatch(/^Name:\s+app_conf$/m)
    expect(pretty.stdout).toContain('listen 80')
  })

  it('rm is refused while a service uses it, with swarmkit words; works after', async () => {
    const s = await docker('service', 'create', '-d', '--name', 'uses', '--secret', 'db_pw', '--config', 'app_conf', IMG, 'sleep', '1d')
    expect(s.stderr).toBe('')
    expect(s.code).toBe(0)
    const spec = JSON.parse((await docker('service', 'inspect', 'uses')).stdout)[0].Spec.TaskTemplate.ContainerSpec
    expect(spec.Secrets[0]).toMatchObject({ SecretName: 'db_pw', File: { Name: 'db_pw', UID: '0', GID: '0', Mode: 0o444 } })
    expect(spec.Configs[0]).toMatchObject({ ConfigName: 'app_conf', File: { Name: 'app_conf' } })
    const rm = await docker('secret', 'rm', 'db_pw')
    expect(rm.code).toBe(1)
    expect(rm.stderr).toContain("rpc error: code = InvalidArgument desc = secret 'db_pw' is in use by the following service: uses")
    const crm = await docker('config', 'rm', 'app_conf')
    expect(crm.stderr).toContain("rpc error: code = InvalidArgument desc = config 'app_conf' is in use by the following service: uses")
    expect((await docker('service', 'rm', 'uses')).code).toBe(0)
    expect((await docker('secret', 'rm', 'db_pw')).stdout).toBe('db_pw\n')
    expect((await docker('config', 'rm', 'app_conf')).code).toBe(0)
    expect((await docker('secret', 'ls', '-q')).stdout).toBe('')
  })

  it('an unknown secret in service create is refused, nothing created', async () => {
    const s = await docker('service', 'create', '-d', '--name', 'nosecret', '--secret', 'ghost', IMG, 'sleep', '1d')
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('ghost')
    expect((await docker('service', 'ls', '-q')).stdout).toBe('')
  })

  it('the secret value is nowhere in the manager data dir in plain text or base64', async () => {
    const c = await dockerIn(VALUE, 'secret', 'create', 'kept', '-')
    expect(c.code).toBe(0)
    const g = await run('grep', ['-rlaF', '-e', VALUE, '-e', Buffer.from(VALUE).toString('base64'), swarm.dir(1)])
    expect(g.stdout).toBe('')
  })
})
