// Node objects as the cluster makes them from what an engine says of itself.
import { describeEngine } from '../engine/record.js'
import type { EngineInfo, Node, NodeRole } from '../types/index.js'

/** A new, ready node for an engine. */
export function newNode(id: string, info: EngineInfo, role: NodeRole, addr: string): Node {
  return {
    ID: id,
    Version: { Index: 0 },
    CreatedAt: '',
    UpdatedAt: '',
    Spec: { Labels: {}, Role: role, Availability: 'active' },
    Description: describeEngine(info),
    Status: { State: 'ready', Addr: addr },
  }
}
