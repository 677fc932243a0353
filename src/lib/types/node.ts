import type { Labels, StoredObject } from './common.js'
import type { GenericResource } from './service.js'

export type NodeRole = 'worker' | 'manager'
export type NodeAvailability = 'active' | 'pause' | 'drain'
export type NodeState = 'unknown' | 'down' | 'ready' | 'disconnected'
export type Reachability = 'unknown' | 'unreachable' | 'reachable'

export interface NodeSpec {
  Name?: string
  Labels: Labels
  Role: NodeRole
  Availability: NodeAvailability
}

/** What the node's engine says of itself (from its /info). */
export interface NodeDescription {
  Hostname: string
  Platform: { Architecture: string; OS: string }
  /** GenericResources: what the engine advertises (dockerd --node-generic-resource). */
  Resources: { NanoCPUs: number; MemoryBytes: number; GenericResources?: GenericResource[] }
  Engine: {
    EngineVersion: string
    Labels?: Labels
    Plugins?: Array<{ Type: string; Name: string }>
  }
  TLSInfo?: { TrustRoot: string; CertIssuerSubject: string; CertIssuerPublicKey: string }
}

export interface NodeStatus {
  State: NodeState
  Message?: string
  Addr: string
}

export interface ManagerStatus {
  Leader?: boolean
  Reachability: Reachability
  Addr: string
}

/** A swarm node, exactly as GET /nodes returns it. */
export interface Node extends StoredObject {
  Spec: NodeSpec
  Description: NodeDescription
  Status: NodeStatus
  ManagerStatus?: ManagerStatus
}
