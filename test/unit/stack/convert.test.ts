// Compose services → swarm ServiceSpecs, networks, secrets and configs, as docker/cli's convert.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCompose, type ComposeSource } from '../../../src/lib/stack/load.js'
import { planStack } from '../../../src/lib/stack/plan.js'
import { readFileSync } from 'node:fs'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const fixture = (name: string): ComposeSource => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })
const env: Record<string, string> = { SECRET_FROM_CLI: 's3', FROM_CLI_TOO: 'yes', DB_PASS: 'hunter2' }
const lookup = (k: string) => env[k]
const plan = (sources: ComposeSource[], dir = FIXTURES) => planStack('vote', loadCompose(sources, lookup, dir).config, lookup)
const planText = (text: string, dir = FIXTURES) => plan([{ name: 'docker-compose.yml', text }], dir)
const planError = (text: string, dir = FIXTURES) => {
  try {
    planText(text, dir)
  } catch (err) {
    return (err as Error).message
  }
  return 'no error'
}

describe('converting a stack', () => {
  const p = plan([fixture('voting.yml')])
  const web = p.services.find((s) => s.Name === 'vote_web')!
  const db = p.services.find((s) => s.Name === 'vote_db')!

  it('names every object STACK_x and labels it with the namespace (and the image on services)', () => {
    expect(p.services.map((s) => s.Name)).toEqual(['vote_db', 'vote_web'])
    expect(web.Labels).toEqual({ 'com.example.tier': 'frontend', 'com.docker.stack.namespace': 'vote', 'com.docker.stack.image': 'docker.io/example/web:1.0' })
    expect(web.TaskTemplate.ContainerSpec.Labels).toEqual({ 'com.example.container': 'web', 'com.docker.stack.namespace': 'vote' })
    expect(p.networks).toEqual([
      { name: 'vote_backend', spec: { Name: 'vote_backend', Driver: 'overlay', Scope: 'swarm', Internal: true, Labels: { 'com.example.net': 'back', 'com.docker.stack.namespace': 'vote' } } },
      { name: 'vote_frontend', spec: { Name: 'vote_frontend', Driver: 'overlay', Scope: 'swarm', Attachable: true, Labels: { 'com.docker.stack.namespace': 'vote' } } },
    ])
  })

  it('converts the container: command to Args, env from env_file then environment (CLI values for empty ones), sorted', () => {
    const c = web.TaskTemplate.ContainerSpec
    expect(c.Image).toBe('docker.io/example/web:1.0')
    expect(c.Command).toBeUndefined()
    expect(c.Args).toEqual(['gunicorn', 'app:app', '--bind', '0.0.0.0:8000'])
    expect(c.Env).toEqual(['DATABASE_HOST=db', 'DEBUG=false', 'FROM_CLI_TOO=yes', 'LOG_LEVEL=info', 'SECRET_FROM_CLI=s3', 'WORKERS=4'])
    expect(c.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'curl -f http://localhost:8000/health'], Interval: 30e9, Timeout: 5e9, Retries: 3, StartPeriod: 60e9 })
    expect(c.StopGracePeriod).toBe(90e9)
    expect(web.TaskTemplate.LogDriver).toEqual({ Name: 'json-file', Options: { 'max-size': '10m' } })
  })

  it('converts deploy: mode, placement, resources, restart policy, update and rollback configs', () => {
    expect(web.Mode).toEqual({ Replicated: { Replicas: 3 } })
    expect(web.TaskTemplate.Placement).toEqual({
      Constraints: ['node.role == worker', 'node.labels.zone != edge'],
      Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }],
      MaxReplicas: 2,
    })
    expect(web.TaskTemplate.Resources).toEqual({ Limits: { NanoCPUs: 5e8, MemoryBytes: 512 * 1024 ** 2 }, Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 128 * 1024 ** 2 } })
    expect(web.TaskTemplate.RestartPolicy).toEqual({ Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 120e9 })
    expect(web.UpdateConfig).toEqual({ Parallelism: 2, Delay: 10e9, FailureAction: 'rollback', Monitor: 30e9, MaxFailureRatio: 0.1, Order: 'start-first' })
    expect(web.RollbackConfig).toEqual({ Parallelism: 0, Order: 'stop-first' })
    expect(db.Mode).toEqual({ Global: {} })
    expect(db.EndpointSpec).toEqual({ Mode: 'dnsrr', Ports: [] })
  })

  it('converts ports (sorted by published port), networks with the service name as alias, and mounts', () => {
    expect(web.EndpointSpec).toEqual({
      Mode: 'vip', Ports: [
        { Protocol: 'tcp', TargetPort: 8000, PublishedPort: 80, PublishMode: 'ingress' },
        { Protocol: 'tcp', TargetPort: 8443, PublishedPort: 443, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 9090, PublishedPort: 9090, PublishMode: 'ingress' },
      ],
    })
    expect(web.TaskTemplate.Networks).toEqual([{ Target: 'vote_backend', Aliases: ['web'] }, { Target: 'vote_frontend', Aliases: ['web'] }])
    expect(db.TaskTemplate.Networks).toEqual([{ Target: 'vote_backend', Aliases: ['postgres', 'db'] }])
    expect(db.TaskTemplate.ContainerSpec.Mounts).toEqual([
      { Type: 'volume', Source: 'vote_dbdata', Target: '/var/lib/postgresql/data', VolumeOptions: { Labels: { 'com.example.vol': 'db', 'com.docker.stack.namespace': 'vote' } } },
      { Type: 'bind', Source: join(FIXTURES, 'initdb'), Target: '/docker-entrypoint-initdb.d', ReadOnly: true },
      { Type: 'tmpfs', Target: '/run/postgresql', TmpfsOptions: { SizeBytes: 64 * 1024 ** 2 } },
    ])
    const c = db.TaskTemplate.ContainerSpec
    expect([c.User, c.Dir, c.Hostname, c.StopSignal]).toEqual(['postgres', '/var/lib/postgresql', 'db', 'SIGINT'])
    expect(c.CapabilityAdd).toEqual(['CAP_SYS_NICE'])
    expect(c.Sysctls).toEqual({ 'net.core.somaxconn': '1024' })
    expect(c.Ulimits).toEqual([{ Name: 'nofile', Soft: 20000, Hard: 40000 }, { Name: 'nproc', Soft: 65535, Hard: 65535 }])
  })

  it('converts dns, extra_hosts and stdin_open as docker does', () => {
    const q = planText('services:\n  web:\n    image: x\n    dns: 10.0.0.2\n    dns_search: [corp.example]\n    extra_hosts: ["db.local:10.1.2.3", "cache:10.1.2.4"]\n    stdin_open: true\n')
    const c = q.services[0].TaskTemplate.ContainerSpec
    expect(c.DNSConfig).toEqual({ Nameservers: ['10.0.0.2'], Search: ['corp.example'] })
    expect(c.Hosts).toEqual(['10.1.2.3 db.local', '10.1.2.4 cache'])
    expect(c.OpenStdin).toBe(true)
  })

  it('a service without networks joins STACK_default; external networks are checked, not created', () => {
    const q = planText('services:\n  a:\n    image: x\n  b:\n    image: x\n    networks: [shared]\nnetworks:\n  shared:\n    external: true\n    name: corp-net\n')
    expect(q.networks.map((n) => n.name)).toEqual(['vote_default'])
    expect(q.externalNetworks).toEqual(['corp-net'])
    expect(q.services[1].TaskTemplate.Networks).toEqual([{ Target: 'corp-net', Aliases: ['b'] }])
  })

  it('secrets and configs: file ones created as STACK_x, external ones referenced, defaults of docker (target = key, 0/0, 0444)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsw-stack-unit-'))
    writeFileSync(join(dir, 'nginx.conf'), 'events {}\n')
    writeFileSync(join(dir, 'db_pass.txt'), 'hunter2')
    const q = planText(`services:
  web:
    image: x
    secrets: [db_pass, {source: api_key, target: api, uid: "100", mode: 0400}]
    configs: [{source: nginx, target: /etc/nginx/nginx.conf}]
secrets:
  db_pass: {file: ./db_pass.txt}
  api_key: {external: true}
configs:
  nginx: {file: ./nginx.conf}
`, dir)
    expect(q.secrets).toEqual([{ Name: 'vote_db_pass', Labels: { 'com.docker.stack.namespace': 'vote' }, Data: Buffer.from('hunter2').toString('base64') }])
    expect(q.externalSecrets).toEqual(['api_key'])
    expect(q.configs).toEqual([{ Name: 'vote_nginx', Labels: { 'com.docker.stack.namespace': 'vote' }, Data: Buffer.from('events {}\n').toString('base64') }])
    const c = q.services[0].TaskTemplate.ContainerSpec as { Secrets: unknown[]; Configs: unknown[] }
    expect(c.Secrets).toEqual([
      { File: { Name: 'api', UID: '100', GID: '0', Mode: 0o400 }, SecretID: '', SecretName: 'api_key' },
      { File: { Name: 'db_pass', UID: '0', GID: '0', Mode: 0o444 }, SecretID: '', SecretName: 'vote_db_pass' },
    ])
    expect(c.Configs).toEqual([{ File: { Name: '/etc/nginx/nginx.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigID: '', ConfigName: 'vote_nginx' }])
  })

  it('refuses secrets and configs from environment: or content:, as docker 28\'s stack loader (schema 3.x) does', () => {
    expect(planError('services:\n  web:\n    image: x\nsecrets:\n  api_key:\n    environment: DB_PASS\n')).toBe('docker-compose.yml: secrets.api_key Additional property environment is not allowed')
    expect(planError('services:\n  web:\n    image: x\nconfigs:\n  c:\n    content: hi\n')).toBe('docker-compose.yml: configs.c Additional property content is not allowed')
  })

  it('refuses what cannot be deployed, naming the service and the key', () => {
    expect(planError('services:\n  web:\n    image: x\n    networks: [nowhere]\n')).toBe('services.web.networks: undefined network "nowhere": declare it under the top-level networks key')
    expect(planError('services:\n  web:\n    image: x\n    volumes: ["data:/data"]\n')).toBe('services.web.volumes.0: undefined volume "data": declare it under the top-level volumes key')
    expect(planError('services:\n  web:\n    image: x\n    secrets: [nope]\n')).toBe('services.web.secrets: undefined secret "nope": declare it under the top-level secrets key')
    expect(planError('services:\n  web:\n    image: x\nsecrets:\n  s: {file: ./missing.txt}\n')).toBe(`secrets.s.file: open ${join(FIXTURES, 'missing.txt')}: no such file or directory`)
    expect(planError('services:\n  web:\n    build: .\n')).toMatch(/^services.web: image is required/)
    expect(planError('services:\n  web:\n    image: x\n    isolation: hyperv\n')).toMatch(/^services.web.isolation: tsw cannot deploy this option/)
    expect(planError('services:\n  web:\n    image: x\n    deploy: {mode: global, replicas: 2}\n')).toBe('services.web.deploy: replicas can only be used with replicated or replicated-job mode')
    expect(planError('services:\n  web:\n    image: x\n    deploy: {mode: replicated-job}\n')).toMatch(/tsw does not run replicated-job services/)
    expect(planError('services:\n  web:\n    image: x\n    stop_grace_period: soon\n')).toMatch(/^services.web.stop_grace_period: invalid duration "soon"/)
    expect(planError('services:\n  web:\n    image: x\nnetworks:\n  default:\n    driver: bridge\n')).toMatch(/^networks.default.driver: tsw's stack networks are overlay networks, not bridge/)
  })
})

describe('stack config', () => {
  it('prints the merged, interpolated file with each environment resolved', async () => {
    const { renderConfig } = await import('../../../src/lib/stack/render.js')
    const { config } = loadCompose([fixture('voting.yml'), fixture('voting.prod.yml')], lookup, FIXTURES)
    const out = renderConfig(config, lookup)
    expect(out.startsWith('version: "3.8"\nservices:\n  web:\n')).toBe(true)
    expect(out).toContain('    image: example/web:2.0\n')
    expect(out).toContain('      SECRET_FROM_CLI: s3\n')
    expect(out).toContain('      LOG_LEVEL: info\n')
    expect(out).toContain('  cache:\n    image: redis:7\n')
  })
})
