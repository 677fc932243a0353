// Shell completion (oclif's autocomplete plugin, bundled): the scripts it writes
// complete tsw's commands and flags in a real bash. Needs the build, not the lab.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, run } from '../../helpers/lab.js'

describe('tsw autocomplete', () => {
  const cache = mkdtempSync(join(tmpdir(), 'tsw-ac-'))
  const tsw = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin/run.js'), ...args], { XDG_CACHE_HOME: cache })
  afterAll(() => rmSync(cache, { recursive: true, force: true }))

  /** What bash offers after `line` (the words so far, the last one being completed). */
  const complete = async (line: string) => {
    const words = line.split(' ')
    const script = `source ${join(cache, 'tsw/autocomplete/bash_setup')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE='${line}'; _tsw_autocomplete; echo "\${COMPREPLY[*]}"`
    const r = await run('bash', ['-c', script])
    expect(r.stderr).toBe('')
    return r.stdout.trim()
  }

  it('bash: prints the setup, and the script completes commands, subcommands and flags', async () => {
    const r = await tsw('autocomplete', 'bash')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('tsw autocomplete script bash')
    const setup = await tsw('autocomplete', 'script', 'bash')
    expect(setup.stdout).toContain(join(cache, 'tsw/autocomplete/bash_setup'))
    expect(await complete('tsw service sc')).toBe('scale')
    expect(await complete('tsw ev')).toBe('events')
    expect(await complete('tsw events --fi')).toBe('--filter')
    expect((await complete('tsw service create --repl')).split(' ')).toEqual(['--replicas', '--replicas-max-per-node'])
  })

  it('zsh: writes a completion function naming the commands', async () => {
    expect((await tsw('autocomplete', 'zsh')).code).toBe(0)
    const fn = readFileSync(join(cache, 'tsw/autocomplete/functions/zsh/_tsw'), 'utf8')
    expect(fn).toMatch(/^#compdef tsw/)
    expect(fn).toContain('events')
    expect(fn).toContain('--metrics-addr')
  })

  it('refuses an unknown shell', async () => {
    const r = await tsw('autocomplete', 'fish')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('Expected fish to be one of: zsh, bash, powershell')
  })
})
