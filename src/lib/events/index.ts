// Swarm events (GET /events, `tsw events`, the cluster page): derived from store changes.
export * from './message.js'
export * from './filter.js'
export { ClusterEvents, RING_SIZE, type EventListener } from './cluster-events.js'
export { Ring } from './ring.js'
export { parseEventTime } from './times.js'
