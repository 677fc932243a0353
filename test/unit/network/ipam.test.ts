import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import {
  addressOf, allocateAddress, contains, defaultGateway, formatCidr, intToIp, ipToInt, nextDefaultSubnet, overlaps, parseCidr, withPrefix,
} from '../../../src/lib/network/ipam.js'

const c = parseCidr
/** Every address from a.b.c.x to a.b.c.y (last octet). */
const span = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}.${from + i}`)

describe('ipToInt / intToIp', () => {
  test('round trip, including the top of the address space', () => {
    for (const ip of ['0.0.0.0', '10.0.1.5', '172.168.0.1', '255.255.255.255']) expect(intToIp(ipToInt(ip))).toBe(ip)
    expect(ipToInt('10.0.0.1')).toBe(10 * 2 ** 24 + 1)
    expect(ipToInt('255.255.255.255')).toBe(2 ** 32 - 1)
  })
  test('bad addresses are InvalidArgumentError', () => {
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.1.2', 'a.b.c.d', '', '10.0.0.-1', '1000.0.0.1']) {
      expect(() => ipToInt(bad)).toThrow(InvalidArgumentError)
    }
    expect(() => ipToInt('10.0.0.256')).toThrow('invalid IPv4 address: 10.0.0.256')
  })
})

describe('parseCidr', () => {
  test('the address is masked to the prefix, as docker does', () => {
    expect(formatCidr(c('172.168.0.1/24'))).toBe('172.168.0.0/24')
    expect(c('172.168.0.1/24')).toEqual({ base: ipToInt('172.168.0.0'), bits: 24 })
    expect(formatCidr(c('10.1.2.3/8'))).toBe('10.0.0.0/8')
    expect(formatCidr(c('10.1.2.3/32'))).toBe('10.1.2.3/32')
    expect(formatCidr(c('10.1.2.3/0'))).toBe('0.0.0.0/0')
    expect(formatCidr(c('192.168.200.77/17'))).toBe('192.168.128.0/17')
    expect(formatCidr(c('255.255.255.255/1'))).toBe('128.0.0.0/1')
    expect(formatCidr(c('  10.0.9.0/24  '))).toBe('10.0.9.0/24')
  })
  test('bad input is InvalidArgumentError naming the text', () => {
    expect(() => c('10.0.0.0/33')).toThrow('invalid CIDR address: 10.0.0.0/33')
    expect(() => c('10.0.0.0')).toThrow('invalid CIDR address: 10.0.0.0')
    expect(() => c('nonsense')).toThrow(InvalidArgumentError)
    expect(() => c('10.0.0.0/')).toThrow(InvalidArgumentError)
    expect(() => c('10.0.0.0/123')).toThrow(InvalidArgumentError)
    expect(() => c('10.0.0/24')).toThrow(InvalidArgumentError)
    expect(() => c('300.0.0.0/24')).toThrow(InvalidArgumentError)
    expect(() => c('fd00::/64')).toThrow(InvalidArgumentError)
  })
})

describe('contains / overlaps', () => {
  test('contains: the network and broadcast addresses are in, the neighbours out', () => {
    const s = c('10.0.1.0/24')
    expect(contains(s, '10.0.1.0')).toBe(true)
    expect(contains(s, '10.0.1.255')).toBe(true)
    expect(contains(s, '10.0.1.77')).toBe(true)
    expect(contains(s, '10.0.0.255')).toBe(false)
    expect(contains(s, '10.0.2.0')).toBe(false)
    expect(contains(s, ipToInt('10.0.1.9'))).toBe(true)
    expect(contains(s, ipToInt('10.0.2.9'))).toBe(false)
    expect(contains(c('0.0.0.0/0'), '255.255.255.255')).toBe(true)
  })
  test('overlaps: nested and partial overlaps both ways, adjacent ones not', () => {
    expect(overlaps(c('10.0.0.0/8'), c('10.213.0.0/24'))).toBe(true)
    expect(overlaps(c('10.213.0.0/24'), c('10.0.0.0/8'))).toBe(true)
    expect(overlaps(c('10.0.0.0/24'), c('10.0.0.128/25'))).toBe(true)
    expect(overlaps(c('10.0.0.0/24'), c('10.0.0.0/24'))).toBe(true)
    expect(overlaps(c('10.0.0.0/24'), c('10.0.1.0/24'))).toBe(false)
    expect(overlaps(c('10.0.1.0/24'), c('10.0.0.0/24'))).toBe(false)
    expect(overlaps(c('10.0.0.0/25'), c('10.0.0.128/25'))).toBe(false)
    expect(overlaps(c('192.168.0.0/16'), c('10.0.0.0/8'))).toBe(false)
  })
})

describe('nextDefaultSubnet', () => {
  test('the first /24 of 10.0.0.0/8 when nothing is taken', () => {
    expect(nextDefaultSubnet([], [])).toBe('10.0.0.0/24')
  })
  test('skips subnets overlapping taken ones, whatever their size or alignment', () => {
    expect(nextDefaultSubnet(['10.0.0.0/24'], [])).toBe('10.0.1.0/24')
    expect(nextDefaultSubnet(['10.0.0.0/24', '10.0.1.0/24', '10.0.3.0/24'], [])).toBe('10.0.2.0/24')
    expect(nextDefaultSubnet(['10.0.0.128/25'], [])).toBe('10.0.1.0/24')
    expect(nextDefaultSubnet(['10.0.0.0/16'], [])).toBe('10.1.0.0/24')
    expect(nextDefaultSubnet(['10.0.0.0/23', '10.0.2.5/32'], [])).toBe('10.0.3.0/24')
    expect(nextDefaultSubnet(['192.168.0.0/16', '172.16.0.0/12'], [])).toBe('10.0.0.0/24')
  })
  test('skips /24s holding a node address', () => {
    expect(nextDefaultSubnet([], ['10.0.0.11'])).toBe('10.0.1.0/24')
    expect(nextDefaultSubnet([], ['10.0.0.11', '10.0.1.200', '192.168.1.10'])).toBe('10.0.2.0/24')
    // Everything below 10.213.0.0 taken; the node at 10.213.0.11 pushes the network one /24 further.
    const below = ['10.0.0.0/9', '10.128.0.0/10', '10.192.0.0/12', '10.208.0.0/14', '10.212.0.0/16']
    expect(nextDefaultSubnet(below, [])).toBe('10.213.0.0/24')
    expect(nextDefaultSubnet(below, ['10.213.0.11'])).toBe('10.213.1.0/24')
  })
  test('a full pool is an error', () => {
    expect(() => nextDefaultSubnet(['10.0.0.0/8'], [])).toThrow(InvalidArgumentError)
    expect(() => nextDefaultSubnet(['10.0.0.0/9', '10.128.0.0/9'], [])).toThrow(/could not find an available, non-overlapping IPv4 address pool/)
  })
})

describe('allocateAddress', () => {
  const cfg = { Subnet: '10.0.1.0/24', Gateway: '10.0.1.1' }

  test('never the network address or the gateway: the first is .2', () => {
    expect(allocateAddress(cfg, new Set())).toBe('10.0.1.2')
  })
  test('without a gateway the first host address is free', () => {
    expect(allocateAddress({ Subnet: '10.0.1.0/24' }, new Set())).toBe('10.0.1.1')
  })
  test('bottom: the first free one after the highest in use, not a just-freed hole', () => {
    expect(allocateAddress(cfg, new Set(['10.0.1.2', '10.0.1.3']))).toBe('10.0.1.4')
    expect(allocateAddress(cfg, new Set(['10.0.1.3']))).toBe('10.0.1.4')
    expect(allocateAddress(cfg, new Set(['10.0.1.2', '10.0.1.9']))).toBe('10.0.1.10')
  })
  test('addresses outside the subnet or unparsable do not count as the highest', () => {
    expect(allocateAddress(cfg, new Set(['10.0.2.200', '10.0.0.250', 'garbage', '10.0.1.5']))).toBe('10.0.1.6')
  })
  test('bottom wraps to the lowest free one, never the broadcast address', () => {
    expect(allocateAddress(cfg, new Set(['10.0.1.254']))).toBe('10.0.1.2')
    expect(allocateAddress(cfg, new Set(['10.0.1.2', '10.0.1.3', '10.0.1.254']))).toBe('10.0.1.4')
    const small = { Subnet: '10.0.9.0/29', Gateway: '10.0.9.1' }
    expect(allocateAddress(small, new Set(['10.0.9.6']))).toBe('10.0.9.2')
    expect(allocateAddress(small, new Set(['10.0.9.2', '10.0.9.3', '10.0.9.4', '10.0.9.5']))).toBe('10.0.9.6')
  })
  test('top: the highest free one, below the broadcast address', () => {
    expect(allocateAddress(cfg, new Set(), 'top')).toBe('10.0.1.254')
    expect(allocateAddress(cfg, new Set(['10.0.1.254', '10.0.1.253']), 'top')).toBe('10.0.1.252')
    expect(allocateAddress(cfg, new Set(['10.0.1.254', '10.0.1.252']), 'top')).toBe('10.0.1.253')
  })
  test('a gateway elsewhere than .1 is skipped and .1 is handed out', () => {
    const g = { Subnet: '10.0.1.0/24', Gateway: '10.0.1.254' }
    expect(allocateAddress(g, new Set())).toBe('10.0.1.1')
    expect(allocateAddress(g, new Set(), 'top')).toBe('10.0.1.253')
  })
  test('IPRange is honoured from the bottom', () => {
    const r = { Subnet: '10.0.1.0/24', Gateway: '10.0.1.1', IPRange: '10.0.1.128/25' }
    expect(allocateAddress(r, new Set())).toBe('10.0.1.128')
    expect(allocateAddress(r, new Set(['10.0.1.128', '10.0.1.5']))).toBe('10.0.1.129')
    // The range's last address is the subnet's broadcast: never handed out; wraps within the range.
    expect(allocateAddress(r, new Set(['10.0.1.254']))).toBe('10.0.1.128')
    const low = { Subnet: '10.0.1.0/24', Gateway: '10.0.1.1', IPRange: '10.0.1.0/28' }
    expect(allocateAddress(low, new Set())).toBe('10.0.1.2')
    expect(allocateAddress(low, new Set(span('10.0.1', 2, 14)))).toBe('10.0.1.15')
  })
  test('a full subnet or range is an error', () => {
    const small = { Subnet: '10.0.9.0/29', Gateway: '10.0.9.1' }
    const full = new Set(span('10.0.9', 2, 6))
    expect(() => allocateAddress(small, full)).toThrow('no free address left in 10.0.9.0/29')
    expect(() => allocateAddress(small, full, 'top')).toThrow(InvalidArgumentError)
    const low = { Subnet: '10.0.1.0/24', Gateway: '10.0.1.1', IPRange: '10.0.1.0/28' }
    expect(() => allocateAddress(low, new Set(span('10.0.1', 2, 15)))).toThrow('no free address left in 10.0.1.0/28')
    expect(() => allocateAddress(cfg, new Set(span('10.0.1', 2, 254)))).toThrow(InvalidArgumentError)
  })
  test('the set passed in is not changed', () => {
    const used = new Set(['10.0.1.2'])
    allocateAddress(cfg, used)
    expect([...used]).toEqual(['10.0.1.2'])
  })
})

describe('small helpers', () => {
  test('defaultGateway, addressOf, withPrefix', () => {
    expect(defaultGateway('10.0.5.0/24')).toBe('10.0.5.1')
    expect(defaultGateway('172.168.0.1/24')).toBe('172.168.0.1')
    expect(addressOf('10.0.1.5/24')).toBe('10.0.1.5')
    expect(addressOf('10.0.1.5')).toBe('10.0.1.5')
    expect(withPrefix('10.0.1.5', '10.0.0.0/16')).toBe('10.0.1.5/16')
  })
})
