// The archive the executor sends with a task's configs: read back by the system's tar.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tarArchive } from '../../../src/lib/executor/tar.js'

describe('tarArchive', () => {
  it('holds the files with owner, mode and content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsw-tar-'))
    try {
      const file = join(dir, 'a.tar')
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/f.conf`
      writeFileSync(file, tarArchive([
        { name: 'etc/app.conf', data: Buffer.from('port=80\n'), uid: 100, gid: 101, mode: 0o440 },
        { name: long, data: Buffer.alloc(1000, 'x'), uid: 0, gid: 0, mode: 0o444 },
      ], 1_700_000_000))
      const list = execFileSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8' })
      expect(list).toMatch(/^-r--r----- 100\/101\s+8 .* etc\/app\.conf$/m)
      expect(list).toContain(long)
      expect(execFileSync('tar', ['-xOf', file, 'etc/app.conf'], { encoding: 'utf8' })).toBe('port=80\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
