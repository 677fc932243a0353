// `secret ls`, `config ls` and `inspect --pretty` as docker 28 prints them.
import { describe, expect, it } from 'vitest'
import { renderPayloadPretty, renderPayloads } from '../../../src/lib/format/secrets.js'
import type { Secret } from '../../../src/lib/types/index.js'

const now = Date.parse('2026-01-01T12:00:00Z')
const obj = (ID: string, Name: string, extra: Partial<Secret['Spec']> = {}): Secret => ({
  ID, Version: { Index: 1 }, CreatedAt: '2026-01-01T11:55:00.5Z', UpdatedAt: '2026-01-01T11:59:00Z', Spec: { Name, Labels: {}, ...extra },
})

describe('secret and config lists', () => {
  it('prints docker 28 columns, full IDs, sorted by name', () => {
    const list = [obj('b'.repeat(25), 'web10'), obj('a'.repeat(25), 'web9')]
    expect(renderPayloads('secret', list, {}, now)).toBe(
      'ID                          NAME      DRIVER    CREATED         UPDATED\n' +
      `${'a'.repeat(25)}   web9                4 minutes ago   About a minute ago\n` +
      `${'b'.repeat(25)}   web10               4 minutes ago   About a minute ago\n`)
    expect(renderPayloads('config', list, {}, now).split('\n')[0]).toBe('ID                          NAME      CREATED         UPDATED')
    expect(renderPayloads('config', list, { quiet: true }, now)).toBe(`${'a'.repeat(25)}\n${'b'.repeat(25)}\n`)
    expect(renderPayloads('secret', [obj('x', 'n', { Labels: { b: '2', a: '1' } })], { format: '{{.Name}} {{.Labels}}' }, now)).toBe('n a=1,b=2\n')
  })

  it('config inspect --pretty shows labels and the data', () => {
    const c = obj('id1', 'app', { Labels: { env: 'prod', flag: '' }, Data: Buffer.from('listen 80\n').toString('base64') })
    expect(renderPayloadPretty('config', [c])).toBe(
      'ID:\t\t\tid1\nName:\t\t\tapp\nLabels:\n - env=prod\n - flag\n' +
      'Created at:            \t2026-01-01 11:55:00.5 +0000 UTC\nUpdated at:            \t2026-01-01 11:59:00 +0000 UTC\nData:\nlisten 80\n\n')
  })
})
