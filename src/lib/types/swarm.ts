import type { Labels, StoredObject } from './common.js'

export interface SwarmSpec {
  Name: string
  Labels: Labels
  Orchestration: { TaskHistoryRetentionLimit: number }
  Raft: {
    SnapshotInterval: number
    KeepOldSnapshots: number
    LogEntriesForSlowFollowers: number
    ElectionTick: number
    HeartbeatTick: number
  }
  Dispatcher: { HeartbeatPeriod: number }
  CAConfig: {
    /** Validity of node certificates, nanoseconds. */
    NodeCertExpiry: number
    /** Bumped to ask for a root CA rotation (docker swarm ca --rotate). */
    ForceRotate?: number
    /** A root CA to rotate to (sent, never stored or returned). */
    SigningCACert?: string
    SigningCAKey?: string
    ExternalCAs?: unknown[]
  }
  TaskDefaults: Record<string, unknown>
  EncryptionConfig: { AutoLockManagers: boolean }
}

export interface JoinTokens {
  Worker: string
  Manager: string
}

export interface TLSInfo {
  TrustRoot: string
  CertIssuerSubject: string
  CertIssuerPublicKey: string
}

/** The cluster object, as GET /swarm returns it (JoinTokens included). */
export interface Swarm extends StoredObject {
  Spec: SwarmSpec
  TLSInfo: TLSInfo
  RootRotationInProgress: boolean
  DefaultAddrPool: string[]
  SubnetSize: number
  DataPathPort: number
  JoinTokens: JoinTokens
}

/** A manager of the swarm that runs now, as GET /info lists it. */
export interface RemoteManager {
  NodeID: string
  Addr: string
}

/** The part of GET /info (docker's system info) the CLI reads. */
export interface SystemInfo {
  ID: string
  Name: string
  /** tsw's own: where the swarm keeps its state (etcd swarms run a manager per manager node). */
  TswStore?: 'etcd' | 'sqlite'
  Swarm: {
    /** The node of the manager that answered. */
    NodeID: string
    NodeAddr: string
    RemoteManagers: RemoteManager[]
    Nodes: number
    Managers: number
  }
}

/** What POST /swarm/update may rotate besides writing the spec. */
export interface SwarmUpdateFlags {
  rotateWorkerToken?: boolean
  rotateManagerToken?: boolean
  rotateManagerUnlockKey?: boolean
}
