// The host teardown script (run with stand-ins for ip and iptables under a
// real shell), what a leaving manager cleans, and the words of a removal.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import type { ManagerConfig } from '../../../src/lib/config/index.js'
import { enginesToLeave } from '../../../src/lib/manager/leave.js'
import { hostTeardownScript } from '../../../src/lib/network/teardown-script.js'
import { describeRemoval } from '../../../src/lib/network/teardown.js'
import type { Node } from '../../../src/lib/types/index.js'

const shells = [['sh'], ['dash'], ['busybox', 'sh']].filter(([cmd, ...rest]) => spawnSync(cmd, [...rest, '-c', 'true']).status === 0)
const work = mkdtempSync(join(tmpdir(), 'tsw-teardown-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

// iptables-save of a host where tsw applied a plan (and docker has its own chains).
const SAVED: Record<string, string> = {
  nat: [
    '*nat', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]', ':DOCKER - [0:0]',
    ':TSW-OUT - [0:0]', ':TSW-POST - [0:0]', ':TSW-PRE - [0:0]',
    '-A PREROUTING -j TSW-PRE', '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER', '-A OUTPUT -j TSW-OUT',
    '-A POSTROUTING -j TSW-POST', '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
    '-A TSW-PRE -d 10.0.1.2/32 -j DNAT --to-destination 10.0.1.3', 'COMMIT',
  ].join('\n'),
  filter: [
    '*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':DOCKER-USER - [0:0]',
    ':TSW-FWD - [0:0]', ':TSW-OUTPUT - [0:0]', '-A FORWARD -j DOCKER-USER', '-A OUTPUT -j TSW-OUTPUT',
    '-A DOCKER-USER -j TSW-FWD', '-A DOCKER-USER -j RETURN', '-A TSW-OUTPUT -o tswbr+ -p icmp -m icmp --icmp-type 5 -j DROP', 'COMMIT',
  ].join('\n'),
}

describe.skipIf(shells.length === 0)('hostTeardownScript under a real shell', () => {
  function runWithStubs(links: string[]): string[] {
    const dir = join(work, `run-${Math.random().toString(36).slice(2)}`)
    spawnSync('mkdir', ['-p', dir])
    const log = join(dir, 'calls.log')
    const stub = (tool: string, body: string) => {
      writeFileSync(join(dir, tool), `#!/bin/sh\n${body}\n`)
      chmodSync(join(dir, tool), 0o755)
    }
    stub('ip', `case "$*" in\n"-o link show") ${links.map((l, i) => `echo '${i + 1}: ${l}: <UP> mtu 1500'`).join('; ') || ':'} ;;\n*) echo "ip $*" >> '${log}' ;;\nesac`)
    for (const [t, text] of Object.entries(SAVED)) writeFileSync(join(dir, `${t}.txt`), text + '\n')
    stub('iptables-save', `cat '${dir}/'"$2".txt`)
    stub('iptables', `echo "iptables $*" >> '${log}'`)
    const file = join(dir, 'teardown.sh')
    writeFileSync(file, hostTeardownScript().replaceAll('/tsw/', `${dir}/`))
    const r = spawnSync(shells[0][0], [...shells[0].slice(1), file], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []
  }

  test('parses under every shell present', () => {
    const file = join(work, 'parse.sh')
    writeFileSync(file, hostTeardownScript())
    for (const [cmd, ...rest] of shells) expect(spawnSync(cmd, [...rest, '-n', file], { encoding: 'utf8' }).status).toBe(0)
  })

  test('removes tsw\'s devices, the jumps into its chains, then the chains; nothing of docker\'s', () => {
    const calls = runWithStubs(['lo', 'eth0', 'docker0', 'tswbr4097', 'tswvx4097@NONE', 'tswvx4096@NONE', 'veth12ab@if3'])
    expect(calls).toEqual([
      'ip link del tswbr4097', 'ip link del tswvx4097', 'ip link del tswvx4096',
      'iptables -t nat -D PREROUTING -j TSW-PRE', 'iptables -t nat -D OUTPUT -j TSW-OUT', 'iptables -t nat -D POSTROUTING -j TSW-POST',
      'iptables -t nat -F TSW-OUT', 'iptables -t nat -F TSW-POST', 'iptables -t nat -F TSW-PRE',
      'iptables -t nat -X TSW-OUT', 'iptables -t nat -X TSW-POST', 'iptables -t nat -X TSW-PRE',
      'iptables -t filter -D OUTPUT -j TSW-OUTPUT', 'iptables -t filter -D DOCKER-USER -j TSW-FWD',
      'iptables -t filter -F TSW-FWD', 'iptables -t filter -F TSW-OUTPUT',
      'iptables -t filter -X TSW-FWD', 'iptables -t filter -X TSW-OUTPUT',
    ])
  })
})

describe('enginesToLeave', () => {
  const node = (id: string, role: 'manager' | 'worker') => ({ ID: id, Spec: { Role: role } }) as unknown as Node
  const engines = ['m1', 'm2', 'w1'].map((id) => ({ ID: id }) as StoredEngine)
  const config = (store: boolean) => ({ NodeID: 'm1', ClusterID: 'c', ...(store ? { Store: { URL: 'etcd://x' } } : {}) }) as unknown as ManagerConfig

  test('the last manager leaves every engine of the swarm, those of nodes that left included', () => {
    expect(enginesToLeave(config(true), [node('m1', 'manager'), node('w1', 'worker')], engines)).toEqual(engines)
  })
  test('on SQLite the one manager process is the last, whatever manager nodes the store holds', () => {
    expect(enginesToLeave(config(false), [node('m1', 'manager'), node('m2', 'manager')], engines)).toEqual(engines)
  })
  test('with other managers on etcd the swarm goes on: no engine is touched', () => {
    expect(enginesToLeave(config(true), [node('m1', 'manager'), node('m2', 'manager')], engines)).toEqual([])
  })
})

test('describeRemoval names the swarm and what of it went', () => {
  expect(describeRemoval({ clusterId: '9yljmjk6babzxxxxxxxx', tasks: ['a', 'b'], helpers: ['tsw-net-9yljmjk6babz'], networks: ['web'] }, 'tcp://10.0.0.2:2375'))
    .toBe('engine tcp://10.0.0.2:2375 held pieces of another swarm (9yljmjk6babz), removed: 2 task containers; ' +
      'network helper tsw-net-9yljmjk6babz with the host\'s tsw devices and iptables chains; network web')
})
