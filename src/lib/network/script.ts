// A node plan → one idempotent shell script that brings the host's network
// configuration to the plan: VXLAN devices on the engine's bridges with their
// flood lists, virtual IPs on the bridges, and tsw's own iptables chains
// (TSW-PRE/TSW-OUT for DNAT, TSW-POST for SNAT, TSW-FWD to let meshed
// connections in). It runs in the helper container (host network namespace,
// NET_ADMIN), with busybox, iproute2 and iptables. Pure: no engine contacted.
import { checkPlan } from './plan-checks.js'
import { bridgeName, vxlanName, type NodePlan } from './plan.js'

export const VXLAN_PORT = 4789

/** The script for `plan`. Re-running it changes nothing; it removes what earlier plans left. Throws UnsafePlanError on a value the script cannot take. */
export function hostScript(plan: NodePlan): string {
  checkPlan(plan)
  const lines = ['set -e']
  const keepVx = plan.networks.map((n) => vxlanName(n.vni))
  for (const n of plan.networks) {
    const vx = vxlanName(n.vni)
    const br = bridgeName(n.vni)
    lines.push(
      // Made again when its VNI or local address is not the plan's (the node's address changed).
      `cur=$(/tsw/ip -d -o link show ${vx} 2>/dev/null | grep -o 'vxlan id [0-9]* local [0-9.]*' || true)`,
      `if [ "$cur" != "vxlan id ${n.vni} local ${plan.addr}" ]; then /tsw/ip link del ${vx} 2>/dev/null || true; /tsw/ip link add ${vx} mtu ${n.mtu} type vxlan id ${n.vni} dstport ${VXLAN_PORT} local ${plan.addr}; fi`,
      `/tsw/ip link set ${vx} mtu ${n.mtu} master ${br} up`,
      // Flood list: one all-zero entry per peer; stale peers go.
      `have=" $(/tsw/bridge fdb show dev ${vx} | awk '$1=="00:00:00:00:00:00" && $2=="dst" {print $3}' | tr '\\n' ' ') "`,
      `for p in ${n.peers.join(' ')}; do case "$have" in *" $p "*) ;; *) /tsw/bridge fdb append 00:00:00:00:00:00 dev ${vx} dst $p ;; esac; done`,
      `for p in $have; do case " ${n.peers.join(' ')} " in *" $p "*) ;; *) /tsw/bridge fdb del 00:00:00:00:00:00 dev ${vx} dst $p ;; esac; done`,
    )
    // Hairpin on the containers' ports: a task reaching its own service's virtual
    // IP may be sent to itself, and bridge netfilter hands that frame back out the
    // port it came in by.
    lines.push(`for p in $(/tsw/ip -o link show master ${br} | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^tswvx' || true); do /tsw/bridge link set dev $p hairpin on 2>/dev/null || true; done`)
    const vips = plan.vips.filter((v) => v.networkId === n.id).map((v) => `${v.vip}/32`)
    lines.push(
      `for a in ${vips.join(' ') || '""'}; do [ -z "$a" ] || /tsw/ip -4 addr show dev ${br} | grep -q " $a " || /tsw/ip addr add $a dev ${br}; done`,
      `for a in $(/tsw/ip -4 -o addr show dev ${br} | awk '{print $4}' | grep '/32$' || true); do case " ${vips.join(' ')} " in *" $a "*) ;; *) /tsw/ip addr del $a dev ${br} ;; esac; done`,
    )
  }
  // VXLAN devices of networks no longer here.
  lines.push(
    `for d in $(/tsw/ip -o link show type vxlan | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^tswvx' || true); do case " ${keepVx.join(' ')} " in *" $d "*) ;; *) /tsw/ip link del $d ;; esac; done`,
  )
  lines.push(`/tsw/iptables-restore --noflush <<'TSW_RULES'`, ...rules(plan), 'TSW_RULES')
  lines.push(
    '/tsw/iptables -t nat -C PREROUTING -j TSW-PRE 2>/dev/null || /tsw/iptables -t nat -I PREROUTING 1 -j TSW-PRE',
    '/tsw/iptables -t nat -C OUTPUT -j TSW-OUT 2>/dev/null || /tsw/iptables -t nat -I OUTPUT 1 -j TSW-OUT',
    '/tsw/iptables -t nat -C POSTROUTING -j TSW-POST 2>/dev/null || /tsw/iptables -t nat -I POSTROUTING 1 -j TSW-POST',
    'if /tsw/iptables -n -L DOCKER-USER >/dev/null 2>&1; then fwd=DOCKER-USER; else fwd=FORWARD; fi',
    '/tsw/iptables -C $fwd -j TSW-FWD 2>/dev/null || /tsw/iptables -I $fwd 1 -j TSW-FWD',
    '/tsw/iptables -C OUTPUT -j TSW-OUTPUT 2>/dev/null || /tsw/iptables -I OUTPUT 1 -j TSW-OUTPUT',
  )
  return lines.join('\n') + '\n'
}

