// MANAGER STATUS as `node ls` shows it, from who runs now rather than from what
// was last written: a manager node is Reachable while its manager process holds
// its place in the election, Unreachable otherwise, and the Leader is the one
// the election ranks first.
import type { Node } from '../types/index.js'

/** A running manager (NodeID, host:port of its API), as the election lists them. */
export interface RunningManager {
  NodeID: string
  Addr: string
}

/** The nodes with ManagerStatus set from `running` (the leader first); workers have none. */
export function withManagerStatus(nodes: Node[], running: RunningManager[]): Node[] {
  return nodes.map((n) => {
    if (n.Spec.Role !== 'manager') {
      const { ManagerStatus: _none, ...worker } = n
      return worker
    }
    const at = running.findIndex((m) => m.NodeID === n.ID)
    const addr = at >= 0 ? running[at].Addr : n.ManagerStatus?.Addr ?? `${n.Status.Addr}:2377`
    return { ...n, ManagerStatus: { ...(at === 0 ? { Leader: true } : {}), Reachability: at >= 0 ? 'reachable' : 'unreachable', Addr: addr } }
  })
}
