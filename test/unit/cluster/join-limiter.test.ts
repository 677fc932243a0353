import { describe, expect, test } from 'vitest'
import { JoinLimiter, sameSecret, TooManyRequestsError } from '../../../src/lib/cluster/index.js'

describe('JoinLimiter', () => {
  test('five failures a minute per address, then 429 until the oldest is a minute old', () => {
    let now = 1_000_000
    const limiter = new JoinLimiter({ now: () => now })
    for (let i = 0; i < 5; i++) {
      limiter.check('10.0.0.9')
      limiter.fail('10.0.0.9')
      now += 1000
    }
    expect(() => limiter.check('10.0.0.9')).toThrow(TooManyRequestsError)
    expect(() => limiter.check('10.0.0.9')).toThrow(/too many failed join attempts from 10\.0\.0\.9 \(5 in the last 60 s\): try again in 55 s/)
    // Another address is not held back.
    expect(() => limiter.check('10.0.0.8')).not.toThrow()
    now += 55_000
    expect(() => limiter.check('10.0.0.9')).not.toThrow()
  })
  test('the error answers 429', () => {
    expect(new TooManyRequestsError('x').status).toBe(429)
  })
})

describe('sameSecret', () => {
  test('equal strings only, whatever their lengths', () => {
    expect(sameSecret('SWMTKN-1-a-b', 'SWMTKN-1-a-b')).toBe(true)
    expect(sameSecret('SWMTKN-1-a-b', 'SWMTKN-1-a-c')).toBe(false)
    expect(sameSecret('SWMTKN-1-a-b', 'SWMTKN-1-a-bb')).toBe(false)
    expect(sameSecret('', 'x')).toBe(false)
  })
})
