import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { NodePlan, NodeNetwork } from '../../../src/lib/network/plan.js'
import { hostScript, rules, VXLAN_PORT } from '../../../src/lib/network/script.js'

const nw = (o: Partial<NodeNetwork> & Pick<NodeNetwork, 'id' | 'vni' | 'subnet' | 'address'>): NodeNetwork =>
  ({ name: o.id, internal: false, ingress: false, mtu: 1450, peers: ['192.168.1.12', '192.168.1.13'], ...o })
const ING = nw({ id: 'ing', vni: 4096, subnet: '10.0.0.0/24', address: '10.0.0.254', ingress: true })
const APP = nw({ id: 'app', vni: 4097, subnet: '10.0.1.0/24', address: '10.0.1.254' })
const DB = nw({ id: 'db', vni: 4098, subnet: '10.0.2.0/24', address: '10.0.2.254', mtu: 1400, peers: [] })

const plan = (o: Partial<NodePlan> = {}): NodePlan => ({ nodeId: 'n1', addr: '192.168.1.11', networks: [], vips: [], ingress: [], ...o })
const FULL = plan({
  networks: [ING, APP, DB],
  vips: [
    { networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.3', '10.0.1.4', '10.0.1.5'] },
    { networkId: 'db', vip: '10.0.2.2', targets: [] },
  ],
  ingress: [
    { protocol: 'tcp', published: 8080, target: 80, targets: [{ ip: '10.0.0.3', local: false }, { ip: '10.0.0.5', local: true }] },
    { protocol: 'udp', published: 53, target: 5353, targets: [{ ip: '10.0.0.7', local: false }] },
  ],
})

/** The probability of each rule of a spread: its own times those of the rules before it not matching. */
function shares(lines: string[]): number[] {
  let left = 1
  return lines.map((l) => {
    const m = /--probability ([\d.]+)/.exec(l)
    const p = m ? Number(m[1]) : 1
    const share = left * p
    left *= 1 - p
    return share
  })
}

describe('rules', () => {
  test('an empty plan still declares (so empties) every chain, and adds none of its rules', () => {
    const r = rules(plan())
    expect(r.slice(0, 5)).toEqual(['*nat', ':TSW-PRE - [0:0]', ':TSW-OUT - [0:0]', ':TSW-POST - [0:0]', 'COMMIT'])
    expect(r.slice(5, 7)).toEqual(['*filter', ':TSW-FWD - [0:0]'])
    expect(r.at(-1)).toBe('COMMIT')
    expect(r.filter((l) => /^-A TSW-(PRE|OUT|POST|FWD) /.test(l))).toEqual([])
  })
  test('a VIP spreads over its k targets with probabilities 1/k, 1/(k-1)…, the last rule unconditional', () => {
    const r = rules(FULL)
    const dnat = r.filter((l) => l.startsWith('-A TSW-PRE -d 10.0.1.2/32'))
    expect(dnat).toEqual([
      '-A TSW-PRE -d 10.0.1.2/32 -m statistic --mode random --probability 0.33333333 -j DNAT --to-destination 10.0.1.3',
      '-A TSW-PRE -d 10.0.1.2/32 -m statistic --mode random --probability 0.50000000 -j DNAT --to-destination 10.0.1.4',
      '-A TSW-PRE -d 10.0.1.2/32 -j DNAT --to-destination 10.0.1.5',
    ])
  })
  test('each of k targets gets 1/k of new connections, for k = 1…8', () => {
    for (let k = 1; k <= 8; k++) {
      const targets = Array.from({ length: k }, (_, i) => `10.0.1.${10 + i}`)
      const dnat = rules(plan({ networks: [APP], vips: [{ networkId: 'app', vip: '10.0.1.2', targets }] })).filter((l) => l.includes('-j DNAT'))
      expect(dnat).toHaveLength(k)
      expect(dnat[k - 1]).not.toContain('statistic')
      for (const s of shares(dnat)) expect(s).toBeCloseTo(1 / k, 6)
    }
  })
  test('VIP replies come back through the node: SNAT to its address in the network, per target', () => {
    const snat = rules(FULL).filter((l) => l.includes('--ctorigdst'))
    expect(snat).toEqual(['10.0.1.3', '10.0.1.4', '10.0.1.5'].map((t) =>
      `-A TSW-POST -s 10.0.1.0/24 -d ${t}/32 -m conntrack --ctstate DNAT --ctorigdst 10.0.1.2/32 -j SNAT --to-source 10.0.1.254`))
  })
  test('a VIP without targets, or on a network not in the plan, has no rules', () => {
    const r = rules(FULL)
    expect(r.some((l) => l.includes('10.0.2.2'))).toBe(false)
    const orphan = rules(plan({ networks: [DB], vips: [{ networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.3'] }] }))
    expect(orphan).toEqual(rules(plan()))
  })
  test('ingress ports: DNAT in TSW-PRE and TSW-OUT for local-destined traffic, spread over the targets', () => {
    const r = rules(FULL)
    const m = '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080'
    const stat = ' -m statistic --mode random --probability 0.50000000'
    expect(r.filter((l) => l.includes('--dport 8080') && l.includes('DNAT --to'))).toEqual([
      `-A TSW-PRE ${m}${stat} -j DNAT --to-destination 10.0.0.3:80`,
      `-A TSW-OUT ${m}${stat} -j DNAT --to-destination 10.0.0.3:80`,
      `-A TSW-PRE ${m} -j DNAT --to-destination 10.0.0.5:80`,
      `-A TSW-OUT ${m} -j DNAT --to-destination 10.0.0.5:80`,
    ])
    expect(r).toContain('-A TSW-PRE -p udp -m addrtype --dst-type LOCAL -m udp --dport 53 -j DNAT --to-destination 10.0.0.7:5353')
  })
  test('SNAT only for remote ingress targets: local ones keep the client address', () => {
    const snat = rules(FULL).filter((l) => l.startsWith('-A TSW-POST -o'))
    expect(snat).toEqual([
      '-A TSW-POST -o tswbr4096 -d 10.0.0.3/32 -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT ! -s 10.0.0.0/24 -j SNAT --to-source 10.0.0.254',
      '-A TSW-POST -o tswbr4096 -d 10.0.0.7/32 -p udp -m udp --dport 5353 -m conntrack --ctstate DNAT ! -s 10.0.0.0/24 -j SNAT --to-source 10.0.0.254',
    ])
    expect(rules(FULL).some((l) => l.includes('10.0.0.5/32'))).toBe(false)
  })
  test('meshed connections are let through to the ingress bridge', () => {
    const r = rules(FULL)
    const filter = r.slice(r.indexOf('*filter'))
    expect(filter.filter((l) => l.startsWith('-A TSW-FWD'))).toEqual(['-A TSW-FWD -o tswbr4096 -m conntrack --ctstate DNAT -j ACCEPT'])
    expect(filter.at(-1)).toBe('COMMIT')
  })
  test('no ingress rules without the ingress network in the plan, nor without ingress ports', () => {
    expect(rules(plan({ ingress: FULL.ingress }))).toEqual(rules(plan()))
    expect(rules(plan({ networks: [ING] }))).toEqual(rules(plan()))
  })
  test('a port with no running task has no rules but the bridge stays open', () => {
    const r = rules(plan({ networks: [ING], ingress: [{ protocol: 'tcp', published: 8080, target: 80, targets: [] }] }))
    expect(r.filter((l) => /^-A TSW-(PRE|OUT|POST|FWD) /.test(l))).toEqual(['-A TSW-FWD -o tswbr4096 -m conntrack --ctstate DNAT -j ACCEPT'])
  })
})

describe('hostScript', () => {
  const script = hostScript(FULL)
  const lines = script.split('\n')

  test('set -e first, one trailing newline', () => {
    expect(lines[0]).toBe('set -e')
    expect(script.endsWith('\n')).toBe(true)
    expect(script.endsWith('\n\n')).toBe(false)
  })
  test('the iptables-restore input is the rules, in a quoted here-document', () => {
    const start = lines.indexOf("/tsw/iptables-restore --noflush <<'TSW_RULES'")
    const end = lines.indexOf('TSW_RULES')
    expect(start).toBeGreaterThan(0)
    expect(lines.slice(start + 1, end)).toEqual(rules(FULL))
    for (const chain of ['TSW-PRE', 'TSW-OUT', 'TSW-POST', 'TSW-FWD']) expect(lines).toContain(`:${chain} - [0:0]`)
  })
  test('tsw\'s chains are hooked into the built-in ones', () => {
    expect(script).toContain('/tsw/iptables -t nat -I PREROUTING 1 -j TSW-PRE')
    expect(script).toContain('/tsw/iptables -t nat -I OUTPUT 1 -j TSW-OUT')
    expect(script).toContain('/tsw/iptables -t nat -I POSTROUTING 1 -j TSW-POST')
    expect(script).toContain('/tsw/iptables -I $fwd 1 -j TSW-FWD')
  })
  test('one VXLAN device per network, on the node\'s address and the network\'s bridge', () => {
    for (const n of FULL.networks) {
      expect(script).toContain(`/tsw/ip link add tswvx${n.vni} mtu ${n.mtu} type vxlan id ${n.vni} dstport ${VXLAN_PORT} local 192.168.1.11`)
      expect(script).toContain(`/tsw/ip link set tswvx${n.vni} mtu ${n.mtu} master tswbr${n.vni} up`)
    }
    expect(VXLAN_PORT).toBe(4789)
    expect(script).toContain('for p in 192.168.1.12 192.168.1.13; do')
    expect(script).toContain('for a in 10.0.1.2/32; do')
    expect(script).toContain('case " tswvx4096 tswvx4097 tswvx4098 " in')
  })
  test('the tools are called by their /tsw/ absolute paths only', () => {
    const calls = script.match(/(?:^|[\s;|&(`$])(?:\/tsw\/)?(?:ip|bridge|iptables|iptables-restore)(?=\s)/gm) ?? []
    expect(calls.length).toBeGreaterThan(10)
    for (const c of calls) expect(c.trim().replace(/^[;|&(`$]/, '')).toMatch(/^\/tsw\//)
    expect(hostScript(plan())).not.toMatch(/(^|[\s;|&(])(ip|bridge|iptables|iptables-restore) /m)
  })
  test('an empty plan removes every tsw VXLAN device and still refills the chains', () => {
    const s = hostScript(plan())
    expect(s).toContain('case "  " in')
    expect(s).toContain("/tsw/iptables-restore --noflush <<'TSW_RULES'")
  })
})

const HOOKS = [
  'iptables -t nat -I PREROUTING 1 -j TSW-PRE',
  'iptables -t nat -I OUTPUT 1 -j TSW-OUT',
  'iptables -t nat -I POSTROUTING 1 -j TSW-POST',
  'iptables -I FORWARD 1 -j TSW-FWD',
]

// Shells to check the generated scripts with, where present.
const shells = [['sh'], ['dash'], ['busybox', 'sh']].filter(([cmd, ...rest]) => spawnSync(cmd, [...rest, '-c', 'true']).status === 0)
const work = mkdtempSync(join(tmpdir(), 'tsw-host-script-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe.skipIf(shells.length === 0)('hostScript under a real shell', () => {
  test('parses (sh -n) for a full, an empty and a peerless plan', () => {
    const plans = [FULL, plan(), plan({ networks: [DB] }), plan({ networks: [APP], vips: [{ networkId: 'app', vip: '10.0.1.2', targets: [] }] })]
    plans.forEach((p, i) => {
      const file = join(work, `parse-${i}.sh`)
      writeFileSync(file, hostScript(p))
      for (const [cmd, ...rest] of shells) {
        const r = spawnSync(cmd, [...rest, '-n', file], { encoding: 'utf8' })
        expect(r.stderr, `${cmd} ${rest.join(' ')} -n plan ${i}`).toBe('')
        expect(r.status).toBe(0)
      }
    })
  })

  /**
   * Runs the script with stand-ins for /tsw/ip, /tsw/bridge, /tsw/iptables and
   * /tsw/iptables-restore that log their calls and answer "show" queries from `host`.
   */
  function runWithStubs(name: string, p: NodePlan, host: { vxlanLink?: Record<number, string>; fdb?: Record<number, string[]>; vxlans?: string[]; brAddrs?: Record<number, string[]> } = {}) {
    const dir = join(work, name)
    execFileSync('mkdir', ['-p', dir])
    const log = join(dir, 'calls.log')
    const cases: string[] = []
    for (const [vni, out] of Object.entries(host.vxlanLink ?? {})) cases.push(`"-d -o link show tswvx${vni}") echo '${out}' ;;`)
    for (const [vni, out] of Object.entries(host.brAddrs ?? {})) {
      cases.push(`"-4 -o addr show dev tswbr${vni}") ${out.map((a, i) => `echo '${10 + i}: tswbr${vni}    inet ${a} scope global tswbr${vni}'`).join('; ') || ':'} ;;`)
      cases.push(`"-4 addr show dev tswbr${vni}") ${out.map((a) => `echo '    inet ${a} scope global tswbr${vni}'`).join('; ') || ':'} ;;`)
    }
    cases.push(`"-o link show type vxlan") ${(host.vxlans ?? []).map((d, i) => `echo '${i + 5}: ${d}: <BROADCAST,MULTICAST,UP> mtu 1450'`).join('; ') || ':'} ;;`)
    const fdb = Object.entries(host.fdb ?? {}).map(([vni, peers]) => `"fdb show dev tswvx${vni}") ${peers.map((x) => `echo '00:00:00:00:00:00 dst ${x} self permanent'`).join('; ') || ':'} ;;`)
    const stub = (tool: string, body: string) => {
      const f = join(dir, tool)
      writeFileSync(f, `#!/bin/sh\necho "${tool} $*" >> '${log}'\n${body}\n`)
      chmodSync(f, 0o755)
    }
    stub('ip', `case "$*" in\n${cases.join('\n')}\nesac\nexit 0`)
    stub('bridge', `case "$*" in\n${fdb.join('\n')}\nesac\nexit 0`)
    stub('iptables', 'case "$*" in *" -C "*|"-C "*|*" -L "*) exit 1 ;; esac\nexit 0')
    stub('iptables-restore', `cat > '${join(dir, 'restore.txt')}'`)
    const file = join(dir, 'script.sh')
    writeFileSync(file, hostScript(p).replaceAll('/tsw/', `${dir}/`))
    const r = spawnSync(shells[0][0], [...shells[0].slice(1), file], { encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const all = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter((l) => !/ show /.test(l) && !/ -[CL] /.test(l)) : []
    // What is done to devices and addresses, then iptables-restore, then the hooks.
    const at = all.indexOf('iptables-restore --noflush')
    expect(at).toBeGreaterThanOrEqual(0)
    return { calls: all.slice(0, at), hooks: all.slice(at + 1), restore: readFileSync(join(dir, 'restore.txt'), 'utf8') }
  }

  test('on a bare host it creates the devices, flood entries, VIPs and hooks', () => {
    const p = plan({ networks: [APP], vips: [{ networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.3'] }] })
    const { calls, hooks, restore } = runWithStubs('bare', p)
    expect(calls).toEqual([
      'ip link del tswvx4097',
      'ip link add tswvx4097 mtu 1450 type vxlan id 4097 dstport 4789 local 192.168.1.11',
      'ip link set tswvx4097 mtu 1450 master tswbr4097 up',
      'bridge fdb append 00:00:00:00:00:00 dev tswvx4097 dst 192.168.1.12',
      'bridge fdb append 00:00:00:00:00:00 dev tswvx4097 dst 192.168.1.13',
      'ip addr add 10.0.1.2/32 dev tswbr4097',
    ])
    // Every chain hooked once, where it belongs (no DOCKER-USER chain here: FORWARD).
    expect(hooks).toEqual(expect.arrayContaining(HOOKS))
    expect(restore).toBe(rules(p).join('\n') + '\n')
  })

  test('on a host already set up it only removes what is stale', () => {
    const p = plan({ networks: [APP], vips: [{ networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.3'] }] })
    const { calls, hooks } = runWithStubs('stale', p, {
      vxlanLink: { 4097: '7: tswvx4097: <UP> mtu 1450 vxlan id 4097 local 192.168.1.11 dev eth0 srcport 0 0 dstport 4789' },
      fdb: { 4097: ['192.168.1.12', '192.168.1.99'] },
      vxlans: ['tswvx4097@NONE', 'tswvx4100@NONE', 'othervx@eth0'],
      brAddrs: { 4097: ['10.0.1.254/24', '10.0.1.2/32', '10.0.1.9/32'] },
    })
    expect(calls).toEqual([
      'ip link set tswvx4097 mtu 1450 master tswbr4097 up',
      'bridge fdb append 00:00:00:00:00:00 dev tswvx4097 dst 192.168.1.13',
      'bridge fdb del 00:00:00:00:00:00 dev tswvx4097 dst 192.168.1.99',
      'ip addr del 10.0.1.9/32 dev tswbr4097',
      'ip link del tswvx4100',
    ])
    expect(hooks).toEqual(expect.arrayContaining(HOOKS))
  })

  test('a VXLAN device on another local address is made again', () => {
    const p = plan({ networks: [DB] })
    const { calls } = runWithStubs('moved', p, { vxlanLink: { 4098: '7: tswvx4098: <UP> mtu 1400 vxlan id 4098 local 192.168.1.50 dev eth0' }, vxlans: ['tswvx4098@NONE'] })
    expect(calls.slice(0, 3)).toEqual([
      'ip link del tswvx4098',
      'ip link add tswvx4098 mtu 1400 type vxlan id 4098 dstport 4789 local 192.168.1.11',
      'ip link set tswvx4098 mtu 1400 master tswbr4098 up',
    ])
    expect(calls.some((c) => c.startsWith('bridge fdb'))).toBe(false)
  })
})
