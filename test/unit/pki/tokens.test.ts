import { describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import { caDigest, createRootCA, newJoinToken, parseJoinToken, tokenMatchesCA } from '../../../src/lib/pki/index.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

describe('join tokens', async () => {
  const ca = await createRootCA()
  const other = await createRootCA()

  it('has swarm form SWMTKN-1-<50>-<25>', () => {
    const token = newJoinToken(ca.certPem)
    expect(token).toMatch(/^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/)
    expect(token.length).toBe('SWMTKN-1-'.length + 50 + 1 + 25)
    expect(parseJoinToken(token)).toEqual({ version: 1, digest: caDigest(ca.certPem), secret: token.slice(-25) })
  })

  it('digest is SHA-256 of the PEM in base 36, stable per CA', () => {
    const hex = createHash('sha256').update(ca.certPem).digest('hex')
    const d = caDigest(ca.certPem)
    expect(d).toHaveLength(50)
    expect(BigInt(`0x${hex}`).toString(16).padStart(64, '0')).toBe(hex)
    expect(parseInt(d.slice(-6), 36) % 36 ** 6).toBe(Number(BigInt(`0x${hex}`) % 36n ** 6n))
    expect(caDigest(ca.certPem)).toBe(d)
    expect(caDigest(other.certPem)).not.toBe(d)
  })

  it('pads small values with zeros', () => {
    // Known value: SHA-256("") in base 36.
    expect(caDigest('')).toBe(BigInt('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855').toString(36).padStart(50, '0'))
  })

  it('secrets differ, digests match their CA only', () => {
    const a = newJoinToken(ca.certPem)
    const b = newJoinToken(ca.certPem)
    expect(a).not.toBe(b)
    expect(tokenMatchesCA(a, ca.certPem)).toBe(true)
    expect(tokenMatchesCA(a, other.certPem)).toBe(false)
  })

  it.each([
    '',
    'SWMTKN',
    'SWMTKN-2-' + '0'.repeat(50) + '-' + '0'.repeat(25),
    'XWMTKN-1-' + '0'.repeat(50) + '-' + '0'.repeat(25),
    'SWMTKN-1-' + '0'.repeat(49) + '-' + '0'.repeat(25),
    'SWMTKN-1-' + '0'.repeat(50) + '-' + '0'.repeat(26),
    'SWMTKN-1-' + '0'.repeat(49) + '_-' + '0'.repeat(25),
    'SWMTKN-1-' + 'A'.repeat(50) + '-' + '0'.repeat(25),
    'SWMTKN-1-' + 'z'.repeat(50) + '-' + '0'.repeat(25), // more than 256 bits
    'SWMTKN-1-' + '0'.repeat(50) + '-' + 'z'.repeat(25), // more than 128 bits
    'SWMTKN-1-' + '0'.repeat(50) + '-' + '0'.repeat(25) + '-x',
  ])('rejects %j', (token) => {
    expect(() => parseJoinToken(token)).toThrow(new InvalidArgumentError('invalid join token'))
    expect(() => parseJoinToken(token)).toThrow(InvalidArgumentError)
  })
})
