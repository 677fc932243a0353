// classic: Docker Swarm before swarm mode, on tsw's engines. The manager's
// Engine API also takes plain container requests (docker run, ps, logs, exec…
// from the docker CLI or any SDK): a new container is placed by strategy and
// filters (placement/), every other request goes to the engine that has the
// container (locate.ts) through a reverse proxy that also carries hijacked
// connections (proxy.ts; api/upgrade.ts hands it their sockets). No container
// state is kept: the engines are asked each time.
export { ClassicSwarm, type ClassicSwarmOptions } from './swarm.js'
export { LABEL_CLASSIC_CLUSTER, LABEL_CLASSIC_ID } from './labels.js'
export type { ClassicInfo } from './info.js'
export type { Strategy } from './placement/index.js'