/** The iptables-restore input: tsw's chains, declared (so emptied) and refilled. Throws UnsafePlanError (see checkPlan). */
export function rules(plan: NodePlan): string[] {
  checkPlan(plan)
  const nat = ['*nat', ':TSW-PRE - [0:0]', ':TSW-OUT - [0:0]', ':TSW-POST - [0:0]']
  // Traffic to a virtual IP leaves by the bridge it came in by: the kernel would
  // send the client an ICMP redirect to the task's address, and the client would
  // then bypass the virtual IP. No redirects out of tsw's bridges.
  const filter = ['*filter', ':TSW-FWD - [0:0]', ':TSW-OUTPUT - [0:0]', '-A TSW-OUTPUT -o tswbr+ -p icmp -m icmp --icmp-type 5 -j DROP']
  for (const v of plan.vips) {
    const net = plan.networks.find((n) => n.id === v.networkId)
    if (!net) continue
    spread(v.targets.length, (i, stat) => nat.push(`-A TSW-PRE -d ${v.vip}/32${stat} -j DNAT --to-destination ${v.targets[i]}`))
    // Replies must come back through this node to be un-NATed: tasks see the node's address.
    for (const t of v.targets) nat.push(`-A TSW-POST -s ${net.subnet} -d ${t}/32 -m conntrack --ctstate DNAT --ctorigdst ${v.vip}/32 -j SNAT --to-source ${net.address}`)
  }
  const ingress = plan.networks.find((n) => plan.ingress.length && n.id === ingressId(plan))
  if (ingress) {
    const br = bridgeName(ingress.vni)
    for (const p of plan.ingress) {
      const match = `-p ${p.protocol} -m addrtype --dst-type LOCAL -m ${p.protocol} --dport ${p.published}`
      spread(p.targets.length, (i, stat) => {
        const to = `-j DNAT --to-destination ${p.targets[i].ip}:${p.target}`
        nat.push(`-A TSW-PRE ${match}${stat} ${to}`, `-A TSW-OUT ${match}${stat} ${to}`)
      })
      // Served elsewhere: the reply must return through this node, so the task sees this node's address.
      for (const t of p.targets.filter((x) => !x.local)) {
        nat.push(`-A TSW-POST -o ${br} -d ${t.ip}/32 -p ${p.protocol} -m ${p.protocol} --dport ${p.target} -m conntrack --ctstate DNAT ! -s ${ingress.subnet} -j SNAT --to-source ${ingress.address}`)
      }
    }
    filter.push(`-A TSW-FWD -o ${br} -m conntrack --ctstate DNAT -j ACCEPT`)
  }
  return [...nat, 'COMMIT', ...filter, 'COMMIT']
}

function ingressId(plan: NodePlan): string | undefined {
  return plan.networks.find((n) => n.ingress)?.id
}

/** Calls add(i, statisticMatch) for k targets so that each gets 1/k of new connections. */
function spread(k: number, add: (i: number, stat: string) => void): void {
  for (let i = 0; i < k; i++) {
    const left = k - i
    add(i, left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(8)}` : '')
  }
}
