import { Parser } from '@oclif/core'
import { describe, expect, test } from 'vitest'
import { normalizeArgv } from '../../../src/lib/cli/service/argv.js'
import { createFlags, serviceBaseFlags, updateFlags } from '../../../src/lib/cli/service/flags.js'
import ServiceCreate from '../../../src/commands/service/create.js'

// create's base flags: -H is the manager, --host an extra host.
const all = { ...serviceBaseFlags, ...createFlags }

describe('normalizeArgv', () => {
  test('create stops reading flags at IMAGE, as docker does', () => {
    expect(normalizeArgv(['-e', 'A=1', '--name', 'web', 'alpine', 'sh', '-c', 'echo hi'], all, true))
      .toEqual(['-e', 'A=1', '--name', 'web', 'alpine', '--', 'sh', '-c', 'echo hi'])
    expect(normalizeArgv(['-dp8080:80', '-H', 'm:2377', 'nginx'], all, true)).toEqual(['-dp8080:80', '-H', 'm:2377', 'nginx'])
    expect(normalizeArgv(['-qe', 'A=1', 'alpine', 'ls'], all, true)).toEqual(['-qe', 'A=1', 'alpine', '--', 'ls'])
    expect(normalizeArgv(['alpine', '--', 'ls', '-l'], all, true)).toEqual(['alpine', '--', 'ls', '-l'])
    expect(normalizeArgv(['--', 'alpine', '-x'], all, true)).toEqual(['--', 'alpine', '-x'])
  })
  test('booleans take =true/=false', () => {
    expect(normalizeArgv(['--tty=false', '--init=true', '--detach=false', '--force=1', 'web'], { ...updateFlags }, false))
      .toEqual(['--no-tty', '--init', '--force', 'web'])
  })
  test('what oclif then parses', async () => {
    const argv = normalizeArgv(['-e', 'A=1', '-p', '80', 'alpine', 'sh', '-c', 'x', '--replicas', '3'], all, true)
    const { argv: words, flags } = await Parser.parse(argv, { flags: all, args: ServiceCreate.args, strict: false })
    expect(words).toEqual(['alpine', 'sh', '-c', 'x', '--replicas', '3'])
    expect(flags).toMatchObject({ env: ['A=1'], publish: ['80'] })
    expect(flags.replicas).toBeUndefined()
  })
  test('every multiple flag is non-greedy (else it swallows positional arguments)', () => {
    for (const [name, f] of Object.entries({ ...createFlags, ...updateFlags }) as Array<[string, { multiple?: boolean; multipleNonGreedy?: boolean }]>) {
      if (f.multiple) expect(f.multipleNonGreedy, name).toBe(true)
    }
  })
})
