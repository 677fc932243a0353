// The shapes placement reads: an engine as the manager sees it, and the
// container a client asks to create.
import type { Node } from '../../types/index.js'

/** How placement picks among the engines that pass every filter (classic swarm's --strategy). */
export type Strategy = 'spread' | 'binpack' | 'random'

/** One container of an engine, as placement needs it. */
export interface EngineContainer {
  id: string
  /** Names without the leading "/". */
  names: string[]
  /** The image as created, e.g. "redis" or "10.213.0.1:5000/busybox:1". */
  image: string
  imageId?: string
  running: boolean
  labels: Record<string, string>
  /** HostConfig.Memory in bytes; 0 = no limit. */
  memory: number
  nanoCpus: number
  /** Ports published on the host, "tcp/80". */
  hostPorts: string[]
}

/** What placement knows of one engine. */
export interface EngineState {
  /** tsw's Node: ID, Description.Hostname, Description.Engine.Labels, Description.Resources, Status.State, Spec.Availability. */
  node: Node
  containers: EngineContainer[]
  /** Image references present on the engine ("redis:latest", "10.213.0.1:5000/busybox:1"), for affinity:image. */
  images: string[]
}

/** A container to place, read from a POST /containers/create body and its ?name=. */
export interface ContainerRequest {
  name?: string
  image: string
  env: string[]
  labels: Record<string, string>
  /** HostConfig.Memory in bytes; 0 = none asked. */
  memory: number
  nanoCpus: number
  /** Host ports the container publishes, "tcp/80". */
  hostPorts: string[]
}
