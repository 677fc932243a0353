import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readPair, replaceFile, replacePair } from '../../../src/lib/config/files.js'

const dir = () => mkdtempSync(join(tmpdir(), 'tsw-files-'))

describe('replaceFile', () => {
  test('writes whole with its mode and leaves no temp file', () => {
    const d = dir()
    replaceFile(join(d, 'sub', 'context.json'), '{"a":1}\n', 0o600)
    expect(readFileSync(join(d, 'sub', 'context.json'), 'utf8')).toBe('{"a":1}\n')
    expect(statSync(join(d, 'sub', 'context.json')).mode & 0o777).toBe(0o600)
    replaceFile(join(d, 'sub', 'context.json'), 'x', 0o644)
    expect(statSync(join(d, 'sub', 'context.json')).mode & 0o777).toBe(0o644)
    expect(existsSync(join(d, 'sub', `context.json.${process.pid}.tmp`))).toBe(false)
  })
})

describe('replacePair / readPair', () => {
  const files = () => {
    const d = dir()
    return { key: join(d, 'key.pem'), cert: join(d, 'cert.pem') }
  }
  test('replaces both, the key 0600', () => {
    const f = files()
    replacePair(f.key, f.cert, 'K1', 'C1')
    replacePair(f.key, f.cert, 'K2', 'C2')
    expect(readPair(f.key, f.cert)).toEqual({ key: 'K2', cert: 'C2' })
    expect(statSync(f.key).mode & 0o777).toBe(0o600)
    expect(existsSync(`${f.key}.next`) || existsSync(`${f.cert}.next`)).toBe(false)
  })
  test('cut short after the key was staged: the old pair stands', () => {
    const f = files()
    replacePair(f.key, f.cert, 'K1', 'C1')
    writeFileSync(`${f.key}.next`, 'K2')
    expect(readPair(f.key, f.cert)).toEqual({ key: 'K1', cert: 'C1' })
    expect(existsSync(`${f.key}.next`)).toBe(false)
  })
  test('cut short with both staged, or between the renames: the new pair is put in place', () => {
    const f = files()
    replacePair(f.key, f.cert, 'K1', 'C1')
    writeFileSync(`${f.key}.next`, 'K2')
    writeFileSync(`${f.cert}.next`, 'C2')
    expect(readPair(f.key, f.cert)).toEqual({ key: 'K2', cert: 'C2' })
    // The key renamed, the certificate not yet.
    writeFileSync(f.key, 'K3')
    writeFileSync(`${f.cert}.next`, 'C3')
    expect(readPair(f.key, f.cert)).toEqual({ key: 'K3', cert: 'C3' })
  })
})
