// Loading compose files: parse, interpolate, cast, validate, normalize, merge.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCompose, type ComposeSource } from '../../../src/lib/stack/load.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const fixture = (name: string): ComposeSource => ({ name, text: readFileSync(join(FIXTURES, name), 'utf8') })
const env: Record<string, string> = { TAG: '1.4', SECRET_FROM_CLI: 's3', FROM_CLI_TOO: 'yes' }
const load = (...sources: ComposeSource[]) => loadCompose(sources, (k) => env[k], FIXTURES)
const text = (t: string, name = 'docker-compose.yml'): ComposeSource => ({ name, text: t })
const loadError = (t: string) => {
  try {
    load(text(t))
  } catch (err) {
    return (err as Error).message
  }
  return 'no error'
}

describe('loading a compose file', () => {
  it('reads a real-world file: anchors and merge keys, interpolation with defaults, short syntaxes in long form', () => {
    const { config, warnings } = load(fixture('voting.yml'))
    const web = config.services.web
    expect(web.image).toBe('docker.io/example/web:1.4')
    expect(web.environment).toEqual({ DATABASE_HOST: 'db', WORKERS: '4', DEBUG: 'false', SECRET_FROM_CLI: null })
    expect(web.labels).toEqual({ 'com.example.container': 'web' })
    expect(web.ports).toEqual([
      { target: 8000, published: 80, protocol: 'tcp', mode: 'ingress' },
      { target: 9090, published: 9090, protocol: 'tcp', mode: 'ingress' },
      { target: 8443, published: 443, protocol: 'tcp', mode: 'host' },
    ])
    expect(web.networks).toEqual({ frontend: null, backend: null })
    expect(web.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m' } })
    expect(config.services.db.volumes).toEqual([
      { type: 'volume', source: 'dbdata', target: '/var/lib/postgresql/data' },
      { type: 'bind', source: join(FIXTURES, 'initdb'), target: '/docker-entrypoint-initdb.d', read_only: true },
      { type: 'tmpfs', target: '/run/postgresql', tmpfs: { size: '64m' } },
    ])
    // `restart` came in through the merge key: docker warns that stack deploy ignores it.
    expect(warnings).toEqual(['Ignoring unsupported options: restart\n'])
    expect(config.version).toBe('3.8')
  })

  it('merges files in order as docker does: scalars replaced, maps merged, ports by published port, lists appended, new services added', () => {
    const { config } = load(fixture('voting.yml'), fixture('voting.prod.yml'))
    const web = config.services.web
    expect(web.image).toBe('example/web:2.0')
    expect(web.environment).toEqual({ DATABASE_HOST: 'db', WORKERS: '4', DEBUG: 'true', SECRET_FROM_CLI: null, EXTRA: '1' })
    expect(web.ports?.map((p) => `${p.published}:${p.target}`)).toEqual(['80:8080', '9090:9090', '443:8443'])
    const deploy = web.deploy as { replicas: number; placement: { constraints: string[]; max_replicas_per_node: number } }
    expect(deploy.replicas).toBe(5)
    expect(deploy.placement.constraints).toEqual(['node.role == worker', 'node.labels.zone != edge', 'node.labels.prod == yes'])
    expect(deploy.placement.max_replicas_per_node).toBe(2)
    expect(Object.keys(config.services).sort()).toEqual(['cache', 'db', 'web'])
  })

  it('casts interpolated numbers and booleans where docker does', () => {
    env.N = '4'
    env.RO = 'true'
    const { config } = load(text('services:\n  web:\n    image: x\n    read_only: ${RO}\n    deploy:\n      replicas: ${N}\n    ports:\n      - target: ${N}\n        published: "80${N}"\n'))
    expect((config.services.web.deploy as { replicas: unknown }).replicas).toBe(4)
    expect(config.services.web.read_only).toBe(true)
    expect(config.services.web.ports).toEqual([{ target: 4, published: 804, protocol: 'tcp', mode: 'ingress' }])
  })

  it('rejects unknown keys and wrong types with the file and the path', () => {
    expect(loadError('services:\n  web:\n    image: x\n    imgae: y\n')).toBe('docker-compose.yml: services.web Additional property imgae is not allowed')
    expect(loadError('servics: {}\n')).toBe('docker-compose.yml: (root) Additional property servics is not allowed')
    expect(loadError('services:\n  web:\n    image: x\n    ports: [true]\n')).toBe('docker-compose.yml: services.web.ports.0 must be a string, number or mapping')
    expect(loadError('services:\n  web:\n    image: x\n    ports: [{target: 80, publish: 80}]\n')).toBe('docker-compose.yml: services.web.ports.0 Additional property publish is not allowed')
    expect(loadError('services:\n  web:\n    image: [x]\n')).toBe('docker-compose.yml: services.web.image must be a string')
    expect(loadError('services:\n  web:\n    image: x\n    deploy: {replicas: two}\n')).toMatch(/^docker-compose.yml: failed to cast to expected type: .*"two".*services.web.deploy.replicas/)
    expect(loadError('services:\n  web:\n    image: x\n    deploy: {mode: daemon}\n')).toBe('docker-compose.yml: services.web.deploy.mode must be one of the following: "replicated", "global", "replicated-job", "global-job"')
    expect(loadError('services:\n  web:\n    image: x\n    environment: [1]\n')).toBe('docker-compose.yml: services.web.environment.0 must be a string')
    expect(loadError('services:\n  web:\n    image: x\n    networks:\n      front:\n        aliasez: [a]\n')).toBe('docker-compose.yml: services.web.networks.front Additional property aliasez is not allowed')
    expect(loadError('version: "2.4"\nservices: {}\n')).toMatch(/unsupported Compose file version: 2.4/)
    expect(loadError('services: [a]\n')).toBe('docker-compose.yml: services must be a mapping')
    expect(loadError('services:\n  web: {image: x\n')).toMatch(/^docker-compose.yml: yaml: /)
    expect(loadError('- a\n')).toBe('docker-compose.yml: top-level object must be a mapping')
  })

  it('refuses the keys docker refuses, and warns about the ones it ignores', () => {
    expect(loadError('services:\n  web:\n    image: x\n    mem_limit: 1g\n')).toBe('docker-compose.yml: Compose file contains unsupported options:\n\nmem_limit: Set resource limits using deploy.resources\n')
    const { warnings } = load(text('services:\n  web:\n    image: x\n    build: .\n    links: [db]\n    container_name: w\n    depends_on: [db]\n'))
    expect(warnings).toEqual([
      'Ignoring unsupported options: build, links\n',
      'Ignoring deprecated options:\n\ncontainer_name: Setting the container name is not supported.\n',
    ])
  })
})
