// Variable interpolation as docker stack deploy does it.
import { describe, expect, it } from 'vitest'
import { substitute } from '../../../src/lib/stack/interpolate.js'

const env: Record<string, string> = { TAG: '1.2', EMPTY: '' }
const sub = (t: string) => substitute(t, (k) => env[k], 'services.web.image')

describe('interpolation', () => {
  it('substitutes $VAR, ${VAR} and defaults, and keeps $$ as a literal $', () => {
    expect(sub('web:$TAG')).toBe('web:1.2')
    expect(sub('web:${TAG}')).toBe('web:1.2')
    expect(sub('web:${MISSING}')).toBe('web:')
    expect(sub('${MISSING:-latest}')).toBe('latest')
    expect(sub('${EMPTY:-latest}')).toBe('latest')
    expect(sub('${EMPTY-latest}')).toBe('')
    expect(sub('${MISSING-latest}')).toBe('latest')
    expect(sub('${MISSING:-${TAG}}')).toBe('1.2')
    expect(sub('cost: $$5 and $${TAG}')).toBe('cost: $5 and ${TAG}')
  })

  it('fails on a missing required variable with its message, and on a bad template', () => {
    expect(sub('${TAG:?need a tag}')).toBe('1.2')
    expect(() => sub('${MISSING:?need a tag}')).toThrow('invalid interpolation format for services.web.image: required variable MISSING is missing a value: need a tag')
    expect(() => sub('${EMPTY:?}')).toThrow('required variable EMPTY is missing a value')
    expect(sub('${EMPTY?must be set}')).toBe('')
    expect(() => sub('${MISSING?must be set}')).toThrow('must be set')
    expect(() => sub('web:${')).toThrow('invalid interpolation format for services.web.image: "web:${". You may need to escape any $ with another $.')
    expect(() => sub('${1abc}')).toThrow('invalid interpolation format')
    expect(() => sub('${TAG!x}')).toThrow('invalid interpolation format')
  })
})
