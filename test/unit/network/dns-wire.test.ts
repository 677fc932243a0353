import { describe, it, expect } from 'vitest'
import {
  answerAddresses, buildQuery, buildResponse, parseQuery, readHeader, readName, udpLimit,
  DnsFormatError, Rcode, TYPE_A, TYPE_AAAA,
} from '../../../src/lib/network/dns/index.js'

// A query header (id 0x1234, RD) with the given counts, followed by body.
function message(body: number[], counts = [1, 0, 0, 0], flags = 0x0100): Buffer {
  const h = Buffer.alloc(12)
  h.writeUInt16BE(0x1234, 0)
  h.writeUInt16BE(flags, 2)
  counts.forEach((c, i) => h.writeUInt16BE(c, 4 + 2 * i))
  return Buffer.concat([h, Buffer.from(body)])
}
const label = (s: string): number[] => [s.length, ...Buffer.from(s)]
const A_IN = [0, 1, 0, 1]

describe('parseQuery', () => {
  it('reads id, flags, the question and no EDNS', () => {
    const q = parseQuery(buildQuery('Web.Example.', TYPE_AAAA, { id: 77, rd: true }))
    expect(q).toMatchObject({ id: 77, opcode: 0, rd: true, edns: undefined })
    expect(q.question).toMatchObject({ name: 'web.example', type: TYPE_AAAA, class: 1 })
    expect(q.question.labels.map(String)).toEqual(['Web', 'Example'])
  })

  it('reads the EDNS UDP size and version of an OPT record', () => {
    const q = parseQuery(buildQuery('a', TYPE_A, { ednsUdpSize: 4096 }))
    expect(q.edns).toEqual({ udpSize: 4096, version: 0 })
    expect(udpLimit(q)).toBe(1232)
    expect(udpLimit(parseQuery(buildQuery('a', TYPE_A, { ednsUdpSize: 100 })))).toBe(512)
    expect(udpLimit(parseQuery(buildQuery('a', TYPE_A)))).toBe(512)
  })

  it('escapes dots and odd bytes inside labels so they cannot match a swarm name', () => {
    const q = parseQuery(message([...label('a.b'), 2, 0x20, 0xff, 0, ...A_IN]))
    expect(q.question.name).toBe('a\\046b.\\032\\255')
    expect(parseQuery(message([0, ...A_IN])).question.name).toBe('')
  })

  it('follows compression pointers in later records', () => {
    // question web.example (offset 12); answer www + pointer to "example" at offset 16
    const msg = message([...label('web'), ...label('example'), 0, ...A_IN, ...label('www'), 0xc0, 16, ...A_IN, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0])
    expect(parseQuery(msg).question.name).toBe('web.example')
    const { labels, end } = readName(msg, 12 + 13 + 4)
    expect(labels.map(String)).toEqual(['www', 'example'])
    expect(end).toBe(12 + 13 + 4 + 6)
  })

  it.each([
    ['shorter than a header', Buffer.alloc(11)],
    ['a response', message([0, ...A_IN], [1, 0, 0, 0], 0x8100)],
    ['no question', message([], [0, 0, 0, 0])],
    ['two questions', message([0, ...A_IN, 0, ...A_IN], [2, 0, 0, 0])],
    ['a truncated question', message([...label('abc'), 0, 0, 1])],
    ['a label past the end', message([5, 0x61, 0x62])],
    ['a name without its end', message(label('abc'))],
    ['an extended label type', message([0x41, 0, ...A_IN])],
    ['a pointer to itself', message([0xc0, 12, ...A_IN])],
    ['a pointer into the header', message([0xc0, 2, ...A_IN])],
    ['a forward pointer', message([0xc0, 14, 0, ...A_IN])],
    ['a truncated pointer', message([0xc0])],
    ['a name over 255 bytes', message([...Array.from({ length: 5 }, () => label('x'.repeat(60))).flat(), 0, ...A_IN])],
    ['a record past the end', message([0, ...A_IN, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 9, 1], [1, 1, 0, 0])],
    ['a counted record missing', message([0, ...A_IN], [1, 0, 0, 1])],
    ['two OPT records', message([0, ...A_IN, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 2, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 2])],
  ])('throws DnsFormatError on %s', (_what, msg) => {
    expect(() => parseQuery(msg)).toThrow(DnsFormatError)
  })

  it('rejects a loop of pointers between two records', () => {
    // answer 1 name: pointer to answer 2's name; answer 2's name: pointer back to answer 1's
    const rr = (ptr: number): number[] => [0xc0, ptr, ...A_IN, 0, 0, 0, 0, 0, 0]
    const first = 12 + 5
    const msg = message([0, ...A_IN, ...rr(first + 12), ...rr(first)], [1, 2, 0, 0])
    expect(() => parseQuery(msg)).toThrow(/compression pointer/)
  })
})

