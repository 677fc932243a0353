// The engines classic swarm works with: every node of the swarm whose engine
// has not left, and, for the ready ones, a connection from the manager's pool.

import type { StoredEngine } from '../engine/record.js'
import type { EnginePool } from '../engine/pool.js'
import type { EngineConnection } from '../engine/index.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'

/** A node with an engine. */
export interface Member {
  node: Node
  engine: StoredEngine
}

/** A ready node and the connection to its engine: where requests go. */
export interface Target {
  node: Node
  conn: EngineConnection
}

/** Every node whose engine is watched (not left), sorted by hostname. */
export async function listMembers(store: Store): Promise<Member[]> {
  const [nodes, engines] = await Promise.all([store.list<Node>('node'), store.list<StoredEngine>('engine')])
  const byId = new Map(engines.filter((e) => !e.Left).map((e) => [e.ID, e]))
  const members: Member[] = []
  for (const node of nodes) {
    const engine = byId.get(node.ID)
    if (engine) members.push({ node, engine })
  }
  return members.sort((a, b) => nodeName(a.node).localeCompare(nodeName(b.node)))
}

/** The connections of the ready members; a member whose connection cannot be made is left out. */
export async function readyTargets(members: Member[], pool: EnginePool): Promise<Target[]> {
  const ready = members.filter((m) => m.node.Status.State === 'ready')
  const conns = await Promise.allSettled(ready.map((m) => pool.get(m.node.ID, m.engine.Ref)))
  const targets: Target[] = []
  conns.forEach((c, i) => {
    if (c.status === 'fulfilled') targets.push({ node: ready[i]!.node, conn: c.value })
  })
  return targets
}

/** The node's name as classic swarm showed it (its hostname), else its ID. */
export function nodeName(node: Node): string {
  return node.Description.Hostname || node.ID
}

/** Whether ref names the node: its hostname, its ID, or a unique-enough ID prefix. */
export function namesNode(node: Node, ref: string): boolean {
  return nodeName(node) === ref || node.ID === ref || (ref.length >= 3 && node.ID.startsWith(ref))
}

/** The node's engine address as classic listed it: host:port for tcp://, else the engine URL. */
export function engineAddr(member: Member): string {
  const m = /^tcp:\/\/(.+?)\/?$/i.exec(member.engine.Ref.URL)
  return m ? m[1]! : member.engine.Ref.URL
}
