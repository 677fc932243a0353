import type { EngineState } from '../types.js'
import { names, type Filter } from './filter.js'

/** Passes engines where no running container publishes the host port ("tcp/80"). */
export class PortFilter implements Filter {
  private readonly port: string

  constructor(port: string) {
    this.port = port.toLowerCase()
  }

  /** Applies to every container that publishes the port. */
  setTask(): boolean {
    return true
  }

  /** Whether the port is free on the engine (stopped containers hold no port). */
  check(e: EngineState): boolean {
    return !e.containers.some((c) => c.running && c.hostPorts.some((p) => p.toLowerCase() === this.port))
  }

  /** "port tcp/80 already in use on node01, node02". */
  explain(excluded: EngineState[]): string {
    return `port ${this.port} already in use on ${names(excluded)}`
  }
}
