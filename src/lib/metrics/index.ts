// The manager's Prometheus metrics and the plain-HTTP address that serves them.
export { SwarmMetrics, type SwarmMetricsOptions } from './swarm-metrics.js'
export { serveObservability, type PageHandler } from './server.js'
