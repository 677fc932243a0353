// Node lookups the node commands share.
import type { ManagerClient } from '../client/client.js'
import type { Node } from '../types/index.js'

/** The ID of the manager's own node (what "self" means). */
export async function selfNodeId(client: Pick<ManagerClient, 'info'>): Promise<string> {
  return (await client.info()).Swarm.NodeID
}

/** The node an argument names: "self", an ID, a unique ID prefix or a hostname. */
export async function getNode(client: ManagerClient, ref: string): Promise<Node> {
  const id = ref === 'self' ? await selfNodeId(client) : ref
  return client.get<Node>(`/nodes/${encodeURIComponent(id)}`)
}

/** Reads a node, applies `change` to its spec and writes it back at the version read. */
export async function updateNodeSpec(client: ManagerClient, ref: string, change: (spec: Node['Spec']) => void): Promise<Node> {
  const node = await getNode(client, ref)
  const spec = structuredClone(node.Spec)
  change(spec)
  await client.post(`/nodes/${node.ID}/update`, { query: { version: node.Version.Index }, body: spec })
  return node
}
