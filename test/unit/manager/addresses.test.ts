import type { NetworkInterfaceInfo } from 'node:os'
import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { resolveAdvertiseAddr } from '../../../src/lib/manager/addresses.js'

const ifaces: Record<string, NetworkInterfaceInfo[]> = {
  eth0: [
    { address: 'fe80::1', family: 'IPv6', netmask: 'ffff:ffff:ffff:ffff::', mac: '00:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
    { address: '10.1.2.3', family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:01', internal: false, cidr: '10.1.2.3/24' },
  ],
}

describe('resolveAdvertiseAddr', () => {
  test('an IP, with or without a port, is kept', () => {
    expect(resolveAdvertiseAddr('10.0.0.1', ifaces)).toEqual({ host: '10.0.0.1', port: undefined })
    expect(resolveAdvertiseAddr('10.0.0.1:4000', ifaces)).toEqual({ host: '10.0.0.1', port: 4000 })
    expect(resolveAdvertiseAddr('fd00::5', ifaces)).toEqual({ host: 'fd00::5', port: undefined })
    expect(resolveAdvertiseAddr('[fd00::5]:2377', ifaces)).toEqual({ host: 'fd00::5', port: 2377 })
  })
  test('an interface name stands for its IPv4 address', () => {
    expect(resolveAdvertiseAddr('eth0', ifaces)).toEqual({ host: '10.1.2.3', port: undefined })
    expect(resolveAdvertiseAddr('eth0:2400', ifaces)).toEqual({ host: '10.1.2.3', port: 2400 })
  })
  test('host names, zero addresses and bad ports are refused with docker\'s message', () => {
    for (const bad of ['manager.example.com', 'localhost', '0.0.0.0', '::', '10.0.0.1:0', '10.0.0.1:70000', 'eth1', '']) {
      expect(() => resolveAdvertiseAddr(bad, ifaces)).toThrow(InvalidArgumentError)
      expect(() => resolveAdvertiseAddr(bad, ifaces)).toThrow(/^advertise address must be a non-zero IP address or network interface \(with optional port number\)/)
    }
  })
})
