// The host script that undoes what hostScript (script.ts) did: every tsw
// VXLAN device, any tsw bridge the engine no longer owns, the jumps into
// tsw's iptables chains and the chains themselves. It runs in a network
// helper container, after the engine's bridge networks of the swarm are gone.
// Chain and device names are not per swarm: whoever runs this owns the host's
// tsw pieces (a swarm leaving, or a new swarm taking over an engine). Pure.

/** The iptables tables tsw adds chains to. */
const TABLES = ['nat', 'filter']

/** A script that leaves no tswvx/tswbr device and no TSW-* chain (or jump to one) on the host. Re-running it changes nothing. */
export function hostTeardownScript(): string {
  const lines = [
    'set -e',
    // VXLAN devices first (they are enslaved to the bridges), then bridges left without an engine network.
    `for d in $(/tsw/ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E '^tswvx|^tswbr' || true); do /tsw/ip link del $d 2>/dev/null || true; done`,
  ]
  for (const t of TABLES) {
    lines.push(
      // Rules of the other chains that jump into tsw's, as -D commands (tsw's own are flushed below).
      `/tsw/iptables-save -t ${t} | awk '/^-A / && $2 !~ /^TSW-/ && / -j TSW-/ {sub(/^-A /, "-D "); print}' | while read -r rule; do /tsw/iptables -t ${t} $rule || true; done`,
      `for c in $(/tsw/iptables-save -t ${t} | awk -F'[: ]' '/^:TSW-/ {print $2}'); do /tsw/iptables -t ${t} -F $c; done`,
      `for c in $(/tsw/iptables-save -t ${t} | awk -F'[: ]' '/^:TSW-/ {print $2}'); do /tsw/iptables -t ${t} -X $c; done`,
    )
  }
  return lines.join('\n') + '\n'
}
