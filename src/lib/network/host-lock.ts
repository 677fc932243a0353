// One queue per node for everything that changes its host's network pieces:
// the network agent's applies and a teardown (leave, node rm) never overlap,
// and an apply queued behind a teardown finds the node gone from the swarm.

const queues = new Map<string, Promise<unknown>>()

/** Runs fn after every earlier call for the same node (in this process); its result. */
export function onNodeHost<T>(nodeId: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(nodeId) ?? Promise.resolve()
  const next = prev.catch(() => {}).then(fn)
  const tail = next.catch(() => {})
  queues.set(nodeId, tail)
  // The map holds only queues with work in them.
  void tail.then(() => { if (queues.get(nodeId) === tail) queues.delete(nodeId) })
  return next
}