describe('buildResponse', () => {
  const query = parseQuery(buildQuery('WeB.example', TYPE_A, { id: 9, rd: true }))

  it('answers A records in the given order, echoing the question as sent', () => {
    const res = buildResponse(query, { addresses: ['10.0.0.2', '10.0.0.1'], ttl: 30, authoritative: true })
    expect(readHeader(res)).toEqual({ id: 9, qr: true, tc: false, rd: true, ra: true, aa: true, rcode: 0, counts: [1, 2, 0, 0] })
    expect(answerAddresses(res)).toEqual(['10.0.0.2', '10.0.0.1'])
    expect(res.subarray(12, 12 + 13).toString('latin1')).toBe('\x03WeB\x07example\x00')
    expect(res.readUInt32BE(12 + 17 + 6)).toBe(30)
  })

  it('builds bare NOERROR, NXDOMAIN, SERVFAIL and REFUSED, copying RD', () => {
    const noRd = parseQuery(buildQuery('x', TYPE_A, { rd: false }))
    for (const rcode of [Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.SERVFAIL, Rcode.REFUSED]) {
      const h = readHeader(buildResponse(noRd, { rcode }))
      expect(h).toMatchObject({ qr: true, rd: false, ra: true, aa: false, tc: false, rcode, counts: [1, 0, 0, 0] })
    }
  })

  it('cuts answers to what fits in maxSize and sets TC', () => {
    const addresses = Array.from({ length: 100 }, (_, i) => `10.0.${i >> 8}.${i & 255}`)
    const res = buildResponse(query, { addresses, maxSize: 512 })
    const fit = Math.floor((512 - 12 - 17) / 16)
    expect(res.length).toBeLessThanOrEqual(512)
    expect(readHeader(res)).toMatchObject({ tc: true, counts: [1, fit, 0, 0] })
    expect(answerAddresses(res)).toEqual(addresses.slice(0, fit))
    expect(readHeader(buildResponse(query, { addresses: addresses.slice(0, fit), maxSize: 512 })).tc).toBe(false)
  })

  it('adds an OPT record when the query had one, and counts it against the size', () => {
    const q = parseQuery(buildQuery('web.example', TYPE_A, { ednsUdpSize: 1232 }))
    const addresses = Array.from({ length: 100 }, (_, i) => `10.1.0.${i}`)
    const res = buildResponse(q, { addresses, maxSize: udpLimit(q) })
    const fit = Math.floor((1232 - 12 - 17 - 11) / 16)
    expect(readHeader(res)).toMatchObject({ tc: true, counts: [1, fit, 0, 1] })
    expect(res.length).toBeLessThanOrEqual(1232)
    expect(res.subarray(res.length - 11)).toEqual(Buffer.from([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0]))
  })

  it('throws on an address that is not IPv4', () => {
    expect(() => buildResponse(query, { addresses: ['::1'] })).toThrow(/IPv4/)
  })
})
