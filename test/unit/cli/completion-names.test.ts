// The bash name completion added to oclif's script: a stand-in `tsw` on PATH
// answers the ls calls, a real bash completes.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { withNameCompletion } from '../../../src/lib/cli/completion-names.js'

const PLUGIN = `_tsw_autocomplete()
{
  COMPREPLY=(from-commands)
}

complete -F _tsw_autocomplete tsw
`

describe('name completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsw-names-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'tsw'), `#!/bin/sh
case "$1 $2" in
  "service ls") printf 'web\\nworker\\ndb\\n' ;;
  "node ls") printf 'node01\\nnode02\\n' ;;
  *) exit 1 ;;
esac
`)
  chmodSync(join(dir, 'tsw'), 0o755)
  writeFileSync(join(dir, 'tsw.bash'), withNameCompletion(PLUGIN, 'tsw'))

  const complete = (...words: string[]) => {
    const script = `source ${join(dir, 'tsw.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _tsw_autocomplete; echo "\${COMPREPLY[*]}"; complete -p tsw`
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    const [reply, registered] = r.stdout.trim().split('\n')
    expect(registered).toBe('complete -F _tsw_autocomplete tsw')
    return reply
  }

  it('offers the names the manager lists after a command that takes them', () => {
    expect(complete('tsw', 'service', 'ps', 'w')).toBe('web worker')
    expect(complete('tsw', 'service', 'update', '--image', 'x', '')).toBe('web worker db')
    expect(complete('tsw', 'node', 'update', 'node0')).toBe('node01 node02')
  })

  it('falls back to commands and flags elsewhere, and when nothing is listed', () => {
    expect(complete('tsw', 'service', 'ps', '--no-')).toBe('from-commands')
    expect(complete('tsw', 'service', '')).toBe('from-commands')
    expect(complete('tsw', 'network', 'rm', '')).toBe('from-commands')
  })
})
