// --secret/--config and their -add/-rm forms, as docker parses them.
import { describe, expect, it } from 'vitest'
import { parseConfig, parseSecret } from '../../../src/lib/cli/service/opts/index.js'
import { specFromFlags } from '../../../src/lib/cli/service/spec.js'
import { applyUpdateFlags } from '../../../src/lib/cli/service/update.js'

describe('--secret and --config', () => {
  it('reads the short and the long form with docker defaults', () => {
    expect(parseSecret('db')).toEqual({ File: { Name: 'db', UID: '0', GID: '0', Mode: 0o444 }, SecretID: '', SecretName: 'db' })
    expect(parseSecret('source=db,target=pw,uid=100,gid=101,mode=0400')).toEqual({
      File: { Name: 'pw', UID: '100', GID: '101', Mode: 0o400 }, SecretID: '', SecretName: 'db',
    })
    expect(parseSecret('src=db,mode=256').File!.Mode).toBe(256)
    expect(parseSecret('src=db,mode=0o600').File!.Mode).toBe(0o600)
    expect(parseConfig('source=app,target=/etc/app.conf')).toEqual({
      File: { Name: '/etc/app.conf', UID: '0', GID: '0', Mode: 0o444 }, ConfigID: '', ConfigName: 'app',
    })
  })

  it('refuses bad values in docker words', () => {
    expect(() => parseSecret('target=x')).toThrow('source is required')
    expect(() => parseSecret('src=a,foo=b')).toThrow('invalid field in secret request: foo')
    expect(() => parseConfig('src=a,foo=b')).toThrow('invalid field in config request: foo')
    expect(() => parseSecret('src=a,mode=rw')).toThrow('invalid mode specified: strconv.ParseUint: parsing "rw": invalid syntax')
    expect(() => parseSecret('src=a,bare')).toThrow("invalid field 'bare' must be a key=value pair")
  })

  it('create puts them in the container spec; a shared target is refused', () => {
    const spec = specFromFlags('img', [], { secret: ['db', 'source=api,target=key'], config: ['app'] })
    expect(spec.TaskTemplate.ContainerSpec.Secrets!.map((s) => [s.SecretName, s.File!.Name])).toEqual([['db', 'db'], ['api', 'key']])
    expect(spec.TaskTemplate.ContainerSpec.Configs!.map((s) => s.ConfigName)).toEqual(['app'])
    expect(() => specFromFlags('img', [], { secret: ['a', 'source=b,target=a'] })).toThrow('duplicate secret target for b not allowed')
    expect(() => specFromFlags('img', [], { secret: ['src=x,mode=z'] })).toThrow('invalid argument "src=x,mode=z" for "--secret" flag: invalid mode specified')
  })

  it('update removes by name, then adds', () => {
    const current = specFromFlags('img', [], { secret: ['a', 'b'], config: ['c'] })
    const next = applyUpdateFlags(current, { 'secret-rm': ['a'], 'secret-add': ['source=d,target=a'], 'config-rm': ['c'] })
    expect(next.TaskTemplate.ContainerSpec.Secrets!.map((s) => `${s.SecretName}:${s.File!.Name}`)).toEqual(['b:b', 'd:a'])
    expect(next.TaskTemplate.ContainerSpec.Configs).toEqual([])
    expect(current.TaskTemplate.ContainerSpec.Secrets).toHaveLength(2)
    expect(() => applyUpdateFlags(current, { 'secret-add': ['source=x,target=b'] })).toThrow('duplicate secret target for x not allowed')
  })
})
